"""/api/v1 routes for orders (also the dashboard's htmx actions on them).

The account and secret tokens (scopes `full`, `orders`, `orders:read`/`orders:write`, `read`)
use them; a publishable token may not, since an order holds a customer's address and is created
by the shop's server, not by the customer's browser.

A PATCH from the dashboard answers with the fragment it came from: the production board
(`HX-Target: board`) or the order page's panel.
"""

from functools import partial

from flask import request
from sqlalchemy.orm import selectinload

from designer.api.auth import MERCHANTS
from designer.api.downloads import send_bytes
from designer.api.pagination import count, more_url, paginate
from designer.api.resource import Routes
from designer.api.respond import respond
from designer.api.schemas import Count, StoreQuery
from designer.api.store_scope import store_id_of
from designer.approvals.service import approved_pdf
from designer.orders import service
from designer.orders.models import STAGES, STATUSES, Order
from designer.orders.present import order_detail, order_out
from designer.orders.schemas import (
    OrderCreate,
    OrderDetail,
    OrderFilters,
    OrderListQuery,
    OrderPage,
    OrderUpdate,
)

ORDER_SORTS = {"createdAt": Order.created_at, "updatedAt": Order.updated_at, "number": Order.number}

PARTIALS = "dashboard/orders/"  # the pages too


orders = Routes("/orders")


@orders.route("GET", auth=MERCHANTS, response=OrderPage)
def list_orders(caller, query: OrderListQuery):
    """List orders (filter by status, production stage, customer, product, creation time, text)"""
    # The page's line items in one more query, not one per order.
    statement = service.orders_of(store_id_of(caller), query).options(selectinload(Order.line_items))
    rows, has_more, cursor = paginate(statement, Order, query, ORDER_SORTS)
    return respond(
        OrderPage.of_rows(order_out, rows, has_more, cursor),
        partial=PARTIALS + "_order_rows.html",
        page=PARTIALS + "list.html",
        orders=rows,
        more_url=more_url("api.list_orders", query, cursor),
        query=query,
        statuses=STATUSES,
        stages=STAGES,
    )


@orders.route("GET /count", auth=MERCHANTS, response=Count)
def count_orders(caller, query: OrderFilters):
    """Count orders (the list's filters)"""
    return respond(Count(count=count(service.orders_of(store_id_of(caller), query), Order)))


@orders.route("POST", auth=MERCHANTS, response=OrderDetail, status=201)
def create_order(caller, query: StoreQuery, body: OrderCreate):
    """Create an order with personalized line items (usually the storefront, at checkout); created paid, it
    goes to production and emits order.created"""
    order = service.create_order(store_id_of(caller), body)
    return respond(order_detail(order), status=201)


@orders.route("GET /<order_id>", auth=MERCHANTS, response=OrderDetail)
def get_order(caller, order_id: str, query: StoreQuery):
    """Get an order with its personalization details: line items, their designs with layers, proofs, and
    print-ready PDF links and render state"""
    order = service.find_order(store_id_of(caller), order_id)
    return respond(partial(order_detail, order), page=PARTIALS + "order.html", order=order, stages=STAGES)


@orders.route("PATCH /<order_id>", auth=MERCHANTS, response=OrderDetail)
def update_order(caller, order_id: str, query: StoreQuery, body: OrderUpdate):
    """Update an order: status (409 with the reason for a move that is not allowed), production stage,
    shipping, customer, internal notes, metadata"""
    store_id = store_id_of(caller)
    order = service.update_order(service.find_order(store_id, order_id), body)
    target = request.headers.get("HX-Target", "")
    # The production board is redrawn whole: the order's card has moved to another column.
    board = service.production_board(store_id) if target == "board" else None
    return respond(
        order_detail(order), partial=_fragment_for(target), order=order, stages=STAGES, board=board
    )


@orders.route(
    "GET /<order_id>/line-items/<line_item_id>/pdf", auth=MERCHANTS, binary={200: "application/pdf"}
)
def get_line_item_pdf(caller, order_id: str, line_item_id: str, query: StoreQuery):
    """The PDF a line prints: its approved proof, exactly the approved bytes (ETag their SHA-256), never a
    new render; 409 when the line has no approved proof or the stored file is not the approved one"""
    approval = service.line_approval(service.find_order(store_id_of(caller), order_id), line_item_id)
    data, filename = approved_pdf(approval)
    response = send_bytes(data, "application/pdf", etag=approval.sha256, filename=filename)
    response.headers["Content-Disposition"] = response.headers["Content-Disposition"].replace(
        "inline", "attachment", 1
    )
    return response


def _fragment_for(target: str) -> str:
    """The dashboard fragment an htmx PATCH replaces, by the id of its target."""
    if target == "board":
        return PARTIALS + "_board.html"
    return PARTIALS + "_order_panel.html"
