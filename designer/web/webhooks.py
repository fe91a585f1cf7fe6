"""Dashboard pages for webhooks: the list with a form for a new one, and one webhook's page
(settings, enable/disable, secret rotation, a test event, the delivery log and redelivery).

Their actions are htmx requests to the /api/v1/webhooks routes (designer/webhooks/routes.py), which
answer with the partials in templates/dashboard/webhooks/.
"""

from designer.web.dashboard import blueprint, page
from designer.webhooks.routes import list_webhook_deliveries, list_webhooks
from designer.webhooks.schemas import EVENT_TYPES

# The webhook forms list the event types, whether a page or an API route renders them.
blueprint.app_context_processor(lambda: {"webhook_event_types": EVENT_TYPES})


# The store's webhooks, disabled ones saying why.
page("/stores/<store_id>/webhooks", "webhooks", list_webhooks, limit="100")

# One webhook: its settings and its delivery log (filtered by the page's ?status=).
page("/stores/<store_id>/webhooks/<webhook_id>", "webhook", list_webhook_deliveries)
