"""The dashboard's Files page: a store's uploaded images and PDFs (mockups, backgrounds, overlays,
product images, customers' uploads), with an upload form. Its upload, deletion and "load more" are
htmx requests to the /api/v1 files routes, which answer them with the partials in
templates/dashboard/files/."""

from flask import render_template, request
from flask_login import login_required

from designer.api.operations import parse
from designer.api.pagination import more_url, page_filters, paginate
from designer.files import services
from designer.files.api import SORTS
from designer.files.models import File
from designer.files.schemas import FileListQuery
from designer.web.dashboard import account_store, blueprint

# What a merchant uploads here (clipart has its own page), and what the list filters by.
UPLOAD_PURPOSES = [
    ("mockup", "Mockup"),
    ("background", "Background"),
    ("overlay", "Overlay"),
    ("product_image", "Product image"),
    ("upload", "Upload"),
    ("design", "Design"),
]
PURPOSE_LABELS = dict(UPLOAD_PURPOSES) | {"clipart": "Clipart", "proof": "Proof"}


@blueprint.get("/stores/<store_id>/files")
@login_required
def files(store_id: str):
    """The store's files, newest first (so an upload appears at the top), filtered by `?purpose=`
    (the API's list filters and sorts all work).

    Another account's store is a 404 page; a bad filter a 422 page.
    """
    store = account_store(store_id)
    query = parse(FileListQuery, request.args.to_dict(flat=True))
    statement = services.files_of(store.id, query.purpose, query.format, query.preflight_status)
    rows, _, cursor = paginate(statement, File, query, SORTS)
    return render_template(
        "dashboard/files/files.html",
        store=store,
        files=rows,
        more_url=more_url("api.list_files", query, cursor),
        filters=page_filters(query),
    )


@blueprint.app_template_global()
def file_purposes() -> list[tuple[str, str]]:
    """The purposes a merchant uploads on the Files page, as (value, label)."""
    return UPLOAD_PURPOSES


@blueprint.app_template_filter("purpose_label")
def purpose_label(purpose: str) -> str:
    return PURPOSE_LABELS.get(purpose, purpose)


@blueprint.app_template_filter("file_size")
def file_size(size_bytes: int) -> str:
    """A size for people: 812 bytes, 14 KB, 3.2 MB."""
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    if size_bytes < 1024 * 1024:
        return f"{round(size_bytes / 1024)} KB"
    return f"{size_bytes / (1024 * 1024):.1f} MB"
