"""Clipart normalized at upload into what the print engine (CairoSVG) draws right.

Merchants' SVGs use what browsers draw and CairoSVG draws wrong or not at all. Each step below
rewrites one of those into plain drawing that means the same, so that the stored drawing prints
as the uploaded one shows:

- style sheets: each <style> rule (tinycss2 reads it, cssselect2 matches its selectors, as
  CairoSVG itself does) is written into the style attribute of the elements it selects, in the
  cascade's order (specificity, then order; !important above all), and the sheet goes;
- <use>: a group drawing a copy of what it names (a <symbol> mapped from its viewBox into the
  use's box), at any depth;
- lengths in units (mm, cm, in, pt, pc, em, ex, %) on drawn elements: user units;
- gradients in objectBoundingBox units: a copy in user units for each shape they paint;
- clip paths in objectBoundingBox units: user units, from the clipped element's bounds
  (svgelements measures them); an even-odd clip path's outline with its parts turned so that
  the non-zero rule (the only one CairoSVG clips by) cuts the same holes;
- markers: copies of the marker's drawing at each vertex, turned and scaled as the marker says
  (svgelements reads the path);
- paint-order: the element drawn as separate copies (stroke only, fill only, markers) in the
  order asked;
- patterns: the tiles drawn as copies of the pattern's content over the shape, clipped to it
  (a pattern stroke, or a fill of more than _MAX_TILES tiles, is drawn as a picture, below);
- masks and filters, which CairoSVG cannot draw as browsers do and which have no plain
  vector equivalent: the element drawn by the reference renderer (resvg) as an embedded PNG at
  ISLAND_PX across the drawing, cropped to what it paints.

What comes out is again checked by preflight (the allowlist, references, size): the normalizer
never widens what is stored. A file it cannot read is returned as it came, for preflight to judge.
"""

import base64
import copy
import io
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import cssselect2
import svgelements
import tinycss2
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from PIL import Image

from designer.composer.svg_allowlist import SVG_NS, XLINK_NS

# The raster drawn for a mask, pattern or filter spans this many pixels across the drawing's
# longer side (300 dpi over 10 cm): sharp enough for soft edges, small enough to store.
ISLAND_PX = 1200
# Limits on the work one file may ask for: uses expanded, marker copies, pictures drawn. A file
# past them is left as it came (preflight and the comparison at upload judge it).
_MAX_USE_DEPTH = 16
_MAX_COPIES = 20_000
_MAX_ISLANDS = 16
_MAX_TILES = 2_000
_NOT_DRAWN = {"defs", "symbol", "clipPath", "mask", "marker", "pattern", "linearGradient", "radialGradient"}
_NOT_DRAWN |= {"filter", "style", "title", "desc", "metadata"}
_SHAPES = {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon"}
_MARKABLE = {"path", "line", "polyline", "polygon"}
_PX_PER_UNIT = {"px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_LENGTH = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)\s*$")
_HORIZONTAL = {"x", "cx", "x1", "x2", "width", "rx", "dx"}
_VERTICAL = {"y", "cy", "y1", "y2", "height", "ry", "dy"}
_DIAGONAL = {"r", "stroke-width", "stroke-dashoffset"}
_URL = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)['\"]?\s*\)")
_STYLE_DECLARATION = re.compile(r"([a-zA-Z-]+)\s*:\s*([^;]+)")


@dataclass(frozen=True)
class Normalized:
    """The normalized drawing and what was done to it: `resolved` names each kind of rewrite
    (plain words, for the merchant), `rasterized` what now prints as a picture."""

    svg: bytes
    resolved: tuple[str, ...] = ()
    rasterized: tuple[str, ...] = ()


def normalize_svg(data: bytes) -> Normalized:
    """`data` rewritten into plain drawing (see the module's docstring); as it came when it is
    not an SVG this can read."""
    try:
        root = fromstring(data)
    except (ET.ParseError, DefusedXmlException, ValueError, RecursionError):
        return Normalized(data)
    if _local(root.tag) != "svg":
        return Normalized(data)
    work = _Normalizer(root)
    try:
        work.run()
    except (RecursionError, _TooMany):
        return Normalized(data)
    return Normalized(_serialize(root), tuple(work.resolved), tuple(work.rasterized))


class _TooMany(Exception):
    pass


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _serialize(root: ET.Element) -> bytes:
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _style(element: ET.Element) -> dict[str, str]:
    return {
        name.strip().lower(): value.strip()
        for name, value in _STYLE_DECLARATION.findall(element.get("style", ""))
    }


def _set_style(element: ET.Element, declarations: dict[str, str]) -> None:
    if declarations:
        element.set("style", ";".join(f"{name}:{value}" for name, value in declarations.items()))
    elif "style" in element.attrib:
        del element.attrib["style"]


def _property(element: ET.Element, name: str) -> str | None:
    """A property set on the element itself (its style attribute wins over the attribute)."""
    value = _style(element).get(name)
    if value is not None:
        return value.removesuffix("!important").strip()
    return element.get(name)


def _number(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _href(element: ET.Element) -> str | None:
    return element.get("href") or element.get(f"{{{XLINK_NS}}}href")


class _Normalizer:
    def __init__(self, root: ET.Element):
        self.root = root
        self.resolved: list[str] = []
        self.rasterized: list[str] = []
        self.parents: dict[ET.Element, ET.Element] = {}
        self.counter = 0
        self.copies = 0
        view_box = [_number(part) for part in root.get("viewBox", "").replace(",", " ").split()]
        if len(view_box) == 4 and view_box[2] > 0 and view_box[3] > 0:
            self.view_box = tuple(view_box)
        else:
            self.view_box = (
                0.0,
                0.0,
                _plain_length(root.get("width")) or 300.0,
                _plain_length(root.get("height")) or 150.0,
            )

    def note(self, what: str) -> None:
        if what not in self.resolved:
            self.resolved.append(what)

    def new_id(self, kind: str) -> str:
        self.counter += 1
        return f"pw-{kind}-{self.counter}"

    def run(self) -> None:
        self.inline_style_sheets()
        self.expand_uses()
        self.index()
        self.convert_units()
        self.clip_paths_in_user_space()
        self.gradients_in_user_space()
        self.expand_markers_and_paint_order()
        self.index()
        self.tile_patterns()
        self.index()
        self.rasterize_islands()

    def index(self) -> None:
        self.parents = {child: parent for parent in self.root.iter() for child in parent}
        self.by_id = {element.get("id"): element for element in self.root.iter() if element.get("id")}

    # Style sheets

    def inline_style_sheets(self) -> None:
        sheets = [element for element in self.root.iter() if _local(element.tag) == "style"]
        if not sheets:
            return
        matcher = cssselect2.Matcher()
        for sheet in sheets:
            rules = tinycss2.parse_stylesheet(sheet.text or "", skip_comments=True, skip_whitespace=True)
            for rule in rules:
                if rule.type != "qualified-rule":
                    continue
                declarations = [
                    (item.lower_name, tinycss2.serialize(item.value).strip(), item.important)
                    for item in tinycss2.parse_declaration_list(
                        rule.content, skip_comments=True, skip_whitespace=True
                    )
                    if item.type == "declaration"
                ]
                try:
                    selectors = cssselect2.compile_selector_list(rule.prelude)
                except cssselect2.SelectorError:
                    continue
                for selector in selectors:
                    matcher.add_selector(selector, declarations)
        cascaded: dict[ET.Element, list] = {}
        wrapper = cssselect2.ElementWrapper.from_xml_root(self.root)
        for element in wrapper.iter_subtree():
            for specificity, order, _pseudo, declarations in matcher.match(element):
                cascaded.setdefault(element.etree_element, []).append((specificity, order, declarations))
        for element, matches in cascaded.items():
            own = _style(element)
            normal: dict[str, str] = {}
            important: dict[str, str] = {}
            for _specificity, _order, declarations in sorted(matches, key=lambda item: (item[0], item[1])):
                for name, value, is_important in declarations:
                    (important if is_important else normal)[name] = value
            merged = {**normal, **own, **important}
            _set_style(element, merged)
        for sheet in sheets:
            parent = next(parent for parent in self.root.iter() if sheet in list(parent))
            parent.remove(sheet)
        self.note("style sheets written into each element's style")

    # <use>

    def expand_uses(self) -> None:
        self.index()
        copies = 0
        for _ in range(_MAX_USE_DEPTH):
            uses = [element for element in self.root.iter() if _local(element.tag) == "use"]
            if not uses:
                return
            self.index()
            for use in uses:
                target = self.by_id.get((_href(use) or "").removeprefix("#"))
                parent = self.parents.get(use)
                if parent is None:
                    continue
                group = self._group_for_use(use, target)
                copies += sum(1 for _ in group.iter())
                if copies > _MAX_COPIES:
                    raise _TooMany
                position = list(parent).index(use)
                parent.remove(use)
                parent.insert(position, group)
            self.note("<use> copies drawn in place")
        raise _TooMany

    def _group_for_use(self, use: ET.Element, target: ET.Element | None) -> ET.Element:
        group = ET.Element(f"{{{SVG_NS}}}g")
        for name, value in use.attrib.items():
            if name not in ("x", "y", "width", "height", "href", f"{{{XLINK_NS}}}href", "id", "transform"):
                group.set(name, value)
        x, y = _user_length(use.get("x")), _user_length(use.get("y"))
        transform = use.get("transform", "")
        if x or y:
            transform += f" translate({x:g} {y:g})"
        if target is None or any(ancestor is use for ancestor in target.iter()):
            return group
        drawn = copy.deepcopy(target)
        for element in drawn.iter():
            element.attrib.pop("id", None)
        if _local(target.tag) == "symbol":
            drawn.tag = f"{{{SVG_NS}}}g"
            view_box = [_number(part) for part in target.get("viewBox", "").replace(",", " ").split()]
            width = _user_length(use.get("width"), None) or _user_length(target.get("width"), None)
            height = _user_length(use.get("height"), None) or _user_length(target.get("height"), None)
            for name in ("viewBox", "preserveAspectRatio", "width", "height", "x", "y", "refX", "refY"):
                drawn.attrib.pop(name, None)
            if len(view_box) == 4 and view_box[2] > 0 and view_box[3] > 0:
                width = width if width is not None else self.view_box[2]
                height = height if height is not None else self.view_box[3]
                transform += " " + _view_box_transform(
                    view_box, width, height, target.get("preserveAspectRatio", "")
                )
        if transform.strip():
            group.set("transform", transform.strip())
        group.append(drawn)
        return group

    # Units

    def convert_units(self) -> None:
        changed = self._convert(self.root, 16.0, inside_definition=False)
        if changed:
            self.note("lengths in units converted to user units")

    def _convert(self, element: ET.Element, font_size: float, inside_definition: bool) -> bool:
        changed = False
        tag = _local(element.tag)
        declared = _property(element, "font-size")
        if declared is not None:
            size = _to_user(declared, "font-size", font_size, self.view_box)
            if size is not None:
                font_size = size
        in_definition = inside_definition or tag in {"pattern", "mask", "clipPath", "marker", "symbol"}
        in_definition = in_definition or tag in {"linearGradient", "radialGradient", "filter"}
        if element is not self.root and not in_definition:
            for name in list(element.attrib):
                if name in _HORIZONTAL | _VERTICAL | _DIAGONAL:
                    converted = _to_user(element.get(name), name, font_size, self.view_box)
                    if converted is not None and not _plain(element.get(name)):
                        element.set(name, f"{converted:g}")
                        changed = True
            style = _style(element)
            for name, value in style.items():
                if name in _DIAGONAL and not _plain(value):
                    converted = _to_user(value, name, font_size, self.view_box)
                    if converted is not None:
                        style[name] = f"{converted:g}"
                        changed = True
            if changed:
                _set_style(element, style)
        for child in element:
            changed = self._convert(child, font_size, in_definition) or changed
        return changed

    # Clip paths

    def clip_paths_in_user_space(self) -> None:
        for clip in [element for element in self.root.iter() if _local(element.tag) == "clipPath"]:
            for shape in clip.iter():
                rule = self._inherited(shape, "clip-rule")
                if rule == "evenodd" and _local(shape.tag) == "path":
                    # CairoSVG clips by the non-zero rule whatever clip-rule says: the outline's
                    # parts are turned so that non-zero cuts the same holes.
                    shape.set("d", _nonzero_outline(shape.get("d", "")))
                    self.note("even-odd clip paths turned into non-zero ones")
        for element in list(self.root.iter()):
            reference = _property(element, "clip-path")
            match = _URL.search(reference or "")
            clip = self.by_id.get(match[1]) if match else None
            if clip is None or _local(clip.tag) != "clipPath":
                continue
            if clip.get("clipPathUnits") != "objectBoundingBox":
                continue
            bounds = self._bounds(element)
            if bounds is None:
                continue
            x, y, width, height = bounds
            user = ET.Element(f"{{{SVG_NS}}}clipPath", {"id": self.new_id("clip")})
            inner = ET.SubElement(
                user, f"{{{SVG_NS}}}g", {"transform": f"matrix({width:g} 0 0 {height:g} {x:g} {y:g})"}
            )
            for child in clip:
                inner.append(copy.deepcopy(child))
            self._defs().append(user)
            self._replace_property(element, "clip-path", f"url(#{user.get('id')})")
            self.note("clip paths sized to what they clip")
        self.index()

    def _bounds(self, element: ET.Element) -> tuple[float, float, float, float] | None:
        """The element's bounds in its own user space (its transform left out)."""
        alone = copy.deepcopy(element)
        for name in ("transform", "clip-path", "mask", "filter"):
            alone.attrib.pop(name, None)
        holder = ET.Element(f"{{{SVG_NS}}}svg", {"viewBox": " ".join(f"{v:g}" for v in self.view_box)})
        holder.append(alone)
        try:
            parsed = svgelements.SVG.parse(io.BytesIO(_serialize(holder)), reify=True)
            box = parsed.bbox()
        except Exception:  # noqa: BLE001 - svgelements raises many kinds on odd input
            return None
        if box is None:
            return None
        x0, y0, x1, y1 = box
        if not all(math.isfinite(value) for value in box) or x1 <= x0 or y1 <= y0:
            return None
        return x0, y0, x1 - x0, y1 - y0

    def _defs(self) -> ET.Element:
        for child in self.root:
            if _local(child.tag) == "defs":
                return child
        defs = ET.Element(f"{{{SVG_NS}}}defs")
        self.root.insert(0, defs)
        return defs

    def _replace_property(self, element: ET.Element, name: str, value: str) -> None:
        style = _style(element)
        if name in style:
            style[name] = value
            _set_style(element, style)
        else:
            element.set(name, value)

    # Gradients

    def gradients_in_user_space(self) -> None:
        """A gradient in objectBoundingBox units (the default) painting a shape becomes a copy in
        user units for that shape: CairoSVG misplaces bounding-box gradients that have a
        gradientTransform, a focal point or a spread method."""
        for element in list(self.root.iter()):
            if _local(element.tag) not in _SHAPES or self._in_definition(element):
                continue
            for name in ("fill", "stroke"):
                match = _URL.search(_property(element, name) or "")
                gradient = self.by_id.get(match[1]) if match else None
                if gradient is None or _local(gradient.tag) not in ("linearGradient", "radialGradient"):
                    continue
                if gradient.get("gradientUnits", "objectBoundingBox") != "objectBoundingBox":
                    continue
                bounds = self._bounds(element)
                if bounds is None:
                    continue
                user = self._gradient_for(gradient, bounds)
                self._defs().append(user)
                self._replace_property(element, name, f"url(#{user.get('id')})")
                self.note("gradients placed in user units")
        self.index()

    def _gradient_for(self, gradient: ET.Element, bounds) -> ET.Element:
        x, y, width, height = bounds
        user = copy.deepcopy(gradient)
        user.set("id", self.new_id("gradient"))
        user.set("gradientUnits", "userSpaceOnUse")
        linear = _local(gradient.tag) == "linearGradient"
        defaults = (
            {"x1": "0", "y1": "0", "x2": "1", "y2": "0"} if linear else {"cx": "0.5", "cy": "0.5", "r": "0.5"}
        )
        for name, default in defaults.items():
            user.set(name, f"{_fraction(gradient.get(name, default)):g}")
        for name in ("fx", "fy", "fr"):
            if not linear and gradient.get(name) is not None:
                user.set(name, f"{_fraction(gradient.get(name)):g}")
        if not len(user):
            source = self.by_id.get((_href(gradient) or "").removeprefix("#"))
            if source is not None:
                for stop in source:
                    user.append(copy.deepcopy(stop))
        for name in ("href", f"{{{XLINK_NS}}}href"):
            user.attrib.pop(name, None)
        inner = gradient.get("gradientTransform", "")
        user.set("gradientTransform", f"matrix({width:g} 0 0 {height:g} {x:g} {y:g}) {inner}".strip())
        return user

    # Markers and paint-order

    def expand_markers_and_paint_order(self) -> None:
        for element in list(self.root.iter()):
            tag = _local(element.tag)
            if tag not in _SHAPES or self._in_definition(element):
                continue
            order = self._inherited(element, "paint-order") or "normal"
            markers = self._markers(element) if tag in _MARKABLE else {}
            sequence = _paint_sequence(order)
            stroke_first = sequence.index("stroke") < sequence.index("fill")
            if not markers and not stroke_first:
                continue
            parent = self.parents[element]
            position = list(parent).index(element)
            group = ET.Element(f"{{{SVG_NS}}}g")
            # What applies to the element as a whole applies to the group of its parts once.
            own = _style(element)
            for name in ("transform", "opacity", "clip-path", "mask", "filter"):
                value = own.pop(name, None) or element.attrib.pop(name, None)
                element.attrib.pop(name, None)
                if value is not None:
                    group.set(name, value.removesuffix("!important").strip())
            _set_style(element, own)
            plain = copy.deepcopy(element)
            for name in ("marker", "marker-start", "marker-mid", "marker-end", "paint-order"):
                plain.attrib.pop(name, None)
            style = _style(plain)
            for name in ("marker", "marker-start", "marker-mid", "marker-end", "paint-order"):
                style.pop(name, None)
            _set_style(plain, style)
            parts = []
            for part in sequence:
                if part == "markers":
                    if markers:
                        parts.append(self._drawn_markers(element, markers))
                    continue
                if not stroke_first:
                    if part == "fill":
                        parts.append(copy.deepcopy(plain))
                    continue
                painted = copy.deepcopy(plain)
                painted.attrib.pop("id", None)
                other = "stroke" if part == "fill" else "fill"
                _set_style(painted, {**_style(painted), other: "none"})
                parts.append(painted)
            for part in parts:
                group.append(part)
            parent.remove(element)
            parent.insert(position, group)
            if stroke_first:
                self.note("paint-order drawn as separate strokes and fills")
            if markers:
                self.note("markers drawn as shapes")
        self.index()

    def _in_definition(self, element: ET.Element) -> bool:
        node = self.parents.get(element)
        while node is not None:
            if _local(node.tag) in _NOT_DRAWN:
                return True
            node = self.parents.get(node)
        return False

    def _inherited(self, element: ET.Element, name: str) -> str | None:
        node = element
        while node is not None:
            value = _property(node, name)
            if value is not None and value != "inherit":
                return value
            node = self.parents.get(node)
        return None

    def _markers(self, element: ET.Element) -> dict[str, ET.Element]:
        found = {}
        shorthand = self._inherited(element, "marker")
        for place in ("start", "mid", "end"):
            value = self._inherited(element, f"marker-{place}") or shorthand
            match = _URL.search(value or "")
            marker = self.by_id.get(match[1]) if match else None
            if marker is not None and _local(marker.tag) == "marker":
                found[place] = marker
        return found

    def _drawn_markers(self, element: ET.Element, markers: dict[str, ET.Element]) -> ET.Element:
        group = ET.Element(f"{{{SVG_NS}}}g")
        vertices = _vertices(element)
        self.copies += len(vertices) * sum(1 for marker in markers.values() for _ in marker.iter())
        if self.copies > _MAX_COPIES:
            raise _TooMany
        stroke_width = _number(_user_string(self._inherited(element, "stroke-width")), 1.0)
        for index, (x, y, incoming, outgoing) in enumerate(vertices):
            place = "start" if index == 0 else "end" if index == len(vertices) - 1 else "mid"
            marker = markers.get(place)
            if marker is None:
                continue
            orient = marker.get("orient", "0").strip()
            if orient in ("auto", "auto-start-reverse"):
                angle = _bisector(incoming, outgoing)
                if orient == "auto-start-reverse" and place == "start":
                    angle += 180
            else:
                angle = _number(orient.removesuffix("deg"))
            scale = stroke_width if marker.get("markerUnits", "strokeWidth") == "strokeWidth" else 1.0
            width = _user_length(marker.get("markerWidth"), 3.0)
            height = _user_length(marker.get("markerHeight"), 3.0)
            view_box = [_number(part) for part in marker.get("viewBox", "").replace(",", " ").split()]
            ref_x, ref_y = _number(marker.get("refX")), _number(marker.get("refY"))
            transform = f"translate({x:g} {y:g}) rotate({angle:g}) scale({scale:g})"
            if len(view_box) == 4 and view_box[2] > 0 and view_box[3] > 0:
                fit = _view_box_scale(view_box, width, height, marker.get("preserveAspectRatio", ""))
                ref = f"translate({-ref_x:g} {-ref_y:g})"
                transform += f" scale({fit[0]:g} {fit[1]:g}) {ref}"
            else:
                transform += f" translate({-ref_x:g} {-ref_y:g})"
            drawn = ET.SubElement(group, f"{{{SVG_NS}}}g", {"transform": transform})
            for child in marker:
                copied = copy.deepcopy(child)
                for node in copied.iter():
                    node.attrib.pop("id", None)
                drawn.append(copied)
        return group

    # Patterns

    def tile_patterns(self) -> None:
        """A shape filled with a pattern becomes the pattern's tiles, copied over the shape's
        bounds and clipped to the shape, then the shape's stroke: CairoSVG draws patterns with
        seams and ignores their content units. (A pattern stroke, a pattern of patterns or one of
        more than _MAX_TILES tiles is left to the pictures below.)"""
        for element in list(self.root.iter()):
            if _local(element.tag) not in _SHAPES or self._in_definition(element):
                continue
            match = _URL.search(self._inherited(element, "fill") or "")
            pattern = self.by_id.get(match[1]) if match else None
            if pattern is None or _local(pattern.tag) != "pattern":
                continue
            stroke = _URL.search(self._inherited(element, "stroke") or "")
            if stroke or any(_URL.search(value) for node in pattern.iter() for value in node.attrib.values()):
                continue
            bounds = self._bounds(element)
            tiles = self._tiles(pattern, bounds) if bounds is not None else None
            parent = self.parents.get(element)
            if tiles is None or parent is None:
                continue
            clip = ET.SubElement(self._defs(), f"{{{SVG_NS}}}clipPath", {"id": self.new_id("shape")})
            outline = copy.deepcopy(element)
            for name in (
                "id",
                "transform",
                "fill",
                "stroke",
                "style",
                "opacity",
                "clip-path",
                "mask",
                "filter",
            ):
                outline.attrib.pop(name, None)
            clip.append(outline)
            group = ET.Element(f"{{{SVG_NS}}}g")
            for name in ("transform", "opacity", "clip-path", "mask", "filter"):
                value = _property(element, name)
                if value is not None:
                    group.set(name, value.removesuffix("!important").strip())
            filled = ET.SubElement(group, f"{{{SVG_NS}}}g", {"clip-path": f"url(#{clip.get('id')})"})
            fill_opacity = self._inherited(element, "fill-opacity")
            if fill_opacity is not None:
                filled.set("opacity", fill_opacity)
            filled.append(tiles)
            stroked = copy.deepcopy(element)
            stroked.attrib.pop("id", None)
            for name in ("transform", "opacity", "clip-path", "mask", "filter"):
                stroked.attrib.pop(name, None)
            style = {
                name: value
                for name, value in _style(stroked).items()
                if name not in ("transform", "opacity", "clip-path", "mask", "filter")
            }
            style.pop("fill", None)
            _set_style(stroked, style)
            stroked.set("fill", "none")
            group.append(stroked)
            position = list(parent).index(element)
            parent.remove(element)
            parent.insert(position, group)
            self.note("patterns drawn as tiles")

    def _tiles(self, pattern: ET.Element, bounds) -> ET.Element | None:
        x, y, width, height = bounds
        by_box = pattern.get("patternUnits", "objectBoundingBox") == "objectBoundingBox"
        tile = [_fraction(pattern.get(name, "0")) for name in ("x", "y", "width", "height")]
        if by_box:
            tile = [x + tile[0] * width, y + tile[1] * height, tile[2] * width, tile[3] * height]
        else:
            tile = [_user_length(pattern.get(name), 0.0) for name in ("x", "y", "width", "height")]
        tile_x, tile_y, tile_w, tile_h = tile
        if tile_w <= 0 or tile_h <= 0:
            return None
        transform = svgelements.Matrix(pattern.get("patternTransform", ""))
        inverse = ~transform
        corners = [inverse.point_in_matrix_space((px, py)) for px in (x, x + width) for py in (y, y + height)]
        first_i = math.floor((min(point.x for point in corners) - tile_x) / tile_w)
        last_i = math.ceil((max(point.x for point in corners) - tile_x) / tile_w)
        first_j = math.floor((min(point.y for point in corners) - tile_y) / tile_h)
        last_j = math.ceil((max(point.y for point in corners) - tile_y) / tile_h)
        count = (last_i - first_i) * (last_j - first_j)
        self.copies += count * sum(1 for _ in pattern.iter())
        if count > _MAX_TILES or self.copies > _MAX_COPIES:
            return None
        view_box = [_number(part) for part in pattern.get("viewBox", "").replace(",", " ").split()]
        if len(view_box) == 4 and view_box[2] > 0 and view_box[3] > 0:
            content = _view_box_transform(view_box, tile_w, tile_h, pattern.get("preserveAspectRatio", ""))
        elif pattern.get("patternContentUnits") == "objectBoundingBox":
            content = f"scale({width:g} {height:g})"
        else:
            content = ""
        cell = ET.SubElement(self._defs(), f"{{{SVG_NS}}}clipPath", {"id": self.new_id("tile")})
        ET.SubElement(cell, f"{{{SVG_NS}}}rect", {"width": f"{tile_w:g}", "height": f"{tile_h:g}"})
        drawing = ET.SubElement(self._defs(), f"{{{SVG_NS}}}g", {"id": self.new_id("cell")})
        if content:
            drawing.set("transform", content)
        for child in pattern:
            copied = copy.deepcopy(child)
            for node in copied.iter():
                node.attrib.pop("id", None)
            drawing.append(copied)
        tiles = ET.Element(f"{{{SVG_NS}}}g")
        if pattern.get("patternTransform"):
            tiles.set("transform", pattern.get("patternTransform"))
        for i in range(first_i, last_i):
            for j in range(first_j, last_j):
                placed = ET.SubElement(
                    tiles,
                    f"{{{SVG_NS}}}g",
                    {
                        "transform": f"translate({tile_x + i * tile_w:g} {tile_y + j * tile_h:g})",
                        "clip-path": f"url(#{cell.get('id')})",
                    },
                )
                for child in drawing:
                    copied = copy.deepcopy(child)
                    placed.append(copied)
                if content:
                    inner = ET.Element(f"{{{SVG_NS}}}g", {"transform": content})
                    inner.extend(list(placed))
                    placed[:] = [inner]
        self._defs().remove(drawing)
        return tiles

    # Masks, patterns, filters

    def rasterize_islands(self) -> None:
        from designer.library.clipart_print import ReferenceNotDrawn, reference_png

        replaced: set[ET.Element] = set()
        for element in list(self.root.iter()):
            if len(replaced) >= _MAX_ISLANDS:
                break
            if element is self.root or self._in_definition(element) or _local(element.tag) in _NOT_DRAWN:
                continue
            if self._within(element, replaced):
                continue
            why = self._island_reason(element)
            if why is None:
                continue
            parent = self.parents.get(element)
            if parent is None:
                continue
            alone = self._alone(element)
            width, height = self.view_box[2], self.view_box[3]
            scale = ISLAND_PX / max(width, height)
            pixels = (max(1, round(width * scale)), max(1, round(height * scale)))
            try:
                png = reference_png(alone, *pixels)
            except ReferenceNotDrawn:
                continue
            with Image.open(io.BytesIO(png)) as picture:
                picture.load()
                box = picture.getchannel("A").getbbox()
                if box is None:
                    image = None
                else:
                    cropped = picture.crop(box)
                    buffer = io.BytesIO()
                    cropped.save(buffer, format="PNG")
                    image = buffer.getvalue()
            position = list(parent).index(element)
            parent.remove(element)
            replaced.add(element)
            if image is not None:
                left, top, right, bottom = box
                x0 = self.view_box[0] + left / scale
                y0 = self.view_box[1] + top / scale
                placed = ET.Element(
                    f"{{{SVG_NS}}}image",
                    {
                        "x": f"{x0:g}",
                        "y": f"{y0:g}",
                        "width": f"{(right - left) / scale:g}",
                        "height": f"{(bottom - top) / scale:g}",
                        "preserveAspectRatio": "none",
                        "href": "data:image/png;base64," + base64.b64encode(image).decode(),
                    },
                )
                inverse = self._inverse_ancestors(element)
                if inverse:
                    placed.set("transform", inverse)
                parent.insert(position, placed)
            if why not in self.rasterized:
                self.rasterized.append(why)
        self.index()

    def _within(self, element: ET.Element, replaced: set) -> bool:
        node = self.parents.get(element)
        while node is not None:
            if node in replaced:
                return True
            node = self.parents.get(node)
        return False

    def _island_reason(self, element: ET.Element) -> str | None:
        for name, kind in (("mask", "masks"), ("filter", "filters")):
            value = _property(element, name)
            if value and value != "none" and _URL.search(value):
                return kind
        if _local(element.tag) in _SHAPES:
            for name in ("fill", "stroke"):
                match = _URL.search(self._inherited(element, name) or "")
                target = self.by_id.get(match[1]) if match else None
                if target is not None and _local(target.tag) == "pattern":
                    return "patterns"
        return None

    def _alone(self, element: ET.Element) -> bytes:
        """The document drawing only `element` (its ancestors kept for what they pass on, less
        what the picture's place in the document applies again: opacity, clips, masks)."""
        marker = "pw-island"
        element.set(marker, "1")
        document = copy.deepcopy(self.root)
        del element.attrib[marker]
        target = next(node for node in document.iter() if node.get(marker))
        del target.attrib[marker]
        parents = {child: parent for parent in document.iter() for child in parent}
        keep = set()
        node = target
        while node is not None:
            keep.add(node)
            node = parents.get(node)
        for node in keep - {target}:
            for name in ("opacity", "clip-path", "mask", "filter"):
                node.attrib.pop(name, None)
            style = _style(node)
            for name in ("opacity", "clip-path", "mask", "filter"):
                style.pop(name, None)
            _set_style(node, style)
        self._prune(document, keep, target)
        document.set("viewBox", " ".join(f"{value:g}" for value in self.view_box))
        document.set("width", f"{self.view_box[2]:g}")
        document.set("height", f"{self.view_box[3]:g}")
        document.set("preserveAspectRatio", "none")
        return _serialize(document)

    def _prune(self, node: ET.Element, keep: set, target: ET.Element) -> None:
        if node is target:
            return
        for child in list(node):
            if child in keep:
                self._prune(child, keep, target)
            elif _local(child.tag) not in _NOT_DRAWN:
                node.remove(child)

    def _inverse_ancestors(self, element: ET.Element) -> str:
        matrix = svgelements.Matrix()
        node = self.parents.get(element)
        chain = []
        while node is not None and node is not self.root:
            if node.get("transform"):
                chain.append(node.get("transform"))
            node = self.parents.get(node)
        if not chain:
            return ""
        for transform in chain:
            matrix = svgelements.Matrix(transform) * matrix
        inverse = ~matrix
        return f"matrix({inverse.a:g} {inverse.b:g} {inverse.c:g} {inverse.d:g} {inverse.e:g} {inverse.f:g})"


def _nonzero_outline(d: str) -> str:
    """A path whose parts run so that filling it by the non-zero rule covers what filling `d` by
    the even-odd rule does: a part inside an even number of others turns one way, the rest the
    other (parts that cross each other are left as they are)."""
    try:
        parts = [svgelements.Path(part) for part in svgelements.Path(d).as_subpaths()]
        outlines = [_polygon(part) for part in parts]
    except Exception:  # noqa: BLE001 - svgelements raises many kinds on odd input
        return d
    turned = []
    for index, (part, outline) in enumerate(zip(parts, outlines, strict=True)):
        if len(outline) < 3:
            turned.append(part.d())
            continue
        depth = sum(
            1
            for other, around in enumerate(outlines)
            if other != index and len(around) >= 3 and _inside(outline[0], around)
        )
        if (_signed_area(outline) > 0) != (depth % 2 == 0):
            part.reverse()
        turned.append(part.d())
    return " ".join(turned)


def _polygon(path) -> list[tuple[float, float]]:
    points = []
    for segment in path:
        if segment.end is None:
            continue
        if type(segment).__name__ in ("CubicBezier", "QuadraticBezier", "Arc"):
            points.extend((point.x, point.y) for point in (segment.point(step / 8) for step in range(1, 9)))
        else:
            points.append((segment.end.x, segment.end.y))
    return points


def _signed_area(points: list[tuple[float, float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True))


def _inside(point: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _fraction(value: str) -> float:
    value = value.strip()
    if value.endswith("%"):
        return _number(value[:-1]) / 100
    return _number(value)


def _paint_sequence(order: str) -> list[str]:
    named = [part for part in order.split() if part in ("fill", "stroke", "markers")]
    if order.strip() == "normal" or not named:
        return ["fill", "stroke", "markers"]
    return named + [part for part in ("fill", "stroke", "markers") if part not in named]


def _plain(value: str | None) -> bool:
    if value is None:
        return True
    try:
        float(value)
        return True
    except ValueError:
        return value.strip().endswith("px") and _plain(value.strip()[:-2])


def _plain_length(value: str | None) -> float | None:
    return _to_user(value, "width", 16.0, (0, 0, 0, 0)) if value else None


def _to_user(value: str | None, name: str, font_size: float, view_box) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    match = _LENGTH.match(value)
    if not match:
        return None
    number, unit = float(match[1]), match[2]
    if unit in _PX_PER_UNIT:
        return number * _PX_PER_UNIT[unit]
    if unit == "em":
        return number * font_size
    if unit == "ex":
        return number * font_size / 2
    width, height = view_box[2], view_box[3]
    if name in _HORIZONTAL:
        return number / 100 * width
    if name in _VERTICAL:
        return number / 100 * height
    return number / 100 * math.sqrt((width * width + height * height) / 2)


def _user_length(value: str | None, default: float | None = 0.0) -> float | None:
    converted = _to_user(value, "r", 16.0, (0, 0, 0, 0)) if value else None
    return converted if converted is not None else default


def _user_string(value: str | None) -> str | None:
    converted = _user_length(value, None)
    return None if converted is None else str(converted)


def _view_box_scale(view_box, width: float, height: float, aspect: str) -> tuple[float, float]:
    scale_x, scale_y = width / view_box[2], height / view_box[3]
    if aspect.strip().startswith("none"):
        return scale_x, scale_y
    scale = max(scale_x, scale_y) if "slice" in aspect else min(scale_x, scale_y)
    return scale, scale


def _view_box_transform(view_box, width: float, height: float, aspect: str) -> str:
    scale_x, scale_y = _view_box_scale(view_box, width, height, aspect)
    align = (aspect.split() or ["xMidYMid"])[0]
    offset_x = offset_y = 0.0
    if align != "none":
        spare_x, spare_y = width - view_box[2] * scale_x, height - view_box[3] * scale_y
        offset_x = spare_x / 2 if "xMid" in align else spare_x if "xMax" in align else 0.0
        offset_y = spare_y / 2 if "YMid" in align else spare_y if "YMax" in align else 0.0
    return (
        f"translate({offset_x:g} {offset_y:g}) scale({scale_x:g} {scale_y:g}) "
        f"translate({-view_box[0]:g} {-view_box[1]:g})"
    )


def _vertices(element: ET.Element) -> list[tuple[float, float, tuple | None, tuple | None]]:
    """Each vertex of a shape's outline: (x, y, the direction arriving, the direction leaving)."""
    tag = _local(element.tag)
    if tag == "line":
        points = [
            (_number(element.get("x1")), _number(element.get("y1"))),
            (_number(element.get("x2")), _number(element.get("y2"))),
        ]
        d = "M" + " L".join(f"{x},{y}" for x, y in points)
    elif tag in ("polyline", "polygon"):
        numbers = [_number(part) for part in element.get("points", "").replace(",", " ").split()]
        pairs = list(zip(numbers[0::2], numbers[1::2], strict=False))
        d = "M" + " L".join(f"{x},{y}" for x, y in pairs) + ("Z" if tag == "polygon" else "") if pairs else ""
    else:
        d = element.get("d", "")
    try:
        path = svgelements.Path(d)
    except Exception:  # noqa: BLE001
        return []
    vertices: list[list] = []
    subpath_start = None
    for segment in path:
        kind = type(segment).__name__
        if kind == "Move":
            vertices.append([segment.end.x, segment.end.y, None, None])
            subpath_start = len(vertices) - 1
            continue
        start, end = segment.start, segment.end
        if start is None or end is None:
            continue
        leaving, arriving = _tangents(segment)
        if vertices:
            vertices[-1][3] = leaving
        vertices.append([end.x, end.y, arriving, None])
        if kind == "Close" and subpath_start is not None:
            first = vertices[subpath_start]
            first_leaving = first[3]
            vertices[-1][3] = first_leaving
            first[2] = arriving
    return [tuple(vertex) for vertex in vertices]


def _tangents(segment) -> tuple[tuple, tuple]:
    kind = type(segment).__name__
    start, end = segment.start, segment.end
    if kind == "CubicBezier":
        first = segment.control1 if segment.control1 != start else segment.control2
        last = segment.control2 if segment.control2 != end else segment.control1
        return (first.x - start.x, first.y - start.y), (end.x - last.x, end.y - last.y)
    if kind == "QuadraticBezier":
        return (segment.control.x - start.x, segment.control.y - start.y), (
            end.x - segment.control.x,
            end.y - segment.control.y,
        )
    if kind == "Arc":
        near_start, near_end = segment.point(0.001), segment.point(0.999)
        return (near_start.x - start.x, near_start.y - start.y), (end.x - near_end.x, end.y - near_end.y)
    return (end.x - start.x, end.y - start.y), (end.x - start.x, end.y - start.y)


def _bisector(incoming: tuple | None, outgoing: tuple | None) -> float:
    def angle(direction):
        return math.degrees(math.atan2(direction[1], direction[0]))

    if incoming is None and outgoing is None:
        return 0.0
    if incoming is None:
        return angle(outgoing)
    if outgoing is None:
        return angle(incoming)
    first, second = angle(incoming), angle(outgoing)
    difference = (second - first + 180) % 360 - 180
    return first + difference / 2
