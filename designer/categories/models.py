"""The Category table. Products and clipart name their categories through tables of their own."""

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped


class Category(StoreOwned, Timestamped, db.Model):
    """A shelf for products and clipart (PrintCart calls them storages)."""

    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("store_id", "slug"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("category"))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("categories.id", ondelete="SET NULL"), nullable=True, index=True
    )
