"""The approvals table: who approved which print-ready PDF of a project, and when."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped, utcnow

CUSTOMER, MERCHANT = "customer", "merchant"
# How the approver reached Presswork: the customer's browser in the editor (its session opened the
# project), a storefront's publishable token, the merchant's account or a secret token.
EDITOR_SESSION, STOREFRONT_TOKEN = "editor_session", "storefront_token"
ACCOUNT, SECRET_TOKEN = "account", "secret_token"


class Approval(StoreOwned, Timestamped, db.Model):
    """A project's print-ready PDF (a render) approved for print.

    It is an approval of the render's inputs (`input_hash`: what the PDF prints): a design changed
    afterwards hashes differently, so the approval no longer holds for it. The PDF's `sha256` is
    kept with it, and an order's line item bound to it prints that file or nothing. It outlives
    the project and the render (their ids are then null): what an order printed stays on record.
    """

    __tablename__ = "approvals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("approval"))
    project_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("projects.id", ondelete="SET NULL"), nullable=True, index=True
    )
    render_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("renders.id", ondelete="SET NULL"), nullable=True
    )
    file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )
    input_hash: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # The designs printed, a page each in side order, and what the checks before print found.
    design_ids: Mapped[list] = mapped_column(JSON, default=list)
    checks: Mapped[list] = mapped_column(JSON, default=list)
    approved_by: Mapped[str] = mapped_column(String(16))  # customer, or merchant (on their behalf)
    via: Mapped[str] = mapped_column(String(24))
    account_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    token_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
