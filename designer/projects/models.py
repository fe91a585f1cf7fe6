"""The projects table: one customer's personalization of a product across its sides."""

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.categories.models import Category
from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped
from designer.products.models import Product

# The folders (the store's categories) a project is filed in: PrintCart's project folders.
project_folders = Table(
    "project_folders",
    db.metadata,
    Column("project_id", String(32), ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", String(32), ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class Project(StoreOwned, Timestamped, db.Model):
    """One customer's personalization of a product across its sides: what an order line points to."""

    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("project"))
    # Kept when the product goes: an ordered project must outlive the catalog entry.
    product_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="SET NULL"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default="processing", index=True)
    # processing, reviewing, accepted, trashed
    customer: Mapped[dict] = mapped_column(JSON, default=dict)  # {email, name, externalId}
    note: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)

    # Read-only: set product_id. The API shows only the id.
    product: Mapped[Product | None] = relationship(viewonly=True)
    folders: Mapped[list[Category]] = relationship(secondary=project_folders, order_by=Category.name)
