"""Raster images (JPEG, PNG, WebP, TIFF, GIF) through Pillow, opened with an explicit format
allowlist (only the sniffed format's plugin may read the bytes), sized from the header before a
pixel is decoded, then decoded fully once to catch truncated or corrupt data.

Memory: from the header, an image the renderer could not hold within what a render may use
(Limits.render_memory_bytes, RENDER_MEMORY_MB) is refused before it is decoded, so what passes
here also prints, and what is decoded here is bounded by the same budget. Only
Limits.concurrent_decodes images are decoded at once in a process (the others wait), the full
image is let go as soon as a small copy for the thumbnail is made, and the freed memory is given
back to the system afterwards rather than kept by the allocator.
"""

import ctypes
import ctypes.util
import io
import random
import re
import threading

from PIL import Image, ImageFile, UnidentifiedImageError

from designer.files.preflight import MM_PER_INCH, Limits, Report, Rules, mm
from designer.files.thumbnails import thumbnail_from_image

# A file cut short must fail, never decode as far as it goes (Pillow's default; no one may flip it).
ImageFile.LOAD_TRUNCATED_IMAGES = False

# What the renderer (rendering/pdf.py) holds at its peak for one picture it decodes, measured:
# Pillow's pixels, the upright copy, the RGB(A) conversion, its BGRX bytes and cairo's surface
# made of them; 20 bytes a pixel (14 for a one-channel image; counted as 20 to keep one rule).
RENDER_BYTES_PER_PIXEL = 20
# The file itself, carried in the print SVG as base64, read back and written into the PDF.
RENDER_BYTES_PER_FILE_BYTE = 6
# The rest of a render: the composition, fonts, the PDF being written.
RENDER_BASE_BYTES = 64 * 1024 * 1024
_MB = 1024 * 1024

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "tiff": "TIFF", "gif": "GIF"}

COLOR_MODES = {
    "1": "bilevel",
    "L": "grayscale",
    "LA": "grayscale-alpha",
    "La": "grayscale-alpha",
    "I": "grayscale",
    "I;16": "grayscale",
    "I;16B": "grayscale",
    "I;16L": "grayscale",
    "F": "grayscale",
    "P": "palette",
    "PA": "palette-alpha",
    "RGB": "rgb",
    "RGBX": "rgb",
    "YCbCr": "rgb",
    "RGBA": "rgba",
    "RGBa": "rgba",
    "CMYK": "cmyk",
    "LAB": "lab",
    "HSV": "hsv",
}

_BOMB_PIXELS = re.compile(r"\((\d+) pixels\)")


def check_image(data: bytes, report: Report, rules: Rules, limits: Limits):
    """Fill `report` for a raster image; returns (bytes to store, thumbnail or None)."""
    pil_format = PIL_FORMATS[report.format]
    try:
        with Image.open(io.BytesIO(data), formats=[pil_format]) as header:
            # Only the header has been read: the size, mode and metadata are known, no pixel is.
            if not _check_dimensions(header.size, report, limits):
                return data, None
            if not _check_render_memory(header, len(data), report, limits):
                return data, None
            _describe(header, report, rules)
            header.verify()  # chunk CRCs and structure, still without decoding
        with _decoding(limits):
            try:
                thumbnail, animated = _decode(data, pil_format, limits)
            finally:
                _give_back_memory()
    except _CutShort:
        report.fail(
            "integrity",
            "The image data ends before the image does: the file was cut short (its last rows "
            "would print as flat grey). Upload the whole file again",
        )
        return data, None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow's own guard, raised from the header before ours could run (on a size far over
        # any sane limit, or when warnings are errors, as in the tests).
        claimed = _BOMB_PIXELS.search(str(error))
        pixels = int(claimed.group(1)) if claimed else None
        report.fail("dimensions", _too_many_pixels_text(pixels, limits))
        return data, None
    except UnidentifiedImageError:
        report.fail("integrity", f"The file starts like {_NAMES[report.format]} but cannot be read as one")
        return data, None
    except MemoryError:
        raise
    except Exception as error:  # noqa: BLE001  (hostile bytes reach any corner of a decoder)
        report.fail("integrity", f"The image data is truncated or corrupt: {_reason(error)}")
        return data, None
    report.passed("integrity", "The image data decodes completely")
    if animated:
        report.warn(
            "frames", "The image has several frames (animated or multi-page); only the first is printed"
        )
    return data, thumbnail


class _CutShort(Exception):
    """The JPEG's entropy-coded data stopped before its last blocks."""


def _decode(data: bytes, pil_format: str, limits: Limits) -> tuple[tuple[bytes, str], bool]:
    """Decode every byte of the image once; (thumbnail, whether it has several frames).

    Raises _CutShort for a JPEG cut short; whatever Pillow raises for corrupt data.
    """
    with Image.open(io.BytesIO(data), formats=[pil_format]) as image:
        if pil_format == "JPEG":
            # libjpeg decodes at 1/2, 1/4 or 1/8 scale while still reading every byte of the
            # entropy-coded data, so truncation is caught at a fraction of the time and memory.
            image.draft(None, (limits.thumbnail_px, limits.thumbnail_px))
        image.load()
        if pil_format == "JPEG" and _cut_short(data, image, limits):
            raise _CutShort()
        animated = getattr(image, "is_animated", False)
        small = _reduced(image, limits.thumbnail_px)
    # The full image is closed: only the small copy is left to make the thumbnail from.
    return thumbnail_from_image(small, limits.thumbnail_px), animated


# Bytes that are entropy-coded data to libjpeg (no 0xFF: nothing a marker could start with).
_PROBE = bytes(byte if byte != 0xFF else 0x5A for byte in random.Random(11).randbytes(64 * 1024))


def _cut_short(data: bytes, decoded: Image.Image, limits: Limits) -> bool:
    """Whether a JPEG's data stopped before its last blocks and was closed with an end marker.

    libjpeg, meeting a marker where a scan's data should go on, warns (which Pillow does not
    pass on) and decodes each block left as all-zero coefficients: flat mid-grey rows at the
    bottom (128 in every channel; 127 once an Adobe CMYK file's inversion is undone). A picture
    may end in that grey too; so when it does, the file is decoded again with more data put
    before its end marker: a whole file's decoder has finished its blocks and skips those bytes,
    leaving the picture as it was; a file cut short decodes them into its missing blocks.
    """
    top = _top_of_filler(decoded)
    end = data.rfind(b"\xff\xd9")
    if top is None or end < 0:
        return False
    probe = data[:end] + _PROBE + data[end:]
    with Image.open(io.BytesIO(probe), formats=["JPEG"]) as again:
        again.draft(None, (limits.thumbnail_px, limits.thumbnail_px))
        again.load()
        return _row(again, top) != _row(decoded, top)


def _top_of_filler(image: Image.Image) -> int | None:
    """The first of the rows at the bottom of `image` that are all libjpeg's filler, or None."""
    top = None
    for y in range(image.height - 1, -1, -1):
        extrema = image.crop((0, y, image.width, y + 1)).getextrema()
        if not isinstance(extrema[0], tuple):
            extrema = (extrema,)
        if not all(low == high and low in (127, 128) for low, high in extrema):
            break
        top = y
    return top


def _row(image: Image.Image, y: int) -> bytes:
    return image.crop((0, y, image.width, y + 1)).tobytes()


def _reduced(image: Image.Image, box_px: int) -> Image.Image:
    """A copy of the decoded image at least three times the thumbnail's size (what the
    thumbnail's own reduction keeps), made by whole-pixel averaging, cheap in memory."""
    factor = max(image.size) // (3 * box_px)
    if factor < 2:
        return image.copy()
    try:
        small = image.reduce(factor)
    except ValueError:  # a mode reduce does not handle (palette, bilevel): these are small anyway
        return image.copy()
    small.info = dict(image.info)  # the EXIF orientation, the transparency
    return small


_decode_slots: threading.BoundedSemaphore | None = None
_decode_slots_lock = threading.Lock()


def _decoding(limits: Limits) -> threading.BoundedSemaphore:
    """The process's decode slots (Limits.concurrent_decodes of them, as first asked for): held
    while an image is decoded, so N uploads at once take N images' memory only up to the count."""
    global _decode_slots
    with _decode_slots_lock:
        if _decode_slots is None:
            _decode_slots = threading.BoundedSemaphore(max(1, limits.concurrent_decodes))
        return _decode_slots


_LIBC = ctypes.util.find_library("c")


def _give_back_memory() -> None:
    """Return the memory freed by a decode to the system. Pillow allocates pixels in 16 MB
    blocks that glibc serves from its heap once one has been freed, and keeps after they are
    freed again: without this, a few large uploads leave the process holding their pixels'
    size for good. Does nothing off glibc."""
    try:
        libc = ctypes.CDLL(_LIBC)
        trim = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return
    trim(0)


def _render_bytes(image: Image.Image, file_bytes: int) -> int:
    """What the renderer needs to print this image at its full size. A JPEG in grey or RGB is
    written into the PDF as it is, never decoded (a proof decodes it at its small size)."""
    width_px, height_px = image.size
    kept_as_is = image.format == "JPEG" and image.mode in ("L", "RGB")
    pixels = 0 if kept_as_is else width_px * height_px
    return pixels * RENDER_BYTES_PER_PIXEL + file_bytes * RENDER_BYTES_PER_FILE_BYTE + RENDER_BASE_BYTES


def _check_render_memory(image: Image.Image, file_bytes: int, report: Report, limits: Limits) -> bool:
    needed = _render_bytes(image, file_bytes)
    if needed <= limits.render_memory_bytes:
        return True
    width_px, height_px = image.size
    room = limits.render_memory_bytes - RENDER_BASE_BYTES - file_bytes * RENDER_BYTES_PER_FILE_BYTE
    fits = max(0, room // RENDER_BYTES_PER_PIXEL)
    side = int(fits**0.5)
    report.fail(
        "dimensions",
        f"The image is {width_px}×{height_px} px ({width_px * height_px / 1e6:.0f} megapixels): "
        f"printing it would take about {_memory_text(needed)} of memory, more than the "
        f"{_memory_text(limits.render_memory_bytes)} a print may use. Upload it at most "
        f"{fits / 1e6:.0f} megapixels (about {side}×{side} px), or as an RGB JPEG",
    )
    return False


def _memory_text(size_bytes: int) -> str:
    if size_bytes >= 1024 * _MB:
        return f"{size_bytes / (1024 * _MB):.1f} GB"
    return f"{size_bytes / _MB:.0f} MB"


_NAMES = {"jpeg": "a JPEG", "png": "a PNG", "webp": "a WebP", "tiff": "a TIFF", "gif": "a GIF"}


def _reason(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text[:200]


def _too_many_pixels_text(pixels: int | None, limits: Limits) -> str:
    cap = f"{limits.max_image_pixels / 1e6:.0f} megapixels"
    if pixels is None:
        return f"The image claims more pixels than the {cap} accepted (a possible decompression bomb)"
    return (
        f"The image is {pixels / 1e6:.0f} megapixels; at most {cap} are accepted "
        "(larger ones, or decompression bombs claiming to be, would exhaust the server's memory)"
    )


def _check_dimensions(size: tuple[int, int], report: Report, limits: Limits) -> bool:
    width_px, height_px = size
    report.width_px, report.height_px = width_px, height_px
    if width_px * height_px > limits.max_image_pixels:
        report.fail("dimensions", _too_many_pixels_text(width_px * height_px, limits))
        return False
    if min(width_px, height_px) < limits.min_image_px:
        report.fail(
            "dimensions",
            f"The image is {width_px}×{height_px} px; images must be at least "
            f"{limits.min_image_px} px on each side to print as anything but a dot",
        )
        return False
    report.passed("dimensions", f"The image is {width_px}×{height_px} px")
    return True


def _describe(image: Image.Image, report: Report, rules: Rules) -> None:
    report.color_mode = COLOR_MODES.get(image.mode, image.mode.lower())
    if image.mode == "CMYK":
        report.warn(
            "colorMode",
            "The image is CMYK: accepted, but its colours are converted to RGB for the preview and "
            "the print-ready PDF, so they may shift slightly; upload RGB for predictable colour",
        )
    elif image.mode in ("LAB", "HSV"):
        report.warn("colorMode", f"The image is {image.mode}: its colours are converted to RGB")
    else:
        report.passed("colorMode", f"The image is {report.color_mode}")
    dpi = image.info.get("dpi")
    if isinstance(dpi, tuple) and dpi and isinstance(dpi[0], int | float) and dpi[0] > 1:
        report.dpi = round(float(dpi[0]), 1)
    _check_resolution(report, rules)


def _check_resolution(report: Report, rules: Rules) -> None:
    width_px, height_px, min_dpi = report.width_px, report.height_px, rules.min_dpi
    report.max_print_size_mm = {
        "width": mm(width_px, min_dpi),
        "height": mm(height_px, min_dpi),
        "atDpi": min_dpi,
    }
    largest = f"At {min_dpi} DPI it prints at most {mm(width_px, min_dpi)}×{mm(height_px, min_dpi)} mm"
    if not rules.side_sizes_mm:
        report.passed("resolution", largest)
        return
    side_w_mm, side_h_mm = min(rules.side_sizes_mm, key=lambda size: size[0] * size[1])
    # Filling the side ("cover"), the image is stretched until both its edges reach the side's.
    effective_dpi = min(width_px / (side_w_mm / MM_PER_INCH), height_px / (side_h_mm / MM_PER_INCH))
    side = f"{side_w_mm:g}×{side_h_mm:g} mm"
    if effective_dpi < min_dpi:
        report.warn(
            "resolution",
            f"Low resolution: filling the {side} side it would print at {effective_dpi:.0f} DPI, "
            f"under the {min_dpi} DPI this product asks for. {largest}",
        )
    else:
        report.passed(
            "resolution", f"Filling the {side} side it prints at {effective_dpi:.0f} DPI. {largest}"
        )
