"""/api/v1 routes for batches: a template and rows (JSON, or a CSV or XLSX spreadsheet) made into a
design per row, then a PDF per row and one merged PDF.

The merchant's (secret tokens with the designs scopes, and accounts). The dashboard's Batches page
(web/batches.py) is `list_batches` answering a browser; its upload form posts to
`upload_batch`, and the batch's progress is `get_batch` answering htmx with
`dashboard/batches/_batch.html`, a fragment that asks again every second until the batch is done.
"""

from designer.api.downloads import send_bytes
from designer.api.multipart import Upload
from designer.api.pagination import more_url, paginate
from designer.api.resource import Routes
from designer.api.respond import respond
from designer.api.schemas import StoreQuery
from designer.api.store_scope import store_id_of
from designer.batches import service
from designer.batches.models import Batch, BatchItem
from designer.batches.present import batch_out, item_out
from designer.batches.schemas import (
    BatchCreate,
    BatchItemPage,
    BatchItemQuery,
    BatchListQuery,
    BatchOut,
    BatchPage,
    BatchUpload,
)

MERCHANTS = ("secret", "account")
PAGES = "dashboard/batches/"
_BATCH = PAGES + "_batch.html"

batches = Routes("/batches", resource="designs")


@batches.route("POST", auth=MERCHANTS, response=BatchOut, status=201)
def create_batch(caller, query: StoreQuery, body: BatchCreate):
    """Make a design of each row (JSON `rows`, or `fileId`: an uploaded CSV or XLSX spreadsheet; columns named
    by the template's layers); the rows are checked by a worker, and rendered once checked when `render` is
    true"""
    store_id = store_id_of(caller)
    if body.file_id is not None:
        table, filename = service.rows_of_file(store_id, body.file_id)
        rows, columns, source = table.rows, table.columns, table.format
    else:
        (rows, columns), source, filename = service.json_rows(body.rows), "rows", None
    batch = service.create_batch(
        store_id,
        body.template_id,
        rows,
        source=source,
        columns=columns,
        filename=filename,
        render=body.render,
    )
    return respond(_shown(batch), status=201)


@batches.route(
    "POST /upload",
    auth=MERCHANTS,
    response=BatchOut,
    status=201,
    form=PAGES + "_upload_form.html",
    upload=Upload(BatchUpload),
)
def upload_batch(caller, body: BatchUpload, files: list[tuple[str, bytes]]):
    """Make a design of each row of a spreadsheet (multipart field `file`: CSV or XLSX, told by its content;
    its first row names the columns); 422 naming `file` for anything else, or one too large"""
    ((filename, data),) = files
    table = service.rows_of_upload(data)
    batch = service.create_batch(
        store_id_of(caller),
        body.template_id,
        table.rows,
        source=table.format,
        columns=table.columns,
        filename=filename,
        render=body.render,
    )
    return respond(_shown(batch), status=201, partial=PAGES + "_batch_created.html", batch=batch)


@batches.route("GET", auth=MERCHANTS, response=BatchPage)
def list_batches(caller, query: BatchListQuery):
    """List the store's batches, newest first (of one template with templateId)"""
    store_id = store_id_of(caller)
    statement = service.batches_of(store_id, query.template_id)
    rows, has_more, cursor = paginate(statement, Batch, query, {"createdAt": Batch.created_at})
    return respond(
        lambda: BatchPage.of_rows(_shown, rows, has_more, cursor),
        page=PAGES + "list.html",
        batches=rows,
        shown=_shown,
        more=more_url("api.list_batches", query, cursor),
    )


@batches.route("GET /<batch_id>", auth=MERCHANTS, response=BatchOut)
def get_batch(caller, batch_id: str, query: StoreQuery):
    """Get a batch: its status, progress, and each row's problems (row, column, reason)"""
    batch = service.find_batch(store_id_of(caller), batch_id)
    return respond(_shown(batch), partial=_BATCH, batch=batch)


@batches.route("POST /<batch_id>/render", auth=MERCHANTS, response=BatchOut, status=202)
def render_batch(caller, batch_id: str, query: StoreQuery):
    """Render the batch's designs, a PDF per row and one merged PDF (batch.completed when done); asked
    while its rows are checked, it renders once they are; 409 when no row made a design"""
    batch = service.start_render(service.find_batch(store_id_of(caller), batch_id))
    return respond(_shown(batch), status=202, partial=_BATCH, batch=batch)


@batches.route("GET /<batch_id>/items", auth=MERCHANTS, response=BatchItemPage)
def list_batch_items(caller, batch_id: str, query: BatchItemQuery):
    """List a batch's rows in row order: their values, status, design, problems and PDF"""
    batch = service.find_batch(store_id_of(caller), batch_id)
    statement = service.items_of(batch, query.status)
    rows, has_more, cursor = paginate(statement, BatchItem, query, {"row": BatchItem.row})
    return respond(BatchItemPage.of_rows(item_out, rows, has_more, cursor))


@batches.route("GET /<batch_id>/pdf", auth=MERCHANTS, binary={200: "application/pdf"})
def get_batch_pdf(caller, batch_id: str, query: StoreQuery):
    """The merged PDF: every rendered row's page in row order; 409 while the batch is not done"""
    batch = service.find_batch(store_id_of(caller), batch_id)
    return _download(*service.merged_file(batch))


@batches.route("GET /<batch_id>/items/<item_id>/pdf", auth=MERCHANTS, binary={200: "application/pdf"})
def get_batch_item_pdf(caller, batch_id: str, item_id: str, query: StoreQuery):
    """One row's PDF; 409 while it is not rendered"""
    item = service.find_item(service.find_batch(store_id_of(caller), batch_id), item_id)
    return _download(*service.item_file(item))


def _shown(batch: Batch) -> BatchOut:
    return batch_out(batch, service.progress_of(batch), service.problems_of(batch))


def _download(data: bytes, filename: str, sha256: str):
    response = send_bytes(data, "application/pdf", etag=sha256, filename=filename)
    response.headers["Content-Disposition"] = response.headers["Content-Disposition"].replace(
        "inline", "attachment", 1
    )
    return response
