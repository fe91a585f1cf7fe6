"""What a composition draws from, as plain values: the fonts (parsed), clipart and files that the
layers and the side name, with the bytes the composition's mode draws. editing/assets.py loads
them from a store."""

from dataclasses import dataclass, field

from designer.composer.fonts import ParsedFont
from designer.composer.layers import TextLayer


@dataclass(frozen=True)
class FontAsset:
    """One of the store's fonts: `parsed` None when its file is missing or unreadable (or it is not
    drawn in this composition)."""

    id: str
    family: str
    parsed: ParsedFont | None = None


@dataclass(frozen=True)
class ClipartAsset:
    """One of the store's clipart: its stored bytes (an SVG as sanitized at upload, else a PNG) and,
    for a preview of a PNG clipart, its thumbnail with the media type; None when not stored."""

    id: str
    storage_key: str
    format: str
    recolorable: bool = False
    color: str | None = None
    width_px: int | None = None
    height_px: int | None = None
    data: bytes | None = None
    thumbnail: tuple[bytes, str] | None = None


@dataclass(frozen=True)
class FileAsset:
    """One of the store's files: `picture` is what the mode draws of it (a preview: the SVG itself or
    the thumbnail; print: the original) with its media type, None when not stored; `stored` whether
    the original is stored (for print with linked files); `upright_size` its size in pixels as
    shown (a photo turned by its EXIF swaps them), None without a size."""

    id: str
    format: str
    media_type: str
    width_px: int | None = None
    height_px: int | None = None
    upright_size: tuple[float, float] | None = None
    picture: tuple[bytes, str] | None = None
    stored: bool = False


@dataclass(frozen=True)
class Assets:
    """The assets a composition names, by id; `families` maps a casefolded family to the id of its
    regular face (the face closest to weight 400, upright before italic)."""

    fonts: dict[str, FontAsset] = field(default_factory=dict)
    families: dict[str, str] = field(default_factory=dict)
    clipart: dict[str, ClipartAsset] = field(default_factory=dict)
    files: dict[str, FileAsset] = field(default_factory=dict)

    def font_of(self, layer: TextLayer) -> FontAsset | None:
        """The layer's font: its fontId, else the regular face of its fontFamily; None when the store
        has no such font."""
        if layer.font_id is not None:
            return self.fonts.get(layer.font_id)
        if layer.font_family is None:
            return None
        font_id = self.families.get(layer.font_family.casefold())
        return self.fonts.get(font_id) if font_id is not None else None
