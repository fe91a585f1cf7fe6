"""Composing a side: its layers, background, overlay and (in preview) mockup and guides, as one SVG
document in millimetres, with the problems found on the way.

The document's origin is the trim box's top-left corner, the layers' coordinate system; its
viewBox is the trim plus the bleed on every edge (a preview with a mockup grows it to the
mockup's extent, the mockup placed so its design area is the trim box). Everything printed is
clipped to the trim plus bleed. Layers are drawn back to front by `z`, then by their place in
the list; each is a group rotated about its box's centre.

The same function draws the editor's preview, the proof and the print, so the preview is what
prints: the modes differ only in what is added around the design (guides, mockup, hit areas,
accessible names, the marks below) and in which bytes a picture is drawn from (see
pictures.py).

Problems in the preview: every text layer's box is outlined, and text that does not fit it
(even shrunk, with `autoFit`) is drawn in red, its box red, with the reason written beside it;
every other problem that would stop Save (a required text or photo left empty, a glyph the font
lacks, a font, photo or clipart that is gone) marks its layer the same way. So the customer sees
the problem where it is as soon as it happens, never first at Save. The marks sit above the
page, unclipped, so a reason beside a box at the edge still shows; print has none of them. A
template composed for its merchant (`for_merchant`) also warns of a character limit its box
cannot hold (`max_chars_do_not_fit`, see text.characters_that_fit). Given `checks`, the checks
before print (checks.py: art that stops at the trim, text too small, hairlines, too much ink)
warn too, their layers marked in amber with the reason beside them: distinct from what blocks.
"""

import math
from dataclasses import dataclass, field

from designer.composer.assets import Assets, FileAsset
from designer.composer.checks import PrintChecks, print_checks
from designer.composer.die_line import die_line_data, preview_contour, preview_die_line, rectangle_path
from designer.composer.guides import (
    BLEED_FILL,
    CHECK_AMBER,
    CHECK_TAG_TEXT,
    CUT_STROKE,
    DESIGN_AREA_STROKE,
    OVERFLOW_RED,
    SAFE_STROKE,
    TEXT_BOX_STROKE,
    TEXT_BOX_UNDER,
    TRIM_STROKE,
)
from designer.composer.inks import ink_data
from designer.composer.layers import IMAGE_LAYER_FORMATS, ClipartLayer, ImageLayer, ShapeLayer, TextLayer
from designer.composer.pictures import image_element, inline_clipart, place
from designer.composer.problems import (
    LOW_DPI,
    MAX_CHARS_DO_NOT_FIT,
    MISSING_ASSET,
    MISSING_GLYPHS,
    OUTSIDE_SAFE_ZONE,
    REQUIRED_EMPTY,
    TEXT_OVERFLOW,
    Problem,
    layer_title,
    problem,
)
from designer.composer.side import Side
from designer.composer.svg import SVG_NS, attr, clip_rect, data_uri, num, rect, text
from designer.composer.text import (
    GlyphDefs,
    characters_that_fit,
    draw_text,
    set_text,
    smallest_size_pt,
    typed_text,
)

MODES = ("preview", "print")
FILE_SCHEME = "presswork-file"
# A message names at most this many missing characters (a paragraph of Chinese in a Latin font).
_MISSING_GLYPHS_NAMED = 10
_VECTOR_FORMATS = frozenset({"svg"})
_PLACEHOLDER_FILL, _PLACEHOLDER_STROKE = "#eef1f4", "#8a94a0"
_UNSET_CURRENT_COLOR = "#000000"  # what CairoSVG, which draws the print, takes `currentColor` to be
# The reason beside text that does not fit: this fraction of the document's larger side tall, so
# it reads the same on a card as on a banner (the editor fits the whole document on screen).
_REASON_SIZE = 0.022
_REASON_EM_PER_CHARACTER = 0.56  # a sans-serif's mean advance, semibold, in ems
_REASON_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


@dataclass
class Composition:
    """A composed side: the SVG document, what is wrong with it, and each image layer's DPI and
    its picture's size in pixels as drawn (upright), for the editor's crop tools."""

    svg: str
    problems: list[Problem] = field(default_factory=list)
    image_dpi: dict[str, float] = field(default_factory=dict)
    image_px: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Problem]:
        """The problems that keep the design from being completed."""
        return [item for item in self.problems if item.blocking]


def compose(
    side: Side,
    layers: list,
    assets: Assets,
    mode: str,
    *,
    min_dpi: int | None = None,
    linked_files: bool = False,
    for_merchant: bool = False,
    checks: PrintChecks | None = None,
) -> Composition:
    """Compose `layers` on `side` (sizes in mm) as an SVG document, drawing from `assets`.

    `mode` "preview" adds the guides, the mockup, hit areas and accessible names, and draws
    pictures from their thumbnails; "print" has none of them and draws originals. Images below
    `min_dpi` at their placed size are reported (`low_dpi`). `assets` holds the fonts, clipart and
    files the layers and the side name, with the bytes this mode draws (editing.assets loads them
    from a store); one missing is reported (`missing_asset`). Pure and deterministic: the same
    input gives the same bytes.

    `linked_files` (for print): uploaded pictures are referenced as `presswork-file:<file id>`
    instead of carried as data: URIs, for a renderer that reads them from storage itself
    (rendering.renders): the SVG stays small however much the photos weigh. Stored files never
    change, so the id stands for the bytes.

    `for_merchant` (a template, composed for the merchant authoring it): also warn of each text
    layer whose rules.maxChars typical characters do not fit its box at the smallest size its text
    may take (`max_chars_do_not_fit`, not blocking). A layer with no text is not judged: its font
    is not loaded.

    `checks`: run the checks before print (checks.py) against these limits; None runs none.

    Raises ValueError for an unknown mode.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    composer = _Composer(side, assets, mode, min_dpi, linked_files, for_merchant, checks)
    return composer.compose(layers)


class _Composer:
    """One composition under way: the glyphs and clip paths its document defines, the problems
    found and the images' DPI, collected while the layers are drawn."""

    def __init__(
        self,
        side: Side,
        assets: Assets,
        mode: str,
        min_dpi: int | None,
        linked_files: bool,
        for_merchant: bool,
        checks: PrintChecks | None = None,
    ):
        self.side = side
        self.for_merchant = for_merchant
        self.linked_files = linked_files and mode == "print"
        self.assets = assets
        self.preview = mode == "preview"
        self.mode = mode
        self.min_dpi = min_dpi
        self.glyphs = GlyphDefs()
        self.clips: list[str] = []
        self.problems: list[Problem] = []
        self.image_dpi: dict[str, float] = {}
        self.image_px: dict[str, tuple[float, float]] = {}
        # For the preview's marks: each text layer drawn and each layer with a blocking problem, with
        # the problem's mark (None: no problem, the text box is only outlined).
        self.marks: list[tuple[str, object, str | None]] = []
        # The checks before print to run, the size each text is drawn at (by id() of its layer) for
        # them, and the layers they warn of with the mark beside each, drawn in amber.
        self.checks = checks
        self.text_sizes_pt: dict[int, float] = {}
        self.check_marks: list[tuple[str, object, str]] = []
        bleed = side.bleed_mm
        self.page = (-bleed, -bleed, side.width_mm + 2 * bleed, side.height_mm + 2 * bleed)

    def compose(self, layers: list) -> Composition:
        page_clip = f"clip-page-{self.side.id}" if self.side.id else "clip-page"
        self.clips.append(clip_rect(page_clip, *self.page))
        ordered = sorted(
            enumerate(layers), key=lambda item: (item[0] if item[1].z is None else item[1].z, item[0])
        )
        art = [self._layer(layer, index) for index, layer in ordered]
        if self.checks is not None:
            self._check_before_print([layer for _, layer in ordered])
        page = [self._background(), *art, self._overlay()]
        mockup, view_box = self._mockup()
        x, y, width, height = view_box
        parts = [
            f'<svg xmlns="{SVG_NS}" class="composition" data-mode="{self.mode}"{self._side_data()} '
            f'width="{num(width)}mm" height="{num(height)}mm" '
            f'viewBox="{num(x)} {num(y)} {num(width)} {num(height)}">',
            f"<defs>{''.join(self.glyphs.paths)}{''.join(self.clips)}</defs>",
            mockup,
            f'<g class="page" clip-path="url(#{page_clip})">{"".join(page)}</g>',
            self._guides(art) if self.preview else "",
            self._marks(view_box) if self.preview else "",
            "</svg>",
        ]
        return Composition("".join(parts), self.problems, self.image_dpi, self.image_px)

    def _side_data(self) -> str:
        """The side's geometry in mm, for the editor's script (snapping, rulers, placing new
        layers); in print, its die line instead (for the PDF's CutContour, die_line.py)."""
        side = self.side
        if not self.preview:
            return die_line_data(side.die_line, side.die_line_radius_mm, side.die_line_offset_mm)
        return (
            f' data-trim-width="{num(side.width_mm)}" data-trim-height="{num(side.height_mm)}"'
            f' data-bleed="{num(side.bleed_mm)}" data-safe-zone="{num(side.safe_zone_mm)}"'
        )

    # The side

    def _background(self) -> str:
        side = self.side
        if not (self.preview or side.background_printed):
            return ""
        if side.background_type == "color" and side.background_color:
            return rect(*self.page, f' class="background" fill="{attr(side.background_color)}"')
        if side.background_type == "image" and side.background_file_id:
            picture = self._side_picture(side.background_file_id, "background", side.background_printed)
            return f'<g class="background">{picture}</g>' if picture else ""
        return ""

    def _overlay(self) -> str:
        side = self.side
        shown = side.show_overlay if self.preview else side.overlay_printed
        if not (shown and side.overlay_file_id):
            return ""
        picture = self._side_picture(side.overlay_file_id, "overlay", side.overlay_printed)
        return f'<g class="overlay" pointer-events="none">{picture}</g>' if picture else ""

    def _side_picture(self, file_id: str, part: str, printed: bool) -> str:
        """A background or overlay file covering the trim plus bleed."""
        file = self.assets.files.get(file_id)
        href = self._href(file) if file is not None else None
        if href is None:
            self.problems.append(
                Problem(None, MISSING_ASSET, f"The side’s {part} image no longer exists", blocking=printed)
            )
            return ""
        return image_element(href, *self.page, aspect="xMidYMid slice")

    def _mockup(self) -> tuple[str, tuple[float, float, float, float]]:
        """The mockup drawn behind the page (preview only) and the document's viewBox."""
        side = self.side
        area = side.design_area
        file = self.assets.files.get(side.mockup_file_id) if side.mockup_file_id else None
        if not (self.preview and area and file is not None and file.width_px and file.height_px):
            return "", self.page
        href = self._href(file)
        if href is None:
            return "", self.page
        mm_per_px_x, mm_per_px_y = side.width_mm / area["width"], side.height_mm / area["height"]
        box = (
            -area["x"] * mm_per_px_x,
            -area["y"] * mm_per_px_y,
            file.width_px * mm_per_px_x,
            file.height_px * mm_per_px_y,
        )
        left, top = min(box[0], self.page[0]), min(box[1], self.page[1])
        right = max(box[0] + box[2], self.page[0] + self.page[2])
        bottom = max(box[1] + box[3], self.page[1] + self.page[3])
        markup = f'<g class="mockup" aria-hidden="true">{image_element(href, *box)}</g>'
        return markup, (left, top, right - left, bottom - top)

    def _guides(self, art: list[str]) -> str:
        side = self.side
        width, height, bleed = side.width_mm, side.height_mm, side.bleed_mm
        stroke = max(self.page[2], self.page[3]) * 0.003
        parts = ['<g class="guides" aria-hidden="true" pointer-events="none" fill="none">']
        if bleed > 0:
            x, y, outer_w, outer_h = self.page
            parts.append(
                f'<path class="bleed" fill="{BLEED_FILL}" fill-opacity="0.55" fill-rule="evenodd" '
                f'd="M{num(x)} {num(y)}h{num(outer_w)}v{num(outer_h)}h{num(-outer_w)}z'
                f'M0 0h{num(width)}v{num(height)}h{num(-width)}z"/>'
            )
        if side.design_area and side.mockup_file_id:
            parts.append(
                rect(
                    0,
                    0,
                    width,
                    height,
                    f' class="design-area" stroke="{DESIGN_AREA_STROKE}" stroke-width="{num(stroke * 2)}"',
                )
            )
        parts.append(
            rect(0, 0, width, height, f' class="trim" stroke="{TRIM_STROKE}" stroke-width="{num(stroke)}"')
        )
        safe = side.safe_zone_mm
        if side.show_safe_zone and safe > 0 and width > 2 * safe and height > 2 * safe:
            parts.append(
                rect(
                    safe,
                    safe,
                    width - 2 * safe,
                    height - 2 * safe,
                    f' class="safe-zone" stroke="{SAFE_STROKE}" stroke-width="{num(stroke)}" '
                    f'stroke-dasharray="{num(stroke * 4)}"',
                )
            )
        if side.show_cut_line:
            cut = side.cut_line_mm
            parts.append(
                rect(
                    -cut,
                    -cut,
                    width + 2 * cut,
                    height + 2 * cut,
                    f' class="cut-line" stroke="{CUT_STROKE}" stroke-width="{num(stroke * 1.5)}" '
                    f'stroke-dasharray="{num(stroke * 6)} {num(stroke * 2)}"',
                )
            )
        if side.die_line == "rectangle":
            parts.append(preview_die_line(rectangle_path(width, height, side.die_line_radius_mm), stroke))
        elif side.die_line == "contour":
            defs = "".join(self.glyphs.paths) + "".join(self.clips)
            path = preview_contour(self.page, defs, "".join(art), side.die_line_offset_mm)
            parts.append(preview_die_line(path, stroke) if path else "")
        parts.append("</g>")
        return "".join(parts)

    def _marks(self, view_box: tuple[float, float, float, float]) -> str:
        """Each text layer's box outlined (dark dashes over a light line, seen on any background),
        and each layer with a blocking problem (text that does not fit, a required text or photo
        left empty, a missing glyph, font, image or clipart) in red with its reason on a red tag
        beside it: the customer sees what would stop Save where it is."""
        if not (self.marks or self.check_marks):
            return ""
        stroke = max(self.page[2], self.page[3]) * 0.003
        parts = ['<g class="layer-marks" aria-hidden="true" pointer-events="none" fill="none">']
        # Problems last, so no other box's outline is drawn across a reason.
        for layer_id, layer, reason in sorted(self.marks, key=lambda item: item[2] is not None):
            box = (layer.x, layer.y, layer.width, layer.height)
            parts.append(f'<g data-marks-for="{attr(layer_id)}"{_rotated(layer)}>')
            if reason is None:
                under = f' class="text-box" stroke="{TEXT_BOX_UNDER}" stroke-width="{num(stroke)}"'
                dashes = (
                    f' class="text-box" stroke="{TEXT_BOX_STROKE}" stroke-width="{num(stroke)}" '
                    f'stroke-dasharray="{num(stroke * 3)}"'
                )
                parts.extend((rect(*box, under), rect(*box, dashes)))
            else:
                red = f' class="layer-box problem" stroke="{OVERFLOW_RED}" stroke-width="{num(stroke * 2)}"'
                parts.append(rect(*box, red))
                parts.append(_reason_tag(layer, reason, view_box, stroke))
            parts.append("</g>")
        for layer_id, layer, reason in self.check_marks:
            amber = (
                f' class="layer-box check" stroke="{CHECK_AMBER}" stroke-width="{num(stroke * 2)}" '
                f'stroke-dasharray="{num(stroke * 4)} {num(stroke * 2)}"'
            )
            parts.append(f'<g data-checks-for="{attr(layer_id)}"{_rotated(layer)}>')
            parts.append(rect(layer.x, layer.y, layer.width, layer.height, amber))
            parts.append(_reason_tag(layer, reason, view_box, stroke, CHECK_AMBER, CHECK_TAG_TEXT, "check"))
            parts.append("</g>")
        parts.append("</g>")
        return "".join(parts)

    def _check_before_print(self, layers: list) -> None:
        """Add the checks' warnings to the problems; in the preview, mark their layers in amber,
        one reason a layer, unless a problem that blocks already marks it in red."""
        found = print_checks(self.side, layers, self.assets, self.checks, self.text_sizes_pt)
        self.problems.extend(found)
        marked = {layer_id for layer_id, _, reason in self.marks if reason is not None}
        by_id = {layer.id: layer for layer in layers if layer.id}
        for warning in found:
            layer = by_id.get(warning.layer_id)
            if layer is not None and warning.mark and warning.layer_id not in marked:
                marked.add(warning.layer_id)
                self.check_marks.append((warning.layer_id, layer, warning.mark))

    # Layers

    def _layer(self, layer, index: int) -> str:
        layer_id = layer.id or f"layer-{index}"
        attributes = [f'class="layer layer-{layer.type}"', f'data-layer-id="{attr(layer_id)}"']
        rotated = _rotated(layer)
        if rotated:
            attributes.append(rotated.strip())
        if layer.opacity < 1:
            attributes.append(f'opacity="{num(layer.opacity)}"')
        if layer.ink is not None and not self.preview:
            attributes.append(ink_data(layer.ink).strip())
        title = ""
        found_before = len(self.problems)
        if isinstance(layer, TextLayer):
            content, has_content = self._set_text(layer, attributes)
            if self.preview:
                typed = typed_text(layer.text)
                spoken = " ".join(typed.split()) or f"{layer.name or 'Text'} (empty)"
                attributes.append(f'role="img" aria-label="{attr(spoken)}"')
                title = f"<title>{text(typed)}</title>"
        elif isinstance(layer, ImageLayer):
            content, has_content = self._image(layer, layer_id)
        elif isinstance(layer, ClipartLayer):
            content, has_content = self._clipart(layer, layer_id, attributes)
        else:
            content, has_content = self._shape(layer), True
        if has_content:
            self._check_safe_zone(layer)
        blocking = [found for found in self.problems[found_before:] if found.blocking and found.mark]
        if isinstance(layer, TextLayer) or blocking:
            self.marks.append((layer_id, layer, blocking[0].mark if blocking else None))
        hit = ""
        if self.preview:
            hit = rect(
                layer.x, layer.y, layer.width, layer.height, ' class="hit" fill="none" pointer-events="all"'
            )
        return f"<g {' '.join(attributes)}>{title}{content}{hit}</g>"

    def _set_text(self, layer: TextLayer, attributes: list[str]) -> tuple[str, bool]:
        """The layer's drawing and whether it has content."""
        if not typed_text(layer.text).strip():
            if layer.rules.required:
                self.problems.append(
                    problem(
                        layer,
                        REQUIRED_EMPTY,
                        f"{layer_title(layer)} is required: fill it in",
                        mark="Required: type here",
                    )
                )
            return "", False
        font_row = self.assets.font_of(layer)
        font = font_row.parsed if font_row is not None else None
        if font is None:
            self.problems.append(
                problem(
                    layer,
                    MISSING_ASSET,
                    f"{layer_title(layer)}: its font no longer exists; choose another",
                    mark="Its font is gone: choose another",
                )
            )
            return "", False
        setting = set_text(font, layer)
        self.text_sizes_pt[id(layer)] = setting.size_pt
        self._check_glyphs(layer, font_row, setting)
        if self.for_merchant and layer.rules.max_chars is not None:
            self._check_character_limit(layer, font)
        # The size drawn (smaller than fontSize when auto-fit shrank it) and the face drawn: the
        # editor's typing overlay sets its text with them, over the drawing.
        attributes.append(f'data-font-size="{num(setting.size_pt)}" data-font-id="{attr(font_row.id)}"')
        if not setting.fits:
            advice = f"even at {num(smallest_size_pt(layer))} pt" if layer.auto_fit else "at this size"
            self.problems.append(
                problem(
                    layer,
                    TEXT_OVERFLOW,
                    f"{layer_title(layer)} does not fit its box {advice}: "
                    "shorten the text or enlarge the box",
                    mark=f"Does not fit its box {advice}",
                )
            )
        # In the preview, text that does not fit is red where it is; print keeps the layer's colour.
        fill = OVERFLOW_RED if not setting.fits and self.preview else None
        return draw_text(font_row.id, font, setting, layer, self.glyphs, fill=fill), True

    def _check_character_limit(self, layer: TextLayer, font) -> None:
        """Warn the merchant when rules.maxChars typical characters do not fit the layer's box at
        the smallest size its text may take: a customer typing to the limit would meet an overflow."""
        limit = layer.rules.max_chars
        fitting = characters_that_fit(font, layer, limit)
        if fitting >= limit:
            return
        size = f"even at {num(smallest_size_pt(layer))} pt" if layer.auto_fit else "at its size"
        remedy = "enlarge the box or lower the most characters"
        if not layer.auto_fit:
            remedy += ", or let the text shrink to fit"
        self.problems.append(
            problem(
                layer,
                MAX_CHARS_DO_NOT_FIT,
                f"{layer_title(layer)} allows {limit} characters, but only about {fitting} fit its box "
                f"{size}: {remedy}",
            )
        )

    def _check_glyphs(self, layer: TextLayer, font_row, setting) -> None:
        """A blocking problem naming the characters the font has no glyph for: they would print as
        its empty box, and no other font is put in their place without the customer choosing it."""
        missing = list(dict.fromkeys(character for line in setting.lines for character in line.run.missing))
        if not missing:
            return
        named = ", ".join(f"'{character}'" for character in missing[:_MISSING_GLYPHS_NAMED])
        if len(missing) > _MISSING_GLYPHS_NAMED:
            named += f" and {len(missing) - _MISSING_GLYPHS_NAMED} more"
        self.problems.append(
            problem(
                layer,
                MISSING_GLYPHS,
                f"{layer_title(layer)}: the font {font_row.family} cannot draw {named}; "
                "choose another font or change the text",
                mark=f"{font_row.family} cannot write {named}",
            )
        )

    def _image(self, layer: ImageLayer, layer_id: str) -> tuple[str, bool]:
        box = (layer.x, layer.y, layer.width, layer.height)
        if layer.file_id is None:
            if layer.rules.required:
                self.problems.append(
                    problem(
                        layer,
                        REQUIRED_EMPTY,
                        f"{layer_title(layer)} is required: add a photo",
                        mark="Required: add a photo",
                    )
                )
            placeholder = ""
            if self.preview:
                placeholder = rect(
                    *box,
                    f' class="placeholder" fill="{_PLACEHOLDER_FILL}" stroke="{_PLACEHOLDER_STROKE}" '
                    f'stroke-width="{num(min(layer.width, layer.height) * 0.02)}" '
                    f'stroke-dasharray="{num(min(layer.width, layer.height) * 0.05)}"',
                )
            return placeholder, False
        file = self.assets.files.get(layer.file_id)
        href = self._href(file) if file is not None and file.format in IMAGE_LAYER_FORMATS else None
        if href is None:
            self.problems.append(
                problem(
                    layer,
                    MISSING_ASSET,
                    f"{layer_title(layer)}: its photo no longer exists; choose another",
                    mark="Its photo is gone: choose another",
                )
            )
            return "", False
        size_px = file.upright_size
        source_w, source_h = size_px or (layer.width, layer.height)
        placement = place(box, source_w, source_h, layer.fit, layer.crop)
        if file.format not in _VECTOR_FORMATS and size_px:
            dpi = round(placement.effective_dpi, 1)
            self.image_dpi[layer_id] = dpi
            self.image_px[layer_id] = size_px
            if self.min_dpi is not None and dpi < self.min_dpi:
                self.problems.append(
                    problem(
                        layer,
                        LOW_DPI,
                        f"{layer_title(layer)} is too small to print sharply ({dpi:.0f} DPI; this product "
                        f"needs {self.min_dpi}): use a larger photo or make it smaller",
                    )
                )
        clip_id = f"clip-{layer_id}"
        self.clips.append(clip_rect(clip_id, *placement.clip))
        picture = image_element(
            href, placement.image_x, placement.image_y, placement.image_w, placement.image_h
        )
        return f'<g clip-path="url(#{attr(clip_id)})">{picture}</g>', True

    def _clipart(self, layer: ClipartLayer, layer_id: str, attributes: list[str]) -> tuple[str, bool]:
        clipart = self.assets.clipart.get(layer.clipart_id)
        data = clipart.data if clipart is not None else None
        drawing = self._clipart_drawing(layer, layer_id, clipart, data) if data is not None else None
        if drawing is None:
            message = f"{layer_title(layer)}: its clipart no longer exists; choose another"
            self.problems.append(
                problem(layer, MISSING_ASSET, message, mark="Its clipart is gone: choose another")
            )
            return "", False
        # `currentColor` is the inherited `color`: CairoSVG's is black, a browser's the text colour
        # of the page the preview sits in. Set on the layer (the layer's colour when recoloured,
        # else black), it makes the preview draw what prints.
        recolor = _recolor(layer, clipart)
        attributes.append(f'color="{attr(recolor[1] if recolor else _UNSET_CURRENT_COLOR)}"')
        return drawing, True

    def _clipart_drawing(self, layer: ClipartLayer, layer_id: str, clipart, data: bytes) -> str | None:
        """The clipart in the layer's box, kept in proportion; None when it cannot be drawn."""
        box = (layer.x, layer.y, layer.width, layer.height)
        if clipart.format != "svg":
            thumbnail = clipart.thumbnail if self.preview else None
            picture = data_uri(thumbnail[1], thumbnail[0]) if thumbnail else data_uri("image/png", data)
            return image_element(picture, *box, "xMidYMid meet")
        recolor = _recolor(layer, clipart)
        size_px = (clipart.width_px, clipart.height_px)
        try:
            inlined = inline_clipart(clipart.storage_key, data, f"c-{layer_id}-", size_px, recolor)
        except ValueError:  # not XML
            return None
        if inlined is None:
            return image_element(data_uri("image/svg+xml", data), *box, "xMidYMid meet")
        view_box, body = inlined
        return (
            f'<svg x="{num(layer.x)}" y="{num(layer.y)}" width="{num(layer.width)}" '
            f'height="{num(layer.height)}" viewBox="{view_box}" preserveAspectRatio="xMidYMid meet"'
            f"{body}</svg>"
        )

    def _shape(self, layer: ShapeLayer) -> str:
        paint = f' fill="{layer.fill or "none"}"'
        if layer.stroke and layer.stroke_width > 0:
            paint += f' stroke="{layer.stroke}" stroke-width="{num(layer.stroke_width)}"'
        if layer.shape == "rect":
            return rect(layer.x, layer.y, layer.width, layer.height, paint)
        if layer.shape == "ellipse":
            return (
                f'<ellipse cx="{num(layer.x + layer.width / 2)}" cy="{num(layer.y + layer.height / 2)}" '
                f'rx="{num(layer.width / 2)}" ry="{num(layer.height / 2)}"{paint}/>'
            )
        # A line runs across the box's vertical middle, in the stroke colour (else the fill), as
        # thick as strokeWidth (else the box's height).
        colour = layer.stroke or layer.fill
        if colour is None:
            return ""
        middle = num(layer.y + layer.height / 2)
        thickness = layer.stroke_width if layer.stroke and layer.stroke_width > 0 else layer.height
        return (
            f'<line x1="{num(layer.x)}" y1="{middle}" x2="{num(layer.x + layer.width)}" y2="{middle}" '
            f'stroke="{colour}" stroke-width="{num(thickness)}"/>'
        )

    def _href(self, file: FileAsset) -> str | None:
        if self.linked_files:
            return f"{FILE_SCHEME}:{file.id}" if file.stored else None
        return data_uri(file.picture[1], file.picture[0]) if file.picture is not None else None

    def _check_safe_zone(self, layer) -> None:
        """Warn when the layer's rotated box leaves the safe zone, except where a picture or shape
        runs on to the trim edge (a full-bleed panel is meant to be cut); text never may."""
        side = self.side
        left, top, right, bottom = rotated_bounds(layer)
        safe = side.safe_zone_mm
        bleeds = not isinstance(layer, TextLayer)
        edges = [
            (left < safe - 1e-6, left <= 1e-6),
            (top < safe - 1e-6, top <= 1e-6),
            (right > side.width_mm - safe + 1e-6, right >= side.width_mm - 1e-6),
            (bottom > side.height_mm - safe + 1e-6, bottom >= side.height_mm - 1e-6),
        ]
        if any(outside and not (bleeds and reaches_trim) for outside, reaches_trim in edges):
            self.problems.append(
                problem(
                    layer,
                    OUTSIDE_SAFE_ZONE,
                    f"{layer_title(layer)} is too close to the edge: it may be cut off",
                )
            )


def _reason_tag(
    layer,
    reason: str,
    view_box: tuple[float, float, float, float],
    gap_mm: float,
    fill: str = OVERFLOW_RED,
    ink: str = TEXT_BOX_UNDER,
    kind: str = "problem",
) -> str:
    """`reason` in white on a red tag (a check's: dark on amber, `fill` and `ink`) just below the
    layer's box (above it where the document ends below), starting at the box's left edge (ending
    at its right edge near the document's right).

    The composer has no metrics for the browser's own font: the tag is as wide as about
    _REASON_EM_PER_CHARACTER a character, and the text is stretched or squeezed to fill it
    (textLength), so the two always match."""
    view_x, view_y, view_w, view_h = view_box
    size = max(view_w, view_h) * _REASON_SIZE
    pad = size * 0.35
    width = len(reason) * size * _REASON_EM_PER_CHARACTER + 2 * pad
    height = size * 1.5
    top = layer.y + layer.height + gap_mm
    if top + height > view_y + view_h:
        top = layer.y - gap_mm - height
    left = layer.x
    if left + width > view_x + view_w:
        left = max(view_x, layer.x + layer.width - width)
    return (
        rect(left, top, width, height, f' class="{kind}-tag" rx="{num(size * 0.25)}" fill="{fill}"')
        + f'<text class="{kind}-reason" x="{num(left + pad)}" y="{num(top + height * 0.72)}" '
        f'textLength="{num(width - 2 * pad)}" lengthAdjust="spacingAndGlyphs" font-family="{_REASON_FONT}" '
        f'font-size="{num(size)}" font-weight="600" fill="{ink}">{text(reason)}</text>'
    )


def _rotated(layer) -> str:
    """The layer's rotation about its box's centre as a transform attribute (with a leading space),
    or nothing for an upright layer."""
    if not layer.rotation % 360:
        return ""
    centre_x, centre_y = layer.x + layer.width / 2, layer.y + layer.height / 2
    return f' transform="rotate({num(layer.rotation)} {num(centre_x)} {num(centre_y)})"'


def _recolor(layer: ClipartLayer, clipart) -> tuple[str, str] | None:
    """(the clipart's one colour, the layer's) when the layer recolours it, else None."""
    if layer.color is not None and clipart.recolorable and clipart.color:
        return clipart.color, layer.color
    return None


def rotated_bounds(layer) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) in mm of the layer's box rotated about its centre."""
    centre_x, centre_y = layer.x + layer.width / 2, layer.y + layer.height / 2
    angle = math.radians(layer.rotation)
    cos, sin = abs(math.cos(angle)), abs(math.sin(angle))
    half_w = (layer.width * cos + layer.height * sin) / 2
    half_h = (layer.width * sin + layer.height * cos) / 2
    return centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h
