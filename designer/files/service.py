"""File operations: upload (preflight, store, thumbnail), get, read, list, delete.

Callers own the transaction: these flush, never commit, with one exception: a file that fails
preflight has its `file.preflight_failed` event committed before PreflightFailed is raised, since
the error rolls the caller's transaction back and the event must outlive it (see `_reject`).

Stored bytes follow the transaction (see `_storage_follows_transaction`): bytes saved for a
file are deleted again if the transaction rolls back, and bytes of a deleted file are removed
only once the deletion is committed. So a rejected or rolled-back upload leaves nothing behind,
and a delete that fails never leaves a row without its bytes.
"""

import hashlib
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from flask import current_app

from designer.composer.layers import IMAGE_LAYER_FORMATS
from designer.errors import NotFound, ValidationFailed
from designer.events import record_event
from designer.extensions import db
from designer.files.models import File
from designer.files.preflight import MEDIA_TYPES, Limits, Outcome, Rules, run_preflight
from designer.files.storage import StoredObjectMissing, delete_after_commit, save_in_transaction, storage
from designer.ids import new_id
from designer.tenancy import get_in_store, in_store, narrowed

UPLOAD_PURPOSES = (
    "upload",
    "design",
    "clipart",
    "mockup",
    "background",
    "overlay",
    "product_image",
    "color_profile",  # a printer's ICC profile, for CMYK print-ready PDFs
    "rows",  # a CSV or XLSX spreadsheet of rows for a variable-data batch (designer/batches)
    "model",  # a GLB to register as a 3D model (designer/previews3d)
)
# An ICC profile is a colour profile's file and nothing else's; a colour profile is only that.
COLOR_PROFILE_RULES = Rules(
    allowed_formats=frozenset({"icc"}), allowed_types_text="an ICC profile (.icc, .icm)"
)
# Rows for a batch are a spreadsheet, and a spreadsheet is nothing else.
ROWS_RULES = Rules(allowed_formats=frozenset({"csv", "xlsx"}), allowed_types_text="a CSV or XLSX spreadsheet")
SPREADSHEETS = frozenset({"csv", "xlsx"})
# A model's file is a GLB, and a GLB is nothing else.
MODEL_RULES = Rules(allowed_formats=frozenset({"glb"}), allowed_types_text="a GLB 3D model (.glb)")
# Files nobody uploads: the proofs (PNG) and print PDFs the workers render from designs.
PURPOSES = (*UPLOAD_PURPOSES, "proof", "print")
# What a customer (a publishable-token caller) may upload; the rest are the merchant's assets.
CUSTOMER_PURPOSES = ("upload", "design")
UPLOADERS = ("secret", "account", "publishable")
# Files Presswork renders from customers' designs: stored as the account's, but not its pictures.
RENDERED_PURPOSES = ("proof", "print")
MAX_FILES_PER_BATCH = 20

log = logging.getLogger(__name__)


class PreflightFailed(ValidationFailed):
    """A file failed preflight: 422 naming field `file`, with one error per failed check.

    `report` is the whole preflight report (checks that passed or warned included).
    """

    def __init__(self, report: dict, field: str = "file"):
        failures = [check for check in report["checks"] if check["status"] == "failed"]
        first = failures[0]["message"] if failures else "The file failed preflight"
        super().__init__(
            f"The file failed preflight: {first}",
            field=field,
            errors=[
                {"field": field, "check": check["name"], "message": check["message"]} for check in failures
            ],
        )
        self.report = report


@dataclass(frozen=True)
class Upload:
    """One file of a batch upload."""

    filename: str
    data: bytes


def limits_from_config() -> Limits:
    """Preflight limits from the app's config (PREFLIGHT_*), defaults where unset."""
    config = current_app.config
    defaults = Limits()
    return Limits(
        max_bytes=config.get("MAX_CONTENT_LENGTH") or defaults.max_bytes,
        max_image_pixels=config.get("PREFLIGHT_MAX_IMAGE_PIXELS", defaults.max_image_pixels),
        min_image_px=config.get("PREFLIGHT_MIN_IMAGE_PX", defaults.min_image_px),
        max_pdf_pages=config.get("PREFLIGHT_MAX_PDF_PAGES", defaults.max_pdf_pages),
        max_svg_bytes=config.get("PREFLIGHT_MAX_SVG_BYTES", defaults.max_svg_bytes),
        max_svg_elements=config.get("PREFLIGHT_MAX_SVG_ELEMENTS", defaults.max_svg_elements),
        max_svg_image_pixels=config.get("PREFLIGHT_MAX_SVG_IMAGE_PIXELS", defaults.max_svg_image_pixels),
        svg_render_timeout_s=config.get("PREFLIGHT_SVG_RENDER_TIMEOUT_S", defaults.svg_render_timeout_s),
        svg_render_memory_bytes=config.get(
            "PREFLIGHT_SVG_RENDER_MEMORY_BYTES", defaults.svg_render_memory_bytes
        ),
        thumbnail_px=config.get("THUMBNAIL_PX", defaults.thumbnail_px),
        render_memory_bytes=config.get("RENDER_MEMORY_MB", 1024) * 1024 * 1024,
        concurrent_decodes=config.get("PREFLIGHT_CONCURRENT_DECODES", defaults.concurrent_decodes),
    )


def rules_for(product=None) -> Rules:
    """The preflight rules a product sets (allowedFileTypes, maxUploadBytes, minImageDpi, its
    sides' trim sizes); no product, or a missing key, restricts nothing."""
    if product is None:
        return Rules()
    return Rules.from_product(product)


@dataclass(frozen=True)
class PhotoLimits:
    """What a photo for a product's image layer may be, as an upload refuses it: the most bytes
    (the product's maxUploadBytes, else the app's upload limit) and the media types allowed (the
    image formats an image layer draws, narrowed by the product's allowedFileTypes)."""

    max_bytes: int
    media_types: tuple[str, ...]


def photo_limits(product=None) -> PhotoLimits:
    """The limits an upload for `product` keeps to, for a browser to refuse a file before sending it."""
    limits, rules = limits_from_config(), rules_for(product)
    formats = IMAGE_LAYER_FORMATS & (rules.allowed_formats or IMAGE_LAYER_FORMATS)
    return PhotoLimits(
        max_bytes=min(limits.max_bytes, rules.max_bytes or limits.max_bytes),
        media_types=tuple(MEDIA_TYPES[name] for name in MEDIA_TYPES if name in formats),
    )


def upload_file(
    store_id: str,
    *,
    filename: str,
    data: bytes,
    purpose: str,
    uploaded_by: str,
    product=None,
    thumbnail_px: int | None = None,
) -> File:
    """Preflight `data`, store it and its thumbnail, add the File row (flush, no commit).

    What is stored is what preflight approved: the original bytes, or for an SVG its sanitized
    copy. A file with warnings is accepted with them.

    Raises ValidationFailed naming `purpose` for an unknown purpose, and PreflightFailed (a
    ValidationFailed: 422, naming field `file`, carrying the report) when the file fails; then
    nothing is stored, the session's uncommitted work is rolled back and a committed
    `file.preflight_failed` event records the failure.
    """
    _check_purpose(purpose, uploaded_by)
    outcome = _preflight(filename, data, product, thumbnail_px, purpose)
    if outcome.failed:
        _reject(store_id, [(filename, data, outcome)], purpose, uploaded_by, product)
        raise PreflightFailed(outcome.report)
    return _store(store_id, filename, data, outcome, purpose, uploaded_by)


def upload_files(
    store_id: str,
    uploads: list[Upload],
    *,
    purpose: str,
    uploaded_by: str,
    product=None,
    thumbnail_px: int | None = None,
    field: str = "files",
) -> list[File]:
    """Upload several files, all or nothing: every file is preflighted before any is stored.

    Raises ValidationFailed naming `purpose` for an unknown purpose, naming `field` for an empty
    batch or one of more than MAX_FILES_PER_BATCH files, and PreflightFailed naming `files.<index>`
    of the first failing file, with an error per failed check of every failing file (each naming
    its index); then nothing is stored, the session's uncommitted work is rolled back, and one
    committed `file.preflight_failed` event is recorded per failing file.
    """
    _check_purpose(purpose, uploaded_by)
    if not 1 <= len(uploads) <= MAX_FILES_PER_BATCH:
        raise ValidationFailed(f"Send 1 to {MAX_FILES_PER_BATCH} files in '{field}'", field=field)
    outcomes = [_preflight(item.filename, item.data, product, thumbnail_px, purpose) for item in uploads]
    failing = [
        (index, item, outcome)
        for index, (item, outcome) in enumerate(zip(uploads, outcomes, strict=True))
        if outcome.failed
    ]
    if failing:
        _reject(
            store_id,
            [(item.filename, item.data, outcome) for _, item, outcome in failing],
            purpose,
            uploaded_by,
            product,
        )
        raise _batch_failed(field, failing, len(uploads))
    return [
        _store(store_id, item.filename, item.data, outcome, purpose, uploaded_by)
        for item, outcome in zip(uploads, outcomes, strict=True)
    ]


def store_rendered(store_id: str, *, key: str, filename: str, data: bytes, purpose: str) -> File:
    """Store a PDF a worker rendered under `key` and add its File row (flush, no commit). No
    preflight: the bytes are Presswork's own. Writing the same key again replaces the bytes,
    so a job that runs twice leaves one object; the bytes go if the transaction is rolled back.

    Raises ValidationFailed for an unknown purpose.
    """
    _check_purpose(purpose, "account")
    file = File(
        id=new_id("file"),
        store_id=store_id,
        purpose=purpose,
        filename=clean_filename(filename),
        format="pdf",
        media_type="application/pdf",
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        thumbnail_key=None,
        preflight_status="passed",
        preflight={"status": "passed", "format": "pdf", "checks": []},
        uploaded_by="account",
    )
    save_in_transaction(key, data, file.media_type)
    db.session.add(file)
    db.session.flush()
    return file


def get_file(store_id: str, file_id: str) -> File:
    """The file with `file_id` in this store. Raises NotFound otherwise (another store's too)."""
    return get_in_store(File, file_id, store_id)


def read_file(file: File) -> bytes:
    """The stored bytes of `file` (for an SVG, its sanitized copy).

    Raises NotFound when the storage no longer holds them.
    """
    return _read(file.storage_key, f"The content of file '{file.id}' is missing from storage")


def read_thumbnail(file: File) -> bytes:
    """The stored thumbnail of `file`. Raises NotFound when it has none (PDFs) or it is missing."""
    if file.thumbnail_key is None:
        raise NotFound(f"File '{file.id}' has no thumbnail (PDF pages are not rasterized)")
    return _read(file.thumbnail_key, f"The thumbnail of file '{file.id}' is missing from storage")


def thumbnail_media_type(file: File) -> str | None:
    if file.thumbnail_key is None:
        return None
    return "image/png" if file.thumbnail_key.endswith(".png") else "image/jpeg"


def files_of(store_id: str, purpose: str | None = None, format: str | None = None, status: str | None = None):
    """A select of the store's files, optionally only those of one purpose, format or preflight status."""
    statement = in_store(db.select(File), store_id)
    return narrowed(statement, File, purpose=purpose, format=format, preflight_status=status)


def color_profiles_of(store_id: str) -> list[File]:
    """The store's printer profiles (files uploaded as colour profiles), by name."""
    statement = files_of(store_id, purpose="color_profile", format="icc").order_by(File.filename, File.id)
    return list(db.session.scalars(statement))


def newest_merchant_files_of(store_id: str, formats: Iterable[str], limit: int) -> list[File]:
    """The store's newest `limit` files in these formats that the merchant put there (what the
    dashboard's pickers offer): never a customer's photo, nor a proof rendered from a design."""
    statement = files_of(store_id).where(
        File.format.in_(formats), File.uploaded_by != "publishable", File.purpose.not_in(RENDERED_PURPOSES)
    )
    return db.session.scalars(statement.order_by(File.created_at.desc()).limit(limit)).all()


def is_merchant_file(file: File) -> bool:
    """Whether the merchant put the file there (see `newest_merchant_files_of`)."""
    return file.uploaded_by != "publishable" and file.purpose not in RENDERED_PURPOSES


def find_file(store_id: str, file_id: str) -> File | None:
    """The file with `file_id` in this store, or None."""
    return db.session.scalars(files_of(store_id).where(File.id == file_id)).first()


def delete_file(file: File) -> None:
    """Delete the row; its stored bytes and thumbnail are removed once the deletion is committed."""
    for key in (file.storage_key, file.thumbnail_key):
        if key:
            delete_after_commit(key)
    db.session.delete(file)
    db.session.flush()


# Internals


def _check_purpose(purpose: str, uploaded_by: str) -> None:
    if uploaded_by not in UPLOADERS:
        raise ValueError(f"uploaded_by must be one of {UPLOADERS}, not {uploaded_by!r}")
    if purpose not in PURPOSES:
        raise ValidationFailed(f"Field 'purpose' must be one of: {', '.join(PURPOSES)}", field="purpose")


def _preflight(filename: str, data: bytes, product, thumbnail_px: int | None, purpose: str) -> Outcome:
    limits = limits_from_config()
    if thumbnail_px is not None:
        limits = limits.with_thumbnail_px(thumbnail_px)
    own_rules = {"color_profile": COLOR_PROFILE_RULES, "rows": ROWS_RULES, "model": MODEL_RULES}
    rules = own_rules.get(purpose) or rules_for(product)
    if purpose not in own_rules and rules.allowed_formats is None:
        rules = replace(
            rules,
            allowed_formats=frozenset(MEDIA_TYPES) - {"icc", "glb"} - SPREADSHEETS,
            allowed_types_text="an image, a PDF or an SVG (an ICC profile is a colour profile, "
            "a spreadsheet a batch's rows, a GLB a 3D model)",
        )
    return run_preflight(data, filename=filename, rules=rules, limits=limits)


def clean_filename(filename: str) -> str:
    """The name to keep and show: no directories, no control characters, at most 255 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = name.strip().lstrip(".") or "upload"
    if len(name) > 255:
        stem, dot, extension = name.rpartition(".")
        name = (
            (stem[: 254 - len(extension)] + dot + extension) if dot and len(extension) <= 16 else name[:255]
        )
    return name


def _store(
    store_id: str, filename: str, data: bytes, outcome: Outcome, purpose: str, uploaded_by: str
) -> File:
    report = outcome.report
    file_id = new_id("file")
    extension = _EXTENSIONS.get(report["format"], "bin")
    file = File(
        id=file_id,
        store_id=store_id,
        purpose=purpose,
        filename=clean_filename(filename),
        format=report["format"],
        media_type=report["mediaType"],
        size_bytes=len(outcome.stored_bytes),
        sha256=hashlib.sha256(outcome.stored_bytes).hexdigest(),
        storage_key=f"{store_id}/{file_id}/original.{extension}",
        thumbnail_key=None,
        width_px=report["widthPx"],
        height_px=report["heightPx"],
        page_count=report["pageCount"],
        preflight_status=report["status"],
        preflight=report,
        uploaded_by=uploaded_by,
    )
    save_in_transaction(file.storage_key, outcome.stored_bytes, file.media_type)
    if outcome.thumbnail is not None:
        thumbnail_bytes, thumbnail_type = outcome.thumbnail
        file.thumbnail_key = (
            f"{store_id}/{file_id}/thumbnail.{'png' if thumbnail_type == 'image/png' else 'jpg'}"
        )
        save_in_transaction(file.thumbnail_key, thumbnail_bytes, thumbnail_type)
    db.session.add(file)
    db.session.flush()
    return file


_EXTENSIONS = {
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "tiff": "tif",
    "gif": "gif",
    "pdf": "pdf",
    "svg": "svg",
}


def _reject(
    store_id: str, rejected: list[tuple[str, bytes, Outcome]], purpose: str, uploaded_by: str, product
):
    """Commit a `file.preflight_failed` event per rejected file, in a transaction of its own.

    The operation rolls its transaction back when the error is raised, which would take an event
    recorded in it along; so the unit of work is rolled back here first (the upload fails it
    anyway), and the events are committed alone before the error is raised.
    """
    db.session.rollback()
    for filename, data, outcome in rejected:
        report = outcome.report
        record_event(
            store_id,
            "file.preflight_failed",
            {
                "filename": clean_filename(filename),
                "purpose": purpose,
                "productId": getattr(product, "id", None),
                "uploadedBy": uploaded_by,
                "sizeBytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "format": report["format"],
                "reasons": [check["message"] for check in report["checks"] if check["status"] == "failed"],
                "preflight": report,
            },
        )
    db.session.commit()


def _batch_failed(field: str, failing: list, total: int) -> PreflightFailed:
    first_index, _, first_outcome = failing[0]
    error = PreflightFailed(first_outcome.report, field=f"{field}.{first_index}")
    error.errors = [
        {"index": index, "field": f"{field}.{index}", "check": check["name"], "message": check["message"]}
        for index, _, outcome in failing
        for check in outcome.report["checks"]
        if check["status"] == "failed"
    ]
    error.message = (
        f"{len(failing)} of {total} files failed preflight; nothing was stored "
        f"(file {first_index}: {error.errors[0]['message']})"
    )
    error.args = (error.message,)
    return error


def _read(key: str, missing: str) -> bytes:
    try:
        return storage().read(key)
    except StoredObjectMissing:
        raise NotFound(missing) from None
