"""The batches table and its items: a row each, its values, what became of it and its PDF."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped

# A batch: its rows are checked (a design made of each good one), then, once asked, rendered and
# merged. `failed`: nothing could be merged (every row refused or failed to render).
CHECKING, CHECKED, RENDERING, MERGING, DONE, FAILED = (
    "checking",
    "checked",
    "rendering",
    "merging",
    "done",
    "failed",
)
BATCH_STATUSES = (CHECKING, CHECKED, RENDERING, MERGING, DONE, FAILED)
# An item (a row): waiting to be checked, refused (its problems say why), a design made of it
# (checked), its PDF rendered, or its render failed (its problems say why).
PENDING, REFUSED, READY, RENDERED = "pending", "refused", "ready", "rendered"
ITEM_STATUSES = (PENDING, REFUSED, READY, RENDERED, FAILED)


class Batch(StoreOwned, Timestamped, db.Model):
    """A template and its rows: one design per good row, a PDF per design and one merged PDF."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("batch"))
    template_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("templates.id", ondelete="SET NULL"), nullable=True, index=True
    )
    product_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    side_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Where the rows came from: "rows" (JSON), "csv" or "xlsx"; and the spreadsheet's name.
    source: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    columns: Mapped[list] = mapped_column(JSON, default=list)
    row_count: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=CHECKING, index=True)
    # Render as soon as every row is checked (else the merchant starts it: POST …/render).
    render_when_checked: Mapped[bool] = mapped_column(default=False)
    file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    render_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BatchItem(StoreOwned, Timestamped, db.Model):
    """One row of a batch: its values by column, its design and its PDF, or its problems."""

    __tablename__ = "batch_items"
    __table_args__ = (Index("ix_batch_items_batch_row", "batch_id", "row", unique=True),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("batch_item"))
    batch_id: Mapped[str] = mapped_column(String(32), ForeignKey("batches.id", ondelete="CASCADE"))
    # 1 is the first row of values (a spreadsheet's first row after its header).
    row: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    # [{column, reason}]: why the row made no design, or why its design did not render.
    problems: Mapped[list] = mapped_column(JSON, default=list)
    design_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("designs.id", ondelete="SET NULL"), nullable=True
    )
    render_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("renders.id", ondelete="SET NULL"), nullable=True
    )
    file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
