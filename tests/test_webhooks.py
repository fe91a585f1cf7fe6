"""Webhooks: the API, and real deliveries to a real HTTP receiver run by a real RQ worker on real
Redis, verified with the `standardwebhooks` library."""

import base64
import json
import os
import re
import subprocess
import sys
import threading
import time
from datetime import timedelta

import psutil
import pytest
import redis as redis_lib
from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from designer import create_app
from designer.events import Event, record_event
from designer.extensions import db
from designer.models import utcnow
from designer.tenancy import across_stores, in_store
from designer.webhooks import deliveries, slots
from designer.webhooks.deliveries import (
    RETRY_SCHEDULE_S,
    create_deliveries,
    requeue_webhook_work,
    retry_delay_s,
)
from designer.webhooks.models import Delivery, Webhook
from tests.factories import (
    PASSWORD,
    WEBHOOK_CONFIG,
    Received,
    deliveries_of,
    emit,
    register,
    row_of,
    run_jobs,
    wait_until,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# Receivers listen on 127.0.0.1: these tests allow loopback, as development does.
@pytest.fixture
def app_config(app_config):
    return app_config | WEBHOOK_CONFIG


def move_clock(monkeypatch, seconds: float) -> None:
    """Move the deliveries' clock `seconds` ahead of the real one, rather than wait them out."""
    monkeypatch.setattr(deliveries, "utcnow", lambda: utcnow() + timedelta(seconds=seconds))


def verify(secret: str, received: Received):
    return Verifier(secret).verify(received.body, received.headers)


# The API


def test_registering_a_webhook_answers_its_secret_once(client, merchant):
    created = register(
        client, merchant, "https://hooks.example.com/presswork", ["order.created", "design.rendered"]
    )
    assert created["id"].startswith("whk_")
    assert created["secret"].startswith("whsec_")
    assert len(base64.b64decode(created["secret"].removeprefix("whsec_"))) == 32
    assert created["events"] == ["order.created", "design.rendered"]
    assert created["enabled"] is True
    got = client.get(f"/api/v1/webhooks/{created['id']}", headers=merchant.bearer)
    assert got.status_code == 200
    assert "secret" not in got.json
    listed = client.get("/api/v1/webhooks", headers=merchant.bearer).json
    assert [item["id"] for item in listed["data"]] == [created["id"]]
    assert "secret" not in listed["data"][0]


def test_a_webhook_can_be_updated_disabled_enabled_and_deleted(client, merchant):
    webhook = register(client, merchant, "https://hooks.example.com/a")
    path = f"/api/v1/webhooks/{webhook['id']}"
    patched = client.patch(
        path,
        json={"url": "https://hooks.example.com/b", "events": ["order.updated"]},
        headers=merchant.bearer,
    )
    assert patched.status_code == 200, patched.json
    assert (patched.json["url"], patched.json["events"]) == ("https://hooks.example.com/b", ["order.updated"])
    disabled = client.patch(path, json={"enabled": False}, headers=merchant.bearer).json
    assert (disabled["enabled"], disabled["disabledReason"]) == (False, "Disabled by hand")
    enabled = client.patch(path, json={"enabled": True}, headers=merchant.bearer).json
    assert (enabled["enabled"], enabled["disabledReason"]) == (True, None)
    assert client.get("/api/v1/webhooks?enabled=false", headers=merchant.bearer).json["data"] == []
    assert client.delete(path, headers=merchant.bearer).json == {"id": webhook["id"], "deleted": True}
    assert client.get(path, headers=merchant.bearer).status_code == 404


def test_unknown_event_types_are_refused(client, merchant):
    response = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.com", "events": ["order.exploded"]},
        headers=merchant.bearer,
    )
    assert response.status_code == 422
    assert response.json["error"]["field"] == "events.0" or response.json["error"]["field"] == "events"


def test_another_stores_webhook_is_not_found(client, make_merchant, merchant):
    webhook = register(client, merchant, "https://hooks.example.com/a")
    stranger = make_merchant("Stranger")
    for method, suffix in [
        ("get", ""),
        ("patch", ""),
        ("delete", ""),
        ("get", "/deliveries"),
        ("post", "/test"),
    ]:
        kwargs = {"json": {"enabled": False}} if method == "patch" else {}
        response = getattr(client, method)(
            f"/api/v1/webhooks/{webhook['id']}{suffix}", headers=stranger.bearer, **kwargs
        )
        assert response.status_code == 404, (method, suffix)
    assert client.get("/api/v1/webhooks", headers=stranger.bearer).json["data"] == []


def test_a_token_without_the_webhooks_scope_is_forbidden(client, make_merchant):
    orders_only = make_merchant("Orders", scopes=["orders"])
    response = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.com", "events": ["*"]},
        headers=orders_only.bearer,
    )
    assert response.status_code == 403


def test_private_urls_are_refused_at_registration_unless_loopback_is_allowed(app, client, merchant):
    for url in [
        "http://10.0.0.8/hook",
        "http://0xa000001/",  # 10.0.0.1
        "ftp://hooks.example.com/",
        "http://169.254.169.254/",
    ]:
        response = client.post(
            "/api/v1/webhooks", json={"url": url, "events": ["*"]}, headers=merchant.bearer
        )
        assert response.status_code == 422, url
        assert response.json["error"]["field"] == "url"
    assert (
        client.post(
            "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/", "events": ["*"]}, headers=merchant.bearer
        ).status_code
        == 201
    )
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = False
    refused = client.post(
        "/api/v1/webhooks", json={"url": "http://127.0.0.1:9/", "events": ["*"]}, headers=merchant.bearer
    )
    assert refused.status_code == 422
    assert "loopback" in refused.json["error"]["message"]


# Deliveries


def test_an_event_is_delivered_signed_and_verifies_with_standardwebhooks(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url, ["order.created"])
    event_id = emit(app, merchant.store_id, "order.created", {"orderId": "ord_42", "status": "paid"})
    emit(app, merchant.store_id, "product.created", {"productId": "prd_1"})  # not subscribed
    run_jobs(app)
    [received] = receiver.received
    assert received.headers["webhook-id"] == event_id
    assert received.headers["content-type"] == "application/json"
    assert abs(int(received.headers["webhook-timestamp"]) - time.time()) < 30
    assert received.headers["webhook-signature"].startswith("v1,")
    payload = verify(webhook["secret"], received)
    assert payload["id"] == event_id
    assert payload["type"] == "order.created"
    assert payload["data"] == {"orderId": "ord_42", "status": "paid"}
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert (delivery["status"], delivery["attempts"], delivery["lastStatusCode"]) == ("succeeded", 1, 200)
    assert delivery["attemptLog"][0]["durationMs"] >= 0


def test_tampered_deliveries_fail_verification(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    emit(app, merchant.store_id)
    run_jobs(app)
    [received] = receiver.received
    verify(webhook["secret"], received)
    one_byte_changed = bytearray(received.body)
    one_byte_changed[10] ^= 0x01
    with pytest.raises(WebhookVerificationError):
        Verifier(webhook["secret"]).verify(bytes(one_byte_changed), received.headers)
    late = dict(received.headers)
    late["webhook-timestamp"] = str(int(received.headers["webhook-timestamp"]) - 6 * 60)
    with pytest.raises(WebhookVerificationError):
        Verifier(webhook["secret"]).verify(received.body, late)
    other_secret = "whsec_" + base64.b64encode(b"x" * 32).decode()
    with pytest.raises(WebhookVerificationError):
        Verifier(other_secret).verify(received.body, received.headers)


def test_after_rotation_both_secrets_sign_for_a_day(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    rotated = client.post(f"/api/v1/webhooks/{webhook['id']}/rotate-secret", headers=merchant.bearer)
    assert rotated.status_code == 200, rotated.json
    assert rotated.json["secret"] != webhook["secret"]
    emit(app, merchant.store_id)
    run_jobs(app)
    [received] = receiver.received
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    verify(webhook["secret"], received)
    verify(rotated.json["secret"], received)
    with app.app_context():  # a day later, the old secret no longer signs
        row = row_of(Webhook, webhook["id"])
        row.previous_secret_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    emit(app, merchant.store_id)
    run_jobs(app)
    latest = receiver.received[-1]
    assert len(latest.headers["webhook-signature"].split(" ")) == 1
    verify(rotated.json["secret"], latest)
    with pytest.raises(WebhookVerificationError):
        verify(webhook["secret"], latest)


def test_a_failed_delivery_is_retried_with_the_same_webhook_id(app, client, merchant, receiver, monkeypatch):
    webhook = register(client, merchant, receiver.url)
    receiver.script.append((500, {}, 0))
    event_id = emit(app, merchant.store_id)
    run_jobs(app)
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert (delivery["status"], delivery["attempts"], delivery["lastStatusCode"]) == ("pending", 1, 500)
    with app.app_context():
        row = row_of(Delivery, delivery["id"])
        wait_s = (row.next_attempt_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)).total_seconds()
    assert 3.5 < wait_s < 5.6  # 5 s, ±10 % jitter
    move_clock(monkeypatch, wait_s + 0.1)
    with app.app_context():  # the sweep finds it due (the worker's scheduler would too)
        assert requeue_webhook_work(stale_after_s=0) == (0, 1)
    run_jobs(app)
    assert [item.headers["webhook-id"] for item in receiver.received] == [event_id, event_id]
    verify(webhook["secret"], receiver.received[1])
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert (delivery["status"], delivery["attempts"], delivery["lastStatusCode"]) == ("succeeded", 2, 200)
    assert [attempt["statusCode"] for attempt in delivery["attemptLog"]] == [200, 500]
    assert delivery["attemptLog"][1]["nextAttemptAt"] is not None


def test_retry_after_is_honoured(app, client, merchant, receiver, monkeypatch):
    webhook = register(client, merchant, receiver.url)
    receiver.script.append((503, {"Retry-After": "1"}, 0))
    emit(app, merchant.store_id)
    run_jobs(app)
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    with app.app_context():
        row = row_of(Delivery, delivery["id"])
        # Measured from the attempt (the worker's own teardown may take a second after it).
        attempted_at = row.attempt_log[0].created_at
        wait_s = (
            row.next_attempt_at.replace(tzinfo=None) - attempted_at.replace(tzinfo=None)
        ).total_seconds()
    assert 0.95 <= wait_s <= 1.05
    move_clock(monkeypatch, 1.1)
    with app.app_context():
        requeue_webhook_work(stale_after_s=0)
    run_jobs(app)
    assert deliveries_of(client, merchant, webhook["id"])[0]["status"] == "succeeded"


def test_the_retry_schedule_spans_about_three_days_with_jitter():
    assert RETRY_SCHEDULE_S == (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
    waits = [retry_delay_s(attempt) for attempt in range(1, 10)]
    for wait_s, scheduled_s in zip(waits, RETRY_SCHEDULE_S, strict=True):
        assert 0.9 * scheduled_s <= wait_s <= 1.1 * scheduled_s
    assert 3 * 86400 < sum(RETRY_SCHEDULE_S) < 4 * 86400
    assert retry_delay_s(1, "120") == 120
    assert retry_delay_s(1, "not a number") != 120


def test_gone_disables_the_endpoint_and_the_dashboard_says_so(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    receiver.script.append((410, {}, 0))
    emit(app, merchant.store_id)
    run_jobs(app)
    got = client.get(f"/api/v1/webhooks/{webhook['id']}", headers=merchant.bearer).json
    assert (got["enabled"], got["disabledReason"]) == (False, "The endpoint answered 410 Gone")
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert (delivery["status"], delivery["lastStatusCode"]) == ("failed", 410)
    emit(app, merchant.store_id)  # nothing more is sent to it
    run_jobs(app)
    assert len(receiver.received) == 1
    _log_in(client, merchant)
    page = client.get(f"/dashboard/stores/{merchant.store_id}/webhooks/{webhook['id']}")
    assert page.status_code == 200
    assert "This webhook is disabled" in page.text and "410 Gone" in page.text


def test_an_endpoint_failing_for_five_days_is_disabled(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    with app.app_context():
        row = row_of(Webhook, webhook["id"])
        row.failing_since = utcnow() - timedelta(days=5, minutes=1)
        db.session.commit()
    receiver.script.append((500, {}, 0))
    emit(app, merchant.store_id)
    run_jobs(app)
    got = client.get(f"/api/v1/webhooks/{webhook['id']}", headers=merchant.bearer).json
    assert (got["enabled"], got["disabledReason"]) == (False, "Every delivery failed for 5 days")


def test_a_success_ends_the_failure_streak(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    with app.app_context():
        row_of(Webhook, webhook["id"]).failing_since = utcnow() - timedelta(days=4)
        db.session.commit()
    emit(app, merchant.store_id)
    run_jobs(app)
    assert (
        client.get(f"/api/v1/webhooks/{webhook['id']}", headers=merchant.bearer).json["failingSince"] is None
    )


def test_a_slow_receiver_times_out_and_is_retried(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    answer = threading.Event()  # the receiver answers only when the test says: long after the 1.5 s allowed
    receiver.script.append((200, {}, answer))
    emit(app, merchant.store_id)
    run_jobs(app)
    assert receiver.waiting == 1  # the sender gave up while the receiver still held its answer
    answer.set()
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert delivery["status"] == "pending"
    assert delivery["lastStatusCode"] is None
    assert "Timed out" in delivery["lastError"]
    assert 1400 <= delivery["lastDurationMs"] < 2500


def test_redirects_are_not_followed(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    receiver.script.append((302, {"Location": receiver.url + "&moved=1"}, 0))
    emit(app, merchant.store_id)
    run_jobs(app)
    assert len(receiver.received) == 1
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert (delivery["status"], delivery["lastStatusCode"]) == ("pending", 302)


def test_events_recorded_while_redis_is_down_are_all_delivered_after_it_recovers(
    app, app_config, client, merchant, receiver
):
    webhook = register(client, merchant, receiver.url)
    outage = create_app(app_config | {"REDIS_URL": "redis://127.0.0.1:1/0"})
    event_ids = [emit(outage, merchant.store_id, "order.created", {"orderId": f"ord_{n}"}) for n in range(5)]
    with outage.app_context():
        db.engine.dispose()
    assert (
        redis_lib.Redis.from_url(app_config["REDIS_URL"]).llen("rq:queue:webhooks") == 0
    )  # nothing was queued
    with app.app_context():
        undispatched = db.session.scalars(
            across_stores(db.select(Event).where(Event.dispatched_at.is_(None)))
        ).all()
        assert {event.id for event in undispatched} == set(event_ids)
        assert requeue_webhook_work(stale_after_s=0) == (5, 0)
    run_jobs(app)
    assert sorted(item.headers["webhook-id"] for item in receiver.received) == sorted(event_ids)
    for received in receiver.received:
        verify(webhook["secret"], received)
    with app.app_context():  # and the sweep finds nothing more to do
        assert requeue_webhook_work(stale_after_s=0) == (0, 0)


def test_lost_delivery_jobs_are_queued_again_by_the_sweep(app, client, merchant, receiver):
    register(client, merchant, receiver.url)
    register(client, merchant, receiver.url + "&second=1")  # two endpoints: a job for each
    emit(app, merchant.store_id)
    with app.app_context():
        [event] = db.session.scalars(in_store(db.select(Event), merchant.store_id)).all()
        assert len(create_deliveries([event.id])) == 2  # and the worker died before sending them
        app.extensions["redis"].flushdb()  # Redis lost every job
        assert requeue_webhook_work(stale_after_s=0) == (0, 2)
    run_jobs(app)
    assert len(receiver.received) == 2


def test_a_worker_killed_mid_batch_loses_no_delivery(
    app, app_config, client, merchant, receiver, monkeypatch
):
    webhook = register(client, merchant, receiver.url)
    held = threading.Event()
    receiver.script = [(200, {}, held), (200, {}, held)]  # both lanes' first attempts hang
    with app.app_context():
        event_ids = [
            record_event(merchant.store_id, "order.created", {"orderId": f"ord_{n}"}).id for n in range(6)
        ]
        db.session.commit()  # one dispatch job for the six
    env = dict(
        os.environ,
        REDIS_URL=app_config["REDIS_URL"],
        DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"],
        WEBHOOKS_ALLOW_LOOPBACK="1",
        WEBHOOK_TIMEOUT_S=str(app_config["WEBHOOK_TIMEOUT_S"]),  # its claims as long as ours
    )
    worker = subprocess.Popen([sys.executable, "-m", "worker", "--queues", "webhooks"], cwd=ROOT, env=env)
    try:
        wait_until(lambda: receiver.waiting == 2, timeout_s=60, message="two attempts in flight")
        forked = psutil.Process(worker.pid).children()  # RQ's scheduler
    finally:
        worker.kill()  # SIGKILL, mid-batch: two requests out, four deliveries claimed and not yet sent
        worker.wait(timeout=30)
    assert forked, "the worker forks its scheduler"
    _, alive = psutil.wait_procs(forked, timeout=30)
    assert not alive, "what the worker forked ends with it"
    held.set()  # the receiver got those two; the worker never learnt it
    with app.app_context():
        rows = db.session.scalars(in_store(db.select(Delivery), merchant.store_id)).all()
        assert sorted(row.event_id for row in rows) == sorted(event_ids)
        assert {(row.status, row.attempts) for row in rows} == {("pending", 0)}
        assert requeue_webhook_work(stale_after_s=0) == (0, 0)  # claimed: the claims are still held
        # Rather than wait out the claims and the slots' leases (Redis's own clock) they end now.
        move_clock(monkeypatch, deliveries._hold_s() + 1)
        app.extensions["redis"].delete(slots.key_of(webhook["id"]))
        assert requeue_webhook_work(stale_after_s=0) == (0, 6)
    run_jobs(app)
    answered = [item.headers["webhook-id"] for item in receiver.received]
    assert sorted(set(answered)) == sorted(event_ids) and len(answered) == 8  # at least once
    assert {row["status"] for row in deliveries_of(client, merchant, webhook["id"])} == {"succeeded"}


def test_running_a_delivery_job_twice_sends_once(app, client, merchant, receiver):
    register(client, merchant, receiver.url)
    emit(app, merchant.store_id)
    run_jobs(app)
    with app.app_context():
        [delivery] = db.session.scalars(in_store(db.select(Delivery), merchant.store_id)).all()
        from worker.webhooks import deliver, dispatch

        assert deliver(delivery.id) is None
        assert dispatch(delivery.event_id) == []
    assert len(receiver.received) == 1


def test_a_test_event_goes_to_that_webhook_only(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    other = register(client, merchant, receiver.url + "&other=1")
    sent = client.post(f"/api/v1/webhooks/{webhook['id']}/test", headers=merchant.bearer)
    assert sent.status_code == 202, sent.json
    assert sent.json["eventType"] == "webhook.test"
    run_jobs(app)
    [received] = receiver.received
    payload = verify(webhook["secret"], received)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["webhookId"] == webhook["id"]
    assert deliveries_of(client, merchant, other["id"]) == []


def test_one_delivery_can_be_redelivered_with_the_same_webhook_id(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    event_id = emit(app, merchant.store_id)
    run_jobs(app)
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    again = client.post(
        f"/api/v1/webhooks/{webhook['id']}/deliveries/{delivery['id']}/redeliver", headers=merchant.bearer
    )
    assert again.status_code == 202, again.json
    assert again.json["status"] == "pending"
    run_jobs(app)
    assert [item.headers["webhook-id"] for item in receiver.received] == [event_id, event_id]
    got = client.get(
        f"/api/v1/webhooks/{webhook['id']}/deliveries/{delivery['id']}", headers=merchant.bearer
    ).json
    assert (got["status"], got["attempts"]) == ("succeeded", 2)


def test_every_failed_delivery_since_a_time_can_be_redelivered(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    receiver.script.append((410, {}, 0))
    emit(app, merchant.store_id)
    run_jobs(app)  # 410: failed, and the endpoint disabled
    path = f"/api/v1/webhooks/{webhook['id']}"
    since = (utcnow() - timedelta(minutes=5)).isoformat()
    refused = client.post(f"{path}/redeliver", json={"since": since}, headers=merchant.bearer)
    assert refused.status_code == 409
    client.patch(path, json={"enabled": True}, headers=merchant.bearer)
    response = client.post(f"{path}/redeliver", json={"since": since}, headers=merchant.bearer)
    assert response.status_code == 202, response.json
    assert response.json["count"] == 1
    run_jobs(app)
    assert len(receiver.received) == 2
    assert [item["status"] for item in deliveries_of(client, merchant, webhook["id"])] == ["succeeded"]
    later = (utcnow() + timedelta(minutes=1)).isoformat()
    assert client.post(f"{path}/redeliver", json={"since": later}, headers=merchant.bearer).json["count"] == 0


def test_the_delivery_log_filters_by_status(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    receiver.script.append((500, {}, 0))
    emit(app, merchant.store_id)
    emit(app, merchant.store_id)
    run_jobs(app)
    path = f"/api/v1/webhooks/{webhook['id']}/deliveries"
    assert len(client.get(f"{path}?status=pending", headers=merchant.bearer).json["data"]) == 1
    assert len(client.get(f"{path}?status=succeeded", headers=merchant.bearer).json["data"]) == 1
    assert client.get(f"{path}?status=lost", headers=merchant.bearer).status_code == 422


def test_a_refused_address_at_send_time_fails_the_attempt(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = False  # e.g. the URL was registered where it was allowed
    emit(app, merchant.store_id)
    run_jobs(app)
    assert receiver.received == []
    [delivery] = deliveries_of(client, merchant, webhook["id"])
    assert delivery["status"] == "pending"
    assert "loopback" in delivery["lastError"]


# The dashboard


def _log_in(client, merchant):

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)[1]
    response = client.post(
        "/login", data={"email": merchant.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code in (302, 303), response.text


def _htmx_headers(client, merchant, path: str) -> dict:
    """Log in, open the dashboard page at `path`, and the headers its htmx requests send."""
    _log_in(client, merchant)
    page = client.get(path)
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.text)[1]
    return {"HX-Request": "true", "X-Store-Id": merchant.store_id, "X-CSRFToken": token}


def test_the_dashboard_lists_webhooks_and_shows_the_delivery_log(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    emit(app, merchant.store_id)
    run_jobs(app)
    _log_in(client, merchant)
    listing = client.get(f"/dashboard/stores/{merchant.store_id}/webhooks")
    assert listing.status_code == 200
    assert receiver.url.replace("&", "&amp;") in listing.text
    page = client.get(f"/dashboard/stores/{merchant.store_id}/webhooks/{webhook['id']}")
    assert page.status_code == 200
    assert "order.created" in page.text and "succeeded" in page.text
    assert "Send test event" in page.text and "Rotate secret" in page.text


def test_the_dashboard_registers_a_webhook_and_shows_the_secret_once(app, client, merchant):
    headers = _htmx_headers(client, merchant, f"/dashboard/stores/{merchant.store_id}/webhooks")
    response = client.post(
        "/api/v1/webhooks",
        data={"url": "https://hooks.example.com/new", "events": ["order.created", "order.updated"]},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    assert "whsec_" in response.text and "will not be shown again" in response.text
    refused = client.post(
        "/api/v1/webhooks", data={"url": "http://10.1.2.3/", "events": ["*"]}, headers=headers
    )
    assert refused.status_code == 422
    assert "not a public address" in refused.text
    [webhook] = client.get("/api/v1/webhooks", headers=merchant.bearer).json["data"]
    assert webhook["events"] == ["order.created", "order.updated"]


def test_the_envelope_body_is_compact_json(app, client, merchant, receiver):
    register(client, merchant, receiver.url)
    emit(app, merchant.store_id, "order.created", {"note": "Grüße"})
    run_jobs(app)
    body = receiver.received[0].body
    assert json.loads(body)["data"] == {"note": "Grüße"}
    assert b": " not in body


def test_the_dashboards_htmx_actions_answer_their_partials(app, client, merchant, receiver):
    webhook = register(client, merchant, receiver.url)
    emit(app, merchant.store_id)
    run_jobs(app)
    headers = _htmx_headers(
        client, merchant, f"/dashboard/stores/{merchant.store_id}/webhooks/{webhook['id']}"
    )
    path = f"/api/v1/webhooks/{webhook['id']}"
    disabled = client.patch(path, data={"enabled": "false"}, headers=headers)
    assert disabled.status_code == 200, disabled.text
    assert 'id="webhook-settings-form"' in disabled.text and "Disabled by hand" in disabled.text
    enabled = client.patch(path, data={"enabled": "true"}, headers=headers)
    assert "Disable</button>" in enabled.text
    refused = client.patch(path, data={"url": "http://192.168.0.1/", "events": ["*"]}, headers=headers)
    assert refused.status_code == 422 and "not a public address" in refused.text
    rotated = client.post(f"{path}/rotate-secret", headers=headers)
    assert rotated.status_code == 200 and "whsec_" in rotated.text and "keeps signing" in rotated.text
    sent = client.post(f"{path}/test", headers=headers)
    assert sent.status_code == 202 and "webhook.test" in sent.text
    [delivery, *_] = deliveries_of(client, merchant, webhook["id"])
    again = client.post(f"{path}/deliveries/{delivery['id']}/redeliver", headers=headers)
    assert again.status_code == 202 and f'id="delivery-{delivery["id"]}"' in again.text
    failed = client.post(f"{path}/redeliver", data={"since": "2020-01-01T00:00"}, headers=headers)
    assert failed.status_code == 202 and "queued again" in failed.text
    rows = client.get(f"{path}/deliveries", headers=headers)
    assert rows.status_code == 200 and "<tr" in rows.text
    gone = client.delete(path, headers=headers)
    assert gone.headers["HX-Redirect"] == f"/dashboard/stores/{merchant.store_id}/webhooks"


def test_full_width_and_ideographic_dot_hosts_are_refused_at_registration(app, client, merchant):
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = False
    for url in ["http://１２７.0.0.1/hook", "http://127。0。0。1/", "http://１０．0．0．1/", "http://a..b/"]:
        response = client.post(
            "/api/v1/webhooks", json={"url": url, "events": ["*"]}, headers=merchant.bearer
        )
        assert response.status_code == 422, url
        assert response.json["error"]["field"] == "url"
    listed = client.get("/api/v1/webhooks", headers=merchant.bearer).json
    assert listed["data"] == []


def test_an_event_dispatched_late_goes_only_to_webhooks_registered_before_it_happened(
    app, client, merchant, receiver
):
    before = register(client, merchant, receiver.url + "&before=1")
    event_id = emit(app, merchant.store_id)  # its dispatch waits: no worker runs (an outage)
    after = register(client, merchant, receiver.url + "&after=1")
    run_jobs(app)
    assert len(deliveries_of(client, merchant, before["id"])) == 1
    assert deliveries_of(client, merchant, after["id"]) == []
    [received] = receiver.received
    assert received.headers["webhook-id"] == event_id
    verify(before["secret"], received)
    emit(app, merchant.store_id)  # and the events after it go to both
    run_jobs(app)
    assert len(deliveries_of(client, merchant, after["id"])) == 1
