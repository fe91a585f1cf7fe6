"""Webhook delivery: event-to-first-delivery latency (p50, p95) and deliveries per second.

A real app (SQLite under a throw-away instance directory, or DATABASE_URL) with one store and one
webhook pointing at a local receiver (http.server in a thread, on 127.0.0.1; loopback allowed as
in development), and one worker process (`python -m worker`) on Redis.

- Latency: events recorded one at a time (record_event + commit, as a request does); the time
  from the commit to the receiver reading the signed request. The path: the after-commit hook
  queues the dispatch job, the worker creates the delivery and queues its job, the worker signs
  and POSTs it.
- Throughput: a burst of events committed in batches of 50; deliveries per second from the first
  commit to the last request received.

Prints a Markdown table. Redis: REDIS_URL, else 127.0.0.1:6379 database 13 (emptied first) when
it answers, else the embedded server.
"""

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchapp import listening, redis_url  # noqa: E402

REDIS_DATABASE = 13  # of this machine's Redis, when it answers


class Receiver:
    """Records when each webhook-id first arrived (time.monotonic())."""

    def __init__(self):
        self.arrived: dict[str, float] = {}
        self.requests = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as receivers behind any web server answer

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.monotonic()
                with receiver.lock:
                    receiver.requests += 1
                    receiver.arrived.setdefault(self.headers["webhook-id"], now)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = listening(Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def wait_for(self, event_ids: list[str], timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self.lock:
                if all(event_id in self.arrived for event_id in event_ids):
                    return
            time.sleep(0.001)
        raise TimeoutError(f"{sum(e not in self.arrived for e in event_ids)} events not delivered")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200, help="events timed one at a time")
    parser.add_argument("--burst", type=int, default=1000, help="events in the throughput burst")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="presswork-bench-webhooks-"))
    os.environ["INSTANCE_PATH"] = str(instance)
    os.environ["WEBHOOKS_ALLOW_LOOPBACK"] = "1"
    from designer import create_app
    from designer.accounts import service as accounts
    from designer.events import record_event
    from designer.extensions import db
    from designer.webhooks import service as webhooks
    from designer.webhooks.schemas import WebhookCreate

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'bench.db'}"
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "REDIS_URL": redis_url(REDIS_DATABASE),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    receiver = Receiver()
    worker = None
    try:
        with app.app_context():
            if app.config["REDIS_URL"].endswith("/13"):
                app.extensions["redis"].flushdb()
            db.drop_all()
            db.create_all()
            account = accounts.create_account("Bench", "bench@example.com", "Bench-pass1!")
            store_id = accounts.create_store(account, "Bench store").id
            webhooks.create_webhook(store_id, WebhookCreate(url=receiver.url, events=["*"]))
            db.session.commit()
        env = dict(
            os.environ,
            REDIS_URL=app.config["REDIS_URL"],
            DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
            WEBHOOKS_ALLOW_LOOPBACK="1",
        )
        worker = subprocess.Popen([sys.executable, "-m", "worker"], cwd=ROOT, env=env)
        with app.app_context():
            warm = record_event(store_id, "order.created", {"orderId": "ord_warm"}).id
            db.session.commit()
            receiver.wait_for([warm], 60)

            latencies_ms = []
            for number in range(args.events):
                event = record_event(store_id, "order.created", {"orderId": f"ord_{number}"})
                db.session.commit()
                committed = time.monotonic()
                receiver.wait_for([event.id], 30)
                latencies_ms.append((receiver.arrived[event.id] - committed) * 1000)

            started = time.monotonic()
            burst_ids = []
            for number in range(args.burst):
                burst_ids.append(record_event(store_id, "order.updated", {"orderId": f"ord_b{number}"}).id)
                if len(burst_ids) % 50 == 0:
                    db.session.commit()
            db.session.commit()
            receiver.wait_for(burst_ids, 600)
            elapsed_s = max(receiver.arrived[event_id] for event_id in burst_ids) - started
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        receiver.server.shutdown()
        with app.app_context():
            db.engine.dispose()
        shutil.rmtree(instance, ignore_errors=True)

    database = "PostgreSQL" if "postgresql" in database_url else "SQLite"
    print(
        f"### Webhooks ({platform.machine()}, Python {platform.python_version()}, {database}, one worker)\n"
    )
    print("| measure | value |")
    print("| --- | --- |")
    p50_ms, p95_ms = _percentile(latencies_ms, 0.5), _percentile(latencies_ms, 0.95)
    print(f"| event → first delivery, p50 ({args.events} events, one at a time) | {p50_ms:.1f} ms |")
    print(f"| event → first delivery, p95 | {p95_ms:.1f} ms |")
    print(f"| event → first delivery, mean | {statistics.fmean(latencies_ms):.1f} ms |")
    print(f"| deliveries per second ({args.burst} events in a burst) | {args.burst / elapsed_s:.0f} /s |")
    duplicates = receiver.requests - len(receiver.arrived)
    print(f"| requests received (duplicates: {duplicates}) | {receiver.requests} |")


if __name__ == "__main__":
    main()
