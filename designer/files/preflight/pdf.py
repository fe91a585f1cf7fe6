"""PDF documents through pikepdf (qpdf): structure, encryption, pages, sizes, fonts.

Nothing here draws a page: there is no Ghostscript or Poppler on the upload path, so PDFs have
no thumbnail (see thumbnails.py).
"""

import io
import re

import pikepdf

from designer.files.preflight import Limits, Report, Rules, mm

_POINTS_PER_INCH = 72
# qpdf names the stream it read ("stream <_io.BytesIO object at 0x…>:"): noise to a customer.
_STREAM_NAME = re.compile(r"stream <[^>]*>(?: \([^)]*\))?:?\s*")
_SIZE_TOLERANCE_MM = 0.5


def check_pdf(data: bytes, report: Report, rules: Rules, limits: Limits):
    """Fill `report` for a PDF; returns (bytes to store, None)."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        report.fail("encryption", "The PDF is protected by a password; upload it without protection")
        return data, None
    except Exception as error:  # noqa: BLE001  (qpdf reports every kind of damage as some error)
        report.fail("integrity", f"The PDF cannot be read: {_reason(error)}")
        return data, None
    with pdf:
        try:
            _check_document(pdf, report, limits)
        except Exception as error:  # noqa: BLE001  (damage may only show when an object is read)
            report.fail("integrity", f"The PDF cannot be read: {_reason(error)}")
    return data, None


def _check_document(pdf: pikepdf.Pdf, report: Report, limits: Limits) -> None:
    if pdf.is_encrypted:
        # Readable without a password, but an owner password restricts printing or changes:
        # a print shop cannot rely on it.
        report.fail(
            "encryption",
            "The PDF is encrypted (an owner password restricts it); upload it without protection",
        )
        return
    report.passed("encryption", "The PDF is not encrypted")
    page_count = len(pdf.pages)
    report.page_count = page_count
    if page_count == 0:
        report.fail("pages", "The PDF has no pages")
        return
    if page_count > limits.max_pdf_pages:
        report.fail("pages", f"The PDF has {page_count} pages; at most {limits.max_pdf_pages} are accepted")
        return
    report.passed("pages", f"The PDF has {page_count} page{'s' if page_count != 1 else ''}")
    sizes = [_page_size_mm(page) for page in pdf.pages]
    first_w, first_h = sizes[0]
    report.page_size_mm = {"width": first_w, "height": first_h}
    mixed = any(
        abs(width - first_w) > _SIZE_TOLERANCE_MM or abs(height - first_h) > _SIZE_TOLERANCE_MM
        for width, height in sizes
    )
    if mixed:
        report.warn("pageSize", f"The pages are not all the same size (the first is {first_w}×{first_h} mm)")
    else:
        report.passed("pageSize", f"The pages are {first_w}×{first_h} mm (trim box)")
    _check_fonts(pdf, report)
    _check_active_content(pdf, report)
    problems = [_reason(text) for text in pdf.get_warnings()]
    if problems:
        report.warn(
            "integrity",
            f"The PDF is damaged and was read after repair ({problems[0]}); check the proof carefully",
        )
    else:
        report.passed("integrity", "The PDF's structure is sound")


def _page_size_mm(page: pikepdf.Page) -> tuple[float, float]:
    """The trim box (what is left after cutting; the media box when no trim box is set), as
    viewed: a page rotated a quarter turn shows its box sideways."""
    box = page.trimbox
    width_pt = abs(float(box[2]) - float(box[0]))
    height_pt = abs(float(box[3]) - float(box[1]))
    rotate = page.obj.get("/Rotate", 0)
    if isinstance(rotate, int | pikepdf.Object) and int(rotate) % 180 == 90:
        width_pt, height_pt = height_pt, width_pt
    return mm(width_pt, _POINTS_PER_INCH), mm(height_pt, _POINTS_PER_INCH)


def _check_fonts(pdf: pikepdf.Pdf, report: Report) -> None:
    missing: set[str] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        if not isinstance(fonts, pikepdf.Dictionary):
            continue
        for _, font in fonts.items():
            if isinstance(font, pikepdf.Dictionary) and not _embedded(font):
                missing.add(str(font.get("/BaseFont", "unnamed")).lstrip("/"))
    if missing:
        names = ", ".join(sorted(missing)[:5]) + (", …" if len(missing) > 5 else "")
        report.warn("fonts", f"Fonts not embedded ({names}): the printer substitutes them; embed every font")
    else:
        report.passed("fonts", "Every font is embedded")


def _embedded(font: pikepdf.Dictionary) -> bool:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True  # its glyphs are drawn by content streams inside the font
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) == 0:
            return False
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _check_active_content(pdf: pikepdf.Pdf, report: Report) -> None:
    root = pdf.Root
    names = root.get("/Names", {})
    open_action = root.get("/OpenAction")
    has_javascript = (
        (isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names)
        or (isinstance(open_action, pikepdf.Dictionary) and open_action.get("/S") == "/JavaScript")
        or "/AA" in root
    )
    if has_javascript:
        report.warn("activeContent", "The PDF contains JavaScript or automatic actions; they are ignored")


def _reason(error) -> str:
    text = _STREAM_NAME.sub("", str(error)).strip() or type(error).__name__
    return text[:200]
