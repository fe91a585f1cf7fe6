"""Print-ready PDF: each side's print SVG (designer.composer, mode "print") drawn by CairoSVG as one
page of one document; and the same drawing as a PNG for proofs (render_png).

One page per side, in the order given. A page is the side's trim plus its bleed on every edge,
which is what the composer's print document spans: MediaBox and BleedBox are that box, TrimBox
the trim inside it, written with pikepdf once cairo has made the file. (Cairo's pages are whole
points; each is drawn on one rounded up, and the MediaBox, exact to a thousandth of a point, keeps
its bottom-left part, the drawing reaching all four edges.) A page with a slug
(`slug_mm`, for products that ask for crop marks) is larger by the slug on every edge, and has
crop marks there: at each corner of the trim, two hairlines in line with its edges, starting
MARK_GAP_MM outside the bleed so that no mark shows on a sheet cut within its bleed.

CairoSVG draws everything but pictures. Its own image drawing decodes every raster and encodes it
again as PNG, so a 1.6 MB photo made a 17.5 MB PDF. Here a JPEG goes into the PDF as the bytes the
customer uploaded: cairo writes an image surface's "image/jpeg" MIME data as a DCTDecode stream
and never reads its pixels, and the EXIF orientation is applied by the drawing matrix, not by
decoding. Other rasters (PNG, WebP, a CMYK JPEG) are decoded once, at their native resolution;
an SVG picture is left to CairoSVG, which draws it as vectors. A picture drawn twice (two layers,
two sides) is one object in the PDF.

Nothing is fetched from outside the design: references are served from data: URIs, or by the
page's `assets` resolver, and anything else is a RenderError, never a blank where a picture
should be. A document that would take too long or too much memory is refused with a RenderError
naming the limit it broke.

Spot colours (a die line in `CutContour`, white ink, varnish and foil plates) are added to each
page by separations.py, from what its print SVG marks.

The file is a PDF/X-4 (pdfx.py): its output intent the press's colour (sRGB by default), its
metadata identifying it as PDF/X-4, titled and dated by the design (`Identity`). The output is
deterministic: the design's own date, a fixed producer and ids derived from the content, so the
same pages give the same bytes.
"""

import base64
import binascii
import functools
import hashlib
import io
import math
import re
import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote_to_bytes

import cairocffi as cairo
import pikepdf
from cairosvg.helpers import paint, preserve_ratio, size, transform
from cairosvg.image import IMAGE_RENDERING
from cairosvg.image import image as draw_svg_picture
from cairosvg.parser import Tree
from cairosvg.path import path as draw_path
from cairosvg.surface import SHAPE_ANTIALIAS, PDFSurface
from cairosvg.url import parse_url
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from PIL import Image, ImageOps

from designer.rendering.cmyk import Separation, separate
from designer.rendering.pdfx import (
    PDF_VERSION,
    SRGB,
    UNTITLED,
    Identity,
    OutputIntent,
    mark_pdfx4,
)
from designer.rendering.separations import add_separations
from designer.units import MM_PER_POINT

MAX_PAGES = 100
MAX_SVG_BYTES = 400 * 1024 * 1024  # a side's print SVG carries its photos as base64
MAX_ELEMENTS = 100_000  # elements in one page's SVG, as written
MAX_DEPTH = 64  # elements inside elements (CairoSVG draws recursively)
MAX_DRAWN_ELEMENTS = 400_000  # elements drawn for the document, a <use> drawing its target again
MAX_IMAGE_PIXELS = 80_000_000  # one picture (A1 at 300 DPI is 70 megapixels)
MAX_DECODED_PIXELS = 120_000_000  # the pictures decoded for one document (JPEGs are not decoded)

SLUG_MM = 10.0  # the slug a product with crop marks gets around its bleed
MARK_GAP_MM = 2.0  # between the bleed and a crop mark
MARK_LENGTH_MM = 5.0
MARK_WIDTH_PT = 0.25

_DPI = 96  # CairoSVG's pixels; the composer's lengths are in mm, so the choice changes nothing
_SIZE_TOLERANCE_MM = 0.01
_MESSAGE_URL_CHARS = 120
_SVG_MAGIC = (b"<svg ", b"<?xml", b"<!DOC", b"\x1f\x8b")
_EXIF_ORIENTATION = 0x0112
_PAGE_SCHEME = "presswork-page"
_USE_TAGS = frozenset({"use", "{http://www.w3.org/2000/svg}use"})


class RenderError(Exception):
    """The pages cannot be rendered: the message says which page and why."""


@dataclass(frozen=True)
class PrintPage:
    """One side to print: its print SVG, its trim size and bleed in mm, and what serves the SVG's
    references other than data: URIs (`assets(url)` gives the bytes or None; without it, none
    may be made)."""

    svg: str | bytes
    width_mm: float
    height_mm: float
    bleed_mm: float
    assets: Callable[[str], bytes | None] | None = None
    slug_mm: float = 0.0  # with a slug, crop marks are drawn in it

    @property
    def bleed_w_mm(self) -> float:
        """The width of the bleed box, which is what the print SVG spans."""
        return self.width_mm + 2 * self.bleed_mm

    @property
    def bleed_h_mm(self) -> float:
        return self.height_mm + 2 * self.bleed_mm

    @property
    def media_w_mm(self) -> float:
        return self.bleed_w_mm + 2 * self.slug_mm

    @property
    def media_h_mm(self) -> float:
        return self.bleed_h_mm + 2 * self.slug_mm


def render_pdf(
    pages: list[PrintPage],
    identity: Identity = UNTITLED,
    intent: OutputIntent = SRGB,
    separation: Separation | None = None,
) -> bytes:
    """The pages as one print-ready PDF/X-4 for the output `intent`, one page each, in order, titled
    and dated by `identity` (see the module's docstring). With a `separation` the file is CMYK
    PDF/X-4 for its profile instead (cmyk.py), CMYK JPEGs passed through as they are.

    Raises RenderError for no pages or too many, an SVG that cannot be read or is larger than
    the limits, a page whose SVG is not its trim plus bleed, a reference nothing serves, or a
    picture that cannot be read or has too many pixels.
    """
    if not pages:
        raise RenderError("There is nothing to render: no pages")
    if len(pages) > MAX_PAGES:
        raise RenderError(f"{len(pages)} pages is more than the {MAX_PAGES} a document may have")
    with tempfile.TemporaryDirectory(prefix="presswork-render-") as directory:
        # Through files, not memory: a PDF of large photos is not held three times over.
        drawn, finished = Path(directory, "drawn.pdf"), Path(directory, "finished.pdf")
        first = pages[0]
        document = cairo.PDFSurface(str(drawn), _surface_pt(first.media_w_mm), _surface_pt(first.media_h_mm))
        if separation is not None:
            intent = separation.output_intent
        budget = _Budget(keeps_cmyk_jpegs=separation is not None)
        for number, page in enumerate(pages, start=1):
            _draw(page, number, document, budget)
        document.finish()
        del budget, document  # the pictures' bytes and surfaces
        _finish(drawn, finished, pages, identity, intent, separation)
        return finished.read_bytes()


def render_png(page: PrintPage, width_px: int) -> bytes:
    """The page's bleed box as a PNG `width_px` wide (proofs and thumbnails): the same drawing as
    the PDF's, with the same limits and references, JPEGs decoded at the size shown.

    Raises RenderError as render_pdf does.
    """
    height_px = max(1, round(width_px * page.bleed_h_mm / page.bleed_w_mm))
    raster = cairo.ImageSurface(cairo.FORMAT_ARGB32, width_px, height_px)
    # The page is drawn in points, as for the PDF; the device scale makes them pixels.
    raster.set_device_scale(width_px / _pt(page.bleed_w_mm), height_px / _pt(page.bleed_h_mm))
    _draw(replace(page, slug_mm=0.0), 1, raster, _Budget(raster_px=width_px))
    output = io.BytesIO()
    raster.write_to_png(output)
    return output.getvalue()


def render_coverage(page: PrintPage, width_px: int) -> Image.Image:
    """What the page's drawing covers of its bleed box, `width_px` wide: its alpha as an 'L' image
    (spot colour plates and contours: separations.py), drawn as render_png draws, never encoded.

    Raises RenderError as render_pdf does.
    """
    height_px = max(1, round(width_px * page.bleed_h_mm / page.bleed_w_mm))
    raster = cairo.ImageSurface(cairo.FORMAT_A8, width_px, height_px)
    raster.set_device_scale(width_px / _pt(page.bleed_w_mm), height_px / _pt(page.bleed_h_mm))
    _draw(replace(page, slug_mm=0.0), 1, raster, _Budget(raster_px=width_px))
    raster.flush()
    stride = raster.get_stride()
    return Image.frombuffer("L", (width_px, height_px), bytes(raster.get_data()), "raw", "L", stride, 1)


def _draw(page: PrintPage, number: int, target: cairo.Surface, budget: "_Budget") -> None:
    try:
        _PageSurface(*_tree(page, number), target, page, number, budget)
    except (RenderError, MemoryError):
        raise  # a MemoryError is the render's memory cap (rendering/memory.py), said as such
    except Exception as error:  # whatever CairoSVG or cairo meets in a hostile document
        raise RenderError(f"Page {number} cannot be drawn: {error}") from error


def _pt(length_mm: float) -> float:
    return length_mm / MM_PER_POINT


def _surface_pt(length_mm: float) -> int:
    """A page length as cairo's page is drawn: whole points, rounded up (see _PageSurface), so that
    the drawing fills the MediaBox of the exact length."""
    # Rounded first: a length of whole points, a float's last bit over, must not gain a point.
    return math.ceil(round(_pt(length_mm), 6))


def _tree(page: PrintPage, number: int) -> tuple[Tree, dict[str, str]]:
    """The page's SVG parsed by CairoSVG, once its size and shape are known to be within limits;
    and its bare outlines (see _PageSurface._draw_outline_use), their path data by id."""
    svg = page.svg.encode() if isinstance(page.svg, str) else page.svg
    if len(svg) > MAX_SVG_BYTES:
        raise RenderError(f"Page {number}: its SVG is larger than {MAX_SVG_BYTES // 1024 // 1024} MB")
    try:
        root = fromstring(svg, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException) as error:
        raise RenderError(f"Page {number}: its SVG cannot be read: {error}") from None
    # Counted before CairoSVG builds its own tree, which it does recursively, all of it at once.
    count, stack, ids = 0, [(root, 1)], {}
    while stack:
        element, depth = stack.pop()
        count += 1
        if count > MAX_ELEMENTS:
            raise RenderError(f"Page {number}: its SVG has more than {MAX_ELEMENTS} elements")
        if depth > MAX_DEPTH:
            raise RenderError(f"Page {number}: its SVG nests elements more than {MAX_DEPTH} deep")
        if element.get("id"):
            ids.setdefault(element.get("id"), element)
        stack.extend((child, depth + 1) for child in element)
    _Expansion(ids, number).drawn(root, 1)
    outlines = {name: element.get("d") for name, element in ids.items() if _bare_outline(element)}
    # A URL of its own lets CairoSVG keep each <use>'s target parsed (its tree cache is by URL and
    # id): without one, every <use> searches and parses the document again.
    tree = Tree(
        bytestring=svg, url=f"{_PAGE_SCHEME}:page-{number}", url_fetcher=_Fetcher(page, number), unsafe=False
    )
    return tree, outlines


_SVG_PATH = "{http://www.w3.org/2000/svg}path"
_ARC = re.compile("[Aa]")


def _bare_outline(element: ET.Element) -> bool:
    """A <path> with nothing but its id and path data, and no arc (cairo flattens an arc at the
    drawing's scale, so its segments cannot be kept apart from it)."""
    bare = element.tag == _SVG_PATH and set(element.keys()) == {"id", "d"}
    return bare and not _ARC.search(element.get("d"))


@functools.lru_cache(maxsize=4096)
def _outline(d: str) -> tuple:
    """The path data `d` as cairo's path segments, in its own units: parsed by CairoSVG's own path
    parser once per process."""
    context = cairo.Context(cairo.RecordingSurface(cairo.CONTENT_ALPHA, None))
    context.move_to(0, 0)  # where CairoSVG starts a path's drawing
    draw_path(SimpleNamespace(context=context), _Outline(d=d))
    return tuple(context.copy_path())


class _Outline(dict):
    """A bare <path> as CairoSVG's path parser takes it."""


class _Expansion:
    """How many elements a page draws once each <use> draws what it refers to again: ten levels of
    ten references make ten thousand million, which must be refused before CairoSVG starts on them
    (its own limit of 100,000 references takes it many seconds to reach)."""

    def __init__(self, ids: dict[str, ET.Element], number: int):
        self.ids = ids
        self.number = number
        self.counted: dict[int, int] = {}
        self.open: set[int] = set()

    def drawn(self, element: ET.Element, depth: int) -> int:
        key = id(element)
        if key in self.counted:
            return self.counted[key]
        if depth > MAX_DEPTH:
            raise RenderError(f"Page {self.number}: its SVG refers through more than {MAX_DEPTH} levels")
        if key in self.open:
            raise RenderError(f"Page {self.number}: its SVG has an element that refers to itself")
        self.open.add(key)
        total = 1 + sum(self.drawn(child, depth + 1) for child in element)
        href = element.get("href") or element.get("{http://www.w3.org/1999/xlink}href") or ""
        if element.tag in _USE_TAGS and href.startswith("#") and href[1:] in self.ids:
            total += self.drawn(self.ids[href[1:]], depth + 1)
        if total > MAX_DRAWN_ELEMENTS:
            raise RenderError(
                f"Page {self.number}: its SVG would draw more than {MAX_DRAWN_ELEMENTS} elements"
            )
        self.open.discard(key)
        self.counted[key] = total
        return total


class _Fetcher:
    """CairoSVG's url_fetcher for one page: data: URIs and the page's own assets, nothing else."""

    def __init__(self, page: PrintPage, number: int):
        self.assets = page.assets
        self.number = number

    def __call__(self, url: str, resource_type: str) -> bytes:
        if url.startswith("data:"):
            return self._data(url)
        data = self.assets(url) if self.assets is not None else None
        if data is None:
            raise RenderError(
                f"Page {self.number}: the SVG refers to {_shortened(url)}, which is not part of the design "
                "(nothing is fetched from outside it)"
            )
        return data

    def _data(self, url: str) -> bytes:
        header, comma, payload = url[len("data:") :].partition(",")
        if not comma:
            raise RenderError(f"Page {self.number}: {_shortened(url)} is not a data: URI")
        if header.lower().endswith(";base64"):
            try:
                return base64.b64decode(payload)
            except binascii.Error as error:
                raise RenderError(f"Page {self.number}: a data: URI is not base64 ({error})") from None
        return unquote_to_bytes(payload)


def _shortened(url: str) -> str:
    return repr(url if len(url) <= _MESSAGE_URL_CHARS else url[:_MESSAGE_URL_CHARS] + "…")


@dataclass(frozen=True)
class _Picture:
    """A raster picture ready to paint: a cairo surface of its stored pixels (for a JPEG, one
    carrying the file as its MIME data) and the matrix from the upright picture's pixels to them."""

    surface: cairo.ImageSurface
    width_px: int  # upright, as the picture is shown
    height_px: int
    matrix: cairo.Matrix


class _Budget:
    """What one document has spent against the limits, and its pictures by content. For a raster
    (`raster_px` wide), JPEGs are decoded too, no larger than needed."""

    def __init__(self, raster_px: int | None = None, keeps_cmyk_jpegs: bool = False):
        self.raster_px = raster_px
        self.jpeg_modes = ("L", "RGB", "CMYK") if keeps_cmyk_jpegs else ("L", "RGB")
        self.drawn = 0
        self.decoded_pixels = 0
        self.pictures: dict[bytes, _Picture] = {}

    def count_drawn(self, number: int) -> None:
        self.drawn += 1
        if self.drawn > MAX_DRAWN_ELEMENTS:
            raise RenderError(f"Page {number}: the document draws more than {MAX_DRAWN_ELEMENTS} elements")

    def picture(self, data: bytes, number: int) -> _Picture:
        digest = hashlib.sha256(data).digest()
        picture = self.pictures.get(digest)
        if picture is None:
            picture = self._read(data, number)
            # The same id on the same bytes lets cairo write them into the PDF once.
            picture.surface.set_mime_data("application/x-cairo.uuid", digest.hex().encode())
            self.pictures[digest] = picture
        return picture

    def _read(self, data: bytes, number: int) -> _Picture:
        try:
            with warnings.catch_warnings():
                # Pillow warns of a decompression bomb above its own limit; ours, lower, is below.
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            raise RenderError(f"Page {number}: a picture cannot be read ({error})") from None
        with image:
            width_px, height_px = image.size
            if width_px * height_px > MAX_IMAGE_PIXELS:
                raise RenderError(
                    f"Page {number}: a picture of {width_px} × {height_px} pixels is larger than "
                    f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels"
                )
            if image.format == "JPEG" and image.mode in self.jpeg_modes:
                if self.raster_px is None:
                    return _jpeg_picture(image, data, width_px, height_px)
                image.draft("RGB", (self.raster_px, self.raster_px))  # DCT scaling: cheap
                width_px, height_px = image.size
            self.decoded_pixels += width_px * height_px
            if self.decoded_pixels > MAX_DECODED_PIXELS:
                raise RenderError(
                    f"Page {number}: the document's pictures are more than "
                    f"{MAX_DECODED_PIXELS // 1_000_000} megapixels"
                )
            try:
                upright = ImageOps.exif_transpose(image)
                surface = _image_surface(upright)
            except (OSError, ValueError) as error:
                raise RenderError(f"Page {number}: a picture cannot be decoded ({error})") from None
            return _Picture(surface, upright.width, upright.height, cairo.Matrix())


def _jpeg_picture(image: Image.Image, data: bytes, width_px: int, height_px: int) -> _Picture:
    """A JPEG as it is stored: an image surface whose pixels are never drawn (it is calloc'd, so
    costs no memory), carrying the file as MIME data for cairo to write as it is."""
    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, width_px, height_px)
    surface.set_mime_data("image/jpeg", data)
    orientation = image.getexif().get(_EXIF_ORIENTATION, 1)
    if orientation not in _ORIENTATIONS:
        orientation = 1
    matrix = cairo.Matrix(*_ORIENTATIONS[orientation](width_px, height_px))
    turned = orientation >= 5
    return _Picture(surface, height_px if turned else width_px, width_px if turned else height_px, matrix)


# EXIF orientations as the matrix (xx, yx, xy, yy, x0, y0) from the upright picture's pixel (u, v)
# to the stored one's: x = xx·u + xy·v + x0, y = yx·u + yy·v + y0 (as Pillow's exif_transpose).
_ORIENTATIONS = {
    1: lambda w, h: (1, 0, 0, 1, 0, 0),
    2: lambda w, h: (-1, 0, 0, 1, w, 0),  # mirrored left to right
    3: lambda w, h: (-1, 0, 0, -1, w, h),  # upside down
    4: lambda w, h: (1, 0, 0, -1, 0, h),  # mirrored top to bottom
    5: lambda w, h: (0, 1, 1, 0, 0, 0),  # transposed
    6: lambda w, h: (0, -1, 1, 0, 0, h),  # a phone held upright: turned a quarter clockwise to show
    7: lambda w, h: (0, -1, -1, 0, w, h),  # transversed
    8: lambda w, h: (0, 1, -1, 0, w, 0),  # turned a quarter anticlockwise to show
}


def _image_surface(image: Image.Image) -> cairo.ImageSurface:
    """A decoded picture as a cairo surface, its pixels as they are (opaque ones without alpha)."""
    if sys.byteorder != "little":  # cairo's pixels are native-endian words; Pillow packs bytes
        png = io.BytesIO()
        image.convert("RGBA").save(png, "PNG")
        png.seek(0)
        return cairo.ImageSurface.create_from_png(png)
    if image.has_transparency_data:
        pixel_format, pixels = (
            cairo.FORMAT_ARGB32,
            image.convert("RGBA").convert("RGBa").tobytes("raw", "BGRa"),
        )
    else:
        pixel_format, pixels = cairo.FORMAT_RGB24, image.convert("RGB").tobytes("raw", "BGRX")
    stride = cairo.ImageSurface.format_stride_for_width(pixel_format, image.width)
    return cairo.ImageSurface.create_for_data(
        bytearray(pixels), pixel_format, image.width, image.height, stride
    )


class _PictureNode(dict):
    """The one child an <image> is drawn with: see _PageSurface.draw."""

    tag = "presswork-picture"
    children = ()

    def __init__(self, image_node):
        super().__init__()
        self.image_node = image_node


# What a <use> may carry that _draw_outline_use leaves to CairoSVG (font sizes for em lengths,
# opacity, masks, filters, clips, markers, display and visibility).
_OUTLINE_USE_DRAWN = frozenset(
    (
        "font",
        "font-size",
        "opacity",
        "mask",
        "filter",
        "clip",
        "clip-path",
        "marker",
        "marker-start",
        "marker-mid",
        "marker-end",
        "display",
        "visibility",
        "transform-origin",
        "width",
        "height",
        "viewBox",
    )
)


class _PageSurface(PDFSurface):
    """CairoSVG's PDF surface drawing one page onto the document's cairo surface, and drawing the
    pictures itself."""

    def __init__(
        self,
        tree: Tree,
        outlines: dict[str, str],
        document: cairo.Surface,
        page: PrintPage,
        number: int,
        budget: _Budget,
    ):
        self._outlines = outlines
        self._document = document
        self._page = page
        self._number = number
        self._budget = budget
        super().__init__(tree, None, _DPI)  # draws the page
        self.finish()

    def _create_surface(self, width, height):
        width_mm, height_mm = width * MM_PER_POINT, height * MM_PER_POINT
        page = self._page
        if (
            abs(width_mm - page.bleed_w_mm) > _SIZE_TOLERANCE_MM
            or abs(height_mm - page.bleed_h_mm) > _SIZE_TOLERANCE_MM
        ):
            raise RenderError(
                f"Page {self._number}: its SVG is {width_mm:.2f} × {height_mm:.2f} mm, but the side with "
                f"its bleed is {page.bleed_w_mm:.2f} × {page.bleed_h_mm:.2f} mm"
            )
        if isinstance(self._document, cairo.PDFSurface):
            # Cairo clips a page to whole points, rounded down: drawn on a page of its exact size,
            # the design would stop up to a point short of the right and bottom edges. The page is
            # drawn on whole points rounded up, the design at its bottom-left corner (where the
            # MediaBox that _finish sets starts), with the slug around it.
            surface_w, surface_h = _surface_pt(page.media_w_mm), _surface_pt(page.media_h_mm)
            self._document.set_size(surface_w, surface_h)
            self._document.set_device_offset(
                _pt(page.slug_mm), surface_h - _pt(page.media_h_mm) + _pt(page.slug_mm)
            )
        return self._document, width, height

    def finish(self):
        if self._page.slug_mm:
            _draw_crop_marks(cairo.Context(self._document), self._page)
        self.cairo.show_page()
        self._document.set_device_offset(0, 0)

    def draw(self, node):
        if isinstance(node, _PictureNode):
            if self.stroke_and_fill:  # not while a clip path is being traced
                self._draw_picture(node.image_node)
            return
        self._budget.count_drawn(self._number)
        if node.tag == "use" and self._draw_outline_use(node):
            return
        if node.tag != "image":
            super().draw(node)
            return
        # CairoSVG applies what any element may carry (transform, clip path, opacity, display) to a
        # group as to an image: the image is drawn as a group whose one child paints the picture.
        tag, children = node.tag, node.children
        node.tag, node.children = "g", [_PictureNode(node)]
        try:
            super().draw(node)
        finally:
            node.tag, node.children = tag, children

    def _draw_outline_use(self, node) -> bool:
        """Draw a <use> of a bare outline (a <path> with only its id and path data: the composer's
        glyphs, dozens of uses a page) filled as CairoSVG fills it, from the outline parsed once
        (CairoSVG parses a use's target again, path data and all, every time). False, drawing
        nothing, for a use that carries more than a plain fill: CairoSVG draws it."""
        d = self._outlines.get(parse_url(node.get_href()).fragment)
        if d is None or not self.stroke_and_fill or not _OUTLINE_USE_DRAWN.isdisjoint(node.keys()):
            return False
        if node.get("stroke", "none") != "none":
            return False
        source, colour = paint(node.get("fill", "black"))
        if source or colour in (None, "none"):
            return False
        context = self.context
        context.save()
        transform(self, node.get("transform"))
        context.translate(size(self, node.get("x"), "x"), size(self, node.get("y"), "y"))
        context.set_antialias(SHAPE_ANTIALIAS.get(node.get("shape-rendering"), cairo.ANTIALIAS_DEFAULT))
        if node.get("fill-rule") == "evenodd":
            context.set_fill_rule(cairo.FILL_RULE_EVEN_ODD)
        context.new_path()
        context.append_path(_outline(d))
        context.set_source_rgba(*self.map_color(colour, float(node.get("fill-opacity", 1))))
        context.fill()
        context.restore()
        return True

    def _draw_picture(self, node) -> None:
        href = node.get_href()
        if not href:
            return
        data = node.fetch_url(parse_url(href), "image/*")
        if not data:
            raise RenderError(f"Page {self._number}: a picture is empty")
        if data.startswith(_SVG_MAGIC) or (not _raster(data) and b"<svg" in data):
            node.tag = "image"
            try:
                draw_svg_picture(self, node)  # CairoSVG's own: an SVG picture stays vectors
            finally:
                node.tag = "g"
            return
        picture = self._budget.picture(data, self._number)
        node.image_width, node.image_height = picture.width_px, picture.height_px
        x, y = size(self, node.get("x"), "x"), size(self, node.get("y"), "y")
        width = size(self, node.get("width"), "x") or picture.width_px
        height = size(self, node.get("height"), "y") or picture.height_px
        scale_x, scale_y, translate_x, translate_y = preserve_ratio(self, node, width, height)
        context = self.context
        context.save()
        context.rectangle(x, y, width, height)  # what preserveAspectRatio slices off is not shown
        context.clip()
        context.translate(x, y)
        context.scale(scale_x, scale_y)
        context.translate(translate_x, translate_y)
        pattern = cairo.SurfacePattern(picture.surface)
        pattern.set_matrix(picture.matrix)
        pattern.set_filter(IMAGE_RENDERING.get(node.get("image-rendering"), cairo.FILTER_GOOD))
        context.set_source(pattern)
        context.paint()  # the group around it applies the opacity
        context.restore()


def _draw_crop_marks(context: cairo.Context, page: PrintPage) -> None:
    """Two hairlines at each corner of the trim, in the slug (the context's origin is the bleed
    box's top-left corner)."""
    trim_x = (_pt(page.bleed_mm), _pt(page.bleed_mm + page.width_mm))
    trim_y = (_pt(page.bleed_mm), _pt(page.bleed_mm + page.height_mm))
    near, far = _pt(MARK_GAP_MM), _pt(MARK_GAP_MM + MARK_LENGTH_MM)
    bleed_w, bleed_h = _pt(page.bleed_w_mm), _pt(page.bleed_h_mm)
    for x in trim_x:  # vertical marks above and below the bleed
        context.move_to(x, -near)
        context.line_to(x, -far)
        context.move_to(x, bleed_h + near)
        context.line_to(x, bleed_h + far)
    for y in trim_y:  # horizontal marks left and right of it
        context.move_to(-near, y)
        context.line_to(-far, y)
        context.move_to(bleed_w + near, y)
        context.line_to(bleed_w + far, y)
    context.set_source_rgb(0, 0, 0)
    context.set_line_width(MARK_WIDTH_PT)
    context.stroke()


def _raster(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*"))


def _finish(
    drawn: Path,
    finished: Path,
    pages: list[PrintPage],
    identity: Identity,
    intent: OutputIntent,
    separation: Separation | None = None,
) -> None:
    """Cairo's PDF with each page's boxes set, made a PDF/X-4 for `intent`, written deterministically."""
    with pikepdf.open(drawn) as pdf:
        if len(pdf.pages) != len(pages):
            raise RenderError(f"{len(pages)} pages were drawn, but the PDF has {len(pdf.pages)}")
        for pdf_page, page in zip(pdf.pages, pages, strict=True):
            media_w, media_h = _box(page.media_w_mm), _box(page.media_h_mm)
            slug, inset = _box(page.slug_mm), _box(page.slug_mm + page.bleed_mm)
            pdf_page.obj.MediaBox = pikepdf.Array([0, 0, media_w, media_h])
            pdf_page.obj.BleedBox = pikepdf.Array([slug, slug, media_w - slug, media_h - slug])
            pdf_page.obj.TrimBox = pikepdf.Array([inset, inset, media_w - inset, media_h - inset])
            add_separations(
                pdf, pdf_page, page, lambda svg, px, page=page: render_coverage(replace(page, svg=svg), px)
            )
        # Cairo dates the file with the time it drew it; the design's own date replaces it.
        mark_pdfx4(pdf, identity, intent, _digest(pages))
        if separation is not None:
            separate(pdf, separation)
        pdf.save(finished, deterministic_id=True, force_version=PDF_VERSION)


def _digest(pages: list[PrintPage]) -> str:
    """A SHA-256 of what the pages draw (cairo's own file carries the time it was drawn)."""
    digest = hashlib.sha256()
    for page in pages:
        svg = page.svg.encode() if isinstance(page.svg, str) else page.svg
        digest.update(
            f"{page.width_mm!r} {page.height_mm!r} {page.bleed_mm!r} {page.slug_mm!r} {len(svg)}\n".encode()
        )
        digest.update(svg)
    return digest.hexdigest()


def _box(length_mm: float) -> Decimal:
    """A length in mm as PDF points, to a thousandth of a point."""
    return Decimal(f"{_pt(length_mm):.3f}")
