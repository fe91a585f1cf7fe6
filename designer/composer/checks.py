"""Checks before print: what prints, but not as the customer means it to.

Four checks, run on a side's layers as they are composed (compose.py calls `print_checks`), each
a warning, never blocking: the customer can still save, the merchant's template editor shows the
same marks, and a render keeps them for the print shop (rendering.renders).

- `stops_at_trim`: a rectangle, line or photo whose edge lies on the trim line (within
  NEAR_TRIM_MM either side) on a side with a bleed. The cut never falls exactly on the line, so
  art meant to run off the edge must carry on into the bleed, or a white strip shows.
- `text_too_small`: text drawn below the product's minimum size (`minTextSize`, in points,
  DEFAULT_MIN_TEXT_PT unless the product says otherwise), at the size it is drawn: a text that
  shrank to fit its box is judged at the size it shrank to.
- `hairline`: lines thinner than HAIRLINE_PT, which a press may break up or lose: a shape's
  outline, a line shape, a filled rectangle that thin, and the strokes of an SVG clipart at the
  size the layer draws them (its viewBox fitted to the box, times its own transforms).
- `total_ink`: a vector colour (the side's background, a text, a shape's fill and outline, a
  clipart's colours) whose separation needs more ink than the press takes (`ink_limit_percent`).
  The separation is the caller's: `to_cmyk` turns a #rrggbb colour into C, M, Y, K fractions.
  Every product gives one (editing/print_checks.py: its printer's profile, else FOGRA39, as
  rendering/cmyk.py separates the PDF); without one (that profile cannot be had) the check is
  not run: nothing else says what ink a colour takes.

Layers that are not drawn (opacity 0) are not judged.
"""

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from defusedxml.ElementTree import fromstring

from designer.composer.assets import Assets
from designer.composer.layers import ClipartLayer, ImageLayer, ShapeLayer, TextLayer
from designer.composer.problems import Problem, layer_title, problem
from designer.composer.side import Side
from designer.composer.svg import num

STOPS_AT_TRIM = "stops_at_trim"
TEXT_TOO_SMALL = "text_too_small"
HAIRLINE = "hairline"
TOTAL_INK = "total_ink"
CHECK_CODES = frozenset({STOPS_AT_TRIM, TEXT_TOO_SMALL, HAIRLINE, TOTAL_INK})

DEFAULT_MIN_TEXT_PT = 6.0
HAIRLINE_PT = 0.25
DEFAULT_INK_LIMIT_PERCENT = 300.0
# How far from the trim line (either side) an edge still "lies on" it: closer than any art meant
# to stop short of the edge would, and well short of a bleed.
NEAR_TRIM_MM = 1.0
_MM_PER_PT = 25.4 / 72
_EPSILON = 1e-6

CmykSeparation = Callable[[str], tuple[float, float, float, float]]


@dataclass(frozen=True)
class PrintChecks:
    """What the checks hold a side to: the smallest text in points, the thinnest line in points,
    and, with a separation (`to_cmyk`), the most ink a colour may take, in percent (C+M+Y+K)."""

    min_text_pt: float = DEFAULT_MIN_TEXT_PT
    hairline_pt: float = HAIRLINE_PT
    ink_limit_percent: float = DEFAULT_INK_LIMIT_PERCENT
    to_cmyk: CmykSeparation | None = field(default=None, compare=False)


def print_checks(
    side: Side,
    layers: list,
    assets: Assets,
    checks: PrintChecks,
    text_sizes_pt: dict[int, float],
) -> list[Problem]:
    """The warnings of `layers` on `side` (see the module's docstring). `text_sizes_pt` holds the
    size each text layer is drawn at, by the layer object's id() (texts not drawn are absent)."""
    found: list[Problem] = []
    if checks.to_cmyk is not None and side.background_printed and side.background_type == "color":
        found += _ink(None, [side.background_color], checks, "The background")
    for layer in layers:
        if layer.opacity <= 0:
            continue
        found += _stops_at_trim(side, layer)
        if isinstance(layer, TextLayer) and id(layer) in text_sizes_pt:
            found += _text_size(layer, text_sizes_pt[id(layer)], checks.min_text_pt)
        thinnest_mm = _thinnest_line_mm(layer, assets)
        if thinnest_mm is not None and thinnest_mm / _MM_PER_PT < checks.hairline_pt - _EPSILON:
            found.append(_hairline(layer, thinnest_mm / _MM_PER_PT, checks.hairline_pt))
        if checks.to_cmyk is not None:
            found += _ink(layer, _colours(layer, assets), checks, layer_title(layer))
    return found


# Art that stops at the trim


def _stops_at_trim(side: Side, layer) -> list[Problem]:
    if side.bleed_mm <= 0 or layer.rotation % 90 or not _meant_to_bleed(layer):
        return []
    left, top, right, bottom = _bounds(layer)
    width, height = side.width_mm, side.height_mm
    across_x = left < width and right > 0
    across_y = top < height and bottom > 0
    edges = [
        ("left", across_y and abs(left) <= NEAR_TRIM_MM),
        ("top", across_x and abs(top) <= NEAR_TRIM_MM),
        ("right", across_y and abs(right - width) <= NEAR_TRIM_MM),
        ("bottom", across_x and abs(bottom - height) <= NEAR_TRIM_MM),
    ]
    stopped = [edge for edge, stops in edges if stops]
    if not stopped:
        return []
    where = _listed([f"the {edge}" for edge in stopped])
    plural = "s" if len(stopped) > 1 else ""
    return [
        problem(
            layer,
            STOPS_AT_TRIM,
            f"{layer_title(layer)} stops at the trim edge{plural} at {where}: extend it "
            f"{num(side.bleed_mm)} mm past the edge{plural}, into the bleed, so no white edge shows "
            "after cutting",
            blocking=False,
            mark="Stops at the trim: extend it into the bleed",
        )
    ]


def _meant_to_bleed(layer) -> bool:
    """Art drawn to its box's edges: a rectangle or line shape with paint, a placed photo."""
    if isinstance(layer, ShapeLayer):
        return layer.shape in ("rect", "line") and bool(layer.fill or layer.stroke)
    return isinstance(layer, ImageLayer) and layer.file_id is not None


def _bounds(layer) -> tuple[float, float, float, float]:
    """The layer's box turned a quarter (or half) turn about its centre, as (left, top, right, bottom)."""
    centre_x, centre_y = layer.x + layer.width / 2, layer.y + layer.height / 2
    turned = round(layer.rotation / 90) % 2 == 1
    half_w, half_h = (layer.height / 2, layer.width / 2) if turned else (layer.width / 2, layer.height / 2)
    return centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# Text too small


def _text_size(layer: TextLayer, size_pt: float, min_pt: float) -> list[Problem]:
    if size_pt >= min_pt - _EPSILON:
        return []
    shrunk = " (shrunk to fit its box)" if size_pt < layer.font_size - _EPSILON else ""
    remedy = "shorten it or enlarge its box" if shrunk else "make it larger"
    return [
        problem(
            layer,
            TEXT_TOO_SMALL,
            f"{layer_title(layer)} is {num(round(size_pt, 1))} pt{shrunk}, smaller than the "
            f"{num(min_pt)} pt this product prints legibly: {remedy}",
            blocking=False,
            mark=f"Too small to print: {num(round(size_pt, 1))} pt",
        )
    ]


# Hairlines


def _hairline(layer, thinnest_pt: float, hairline_pt: float) -> Problem:
    return problem(
        layer,
        HAIRLINE,
        f"{layer_title(layer)} has lines {num(round(thinnest_pt, 2))} pt thin, thinner than the "
        f"{num(hairline_pt)} pt a press prints reliably: make them thicker",
        blocking=False,
        mark="Lines too thin to print",
    )


def _thinnest_line_mm(layer, assets: Assets) -> float | None:
    """The thinnest line the layer draws, in mm; None when it draws none."""
    if isinstance(layer, ShapeLayer):
        widths = []
        if layer.stroke and layer.stroke_width > 0 and layer.shape != "line":
            widths.append(layer.stroke_width)
        if layer.shape == "line" and (layer.stroke or layer.fill):
            widths.append(layer.stroke_width if layer.stroke and layer.stroke_width > 0 else layer.height)
        if layer.shape == "rect" and layer.fill:
            widths.append(min(layer.width, layer.height))
        return min(widths, default=None)
    if isinstance(layer, ClipartLayer):
        clipart = assets.clipart.get(layer.clipart_id)
        if clipart is None or clipart.format != "svg" or clipart.data is None:
            return None
        return _thinnest_clipart_stroke_mm(clipart.data, layer.width, layer.height)
    return None


# What a clipart draws but does not show by itself.
_NOT_DRAWN = frozenset(
    {"defs", "clipPath", "mask", "symbol", "marker", "pattern", "linearGradient", "radialGradient"}
)
_STROKED = frozenset({"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text"})
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")


def _thinnest_clipart_stroke_mm(svg: bytes, width_mm: float, height_mm: float) -> float | None:
    """The thinnest stroke an SVG draws, in mm, when its viewBox is fitted (kept in proportion)
    to a box of width_mm × height_mm. Strokes in units other than user units (%, em) are skipped."""
    measured = _thinnest_clipart_stroke(svg)
    if measured is None:
        return None
    view_w, view_h, thinnest = measured
    return thinnest * min(width_mm / view_w, height_mm / view_h)


@lru_cache(maxsize=512)
def _thinnest_clipart_stroke(svg: bytes) -> tuple[float, float, float] | None:
    """(the viewBox's width, its height, the thinnest stroke in its units), None when the SVG draws
    no stroke or has no size; once per clipart's bytes (the store's cache keeps the same object)."""
    try:
        root = fromstring(svg)
    except ET.ParseError:
        return None
    view_box = _NUMBER.findall(root.get("viewBox") or "")
    if len(view_box) == 4 and float(view_box[2]) > 0 and float(view_box[3]) > 0:
        view_w, view_h = float(view_box[2]), float(view_box[3])
    else:
        view_w, view_h = _user_length(root.get("width")), _user_length(root.get("height"))
        if not view_w or not view_h:
            return None
    widths = _stroke_widths(root, (1.0, 0.0, 0.0, 1.0), {"stroke": "none", "stroke-width": "1"})
    return (view_w, view_h, min(widths)) if widths else None


def _stroke_widths(element: ET.Element, linear: tuple, inherited: dict[str, str]) -> list[float]:
    """The stroke widths the element and its children draw, in the root's user units."""
    tag = _local(element.tag)
    if tag in _NOT_DRAWN:
        return []
    paint = dict(inherited)
    for name in ("stroke", "stroke-width"):
        if element.get(name) is not None:
            paint[name] = element.get(name)
    for declaration in (element.get("style") or "").split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() in ("stroke", "stroke-width") and value.strip():
            paint[name.strip()] = value.strip()
    linear = _times(linear, _linear_part(element.get("transform") or ""))
    widths = []
    if tag in _STROKED and paint["stroke"].strip().lower() not in ("none", "transparent"):
        width = _user_length(paint["stroke-width"])
        if width is not None and width > 0:
            widths.append(width * math.sqrt(abs(linear[0] * linear[3] - linear[1] * linear[2])))
    for child in element:
        widths += _stroke_widths(child, linear, paint)
    return widths


def _linear_part(transform: str) -> tuple[float, float, float, float]:
    """The linear part (a, b, c, d) of an SVG transform list; translations do not scale a stroke."""
    linear = (1.0, 0.0, 0.0, 1.0)
    for name, arguments in _TRANSFORM.findall(transform):
        values = [float(value) for value in _NUMBER.findall(arguments)]
        if name == "matrix" and len(values) == 6:
            step = tuple(values[:4])
        elif name == "scale" and values:
            step = (values[0], 0.0, 0.0, values[1] if len(values) > 1 else values[0])
        elif name == "rotate" and values:
            angle = math.radians(values[0])
            step = (math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle))
        elif name in ("skewX", "skewY") and values:
            slant = math.tan(math.radians(values[0]))
            step = (1.0, 0.0, slant, 1.0) if name == "skewX" else (1.0, slant, 0.0, 1.0)
        else:
            continue
        linear = _times(linear, step)
    return linear


def _times(first: tuple, second: tuple) -> tuple[float, float, float, float]:
    """The product of two linear maps, `first` (the outer, a parent's) applied after `second`."""
    a, b, c, d = first
    e, f, g, h = second
    return (a * e + c * f, b * e + d * f, a * g + c * h, b * g + d * h)


def _user_length(value: str | None) -> float | None:
    match = re.fullmatch(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(px)?\s*", value or "")
    return float(match[1]) if match else None


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


# Total ink


def _ink(layer, colours: list[str | None], checks: PrintChecks, title: str) -> list[Problem]:
    worst = None
    for colour in dict.fromkeys(colour for colour in colours if colour):
        ink = sum(checks.to_cmyk(colour)) * 100
        if ink > checks.ink_limit_percent + 0.5 and (worst is None or ink > worst[1]):
            worst = (colour, ink)
    if worst is None:
        return []
    colour, ink = worst
    message = (
        f"{title}’s colour {colour} takes {ink:.0f} % ink, more than the "
        f"{num(checks.ink_limit_percent)} % the press allows (it may smear or dry badly): "
        "choose a lighter or less saturated colour"
    )
    if layer is None:
        return [Problem(None, TOTAL_INK, message, blocking=False)]
    return [problem(layer, TOTAL_INK, message, blocking=False, mark=f"Too much ink: {ink:.0f} %")]


_HEX = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _colours(layer, assets: Assets) -> list[str]:
    """The #rrggbb colours the layer prints."""
    if isinstance(layer, TextLayer):
        return [layer.color]
    if isinstance(layer, ShapeLayer):
        return [colour for colour in (layer.fill, layer.stroke) if colour]
    if isinstance(layer, ClipartLayer):
        clipart = assets.clipart.get(layer.clipart_id)
        if clipart is None or clipart.format != "svg" or clipart.data is None:
            return []
        found = list(_clipart_colours(clipart.data))
        if layer.color is not None and clipart.recolorable and clipart.color:
            found = [layer.color if colour == _six_digits(clipart.color) else colour for colour in found]
            found.append(layer.color)
        return found
    return []


@lru_cache(maxsize=512)
def _clipart_colours(svg: bytes) -> tuple[str, ...]:
    """The #rrggbb colours an SVG names, once per clipart's bytes."""
    return tuple(
        dict.fromkeys(_six_digits(colour) for colour in _HEX.findall(svg.decode("utf-8", "replace")))
    )


def _six_digits(colour: str) -> str:
    colour = colour.lower()
    return "#" + "".join(digit * 2 for digit in colour[1:]) if len(colour) == 4 else colour
