"""Webhooks and deliveries as the API shows them."""

from designer.api.schemas import out_of
from designer.webhooks.models import Delivery, Webhook
from designer.webhooks.schemas import AttemptOut, DeliveryOut, WebhookOut


def webhook_out(webhook: Webhook) -> WebhookOut:
    return WebhookOut.model_validate(webhook)


def delivery_out(delivery: Delivery) -> DeliveryOut:
    attempt_log = [AttemptOut.model_validate(attempt) for attempt in delivery.attempt_log]
    return out_of(DeliveryOut, delivery, attempt_log=attempt_log)
