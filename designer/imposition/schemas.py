"""Request and response schemas for gang sheets."""

from typing import Literal

from pydantic import Field

from designer.api.schemas import Out, RefId, Schema, Timestamp

SheetName = Literal["sra3", "a3", "13x19", "custom"]
SheetOrder = Literal["step_and_repeat", "cut_and_stack"]


class GangSheetCreate(Schema):
    product_id: RefId = Field(description="The product (id or slug) whose line items are ganged")
    stage: Literal["queue", "press"] = Field(
        "queue",
        description="The production stage whose orders (paid or in production) are ganged; they move to "
        "press",
    )
    sheet: SheetName = Field(
        "sra3",
        description="SRA3 (320 × 450 mm), A3 (297 × 420 mm), 13 × 19 in, or custom (widthMm, heightMm)",
    )
    width_mm: float | None = Field(None, gt=0, le=3000, description="A custom sheet's width (sheet: custom)")
    height_mm: float | None = Field(
        None, gt=0, le=3000, description="A custom sheet's height (sheet: custom)"
    )
    order: SheetOrder = Field(
        "step_and_repeat",
        description="step_and_repeat: the first sheet holds the first items, row by row; cut_and_stack: item "
        "i on sheet i mod m, so that the cut stacks come out in order",
    )
    gutter_mm: float = Field(
        6.0, ge=0, le=200, description="Between items' bleeds (at least 5 mm: crop marks)"
    )
    margin_mm: float = Field(10.0, ge=0, le=500, description="Around the grid (at least 7 mm: crop marks)")
    n_up: int | None = Field(
        None, ge=1, le=500, description="Items per sheet; default: as many as fit (turned when more fit so)"
    )
    allow_turning: bool = Field(True, description="Turn items a quarter when more fit that way")


class GangSheetLayout(Schema):
    sheet: SheetName
    width_mm: float
    height_mm: float
    order: SheetOrder
    gutter_mm: float
    margin_mm: float
    columns: int
    rows: int
    n_up: int
    turned: bool = Field(description="Items turned a quarter anticlockwise (their backs clockwise)")


class GangSheetOut(Out):
    id: str
    product_id: str | None = Field(description="null once the product is deleted")
    stage: str = Field(description="The production stage its orders were ganged from")
    layout: GangSheetLayout
    sheet_count: int = Field(description="Press sheets; each is two pages (front, back) when duplex")
    duplex: bool = Field(
        description="Backs printed work-and-turn: each back mirrored across the sheet's vertical centre "
        "line, behind its front"
    )
    order_ids: list[str]
    line_item_ids: list[str]
    sha256: str
    size_bytes: int
    pdf_url: str = Field(description="The sheets' PDF (PDF/X-4 in the product's output mode)")
    created_at: Timestamp
