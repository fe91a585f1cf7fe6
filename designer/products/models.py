"""Product and Side tables, and the categories products are filed on. Sizes are in millimetres
(see units.py)."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.categories.models import Category
from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped

product_categories = Table(
    "product_categories",
    db.metadata,
    Column("product_id", String(32), ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", String(32), ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class Product(StoreOwned, Timestamped, db.Model):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("store_id", "slug"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("product"))
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="publish", index=True)  # publish, draft, trashed
    type: Mapped[str] = mapped_column(String(16), default="simple")  # simple, variant, variant_option
    parent_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="CASCADE"), nullable=True, index=True
    )
    dimension_unit: Mapped[str] = mapped_column(String(8), default="mm")  # mm, cm, inch
    dpi: Mapped[int] = mapped_column(Integer, default=300)
    # The personalization rules as the API shows them (see products/schemas.py: Personalization).
    personalization: Mapped[dict] = mapped_column(JSON, default=dict)
    # `metadata` is taken by SQLAlchemy's declarative base; the column keeps the API's name.
    meta: Mapped[dict] = mapped_column("metadata", JSON, default=dict)
    image_file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )

    sides: Mapped[list["Side"]] = relationship(
        back_populates="product",
        order_by="(Side.position, Side.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    categories: Mapped[list[Category]] = relationship(secondary=product_categories, order_by=Category.name)


class Side(StoreOwned, Timestamped, db.Model):
    """One printable face of a product: its trim box, bleed, safe zone and how it is shown."""

    __tablename__ = "sides"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("side"))
    product_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="publish")
    width_mm: Mapped[float] = mapped_column(Float)
    height_mm: Mapped[float] = mapped_column(Float)
    bleed_mm: Mapped[float] = mapped_column(Float, default=0.0)
    safe_zone_mm: Mapped[float] = mapped_column(Float, default=0.0)
    show_safe_zone: Mapped[bool] = mapped_column(Boolean, default=True)
    show_cut_line: Mapped[bool] = mapped_column(Boolean, default=True)
    # How far outside the trim the cut line is drawn (0: on the trim).
    cut_line_mm: Mapped[float] = mapped_column(Float, default=0.0)
    # The die line printed in the CutContour spot colour (composer/die_line.py): none, rectangle
    # (the trim, corners rounded to the radius) or contour (around the art, at the offset).
    die_line: Mapped[str] = mapped_column(String(16), default="none")
    die_line_radius_mm: Mapped[float] = mapped_column(Float, default=0.0)
    die_line_offset_mm: Mapped[float] = mapped_column(Float, default=0.0)
    background_type: Mapped[str] = mapped_column(
        String(16), default="transparent"
    )  # color, image, transparent
    background_color: Mapped[str | None] = mapped_column(String(9), nullable=True)
    background_file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
    background_printed: Mapped[bool] = mapped_column(Boolean, default=True)
    overlay_file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
    show_overlay: Mapped[bool] = mapped_column(Boolean, default=True)
    overlay_printed: Mapped[bool] = mapped_column(Boolean, default=False)
    mockup_file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
    # Where the trim box sits on the mockup image, in the mockup's pixels: {x, y, width, height}.
    design_area: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # How large the editor draws the side relative to its mockup (PrintCart's `scale`).
    scale: Mapped[float] = mapped_column(Float, default=1.0)

    product: Mapped[Product] = relationship(back_populates="sides")
