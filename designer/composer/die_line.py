"""A side's die line: the path a cutter follows, in millimetres in the side's coordinate system
(origin at the trim box's top-left corner, y down), as SVG path data.

- `rectangle`: the trim with rounded corners (`radius_mm`).
- `contour`: for die-cut stickers, a smooth outline around the artwork at `offset_mm` from it. The
  artwork's coverage comes in as an alpha mask (a raster of the side's art, drawn by whoever can
  draw it: the renderer for print, the composer for the editor's preview); it is dilated by a
  disc of the offset, its outer boundary traced along the pixels' edges, smoothed, simplified
  and drawn as cubic Béziers. Holes are not cut, nor art inside another outline.

The editor shows the die line as a dashed magenta line (`preview_die_line`); print never draws it
as ink: the PDF strokes it in its own `CutContour` spot colour (rendering/separations.py).
The print SVG carries the die line's kind and size on its root (`die_line_data`) for that pass.
"""

import base64
import binascii
import io
import math
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import numpy as np
from cairosvg.parser import Tree
from cairosvg.surface import PNGSurface
from PIL import Image

from designer.composer.svg import SVG_NS, num

DIE_LINES = ("none", "rectangle", "contour")
CUT_CONTOUR_PREVIEW = "#ec008c"  # the process magenta printers show a CutContour in
# The alpha above which a pixel is art (half covered: an anti-aliased edge counts from its middle).
_ART_ALPHA = 128
PREVIEW_DPI = 100  # the art the editor's contour is traced around (print's: rendering, 300 dpi)
MAX_PREVIEW_PIXELS = 4_000_000
_SMOOTHING_PX = 5  # the moving average along the traced outline, in pixels (odd)
_SIMPLIFY_PX = 0.25  # how far the simplified outline may stray from the smoothed one
# A quarter circle as a cubic Bézier: the control points' distance, as a fraction of the radius.
_KAPPA = 0.5522847498


@dataclass(frozen=True)
class ArtMask:
    """The side's art as coverage: an 'L' or 'A' image whose pixel (0, 0) has its top-left corner at
    (`left_mm`, `top_mm`) in the side's coordinates, each pixel `mm_per_px` wide and high."""

    alpha: Image.Image
    left_mm: float
    top_mm: float
    mm_per_px: float


def die_line_data(kind: str, radius_mm: float, offset_mm: float) -> str:
    """The print SVG's root attributes naming the side's die line (with a leading space), or
    nothing for none."""
    if kind == "rectangle":
        return f' data-die-line="rectangle" data-die-line-radius="{num(radius_mm)}"'
    if kind == "contour":
        return f' data-die-line="contour" data-die-line-offset="{num(offset_mm)}"'
    return ""


def preview_die_line(path: str, stroke_mm: float) -> str:
    """The die line as the editor shows it: dashed magenta, over the design."""
    return (
        f'<path class="die-line" d="{path}" fill="none" stroke="{CUT_CONTOUR_PREVIEW}" '
        f'stroke-width="{num(stroke_mm)}" stroke-dasharray="{num(stroke_mm * 6)} {num(stroke_mm * 3)}"/>'
    )


def rectangle_path(width_mm: float, height_mm: float, radius_mm: float = 0.0) -> str:
    """The trim box as a closed path, its corners rounded to `radius_mm` (at most half the shorter
    side), clockwise from the top-left corner's end of the top edge."""
    radius = max(0.0, min(radius_mm, width_mm / 2, height_mm / 2))
    if radius == 0:
        return f"M0 0H{num(width_mm)}V{num(height_mm)}H0Z"
    handle = radius * (1 - _KAPPA)  # from the corner to each control point
    w, h, r = width_mm, height_mm, radius
    return (
        f"M{num(r)} 0H{num(w - r)}"
        f"C{num(w - handle)} 0 {num(w)} {num(handle)} {num(w)} {num(r)}"
        f"V{num(h - r)}"
        f"C{num(w)} {num(h - handle)} {num(w - handle)} {num(h)} {num(w - r)} {num(h)}"
        f"H{num(r)}"
        f"C{num(handle)} {num(h)} 0 {num(h - handle)} 0 {num(h - r)}"
        f"V{num(r)}"
        f"C0 {num(handle)} {num(handle)} 0 {num(r)} 0Z"
    )


def preview_contour(
    page_box: tuple[float, float, float, float], defs: str, art: str, offset_mm: float
) -> str | None:
    """The contour around `art` (SVG markup of the layers, drawing with `defs`, pictures as data:
    URIs) at `offset_mm`, traced from the art drawn at PREVIEW_DPI over `page_box` (x, y, width,
    height in mm); None when there is no art or it cannot be drawn."""
    x, y, width_mm, height_mm = page_box
    px_per_mm = min(PREVIEW_DPI / 25.4, math.sqrt(MAX_PREVIEW_PIXELS / (width_mm * height_mm)))
    width_px, height_px = max(1, round(width_mm * px_per_mm)), max(1, round(height_mm * px_per_mm))
    document = (
        f'<svg xmlns="{SVG_NS}" width="{width_px}" height="{height_px}" preserveAspectRatio="none" '
        f'viewBox="{num(x)} {num(y)} {num(width_mm)} {num(height_mm)}"><defs>{defs}</defs>{art}</svg>'
    )
    drawn = io.BytesIO()
    try:
        PNGSurface(Tree(bytestring=document.encode(), url_fetcher=_data_only), drawn, 96).finish()
    except Exception:  # noqa: BLE001 - whatever CairoSVG meets: the editor shows no contour, never fails
        return None
    drawn.seek(0)
    with Image.open(drawn) as picture:
        alpha = picture.convert("RGBA").getchannel("A")
    return contour_path(ArtMask(alpha, x, y, width_mm / width_px), offset_mm)


def _data_only(url: str, resource_type: str) -> bytes:
    """CairoSVG's fetcher for the preview's art: its data: URIs, nothing from outside."""
    header, comma, payload = url.partition(",")
    if not (url.startswith("data:") and comma):
        raise ValueError("the preview's art refers to something outside it")
    if header.lower().endswith(";base64"):
        try:
            return base64.b64decode(payload)
        except binascii.Error as error:
            raise ValueError(f"a data: URI is not base64 ({error})") from None
    return unquote_to_bytes(payload)


def contour_path(art: ArtMask, offset_mm: float) -> str | None:
    """A smooth closed path around the art at `offset_mm` from it (one per separate piece of art,
    holes left out), or None when there is no art."""
    coverage = np.asarray(art.alpha.getchannel("A") if art.alpha.mode in ("LA", "RGBA") else art.alpha)
    inside = coverage >= _ART_ALPHA
    if not inside.any():
        return None
    # Grown within the raster, which spans the page: a cutter cannot leave the sheet, so where the
    # art and its offset reach past the page's edge the contour runs along that edge.
    grown = _dilated(inside, max(0.0, offset_mm) / art.mm_per_px)
    loops = [loop for loop in _outlines(grown) if _area(loop) > 0]  # outer boundaries, not holes
    loops = [
        loop for loop in loops if not any(_encloses(other, loop[0]) for other in loops if other is not loop)
    ]
    origin = np.array((art.left_mm, art.top_mm))
    corner = origin + np.array(grown.shape[::-1]) * art.mm_per_px
    parts = []
    for loop in loops:
        points = _simplified(_smoothed(loop.astype(float))) * art.mm_per_px + origin
        parts.append(_closed_curve(points, (origin, corner)))
    return "".join(parts)


def _dilated(inside: np.ndarray, radius_px: float) -> np.ndarray:
    """`inside` grown by a disc of `radius_px`: a row-wise spread for each row of the disc."""
    reach = math.floor(radius_px)
    if reach < 1:
        return inside
    grown = np.zeros_like(inside)
    rows = inside.shape[0]
    spread: dict[int, np.ndarray] = {}
    for dy in range(-reach, reach + 1):
        half = math.floor(math.sqrt(radius_px * radius_px - dy * dy))
        if half not in spread:
            spread[half] = _spread_along_rows(inside, half)
        row = spread[half]
        if dy >= 0:
            grown[dy:] |= row[: rows - dy]
        else:
            grown[: rows + dy] |= row[-dy:]
    return grown


def _spread_along_rows(inside: np.ndarray, half: int) -> np.ndarray:
    """Each pixel set when any within `half` pixels of it along its row is: the window doubles each
    step (a window reaching `a` each way, or'd with itself shifted by up to 2a + 1, reaches further
    without gaps)."""
    result = inside.copy()
    reached = 0
    while reached < half:
        step = min(2 * reached + 1, half - reached)
        shifted = result.copy()
        shifted[:, step:] |= result[:, :-step]
        shifted[:, :-step] |= result[:, step:]
        result = shifted
        reached += step
    return result


def _outlines(inside: np.ndarray) -> list[np.ndarray]:
    """The boundaries between set and unset pixels as closed loops of pixel corners (x, y), each
    walked clockwise on screen around what is set: outer boundaries have a positive area, holes a
    negative one."""
    padded = np.pad(inside, 1)
    core = padded[1:-1, 1:-1]
    following: dict[tuple[int, int], list[tuple[int, int]]] = {}

    def add(mask: np.ndarray, start: tuple[int, int], end: tuple[int, int]) -> None:
        ys, xs = np.nonzero(mask)
        for x, y in zip(xs.tolist(), ys.tolist(), strict=True):
            following.setdefault((x + start[0], y + start[1]), []).append((x + end[0], y + end[1]))

    add(core & ~padded[:-2, 1:-1], (0, 0), (1, 0))  # top edges, going right
    add(core & ~padded[1:-1, 2:], (1, 0), (1, 1))  # right edges, going down
    add(core & ~padded[2:, 1:-1], (1, 1), (0, 1))  # bottom edges, going left
    add(core & ~padded[1:-1, :-2], (0, 1), (0, 0))  # left edges, going up
    loops = []
    while following:
        start = next(iter(following))
        loop, corner = [start], start
        while True:
            ends = following[corner]
            end = ends.pop()
            if not ends:
                del following[corner]
            if end == start:
                break
            loop.append(end)
            corner = end
        loops.append(np.array(loop))
    return loops


def _area(loop: np.ndarray) -> float:
    """Twice the loop's signed area (shoelace), positive for clockwise on screen."""
    x, y = loop[:, 0].astype(float), loop[:, 1].astype(float)
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _encloses(loop: np.ndarray, point) -> bool:
    """Whether `point` lies inside the closed `loop` (even-odd, a ray to the right)."""
    x, y = float(point[0]) + 0.5, float(point[1]) + 0.25  # off the pixel grid: never on an edge
    x1, y1 = loop[:, 0].astype(float), loop[:, 1].astype(float)
    x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
    crosses = (y1 > y) != (y2 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
    return bool(np.count_nonzero(crosses & (at > x)) % 2)


def _smoothed(points: np.ndarray) -> np.ndarray:
    """A moving average along the closed loop: the pixels' staircase becomes a smooth line."""
    if len(points) < 2 * _SMOOTHING_PX:
        return points
    kernel = np.full(_SMOOTHING_PX, 1 / _SMOOTHING_PX)
    half = _SMOOTHING_PX // 2
    wrapped = np.concatenate([points[-half:], points, points[:half]])
    return np.stack([np.convolve(wrapped[:, axis], kernel, mode="valid") for axis in (0, 1)], axis=1)


def _simplified(points: np.ndarray) -> np.ndarray:
    """The closed loop with the points that lie within _SIMPLIFY_PX of the line through their
    neighbours left out (Ramer–Douglas–Peucker, split at the point farthest from the first)."""
    if len(points) < 4:
        return points
    far = int(np.argmax(np.hypot(*(points - points[0]).T)))
    keep = np.zeros(len(points), dtype=bool)
    keep[[0, far]] = True
    stack = [(0, far), (far, len(points))]
    closed = np.vstack([points, points[:1]])
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        start, end = closed[first], closed[last]
        between = closed[first + 1 : last]
        direction = end - start
        length = math.hypot(*direction)
        if length == 0:
            distances = np.hypot(*(between - start).T)
        else:
            offsets = between - start
            distances = np.abs(direction[0] * offsets[:, 1] - direction[1] * offsets[:, 0]) / length
        index = int(np.argmax(distances))
        if distances[index] > _SIMPLIFY_PX:
            middle = first + 1 + index
            keep[middle] = True
            stack += [(first, middle), (middle, last)]
    return points[keep]


def _closed_curve(points: np.ndarray, bounds: tuple[np.ndarray, np.ndarray]) -> str:
    """A smooth closed curve through the points, as cubic Béziers: at each point the tangent runs
    parallel to its neighbours' chord, and each control point lies a third of its segment along it
    (so a short segment beside a long one never overshoots), kept within `bounds` (the top-left
    and bottom-right corners the points lie within: a curve stays inside its control points)."""
    count = len(points)
    if count < 3:
        return ""
    chords = np.roll(points, -1, axis=0) - np.roll(points, 1, axis=0)
    lengths = np.hypot(*chords.T)
    tangents = chords / np.where(lengths == 0, 1, lengths)[:, None]
    parts = [f"M{num(points[0][0])} {num(points[0][1])}"]
    for index in range(count):
        following = (index + 1) % count
        start, end = points[index], points[following]
        third = math.hypot(*(end - start)) / 3
        first = np.clip(start + tangents[index] * third, *bounds)
        second = np.clip(end - tangents[following] * third, *bounds)
        parts.append(
            f"C{num(first[0])} {num(first[1])} {num(second[0])} {num(second[1])} {num(end[0])} {num(end[1])}"
        )
    parts.append("Z")
    return "".join(parts)
