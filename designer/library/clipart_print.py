"""How a clipart will print, judged at upload: the print engine's drawing (CairoSVG) of what is
stored, compared with a reference renderer's (resvg, which draws SVG as browsers do) drawing of
the file the merchant uploaded; and the reference's raster, which prints instead when the
merchant asks for it.

A pixel differs when one of its channels is more than TOLERANCE away from every pixel around it
in the other picture, both ways: an edge anti-aliased a little differently is the same drawing,
a missing line one pixel wide is not.
"""

import io
import re
from dataclasses import dataclass

import resvg_py
from PIL import Image, ImageChops, ImageFilter

from designer.files.preflight import Limits
from designer.files.preflight.svg import sanitized_svg
from designer.files.thumbnails import SvgNotDrawn, thumbnail_from_svg
from designer.library.svg_normalize import ISLAND_PX, Normalized, normalize_svg

# A channel may differ by this much (of 255) before the pixel counts as different.
TOLERANCE = 32
# The share of differing pixels up to which a clipart prints as it shows.
PRINTS_AS_SHOWN = 0.01
COMPARE_PX = 256
# What the merchant can ask to print instead of the vectors: the reference at this resolution.
RASTER_DPI = 600
# The longest side a print raster is drawn at, whatever the layer's size (a 1.2 m banner at
# 600 dpi would be 28,000 px); larger layers get fewer dots per inch.
MAX_RASTER_PX = 8000


class ReferenceNotDrawn(Exception):
    """The reference renderer could not draw the SVG."""


@dataclass(frozen=True)
class PreparedSvg:
    """An uploaded SVG made ready to store: the file sanitized as preflight sanitizes it (the
    original kept beside the clipart) and its normalized drawing (what is stored and printed)."""

    original: bytes
    normalized: Normalized


@dataclass(frozen=True)
class PrintVerdict:
    """How the stored clipart will print: the share of pixels CairoSVG draws differently from the
    reference's drawing of the original (None when it could not be measured) and what to tell
    the merchant (None when nothing)."""

    differing: float | None
    warning: str | None


def prepare_svg(data: bytes, limits: Limits) -> PreparedSvg | None:
    """The upload sanitized and normalized; None when preflight would refuse it before drawing it
    (then the upload goes to preflight as it came, for preflight's own answer)."""
    original = sanitized_svg(data, limits)
    if original is None:
        return None
    return PreparedSvg(original, normalize_svg(original))


def judge_print(
    prepared: PreparedSvg, stored: bytes, width_px: int | None, height_px: int | None, limits: Limits
) -> PrintVerdict:
    """Compare CairoSVG's drawing of `stored` (what preflight kept of the normalized drawing, of
    `width_px`×`height_px`) with the reference's drawing of the original, COMPARE_PX across, and
    word the difference."""
    try:
        printed_png, _ = thumbnail_from_svg(
            stored,
            width_px,
            height_px,
            COMPARE_PX,
            timeout_s=limits.svg_render_timeout_s,
            memory_bytes=limits.svg_render_memory_bytes,
        )
        with Image.open(io.BytesIO(printed_png)) as picture:
            size = picture.size
        printed = on_white(printed_png, size)
        reference = on_white(reference_png(prepared.original, *size), size)
    except (SvgNotDrawn, ReferenceNotDrawn, OSError):
        return PrintVerdict(None, "Presswork could not compare how this clipart prints with how it shows.")
    differing = differing_fraction(printed, reference)
    return PrintVerdict(differing, _warning(prepared, differing))


def _warning(prepared: PreparedSvg, differing: float) -> str | None:
    sentences = []
    if differing > PRINTS_AS_SHOWN:
        uses = features_of(prepared.original)
        because = f"; it uses {_listed(uses)}, which the print engine draws differently" if uses else ""
        sentences.append(
            f"About {100 * differing:.1f} % of this clipart prints differently from how a browser shows "
            f"it{because}. Choose 'Print as a picture' to print a {RASTER_DPI} dpi picture of it instead."
        )
    if prepared.normalized.rasterized:
        sentences.append(
            f"Its {_listed(list(prepared.normalized.rasterized))} print as a picture {ISLAND_PX} px across "
            "the clipart; the rest stays vector."
        )
    return " ".join(sentences) or None


_FEATURES = (
    ("mask", "masks"),
    ("clipPath", "clip paths"),
    ("pattern", "patterns"),
    ("filter", "filters"),
    ("marker", "markers"),
    ("linearGradient", "gradients"),
    ("radialGradient", "gradients"),
    ("style", "style sheets"),
    ("use", "<use> copies"),
    ("image", "embedded pictures"),
    ("text", "text"),
)


def features_of(svg: bytes) -> list[str]:
    """The features of an SVG a print engine may draw differently, in plain words."""
    found = []
    for tag, words in _FEATURES:
        if re.search(rf"<(?:\w+:)?{tag}[\s/>]".encode(), svg) and words not in found:
            found.append(words)
    for name, words in ((b"paint-order", "paint-order"), (b"mix-blend-mode", "blend modes")):
        if name in svg:
            found.append(words)
    return found


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def reference_png(svg: bytes, width_px: int, height_px: int | None = None) -> bytes:
    """The SVG drawn by the reference renderer, `width_px` wide (and `height_px` high, else in
    proportion), transparent where it draws nothing. Nothing outside the file is loaded: no
    system fonts, no resources directory.

    Raises ReferenceNotDrawn when it cannot be drawn.
    """
    size = {"width": width_px} if height_px is None else {"width": width_px, "height": height_px}
    try:
        return bytes(
            resvg_py.svg_to_bytes(svg_string=svg.decode("utf-8"), skip_system_fonts=True, dpi=96, **size)
        )
    except (ValueError, UnicodeDecodeError) as error:
        raise ReferenceNotDrawn(str(error)) from None


def on_white(png: bytes, size: tuple[int, int]) -> Image.Image:
    """A PNG composed on white, at `size` (the pixels compared)."""
    with Image.open(io.BytesIO(png)) as picture:
        picture = picture.convert("RGBA")
        if picture.size != size:
            picture = picture.resize(size, Image.Resampling.LANCZOS)
        white = Image.new("RGBA", size, "white")
        return Image.alpha_composite(white, picture).convert("RGB")


def differing_fraction(first: Image.Image, second: Image.Image) -> float:
    """The share of pixels that differ between two RGB pictures of the same size (see the module's
    docstring: anti-aliased edges pass)."""
    if first.size != second.size:
        raise ValueError(f"pictures of different sizes: {first.size} and {second.size}")
    differs = ImageChops.lighter(_outside(first, second), _outside(second, first))
    mask = differs.convert("L").point(lambda value: 255 if value else 0)
    count = mask.histogram()[255]
    return count / (first.size[0] * first.size[1])


def _outside(picture: Image.Image, around: Image.Image) -> Image.Image:
    """Per channel, nonzero where `picture` is more than TOLERANCE outside the range of the 3×3
    pixels of `around` at the same place."""
    low = around.filter(ImageFilter.MinFilter(3))
    high = around.filter(ImageFilter.MaxFilter(3))
    below = ImageChops.subtract(low, picture, offset=-TOLERANCE)
    above = ImageChops.subtract(picture, high, offset=-TOLERANCE)
    # subtract(a, b, offset=-t) is a - b - t clipped to 0..255: nonzero only past the tolerance.
    return ImageChops.lighter(below, above)
