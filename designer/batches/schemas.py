"""Request and response schemas for batches."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from designer.api.schemas import ListQuery, Out, Page, RefId, Schema, StoreId, Timestamp

CellValue = Annotated[str, StringConstraints(max_length=10_000)] | int | float | None
MAX_JSON_ROWS = 5000


class BatchCreate(Schema):
    template_id: RefId = Field(description="The template (tpl_…) each row's design starts from")
    rows: list[dict[str, CellValue]] | None = Field(
        None,
        min_length=1,
        max_length=MAX_JSON_ROWS,
        description="A row per design: {column: value}; a column names a text layer (its text) or an "
        "image layer (a photo's file id, fil_…, or an http(s) URL of one) of the template by its name. "
        "Give rows or fileId",
    )
    file_id: RefId | None = Field(
        None,
        description="Instead of rows: a CSV or XLSX spreadsheet uploaded as a file (purpose `rows`), its "
        "first row naming the columns",
    )
    render: bool = Field(False, description="Render the designs as soon as the rows are checked")

    @model_validator(mode="after")
    def _rows_or_file(self):
        if (self.rows is None) == (self.file_id is None):
            raise PydanticCustomError(
                "rows_or_file", "give the rows, or the fileId of a spreadsheet: one of the two"
            )
        return self


class BatchUpload(Schema):
    """The fields beside a spreadsheet (multipart field `file`: a CSV or an XLSX workbook)."""

    template_id: RefId = Field(description="The template (tpl_…) each row's design starts from")
    render: bool = Field(False, description="Render the designs as soon as the rows are checked")


class BatchListQuery(ListQuery):
    store_id: StoreId = None
    template_id: RefId | None = Field(None, description="Only the batches of this template")


class BatchItemQuery(ListQuery):
    store_id: StoreId = None
    sort: Literal["asc", "desc"] = "asc"
    sort_by: Literal["row"] = Field("row", description="Rows are listed by their number")
    status: Literal["pending", "refused", "ready", "rendered", "failed"] | None = Field(
        None, description="Only the rows of this status"
    )


class BatchProblem(Schema):
    """Why a row made no design, or why its design did not print."""

    row: int = Field(description="1 is the first row of values (a spreadsheet's first row after its header)")
    column: str | None = Field(description="The column at fault; null: the row as a whole")
    reason: str


class BatchProgress(Schema):
    rows: int
    pending: int = Field(description="Rows not checked yet")
    refused: int = Field(description="Rows that made no design (see problems)")
    ready: int = Field(description="Rows whose design is made and waits to be rendered")
    rendered: int = Field(description="Rows whose PDF is made")
    failed: int = Field(description="Rows whose design could not be rendered (see problems)")
    percent: int = Field(description="How much of the current step is done, 0 to 100")


class BatchOut(Out):
    id: str
    template_id: str | None
    product_id: str | None
    side_id: str | None
    source: Literal["rows", "csv", "xlsx"]
    filename: str | None
    columns: list[str]
    row_count: int
    status: Literal["checking", "checked", "rendering", "merging", "done", "failed"]
    progress: BatchProgress
    problems: list[BatchProblem]
    file_id: str | None = Field(description="The merged PDF, once done")
    pdf_url: str | None = Field(description="Where the merged PDF is downloaded, once done")
    error: str | None
    created_at: Timestamp
    render_started_at: Timestamp | None
    finished_at: Timestamp | None


class BatchItemOut(Out):
    id: str
    row: int
    values: dict[str, str]
    status: Literal["pending", "refused", "ready", "rendered", "failed"]
    problems: list[BatchProblem]
    design_id: str | None
    render_id: str | None
    file_id: str | None
    pdf_url: str | None = Field(description="Where the row's PDF is downloaded, once rendered")


class BatchPage(Page[BatchOut]):
    pass


class BatchItemPage(Page[BatchItemOut]):
    pass
