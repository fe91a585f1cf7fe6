"""Dashboard pages for a store's orders and its production board.

The pages read through the same services as the API. Their actions (filter the list, move an
order's status or production stage, save its internal notes) are htmx requests to the /api/v1
routes, which answer with the partials in templates/dashboard/orders/; each page sets the
X-Store-Id header for them (hx-headers), so the account's request names its store.
"""

from flask import render_template, request
from flask_login import login_required
from sqlalchemy.orm import selectinload

from designer.api.operations import parse
from designer.api.pagination import more_url, paginate
from designer.orders import services
from designer.orders.api import ORDER_SORTS
from designer.orders.models import STAGES, STATUSES, Order
from designer.orders.present import rendered_owners
from designer.orders.schemas import OrderListQuery
from designer.products.urls import api_url
from designer.rendering.renders import latest_render
from designer.web.dashboard import account_store, blueprint

PAGES = "dashboard/orders/"


@blueprint.get("/stores/<store_id>/orders")
@login_required
def orders(store_id: str):
    """The store's orders, newest first, filtered by the page's query string like the API's list.

    Another account's store is a 404 page; a bad filter a 422 page.
    """
    store = account_store(store_id)
    filters = {name: value for name, value in request.args.items() if value != ""}
    query = parse(OrderListQuery, filters)
    statement = services.orders_of(store.id, query).options(selectinload(Order.line_items))
    rows, _, cursor = paginate(statement, Order, query, ORDER_SORTS)
    return render_template(
        PAGES + "list.html",
        store=store,
        orders=rows,
        more_url=more_url("api.list_orders", query, cursor),
        query=query,
        statuses=STATUSES,
        stages=STAGES,
    )


@blueprint.get("/stores/<store_id>/orders/<order_id>")
@login_required
def order(store_id: str, order_id: str):
    """One order: its status and stage buttons, notes, shipping, and each line's designs with
    their proofs and print-ready PDFs. Another store's order is a 404 page."""
    store = account_store(store_id)
    order = services.find_order(store.id, order_id)
    return render_template(PAGES + "order.html", store=store, order=order, stages=STAGES)


@blueprint.get("/stores/<store_id>/production")
@login_required
def production(store_id: str):
    """The production board: the orders being worked on, a column per stage."""
    store = account_store(store_id)
    return render_template(
        PAGES + "board.html", store=store, board=services.production_board(store.id), stages=STAGES
    )


# What the partials need, whether the page includes them or htmx asks an /api/v1 route for them.


@blueprint.app_template_global()
def order_line_designs(item) -> list:
    """The line's designs that still exist, in its order."""
    designs = services.designs_by_id(item.store_id, list(item.design_ids or []))
    return [designs[design_id] for design_id in item.design_ids or [] if design_id in designs]


@blueprint.app_template_global()
def order_line_renders(item) -> list[tuple[str, object, str]]:
    """What the line prints as PDFs: [(project or design id, its latest render or None, render URL)]."""
    return [
        (owner_id, latest_render(item.store_id, kind, owner_id), api_url(f"{kind}/{owner_id}/render"))
        for kind, owner_id in rendered_owners(item)
    ]


@blueprint.app_template_global()
def order_next_statuses(status: str) -> tuple[str, ...]:
    """The statuses an order in `status` may move to (see orders/services.py)."""
    return services.next_statuses(status)
