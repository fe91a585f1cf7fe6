"""A store's fonts and clipart: uploads, the default library, reads, changes and deletions.

Callers own the transaction: these flush, never commit. File bytes follow the transaction too:
bytes written for an upload are removed again if it rolls back, and the bytes of a deleted font
are removed only once the deletion is committed.
"""

import functools
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import String, cast, or_

from designer.categories.models import Category
from designer.composer.fonts import parsed_font
from designer.composer.sample import can_set, sample_svg
from designer.errors import NotFound, ValidationFailed
from designer.extensions import db
from designer.files import service as files
from designer.files.storage import StoredObjectMissing, delete_after_commit, save_in_transaction, storage
from designer.ids import new_id
from designer.library.clipart_print import (
    MAX_RASTER_PX,
    RASTER_DPI,
    ReferenceNotDrawn,
    judge_print,
    prepare_svg,
    reference_png,
)
from designer.library.clipart_svg import SvgFacts, inspect_svg
from designer.library.default_library import (
    DEFAULT_CLIPART,
    DEFAULT_FONTS,
    LIBRARY_PREFIX,
    LibraryClipart,
    LibraryFont,
    library_root,
)
from designer.library.font_files import MAX_FONT_BYTES, MEDIA_TYPES, SCRIPT_SAMPLES, FontFacts, inspect_font
from designer.library.models import Clipart, Font, clipart_categories
from designer.models import utcnow
from designer.references import all_in_store_or_invalid
from designer.tenancy import get_in_store, in_store
from designer.webhooks.transport import get as fetch

log = logging.getLogger(__name__)

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
CLIPART_MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


# Fonts


def fonts_of(
    store_id: str,
    *,
    family: str | None = None,
    library: bool | None = None,
    script: str | None = None,
    q: str | None = None,
):
    """A select of the store's fonts, narrowed by the filters that are given."""
    statement = in_store(db.select(Font), store_id)
    if family is not None:
        statement = statement.where(Font.family == family)
    if library is not None:
        statement = statement.where(Font.library.is_(library))
    if script is not None:
        statement = statement.where(_json_list_holds(Font.scripts, script))
    if q:
        pattern = f"%{_escape_like(q.lower())}%"
        statement = statement.where(
            or_(
                db.func.lower(Font.family).like(pattern, escape="\\"),
                db.func.lower(Font.full_name).like(pattern, escape="\\"),
            )
        )
    return statement


def find_font(store_id: str, font_id: str) -> Font:
    """Raises NotFound for an id that is not one of this store's fonts."""
    return get_in_store(Font, font_id, store_id)


def create_font(
    store_id: str,
    *,
    filename: str,
    data: bytes,
    family: str | None = None,
    style: str | None = None,
    weight: int | None = None,
) -> Font:
    """A font uploaded to the store, its family, style and weight read from the file unless given.

    Raises ValidationFailed naming `file` for a file that is not a usable TTF, OTF, WOFF or
    WOFF2 font, or is larger than 15 MB.
    """
    facts = inspect_font(data)
    font = Font(id=new_id("font"), store_id=store_id, library=False, filename=_clean_filename(filename))
    _apply_facts(font, facts)
    font.family, font.style, font.weight = (
        family or facts.family,
        style or facts.style,
        weight or facts.weight,
    )
    font.storage_key = f"{store_id}/fonts/{font.id}.{facts.format}"
    save_in_transaction(font.storage_key, data, MEDIA_TYPES[facts.format])
    db.session.add(font)
    db.session.flush()
    return font


def create_font_from_url(store_id: str, url: str, *, family: str | None = None) -> Font:
    """A font registered by its URL: fetched as a webhook is sent (webhooks/transport.py: a
    public address only, no redirects, one deadline), then checked and stored as an upload is
    (`create_font`).

    Raises ValidationFailed naming `url` for an address refused or not answering with a font
    file, or naming `file` for what `create_font` refuses.
    """
    config = current_app.config
    outcome = fetch(
        url,
        limit_bytes=MAX_FONT_BYTES,
        connect_timeout_s=config["WEBHOOK_CONNECT_TIMEOUT_S"],
        total_timeout_s=config["WEBHOOK_TIMEOUT_S"],
        allow_loopback=config["WEBHOOKS_ALLOW_LOOPBACK"],
    )
    if outcome.error is not None or outcome.status_code != 200:
        why = outcome.error or f"it answered {outcome.status_code}"
        raise ValidationFailed(f"Field 'url': the font could not be fetched ({why})", field="url")
    filename = PurePosixPath(urlsplit(url).path).name or "font"
    return create_font(store_id, filename=filename, data=outcome.content, family=family)


def update_font(font: Font, *, family: str | None, style: str | None, weight: int | None) -> Font:
    """Change what was given. The file is not touched."""
    if family is not None:
        font.family = family
    if style is not None:
        font.style = style
    if weight is not None:
        font.weight = weight
    db.session.flush()
    return font


def delete_font(font: Font) -> None:
    """Delete the font. An upload's file goes once the deletion is committed; a default-library
    file stays (other stores use it), and `flask install-library` can bring the font back."""
    if not font.storage_key.startswith(LIBRARY_PREFIX):
        delete_after_commit(font.storage_key)
    db.session.delete(font)
    db.session.flush()


def font_bytes(font: Font) -> bytes:
    """The font file. Raises NotFound when a default-library file is not installed."""
    return _read(font.storage_key, f"font '{font.id}'")


def font_media_type(font: Font) -> str:
    return MEDIA_TYPES.get(font.format, "application/octet-stream")


FONT_SAMPLE_HEIGHT_PX = 40


def font_sample(font: Font) -> bytes:
    """The font's family name set in the font, as an SVG picture (the editor's font picker shows
    each family in itself). A font without the letters of its own name (an Arabic or Korean face
    named in Latin letters) shows the first word of its writing system's sample line instead.

    Raises NotFound when the font's file is missing or cannot be read.
    """
    try:
        face = parsed_font(font.storage_key, lambda: font_bytes(font))
    except NotFound:
        raise
    except Exception:  # anything fontTools or HarfBuzz raise on a damaged file
        raise NotFound(f"The file of font '{font.id}' cannot be read") from None
    sample = font.family
    if not can_set(face, sample):
        lines = [SCRIPT_SAMPLES[script] for script in font.scripts if script in SCRIPT_SAMPLES]
        sample = next((line.split()[0] for line in lines if can_set(face, line.split()[0])), sample)
    return sample_svg(face, sample, FONT_SAMPLE_HEIGHT_PX, font.family).encode()


# Clipart


def font_menu_of(store_id: str) -> list[Font]:
    """The store's fonts as the editor's font menus list them: by family, then weight and style."""
    statement = fonts_of(store_id).order_by(Font.family, Font.weight, Font.style)
    return db.session.scalars(statement).all()


def clipart_shelf_of(store_id: str, limit: int) -> list[Clipart]:
    """The first `limit` of the store's clipart by name: what the editor offers to add."""
    return db.session.scalars(clipart_of(store_id).order_by(Clipart.name).limit(limit)).all()


def recolorable_clipart_ids(store_id: str) -> set[str]:
    """The ids of the store's clipart that can be recoloured (single-colour)."""
    statement = in_store(db.select(Clipart.id).where(Clipart.recolorable.is_(True)), store_id)
    return set(db.session.scalars(statement))


def clipart_of(
    store_id: str,
    *,
    category_id: str | None = None,
    tag: str | None = None,
    library: bool | None = None,
    q: str | None = None,
):
    """A select of the store's clipart, narrowed by the filters that are given.

    Raises NotFound for a category that is not the store's.
    """
    statement = in_store(db.select(Clipart), store_id)
    if category_id is not None:
        category = get_in_store(Category, category_id, store_id)
        statement = statement.where(Clipart.categories.any(Category.id == category.id))
    if tag is not None:
        statement = statement.where(_json_list_holds(Clipart.tags, tag))
    if library is not None:
        statement = statement.where(Clipart.library.is_(library))
    if q:
        statement = statement.where(
            db.func.lower(Clipart.name).like(f"%{_escape_like(q.lower())}%", escape="\\")
        )
    return statement


def default_library_categories(store_id: str):
    """A select of the store's categories that hold clipart of the default library (PrintCart's
    default storages)."""
    holding = (
        db.select(clipart_categories.c.category_id)
        .join(Clipart, Clipart.id == clipart_categories.c.clipart_id)
        .where(Clipart.library.is_(True))
    )
    return in_store(db.select(Category), store_id).where(Category.id.in_(holding))


def find_clipart(store_id: str, clipart_id: str) -> Clipart:
    """Raises NotFound for an id that is not one of this store's clipart."""
    return get_in_store(Clipart, clipart_id, store_id)


def create_clipart(
    store_id: str,
    *,
    filename: str,
    data: bytes,
    uploaded_by: str,
    name: str | None = None,
    category_ids: Iterable[str] = (),
    tags: Iterable[str] = (),
) -> Clipart:
    """A clipart uploaded to the store: a PNG, or an SVG normalized into what the print engine
    draws right (library/svg_normalize.py) and kept as preflight sanitized that; the file as
    uploaded (sanitized) is kept beside it, and how far its print differs from a browser's
    drawing is measured and worded for the merchant (`print_warning`).

    Raises ValidationFailed naming `file` for anything else (PreflightFailed, with its report,
    for a file that fails preflight) and naming `categoryIds.N` for a category that is not the
    store's.
    """
    is_svg = not data.startswith(_PNG_MAGIC) and _looks_like_svg(data)
    if not (data.startswith(_PNG_MAGIC) or is_svg):
        raise ValidationFailed("Field 'file' must be an SVG or PNG image", field="file")
    categories = categories_in_store(store_id, category_ids)
    limits = files.limits_from_config()
    prepared = prepare_svg(data, limits) if is_svg else None
    stored = prepared.normalized.svg if prepared is not None else data
    upload = files.upload_file(
        store_id, filename=filename, data=stored, purpose="clipart", uploaded_by=uploaded_by
    )
    if upload.format not in CLIPART_MEDIA_TYPES:
        raise ValidationFailed("Field 'file' must be an SVG or PNG image", field="file")
    clipart = Clipart(
        id=new_id("clipart"),
        store_id=store_id,
        name=name or _name_from(filename),
        format=upload.format,
        storage_key=upload.storage_key,
        thumbnail_key=upload.thumbnail_key,
        size_bytes=upload.size_bytes,
        width_px=upload.width_px,
        height_px=upload.height_px,
        library=False,
        file_id=upload.id,
        tags=_unique(tags),
        categories=categories,
    )
    if upload.format == "svg":
        stored = files.read_file(upload)
        _apply_svg_facts(clipart, inspect_svg(stored))
        if prepared is not None:
            clipart.original_key = f"{store_id}/clipart/{clipart.id}/original.svg"
            save_in_transaction(clipart.original_key, prepared.original, CLIPART_MEDIA_TYPES["svg"])
            verdict = judge_print(prepared, files.read_thumbnail(upload))
            clipart.print_differing, clipart.print_warning = verdict.differing, verdict.warning
    db.session.add(clipart)
    db.session.flush()
    return clipart


def update_clipart(
    clipart: Clipart,
    *,
    name: str | None,
    category_ids: Iterable[str] | None,
    tags: Iterable[str] | None,
    print_as_raster: bool | None = None,
) -> Clipart:
    """Change what was given; categories and tags are replaced as a whole.

    Raises ValidationFailed naming `categoryIds.N` for a category that is not the store's, and
    naming `printAsRaster` for a clipart that cannot print as a picture (a PNG already is one; a
    recolourable clipart would lose its colour).
    """
    if print_as_raster:
        if clipart.format != "svg":
            raise ValidationFailed("A PNG clipart already prints as a picture", field="printAsRaster")
        if clipart.recolorable:
            raise ValidationFailed(
                "A clipart painted in one colour can be recoloured, which a picture cannot: "
                "it prints as vectors",
                field="printAsRaster",
            )
    if print_as_raster is not None:
        clipart.print_as_raster = print_as_raster
    if name is not None:
        clipart.name = name
    if category_ids is not None:
        clipart.categories = categories_in_store(clipart.store_id, category_ids)
    if tags is not None:
        clipart.tags = _unique(tags)
    db.session.flush()
    return clipart


def delete_clipart(clipart: Clipart) -> None:
    """Delete the clipart, and the upload it came from (its bytes go once this is committed)."""
    upload = files.get_file(clipart.store_id, clipart.file_id) if clipart.file_id is not None else None
    if clipart.original_key is not None:
        delete_after_commit(clipart.original_key)
    db.session.delete(clipart)
    db.session.flush()
    if upload is not None:
        files.delete_file(upload)


def clipart_bytes(clipart: Clipart) -> bytes:
    """The clipart's file (an SVG as sanitized at upload). Raises NotFound when it is missing."""
    return _read(clipart.storage_key, f"clipart '{clipart.id}'")


def print_raster(clipart: Clipart, long_side_px: int) -> bytes:
    """A PNG of the clipart as uploaded, drawn by the reference renderer with its longer side
    `long_side_px` (at most MAX_RASTER_PX): what prints when the merchant chose `print_as_raster`.

    Raises NotFound when its file is missing or the reference cannot draw it.
    """
    source = _read(clipart.original_key or clipart.storage_key, f"clipart '{clipart.id}'")
    long_side_px = max(1, min(long_side_px, MAX_RASTER_PX))
    width, height = clipart.width_px or 1, clipart.height_px or 1
    scale = long_side_px / max(width, height)
    try:
        return reference_png(source, max(1, round(width * scale)), max(1, round(height * scale)))
    except ReferenceNotDrawn:
        raise NotFound(f"Clipart '{clipart.id}' cannot be drawn as a picture") from None


def raster_px_for(length_mm: float) -> int:
    """How many pixels a print raster needs across `length_mm` at RASTER_DPI."""
    return round(length_mm / 25.4 * RASTER_DPI)


def clipart_media_type(clipart: Clipart) -> str:
    return CLIPART_MEDIA_TYPES[clipart.format]


def categories_in_store(store_id: str, category_ids: Iterable[str]) -> list[Category]:
    """The store's categories with these ids, in the order given.

    Raises ValidationFailed naming `categoryIds.N` for the first id that is not one of them.
    """
    given = list(category_ids)
    found = all_in_store_or_invalid(Category, given, store_id, "categoryIds", "category")
    return [found[category_id] for category_id in _unique(given)]


# The default library


@dataclass(frozen=True)
class LibraryFontFile:
    entry: LibraryFont
    facts: FontFacts


@dataclass(frozen=True)
class LibraryClipartFile:
    entry: LibraryClipart
    facts: SvgFacts
    size_bytes: int


def install_default_library(store_id: str) -> tuple[int, int]:
    """Add the default library's fonts and clipart that the store does not have yet.

    The rows point at the installed library files (`library:…` keys); nothing is copied. Fonts
    whose files are not installed (`make install` was not run) are skipped with a warning.
    Returns how many fonts and clipart were added.
    """
    fonts, clipart = library_fonts(), library_clipart()
    have_fonts = set(
        db.session.scalars(in_store(db.select(Font.storage_key).where(Font.library.is_(True)), store_id))
    )
    have_clipart = set(
        db.session.scalars(
            in_store(db.select(Clipart.storage_key).where(Clipart.library.is_(True)), store_id)
        )
    )
    new_fonts = [
        _library_font_row(store_id, item) for item in fonts if item.entry.storage_key not in have_fonts
    ]
    new_clipart = [
        _library_clipart_row(store_id, item) for item in clipart if item.entry.storage_key not in have_clipart
    ]
    # Dated a microsecond apart in the manifest's order, so newest-first lists show the library
    # as the manifest orders it (a family's faces together) rather than in random id order.
    now = utcnow()
    for rows in (new_fonts, new_clipart):
        for position, row in enumerate(rows):
            row.created_at = row.updated_at = now - timedelta(microseconds=position)
    db.session.add_all(new_fonts + new_clipart)
    db.session.flush()
    return len(new_fonts), len(new_clipart)


def library_fonts() -> tuple[LibraryFontFile, ...]:
    """The installed default fonts with what their files say (read once per process)."""
    return _library_fonts(str(library_root(current_app.config.get("LIBRARY_PATH"))))


def library_clipart() -> tuple[LibraryClipartFile, ...]:
    """The default clipart with what their files say (read once per process)."""
    return _library_clipart(str(library_root(current_app.config.get("LIBRARY_PATH"))))


@functools.cache
def _library_fonts(root: str) -> tuple[LibraryFontFile, ...]:
    found = []
    for entry in DEFAULT_FONTS:
        path = Path(root) / "fonts" / entry.filename
        if not path.is_file():
            log.warning("default library font %s is not installed (run `make install`)", path)
            continue
        found.append(LibraryFontFile(entry, inspect_font(path.read_bytes(), thorough=False)))
    return tuple(found)


@functools.cache
def _library_clipart(root: str) -> tuple[LibraryClipartFile, ...]:
    found = []
    for entry in DEFAULT_CLIPART:
        svg = (Path(root) / "clipart" / entry.filename).read_bytes()
        found.append(LibraryClipartFile(entry, inspect_svg(svg), len(svg)))
    return tuple(found)


def _library_font_row(store_id: str, item: LibraryFontFile) -> Font:
    font = Font(
        id=new_id("font"),
        store_id=store_id,
        library=True,
        licence=item.entry.licence,
        filename=item.entry.filename,
        storage_key=item.entry.storage_key,
    )
    _apply_facts(font, item.facts)
    return font


def _library_clipart_row(store_id: str, item: LibraryClipartFile) -> Clipart:
    clipart = Clipart(
        id=new_id("clipart"),
        store_id=store_id,
        name=item.entry.name,
        format="svg",
        storage_key=item.entry.storage_key,
        size_bytes=item.size_bytes,
        library=True,
        tags=list(item.entry.tags),
    )
    _apply_svg_facts(clipart, item.facts)
    return clipart


# Helpers


def _apply_facts(font: Font, facts: FontFacts) -> None:
    font.family, font.style, font.weight = facts.family, facts.style, facts.weight
    font.format, font.size_bytes = facts.format, facts.size_bytes
    font.full_name, font.postscript_name = facts.full_name, facts.postscript_name
    font.glyph_count, font.scripts = facts.glyph_count, list(facts.scripts)


def _apply_svg_facts(clipart: Clipart, facts: SvgFacts) -> None:
    clipart.recolorable, clipart.color = facts.recolorable, facts.color
    clipart.width_px = clipart.width_px or facts.width_px
    clipart.height_px = clipart.height_px or facts.height_px


def library_path(storage_key: str) -> Path:
    """The installed file a `library:…` key names. Raises ValueError for a key leaving the library."""
    root = library_root(current_app.config.get("LIBRARY_PATH")).resolve()
    path = (root / PurePosixPath(storage_key.removeprefix(LIBRARY_PREFIX))).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"library key {storage_key!r} leaves the library")
    return path


def _read(storage_key: str, what: str) -> bytes:
    try:
        if storage_key.startswith(LIBRARY_PREFIX):
            return library_path(storage_key).read_bytes()
        return storage().read(storage_key)
    except (FileNotFoundError, StoredObjectMissing, ValueError):
        raise NotFound(f"The file of {what} is missing") from None


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:65536].lower()


def _name_from(filename: str) -> str:
    stem = PurePosixPath(_clean_filename(filename)).stem
    return (" ".join(stem.replace("_", " ").replace("-", " ").split()) or "Clipart")[:200]


def _clean_filename(filename: str) -> str:
    # Browsers send a bare name, some clients a path; nothing of it is ever used as a path.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in name if char.isprintable())[:255]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json_list_holds(column, value: str):
    # Tags and scripts are short [a-z0-9-] words stored as a JSON list: matching the quoted word
    # in its text works the same on SQLite and PostgreSQL.
    return cast(column, String).like(f'%"{_escape_like(value)}"%', escape="\\")
