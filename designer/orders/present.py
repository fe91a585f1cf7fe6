"""Orders as the API shows them: in lists (the order and its lines) and alone (with the
personalization details: designs with their layers, proofs and print-ready PDFs)."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import String, cast

from designer.api.schemas import out_of
from designer.approvals.present import approval_out
from designer.approvals.service import find_approval
from designer.designs.present import design_out
from designer.extensions import db
from designer.orders.models import LineItem, Order
from designer.orders.schemas import (
    Customer,
    LineItemDetail,
    LineItemOut,
    OrderDetail,
    OrderOut,
    RenderOut,
    Shipping,
)
from designer.orders.service import designs_by_id, next_statuses
from designer.products.urls import endpoint_url
from designer.tenancy import in_store


def line_item_out(item: LineItem) -> LineItemOut:
    return out_of(
        LineItemOut, item, design_ids=list(item.design_ids or []), personalization=item.personalization or {}
    )


def _order_values(order: Order) -> dict:
    """What an order shows but does not hold as it is shown."""
    return {
        "customer": Customer.model_validate(order.customer or {}),
        "shipping": Shipping.model_validate(order.shipping or {}),
        "metadata": order.meta or {},
        "next_statuses": list(next_statuses(order.status)),
    }


def order_out(order: Order) -> OrderOut:
    """`order` with its line items, as lists show it."""
    line_items = [line_item_out(item) for item in order.line_items]
    return out_of(OrderOut, order, **_order_values(order), line_items=line_items)


def order_detail(order: Order) -> OrderDetail:
    """`order` with each line's designs (layers, proof and preview URLs) and print-ready PDFs."""
    line_items = [line_item_detail(item) for item in order.line_items]
    return out_of(OrderDetail, order, **_order_values(order), line_items=line_items)


def line_item_detail(item: LineItem) -> LineItemDetail:
    designs = designs_by_id(item.store_id, list(item.design_ids or []))
    approval = find_approval(item.store_id, item.approval_id) if item.approval_id else None
    if approval is not None:
        url = print_url(item)
        renders = [
            RenderOut(
                owner_id=approval.project_id or "", status="done", render_id=approval.render_id, pdf_url=url
            )
        ]
    else:
        url = None
        renders = [render_out(item.store_id, kind, owner_id) for kind, owner_id in rendered_owners(item)]
    return LineItemDetail(
        **line_item_out(item).model_dump(),
        designs=[design_out(designs[design_id]) for design_id in item.design_ids if design_id in designs],
        renders=renders,
        approval=approval_out(approval) if approval else None,
        print_url=url,
    )


def print_url(item: LineItem) -> str:
    """The API's URL of the approved PDF a line prints."""
    return endpoint_url("api.get_line_item_pdf", order_id=item.order_id, line_item_id=item.id)


def rendered_owners(item: LineItem) -> list[tuple[str, str]]:
    """What is rendered for the line: its project (one PDF), else each of its designs."""
    if item.project_id is not None:
        return [("projects", item.project_id)]
    return [("designs", design_id) for design_id in item.design_ids or []]


def is_ordered(store_id: str, kind: str, owner_id: str) -> bool:
    """Whether one of the store's orders shows the PDF of this owner (`kind` "projects" or
    "designs"): a line of the project, or a line listing the design (see rendered_owners)."""
    if kind == "projects":
        statement = db.select(LineItem.id).where(LineItem.project_id == owner_id)
        return db.session.scalars(in_store(statement, store_id).limit(1)).first() is not None
    # The ids are kept as a JSON list: its text narrows the lines, the list itself decides.
    pattern = '%"' + owner_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '"%'
    statement = db.select(LineItem.design_ids).where(
        cast(LineItem.design_ids, String).like(pattern, escape="\\")
    )
    return any(owner_id in (ids or []) for ids in db.session.scalars(in_store(statement, store_id)))


_latest_renders: list[Callable[[str, str, str], Any]] = []


def register_latest_render(latest_render: Callable[[str, str, str], Any]) -> None:
    """Hands orders rendering's look-up of an owner's most recent print-ready PDF:
    `latest_render(store_id, resource, owner_id)` (resource "projects" or "designs"): the Render
    or None. The last one registered is used."""
    _latest_renders[:] = [latest_render]


def render_url(kind: str, owner_id: str) -> str:
    """The API's URL of the print-ready PDF of a project or a design (`kind` "projects" or "designs")."""
    owner = kind.removesuffix("s")
    return endpoint_url(f"api.get_{owner}_render", **{f"{owner}_id": owner_id})


def render_out(store_id: str, kind: str, owner_id: str) -> RenderOut:
    (latest_render,) = _latest_renders
    render = latest_render(store_id, kind, owner_id)
    return RenderOut(
        owner_id=owner_id,
        status=render.status if render else "none",
        render_id=render.id if render else None,
        pdf_url=render_url(kind, owner_id),
        error=render.error if render else None,
        checks=render.checks or [] if render else [],
    )
