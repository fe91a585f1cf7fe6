"""Preflight: is an uploaded file what it claims, safe to open, and fit to print?

`run_preflight(data, ...)` sniffs the real type from the bytes (never the name or the
Content-Type), then hands the file to the checker for its format (images.py, pdf.py, svg.py),
which reads only as much as it must and refuses anything over the limits before decoding it.
It returns the report (stored with the file and shown by the API), the bytes to store (an SVG's
sanitized copy) and the thumbnail. It touches no database, storage or app: workers, the CLI,
tests and benchmarks call it as it is.

Report:
    {"status": "passed"|"warning"|"failed", "format", "mediaType", "sizeBytes", "widthPx",
     "heightPx", "colorMode", "dpi", "maxPrintSizeMm": {"width", "height", "atDpi"},
     "pageCount", "pageSizeMm": {"width", "height"},
     "checks": [{"name", "status", "message"}]}
Fields that do not apply to the format are null.

What each case gives (documented here because a print shop must be able to predict it):
- wrong or unknown type (zip, executable, HTML, empty file): failed `type`;
- a type the product does not allow: failed `type`; a name whose extension disagrees with the
  content (a PNG named .jpg): accepted as what the bytes are, with a `type` warning;
- over the size limit (the product's maxUploadBytes, else MAX_CONTENT_LENGTH): failed `size`;
- an image over the pixel cap, or a decompression bomb: failed `dimensions`, from the header,
  before a pixel is decoded; so is one the renderer could not hold within `render_memory_bytes`
  (RENDER_MEMORY_MB: a PNG of 8900 × 8900 px needs about 1.5 GB to print), with the size that
  would fit; under `min_image_px` on a side (a 1-pixel image): failed
  `dimensions`, since nothing that small prints as anything but a blot; otherwise an image too
  small to fill the product's smallest side at its minimum DPI: `resolution` warning (it may
  still be placed smaller);
- truncated or corrupt image data: failed `integrity`, a JPEG cut short and closed with an end
  marker included (its last rows decode as flat grey);
- CMYK: accepted with a `colorMode` warning; animated: accepted, first frame only (warning);
- PDF: encrypted (any password) failed `encryption`; no pages or more than the page limit
  failed `pages`; unreadable failed `integrity`; repaired on reading, mixed page sizes,
  fonts not embedded, or JavaScript: warnings;
- SVG: entities (XXE, billion laughs) or not well-formed: failed `integrity`; too complex to
  draw (too many elements once <use> is expanded, or nested too deep): failed `complexity`;
  CairoSVG cannot draw it, or not within `svg_render_timeout_s` and `svg_render_memory_bytes`
  (it draws in a child process held to both): failed `render`; scripts, event handlers,
  foreignObject, external references and the like are removed and listed in a `sanitized`
  warning (the sanitized copy is what is stored); text: a `text` warning (it prints in
  whatever font the renderer has); no size at all: a `dimensions` warning.

Limits (Limits, from config PREFLIGHT_*): the upload size (MAX_CONTENT_LENGTH), 80 MP per
image, 10 px minimum side, 100 PDF pages, 3 MB and 50,000 drawn elements per SVG, 25 MP of
images embedded in an SVG, 4 s and 512 MB to draw an SVG; thumbnails 400 px (THUMBNAIL_PX);
what a render may use, 1 GB (RENDER_MEMORY_MB); two images decoded at once per process
(PREFLIGHT_CONCURRENT_DECODES).
"""

import os
from dataclasses import dataclass, field, replace

PASSED, WARNING, FAILED = "passed", "warning", "failed"

# The formats Presswork accepts, by the name the report and File.format use.
MEDIA_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "tiff": "image/tiff",
    "gif": "image/gif",
    "pdf": "application/pdf",
    "svg": "image/svg+xml",
    "icc": "application/vnd.iccprofile",
    # The rows of a variable-data batch (designer/batches), read when a batch names the file.
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    # A 3D model's GLB (designer/previews3d), validated by the models worker when it is registered.
    "glb": "model/gltf-binary",
}
# What a product's allowedFileTypes may say, and the format each names.
FILE_TYPES = {
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "png": "png",
    "webp": "webp",
    "tiff": "tiff",
    "tif": "tiff",
    "gif": "gif",
    "pdf": "pdf",
    "svg": "svg",
}
_NAME_EXTENSIONS = {
    "jpeg": {"jpg", "jpeg", "jpe", "jfif"},
    "png": {"png"},
    "webp": {"webp"},
    "tiff": {"tif", "tiff"},
    "gif": {"gif"},
    "pdf": {"pdf"},
    "svg": {"svg"},
    "icc": {"icc", "icm"},
    "csv": {"csv", "txt", "tsv"},
    "xlsx": {"xlsx"},
    "glb": {"glb"},
}
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Limits:
    """What preflight accepts at most, whatever the product says (config PREFLIGHT_*)."""

    max_bytes: int = 25 * 1024 * 1024
    # 80 MP: an A1 poster at 300 DPI is 70 MP. Kept under Pillow's own bomb threshold
    # (Image.MAX_IMAGE_PIXELS, 89 MP) so Pillow never has to be the one refusing.
    max_image_pixels: int = 80_000_000
    min_image_px: int = 10
    max_pdf_pages: int = 100
    # CairoSVG draws about a megabyte of paths a second: these keep a drawing within the time
    # below (a larger one is a job for a PDF).
    max_svg_bytes: int = 3 * 1024 * 1024
    # Elements once every <use> is expanded: what the renderer would really draw.
    max_svg_elements: int = 50_000
    svg_render_timeout_s: float = 4.0
    svg_render_memory_bytes: int = 512 * 1024 * 1024
    # Raster images embedded in an SVG (data: URIs), all together: the renderer decodes each.
    max_svg_image_pixels: int = 25_000_000
    thumbnail_px: int = 400
    # What one render may allocate (RENDER_MEMORY_MB): an image the renderer could not hold in it
    # is refused here, so a file that passes preflight renders.
    render_memory_bytes: int = 1024 * 1024 * 1024
    # Images decoded at once in this process (PREFLIGHT_CONCURRENT_DECODES); more wait their turn.
    concurrent_decodes: int = 2

    def with_thumbnail_px(self, thumbnail_px: int) -> "Limits":
        return replace(self, thumbnail_px=thumbnail_px)


@dataclass(frozen=True)
class Rules:
    """What a product asks of its uploads. Defaults restrict nothing."""

    allowed_formats: frozenset[str] | None = None
    allowed_types_text: str = ""
    max_bytes: int | None = None
    min_dpi: int = 300
    # The trim sizes of the product's sides, (width_mm, height_mm): images are judged against
    # the smallest, the least any upload is expected to fill.
    side_sizes_mm: tuple[tuple[float, float], ...] = ()

    @classmethod
    def from_product(cls, product) -> "Rules":
        rules = getattr(product, "personalization", None) or {}
        allowed = rules.get("allowedFileTypes")
        allowed_formats = None
        if isinstance(allowed, list | tuple) and allowed:
            allowed_formats = frozenset(
                FILE_TYPES[t.lower()] for t in allowed if str(t).lower() in FILE_TYPES
            )
        max_bytes = rules.get("maxUploadBytes")
        min_dpi = rules.get("minImageDpi") or getattr(product, "dpi", None) or 300
        sides = tuple(
            (float(side.width_mm), float(side.height_mm))
            for side in (getattr(product, "sides", None) or [])
            if side.width_mm and side.height_mm
        )
        return cls(
            allowed_formats=allowed_formats,
            allowed_types_text=", ".join(str(t) for t in allowed) if allowed_formats is not None else "",
            max_bytes=max_bytes if isinstance(max_bytes, int) and max_bytes > 0 else None,
            min_dpi=int(min_dpi) if isinstance(min_dpi, int | float) and min_dpi > 0 else 300,
            side_sizes_mm=sides,
        )


@dataclass
class Report:
    """The report being written by a checker."""

    size_bytes: int
    format: str | None = None
    width_px: int | None = None
    height_px: int | None = None
    color_mode: str | None = None
    dpi: float | None = None
    max_print_size_mm: dict | None = None
    page_count: int | None = None
    page_size_mm: dict | None = None
    checks: list[dict] = field(default_factory=list)

    def check(self, name: str, status: str, message: str) -> None:
        self.checks.append({"name": name, "status": status, "message": message})

    def fail(self, name: str, message: str) -> None:
        self.check(name, FAILED, message)

    def warn(self, name: str, message: str) -> None:
        self.check(name, WARNING, message)

    def passed(self, name: str, message: str) -> None:
        self.check(name, PASSED, message)

    @property
    def failed(self) -> bool:
        return any(check["status"] == FAILED for check in self.checks)

    def as_dict(self) -> dict:
        statuses = {check["status"] for check in self.checks}
        status = FAILED if FAILED in statuses else WARNING if WARNING in statuses else PASSED
        return {
            "status": status,
            "format": self.format,
            "mediaType": MEDIA_TYPES.get(self.format) if self.format else None,
            "sizeBytes": self.size_bytes,
            "widthPx": self.width_px,
            "heightPx": self.height_px,
            "colorMode": self.color_mode,
            "dpi": self.dpi,
            "maxPrintSizeMm": self.max_print_size_mm,
            "pageCount": self.page_count,
            "pageSizeMm": self.page_size_mm,
            "checks": list(self.checks),
        }


@dataclass(frozen=True)
class Outcome:
    """What preflight decided: the report, the bytes to store, and the thumbnail (bytes, media type)."""

    report: dict
    stored_bytes: bytes
    thumbnail: tuple[bytes, str] | None = None

    @property
    def failed(self) -> bool:
        return self.report["status"] == FAILED


def run_preflight(
    data: bytes, *, filename: str = "", rules: Rules | None = None, limits: Limits | None = None
) -> Outcome:
    """Check `data` and make its thumbnail. Never raises for any input: every problem is a check."""
    from designer.files.preflight import icc, images, pdf, svg

    rules = rules or Rules()
    limits = limits or Limits()
    report = Report(size_bytes=len(data))
    if not _check_type_and_size(data, filename, rules, limits, report):
        return Outcome(report.as_dict(), data)
    checker = {
        "pdf": pdf.check_pdf,
        "svg": svg.check_svg,
        "icc": icc.check_icc,
        "csv": _kept_as_is,
        "xlsx": _kept_as_is,
        "glb": _kept_as_is,
    }.get(report.format, images.check_image)
    try:
        stored_bytes, thumbnail = checker(data, report, rules, limits)
    except MemoryError:
        report.fail("integrity", "The file needs more memory to open than preflight allows")
        stored_bytes, thumbnail = data, None
    if report.failed:
        thumbnail = None
    return Outcome(report.as_dict(), stored_bytes, thumbnail)


def _kept_as_is(data: bytes, report: Report, rules: Rules, limits: Limits):
    """A spreadsheet or a GLB is kept as it is and checked where it is used: a spreadsheet's rows
    are read, and refused with their reasons, when a batch names it (designer/batches/
    spreadsheets.py); a GLB is validated by the models worker once it is registered as a 3D model
    (designer/previews3d/validation.py)."""
    return data, None


def sniff(data: bytes) -> str | None:
    """The format the bytes are (a key of MEDIA_TYPES), or None. SVG is only a candidate here
    (XML text): svg.py confirms its root element."""
    head = data[:16]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"glTF":  # binary glTF's magic
        return "glb"
    # The PDF header may follow some junk, as readers have always allowed (within 1 KB).
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data[36:40] == b"acsp":  # an ICC profile's signature, after its 36-byte header start
        return "icc"
    if _looks_like_xml(data):
        return "svg"
    if head.startswith(b"PK\x03\x04") and b"xl/workbook.xml" in data[:1_000_000]:
        return "xlsx"  # a workbook's ZIP names its parts near the start (and again at its end)
    if _looks_like_text(data):
        return "csv"
    return None


_KNOWN_OTHERS = (
    (b"PK\x03\x04", "a ZIP archive (or a document packed as one, such as .docx)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive (an .svgz must be unpacked first)"),
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "an executable"),
    (b"%!PS", "PostScript (save it as PDF)"),
    (b"\xc5\xd0\xd3\xc6", "EPS (save it as PDF)"),
    (b"8BPS", "a Photoshop document (export it as TIFF, PNG or JPEG)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"BM", "a BMP image (save it as PNG)"),
)


def _describe_unknown(data: bytes) -> str:
    for magic, description in _KNOWN_OTHERS:
        if data.startswith(magic):
            return description
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftypavif"):
        return "a HEIC/AVIF image (export it as JPEG or PNG)"
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    return "not a file type Presswork knows"


def _looks_like_xml(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return head.lstrip().startswith(b"<")


def _looks_like_text(data: bytes) -> bool:
    """UTF-8 (or Windows-1252) text of printable characters, tabs and line breaks: a CSV candidate."""
    head = data[:4096]
    if b"\x00" in head:
        return False
    text = head.decode("utf-8", errors="ignore") or head.decode("cp1252", errors="replace")
    return bool(text.strip()) and all(char.isprintable() or char in "\t\r\n\ufeff" for char in text)


def _check_type_and_size(data: bytes, filename: str, rules: Rules, limits: Limits, report: Report) -> bool:
    if not data:
        report.fail("type", "The file is empty")
        return False
    format = sniff(data)
    if format is None:
        report.fail(
            "type", f"The file is {_describe_unknown(data)}; upload a JPEG, PNG, WebP, TIFF, GIF, PDF or SVG"
        )
        return False
    report.format = format
    if rules.allowed_formats is not None and format not in rules.allowed_formats:
        report.fail(
            "type",
            f"The file is {_FORMAT_NAMES[format]}, which this product does not accept "
            f"(allowed: {rules.allowed_types_text})",
        )
        return False
    extension = os.path.splitext(filename)[1].lower().lstrip(".")
    claimed = next((name for name, extensions in _NAME_EXTENSIONS.items() if extension in extensions), None)
    if claimed is not None and claimed != format:
        report.warn(
            "type",
            f"The file is named .{extension} but its content is {_FORMAT_NAMES[format]}; "
            f"it is handled as {_FORMAT_NAMES[format]}",
        )
    elif format != "svg":  # svg.py says so once it has seen the root element
        report.passed("type", f"The file is {_FORMAT_NAMES[format]}")
    max_bytes = min(limits.max_bytes, rules.max_bytes or limits.max_bytes)
    if format == "svg":
        max_bytes = min(max_bytes, limits.max_svg_bytes)
    if len(data) > max_bytes:
        who = "this product accepts" if rules.max_bytes and rules.max_bytes <= max_bytes else "are accepted"
        report.fail("size", f"The file is {size_text(len(data))}; at most {size_text(max_bytes)} {who}")
        return False
    report.passed("size", f"The file is {size_text(len(data))}")
    return True


_FORMAT_NAMES = {
    "jpeg": "a JPEG image",
    "png": "a PNG image",
    "webp": "a WebP image",
    "tiff": "a TIFF image",
    "gif": "a GIF image",
    "pdf": "a PDF document",
    "svg": "an SVG drawing",
    "icc": "an ICC colour profile",
    "csv": "a CSV spreadsheet (text)",
    "xlsx": "an XLSX workbook",
    "glb": "a GLB 3D model",
}


def size_text(size_bytes: int) -> str:
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    if size_bytes < 1024 * 1024:
        return f"{size_bytes / 1024:.1f} KB"
    return f"{size_bytes / (1024 * 1024):.1f} MB"


def mm(points_or_px: float, per_inch: float) -> float:
    """A length in millimetres, from a length in units of `per_inch` to the inch."""
    return round(points_or_px / per_inch * MM_PER_INCH, 1)
