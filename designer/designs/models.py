"""The designs table. Layers are JSON validated by composer/layers.py."""

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.editing.models import Historied
from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped
from designer.products.models import Product, Side
from designer.projects.models import Project


class Design(Historied, StoreOwned, Timestamped, db.Model):
    """The layers a customer made on one side."""

    __tablename__ = "designs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("design"))
    product_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="SET NULL"), nullable=True, index=True
    )
    side_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("sides.id", ondelete="SET NULL"), nullable=True, index=True
    )
    project_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, index=True
    )
    template_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("templates.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16), default="processing", index=True)
    # processing, accepted, declined, trashed
    layers: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    # The PNG the proof job rendered when the design was last completed (see worker/proofs.py).
    proof_file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )

    # Read-only: set the ids. The API shows only the ids.
    product: Mapped[Product | None] = relationship(viewonly=True)
    side: Mapped[Side | None] = relationship(viewonly=True)
    project: Mapped[Project | None] = relationship(viewonly=True)
