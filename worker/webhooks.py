"""Webhook jobs, on the 'webhooks' queue (see designer/webhooks/deliveries.py).

`dispatch(event_ids)` fans the events out into deliveries and sends them at once, concurrently;
`deliver(delivery_id)` sends one (a retry, a redelivery, or what the sweep queued again). Both
are idempotent: a second run of either finds nothing left to do.
"""

from designer.webhooks.deliveries import dispatch_events, run_delivery


def dispatch(event_ids: list[str] | str) -> list[str]:
    """Create and send the events' deliveries (one event id: a job queued before dispatch took
    several). Returns their ids."""
    return dispatch_events([event_ids] if isinstance(event_ids, str) else event_ids)


def deliver(delivery_id: str) -> str | None:
    """Send one delivery if it is due. Returns its status afterwards, None when nothing was due."""
    return run_delivery(delivery_id)
