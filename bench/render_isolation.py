"""Render latency while another store's webhook endpoint trickles: the queues' isolation.

A real app (SQLite under a throw-away instance directory, local storage, an embedded Redis of
its own) with two stores. Store A asks for the renders of demo business cards through the API
(each a different name, so each a render of its own); the latency is from the request (the 202)
to the render being done, its PDF stored (polled in the database every 10 ms), the median of N.
Store B has a webhook to a local server that answers the status line and then a byte every 2 s
(a trickling endpoint), and records events all along, so its deliveries are being tried.

Workers as `make run` starts them (one per queue, under the supervisor: designer/cli.py
`worker_commands`), or with `--layout single`, one `python -m worker` on every queue (how
`make run` ran before the queues were split). Measured without the trickle, then with it.
Prints the numbers and the ratio, and appends a section to bench/RESULTS.md (`--no-record`
to skip).
"""

import argparse
import os
import platform
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchapp import bench_app  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"


class TricklingEndpoint:
    """Answers every connection with a status line, then one byte every 2 s until the client
    hangs up (or 120 s pass)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hooks"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(connection,), daemon=True).start()

    @staticmethod
    def _trickle(connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                connection.sendall(b"HTTP/1.1 200 OK\r\n")
                for _ in range(60):
                    time.sleep(2)
                    connection.sendall(b"X")
            except OSError:
                pass  # the client gave up: what a deadline does

    def close(self) -> None:
        self.listener.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=9, help="renders timed in each case (median)")
    parser.add_argument("--layout", choices=("make-run", "single"), default="make-run")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/RESULTS.md")
    args = parser.parse_args()

    instance = Path(tempfile.mkdtemp(prefix="presswork-bench-isolation-"))
    from designer.embedded_redis import EmbeddedRedis

    server = EmbeddedRedis(instance / "redis")
    redis_url = server.start()
    os.environ["WEBHOOKS_ALLOW_LOOPBACK"] = "1"
    app = bench_app(instance, 0, REDIS_URL=redis_url, WEBHOOKS_ALLOW_LOOPBACK=True)
    from designer import queue
    from designer.accounts import service as accounts
    from designer.cli import worker_commands
    from designer.demo.catalog import seed_demo_catalog
    from designer.events import record_event
    from designer.extensions import db
    from designer.rendering.models import Render
    from designer.supervisor import Supervisor
    from designer.tenancy import across_stores
    from designer.webhooks import service as webhooks
    from designer.webhooks.schemas import WebhookCreate

    endpoint = TricklingEndpoint()
    with app.app_context():
        account = accounts.create_account("Bench", "bench@example.com", "Bench-pass1!")
        store_a = accounts.create_store(account, "Cards")
        store_b = accounts.create_store(account, "Slow hooks")
        seed_demo_catalog(store_a.id)
        _, secret = accounts.create_token(store_a, "bench", ["full"])
        webhooks.create_webhook(store_b.id, WebhookCreate(url=endpoint.url, events=["*"]))
        db.session.commit()
        store_b_id = store_b.id
    client = app.test_client()
    auth = {"Authorization": f"Bearer {secret}"}
    card = client.get("/api/v1/products/business-card", headers=auth).json
    names = iter(range(1, 1_000_000))

    def one_render() -> float:
        design = client.post(
            "/api/v1/designs", json={"productId": card["id"], "sideId": card["sides"][0]["id"]}, headers=auth
        ).json
        layer = next(layer for layer in design["layers"] if layer["name"] == "Name")
        url = f"/api/v1/designs/{design['id']}"
        client.patch(f"{url}/layers/{layer['id']}", json={"text": f"Person {next(names)}"}, headers=auth)
        asked_at = time.monotonic()
        answer = client.get(f"{url}/render", headers=auth)
        assert answer.status_code == 202, answer.json
        render_id = answer.json["renderId"]
        with app.app_context():
            while True:
                render = db.session.scalars(
                    across_stores(db.select(Render).where(Render.id == render_id))
                ).one()
                if render.status in ("done", "failed"):
                    assert render.status == "done", render.error
                    return time.monotonic() - asked_at
                db.session.remove()
                time.sleep(0.01)

    single = {"all": [sys.executable, "-m", "worker"]}
    commands = worker_commands() if args.layout == "make-run" else single
    env = dict(
        os.environ,
        REDIS_URL=redis_url,
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        STORAGE_PATH=app.config["STORAGE_PATH"],
        WEBHOOKS_ALLOW_LOOPBACK="1",
    )
    workers = Supervisor(commands, env=env, cwd=str(ROOT)).start()
    try:
        one_render()  # warm-up: the workers are up and have imported everything
        quiet = [one_render() for _ in range(args.renders)]
        stop = threading.Event()

        def keep_store_b_busy() -> None:
            with app.app_context():
                while not stop.is_set():
                    record_event(store_b_id, "order.created", {"orderId": "ord_slow"})
                    db.session.commit()
                    stop.wait(1)

        busy = threading.Thread(target=keep_store_b_busy, daemon=True)
        busy.start()
        deadline = time.monotonic() + 30
        while endpoint.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        trickling = [one_render() for _ in range(args.renders)]
        stop.set()
        busy.join()
        with app.app_context():
            live = queue.live_workers(queue.connection())
    finally:
        workers.stop(timeout_s=30)
        endpoint.close()
        server.stop()

    quiet_ms, trickling_ms = statistics.median(quiet) * 1000, statistics.median(trickling) * 1000
    ratio = trickling_ms / quiet_ms
    layout = (
        "one worker per queue (renders, proofs, webhooks), as `make run`"
        if args.layout == "make-run"
        else "one worker on every queue"
    )
    section = (
        f"\n## Render latency while another store's webhook endpoint trickles "
        f"({datetime.now(UTC):%Y-%m-%d}, {args.layout})\n\n"
        "bench/render_isolation.py: store A asks for business-card renders through the API, timed\n"
        "from the request to the render done (PDF stored); store B records an event a second whose\n"
        "delivery goes to an endpoint that sends the status line, then a byte every 2 s.\n"
        f"Workers: {layout} ({len(live)} live);\nSQLite, embedded Redis; "
        f"{platform.machine()}, Python {platform.python_version()}.\n\n"
        "| case | median of renders | renders |\n| --- | ---: | ---: |\n"
        f"| no webhook traffic | {quiet_ms:.0f} ms | {len(quiet)} |\n"
        f"| store B's endpoint trickling ({endpoint.connections} connections made) | {trickling_ms:.0f} ms | "
        f"{len(trickling)} |\n"
        f"| ratio | {ratio:.2f} | |\n"
    )
    print(section)
    if not args.no_record:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(section)


if __name__ == "__main__":
    main()
