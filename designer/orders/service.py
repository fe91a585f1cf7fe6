"""Orders: created from a storefront (or any API client), then followed through payment,
production and shipping.

Callers own the transaction: these flush, never commit. Every change records its events in the
same transaction (the outbox), so an event exists exactly when its change was committed:

- `order.created` when the order is ready for production: created paid, or the first time it
  becomes paid (a pending order is a checkout still waiting for its payment, nobody prints it);
- `order.updated` for any other change of the order (status, shipping, customer, notes,
  metadata), with the fields that changed;
- `production.status_changed` when its production stage moves, with `from` and `to`.

The status moves one way, with cancelling allowed until it ships:

    pending ──▶ paid ──▶ in_production ──▶ shipped
       └──────────┴───────────┴──────────▶ cancelled

The production stage (queue → press → finishing → done) moves only while the order is paid or
in production; taking a paid order out of the queue puts it in production, and an order ships
only once its stage is done.
"""

from sqlalchemy import exists, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from designer.accounts.models import Store
from designer.approvals.models import Approval
from designer.approvals.service import approval_to_print, designs_of_one_project
from designer.designs.models import Design
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.events import record_event
from designer.extensions import db
from designer.ids import new_id
from designer.models import utcnow
from designer.orders.models import (
    CANCELLED,
    DONE,
    IN_PRODUCTION,
    PAID,
    PENDING,
    QUEUE,
    SHIPPED,
    STAGES,
    LineItem,
    Order,
)
from designer.orders.schemas import LineItemCreate, OrderCreate, OrderFilters, OrderUpdate
from designer.products.service import find_product_or_invalid
from designer.projects.models import Project
from designer.references import all_in_store_or_invalid, in_store_or_invalid
from designer.tenancy import get_in_store, in_store

TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING: (PAID, CANCELLED),
    PAID: (IN_PRODUCTION, CANCELLED),
    IN_PRODUCTION: (SHIPPED, CANCELLED),
    SHIPPED: (),
    CANCELLED: (),
}
# The statuses in which the print shop works on an order.
IN_WORK = (PAID, IN_PRODUCTION)


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses an order in `status` may move to."""
    return TRANSITIONS.get(status, ())


def orders_of(store_id: str, filters: OrderFilters):
    """A select of the store's orders, narrowed by the filters given."""
    statement = in_store(db.select(Order), store_id)
    if filters.status is not None:
        statement = statement.where(Order.status == filters.status)
    if filters.production_stage is not None:
        statement = statement.where(Order.production_stage == filters.production_stage)
    if filters.customer is not None:
        customer = filters.customer.strip()
        statement = statement.where(
            or_(Order.customer_id == customer, Order.customer_email == customer.lower())
        )
    if filters.created_after is not None:
        statement = statement.where(Order.created_at >= filters.created_after)
    if filters.created_before is not None:
        statement = statement.where(Order.created_at < filters.created_before)
    if filters.product_id is not None:
        statement = statement.where(_has_product(store_id, filters.product_id))
    if filters.q:
        pattern = f"%{_escape_like(filters.q.lower())}%"
        statement = statement.where(
            or_(
                db.func.lower(Order.number).like(pattern, escape="\\"),
                Order.customer_email.like(pattern, escape="\\"),
                db.func.lower(Order.customer_name).like(pattern, escape="\\"),
            )
        )
    return statement


def _has_product(store_id: str, product_ref: str):
    """Orders with a line of the product (id, or a slug of the store's)."""
    try:
        product_ids = [find_product_or_invalid(store_id, product_ref, "productId").id]
    except ValidationFailed:
        product_ids = [product_ref]  # a deleted product's id still names its orders' lines
    return exists().where(
        LineItem.order_id == Order.id,
        LineItem.store_id == store_id,
        LineItem.product_id.in_(product_ids),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_order(store_id: str, order_id: str) -> Order:
    """Raises NotFound for an id that is not one of the store's orders."""
    return get_in_store(Order, order_id, store_id)


def create_order(store_id: str, fields: OrderCreate) -> Order:
    """A new order with its line items, pending or paid (then `order.created` is recorded).

    Each line of a project binds to the project's approved proof (approvals/), which is what it
    prints.

    Raises ValidationFailed naming the field (`lineItems.0.projectId`, …) for a project, design or
    product that is not the store's, or designs that are not the project's; Conflict naming
    `number` for an order number the store already has, and naming the line's `projectId` (or
    `designIds`) for a design changed after its proof was approved, or, in a store that requires
    approval, one never approved.
    """
    order = Order(
        id=new_id("order"),
        store_id=store_id,
        status=PENDING,
        production_stage=QUEUE,
        internal_notes=fields.internal_notes,
        currency=fields.currency,
        total_amount=fields.total_amount,
        meta=fields.metadata,
        shipping=fields.shipping.to_json(),
    )
    _set_customer(order, fields.customer)
    order.number = fields.number or _number_from_id(order.id)
    required = bool(db.session.get(Store, store_id).require_approval)
    order.line_items = [
        _line_item(store_id, item, f"lineItems.{index}", index, required)
        for index, item in enumerate(fields.line_items)
    ]
    _refuse_taken_number(store_id, order.number)
    db.session.add(order)
    if fields.status == PAID:
        _mark_paid(order)
    _flush_or_conflict(order)
    if fields.status == PAID:
        record_event(store_id, "order.created", created_event(order))
    return order


def update_order(order: Order, fields: OrderUpdate) -> Order:
    """Change the fields given; the stage moves before the status, so a single request may
    finish production and ship.

    Raises Conflict naming `status` or `productionStage` for a move the rules (above) refuse,
    with the reason.
    """
    given = fields.model_fields_set
    before = _snapshot(order)
    if "production_stage" in given and fields.production_stage is not None:
        _move_stage(order, fields.production_stage)
    if "status" in given and fields.status is not None and fields.status != order.status:
        _move_status(order, fields.status)
    if "shipping" in given:
        order.shipping = fields.shipping.to_json() if fields.shipping else {}
    if "customer" in given:
        _set_customer(order, fields.customer)
    if "internal_notes" in given and fields.internal_notes is not None:
        order.internal_notes = fields.internal_notes
    if "metadata" in given:
        order.meta = fields.metadata or {}
    after = _snapshot(order)
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return order
    db.session.flush()
    if "productionStage" in changed:
        record_event(
            order.store_id,
            "production.status_changed",
            {
                "orderId": order.id,
                "number": order.number,
                "status": order.status,
                "from": before["productionStage"],
                "to": order.production_stage,
            },
        )
    if before["status"] != PAID and order.status == PAID and before["paidAt"] is None:
        record_event(order.store_id, "order.created", created_event(order))
    others = [
        name for name in changed if name not in ("productionStage", "paidAt", "shippedAt", "cancelledAt")
    ]
    if others:
        data = _summary(order) | {"changes": others}
        if "status" in others:
            data["previousStatus"] = before["status"]
        record_event(order.store_id, "order.updated", data)
    return order


def _move_stage(order: Order, stage: str) -> None:
    if stage == order.production_stage:
        return
    if order.status not in IN_WORK:
        reason = {
            PENDING: "it is not paid yet",
            SHIPPED: "it has shipped",
            CANCELLED: "it is cancelled",
        }[order.status]
        raise Conflict(
            f"The production stage of order {order.number} cannot change: {reason}", field="productionStage"
        )
    order.production_stage = stage
    if order.status == PAID and stage != QUEUE:
        order.status = IN_PRODUCTION


def _move_status(order: Order, status: str) -> None:
    if status not in next_statuses(order.status):
        allowed = next_statuses(order.status)
        reason = f"it may become: {', '.join(allowed)}" if allowed else f"{order.status} is final"
        raise Conflict(f"A {order.status} order cannot become {status} ({reason})", field="status")
    if status == SHIPPED and order.production_stage != DONE:
        raise Conflict(
            f"Order {order.number} cannot ship before production is done "
            f"(its stage is {order.production_stage}): set productionStage to done",
            field="status",
        )
    order.status = status
    if status == PAID:
        _mark_paid(order)
    elif status == SHIPPED:
        order.shipped_at = utcnow()
    elif status == CANCELLED:
        order.cancelled_at = utcnow()


def _mark_paid(order: Order) -> None:
    order.status = PAID
    if order.paid_at is None:
        order.paid_at = utcnow()


def _set_customer(order: Order, customer) -> None:
    values = customer.model_dump(mode="json", by_alias=True, exclude_none=True) if customer else {}
    order.customer = values
    order.customer_id = values.get("id")
    order.customer_email = values.get("email")
    order.customer_name = values.get("name") or ""


def _line_item(store_id: str, item: LineItemCreate, field: str, position: int, required: bool) -> LineItem:
    """A line item whose project and designs are checked to be the store's, and each other's, bound
    to the approved proof it prints (see _approval_for)."""
    project = None
    if item.project_id is not None:
        project = in_store_or_invalid(Project, item.project_id, store_id, f"{field}.projectId", "project")
    designs = _referenced_designs(store_id, item.design_ids, f"{field}.designIds")
    if project is not None:
        strangers = [design.id for design in designs if design.project_id != project.id]
        if strangers:
            raise ValidationFailed(
                f"Field '{field}.designIds': design '{strangers[0]}' is not a design of project "
                f"'{project.id}'",
                field=f"{field}.designIds",
            )
        if not designs:
            designs = project_designs(store_id, project.id)
    approval = _approval_for(store_id, project, designs, field, required)
    if approval is not None and item.design_ids and set(approval.design_ids) != set(item.design_ids):
        raise Conflict(
            f"Field '{field}.designIds': the approved proof ({approval.id}) prints the designs "
            f"{', '.join(approval.design_ids)}: name its project, or all of them",
            field=f"{field}.designIds",
        )
    product_id = None
    if item.product_id is not None:
        product_id = find_product_or_invalid(store_id, item.product_id, f"{field}.productId").id
    elif project is not None:
        product_id = project.product_id
    elif designs:
        product_id = designs[0].product_id
    return LineItem(
        store_id=store_id,
        position=position,
        sku=item.sku,
        name=item.name,
        quantity=item.quantity,
        product_id=product_id,
        project_id=project.id if project else None,
        design_ids=list(approval.design_ids) if approval else [design.id for design in designs],
        approval_id=approval.id if approval else None,
        personalization=item.personalization,
    )


def _approval_for(
    store_id: str, project: Project | None, designs: list[Design], field: str, required: bool
) -> Approval | None:
    """The approved proof a line prints: its project's (or its designs' project's). None for a line
    with no design, or a project never approved in a store that does not require approval.

    Raises what approvals.approval_to_print raises, naming the line's projectId or designIds;
    ValidationFailed naming designIds for designs of several projects where approval counts.
    """
    if project is None and not designs:
        return None
    named = f"{field}.projectId" if project is not None else f"{field}.designIds"
    if project is None:
        project_ids = {design.project_id for design in designs}
        if len(project_ids) > 1 and not required:
            return None  # no one PDF prints these: each design's own render, as before approvals
        project_id = designs_of_one_project(store_id, designs, named)
        if project_id is None:
            return None
        project = db.session.scalars(
            in_store(db.select(Project).where(Project.id == project_id), store_id)
        ).first()
        if project is None:
            return None
    return approval_to_print(store_id, project, required=required, field=named)


def _referenced_designs(store_id: str, design_ids: list[str], field: str) -> list[Design]:
    """The designs named, in the order named. Raises ValidationFailed naming `field` for one that
    is not the store's, or named twice."""
    if len(set(design_ids)) != len(design_ids):
        raise ValidationFailed(f"Field '{field}': a design is named twice", field=field)
    found = all_in_store_or_invalid(Design, design_ids, store_id, field, "design")
    return [found[design_id] for design_id in design_ids]


def line_approval(order: Order, line_item_id: str) -> Approval:
    """The approved proof the order's line prints.

    Raises NotFound for a line that is not the order's, Conflict for a line with no approved proof.
    """
    line = next((item for item in order.line_items if item.id == line_item_id), None)
    if line is None:
        raise NotFound(f"Order {order.number} has no line item '{line_item_id}'")
    approval = db.session.scalars(
        in_store(db.select(Approval).where(Approval.id == line.approval_id), order.store_id)
    ).first()
    if approval is None:
        raise Conflict(
            f"Line item '{line.id}' has no approved proof: its print-ready PDF is its project's render"
        )
    return approval


def project_designs(store_id: str, project_id: str) -> list[Design]:
    """A project's designs that are not trashed, in side order."""
    statement = in_store(
        db.select(Design).where(Design.project_id == project_id, Design.status != "trashed"), store_id
    )
    designs = list(db.session.scalars(statement))
    return sorted(designs, key=lambda design: (design.side.position if design.side else 0, design.id))


def designs_by_id(store_id: str, design_ids: list[str]) -> dict[str, Design]:
    """The store's designs among `design_ids` (a deleted one is simply missing)."""
    if not design_ids:
        return {}
    statement = in_store(db.select(Design).where(Design.id.in_(design_ids)), store_id)
    return {design.id: design for design in db.session.scalars(statement)}


def _number_from_id(order_id: str) -> str:
    # The id's last ten characters are random: short enough to read out, unique enough per store.
    return order_id.removeprefix("ord_")[-10:]


def _refuse_taken_number(store_id: str, number: str) -> None:
    taken = db.session.scalar(in_store(db.select(Order.id).where(Order.number == number), store_id).limit(1))
    if taken is not None:
        raise Conflict(f"The store already has an order numbered '{number}' ({taken})", field="number")


def _flush_or_conflict(order: Order) -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Another request took the number between the check and the insert.
        raise Conflict(f"The store already has an order numbered '{order.number}'", field="number") from None


def _snapshot(order: Order) -> dict:
    return {
        "status": order.status,
        "productionStage": order.production_stage,
        "shipping": dict(order.shipping or {}),
        "customer": dict(order.customer or {}),
        "internalNotes": order.internal_notes,
        "metadata": dict(order.meta or {}),
        "paidAt": order.paid_at,
        "shippedAt": order.shipped_at,
        "cancelledAt": order.cancelled_at,
    }


def _summary(order: Order) -> dict:
    return {
        "orderId": order.id,
        "number": order.number,
        "customerId": order.customer_id,
        "status": order.status,
        "productionStage": order.production_stage,
    }


def created_event(order: Order) -> dict:
    """The data of `order.created`: the order as the print shop needs it to start production."""
    return _summary(order) | {
        "customer": order.customer or {},
        "shipping": order.shipping or {},
        "designIds": [design_id for item in order.line_items for design_id in item.design_ids],
        "lineItems": [
            {
                "id": item.id,
                "sku": item.sku,
                "quantity": item.quantity,
                "productId": item.product_id,
                "projectId": item.project_id,
                "designIds": list(item.design_ids),
                "approvalId": item.approval_id,
                "personalization": item.personalization or {},
            }
            for item in order.line_items
        ],
    }


def production_board(store_id: str, per_stage: int = 100) -> dict[str, list[Order]]:
    """The orders being worked on (paid or in production), oldest first, by production stage:
    {stage: [order, …]} with at most `per_stage` in each."""
    board = {}
    for stage in STAGES:
        statement = (
            in_store(db.select(Order), store_id)
            .where(Order.production_stage == stage, Order.status.in_(IN_WORK))
            .order_by(Order.created_at, Order.id)
            .limit(per_stage)
            .options(selectinload(Order.line_items))
        )
        board[stage] = list(db.session.scalars(statement))
    return board
