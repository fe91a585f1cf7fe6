"""Font and Clipart tables, and the clipart's categories."""

from sqlalchemy import JSON, BigInteger, Boolean, Column, Float, ForeignKey, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from designer.categories.models import Category
from designer.extensions import db
from designer.ids import new_id
from designer.models import StoreOwned, Timestamped

clipart_categories = Table(
    "clipart_categories",
    db.metadata,
    Column("clipart_id", String(32), ForeignKey("clipart.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", String(32), ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class Font(StoreOwned, Timestamped, db.Model):
    """A font a store's designs may use. Family, style and weight are read from the file."""

    __tablename__ = "fonts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("font"))
    family: Mapped[str] = mapped_column(String(200), index=True)
    style: Mapped[str] = mapped_column(String(16), default="normal")  # normal, italic
    weight: Mapped[int] = mapped_column(Integer, default=400)
    format: Mapped[str] = mapped_column(String(8))  # ttf, otf, woff, woff2
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    # Where the bytes are: a storage key for an upload, or a path in the installed default library.
    storage_key: Mapped[str] = mapped_column(String(255))
    library: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    licence: Mapped[str] = mapped_column(String(64), default="")
    # Read from the file's name table, like family: "Roboto Bold Italic", "Roboto-BoldItalic".
    full_name: Mapped[str] = mapped_column(String(200), default="")
    postscript_name: Mapped[str] = mapped_column(String(200), default="")
    glyph_count: Mapped[int] = mapped_column(Integer, default=0)
    # The writing systems its character map covers ("latin", "arabic", "devanagari", "hangul", …).
    scripts: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The uploaded file's name (the library file's for default fonts).
    filename: Mapped[str] = mapped_column(String(255), default="")


class Clipart(StoreOwned, Timestamped, db.Model):
    __tablename__ = "clipart"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: new_id("clipart"))
    name: Mapped[str] = mapped_column(String(200), index=True)
    format: Mapped[str] = mapped_column(String(8))  # svg, png
    storage_key: Mapped[str] = mapped_column(String(255))
    thumbnail_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    width_px: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height_px: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # A single-colour clipart can be recoloured in the editor.
    recolorable: Mapped[bool] = mapped_column(Boolean, default=False)
    # The one colour a recolorable SVG is painted with ("#rrggbb" or "currentColor").
    color: Mapped[str | None] = mapped_column(String(16), nullable=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    # Free labels ("shapes", "nature", …): the default library's sections, and the merchant's own.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    library: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    file_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("files.id", ondelete="SET NULL"), nullable=True
    )

    # An uploaded SVG is stored normalized (library/svg_normalize.py) under storage_key; the file
    # as uploaded (sanitized) is kept here: the reference its print is compared with, and what
    # its raster is drawn from.
    original_key: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The share of pixels that print differently from the reference's drawing (0 to 1), measured
    # at upload; None when not measured (a PNG, the default library, an older upload).
    print_differing: Mapped[float | None] = mapped_column(Float, nullable=True)
    # What will print differently, in plain words for the merchant; None when nothing will.
    print_warning: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    # The merchant's choice: print a 600 dpi raster of the reference's drawing instead of vectors.
    print_as_raster: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    categories: Mapped[list[Category]] = relationship(secondary=clipart_categories, order_by=Category.name)
