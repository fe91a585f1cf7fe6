"""The webhook tables: endpoints, one delivery per endpoint and event, one row per attempt."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped, utcnow

ALL_EVENTS = "*"
# PrintCart's webhook topics (printcart/topics.py) repeat the events in its dialect's shape: only
# a webhook that names one gets it, "*" does not.
PRINTCART_EVENTS = "printcart."

# A delivery is pending until an attempt succeeds, or it is failed: gave up after the last
# retry, the endpoint answered 410, or the endpoint was disabled. Redelivery makes it pending again.
PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
DELIVERY_STATUSES = (PENDING, SUCCEEDED, FAILED)


class Webhook(StoreOwned, Timestamped, db.Model):
    """An endpoint a store's events are sent to, signed with its secret (Standard Webhooks)."""

    __tablename__ = "webhooks"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("webhook"))
    url: Mapped[str] = mapped_column(String(2048))
    # Event types, or ["*"] for every type.
    events: Mapped[list] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # Kept readable (not hashed): every delivery is signed with it.
    secret: Mapped[str] = mapped_column(String(64))
    # After a rotation the old secret signs too until it expires, so receivers can switch over.
    previous_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    previous_secret_expires_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(255), nullable=True)
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # When the current run of failed attempts began (None after a success): five days of it
    # disable the endpoint.
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    def wants(self, event_type: str) -> bool:
        if event_type in self.events:
            return True
        return ALL_EVENTS in self.events and not event_type.startswith(PRINTCART_EVENTS)


class Delivery(StoreOwned, Timestamped, db.Model):
    """One event sent to one webhook: its state, and when the next attempt is due."""

    __tablename__ = "webhook_deliveries"
    # One delivery per endpoint and event, held by the database: two dispatchers of the same
    # event cannot both create it.
    __table_args__ = (UniqueConstraint("webhook_id", "event_id", name="uq_webhook_deliveries_event"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("delivery"))
    webhook_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(32), ForeignKey("events.id", ondelete="CASCADE"), index=True)
    event_type: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True, index=True
    )
    # A worker sending it holds it until then; another worker (a duplicate job) leaves it alone.
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    webhook: Mapped[Webhook] = relationship()
    attempt_log: Mapped[list["DeliveryAttempt"]] = relationship(
        order_by="DeliveryAttempt.attempt.desc()", cascade="all, delete-orphan", passive_deletes=True
    )


class DeliveryAttempt(db.Model):
    """One HTTP request of a delivery: what came back and how long it took."""

    __tablename__ = "webhook_delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int] = mapped_column(Integer)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # When the delivery was due again after this attempt (None: it succeeded or gave up).
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
