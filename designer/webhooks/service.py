"""Webhook endpoints: register, find, list, update, rotate the secret, delete; and their deliveries."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import Select

from designer.errors import NotFound, ValidationFailed
from designer.extensions import db
from designer.ids import new_id
from designer.models import utcnow
from designer.tenancy import get_in_store, in_store
from designer.webhooks.addresses import RefusedAddress, check_url
from designer.webhooks.deliveries import disable
from designer.webhooks.models import Delivery, Webhook
from designer.webhooks.schemas import DeliveryListQuery, WebhookCreate, WebhookListQuery, WebhookUpdate
from designer.webhooks.signing import new_secret

ROTATION_OVERLAP = timedelta(hours=24)


def checked_url(url: str) -> str:
    """The URL, stripped, when webhooks may be sent to it. Raises ValidationFailed naming `url`."""
    url = url.strip()
    try:
        check_url(url, allow_loopback=current_app.config["WEBHOOKS_ALLOW_LOOPBACK"])
    except RefusedAddress as error:
        raise ValidationFailed(f"Field 'url': {error}", field="url") from None
    return url


def create_webhook(store_id: str, fields: WebhookCreate) -> Webhook:
    """Register an endpoint with a new secret. Raises ValidationFailed for a refused URL. Not committed."""
    webhook = Webhook(
        id=new_id("webhook"),
        store_id=store_id,
        url=checked_url(fields.url),
        events=fields.events,
        description=fields.description,
        secret=new_secret(),
        enabled=fields.enabled,
        disabled_reason=None if fields.enabled else "Disabled by hand",
        disabled_at=None if fields.enabled else utcnow(),
    )
    db.session.add(webhook)
    db.session.flush()
    return webhook


def find_webhook(store_id: str, webhook_id: str) -> Webhook:
    """The store's webhook. Raises NotFound (another store's is not found either)."""
    return get_in_store(Webhook, webhook_id, store_id)


def webhooks_query(store_id: str, query: WebhookListQuery) -> Select:
    statement = db.select(Webhook)
    if query.enabled is not None:
        statement = statement.where(Webhook.enabled.is_(query.enabled))
    return in_store(statement, store_id)


def subscribed(store_id: str, event_type: str) -> bool:
    """Whether an enabled webhook of the store wants events of `event_type`."""
    statement = in_store(db.select(Webhook).where(Webhook.enabled.is_(True)), store_id)
    return any(webhook.wants(event_type) for webhook in db.session.scalars(statement))


def update_webhook(webhook: Webhook, fields: WebhookUpdate) -> Webhook:
    """Change the URL, events, description, or enable/disable it (enabling clears the disabled
    notice and the failure streak). Raises ValidationFailed for a refused URL. Not committed."""
    given = fields.model_fields_set
    if "url" in given and fields.url is not None:
        webhook.url = checked_url(fields.url)
    if "events" in given and fields.events is not None:
        webhook.events = fields.events
    if "description" in given:
        webhook.description = fields.description
    if "enabled" in given and fields.enabled is not None and fields.enabled != webhook.enabled:
        if fields.enabled:
            webhook.enabled, webhook.disabled_reason, webhook.disabled_at = True, None, None
            webhook.failing_since = None
        else:
            disable(webhook, "Disabled by hand")
    webhook.updated_at = utcnow()
    db.session.flush()
    return webhook


def rotate_secret(webhook: Webhook) -> str:
    """A new secret for the webhook; the old one keeps signing (beside it) for 24 hours.
    Returns the new secret. Not committed."""
    webhook.previous_secret = webhook.secret
    webhook.previous_secret_expires_at = utcnow() + ROTATION_OVERLAP
    webhook.secret = new_secret()
    webhook.updated_at = utcnow()
    db.session.flush()
    return webhook.secret


def delete_webhook(webhook: Webhook) -> None:
    """Delete the endpoint and its delivery log. Not committed."""
    db.session.delete(webhook)
    db.session.flush()


def deliveries_query(webhook: Webhook, query: DeliveryListQuery) -> Select:
    statement = db.select(Delivery).where(Delivery.webhook_id == webhook.id)
    if query.status is not None:
        statement = statement.where(Delivery.status == query.status)
    if query.event_type is not None:
        statement = statement.where(Delivery.event_type == query.event_type)
    return in_store(statement, webhook.store_id)


def find_delivery(webhook: Webhook, delivery_id: str) -> Delivery:
    """One delivery of the webhook. Raises NotFound."""
    delivery = get_in_store(Delivery, delivery_id, webhook.store_id)
    if delivery.webhook_id != webhook.id:
        raise NotFound(f"No delivery with id '{delivery_id}'")
    return delivery
