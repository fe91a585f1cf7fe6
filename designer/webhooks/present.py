"""Webhooks and deliveries as the API shows them."""

from designer.webhooks.models import Delivery, Webhook
from designer.webhooks.schemas import AttemptOut, DeliveryOut, WebhookOut


def webhook_out(webhook: Webhook) -> WebhookOut:
    return WebhookOut.model_validate(webhook)


def delivery_out(delivery: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        webhook_id=delivery.webhook_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        status=delivery.status,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        last_duration_ms=delivery.last_duration_ms,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
        attempt_log=[AttemptOut.model_validate(attempt) for attempt in delivery.attempt_log],
    )
