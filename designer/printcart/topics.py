"""PrintCart's webhook topics: the domain's events about projects, products, designs, templates
and sides, told again in PrintCart's shape to the webhooks that subscribe to its topics.

Each such event, as it is recorded (events.py `listen`), becomes the event
"printcart.<topic>.<event>" ("printcart.products.POST"), recorded beside it in the same
transaction when a webhook of the store wants it; the events of a batch operation (either
dialect's) become one "… BATCH" event. The webhooks service delivers it like any other: the same
outbox, deliveries, retries and Standard Webhooks signature. Its `data` is what PrintCart's API
answers for the change: `{"topic", "event", "data"}`, with the resource in PrintCart's shape (its
id alone once deleted), or the list of them for a batch.
"""

from collections.abc import Callable

from designer.designs.models import Design
from designer.events import Event, record_event
from designer.extensions import db
from designer.printcart.translate import (
    design_out,
    product_out,
    project_out,
    side_out,
    template_out,
    topic_event_type,
    topic_of,
)
from designer.products.models import Product, Side
from designer.projects.models import Project
from designer.templates.models import Template
from designer.webhooks import service as webhooks

# The domain's event nouns and verbs as PrintCart's topics and events.
ACTIONS = {"created": "POST", "updated": "PUT", "deleted": "DELETE"}
_RESOURCES: dict[str, tuple[str, type, Callable]] = {
    "project": ("projects", Project, project_out),
    "product": ("products", Product, product_out),
    "design": ("designs", Design, lambda design: design_out(design, layers=True)),
    "template": ("templates", Template, lambda template: template_out(template, layers=True)),
    "side": ("sides", Side, side_out),
}


def heard(events: list[Event], batch: bool) -> None:
    """Record PrintCart's topic events for these events (a batch operation's when `batch`), each
    only when a webhook of the store subscribes to it."""
    told: dict[tuple[str, str], list[Event]] = {}
    for event in events:
        key = _told_as(event, batch)
        if key is not None:
            told.setdefault(key, []).append(event)
    # Heard in the middle of a change (a side deleted before its product): what is read here must
    # not flush it half-done.
    with db.session.no_autoflush:
        for (store_id, kind), group in told.items():
            if not webhooks.subscribed(store_id, kind):
                continue
            topic, action = topic_of(kind)
            shown = [_shown(event) for event in group]
            data = {"topic": topic, "event": action, "data": shown if batch else shown[0]}
            record_event(store_id, kind, data)


def _told_as(event: Event, batch: bool) -> tuple[str, str] | None:
    noun, _, verb = event.type.partition(".")
    if noun not in _RESOURCES or verb not in ACTIONS:
        return None
    action = ACTIONS[verb] + (" BATCH" if batch else "")
    return event.store_id, topic_event_type(_RESOURCES[noun][0], action)


def _shown(event: Event) -> dict:
    noun, _, verb = event.type.partition(".")
    _, model, shown = _RESOURCES[noun]
    row = None if verb == "deleted" else db.session.get(model, event.data["id"])
    if row is None:
        return {"id": event.data["id"]}
    return shown(row).model_dump(mode="json", exclude_none=True)
