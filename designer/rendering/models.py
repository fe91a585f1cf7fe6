"""The Render table: one print-ready PDF of a design or a project for one set of inputs (kind
`print`), or a design's proof (kind `proof`): one job pattern for everything a worker renders."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped

QUEUED, RENDERING, DONE, FAILED = "queued", "rendering", "done", "failed"
STATUSES = (QUEUED, RENDERING, DONE, FAILED)
PRINT, PROOF = "print", "proof"
KINDS = (PRINT, PROOF)


class Render(StoreOwned, Timestamped, db.Model):
    """A render of a design (one page) or a project (a page per side, in side order).

    A `print` render's `input_hash` is the sha256 of everything that decides the PDF's bytes (each
    side's print SVG, trim and bleed), so it is looked up by what it would print: a changed design
    has a new hash and gets a new render, an unchanged one reuses the file already made.

    A `proof` is a design's PNG proof (rendering/proofs.py): one per design, made again each time
    the design is completed, so its `input_hash` is always PROOF_INPUT.
    """

    __tablename__ = "renders"
    # One render per owner and inputs, held by the database: two requests racing to start the same
    # render cannot both create it (and so cannot both queue its job).
    __table_args__ = (UniqueConstraint("owner_id", "kind", "input_hash", name="uq_renders_owner_kind_input"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("render"))
    # Exactly one of the two is set.
    design_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("designs.id", ondelete="CASCADE"), nullable=True, index=True
    )
    project_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("projects.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # The design's or the project's id, whichever is set.
    owner_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16), default=PRINT, server_default=PRINT)
    input_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # A print render's checks before print (composer/checks.py), for the print shop: warnings, the
    # PDF is made all the same. [{code, designId, layerId, message}], in page and layer order.
    checks: Mapped[list | None] = mapped_column(JSON, nullable=True)
    # How many times a worker started it (RQ's retries and the reconciler's re-enqueues).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When it was last queued and last started: the reconciler finds stale ones by them.
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
