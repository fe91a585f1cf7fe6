"""The events outbox: every state change that others must hear about writes an event row in the
same transaction as the change, so an event exists exactly when its change was committed.
The webhook workers deliver from this table; nothing is lost while Redis is down."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from designer.api.schemas import Schema, Timestamp
from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, utcnow


class Event(StoreOwned, db.Model):
    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("event"))
    type: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class Envelope(Schema):
    """What a webhook receiver gets: `{"id": "evt_…", "type": …, "createdAt": …, "data": {…}}`."""

    id: str
    type: str
    created_at: Timestamp
    data: dict


def record_event(store_id: str, type: str, data: dict) -> Event:
    """Add an event to the current transaction; it is committed (or not) with the change."""
    event = Event(id=new_id("event"), store_id=store_id, type=type, data=data, created_at=utcnow())
    db.session.add(event)
    return event


def envelope(event: Event) -> dict:
    return Envelope.model_validate(event).to_json()
