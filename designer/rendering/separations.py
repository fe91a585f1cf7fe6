"""Spot colours: what a page prints besides process colour, each in its own Separation colour
space so that the press's RIP makes a plate of it (or a cutter reads it).

- The die line (the print SVG's root says which: composer/die_line.py `die_line_data`) is
  stroked 0.25 pt wide in `CutContour`, its alternate 100 % magenta: a rectangle on the trim with
  rounded corners, or a contour around the artwork at the side's offset, traced from the page's
  art (every layer, no background or overlay) drawn at ART_DPI.
- Each spot ink a layer is marked with (`data-ink`: White, Varnish, Foil; composer/inks.py) is
  printed as a stencil of its layers' shape, drawn at PLATE_DPI and filled in that ink. A layer
  printed in the ink `only` is hidden from the process drawing by the composer; here it is drawn
  for its plate.

Everything added overprints (an ExtGState with /OP, /op and /OPM 1): a cut line or a varnish must
not knock a white hole in the colour under it. The marks go after the page's own drawing, which
is wrapped in q/Q so that they are placed in the page's default user space (points, origin at the
MediaBox's bottom-left corner). A plate larger than MAX_PLATE_PIXELS, or art larger than
MAX_ART_PIXELS, is drawn at a lower resolution instead.
"""

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import numpy as np
import pikepdf
from defusedxml.ElementTree import fromstring
from PIL import Image

from designer.composer.die_line import ArtMask, contour_path, rectangle_path
from designer.composer.svg import SVG_NS
from designer.units import MM_PER_POINT

CUT_CONTOUR = "CutContour"
CUT_WIDTH_PT = 0.25
ART_DPI = 300  # the art a contour is traced around
PLATE_DPI = 600  # a spot ink's stencil
MAX_PLATE_PIXELS = 36_000_000  # an A4 page with its bleed at 600 dpi
MAX_ART_PIXELS = 4_000_000  # a contour needs no finer than 0.15 mm: an A4 page at about 200 dpi
# Each ink's alternate in DeviceCMYK: how a viewer or a proofer without the ink shows it.
ALTERNATES = {
    CUT_CONTOUR: (0.0, 1.0, 0.0, 0.0),
    "White": (0.15, 0.0, 0.0, 0.0),
    "Varnish": (0.0, 0.0, 0.15, 0.0),
    "Foil": (0.0, 0.25, 0.75, 0.15),
}
_OVERPRINT = "/PwOverprint"
_ART_ALPHA = 128
_PATH_TOKENS = re.compile(r"[MCHVLZ]|-?\d+(?:\.\d+)?(?:e-?\d+)?", re.IGNORECASE)

# What draws a print SVG (the page's, with the given SVG bytes) so many pixels wide, as its
# coverage: an 'L' image of its alpha (pdf.render_coverage).
DrawCoverage = Callable[[bytes, int], Image.Image]


def add_separations(pdf: pikepdf.Pdf, pdf_page: pikepdf.Page, page, draw_coverage: DrawCoverage) -> None:
    """Add to `pdf_page` the spot colours its print page (a pdf.PrintPage) asks for: its die line
    in CutContour and a plate for each spot ink its layers are marked with. Nothing for a page
    without either."""
    svg = page.svg.encode() if isinstance(page.svg, str) else page.svg
    if b"data-die-line" not in svg and b"data-ink" not in svg:
        return
    document = _Document(fromstring(svg))
    marks = _Marks(pdf, pdf_page, page)
    for ink in document.inks():
        plate = _coverage(draw_coverage, document.drawing(ink), page, PLATE_DPI, MAX_PLATE_PIXELS)
        if plate is not None:
            marks.plate(ink, plate)
    die_line = document.root.get("data-die-line")
    path = None
    if die_line == "rectangle":
        path = rectangle_path(page.width_mm, page.height_mm, _number(document.root, "data-die-line-radius"))
    elif die_line == "contour" and document.layers:
        art = _coverage(draw_coverage, document.drawing(None), page, ART_DPI, MAX_ART_PIXELS)
        if art is not None:
            path = contour_path(art, _number(document.root, "data-die-line-offset"))
    if path:
        marks.cut(path)
    marks.write()


class _Document:
    """The print SVG, to be drawn again with only some of its layers."""

    def __init__(self, root: ET.Element):
        self.root = root
        self.page = next(
            (child for child in root if child.tag == f"{{{SVG_NS}}}g" and child.get("class") == "page"), None
        )
        children = list(self.page) if self.page is not None else []
        self.layers = [child for child in children if (child.get("class") or "").split()[:1] == ["layer"]]

    def inks(self) -> list[str]:
        """The spot inks the layers are marked with, in the order they first appear."""
        return list(dict.fromkeys(layer.get("data-ink") for layer in self.layers if layer.get("data-ink")))

    def drawing(self, ink: str | None) -> bytes:
        """The document with only the layers marked with `ink` (None: every layer, the art), each
        shown (a layer printed in its ink only is hidden from process colour), and no background
        or overlay."""
        chosen = [layer for layer in self.layers if ink is None or layer.get("data-ink") == ink]
        kept = list(self.page)
        hidden = {id(layer): layer.get("display") for layer in chosen}
        try:
            self.page[:] = chosen
            for layer in chosen:
                layer.attrib.pop("display", None)
            return ET.tostring(self.root)
        finally:
            self.page[:] = kept
            for layer in chosen:
                if hidden[id(layer)] is not None:
                    layer.set("display", hidden[id(layer)])


def _coverage(draw_coverage: DrawCoverage, svg: bytes, page, dpi: int, most_pixels: int) -> ArtMask | None:
    """What `svg` covers of the page's bleed box, drawn at `dpi` (less for a page larger than
    `most_pixels` at it); None when it covers nothing."""
    width_mm, height_mm = page.bleed_w_mm, page.bleed_h_mm
    px_per_mm = dpi / 25.4
    most = math.sqrt(most_pixels / (width_mm * height_mm))
    px_per_mm = min(px_per_mm, most)
    width_px = max(1, round(width_mm * px_per_mm))
    alpha = draw_coverage(svg, width_px)
    if alpha.getextrema()[1] < _ART_ALPHA:
        return None
    return ArtMask(alpha, -page.bleed_mm, -page.bleed_mm, width_mm / width_px)


def _number(element: ET.Element, name: str) -> float:
    try:
        value = float(element.get(name, "0"))
    except ValueError:
        return 0.0
    return value if math.isfinite(value) else 0.0


class _Marks:
    """The spot-colour drawing added to one page, and the resources it names."""

    def __init__(self, pdf: pikepdf.Pdf, pdf_page: pikepdf.Page, page):
        self.pdf = pdf
        self.pdf_page = pdf_page
        self.page = page
        self.operators: list[str] = []
        self.spaces: dict[str, pikepdf.Object] = {}
        self.images: dict[str, pikepdf.Object] = {}
        # The trim's top-left corner, in points from the MediaBox's bottom-left corner.
        self.left_pt = (page.slug_mm + page.bleed_mm) / MM_PER_POINT
        self.top_pt = (page.slug_mm + page.bleed_mm + page.height_mm) / MM_PER_POINT

    def space(self, ink: str) -> str:
        """The resource name of `ink`'s Separation colour space, made once."""
        name = f"/Pw{re.sub(r'[^A-Za-z0-9]', '', ink)}"
        if name not in self.spaces:
            tint = pikepdf.Dictionary(
                FunctionType=2,
                Domain=pikepdf.Array([0, 1]),
                C0=pikepdf.Array([0, 0, 0, 0]),
                C1=pikepdf.Array(list(ALTERNATES.get(ink, ALTERNATES["White"]))),
                N=1,
            )
            self.spaces[name] = pikepdf.Array(
                [pikepdf.Name.Separation, pikepdf.Name("/" + ink), pikepdf.Name.DeviceCMYK, tint]
            )
        return name

    def plate(self, ink: str, coverage: ArtMask) -> None:
        """`ink` printed where `coverage` is: a 1-bit stencil mask filled with the ink."""
        covered = np.asarray(coverage.alpha) >= _ART_ALPHA
        height_px, width_px = covered.shape
        stencil = pikepdf.Stream(self.pdf, np.packbits(covered, axis=1).tobytes())
        stencil.Type, stencil.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        stencil.Width, stencil.Height = width_px, height_px
        stencil.ImageMask, stencil.BitsPerComponent = True, 1
        stencil.Decode = pikepdf.Array([1, 0])  # a set bit paints
        name = f"/PwPlate{len(self.images)}"
        self.images[name] = stencil
        page = self.page
        left, bottom = page.slug_mm / MM_PER_POINT, page.slug_mm / MM_PER_POINT
        width, height = page.bleed_w_mm / MM_PER_POINT, page.bleed_h_mm / MM_PER_POINT
        self.operators.append(
            f"q {_OVERPRINT} gs {self.space(ink)} cs 1 scn "
            f"{_pt(width)} 0 0 {_pt(height)} {_pt(left)} {_pt(bottom)} cm {name} Do Q"
        )

    def cut(self, path: str) -> None:
        """The die line, stroked in CutContour."""
        self.operators.append(
            f"q {_OVERPRINT} gs {self.space(CUT_CONTOUR)} CS 1 SCN {_pt(CUT_WIDTH_PT)} w 1 j 1 J "
            f"{self._path(path)} S Q"
        )

    def _path(self, path: str) -> str:
        """SVG path data in mm from the trim's top-left corner (absolute M, L, H, V, C, Z, as
        die_line writes it) as PDF path operators in points."""
        tokens = _PATH_TOKENS.findall(path)
        parts, x, y, index, command = [], 0.0, 0.0, 0, ""
        while index < len(tokens):
            if tokens[index].isalpha():
                command = tokens[index].upper()
                index += 1
                if command == "Z":
                    parts.append("h")
                    continue
            arity = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6}[command]
            values = [float(token) for token in tokens[index : index + arity]]
            index += arity
            if command == "H":
                x = values[0]
                parts.append(f"{self._point(x, y)} l")
            elif command == "V":
                y = values[0]
                parts.append(f"{self._point(x, y)} l")
            else:
                points = [self._point(*values[i : i + 2]) for i in range(0, arity, 2)]
                x, y = values[-2], values[-1]
                parts.append(
                    f"{' '.join(points)} {'c' if command == 'C' else 'm' if command == 'M' else 'l'}"
                )
                if command == "M":
                    command = "L"  # coordinates after a moveto are lines
        return " ".join(parts)

    def _point(self, x_mm: float, y_mm: float) -> str:
        return f"{_pt(self.left_pt + x_mm / MM_PER_POINT)} {_pt(self.top_pt - y_mm / MM_PER_POINT)}"

    def write(self) -> None:
        if not self.operators:
            return
        resources = self.pdf_page.obj.get("/Resources")
        if resources is None:
            resources = self.pdf_page.obj.Resources = pikepdf.Dictionary()
        for kind, entries in (("/ColorSpace", self.spaces), ("/XObject", self.images)):
            if entries:
                if kind not in resources:
                    resources[kind] = pikepdf.Dictionary()
                for name, value in entries.items():
                    resources[kind][name] = value
        if "/ExtGState" not in resources:
            resources.ExtGState = pikepdf.Dictionary()
        resources.ExtGState[_OVERPRINT] = pikepdf.Dictionary(
            Type=pikepdf.Name.ExtGState, OP=True, op=True, OPM=1
        )
        self.pdf_page.contents_add(pikepdf.Stream(self.pdf, b"q\n"), prepend=True)
        marks = "Q\n" + "\n".join(self.operators) + "\n"
        self.pdf_page.contents_add(pikepdf.Stream(self.pdf, marks.encode()), prepend=False)


def _pt(value: float) -> str:
    """A length in points to a thousandth."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
