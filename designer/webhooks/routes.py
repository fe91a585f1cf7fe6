"""/api/v1 routes for webhooks and their delivery log (also the dashboard's htmx actions).

Every route takes a secret token with the `webhooks` scope (or `full`), or the account (which
names the store: api/store_scope.py). The signing secret is answered once: when the webhook is
registered and when it is rotated.
"""

from flask import request, url_for

from designer.api.auth import MERCHANTS
from designer.api.pagination import paginate
from designer.api.resource import Resource
from designer.api.respond import respond
from designer.api.schemas import Deleted, StoreQuery
from designer.api.store_scope import store_id_of
from designer.webhooks import deliveries, service
from designer.webhooks.models import Delivery, Webhook
from designer.webhooks.present import delivery_out, webhook_out
from designer.webhooks.schemas import (
    DeliveryListQuery,
    DeliveryOut,
    DeliveryPage,
    Redelivered,
    RedeliverFailed,
    SecretRotated,
    WebhookCreate,
    WebhookCreated,
    WebhookListQuery,
    WebhookOut,
    WebhookPage,
    WebhookUpdate,
)

PARTIALS = "dashboard/webhooks/"  # the pages too
WEBHOOK_SORTS = {"createdAt": Webhook.created_at, "url": Webhook.url}
DELIVERY_SORTS = {"createdAt": Delivery.created_at}

webhooks = Resource(
    "/webhooks", id_name="webhook_id", find=service.find_webhook, out=webhook_out, page=WebhookPage
)


@webhooks.route("GET", auth=MERCHANTS, response=WebhookPage)
def list_webhooks(caller, query: WebhookListQuery):
    """List webhooks"""
    statement = service.webhooks_query(store_id_of(caller), query)
    rows, has_more, cursor = paginate(statement, Webhook, query, WEBHOOK_SORTS)
    return respond(
        WebhookPage.of_rows(webhook_out, rows, has_more, cursor),
        partial=PARTIALS + "_webhook_rows.html",
        page=PARTIALS + "list.html",
        webhooks=rows,
    )


@webhooks.route(
    "POST", auth=MERCHANTS, response=WebhookCreated, status=201, form=PARTIALS + "_webhook_form.html"
)
def create_webhook(caller, query: StoreQuery, body: WebhookCreate):
    """Register a webhook (URL and event types); answers its signing secret, once"""
    webhook = service.create_webhook(store_id_of(caller), body)
    created = WebhookCreated(**webhook_out(webhook).model_dump(), secret=webhook.secret)
    return respond(created, status=201, partial=PARTIALS + "_webhook_created.html", webhook=webhook)


webhooks.get("get_webhook", "Get a webhook", auth=MERCHANTS)


@webhooks.route(
    "PATCH /<webhook_id>", auth=MERCHANTS, response=WebhookOut, form=PARTIALS + "_webhook_settings_form.html"
)
def update_webhook(caller, webhook_id: str, query: StoreQuery, body: WebhookUpdate):
    """Update a webhook: URL, events, description; enable or disable it"""
    webhook = service.update_webhook(service.find_webhook(store_id_of(caller), webhook_id), body)
    return respond(webhook_out(webhook), partial=PARTIALS + "_webhook_saved.html", webhook=webhook)


@webhooks.route("DELETE /<webhook_id>", auth=MERCHANTS, response=Deleted)
def delete_webhook(caller, webhook_id: str, query: StoreQuery):
    """Delete a webhook and its delivery log"""
    store_id = store_id_of(caller)
    webhook = service.find_webhook(store_id, webhook_id)
    service.delete_webhook(webhook)
    response = respond(Deleted(id=webhook_id), partial="dashboard/_empty.html")
    if request.htmx:  # the webhook's page is gone: back to the list
        response.headers["HX-Redirect"] = url_for("dashboard.webhooks", store_id=store_id)
    return response


@webhooks.route("POST /<webhook_id>/rotate-secret", auth=MERCHANTS, response=SecretRotated)
def rotate_webhook_secret(caller, webhook_id: str, query: StoreQuery):
    """Rotate the signing secret; the old one signs too for 24 hours"""
    webhook = service.find_webhook(store_id_of(caller), webhook_id)
    secret = service.rotate_secret(webhook)
    rotated = SecretRotated(
        id=webhook.id, secret=secret, previous_secret_expires_at=webhook.previous_secret_expires_at
    )
    return respond(rotated, partial=PARTIALS + "_webhook_secret.html", webhook=webhook)


@webhooks.route("POST /<webhook_id>/test", auth=MERCHANTS, response=DeliveryOut, status=202)
def test_webhook(caller, webhook_id: str, query: StoreQuery):
    """Send a webhook.test event to this webhook"""
    delivery = deliveries.send_test_event(service.find_webhook(store_id_of(caller), webhook_id))
    return respond(
        delivery_out(delivery), status=202, partial=PARTIALS + "_delivery_sent.html", delivery=delivery
    )


@webhooks.route("GET /<webhook_id>/deliveries", auth=MERCHANTS, response=DeliveryPage)
def list_webhook_deliveries(caller, webhook_id: str, query: DeliveryListQuery):
    """The webhook's delivery log: each event sent, its attempts, status codes and next retry"""
    webhook = service.find_webhook(store_id_of(caller), webhook_id)
    rows, has_more, cursor = paginate(
        service.deliveries_query(webhook, query), Delivery, query, DELIVERY_SORTS
    )
    return respond(
        DeliveryPage.of_rows(delivery_out, rows, has_more, cursor),
        partial=PARTIALS + "_delivery_rows.html",
        page=PARTIALS + "webhook.html",
        webhook=webhook,
        query=query,
        deliveries=rows,
        has_more=has_more,
        next_cursor=cursor,
    )


@webhooks.route("GET /<webhook_id>/deliveries/<delivery_id>", auth=MERCHANTS, response=DeliveryOut)
def get_webhook_delivery(caller, webhook_id: str, delivery_id: str, query: StoreQuery):
    """Get one delivery with its attempts"""
    webhook = service.find_webhook(store_id_of(caller), webhook_id)
    return respond(delivery_out(service.find_delivery(webhook, delivery_id)))


@webhooks.route(
    "POST /<webhook_id>/deliveries/<delivery_id>/redeliver", auth=MERCHANTS, response=DeliveryOut, status=202
)
def redeliver_webhook_delivery(caller, webhook_id: str, delivery_id: str, query: StoreQuery):
    """Send one delivery again now (the same webhook-id)"""
    webhook = service.find_webhook(store_id_of(caller), webhook_id)
    delivery = deliveries.redeliver(service.find_delivery(webhook, delivery_id))
    return respond(
        delivery_out(delivery), status=202, partial=PARTIALS + "_delivery_row.html", delivery=delivery
    )


@webhooks.route(
    "POST /<webhook_id>/redeliver",
    auth=MERCHANTS,
    response=Redelivered,
    status=202,
    form=PARTIALS + "_redeliver_form.html",
)
def redeliver_failed_webhook_deliveries(caller, webhook_id: str, query: StoreQuery, body: RedeliverFailed):
    """Send again every failed delivery created since a time"""
    webhook = service.find_webhook(store_id_of(caller), webhook_id)
    sent = deliveries.redeliver_failed(webhook, body.since)
    out = Redelivered(count=len(sent), data=[delivery_out(delivery) for delivery in sent])
    return respond(out, status=202, partial=PARTIALS + "_redelivered.html", webhook=webhook)
