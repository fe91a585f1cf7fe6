"""Chaos: real worker processes, one per queue, kept running by the supervisor of `make run`, on
an embedded Redis this test starts itself. A render worker is killed with SIGKILL in the middle
of a batch of renders, and Redis is restarted (losing everything: no persistence) while webhook
deliveries are in flight to a slow receiver. Every render ends done with a valid PDF, and every
delivery is delivered.

The sweeps' interval and thresholds are shortened through the environment (SWEEP_INTERVAL_S,
RENDER_STALE_AFTER_S, WEBHOOK_STALE_AFTER_S) instead of waited for; a dead worker is still
known dead only after WORKER_TTL_S (30 s) without a heartbeat.
"""

import io
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler

import pikepdf
import pytest
import redis as redis_lib

from designer import create_app
from designer.embedded_redis import EmbeddedRedis
from designer.events import Event, record_event
from designer.extensions import db
from designer.files.models import File
from designer.queue import QUEUES
from designer.rendering.models import Render
from designer.supervisor import Supervisor
from designer.tenancy import across_stores
from designer.webhooks import service as webhooks
from designer.webhooks.models import Delivery
from designer.webhooks.schemas import WebhookCreate
from tests.factories import created_design as created
from tests.factories import layer_named, listening, storefront, wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RENDERS, EVENTS = 6, 8


@pytest.fixture
def embedded_redis(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(app_config, embedded_redis, database):
    """The app on the embedded Redis, webhooks to this machine allowed (as under `make run`)."""
    app = create_app(app_config | {"REDIS_URL": embedded_redis.url, "WEBHOOKS_ALLOW_LOOPBACK": True})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class SlowReceiver:
    """A webhook endpoint on 127.0.0.1 that takes 0.3 s to answer 204; it counts the requests
    begun and records each webhook-id answered."""

    def __init__(self):
        self.begun = 0
        self.answered: set[str] = set()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.begun += 1
                time.sleep(0.3)  # the delivery is in flight meanwhile
                self.send_response(204)
                self.end_headers()
                with receiver.lock:
                    receiver.answered.add(self.headers["webhook-id"])

            def log_message(self, *args):
                pass

        self.server = listening(Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def statuses(app, model) -> list[str]:
    with app.app_context():
        found = [row.status for row in db.session.scalars(across_stores(db.select(model)))]
        db.session.remove()
        return found


def test_renders_and_deliveries_all_complete_through_a_killed_worker_and_a_redis_restart(
    app,
    client,
    merchant,
    card,
    embedded_redis,
    app_config,
):
    receiver = SlowReceiver()
    with app.app_context():
        webhook = webhooks.create_webhook(merchant.store_id, WebhookCreate(url=receiver.url, events=["*"]))
        db.session.commit()
        registered_at = webhook.created_at
    designs = [created(client, storefront(merchant), card) for _ in range(RENDERS)]
    env = dict(
        os.environ,
        REDIS_URL=embedded_redis.url,
        DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"],
        WEBHOOKS_ALLOW_LOOPBACK="1",
        SWEEP_INTERVAL_S="2",
        RENDER_STALE_AFTER_S="5",
        WEBHOOK_STALE_AFTER_S="3",
    )
    commands = {name: [sys.executable, "-m", "worker", "--queues", name] for name in QUEUES}
    supervisor = Supervisor(commands, env=env, cwd=ROOT, first_backoff_s=0.5)
    try:
        supervisor.start()
        for number, each in enumerate(designs):  # each prints something different: a render each
            name = layer_named(each, "Name")["id"]
            url = f"/api/v1/designs/{each['id']}/layers/{name}"
            edited = client.patch(url, json={"text": f"Person {number}"}, headers=storefront(merchant))
            assert edited.status_code == 200, edited.json
            asked = client.get(f"/api/v1/designs/{each['id']}/render", headers=merchant.bearer)
            assert asked.status_code == 202, asked.json

        # A render worker killed with SIGKILL in the middle of the batch.
        wait_until(lambda: "rendering" in statuses(app, Render), timeout_s=60, message="a render to start")
        killed = supervisor.pid("renders")
        os.kill(killed, signal.SIGKILL)

        # Events whose deliveries are in flight (the receiver takes a second) when Redis restarts.
        with app.app_context():
            for number in range(EVENTS):
                record_event(merchant.store_id, "order.created", {"orderId": f"ord_{number}"})
            db.session.commit()
        wait_until(lambda: receiver.begun > 0, timeout_s=60, message="a delivery in flight")
        embedded_redis.stop()
        embedded_redis.start()  # empty: queues, jobs and workers' registrations are gone

        wait_until(
            lambda: supervisor.pid("renders") not in (None, killed),
            timeout_s=30,
            message="the render worker's restart",
        )
        wait_until(
            lambda: statuses(app, Render) == ["done"] * RENDERS,
            timeout_s=150,
            message="every render to be done",
        )
        with app.app_context():
            later = db.select(Event.id).where(Event.created_at >= registered_at)
            event_ids = set(db.session.scalars(across_stores(later)))
            db.session.remove()
        # Every event since the webhook: the designs' edits, a design.rendered per render, the orders'.
        assert len(event_ids) > RENDERS + EVENTS
        wait_until(
            lambda: (
                receiver.answered >= event_ids and statuses(app, Delivery) == ["succeeded"] * len(event_ids)
            ),
            timeout_s=150,
            message="every delivery to be delivered",
            state=lambda: f"{sorted(statuses(app, Delivery))}, {len(receiver.answered)} answered",
        )
        assert supervisor.children["renders"].exit_codes[0] == -signal.SIGKILL
        connection = redis_lib.Redis.from_url(embedded_redis.url)
        health = client.get("/api/v1/health").json
        assert health["redis"] is True and set(health["queues"]) == set(QUEUES)
        assert connection.ping()
    finally:
        supervisor.stop()
        receiver.close()

    storage = app.extensions["presswork_storage"]
    with app.app_context():
        for render in db.session.scalars(across_stores(db.select(Render))):
            file = db.session.scalars(across_stores(db.select(File).where(File.id == render.file_id))).one()
            with pikepdf.open(io.BytesIO(storage.read(file.storage_key))) as pdf:
                assert len(pdf.pages) == 1
