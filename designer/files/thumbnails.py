"""Thumbnails, made once at upload and stored beside the original.

Photos become JPEG (small), anything with transparency and every SVG becomes PNG. PDFs get none:
rasterizing a page needs Ghostscript or Poppler, which Presswork does not run on uploads (they
are the usual way a hostile PDF gets code execution).
"""

import io
import json
import subprocess
import sys

from PIL import Image, ImageCms, ImageOps

_JPEG_QUALITY = 85


def thumbnail_from_image(image: Image.Image, box_px: int) -> tuple[bytes, str]:
    """A thumbnail of a decoded image fitting `box_px`×`box_px`, as (bytes, media type)."""
    image = ImageOps.exif_transpose(image) or image
    image = _displayable(image)
    image.thumbnail((box_px, box_px), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    image.save(out, "JPEG", quality=_JPEG_QUALITY, optimize=True)
    return out.getvalue(), "image/jpeg"


class SvgNotDrawn(Exception):
    """CairoSVG could not draw the SVG: it failed, ran out of time, or ran out of memory."""


def thumbnail_from_svg(
    svg: bytes,
    width_px: float | None,
    height_px: float | None,
    box_px: int,
    *,
    timeout_s: float = 4.0,
    memory_bytes: int = 512 * 1024 * 1024,
) -> tuple[bytes, str]:
    """A PNG thumbnail of an SVG fitting `box_px`×`box_px`, drawn by CairoSVG (as the print is).

    `svg` must be sanitized already; CairoSVG is also kept from fetching anything (unsafe=False
    lets it read data: URLs only). It draws in a child process held to `timeout_s` and
    `memory_bytes` of address space: CairoSVG walks the drawing in Python, so a small file of
    markers or patterns repeated on every vertex can ask for minutes of work or gigabytes, and
    no check before drawing can foresee every such case. Raises SvgNotDrawn.
    """
    if width_px and height_px:
        scale = box_px / max(width_px, height_px)
        options = {
            "output_width": max(1, round(width_px * scale)),
            "output_height": max(1, round(height_px * scale)),
        }
    else:
        # No intrinsic size (width="100%" and no viewBox): draw it in the box, as a page would.
        options = {"output_width": box_px, "parent_width": box_px, "parent_height": box_px}
    return _draw_in_child(svg, options, timeout_s, memory_bytes), "image/png"


# Run by a fresh interpreter (isolated: no environment, no user site): it caps its own address
# space before CairoSVG is even imported, reads the SVG on stdin and writes the PNG on stdout.
_DRAW = """
import json, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    import cairosvg
    png = cairosvg.svg2png(bytestring=sys.stdin.buffer.read(), unsafe=False, **json.loads(sys.argv[2]))
except MemoryError:
    sys.stderr.write("drawing it needs more memory than allowed")
    sys.exit(3)
except Exception as error:
    sys.stderr.write((str(error) or type(error).__name__)[:200])
    sys.exit(2)
sys.stdout.buffer.write(png)
"""


def _draw_in_child(svg: bytes, options: dict, timeout_s: float, memory_bytes: int) -> bytes:
    # A new interpreter per drawing costs about 0.2 s, and buys what forking the web worker (its
    # threads' locks) or a multiprocessing fork server (it re-runs the main script of whoever
    # imported Presswork) would not: a clean process, killed at the deadline.
    command = [sys.executable, "-I", "-c", _DRAW, str(memory_bytes), json.dumps(options)]
    try:
        finished = subprocess.run(command, input=svg, capture_output=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        raise SvgNotDrawn(f"drawing it took longer than {timeout_s:g} s; simplify it") from None
    if finished.returncode != 0:
        reason = finished.stderr.decode("utf-8", "replace").strip()[-200:]
        raise SvgNotDrawn(reason or "the renderer stopped before finishing (out of memory)")
    return finished.stdout


def _displayable(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image has transparency."""
    if image.mode == "CMYK":
        return _cmyk_to_rgb(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    if has_alpha:
        return image.convert("RGBA")
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        # Wide greyscale: scale to 8 bits before converting, or everything comes out white.
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB") if image.mode != "RGB" else image


def _cmyk_to_rgb(image: Image.Image) -> Image.Image:
    # With its embedded ICC profile the colours come out as the designer saw them; without one
    # (or with one LittleCMS cannot read), Pillow's naive conversion is the fallback.
    profile = image.info.get("icc_profile")
    if profile:
        try:
            converted = ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return image.convert("RGB")
