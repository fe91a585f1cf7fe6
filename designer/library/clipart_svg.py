"""What Presswork reads from a clipart SVG: the colours it is painted with (a clipart painted in one
colour can be recoloured in the editor) and its size."""

import re
from dataclasses import dataclass

from defusedxml import ElementTree

_SVG = "{http://www.w3.org/2000/svg}"
# Elements that paint with fill and stroke; `image` and `use` paint what they reference.
_SHAPES = {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath"}
_OPAQUE_CONTENT = {"image", "use", "foreignObject"}
_NOT_DRAWN = {"defs", "symbol", "clipPath", "mask", "marker", "pattern", "linearGradient", "radialGradient"}
_STYLE_DECLARATION = re.compile(r"\s*([a-zA-Z-]+)\s*:\s*([^;]+)")
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")
_COMPLEX = "complex"
_NAMED = {"black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000", "blue": "#0000ff"}


@dataclass(frozen=True)
class SvgFacts:
    # "#rrggbb", "currentColor", or "complex" for paint that is not one plain colour: a gradient or
    # pattern, an embedded picture, a <style> sheet.
    colors: frozenset[str]
    width_px: int | None
    height_px: int | None

    @property
    def recolorable(self) -> bool:
        """Painted in one plain colour, so the editor can swap it for another."""
        return len(self.colors) == 1 and _COMPLEX not in self.colors

    @property
    def color(self) -> str | None:
        return next(iter(self.colors)) if self.recolorable else None


def inspect_svg(svg: bytes) -> SvgFacts:
    """The colours and size of an SVG that has already passed preflight (sanitized, parseable).

    Raises ValueError (from the XML parser) for bytes that are not XML.
    """
    root = ElementTree.fromstring(svg)
    colors: set[str] = set()
    _collect(root, {"fill": "#000000", "stroke": "none"}, colors)
    width_px, height_px = _size(root)
    return SvgFacts(frozenset(colors), width_px, height_px)


def _collect(element, inherited: dict, colors: set[str]) -> None:
    tag = element.tag.removeprefix(_SVG) if isinstance(element.tag, str) else ""
    if tag in _NOT_DRAWN:
        return
    paint = dict(inherited)
    for prop in ("fill", "stroke"):
        value = _declared(element, prop)
        if value is not None and value != "inherit":
            paint[prop] = value
    if tag in _OPAQUE_CONTENT or tag == "style":
        colors.add(_COMPLEX)
    if tag in _SHAPES:
        for prop in ("fill", "stroke"):
            color = _normalized(paint[prop])
            if color is not None:
                colors.add(color)
    for child in element:
        _collect(child, paint, colors)


def _declared(element, prop: str) -> str | None:
    # A style attribute wins over the presentation attribute.
    for name, value in _STYLE_DECLARATION.findall(element.get("style", "")):
        if name.lower() == prop:
            return value.strip()
    return element.get(prop)


def _normalized(value: str) -> str | None:
    value = value.strip().removesuffix("!important").strip()
    lowered = value.lower()
    if lowered in ("none", "transparent"):
        return None
    if lowered == "currentcolor":
        return "currentColor"
    if lowered.startswith("url("):
        return _COMPLEX
    if re.fullmatch(r"#[0-9a-f]{3}", lowered):
        return "#" + "".join(digit * 2 for digit in lowered[1:])
    return _NAMED.get(lowered, lowered)


def _size(root) -> tuple[int | None, int | None]:
    width, height = _length(root.get("width")), _length(root.get("height"))
    if width is None or height is None:
        parts = root.get("viewBox", "").replace(",", " ").split()
        if len(parts) == 4:
            try:
                width, height = float(parts[2]), float(parts[3])
            except ValueError:
                return None, None
    if width is None or height is None or width <= 0 or height <= 0:
        return None, None
    return round(width), round(height)


def _length(value: str | None) -> float | None:
    match = _LENGTH.match(value or "")
    return float(match[1]) if match else None
