"""Webhook jobs, on the 'webhooks' queue (see designer/webhooks/deliveries.py).

`dispatch(event_id)` fans an event out into deliveries; `deliver(delivery_id)` sends one. Both
are idempotent: a second run of either finds nothing left to do.
"""

from designer.webhooks.deliveries import dispatch_event, run_delivery


def dispatch(event_id: str) -> list[str]:
    """Create and queue the event's deliveries. Returns their ids."""
    return dispatch_event(event_id)


def deliver(delivery_id: str) -> str | None:
    """Send one delivery if it is due. Returns its status afterwards, None when nothing was due."""
    return run_delivery(delivery_id)
