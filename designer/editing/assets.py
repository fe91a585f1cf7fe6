"""A composition's assets from the store: the fonts, clipart and files that the layers and the side
name, each kind fetched in one query, and the bytes the mode draws read through the library and the
storage (small ones kept in a byte cache), as the composer's plain values; and `compose_from_store`,
the composer fed from a store, for the editor, the renderer and proofs."""

import io
import threading
from collections import OrderedDict

from PIL import Image
from sqlalchemy import func, or_

from designer.composer import Assets, ClipartAsset, Composition, FileAsset, FontAsset, Side, compose
from designer.composer.checks import PrintChecks
from designer.composer.fonts import ParsedFont, parsed_font
from designer.composer.layers import IMAGE_LAYER_FORMATS, ClipartLayer, ImageLayer, TextLayer
from designer.composer.pictures import PREVIEW_SVG_MAX_BYTES
from designer.composer.text import typed_text
from designer.errors import NotFound
from designer.extensions import db
from designer.files import service as files
from designer.files.models import File
from designer.files.storage import StoredObjectMissing, storage
from designer.library import service as library
from designer.library.models import Clipart, Font
from designer.products.present import composer_side
from designer.tenancy import in_store

MAX_CACHED_PREVIEW_BYTES = 64 * 1024 * 1024
# Formats that carry an EXIF orientation.
_MAY_BE_TURNED = frozenset({"jpeg", "tiff", "webp", "png"})
# Whether a stored image is shown turned a quarter, by thumbnail key (it never changes).
_turned: dict[str, bool] = {}
_MAX_TURNED = 100_000


def compose_from_store(
    store_id: str,
    side,
    layers: list,
    *,
    mode: str,
    min_dpi: int | None = None,
    linked_files: bool = False,
    for_merchant: bool = False,
    checks: PrintChecks | None = None,
) -> Composition:
    """Compose `layers` on `side` (a Side row, or the composer's Side) with the store's fonts,
    clipart and files (see composer.compose for the modes, `min_dpi`, `linked_files`,
    `for_merchant` and `checks`).

    Raises ValueError for an unknown mode.
    """
    plain = side if isinstance(side, Side) else composer_side(side)
    assets = load_assets(store_id, plain, layers, mode, linked_files=linked_files)
    return compose(
        plain,
        layers,
        assets,
        mode,
        min_dpi=min_dpi,
        linked_files=linked_files,
        for_merchant=for_merchant,
        checks=checks,
    )


def load_assets(store_id: str, side: Side, layers: list, mode: str, *, linked_files: bool = False) -> Assets:
    """The fonts, clipart and files that `layers` and `side` name in the store (one query each),
    with the bytes a composition in `mode` draws of them: a font parsed for each text that is set,
    a picture for each file drawn (a preview's thumbnail or SVG, print's original; with
    `linked_files`, whether the original is stored instead). A missing one is left out or holds
    None, for the composer to report."""
    preview = mode == "preview"
    linked = linked_files and mode == "print"
    font_rows, regular = _fonts(store_id, layers)
    clipart_ids = {layer.clipart_id for layer in layers if isinstance(layer, ClipartLayer)}
    layer_file_ids = {layer.file_id for layer in layers if isinstance(layer, ImageLayer) and layer.file_id}
    clipart_rows = _by_id(Clipart, clipart_ids, store_id)
    file_rows = _by_id(File, side.file_ids | layer_file_ids, store_id)

    set_fonts = set()
    for layer in layers:
        if isinstance(layer, TextLayer) and typed_text(layer.text).strip():
            font_id = layer.font_id if layer.font_id is not None else _family_font(regular, layer)
            if font_id in font_rows:
                set_fonts.add(font_id)
    fonts = {
        font.id: FontAsset(font.id, font.family, font_file(font) if font.id in set_fonts else None)
        for font in font_rows.values()
    }
    clipart = {
        row.id: (row.print_as_raster and not preview and _print_raster_asset(row, layers))
        or _clipart_asset(row, preview)
        for row in clipart_rows.values()
    }
    drawn = _side_files_drawn(side, preview)
    files_out = {}
    for row in file_rows.values():
        in_layer = row.id in layer_file_ids and row.format in IMAGE_LAYER_FORMATS
        files_out[row.id] = _file_asset(row, row.id in drawn or in_layer, in_layer, preview, linked)
    return Assets(fonts=fonts, families=regular, clipart=clipart, files=files_out)


def fonts_in(store_id: str, layers: list) -> list[Font]:
    """The store's fonts `layers` set text in (each face a layer names, each named family's
    regular face), by family."""
    rows, _ = _fonts(store_id, layers)
    return sorted(rows.values(), key=lambda font: (font.family.casefold(), font.weight, font.id))


def _family_font(regular: dict[str, str], layer: TextLayer) -> str | None:
    return regular.get(layer.font_family.casefold()) if layer.font_family is not None else None


def _fonts(store_id: str, layers: list) -> tuple[dict, dict[str, str]]:
    """The font rows the layers name (by id, and each family's faces) and each family's regular face
    (the face closest to weight 400, upright before italic) by casefolded family."""
    font_ids, families = set(), set()
    for layer in layers:
        if isinstance(layer, TextLayer):
            if layer.font_id is not None:
                font_ids.add(layer.font_id)
            elif layer.font_family is not None:
                families.add(layer.font_family)
    rows: dict[str, Font] = {}
    faces: dict[str, list[Font]] = {}
    if font_ids or families:
        folded = {family.casefold() for family in families}
        matches = []
        if font_ids:
            matches.append(Font.id.in_(_clean(font_ids)))
        if families:
            # As written, and lowered by the database (SQLite lowers ASCII only); compared
            # casefolded below, as references.check_references does.
            matches.append(Font.family.in_(families))
            matches.append(func.lower(Font.family).in_({family.lower() for family in families}))
        statement = in_store(db.select(Font).where(or_(*matches)), store_id)
        for font in db.session.scalars(statement):
            if font.id in font_ids:
                rows[font.id] = font
            if font.family.casefold() in folded:
                faces.setdefault(font.family.casefold(), []).append(font)
    regular = {}
    for family, candidates in faces.items():
        face = min(
            candidates,
            key=lambda face: (face.style != "normal", abs(face.weight - 400), face.weight, face.id),
        )
        rows.setdefault(face.id, face)
        regular[family] = face.id
    return rows, regular


def _side_files_drawn(side: Side, preview: bool) -> set[str]:
    """The side's files the composition draws: its background and overlay when shown in this mode,
    the mockup in a preview."""
    drawn = set()
    if (preview or side.background_printed) and side.background_type == "image" and side.background_file_id:
        drawn.add(side.background_file_id)
    if (side.show_overlay if preview else side.overlay_printed) and side.overlay_file_id:
        drawn.add(side.overlay_file_id)
    if preview and side.design_area and side.mockup_file_id:
        drawn.add(side.mockup_file_id)
    return drawn


def _clipart_asset(row: Clipart, preview: bool) -> ClipartAsset:
    data = clipart_file(row)
    thumbnail = clipart_thumbnail(row) if preview and row.format != "svg" and data is not None else None
    return ClipartAsset(
        id=row.id,
        storage_key=row.storage_key,
        format=row.format,
        recolorable=row.recolorable,
        color=row.color,
        width_px=row.width_px,
        height_px=row.height_px,
        data=data,
        thumbnail=thumbnail,
    )


def _print_raster_asset(row: Clipart, layers: list) -> ClipartAsset | None:
    """The clipart as the merchant chose to print it: a raster of the reference's drawing, at
    RASTER_DPI over the largest layer that draws it; None when it cannot be drawn (the vectors
    print then)."""
    longest_mm = max(
        max(layer.width, layer.height)
        for layer in layers
        if isinstance(layer, ClipartLayer) and layer.clipart_id == row.id
    )
    try:
        data = library.print_raster(row, library.raster_px_for(longest_mm))
    except NotFound:
        return None
    return ClipartAsset(
        id=row.id,
        storage_key=f"{row.storage_key}#raster",
        format="png",
        width_px=row.width_px,
        height_px=row.height_px,
        data=data,
    )


def _file_asset(row: File, drawn: bool, in_layer: bool, preview: bool, linked: bool) -> FileAsset:
    picture, stored = None, False
    if drawn:
        if preview:
            picture = preview_bytes(row, PREVIEW_SVG_MAX_BYTES)
        elif linked:
            stored = is_stored(row)
        else:
            data = original_bytes(row)
            picture = (data, row.media_type) if data is not None else None
    shown = picture is not None or stored
    return FileAsset(
        id=row.id,
        format=row.format,
        media_type=row.media_type,
        width_px=row.width_px,
        height_px=row.height_px,
        upright_size=upright_size(row) if in_layer and shown else None,
        picture=picture,
        stored=stored,
    )


def _clean(ids: set[str]) -> set[str]:
    # An id holding a NUL names nothing, and PostgreSQL cannot compare one.
    return {value for value in ids if "\x00" not in value}


def _by_id(model, ids: set[str], store_id: str) -> dict:
    ids = _clean(ids)
    if not ids:
        return {}
    rows = db.session.scalars(in_store(db.select(model).where(model.id.in_(ids)), store_id))
    return {row.id: row for row in rows}


def font_file(font: Font) -> ParsedFont | None:
    """The font's file, parsed (once per process); None when the file is missing or unreadable."""
    try:
        return parsed_font(font.storage_key, lambda: library.font_bytes(font))
    except Exception:  # NotFound, or anything fontTools raises on a damaged file: it cannot be drawn
        return None


def clipart_file(clipart: Clipart) -> bytes | None:
    """The clipart's stored bytes (an SVG as sanitized at upload); None when they are missing."""
    return _cached(("clipart", clipart.storage_key), lambda: library.clipart_bytes(clipart))


def clipart_thumbnail(clipart: Clipart) -> tuple[bytes, str] | None:
    """The thumbnail of a PNG clipart with its media type (what a preview shows of it); None when
    it has none stored."""
    if clipart.thumbnail_key is None:
        return None
    data = _cached(("thumbnail", clipart.thumbnail_key), lambda: _stored(clipart.thumbnail_key))
    if data is None:
        return None
    return data, "image/png" if clipart.thumbnail_key.endswith(".png") else "image/jpeg"


def _stored(key: str) -> bytes:
    try:
        return storage().read(key)
    except StoredObjectMissing:
        raise NotFound(f"Nothing is stored under '{key}'") from None


def upright_size(file: File) -> tuple[float, float] | None:
    """The image's size in pixels as it is shown: a photo whose EXIF says it is turned (a phone's
    portrait shot) is drawn turned by browsers and CairoSVG alike, while the File row holds the
    stored size. Told by the thumbnail (made upright at upload). None without a size."""
    if not (file.width_px and file.height_px):
        return None
    size = (file.width_px, file.height_px)
    if file.thumbnail_key is None or file.format not in _MAY_BE_TURNED or file.width_px == file.height_px:
        return size
    turned = _turned.get(file.thumbnail_key)
    if turned is None:
        thumbnail = _cached(("thumbnail", file.thumbnail_key), lambda: files.read_thumbnail(file))
        if thumbnail is None:
            return size
        try:
            with Image.open(io.BytesIO(thumbnail)) as image:
                thumbnail_w, thumbnail_h = image.size
        except (OSError, ValueError):
            return size
        turned = (thumbnail_w > thumbnail_h) != (file.width_px > file.height_px)
        if len(_turned) >= _MAX_TURNED:
            _turned.clear()
        _turned[file.thumbnail_key] = turned
    return size[::-1] if turned else size


def is_stored(file: File) -> bool:
    """Whether the storage holds the file's bytes (without reading them)."""
    return storage().exists(file.storage_key)


def original_bytes(file: File) -> bytes | None:
    """The file's original bytes (for print: never cached, a photo may be large)."""
    try:
        return files.read_file(file)
    except NotFound:
        return None


def preview_bytes(file: File, svg_max_bytes: int) -> tuple[bytes, str] | None:
    """What a preview shows of the file, with its media type: an SVG itself when it is at most
    `svg_max_bytes`, else the thumbnail. None when neither is stored."""
    if file.format == "svg" and file.size_bytes <= svg_max_bytes:
        data = _cached(("file", file.storage_key), lambda: files.read_file(file))
        if data is not None:
            return data, "image/svg+xml"
    if file.thumbnail_key is None:
        return None
    data = _cached(("thumbnail", file.thumbnail_key), lambda: files.read_thumbnail(file))
    return (data, files.thumbnail_media_type(file)) if data is not None else None


# Stored bytes never change under a key (a new upload gets a new key), so small files a preview
# draws on every keystroke are kept, up to MAX_CACHED_PREVIEW_BYTES in all, least recently used out.
_bytes_cache: OrderedDict[tuple, bytes] = OrderedDict()
_bytes_cached_size = 0
_bytes_lock = threading.Lock()


def _cached(key: tuple, read) -> bytes | None:
    global _bytes_cached_size
    with _bytes_lock:
        data = _bytes_cache.get(key)
        if data is not None:
            _bytes_cache.move_to_end(key)
            return data
    try:
        data = read()
    except NotFound:
        return None
    with _bytes_lock:
        if key not in _bytes_cache:
            _bytes_cache[key] = data
            _bytes_cached_size += len(data)
        while _bytes_cached_size > MAX_CACHED_PREVIEW_BYTES and _bytes_cache:
            _, dropped = _bytes_cache.popitem(last=False)
            _bytes_cached_size -= len(dropped)
    return data


def clear_caches() -> None:
    global _bytes_cached_size
    with _bytes_lock:
        _bytes_cache.clear()
        _bytes_cached_size = 0
    _turned.clear()
