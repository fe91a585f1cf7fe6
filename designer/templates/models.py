"""The templates table: a merchant's starting designs for a side. Layers are JSON validated by
composer/layers.py."""

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.editing.models import Historied
from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped
from designer.products.models import Product, Side


class Template(Historied, StoreOwned, Timestamped, db.Model):
    """A merchant's starting design for one side; its layers carry lock and rule flags."""

    __tablename__ = "templates"
    authored_by_merchant = True
    # One default template per side, held by the database too: two requests racing to set a
    # default cannot both win.
    __table_args__ = (
        Index(
            "uq_templates_default_per_side",
            "side_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("template"))
    product_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    side_id: Mapped[str] = mapped_column(String(32), ForeignKey("sides.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="publish", index=True)  # publish, draft, trashed
    # The template a customer starts from when they open the side.
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    layers: Mapped[list] = mapped_column(JSON, default=list)

    # Read-only: set product_id and side_id. The API shows only the ids.
    product: Mapped[Product] = relationship(viewonly=True)
    side: Mapped[Side] = relationship(viewonly=True)
