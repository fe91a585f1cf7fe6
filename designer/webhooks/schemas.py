"""Request and response schemas of the webhooks API (camelCase on the wire)."""

from typing import Literal

from pydantic import Field, field_validator

from designer.api.schemas import ListQuery, Out, Page, Schema, StoreId, Timestamp
from designer.webhooks.models import ALL_EVENTS, DELIVERY_STATUSES, PRINTCART_EVENTS

# The event types a webhook may subscribe to ("*": all of them, and any added later).
EVENT_TYPES = (
    "order.created",
    "order.updated",
    "production.status_changed",
    "design.created",
    "design.updated",
    "design.deleted",
    "design.completed",
    "design.rendered",
    "proof.approved",
    "batch.completed",
    "project.created",
    "project.updated",
    "project.deleted",
    "product.created",
    "product.updated",
    "product.deleted",
    "side.created",
    "side.updated",
    "side.deleted",
    "template.created",
    "template.updated",
    "template.deleted",
    "file.preflight_failed",
)
# PrintCart's webhook topics and events, as its document names them: a change to a topic's
# resource (POST, PUT, DELETE), or a batch operation's changes together (… BATCH), the resources in
# PrintCart's shape. Each is the event type "printcart.<topic>.<event>".
PRINTCART_TOPICS = ("projects", "products", "designs", "templates", "sides")
PRINTCART_ACTIONS = ("POST", "PUT", "DELETE", "POST BATCH", "PUT BATCH", "DELETE BATCH")
PRINTCART_EVENT_TYPES = tuple(
    f"{PRINTCART_EVENTS}{topic}.{action}" for topic in PRINTCART_TOPICS for action in PRINTCART_ACTIONS
)
KNOWN_EVENT_TYPES = EVENT_TYPES + PRINTCART_EVENT_TYPES

DeliveryStatus = Literal["pending", "succeeded", "failed"]
assert set(DeliveryStatus.__args__) == set(DELIVERY_STATUSES)

Url = Field(min_length=1, max_length=2048, description="An http(s) URL at a public address")
Events = Field(
    min_length=1,
    max_length=len(KNOWN_EVENT_TYPES),
    description=f'Event types to send ({", ".join(EVENT_TYPES)}), or ["{ALL_EVENTS}"] for every type; '
    'PrintCart\'s topics are "printcart.<topic>.<event>" (projects, products, designs, templates or '
    'sides; POST, PUT, DELETE, POST BATCH, PUT BATCH or DELETE BATCH), which "*" does not send',
)


def _known_events(events: list[str] | None) -> list[str] | None:
    if events is None:
        return None
    events = list(dict.fromkeys(event.strip() for event in events))
    # "*" beside named types would read as a narrower subscription than it is.
    if ALL_EVENTS in events and len(events) > 1:
        raise ValueError(
            f'cannot hold "{ALL_EVENTS}" beside named event types: "{ALL_EVENTS}" sends every event'
        )
    if events == [ALL_EVENTS]:
        return events
    unknown = [event for event in events if event not in KNOWN_EVENT_TYPES]
    if unknown:
        raise ValueError(
            f"unknown event type '{unknown[0]}' (known: {', '.join(EVENT_TYPES)}, "
            f"{PRINTCART_EVENTS}<topic>.<event>, or *)"
        )
    return events


class WebhookCreate(Schema):
    url: str = Url
    events: list[str] = Events
    description: str | None = Field(None, max_length=255)
    enabled: bool = True

    @field_validator("events")
    @classmethod
    def _known(cls, events: list[str] | None) -> list[str] | None:
        return _known_events(events)


class WebhookUpdate(Schema):
    url: str | None = Field(None, min_length=1, max_length=2048)
    events: list[str] | None = Field(None, min_length=1, max_length=len(KNOWN_EVENT_TYPES))
    description: str | None = Field(None, max_length=255)
    enabled: bool | None = Field(None, description="false disables the endpoint; true enables it again")

    @field_validator("events")
    @classmethod
    def _known(cls, events: list[str] | None) -> list[str] | None:
        return _known_events(events)


class WebhookOut(Out):
    id: str
    url: str
    events: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None = Field(
        description="Why the endpoint was disabled (410 Gone, 5 days failing, by hand)"
    )
    disabled_at: Timestamp | None
    failing_since: Timestamp | None = Field(description="When its current run of failed attempts began")
    previous_secret_expires_at: Timestamp | None = Field(
        description="Until then the secret before the last rotation signs too"
    )
    created_at: Timestamp
    updated_at: Timestamp


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_…): shown once")


class SecretRotated(Schema):
    id: str
    secret: str = Field(description="The new signing secret (whsec_…): shown once")
    previous_secret_expires_at: Timestamp = Field(description="Until then the old secret signs too")


class WebhookPage(Page[WebhookOut]):
    pass


class WebhookListQuery(ListQuery):
    store_id: StoreId = None
    enabled: bool | None = Field(None, description="Only enabled (true) or disabled (false) endpoints")


class AttemptOut(Out):
    attempt: int
    status_code: int | None
    duration_ms: int
    error: str | None
    next_attempt_at: Timestamp | None
    created_at: Timestamp


class DeliveryOut(Out):
    id: str
    webhook_id: str
    event_id: str = Field(description="Also the webhook-id header: the same on every attempt")
    event_type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None
    last_duration_ms: int | None
    last_error: str | None
    next_attempt_at: Timestamp | None
    delivered_at: Timestamp | None
    created_at: Timestamp
    attempt_log: list[AttemptOut] = Field(description="Every attempt, the latest first")


class DeliveryPage(Page[DeliveryOut]):
    pass


class DeliveryListQuery(ListQuery):
    store_id: StoreId = None
    status: DeliveryStatus | None = None
    event_type: str | None = Field(None, max_length=64)


class RedeliverFailed(Schema):
    since: Timestamp = Field(description="Send again every failed delivery created at or after this time")


class Redelivered(Schema):
    count: int
    data: list[DeliveryOut]
