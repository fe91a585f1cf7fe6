"""What a composition draws from: the store's fonts, clipart and files that the layers and the side
name, each kind fetched in one query, and their bytes read through the library and the storage."""

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import func, or_

from designer.composer.fonts import ParsedFont, parsed_font
from designer.composer.layers import ClipartLayer, ImageLayer, TextLayer
from designer.errors import NotFound
from designer.extensions import db
from designer.files import services as files
from designer.files.models import File
from designer.files.storage import StoredObjectMissing, storage
from designer.library import services as library
from designer.library.models import Clipart, Font
from designer.tenancy import in_store

MAX_CACHED_PREVIEW_BYTES = 64 * 1024 * 1024
# Formats that carry an EXIF orientation.
_MAY_BE_TURNED = frozenset({"jpeg", "tiff", "webp", "png"})
# Whether a stored image is shown turned a quarter, by thumbnail key (it never changes).
_turned: dict[str, bool] = {}
_MAX_TURNED = 100_000


@dataclass
class Assets:
    """The store's rows a composition names, by id (fonts also by casefolded family)."""

    fonts: dict[str, Font]
    families: dict[str, list[Font]]
    clipart: dict[str, Clipart]
    files: dict[str, File]

    def font_of(self, layer: TextLayer) -> Font | None:
        """The layer's font: its fontId, else the regular face of its fontFamily (the face closest to
        weight 400, upright before italic); None when the store has no such font."""
        if layer.font_id is not None:
            return self.fonts.get(layer.font_id)
        if layer.font_family is None:
            return None
        faces = self.families.get(layer.font_family.casefold(), [])
        return min(
            faces,
            key=lambda face: (face.style != "normal", abs(face.weight - 400), face.weight, face.id),
            default=None,
        )


def load_assets(store_id: str, side, layers: list) -> Assets:
    """The fonts, clipart and files that `layers` and `side` name, in the store (one query each)."""
    font_ids, families, clipart_ids = set(), set(), set()
    file_ids = {side.background_file_id, side.overlay_file_id, side.mockup_file_id} - {None}
    for layer in layers:
        if isinstance(layer, TextLayer):
            if layer.font_id is not None:
                font_ids.add(layer.font_id)
            elif layer.font_family is not None:
                families.add(layer.font_family)
        elif isinstance(layer, ClipartLayer):
            clipart_ids.add(layer.clipart_id)
        elif isinstance(layer, ImageLayer) and layer.file_id is not None:
            file_ids.add(layer.file_id)
    fonts_by_family: dict[str, list[Font]] = {}
    fonts: dict[str, Font] = {}
    if font_ids or families:
        folded = {family.casefold() for family in families}
        matches = []
        if font_ids:
            matches.append(Font.id.in_(_clean(font_ids)))
        if families:
            # As written, and lowered by the database (SQLite lowers ASCII only); compared
            # casefolded below, as layers.check_references does.
            matches.append(Font.family.in_(families))
            matches.append(func.lower(Font.family).in_({family.lower() for family in families}))
        statement = in_store(db.select(Font).where(or_(*matches)), store_id)
        for font in db.session.scalars(statement):
            if font.id in font_ids:
                fonts[font.id] = font
            if font.family.casefold() in folded:
                fonts_by_family.setdefault(font.family.casefold(), []).append(font)
    return Assets(
        fonts=fonts,
        families=fonts_by_family,
        clipart=_by_id(Clipart, clipart_ids, store_id),
        files=_by_id(File, file_ids, store_id),
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
