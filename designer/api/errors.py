"""The API's error body and the handlers that keep every failure in that shape: the domain's errors
(designer/errors.py) mapped to their status and the contract's JSON body."""

import logging
from collections.abc import Callable

import redis
from flask import Flask, Response, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from designer.errors import (  # noqa: F401 (the domain's errors, importable from here too)
    STATUS_OF_CODE,
    ApiError,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    RateLimited,
    ServiceUnavailable,
    Unauthenticated,
    UnsupportedMediaType,
    ValidationFailed,
)

log = logging.getLogger(__name__)
_CODE_OF_STATUS = {status: code for code, status in STATUS_OF_CODE.items()}


# How long a client should wait before retrying while a backing service is down (Retry-After).
RETRY_UNAVAILABLE_SECONDS = 5


# Other dialects of the API (the PrintCart dialect at /v1): their prefix, and how each answers
# an error in its own shape.
_dialect_errors: dict[str, Callable[[ApiError], Response]] = {}


def register_dialect_errors(prefix: str, answer: Callable[[ApiError], Response]) -> None:
    """Requests under `prefix` are API requests too; `answer(error)` is their error response."""
    _dialect_errors[prefix] = answer


def _dialect_answer() -> Callable[[ApiError], Response] | None:
    for prefix, answer in _dialect_errors.items():
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return answer
    return None


def is_api_request() -> bool:
    return request.path.startswith("/api/") or _dialect_answer() is not None


def error_body(code: str, message: str, field: str | None = None, **extra) -> dict:
    body = {"code": code, "message": message, "field": field, "requestId": g.get("request_id")}
    body.update(extra)
    return {"error": body}


def error_response(error: ApiError):
    """The contract's JSON error body for `error`, with its status and headers (a dialect's own
    body under its prefix)."""
    dialect = _dialect_answer()
    if dialect is not None:
        return dialect(error)
    extra = {"errors": error.errors} if getattr(error, "errors", None) else {}
    response = jsonify(error_body(error.code, error.message, error.field, **extra))
    response.status_code = error.status
    # The same routes answer htmx with partials (see respond.py), so a cache must key errors on
    # these headers too.
    response.vary.update(("Accept", "HX-Request"))
    if error.code == "unauthenticated":
        response.headers["WWW-Authenticate"] = 'Bearer realm="presswork", Basic realm="presswork"'
    return response


def _from_http_exception(exc: HTTPException) -> ApiError:
    status = exc.code or 500
    if status == 400:
        # Werkzeug's 400s come from unreadable input (bad form data, bad JSON): a validation error.
        return ValidationFailed("The request body could not be read", field="body")
    if status == 429:
        return RateLimited(f"Rate limit exceeded ({exc.description}); retry later")
    code = _CODE_OF_STATUS.get(status) or ("internal_error" if status >= 500 else "validation_error")
    messages = {
        "not_found": f"No route for {request.method} {request.path}",
        "method_not_allowed": f"Method {request.method} is not allowed on {request.path}",
        "payload_too_large": "The request body is larger than this endpoint accepts",
        "unsupported_media_type": "Unsupported Content-Type",
    }
    return ApiError(messages.get(code) or exc.description or code, code=code)


def register_error_handlers(app: Flask) -> None:
    """JSON errors under /api (never an HTML page, never a traceback); pages elsewhere."""

    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        if is_api_request():
            return error_response(error)
        return _page(error.status, error.message)

    @app.errorhandler(HTTPException)
    def handle_http_exception(exc: HTTPException):
        if is_api_request():
            response = error_response(_from_http_exception(exc))
            # What the exception says beyond its body (Allow on a 405, for one) still holds.
            response.headers.update({k: v for k, v in exc.get_headers() if k.lower() != "content-type"})
            return response
        return _page(exc.code or 500, exc.description or "")

    @app.errorhandler(redis.RedisError)
    def handle_redis_down(exc: redis.RedisError):
        log.warning("Redis is unreachable: %s", exc)
        message = "The job queue (Redis) is unreachable; retry shortly"
        if is_api_request():
            return error_response(ServiceUnavailable(message))
        return _page(503, message)

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        log.exception("unhandled error")
        if is_api_request():
            return error_response(
                ApiError("Something went wrong on our side; quote the requestId when you report it")
            )
        return _page(500, "Something went wrong on our side.")


def _page(status: int, message: str):
    return render_template("error.html", status=status, message=message), status
