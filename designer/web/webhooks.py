"""Dashboard pages for webhooks: the list with a form for a new one, and one webhook's page
(settings, enable/disable, secret rotation, a test event, the delivery log and redelivery).

Their actions are htmx requests to the /api/v1/webhooks routes (designer/webhooks/api.py), which
answer with the partials in templates/dashboard/webhooks/.
"""

from flask import render_template, request
from flask_login import login_required

from designer.api.operations import parse
from designer.api.pagination import paginate
from designer.web.dashboard import account_store, blueprint
from designer.webhooks import services
from designer.webhooks.api import DELIVERY_SORTS, WEBHOOK_SORTS
from designer.webhooks.models import Delivery, Webhook
from designer.webhooks.schemas import EVENT_TYPES, DeliveryListQuery, WebhookListQuery

PAGES = "dashboard/webhooks/"

# The webhook forms list the event types, whether a page or an API route renders them.
blueprint.app_context_processor(lambda: {"webhook_event_types": EVENT_TYPES})


@blueprint.get("/stores/<store_id>/webhooks")
@login_required
def webhooks(store_id: str):
    """The store's webhooks, disabled ones saying why."""
    store = account_store(store_id)
    query = parse(WebhookListQuery, {"limit": "100"})
    rows, _has_more, _cursor = paginate(
        services.webhooks_query(store.id, query), Webhook, query, WEBHOOK_SORTS
    )
    return render_template(PAGES + "list.html", store=store, webhooks=rows)


@blueprint.get("/stores/<store_id>/webhooks/<webhook_id>")
@login_required
def webhook(store_id: str, webhook_id: str):
    """One webhook: its settings and its delivery log (filtered by the page's ?status=)."""
    store = account_store(store_id)
    webhook = services.find_webhook(store.id, webhook_id)
    query = parse(DeliveryListQuery, request.args.to_dict(flat=True))
    rows, has_more, cursor = paginate(
        services.deliveries_query(webhook, query), Delivery, query, DELIVERY_SORTS
    )
    return render_template(
        PAGES + "webhook.html",
        store=store,
        webhook=webhook,
        deliveries=rows,
        has_more=has_more,
        next_cursor=cursor,
        query=query,
    )
