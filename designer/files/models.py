"""An uploaded file (a customer's photo, a merchant's mockup, clipart, a PDF) and its preflight."""

from sqlalchemy import JSON, BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped


class File(StoreOwned, Timestamped, db.Model):
    __tablename__ = "files"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("file"))
    # What it is for: "upload" (a customer's), "design", "clipart", "mockup", "background",
    # "overlay", "product_image".
    purpose: Mapped[str] = mapped_column(String(32), default="upload", index=True)
    filename: Mapped[str] = mapped_column(String(255))
    # The format sniffed from the bytes (jpeg, png, webp, tiff, gif, pdf, svg), never the name's.
    format: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    storage_key: Mapped[str] = mapped_column(String(255))
    thumbnail_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    width_px: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height_px: Mapped[int | None] = mapped_column(Integer, nullable=True)
    page_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # "passed" or "warning" (a failed file is never stored); the report's checks as the API shows them.
    preflight_status: Mapped[str] = mapped_column(String(16))
    preflight: Mapped[dict] = mapped_column(JSON)
    # Who uploaded it: "secret", "account" or "publishable" (a customer through the storefront).
    uploaded_by: Mapped[str] = mapped_column(String(16))
