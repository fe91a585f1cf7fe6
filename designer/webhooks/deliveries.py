"""Delivering events to webhooks: at least once, from the outbox, with retries over about three days.

1. Events are committed (designer/events.py), and one dispatch job queued for the transaction's
   events: `dispatch_events` creates one Delivery per enabled webhook of each event's store that
   subscribes to the event's type and was registered when the event happened (an event
   dispatched late, after an outage, does not go to endpoints added since), marks the events
   dispatched, and sends the deliveries at once (`send_deliveries`).
2. `send_deliveries` claims the due pending deliveries in the database (so a duplicate job sends
   nothing), signs each envelope (webhook-id is the event's id, the same on every attempt) and
   POSTs them concurrently, from a pool of threads that keep their connections alive
   (transport.py): each endpoint's in at most MAX_IN_FLIGHT lanes, each lane holding one of the
   endpoint's slots (slots.py: at most MAX_IN_FLIGHT attempts per endpoint across the fleet;
   without a free slot a delivery is put back for a few seconds, no attempt counted). Each
   attempt ends by WEBHOOK_TIMEOUT_S (transport.py), and a batch starts none after
   SEND_BUDGET_S, well inside the job's timeout and the claims, so every attempt is recorded
   (in one transaction for the batch). A 2xx answer succeeds; 410 Gone fails the delivery and
   disables the endpoint; anything else (another status, a timeout, a refused address) is
   retried on RETRY_SCHEDULE_S with ±10 % jitter, or after the answer's Retry-After, until the
   schedule runs out; an endpoint's failed attempt ends its lane for that batch. An endpoint
   whose attempts have all failed for DISABLE_AFTER_S is disabled. A retry, a redelivery or a
   delivery the sweep finds is a job of its own (`run_delivery`), sent the same way.
3. The database is the source of truth and Redis only carries work: `requeue_webhook_work` (a
   sweep every worker runs) queues again every event left undispatched and every pending delivery
   whose attempt is overdue, whatever was lost (Redis down at commit, a crash, a flushed queue).
"""

import json
import logging
import random
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache

import redis
from flask import current_app
from rq import Queue
from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from designer import queue
from designer.errors import Conflict
from designer.events import Event, enqueue_dispatch, envelope
from designer.extensions import after_commit, db
from designer.ids import new_id
from designer.models import utcnow
from designer.tenancy import across_stores, in_store
from designer.webhooks import slots
from designer.webhooks.models import FAILED, PENDING, SUCCEEDED, Delivery, DeliveryAttempt, Webhook
from designer.webhooks.signing import signed_headers
from designer.webhooks.transport import Outcome, post

log = logging.getLogger(__name__)

DELIVER_JOB = "worker.webhooks.deliver"
QUEUE = "webhooks"
# The waits after attempt 1, 2, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h
# (ten attempts over about 3 days and 4 hours).
RETRY_SCHEDULE_S = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
JITTER = 0.1
MAX_RETRY_AFTER_S = 86400
DISABLE_AFTER_S = 5 * 86400
STALE_AFTER_S = 60  # the sweep queues again what is this late
SWEEP_BATCH = 500
BATCH = 100  # deliveries sent at once by one dispatch job (send_deliveries)
SENDERS = 16  # threads sending a worker's deliveries concurrently
SEND_BUDGET_S = 30  # a batch starts no attempt after this long: the rest are put back
TEST_EVENT = "webhook.test"
# A delivery job outlives its attempt's deadline by this much (so the attempt is always recorded),
# and a claim and a slot outlive the job.
JOB_MARGIN_S = 60


def dispatch_events(event_ids: list[str]) -> list[str]:
    """Create the events' deliveries (create_deliveries) and send them now (send_deliveries).
    Returns the delivery ids; none for events dispatched before."""
    delivery_ids = create_deliveries(event_ids)
    stop_at = time.monotonic() + SEND_BUDGET_S
    for start in range(0, len(delivery_ids), BATCH):
        batch = delivery_ids[start : start + BATCH]
        if time.monotonic() < stop_at:
            send_deliveries(batch, stop_at)
        else:  # the job has sent for long enough: a job each for the rest
            _queue_deliveries([(delivery_id, 0) for delivery_id in batch])
    return delivery_ids


def create_deliveries(event_ids: list[str]) -> list[str]:
    """Create one Delivery per enabled webhook subscribed to each event's type (of its store,
    registered when it happened), and mark the events dispatched, in one transaction. Returns the
    delivery ids; none for an event dispatched before. Committed."""
    events = db.session.scalars(
        across_stores(
            db.select(Event)
            .where(Event.id.in_(event_ids), Event.dispatched_at.is_(None))
            .order_by(Event.created_at, Event.id)
        )
    ).all()
    if not events:
        return []
    webhooks = db.session.scalars(
        across_stores(
            db.select(Webhook).where(
                Webhook.enabled.is_(True), Webhook.store_id.in_({event.store_id for event in events})
            )
        )
    ).all()
    now = utcnow()
    deliveries = [
        _new_delivery(webhook, event, now)
        for event in events
        for webhook in webhooks
        # Only endpoints that existed when the event happened, however late it is dispatched.
        if webhook.store_id == event.store_id
        and _aware(webhook.created_at) <= _aware(event.created_at)
        and webhook.wants(event.type)
    ]
    db.session.add_all(deliveries)
    for event in events:
        event.dispatched_at = now
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another dispatcher won one of them: each event on its own then
        if len(events) == 1:
            return []
        return [delivery_id for event in events for delivery_id in create_deliveries([event.id])]
    return [delivery.id for delivery in deliveries]


def _new_delivery(webhook: Webhook, event: Event, now: datetime) -> Delivery:
    return Delivery(
        id=new_id("delivery"),
        store_id=webhook.store_id,
        webhook_id=webhook.id,
        event_id=event.id,
        event_type=event.type,
        status=PENDING,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
        updated_at=now,
    )


def run_delivery(delivery_id: str) -> str | None:
    """Send the delivery if it is pending and due, and record what came of it. Returns its
    status afterwards; None when there was nothing to do (done, not due, or another worker has
    it). Committed."""
    return send_deliveries([delivery_id]).get(delivery_id)


@dataclass
class _Attempt:
    """One claimed delivery on its way: what is sent, and what came of it (None: not sent)."""

    delivery: Delivery
    url: str
    body: bytes
    headers: dict[str, str]
    outcome: Outcome | None = None


def send_deliveries(delivery_ids: list[str], stop_at: float | None = None) -> dict[str, str]:
    """Send every one of the deliveries that is pending and due, at once, and record what came of
    each in one transaction. Returns the status afterwards of each delivery that was claimed.
    Committed.

    The claimed deliveries are sent concurrently (a pool of SENDERS threads, each with its own
    kept-alive connections, transport.py), by endpoint: each endpoint's deliveries one after the
    other in the order given, in at most MAX_IN_FLIGHT lanes, each lane holding one of its slots
    (slots.py) while it sends. An endpoint whose attempt fails gets no further attempt in this
    batch, nor do the deliveries no lane found a free slot for, nor does any after `stop_at`
    (time.monotonic(); default SEND_BUDGET_S from now): those are put back, due again in a few
    seconds, without counting an attempt. A worker killed mid-batch leaves its deliveries claimed
    until the claims end: the sweep then queues them again (at least once).
    """
    claimed = _claim(delivery_ids)
    if not claimed:
        db.session.commit()
        return {}
    rows = db.session.scalars(
        across_stores(db.select(Delivery).where(Delivery.id.in_(claimed))).execution_options(
            populate_existing=True
        )
    ).all()
    found = sorted(rows, key=lambda delivery: claimed.index(delivery.id))
    events = {
        event.id: event
        for event in db.session.scalars(
            across_stores(db.select(Event).where(Event.id.in_({delivery.event_id for delivery in found})))
        )
    }
    lanes: dict[str, list[_Attempt]] = {}
    attempts: dict[str, _Attempt] = {}
    for delivery in found:
        webhook = delivery.webhook
        if not webhook.enabled:
            delivery.status, delivery.next_attempt_at, delivery.claimed_until = FAILED, None, None
            delivery.last_error = "The endpoint is disabled"
            continue
        event = events[delivery.event_id]
        body = json.dumps(envelope(event), separators=(",", ":"), ensure_ascii=False).encode()
        headers = signed_headers(signing_secrets(webhook), event.id, int(time.time()), body)
        attempts[delivery.id] = _Attempt(delivery, webhook.url, body, headers)
        lanes.setdefault(webhook.id, []).append(attempts[delivery.id])
    db.session.commit()  # no transaction is held open while the requests are out
    _send_all(lanes, time.monotonic() + SEND_BUDGET_S if stop_at is None else stop_at)
    # The commit expired them: read again in two queries, rather than one a delivery as each is touched.
    db.session.scalars(
        across_stores(db.select(Delivery).where(Delivery.id.in_(attempts))).options(
            selectinload(Delivery.webhook)
        )
    ).all()
    for attempt in attempts.values():
        if attempt.outcome is None:
            _put_back(attempt.delivery)
        else:
            _record(attempt.delivery, attempt.delivery.webhook, attempt.outcome)
    db.session.commit()
    return {delivery.id: delivery.status for delivery in found}


def _send_all(lanes: dict[str, list[_Attempt]], stop_at: float) -> None:
    """Send each endpoint's attempts (see send_deliveries), filling in their outcomes."""
    config = current_app.config
    options = {
        "connect_timeout_s": config["WEBHOOK_CONNECT_TIMEOUT_S"],
        "total_timeout_s": config["WEBHOOK_TIMEOUT_S"],
        "allow_loopback": config["WEBHOOKS_ALLOW_LOOPBACK"],
    }
    connection = queue.connection()
    lease_s = _hold_s()

    def run_lane(webhook_id: str, waiting: deque[_Attempt], stopped: threading.Event) -> None:
        # One slot for the lane's attempts, one after the other: its lease outlasts the batch.
        try:
            slot = slots.take(connection, webhook_id, lease_s=lease_s)
        except redis.RedisError:
            log.warning("could not take a slot of endpoint %s", webhook_id, exc_info=True)
            return
        if slot is None:
            return  # every slot is busy elsewhere: what this lane would send waits a few seconds
        try:
            while waiting and not stopped.is_set() and time.monotonic() < stop_at:
                attempt = waiting.popleft()
                attempt.outcome = post(attempt.url, attempt.body, attempt.headers, **options)
                if not attempt.outcome.succeeded:
                    stopped.set()  # no further attempt to a failing endpoint in this batch
        finally:
            try:
                slots.release(connection, webhook_id, slot)
            except redis.RedisError:
                log.warning("could not give back a slot of endpoint %s", webhook_id, exc_info=True)

    runs = []
    for webhook_id, attempts in lanes.items():
        waiting, stopped = deque(attempts), threading.Event()
        runs += [(webhook_id, waiting, stopped)] * min(slots.MAX_IN_FLIGHT, len(attempts))
    if not runs:
        return
    # Every lane but the last on the pool's threads; the last on this one (one delivery: no handoff).
    futures = [_senders().submit(run_lane, *run) for run in runs[:-1]]
    run_lane(*runs[-1])
    for future in futures:
        future.result()


@cache
def _senders() -> ThreadPoolExecutor:
    """The process's sending threads, made on first use (by a worker: web requests never send)."""
    return ThreadPoolExecutor(SENDERS, thread_name_prefix="webhook-sender")


def _put_back(delivery: Delivery) -> None:
    """Unclaim the delivery without counting an attempt, due again in a few seconds (when its
    endpoint may have a free slot). Not committed: queued once committed."""
    delivery.claimed_until = None
    delay_s = slots.WAIT_S * random.uniform(1, 1.5)
    delivery.next_attempt_at = utcnow() + timedelta(seconds=delay_s)
    queue_after_commit(delivery.id, delay_s)


def delivery_job_timeout_s() -> int:
    """The RQ timeout of a delivery job: its attempt's deadline and a comfortable margin, so the
    attempt always ends (and is recorded) before RQ would kill the job."""
    return int(current_app.config["WEBHOOK_TIMEOUT_S"]) + 1 + JOB_MARGIN_S


def _hold_s() -> float:
    # How long a claim and a slot are held: longer than the job may run.
    return delivery_job_timeout_s() + 15


def _claim(delivery_ids: list[str]) -> list[str]:
    """Claim those of the deliveries that are pending, due and unclaimed, in one statement: each
    is marked with the same claim's end, to the microsecond this batch's own (randomised), by
    which the batch finds what it claimed. Returns their ids, in the order given. Not committed."""
    now = utcnow()
    until = now + timedelta(seconds=_hold_s(), microseconds=random.randrange(1_000_000))
    db.session.execute(
        across_stores(
            update(Delivery)
            .where(
                Delivery.id.in_(delivery_ids),
                Delivery.status == PENDING,
                Delivery.next_attempt_at <= now + timedelta(seconds=1),
                or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
            )
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
    )
    claimed = set(
        db.session.scalars(
            across_stores(
                db.select(Delivery.id).where(Delivery.id.in_(delivery_ids), Delivery.claimed_until == until)
            )
        )
    )
    return [delivery_id for delivery_id in delivery_ids if delivery_id in claimed]


def signing_secrets(webhook: Webhook) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during its 24 h overlap."""
    expires = webhook.previous_secret_expires_at
    if webhook.previous_secret and expires is not None and _aware(expires) > utcnow():
        return [webhook.secret, webhook.previous_secret]
    return [webhook.secret]


def _record(delivery: Delivery, webhook: Webhook, outcome: Outcome) -> None:
    now = utcnow()
    delivery.attempts += 1
    delivery.claimed_until = None
    delivery.last_status_code = outcome.status_code
    delivery.last_duration_ms = outcome.duration_ms
    delivery.last_error = outcome.error or (
        None if outcome.succeeded else f"The endpoint answered HTTP {outcome.status_code}"
    )
    if outcome.succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = SUCCEEDED, now, None
        webhook.failing_since = None
    elif outcome.status_code == 410:
        delivery.status, delivery.next_attempt_at = FAILED, None
        disable(webhook, "The endpoint answered 410 Gone")
    else:
        webhook.failing_since = webhook.failing_since or now
        if now - _aware(webhook.failing_since) >= timedelta(seconds=DISABLE_AFTER_S):
            delivery.status, delivery.next_attempt_at = FAILED, None
            disable(webhook, "Every delivery failed for 5 days")
        elif delivery.attempts > len(RETRY_SCHEDULE_S):
            delivery.status, delivery.next_attempt_at = FAILED, None
        else:
            delay_s = retry_delay_s(delivery.attempts, outcome.retry_after)
            delivery.next_attempt_at = now + timedelta(seconds=delay_s)
            queue_after_commit(delivery.id, delay_s)
    db.session.add(
        DeliveryAttempt(
            delivery_id=delivery.id,
            attempt=delivery.attempts,
            status_code=outcome.status_code,
            duration_ms=outcome.duration_ms,
            error=delivery.last_error,
            next_attempt_at=delivery.next_attempt_at,
            created_at=now,
        )
    )


def retry_delay_s(attempts: int, retry_after: str | None = None) -> float:
    """How long to wait after `attempts` failed attempts: the answer's Retry-After when it gave
    one (capped at a day), else the schedule's wait with ±10 % jitter."""
    asked_s = _retry_after_s(retry_after)
    if asked_s is not None:
        return min(max(asked_s, 1.0), MAX_RETRY_AFTER_S)
    scheduled_s = RETRY_SCHEDULE_S[min(attempts, len(RETRY_SCHEDULE_S)) - 1]
    return scheduled_s * random.uniform(1 - JITTER, 1 + JITTER)


def _retry_after_s(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return (_aware(moment) - utcnow()).total_seconds()


def disable(webhook: Webhook, reason: str) -> None:
    """Disable the endpoint, saying why, and fail its pending deliveries (redelivery can send
    them again once it is enabled). Not committed."""
    webhook.enabled, webhook.disabled_reason, webhook.disabled_at = False, reason, utcnow()
    db.session.execute(
        in_store(
            update(Delivery)
            .where(Delivery.webhook_id == webhook.id, Delivery.status == PENDING)
            .values(status=FAILED, next_attempt_at=None, last_error=f"The endpoint was disabled: {reason}")
            .execution_options(synchronize_session=False),
            webhook.store_id,
        )
    )


def redeliver(delivery: Delivery) -> Delivery:
    """Send the delivery again now (a new attempt, the same webhook-id).

    Raises Conflict when its webhook is disabled. Not committed: queued once committed."""
    if not delivery.webhook.enabled:
        raise Conflict("The webhook is disabled: enable it before redelivering", field="enabled")
    delivery.status, delivery.next_attempt_at, delivery.claimed_until = PENDING, utcnow(), None
    queue_after_commit(delivery.id)
    return delivery


def redeliver_failed(webhook: Webhook, since: datetime) -> list[Delivery]:
    """Send again every failed delivery of the webhook created at or after `since`.

    Raises Conflict when the webhook is disabled. Not committed."""
    since = _aware(since)  # a form's datetime-local has no zone: it is UTC
    failed = db.session.scalars(
        in_store(
            db.select(Delivery).where(
                Delivery.webhook_id == webhook.id, Delivery.status == FAILED, Delivery.created_at >= since
            ),
            webhook.store_id,
        ).order_by(Delivery.created_at)
    ).all()
    return [redeliver(delivery) for delivery in failed]


def send_test_event(webhook: Webhook) -> Delivery:
    """A `webhook.test` event delivered to this webhook only. Not committed."""
    now = utcnow()
    event = Event(
        id=new_id("event"),
        store_id=webhook.store_id,
        type=TEST_EVENT,
        data={"webhookId": webhook.id, "message": "A test event sent from Presswork"},
        created_at=now,
        dispatched_at=now,  # it goes to this webhook only, never through the dispatcher
    )
    db.session.add(event)
    delivery = _new_delivery(webhook, event, now)
    delivery.webhook = webhook
    db.session.add(delivery)
    queue_after_commit(delivery.id)
    return delivery


def requeue_webhook_work(stale_after_s: float = STALE_AFTER_S) -> tuple[int, int]:
    """Queue again the dispatch of every event undispatched for `stale_after_s`, and every pending
    delivery overdue by as much (neither claimed by a worker). Returns how many of each.

    A sweep (designer/sweeps.py): the workers run it every SWEEP_INTERVAL_S.
    """
    now = utcnow()
    cutoff = now - timedelta(seconds=stale_after_s)
    event_ids = db.session.scalars(
        across_stores(
            db.select(Event.id)
            .where(Event.dispatched_at.is_(None), Event.created_at <= cutoff)
            .order_by(Event.created_at)
            .limit(SWEEP_BATCH)
        )
    ).all()
    delivery_ids = db.session.scalars(
        across_stores(
            db.select(Delivery.id)
            .where(
                Delivery.status == PENDING,
                Delivery.next_attempt_at <= cutoff,
                or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
            )
            .order_by(Delivery.next_attempt_at)
            .limit(SWEEP_BATCH)
        )
    ).all()
    db.session.rollback()
    enqueue_dispatch(list(event_ids))
    for delivery_id in delivery_ids:
        enqueue_delivery(delivery_id)
    if event_ids or delivery_ids:
        log.warning(
            "queued again %d undispatched events and %d overdue deliveries", len(event_ids), len(delivery_ids)
        )
    return len(event_ids), len(delivery_ids)


def enqueue_delivery(delivery_id: str, delay_s: float = 0) -> None:
    """Queue the delivery's job, now or in `delay_s` (RQ's scheduler, which every worker runs)."""
    webhooks_queue = Queue(QUEUE, connection=queue.connection())
    options = {
        "job_timeout": delivery_job_timeout_s(),
        "result_ttl": 600,
        "failure_ttl": 86400,
    }
    if delay_s > 0:
        webhooks_queue.enqueue_in(timedelta(seconds=delay_s), DELIVER_JOB, delivery_id, **options)
    else:
        webhooks_queue.enqueue(DELIVER_JOB, delivery_id, **options)


def queue_after_commit(delivery_id: str, delay_s: float = 0) -> None:
    after_commit(_queue_deliveries, (delivery_id, delay_s))


def _queue_deliveries(deliveries: list[tuple[str, float]]) -> None:
    for delivery_id, delay_s in deliveries:
        try:
            enqueue_delivery(delivery_id, delay_s)
        except redis.RedisError:
            # The delivery stays pending in the database: the sweep queues it again.
            log.warning("could not queue delivery %s", delivery_id, exc_info=True)


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes (stored in UTC).
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
