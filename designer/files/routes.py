"""/api/v1 routes for files: uploads with preflight, their content and thumbnails.

Who may do what:
- secret tokens (scope `files`) and accounts (Basic or the dashboard session, naming the store
  in `storeId`) do everything: upload any purpose, list, count, get, read, delete;
- a publishable token is public (it sits in the storefront's pages), so a customer may upload
  (`upload` and `design` files only) and get, read or see the thumbnail of a file by its id (ids
  carry 80 random bits, unguessable), but not list, count or delete: that would show every
  customer's uploads to anyone. Merchant assets (mockups, clipart, …) are readable by id the same
  way, since the storefront editor shows them.
PrintCart's Image operations map here: add → POST /files/upload, batch add → POST
/files/upload/batch (field `files[]`), list → GET /files, count → GET /files/count, get → GET
/files/{id}, delete → DELETE /files/{id}; its `type` (cliparts, designs) is `purpose`, its
`custom_width` is `thumbnailWidthPx`.
"""

from collections.abc import Callable

from flask import url_for

from designer.api.downloads import send_bytes
from designer.api.multipart import Upload
from designer.api.pagination import count, more_url, page_filters, paginate
from designer.api.resource import Resource
from designer.api.respond import respond
from designer.api.schemas import Count, StoreQuery, out_of
from designer.api.store_scope import store_id_of
from designer.errors import Forbidden, NotFound, ValidationFailed
from designer.files import service
from designer.files.models import File
from designer.files.schemas import FileCountQuery, FileListQuery, FileOut, FilePage, UploadForm

MERCHANT = ("secret", "account")
ANY_CALLER = ("secret", "account", "publishable")
SORTS = {"createdAt": File.created_at, "filename": File.filename, "sizeBytes": File.size_bytes}


def file_out(file: File) -> FileOut:
    return out_of(
        FileOut,
        file,
        content_url=url_for("api.get_file_content", file_id=file.id),
        thumbnail_url=url_for("api.get_file_thumbnail", file_id=file.id) if file.thumbnail_key else None,
    )


stored_files = Resource("/files", id_name="file_id", find=service.get_file, out=file_out, page=FilePage)


@stored_files.route(
    "POST /upload",
    auth=ANY_CALLER,
    response=FileOut,
    status=201,
    form="dashboard/files/_file_form.html",
    upload=Upload(UploadForm),
)
def upload_file(caller, body: UploadForm, files: list[tuple[str, bytes]]):
    """Upload a file (multipart field `file`); it is preflighted, and refused with 422 and its reasons when it
    fails"""
    store_id, product = _upload_target(caller, body)
    ((filename, data),) = files
    file = service.upload_file(
        store_id,
        filename=filename,
        data=data,
        purpose=body.purpose,
        uploaded_by=caller.kind,
        product=product,
        thumbnail_px=body.thumbnail_width_px,
    )
    return respond(
        file_out(file),
        status=201,
        partial="dashboard/files/_file_created.html",
        file=file,
        values={"purpose": body.purpose},
    )


@stored_files.route(
    "POST /upload/batch",
    auth=ANY_CALLER,
    response=FilePage,
    status=201,
    upload=Upload(UploadForm, files=("files[]", "files"), at_most=service.MAX_FILES_PER_BATCH),
    summary=f"Upload up to {service.MAX_FILES_PER_BATCH} files (multipart field `files[]`), all or nothing: "
    "if any fails preflight, none is stored",
)
def upload_files(caller, body: UploadForm, files: list[tuple[str, bytes]]):
    store_id, product = _upload_target(caller, body)
    uploads = [service.Upload(name, data) for name, data in files]
    files = service.upload_files(
        store_id,
        uploads,
        purpose=body.purpose,
        uploaded_by=caller.kind,
        product=product,
        thumbnail_px=body.thumbnail_width_px,
    )
    return respond(FilePage.of([file_out(file) for file in files]), status=201)


@stored_files.route("GET", auth=MERCHANT, response=FilePage)
def list_files(caller, query: FileListQuery):
    """List files"""
    statement = service.files_of(store_id_of(caller), query.purpose, query.format, query.preflight_status)
    rows, has_more, cursor = paginate(statement, File, query, SORTS)
    return respond(
        FilePage.of_rows(file_out, rows, has_more, cursor),
        partial="dashboard/files/_file_rows.html",
        page="dashboard/files/files.html",
        files=rows,
        more_url=more_url("api.list_files", query, cursor),
        filters=page_filters(query),
    )


@stored_files.route("GET /count", auth=MERCHANT, response=Count)
def count_files(caller, query: FileCountQuery):
    """Count files"""
    statement = service.files_of(store_id_of(caller), query.purpose, query.format, query.preflight_status)
    return respond(Count(count=count(statement, File)))


stored_files.get("get_file", "Get a file and its preflight report", auth=ANY_CALLER)
stored_files.delete(
    "delete_file", "Delete a file and its stored bytes", auth=MERCHANT, delete=service.delete_file
)


@stored_files.route("GET /<file_id>/content", auth=ANY_CALLER, binary={200: "*/*"})
def get_file_content(caller, file_id: str, query: StoreQuery):
    """Get a file's bytes (an SVG's sanitized copy)"""
    file = service.get_file(store_id_of(caller), file_id)
    return send_bytes(service.read_file(file), file.media_type, etag=file.sha256, filename=file.filename)


@stored_files.route("GET /<file_id>/thumbnail", auth=ANY_CALLER)
def get_file_thumbnail(caller, file_id: str, query: StoreQuery):
    """Get a file's thumbnail (PNG or JPEG; PDFs have none)"""
    file = service.get_file(store_id_of(caller), file_id)
    media_type = service.thumbnail_media_type(file)
    thumbnail = service.read_thumbnail(file)
    name = file.filename.rsplit(".", 1)[0] + (".png" if media_type == "image/png" else ".jpg")
    return send_bytes(thumbnail, media_type, etag=f"{file.sha256}-thumbnail", filename=f"thumbnail-{name}")


# Reading the request


# Products sit above files (they show files): the products room hands the upload routes its
# look-up of the product an upload is for at start (create_app), so files never imports products.
_product_lookups: list[Callable] = []


def register_product_lookup(find_product: Callable) -> None:
    """Hands the upload routes `find_product(store_id, id_or_slug)`, which raises NotFound for a
    product not in the store. The last one registered is used."""
    _product_lookups[:] = [find_product]


def _upload_target(caller, form: UploadForm) -> tuple[str, object | None]:
    """The store and product an upload is for. Raises Forbidden for a merchant purpose from a
    publishable token, ValidationFailed naming `productId` for a product not in the store."""
    store_id = store_id_of(caller)
    if caller.kind == "publishable" and form.purpose not in service.CUSTOMER_PURPOSES:
        raise Forbidden(
            f"A publishable token may upload only {' and '.join(service.CUSTOMER_PURPOSES)} files; "
            f"'{form.purpose}' files are the merchant's (use a secret token)",
            field="purpose",
        )
    if form.product_id is None:
        return store_id, None
    (find_product,) = _product_lookups
    try:
        return store_id, find_product(store_id, form.product_id)
    except NotFound:
        raise ValidationFailed(
            f"Field 'productId': no product '{form.product_id}' in this store", field="productId"
        ) from None
