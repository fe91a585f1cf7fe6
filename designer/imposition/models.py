"""The gang_sheets table: press sheets made of a production stage's orders of one product."""

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped


class GangSheet(StoreOwned, Timestamped, db.Model):
    """A PDF of press sheets: line items of one product, from the orders that were in one production
    stage, ganged n-up (imposition/press_sheet.py), and the layout they were ganged with."""

    __tablename__ = "gang_sheets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("gang_sheet"))
    # Kept when the product or the file goes: what was ganged must still say what it was.
    product_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("products.id", ondelete="SET NULL"), nullable=True, index=True
    )
    file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
    stage: Mapped[str] = mapped_column(String(16))  # the stage its orders were ganged from
    # The sheet and grid: {sheet, widthMm, heightMm, order, gutterMm, marginMm, columns, rows,
    # nUp, turned}.
    layout: Mapped[dict] = mapped_column(JSON, default=dict)
    sheet_count: Mapped[int] = mapped_column(Integer)
    duplex: Mapped[bool] = mapped_column(Boolean)
    order_ids: Mapped[list] = mapped_column(JSON, default=list)
    line_item_ids: Mapped[list] = mapped_column(JSON, default=list)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
