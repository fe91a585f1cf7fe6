"""The events outbox: every state change that others must hear about writes an event row in the
same transaction as the change, so an event exists exactly when its change was committed.

Webhook workers deliver from this table; nothing is lost while Redis is down. Once the
transaction that recorded events commits, one dispatch job is queued for them (on the 'webhooks'
queue): it creates their deliveries, one per subscribed webhook, marks the events dispatched
(`dispatched_at`) and sends the deliveries. When the job cannot be queued (Redis down, a crash between the
commit and the enqueue), the event stays undispatched and the webhooks sweep queues it again
(designer/webhooks/deliveries.py).

A room that sends the same changes in another shape (PrintCart's webhook topics,
printcart/topics.py) `listen`s: it hears of each event as it is recorded, in the same transaction,
and of the events of a batch operation (batch_operations.py) together, once every item of it is done.
"""

import logging
from collections.abc import Callable
from datetime import datetime

import redis
from rq import Queue
from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from designer import batch_operations, queue
from designer.api.schemas import Schema, Timestamp
from designer.extensions import after_commit, db
from designer.ids import new_id
from designer.models import StoreOwned, utcnow

log = logging.getLogger(__name__)

DISPATCH_JOB = "worker.webhooks.dispatch"

# A listener gets the events just recorded, and whether they are a batch operation's.
Listener = Callable[[list["Event"], bool], None]
_listeners: list[Listener] = []


class Event(StoreOwned, db.Model):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("event"))
    type: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # When its webhook deliveries were created (None: not yet, the dispatcher or the sweep will).
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)


class Envelope(Schema):
    """What a webhook receiver gets: `{"id": "evt_…", "type": …, "createdAt": …, "data": {…}}`."""

    id: str
    type: str
    created_at: Timestamp
    data: dict


def record_event(store_id: str, type: str, data: dict) -> Event:
    """Add an event to the current transaction; it is committed (or not) with the change, and
    dispatched to the store's webhooks once committed."""
    event = Event(id=new_id("event"), store_id=store_id, type=type, data=data, created_at=utcnow())
    db.session.add(event)
    after_commit(_dispatch_committed, event.id)
    if not batch_operations.kept(event):
        _tell([event], batch=False)
    return event


def listen(listener: Listener) -> None:
    """Have `listener` hear of the events recorded from now on (once, however often asked)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _tell(events: list[Event], batch: bool) -> None:
    for listener in _listeners:
        listener(events, batch)


batch_operations.when_closed(lambda events: _tell(events, batch=True))


def delete_recorded(row: StoreOwned, type: str, shown: Schema) -> None:
    """Delete `row` and record the event `type` with `shown`, the row as the API showed it
    (taken before the delete, which may clear what it refers to)."""
    data = shown.to_json()
    db.session.delete(row)
    db.session.flush()
    record_event(row.store_id, type, data)


def envelope(event: Event) -> dict:
    return Envelope.model_validate(event).to_json()


def enqueue_dispatch(event_ids: list[str]) -> None:
    """Queue one dispatch job for the events (a transaction's, or a sweep's): it delivers them all
    at once. Raises redis.RedisError when Redis does not answer."""
    if not event_ids:
        return
    webhooks_queue = Queue("webhooks", connection=queue.connection())
    webhooks_queue.enqueue(DISPATCH_JOB, list(event_ids), result_ttl=600, failure_ttl=86400)


def _dispatch_committed(event_ids: list[str]) -> None:
    try:
        enqueue_dispatch(event_ids)
    except redis.RedisError:
        # The events are committed and undispatched: the webhooks sweep queues them again.
        log.warning("could not queue the dispatch of %d events", len(event_ids), exc_info=True)
    except RuntimeError:
        pass  # no app context (a script committing on its own): the sweep dispatches them
