"""Pictures in a composition: uploaded images placed with crop and fit, and clipart inlined as vectors.

Which bytes a picture is drawn from depends on the mode. The print SVG carries each original at
its native resolution (a data: URI of the stored bytes: CairoSVG embeds them as they are), the
preview carries the stored thumbnail, small enough to swap into the editor on every keystroke;
an SVG file is small and sharp at any size, so the preview keeps the original when it is small.

A vector clipart is inlined: a nested <svg> with the clipart's viewBox, every id (and class)
prefixed with the layer's so two clipart never collide, and sanitized once more on the way in
with the allowlists preflight uses (elements and attributes: no script, no event handler, no
htmx or data-* attribute, no outside reference survives), so a drawing stored before an
allowlist tightened is cleaned too. One that carries a <style> sheet is embedded as an SVG image
instead, because an inline sheet would restyle the whole page it is shown in.
"""

import re
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from dataclasses import dataclass

from defusedxml.ElementTree import fromstring

from designer.composer.svg import attr, num, text
from designer.composer.svg_allowlist import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_ELEMENTS,
    SVG_NS,
    XLINK_NS,
    css_is_inert,
)

# A preview embeds an SVG file itself up to this size, its PNG thumbnail beyond.
PREVIEW_SVG_MAX_BYTES = 256 * 1024
MAX_CACHED_CLIPART = 512

_PAINT_PROPERTIES = ("fill", "stroke")
_REFERENCE = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)['\"]?\s*\)")
_STYLE_DECLARATION = re.compile(r"([a-zA-Z-]+)\s*:\s*([^;]+)")
_EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpe?g);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE)
_FRAGMENT = re.compile(r"^#[^\s#]+$")
# The root <svg>'s own attributes that the wrapper replaces.
_ROOT_GEOMETRY = {"x", "y", "width", "height", "viewBox", "preserveAspectRatio", "version", "id", "class"}


@dataclass(frozen=True)
class Placement:
    """Where a picture of `source_w`×`source_h` px lands in a layer box, after crop and fit."""

    image_x: float  # the whole picture's box, in mm
    image_y: float
    image_w: float
    image_h: float
    clip: tuple[float, float, float, float]  # the part shown: the crop, within the layer box
    mm_per_px: float

    @property
    def effective_dpi(self) -> float:
        return 25.4 / self.mm_per_px


def place(
    box: tuple[float, float, float, float], source_w: float, source_h: float, fit: str, crop
) -> Placement:
    """Fit the crop (fractions of the source; None: all of it) of a `source_w`×`source_h` picture
    into `box` (x, y, width, height in mm): `cover` fills the box, `contain` shows all the crop.
    The crop is centred in the box either way."""
    box_x, box_y, box_w, box_h = box
    crop_x, crop_y, crop_w, crop_h = (crop.x, crop.y, crop.width, crop.height) if crop else (0, 0, 1, 1)
    crop_w_px, crop_h_px = crop_w * source_w, crop_h * source_h
    scale = (max if fit == "cover" else min)(box_w / crop_w_px, box_h / crop_h_px)
    shown_w, shown_h = crop_w_px * scale, crop_h_px * scale
    left, top = box_x + (box_w - shown_w) / 2, box_y + (box_h - shown_h) / 2
    clip_x, clip_y = max(left, box_x), max(top, box_y)
    clip_w = min(left + shown_w, box_x + box_w) - clip_x
    clip_h = min(top + shown_h, box_y + box_h) - clip_y
    return Placement(
        image_x=left - crop_x * source_w * scale,
        image_y=top - crop_y * source_h * scale,
        image_w=source_w * scale,
        image_h=source_h * scale,
        clip=(clip_x, clip_y, clip_w, clip_h),
        mm_per_px=scale,
    )


def image_element(href: str, x: float, y: float, width: float, height: float, aspect: str = "none") -> str:
    return (
        f'<image href="{attr(href)}" x="{num(x)}" y="{num(y)}" width="{num(width)}" '
        f'height="{num(height)}" preserveAspectRatio="{aspect}"/>'
    )


# Clipart


@dataclass(frozen=True)
class ParsedClipart:
    root: ET.Element
    view_box: str
    has_style_sheet: bool


_clipart_cache: OrderedDict[tuple, str] = OrderedDict()
_clipart_lock = threading.Lock()


def inline_clipart(
    key: str, svg: bytes, prefix: str, fallback_size: tuple[int | None, int | None], recolor: tuple | None
) -> tuple[str, str] | None:
    """The clipart's drawing to nest in a layer: (viewBox, the sanitized markup inside its <svg>),
    ids and classes prefixed with `prefix`; `recolor` = (its one colour, the new one) or None.

    Returns None for a clipart with a style sheet (see the module's docstring) or without a size.
    Cached per (stored file, prefix, colour). Raises ValueError for bytes that are not XML.
    """
    cache_key = (key, prefix, recolor)
    with _clipart_lock:
        cached = _clipart_cache.get(cache_key)
        if cached is not None:
            _clipart_cache.move_to_end(cache_key)
            return cached
    parsed = _parse_clipart(svg, fallback_size)
    if parsed is None or parsed.has_style_sheet:
        return None
    ids = {element.get("id") for element in parsed.root.iter() if element.get("id")}
    writer = _Writer(prefix, ids, recolor)
    # The root's paint (fill, stroke, …) moves to the wrapper <svg>, whose geometry is the layer's.
    root_paint = dict(
        writer.rewrite(_local(name), value)
        for name, value in parsed.root.attrib.items()
        if _local(name) not in _ROOT_GEOMETRY and writer.keeps(name, value)
    )
    if recolor is not None:
        root_paint["color"] = recolor[1]
        if "fill" not in root_paint and _normalized(recolor[0]) == "#000000":
            root_paint["fill"] = recolor[1]  # what the shapes without a fill of their own inherit
    root_paint = "".join(f' {name}="{attr(value)}"' for name, value in sorted(root_paint.items()))
    body = root_paint + ">" + "".join(writer.element(child) for child in parsed.root)
    result = (parsed.view_box, body)
    with _clipart_lock:
        _clipart_cache[cache_key] = result
        while len(_clipart_cache) > MAX_CACHED_CLIPART:
            _clipart_cache.popitem(last=False)
    return result


def _parse_clipart(svg: bytes, fallback_size: tuple[int | None, int | None]) -> ParsedClipart | None:
    try:
        root = fromstring(svg)
    except ET.ParseError as error:  # a SyntaxError, not a ValueError
        raise ValueError(f"the clipart is not XML: {error}") from None
    view_box = root.get("viewBox")
    if not view_box:
        width, height = (
            _length(root.get("width")) or fallback_size[0],
            _length(root.get("height")) or fallback_size[1],
        )
        if not width or not height:
            return None
        view_box = f"0 0 {num(width)} {num(height)}"
    has_style_sheet = any(_local(element.tag) == "style" for element in root.iter())
    return ParsedClipart(root, " ".join(view_box.replace(",", " ").split()), has_style_sheet)


def _length(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*", value or "")
    return float(match[1]) if match else None


def _local(name) -> str:
    """An SVG tag's or attribute's name without its namespace; xlink:href is href, and anything
    of another namespace (editor metadata, XHTML) is "" and dropped."""
    if not isinstance(name, str):
        return ""
    if not name.startswith("{"):
        return name
    namespace, _, local = name[1:].partition("}")
    if namespace == SVG_NS or (namespace == XLINK_NS and local == "href"):
        return local
    return ""


class _Writer:
    """Serializes a sanitized clipart tree with its ids and classes prefixed and its colour swapped."""

    def __init__(self, prefix: str, ids: set[str], recolor: tuple | None):
        self.prefix = prefix
        self.ids = ids
        self.recolor = (_normalized(recolor[0]), recolor[1]) if recolor else None

    def element(self, element: ET.Element) -> str:
        tag = _local(element.tag)
        if tag not in ALLOWED_ELEMENTS or tag == "style":
            return ""
        kept = dict(
            self.rewrite(_local(name), value)
            for name, value in element.attrib.items()
            if self.keeps(name, value)
        )
        attributes = "".join(f' {name}="{attr(value)}"' for name, value in sorted(kept.items()))
        content = text(element.text) if element.text and element.text.strip() else ""
        children = "".join(
            self.element(child) + (text(child.tail) if child.tail and child.tail.strip() else "")
            for child in element
        )
        if not content and not children:
            return f"<{tag}{attributes}/>"
        return f"<{tag}{attributes}>{content}{children}</{tag}>"

    def keeps(self, raw_name, value: str) -> bool:
        """Whether an attribute may go into the page: an allowlisted name (no event handler, no
        htmx attribute, no data-*), a reference only to this drawing's own parts (href="#id",
        url(#id)) or to an embedded PNG or JPEG, and no CSS that could load anything."""
        name = _local(raw_name)
        if name not in ALLOWED_ATTRIBUTES:
            return False
        if name == "href":
            return bool(_FRAGMENT.match(value) or _EMBEDDED_IMAGE.match(value))
        if "javascript:" in value.lower().replace(" ", "") or "vbscript:" in value.lower():
            return False
        return css_is_inert(value)

    def rewrite(self, name: str, value: str) -> tuple[str, str]:
        if name == "id":
            return name, f"{self.prefix}{value}"
        if name == "class":
            return name, " ".join(f"{self.prefix}{part}" for part in value.split())
        if name == "href" and value.startswith("#") and value[1:] in self.ids:
            return name, f"#{self.prefix}{value[1:]}"
        value = _REFERENCE.sub(
            lambda match: f"url(#{self.prefix}{match[1]})" if match[1] in self.ids else match[0], value
        )
        if self.recolor is not None:
            if name in _PAINT_PROPERTIES and _normalized(value) == self.recolor[0]:
                value = self.recolor[1]
            elif name == "style":
                value = _STYLE_DECLARATION.sub(self._recolored_declaration, value)
        return name, value

    def _recolored_declaration(self, match: re.Match) -> str:
        if match[1].lower() in _PAINT_PROPERTIES and _normalized(match[2]) == self.recolor[0]:
            return f"{match[1]}:{self.recolor[1]}"
        return match[0]


_NAMED = {"black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000", "blue": "#0000ff"}


def _normalized(value: str) -> str:
    value = value.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        return "#" + "".join(digit * 2 for digit in value[1:])
    return "currentcolor" if value == "currentcolor" else _NAMED.get(value, value)


def clear_caches() -> None:
    with _clipart_lock:
        _clipart_cache.clear()
