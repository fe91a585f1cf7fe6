"""Request and response schemas for files and their preflight reports."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from designer.api.schemas import ListQuery, Out, Page, Schema, StoreId, Timestamp

UploadPurpose = Literal[
    "upload", "design", "clipart", "mockup", "background", "overlay", "product_image", "color_profile", "rows"
]
# A stored file's purpose: an upload's, or what the workers render from a design: a `proof` (PNG)
# or the `print` PDF.
Purpose = Literal[UploadPurpose, "proof", "print"]
Format = Literal["jpeg", "png", "webp", "tiff", "gif", "pdf", "svg", "icc", "csv", "xlsx"]
CheckStatus = Literal["passed", "warning", "failed"]
Id = Annotated[str, StringConstraints(min_length=1, max_length=120)]

_PURPOSE_TEXT = (
    "What the file is for: a customer's `upload` or `design` asset, or a merchant's `clipart`, "
    "`mockup`, `background`, `overlay` or `product_image`, a `color_profile` (ICC), or the `rows` of a "
    "batch (a CSV or XLSX spreadsheet). Publishable-token callers may upload "
    "only `upload` and `design`"
)


class Check(Schema):
    name: str = Field(
        description="type, size, dimensions, integrity, colorMode, resolution, frames, encryption, "
        "pages, pageSize, fonts, activeContent, sanitized, complexity, text, render"
    )
    status: CheckStatus
    message: str


class PrintSize(Schema):
    width: float = Field(description="mm")
    height: float = Field(description="mm")
    at_dpi: int


class PageSize(Schema):
    width: float = Field(description="mm")
    height: float = Field(description="mm")


class PreflightReport(Schema):
    """What preflight found. Fields that do not apply to the file's format are null."""

    status: CheckStatus
    format: Format | None
    media_type: str | None
    size_bytes: int
    width_px: int | None
    height_px: int | None
    color_mode: str | None = Field(description="rgb, rgba, cmyk, grayscale, palette, bilevel, …")
    dpi: float | None = Field(description="The resolution the image's metadata states, if any")
    max_print_size_mm: PrintSize | None = Field(
        description="The largest size the image prints at the product's minimum DPI (300 without one)"
    )
    page_count: int | None
    page_size_mm: PageSize | None = Field(description="The first page's trim box")
    checks: list[Check]


class FileOut(Out):
    id: str
    purpose: Purpose
    filename: str
    format: Format
    media_type: str
    size_bytes: int = Field(description="The stored size: an SVG's sanitized copy")
    sha256: str
    width_px: int | None
    height_px: int | None
    page_count: int | None
    uploaded_by: Literal["secret", "account", "publishable"]
    preflight: PreflightReport
    content_url: str
    thumbnail_url: str | None = Field(description="Null for PDFs, whose pages are not rasterized")
    created_at: Timestamp
    updated_at: Timestamp


class FilePage(Page[FileOut]):
    pass


class UploadForm(Schema):
    """The multipart form's fields beside the file(s)."""

    purpose: UploadPurpose = Field("upload", description=_PURPOSE_TEXT)
    product_id: Id | None = Field(
        None, description="A product (id or slug) whose rules apply: allowed types, size limit, minimum DPI"
    )
    store_id: StoreId = None
    thumbnail_width_px: int | None = Field(
        None, ge=16, le=1024, description="The thumbnail's largest side (default 400 px)"
    )


class FileListQuery(ListQuery):
    purpose: Purpose | None = Field(None, description="Only files for this purpose")
    format: Format | None = Field(None, description="Only files of this format")
    preflight_status: Literal["passed", "warning"] | None = Field(
        None, description="Only files whose preflight passed, or passed with warnings"
    )
    store_id: StoreId = None


class FileCountQuery(Schema):
    purpose: Purpose | None = None
    format: Format | None = None
    preflight_status: Literal["passed", "warning"] | None = None
    store_id: StoreId = None
