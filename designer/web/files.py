"""The dashboard's Files page: a store's uploaded images and PDFs (mockups, backgrounds, overlays,
product images, customers' uploads), with an upload form. Its upload, deletion and "load more" are
htmx requests to the /api/v1 files routes, which answer them with the partials in
templates/dashboard/files/."""

from designer.files.routes import list_files
from designer.web.dashboard import blueprint, page

# What a merchant uploads here (clipart has its own page), and what the list filters by.
UPLOAD_PURPOSES = [
    ("mockup", "Mockup"),
    ("background", "Background"),
    ("overlay", "Overlay"),
    ("product_image", "Product image"),
    ("color_profile", "Colour profile (ICC, for CMYK print)"),
    ("upload", "Upload"),
    ("design", "Design"),
]
PURPOSE_LABELS = dict(UPLOAD_PURPOSES) | {"clipart": "Clipart", "proof": "Proof"}


# The store's files, newest first (so an upload appears at the top), filtered by `?purpose=` (the
# API's list filters and sorts all work). A bad filter is a 422 page.
page("/stores/<store_id>/files", "files", list_files)


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
