"""SVG drawings: parsed with defusedxml, sanitized, measured, and drawn once by CairoSVG.

defusedxml refuses entity declarations, so XXE and "billion laughs" fail at once, before any
expansion. The sanitizer keeps an allowlist of SVG elements and one of attributes, and removes,
and lists in the report, whatever could run code or reach outside the file: <script>, event
handlers (on*), htmx's hx-* and data-hx-* (which htmx would obey in a page that inlines the
drawing), every other attribute outside the list, <foreignObject>, HTML, animation (<animate>,
<set>: they can rewrite an href or run onbegin), and every reference that is not a fragment of this document
(#id) or an embedded PNG/JPEG data: URI (itself checked against the pixel cap), in href,
xlink:href, url(...) values and CSS (@import, url(), escapes). Editor metadata (Inkscape,
Sodipodi, RDF) is dropped silently. The sanitized copy is what is stored and served.

The drawing is then measured (width, height, viewBox, in CSS pixels at 96 per inch), its size
once every <use> is expanded is capped (a few nested <use> can otherwise ask the renderer for
billions of shapes), and CairoSVG draws the thumbnail: a drawing it cannot draw cannot print.
"""

import base64
import binascii
import io
import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from PIL import Image

from designer.composer.svg_allowlist import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_ELEMENTS,
    CSS_IMPORT,
    CSS_LOADERS,
    SVG_NS,
    XHTML_NS,
    XLINK_NS,
    XML_NS,
)
from designer.files.preflight import Limits, Report, Rules
from designer.files.thumbnails import SvgNotDrawn, thumbnail_from_svg

# Elements that may embed a raster image from a data: URI.
_IMAGE_ELEMENTS = frozenset({"image", "feImage"})
_EMBEDDED_IMAGE = re.compile(r"^data:image/(png|jpe?g);base64,(.*)$", re.IGNORECASE | re.DOTALL)
_FRAGMENT = re.compile(r"^#[^\s#]+$")
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)""", re.IGNORECASE)
_LOCAL_URL = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)", re.IGNORECASE)
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*$")
_PX_PER_UNIT = {
    None: 1.0,
    "px": 1.0,
    "pt": 96 / 72,
    "pc": 16.0,
    "mm": 96 / 25.4,
    "cm": 96 / 2.54,
    "in": 96.0,
    "em": 16.0,
    "ex": 8.0,
}
_MAX_DEPTH = 128
_MAX_LISTED = 3


class _TooDeep(Exception):
    pass


def check_svg(data: bytes, report: Report, rules: Rules, limits: Limits):
    """Fill `report` for an SVG; returns (the sanitized bytes to store, thumbnail or None)."""
    try:
        root = fromstring(data)
    except DefusedXmlException as error:
        report.fail(
            "integrity",
            f"The SVG declares XML entities or external references ({type(error).__name__}), which are "
            "refused: they are how XXE and 'billion laughs' attacks work",
        )
        return data, None
    except ET.ParseError as error:
        if b"<svg" not in data[:65536]:
            report.fail("type", "The file is text or HTML, not an image, PDF or SVG")
        else:
            report.fail("integrity", f"The SVG is not well-formed XML: {error}")
        return data, None
    except (ValueError, RecursionError) as error:
        report.fail("integrity", f"The SVG cannot be read: {error}")
        return data, None
    bare = root.tag == "svg"
    if root.tag != f"{{{SVG_NS}}}svg" and not bare:
        local = root.tag.rsplit("}", 1)[-1]
        report.fail("type", f"The file is an XML document whose root is <{local}>, not an SVG drawing")
        return data, None
    if not any(check["name"] == "type" for check in report.checks):
        report.checks.insert(0, {"name": "type", "status": "passed", "message": "The file is an SVG drawing"})
    report.passed("integrity", "The SVG is well-formed XML")
    sanitizer = _Sanitizer(bare, limits)
    try:
        sanitizer.clean(root)
    except _TooDeep:
        report.fail("complexity", f"The SVG nests elements more than {_MAX_DEPTH} deep")
        return data, None
    if sanitizer.removed:
        report.warn("sanitized", "Removed from the SVG: " + "; ".join(sanitizer.summary()))
    else:
        report.passed("sanitized", "Nothing unsafe was found in the SVG")
    expanded = _expanded_size(root, limits.max_svg_elements)
    if expanded is None:
        report.fail("complexity", "The SVG's <use> or url(#…) references form a loop")
        return data, None
    if expanded > limits.max_svg_elements:
        report.fail(
            "complexity",
            f"The SVG draws more than {limits.max_svg_elements:,} elements once its <use> references are "
            "expanded; simplify it",
        )
        return data, None
    report.passed("complexity", f"The SVG draws {expanded:,} elements")
    _measure(root, report)
    if any(
        (element.text or "").strip()
        for element in root.iter()
        if _local(element.tag) in ("text", "tspan", "textPath")
    ):
        report.warn(
            "text",
            "The SVG contains text, which prints in whatever font the renderer has; convert text to outlines",
        )
    sanitized = _serialize(root)
    try:
        thumbnail = thumbnail_from_svg(
            sanitized,
            report.width_px,
            report.height_px,
            limits.thumbnail_px,
            timeout_s=limits.svg_render_timeout_s,
            memory_bytes=limits.svg_render_memory_bytes,
        )
    except SvgNotDrawn as error:
        report.fail("render", f"The SVG cannot be drawn: {error}")
        return sanitized, None
    report.passed("render", "The SVG draws")
    return sanitized, thumbnail


def sanitized_svg(data: bytes, limits: Limits) -> bytes | None:
    """The SVG sanitized as check_svg sanitizes it, without measuring or drawing it: what a
    normalizer may work on before the result goes through preflight itself. None for what
    check_svg refuses before drawing (not XML, entities, not an SVG, too deep, looping or too
    many references, over the size limit)."""
    if len(data) > limits.max_svg_bytes:
        return None
    try:
        root = fromstring(data)
    except (DefusedXmlException, ET.ParseError, ValueError, RecursionError):
        return None
    bare = root.tag == "svg"
    if root.tag != f"{{{SVG_NS}}}svg" and not bare:
        return None
    try:
        _Sanitizer(bare, limits).clean(root)
    except _TooDeep:
        return None
    expanded = _expanded_size(root, limits.max_svg_elements)
    if expanded is None or expanded > limits.max_svg_elements:
        return None
    return _serialize(root)


def _serialize(root: ET.Element) -> bytes:
    """UTF-8 SVG with the SVG namespace as the default one (no ns0: prefixes). Every element left
    is in the SVG namespace, so dropping it from the tags and declaring it once is exact."""
    for element in root.iter():
        element.tag = _local(element.tag)
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Sanitizer:
    def __init__(self, bare: bool, limits: Limits):
        self.bare = bare
        self.limits = limits
        self.removed: dict[str, list[str]] = {}
        self.embedded_pixels = 0

    def note(self, what: str, detail: str = "") -> None:
        self.removed.setdefault(what, [])
        if detail:
            self.removed[what].append(detail)

    def summary(self) -> list[str]:
        parts = []
        for what, details in self.removed.items():
            listed = sorted(set(details))
            if listed:
                more = ", …" if len(listed) > _MAX_LISTED else ""
                what = f"{what} ({', '.join(listed[:_MAX_LISTED])}{more})"
            parts.append(what)
        return parts

    def clean(self, root: ET.Element) -> None:
        if self.bare:
            root.tag = f"{{{SVG_NS}}}svg"
        self._clean_attributes(root)
        stack = [(root, 1)]
        while stack:
            parent, depth = stack.pop()
            if depth > _MAX_DEPTH:
                raise _TooDeep
            for child in list(parent):
                if not self._keep(child):
                    _remove_keeping_tail(parent, child)
                    continue
                self._clean_attributes(child)
                if _local(child.tag) == "style":
                    self._clean_style_element(parent, child)
                stack.append((child, depth + 1))

    def _keep(self, element: ET.Element) -> bool:
        tag = element.tag
        if not isinstance(tag, str):
            return False  # a comment or processing instruction
        if tag.startswith("{"):
            namespace, local = tag[1:].split("}", 1)
        else:
            namespace, local = (SVG_NS if self.bare else ""), tag
            if self.bare:
                element.tag = f"{{{SVG_NS}}}{tag}"
        if namespace == XHTML_NS:
            self.note("HTML elements", f"<{local}>")
            return False
        if namespace != SVG_NS:
            return False  # editor metadata (Inkscape, Sodipodi, RDF): not drawn, dropped quietly
        if local in ALLOWED_ELEMENTS:
            return True
        if local == "script":
            self.note("scripts")
        elif local == "foreignObject":
            self.note("foreignObject elements")
        elif local.startswith(("animate", "set")) or local == "discard":
            self.note("animation", f"<{local}>")
        else:
            self.note("unsupported elements", f"<{local}>")
        return False

    def _clean_attributes(self, element: ET.Element) -> None:
        local_tag = _local(element.tag)
        for name in list(element.attrib):
            value = element.attrib[name]
            if name.startswith("{"):
                namespace, local = name[1:].split("}", 1)
                del element.attrib[name]
                if namespace == XLINK_NS and local == "href":
                    # Plain href (SVG 2) is what CairoSVG and browsers read; one spelling is simpler.
                    if "href" not in element.attrib:
                        self._set_href(element, local_tag, value)
                elif namespace == XML_NS and local in ("space", "lang"):
                    element.attrib[name] = value
                elif namespace == XML_NS:
                    self.note("external references", f"xml:{local}")
                continue
            lowered = name.lower()
            if name == "href":
                del element.attrib[name]
                self._set_href(element, local_tag, value)
            elif name not in ALLOWED_ATTRIBUTES:
                del element.attrib[name]
                self.note(_refused_attribute_kind(lowered), name)
            elif lowered == "style":
                cleaned = self._clean_css(value)
                if cleaned is None:
                    del element.attrib[name]
                else:
                    element.attrib[name] = cleaned
            elif "javascript:" in value.lower().replace(" ", "") or "vbscript:" in value.lower():
                del element.attrib[name]
                self.note("scripts", f"in {name}")
            elif "url(" in value.lower():
                cleaned = self._clean_css(value)
                if cleaned is None:
                    del element.attrib[name]
                else:
                    element.attrib[name] = cleaned

    def _set_href(self, element: ET.Element, local_tag: str, value: str) -> None:
        target = value.strip()
        if _FRAGMENT.match(target):
            element.attrib["href"] = target
            return
        embedded = _EMBEDDED_IMAGE.match(target)
        if embedded and local_tag in _IMAGE_ELEMENTS:
            pixels, problem = _check_embedded_image(embedded.group(1).lower(), embedded.group(2))
            if problem is None and self.embedded_pixels + pixels > self.limits.max_svg_image_pixels:
                problem = "over the pixel limit for embedded images"
            if problem is None:
                self.embedded_pixels += pixels
                element.attrib["href"] = target
            else:
                self.note("embedded images", problem)
            return
        self.note("external references", _shorten(target))

    def _clean_css(self, css: str) -> str | None:
        """`css` without anything that loads a resource; None when it cannot be trusted at all."""
        if "\\" in css:
            # CSS escapes can spell url( or @import in ways no pattern here would recognize.
            self.note("CSS with escape sequences")
            return None
        if CSS_LOADERS.search(css):
            self.note("CSS that loads resources", CSS_LOADERS.search(css).group(0))
            return None
        if CSS_IMPORT.search(css):
            self.note("external references", "@import")
            css = CSS_IMPORT.sub("", css)

        def local_only(match: re.Match) -> str:
            target = (match.group(1) or match.group(2) or match.group(3) or "").strip()
            if _FRAGMENT.match(target):
                return f"url({target})"
            self.note("external references", _shorten(target))
            return "none"

        css = _CSS_URL.sub(local_only, css)
        if "url(" in _CSS_URL.sub("", css).lower():
            self.note("external references", "a malformed url(")
            return None
        return css

    def _clean_style_element(self, parent: ET.Element, style: ET.Element) -> None:
        if style.get("type", "text/css").strip().lower() != "text/css" or len(style):
            self.note("unsupported elements", "<style> that is not plain CSS")
            style.text, style[:] = "", []
            return
        cleaned = self._clean_css(style.text or "")
        style.text = cleaned or ""


def _refused_attribute_kind(lowered: str) -> str:
    if lowered.startswith("on"):
        return "event handlers"
    if lowered.startswith(("hx-", "data-hx-")):
        return "htmx attributes"
    return "attributes outside the allowlist"


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    # Text that followed the removed element belongs to its parent, not to the element.
    if child.tail and child.tail.strip():
        index = list(parent).index(child)
        if index > 0:
            previous = parent[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _shorten(url: str) -> str:
    url = " ".join(url.split())
    return url if len(url) <= 60 else url[:57] + "…"


def _check_embedded_image(kind: str, payload: str) -> tuple[int, str | None]:
    """(its pixels, None) when an embedded image may stay, else (0, why it was removed). Only its
    header is read, as for an upload; the renderer decodes it later."""
    try:
        raw = base64.b64decode("".join(payload.split()), validate=True)
    except (binascii.Error, ValueError):
        return 0, "not valid base64"
    expected = b"\x89PNG\r\n\x1a\n" if kind == "png" else b"\xff\xd8\xff"
    if not raw.startswith(expected):
        return 0, f"not a {kind.upper()} as its data: URI says"
    try:
        with Image.open(io.BytesIO(raw), formats=["PNG" if kind == "png" else "JPEG"]) as image:
            width_px, height_px = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return 0, "over the pixel limit for embedded images"
    except Exception:  # noqa: BLE001
        return 0, "unreadable"
    return width_px * height_px, None


def _expanded_size(root: ET.Element, cap: int) -> int | None:
    """How many elements drawing `root` visits once every <use> and url(#id) reference is followed
    (capped just over `cap`), or None when references loop."""
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}

    def references(element: ET.Element) -> list[ET.Element]:
        found = []
        href = element.get("href")
        if href and href.startswith("#") and _local(element.tag) == "use":
            found.append(by_id.get(href[1:]))
        for name, value in element.attrib.items():
            if name != "href" and "url(" in value:
                found.extend(by_id.get(match) for match in _LOCAL_URL.findall(value))
        return [target for target in found if target is not None]

    sizes: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, done = stack.pop()
        key = id(element)
        if done:
            visiting.discard(key)
            total = (
                1
                + sum(sizes[id(child)] for child in element)
                + sum(sizes[id(target)] for target in references(element))
            )
            sizes[key] = min(total, cap + 1)
            continue
        if key in sizes:
            continue
        if key in visiting:
            return None
        visiting.add(key)
        stack.append((element, True))
        for next_element in [*element, *references(element)]:
            next_key = id(next_element)
            if next_key in visiting:
                return None
            if next_key not in sizes:
                stack.append((next_element, False))
    return sizes[id(root)]


def _measure(root: ET.Element, report: Report) -> None:
    view_box = _view_box(root.get("viewBox"))
    width_px = _length_px(root.get("width"))
    height_px = _length_px(root.get("height"))
    if view_box is not None:
        if width_px is None and height_px is None:
            width_px, height_px = view_box
        elif width_px is None and view_box[1]:
            width_px = height_px * view_box[0] / view_box[1]
        elif height_px is None and view_box[0]:
            height_px = width_px * view_box[1] / view_box[0]
    if width_px and height_px:
        report.width_px, report.height_px = max(1, round(width_px)), max(1, round(height_px))
        report.passed(
            "dimensions",
            f"The drawing is {report.width_px}×{report.height_px} px (vector: prints sharp at any size)",
        )
    else:
        report.warn(
            "dimensions", "The SVG sets no size (width, height or viewBox); its proportions are a guess"
        )
        report.width_px = report.height_px = None


def _length_px(value: str | None) -> float | None:
    if not value:
        return None
    match = _LENGTH.match(value)
    if not match or match.group(2) == "%":
        return None
    length = float(match.group(1)) * _PX_PER_UNIT[match.group(2)]
    return length if 0 < length < 1e7 else None


def _view_box(value: str | None) -> tuple[float, float] | None:
    if not value:
        return None
    try:
        numbers = [float(part) for part in value.replace(",", " ").split()]
    except ValueError:
        return None
    if len(numbers) != 4 or not (0 < numbers[2] < 1e7 and 0 < numbers[3] < 1e7):
        return None
    return numbers[2], numbers[3]
