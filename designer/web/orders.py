"""Dashboard pages for a store's orders and its production board.

The list and detail pages are the API's routes answering a browser (web/dashboard.py `page`);
the others read through the same services. Their actions (filter the list, move an
order's status or production stage, save its internal notes) are htmx requests to the /api/v1
routes, which answer with the partials in templates/dashboard/orders/; each page sets the
X-Store-Id header for them (hx-headers), so the account's request names its store.
"""

from flask import render_template
from flask_login import login_required

from designer.approvals.service import find_approval
from designer.imposition.service import gang_candidates
from designer.orders import service
from designer.orders.models import QUEUE, STAGES
from designer.orders.present import render_url, rendered_owners
from designer.orders.routes import get_order, list_orders
from designer.rendering.renders import latest_render
from designer.web.dashboard import account_store, blueprint, page

PAGES = "dashboard/orders/"


# The store's orders, newest first, filtered by the page's query string like the API's list. A bad
# filter is a 422 page.
page("/stores/<store_id>/orders", "orders", list_orders)

# One order: its status and stage buttons, notes, shipping, and each line's designs with their
# proofs and print-ready PDFs. Another store's order is a 404 page.
page("/stores/<store_id>/orders/<order_id>", "order", get_order)


@blueprint.get("/stores/<store_id>/production")
@login_required
def production(store_id: str):
    """The production board: the orders being worked on, a column per stage, and a Gang form for
    each product with orders in the queue."""
    store = account_store(store_id)
    return render_template(
        PAGES + "board.html",
        store=store,
        board=service.production_board(store.id),
        stages=STAGES,
        gangable=gang_candidates(store.id, QUEUE),
    )


# What the partials need, whether the page includes them or htmx asks an /api/v1 route for them.


@blueprint.app_template_global()
def order_line_designs(item) -> list:
    """The line's designs that still exist, in its order."""
    designs = service.designs_by_id(item.store_id, list(item.design_ids or []))
    return [designs[design_id] for design_id in item.design_ids or [] if design_id in designs]


@blueprint.app_template_global()
def order_line_renders(item) -> list[tuple[str, object, str]]:
    """What the line prints as PDFs: [(project or design id, its latest render or None, render URL)]."""
    return [
        (owner_id, latest_render(item.store_id, kind, owner_id), render_url(kind, owner_id))
        for kind, owner_id in rendered_owners(item)
    ]


@blueprint.app_template_global()
def order_line_approval(item):
    """The approved proof the line prints (None: none)."""
    return find_approval(item.store_id, item.approval_id) if item.approval_id else None


@blueprint.app_template_global()
def order_next_statuses(status: str) -> tuple[str, ...]:
    """The statuses an order in `status` may move to (see orders/service.py)."""
    return service.next_statuses(status)
