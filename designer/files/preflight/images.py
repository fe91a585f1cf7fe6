"""Raster images (JPEG, PNG, WebP, TIFF, GIF) through Pillow, opened with an explicit format
allowlist (only the sniffed format's plugin may read the bytes), sized from the header before a
pixel is decoded, then decoded fully once to catch truncated or corrupt data.
"""

import io
import re

from PIL import Image, UnidentifiedImageError

from designer.files.preflight import MM_PER_INCH, Limits, Report, Rules, mm
from designer.files.thumbnails import thumbnail_from_image

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
            _describe(header, report, rules)
            header.verify()  # chunk CRCs and structure, still without decoding
        with Image.open(io.BytesIO(data), formats=[pil_format]) as image:
            if pil_format == "JPEG":
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale while still reading every byte of the
                # entropy-coded data, so truncation is caught at a fraction of the time and memory.
                image.draft(None, (limits.thumbnail_px, limits.thumbnail_px))
            image.load()
            thumbnail = thumbnail_from_image(image, limits.thumbnail_px)
            animated = getattr(image, "is_animated", False)
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
