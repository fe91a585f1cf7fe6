"""Request ids: one `req_…` per request, on every response and in every log line, including
the access log line written for each request."""

import logging
import time

from flask import Flask, g, has_request_context, request

from designer.ids import new_id

access_log = logging.getLogger("presswork.access")


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


def configure_logging(app: Flask) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(app.config["LOG_LEVEL"])
    # Our access line carries the request id; the development server's own would repeat it without.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def register_request_ids(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        g.request_id = new_id("request", guessable=True)
        g.started_s = time.perf_counter()

    @app.after_request
    def expose_request_id(response):
        response.headers.add("X-Request-Id", g.get("request_id") or new_id("request", guessable=True))
        if access_log.isEnabledFor(logging.INFO):
            elapsed_ms = (time.perf_counter() - g.get("started_s", time.perf_counter())) * 1000
            access_log.info(
                "%s %s %s %.1fms",
                request.method,
                request.full_path.rstrip("?"),
                response.status_code,
                elapsed_ms,
            )
        return response
