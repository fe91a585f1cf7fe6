"""Order and LineItem tables."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped

PENDING, PAID, IN_PRODUCTION, SHIPPED, CANCELLED = "pending", "paid", "in_production", "shipped", "cancelled"
STATUSES = (PENDING, PAID, IN_PRODUCTION, SHIPPED, CANCELLED)

QUEUE, PRESS, FINISHING, DONE = "queue", "press", "finishing", "done"
STAGES = (QUEUE, PRESS, FINISHING, DONE)


class Order(StoreOwned, Timestamped, db.Model):
    """A customer's order: what is printed (its line items), for whom, where it ships, and how far
    the print shop has got with it."""

    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("store_id", "number", name="uq_orders_store_number"),
        # The list's default order (newest first) and its cursor walk this index: the page after
        # any cursor is an index range scan, so a page deep in the list costs what the first does.
        Index("ix_orders_store_created_id", "store_id", "created_at", "id"),
        Index("ix_orders_store_status_created_id", "store_id", "status", "created_at", "id"),
        Index("ix_orders_store_stage_created_id", "store_id", "production_stage", "created_at", "id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("order"))
    # What people say on the phone: the storefront's order number, or one made from the id.
    number: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    production_stage: Mapped[str] = mapped_column(String(16), default=QUEUE)
    # The customer as the storefront knows them; id and email are columns to filter on.
    customer_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    customer_email: Mapped[str | None] = mapped_column(String(254), nullable=True, index=True)
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    customer: Mapped[dict] = mapped_column(JSON, default=dict)  # {id, email, name, phone}
    shipping: Mapped[dict] = mapped_column(JSON, default=dict)
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    total_amount: Mapped[int | None] = mapped_column(Integer, nullable=True)  # in minor units (cents)
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    line_items: Mapped[list["LineItem"]] = relationship(
        back_populates="order",
        order_by="(LineItem.position, LineItem.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class LineItem(StoreOwned, Timestamped, db.Model):
    """One thing ordered: a SKU, how many, and the customer's personalization of it (a project,
    or designs, of the same store)."""

    __tablename__ = "line_items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("line_item"))
    order_id: Mapped[str] = mapped_column(String(32), ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sku: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    # Kept when the product, project or designs go: what was ordered must still say what it was.
    product_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="SET NULL"), nullable=True, index=True
    )
    project_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, index=True
    )
    # The designs printed for this line, in side order (a project's designs when it names one).
    design_ids: Mapped[list] = mapped_column(JSON, default=list)
    # The approved proof the line prints (approvals/): exactly that PDF, never a new render. None
    # for a line with nothing approved (a store that does not require approval, or no design).
    approval_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("approvals.id", ondelete="SET NULL"), nullable=True
    )
    # Free-form values from the storefront (names typed in a form, options picked).
    personalization: Mapped[dict] = mapped_column(JSON, default=dict)

    order: Mapped[Order] = relationship(back_populates="line_items")
