"""Text layers: lines shaped by HarfBuzz, set in the layer's box, drawn as glyph outlines.

Setting follows CSS's model, so a designer's expectations carry over: each line is `lineHeight` ×
the font size tall, its baseline half the leading below the line's top plus the font's ascender;
lines stack from the top of the box (moved down if a script's marks would rise above it). Text
fits when every line is no wider than the box and the glyphs' ink stays inside its height.
A paragraph (a line of the text as typed) wraps at spaces when it is wider than the box; a word
wider than the box overflows. `letterSpacing` is added
after every cluster but a line's last (a ligature or an Arabic letter with its marks is one
cluster, never pulled apart). Justified lines stretch their spaces, the last line of a paragraph
does not. `autoFit` (on unless the merchant turns it off) shrinks the size until the text fits
the box, down to AUTO_FIT_MIN_PT.

How many characters a box holds (`characters_that_fit`) is judged on typical text, not on the
worst case: a run of "Hamburgefonstiv", the word type designers set to see a font's average
letter widths, cut into words of five letters (about an English word's mean length) so it wraps
as real text does, in capitals when the template's own text is. Thirty capital W would
condemn every sensible box; typical text says what a customer will usually meet.

A curved layer (`curve` degrees, positive arching up) sets each line on an arc whose length is
the line's and which spans `curve` degrees, centred where the straight line's middle would be.

Glyphs are drawn as <use> of outlines defined once per document (see GlyphDefs), in font units
with y up: a straight line is one group scaled from font units to mm and flipped, a curved one
places each glyph with its own matrix.
"""

import math
import re
from dataclasses import dataclass

from designer.composer.fonts import ParsedFont, ShapedRun
from designer.composer.svg import attr, num
from designer.units import MM_PER_POINT

AUTO_FIT_MIN_PT = 4.0
_AUTO_FIT_STEPS = 12
_TYPICAL_LETTERS = "hamburgefonstiv"
_TYPICAL_WORD = 5  # letters
# Measurements within this (mm) of the box still fit: rounding must not raise an overflow.
_TOLERANCE_MM = 0.01
# Control characters (but the line break) and lone surrogates: nothing to draw, a font's .notdef box.
_UNDRAWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def typed_text(text: str) -> str:
    """The layer's text as it is drawn: line breaks as \\n, tabs as spaces, control characters out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _UNDRAWABLE.sub("", text)


class GlyphDefs:
    """The glyph outlines one document uses, each defined once (`<path id="g-{font}-{glyph}">`)."""

    def __init__(self):
        self._ids: dict[tuple[str, int], str | None] = {}
        self.paths: list[str] = []

    def ref(self, font_id: str, font: ParsedFont, glyph_id: int) -> str | None:
        """The id of the glyph's outline, defined on first use; None for a glyph with no outline."""
        key = (font_id, glyph_id)
        if key in self._ids:
            return self._ids[key]
        outline = font.outline(glyph_id)
        glyph_def_id = f"g-{font_id}-{glyph_id}" if outline else None
        if glyph_def_id:
            self.paths.append(f'<path id="{attr(glyph_def_id)}" d="{outline}"/>')
        self._ids[key] = glyph_def_id
        return glyph_def_id


@dataclass(frozen=True)
class SetLine:
    run: ShapedRun
    advances: tuple[float, ...]  # each glyph's advance in font units, spacing included
    x_mm: float  # the left end of the line
    baseline_mm: float

    @property
    def width_units(self) -> float:
        return sum(self.advances)


@dataclass(frozen=True)
class TextSetting:
    size_pt: float
    lines: tuple[SetLine, ...]
    fits: bool

    @property
    def glyph_count(self) -> int:
        return sum(len(line.run.glyph_ids) for line in self.lines)


def set_text(font: ParsedFont, layer) -> TextSetting:
    """The layer's text set in its box at its size, or at the largest size that fits (`autoFit`)."""
    text = typed_text(layer.text)
    setting = _set_at(font, layer, text, layer.font_size)
    if setting.fits or not layer.auto_fit:
        return setting
    low = smallest_size_pt(layer)
    smallest = _set_at(font, layer, text, low)
    if not smallest.fits:
        return smallest
    # Binary search between a size that fits and one that does not; the same steps every time.
    best, high = smallest, layer.font_size
    for _ in range(_AUTO_FIT_STEPS):
        middle = round((low + high) / 2, 3)
        trial = _set_at(font, layer, text, middle)
        if trial.fits:
            best, low = trial, middle
        else:
            high = middle
    return best


def smallest_size_pt(layer) -> float:
    """The smallest size the layer's text may take: AUTO_FIT_MIN_PT with `autoFit` (or the layer's
    size, when smaller), else its size."""
    return min(AUTO_FIT_MIN_PT, layer.font_size) if layer.auto_fit else layer.font_size


def typical_text(length: int, capitals: bool = False) -> str:
    """`length` characters of typical text (see the module's docstring), never ending in a space."""
    letters = _TYPICAL_LETTERS.upper() if capitals else _TYPICAL_LETTERS
    characters, letter = [], 0
    for index in range(length):
        in_word = index % (_TYPICAL_WORD + 1)
        if in_word == _TYPICAL_WORD and index < length - 1:
            characters.append(" ")
            continue
        character = letters[letter % len(letters)]
        characters.append(character.upper() if in_word == 0 else character)
        letter += 1
    return "".join(characters)


def characters_that_fit(font: ParsedFont, layer, length: int) -> int:
    """How many characters of typical text, up to `length`, fit the layer's box at the smallest size
    its text may take (`smallest_size_pt`)."""
    size_pt = smallest_size_pt(layer)
    capitals = any(character.isalpha() for character in layer.text) and layer.text.isupper()

    def fits(count: int) -> bool:
        return _set_at(font, layer, typical_text(count, capitals), size_pt).fits

    if fits(length):
        return length
    # Longer typical text never fits better, so the count that fits is found by halving.
    fitting, too_many = 0, length
    while too_many - fitting > 1:
        middle = (fitting + too_many) // 2
        if fits(middle):
            fitting = middle
        else:
            too_many = middle
    return fitting


def _set_at(font: ParsedFont, layer, text: str, size_pt: float) -> TextSetting:
    units_per_mm = font.units_per_em / (size_pt * MM_PER_POINT)
    tracking = layer.letter_spacing / 1000 * font.units_per_em
    box_w_units = layer.width * units_per_mm
    wraps = layer.curve == 0
    texts: list[tuple[str, bool]] = []  # (line, ends its paragraph)
    for paragraph in text.split("\n") if text else []:
        lines = _wrapped(font, paragraph, box_w_units, tracking) if wraps else [paragraph]
        texts.extend((line, index == len(lines) - 1) for index, line in enumerate(lines))
    size_mm = size_pt * MM_PER_POINT
    line_mm = layer.line_height * size_mm
    content_mm = (font.ascender - font.descender) / units_per_mm
    first_baseline = layer.y + (line_mm - content_mm) / 2 + font.ascender / units_per_mm
    placed = []
    fits = True
    for index, (line_text, last) in enumerate(texts):
        run = font.shape(line_text)
        advances = _advances(run, tracking)
        width_units = sum(advances)
        if layer.align == "justify" and not last and wraps:
            advances = _justified(run, advances, box_w_units - width_units)
            width_units = sum(advances)
        width_mm = width_units / units_per_mm
        fits = fits and width_mm <= layer.width + _TOLERANCE_MM
        # A justified right-to-left paragraph's last line starts at the right, as it is read.
        ends_at_right = layer.align == "justify" and last and run.direction == "rtl"
        if layer.align == "center":
            x_mm = layer.x + (layer.width - width_mm) / 2
        elif layer.align == "right" or ends_at_right:
            x_mm = layer.x + layer.width - width_mm
        else:
            x_mm = layer.x
        placed.append((run, tuple(advances), x_mm, first_baseline + index * line_mm))
    if not placed:
        return TextSetting(size_pt, (), fits)
    # The ink must stay in the box. Where a tall script's marks rise above a line box shorter
    # than the font's ascent plus descent, the lines move down just enough to keep it inside.
    rise_mm = _arc_rise_mm([advances for _, advances, _, _ in placed], layer.curve, units_per_mm)
    ink_top = min(baseline - run.ink_top / units_per_mm for run, _, _, baseline in placed)
    ink_bottom = max(baseline - run.ink_bottom / units_per_mm for run, _, _, baseline in placed)
    if layer.curve > 0:
        ink_bottom += rise_mm
    elif layer.curve < 0:
        ink_top -= rise_mm
    shift_mm = max(0.0, layer.y - ink_top)
    fits = fits and ink_bottom + shift_mm <= layer.y + layer.height + _TOLERANCE_MM
    lines = tuple(
        SetLine(run, advances, x_mm, baseline + shift_mm) for run, advances, x_mm, baseline in placed
    )
    return TextSetting(size_pt, lines, fits)


def _advances(run: ShapedRun, tracking: float) -> list[float]:
    advances = list(run.x_advances)
    if tracking:
        clusters = run.clusters
        for index in range(len(advances) - 1):
            if clusters[index + 1] != clusters[index]:
                advances[index] += tracking
    return advances


def _justified(run: ShapedRun, advances: list[float], extra_units: float) -> list[float]:
    spaces = [index for index, cluster in enumerate(run.clusters) if run.text[cluster] == " "]
    if not spaces or extra_units <= 0:
        return advances
    share = extra_units / len(spaces)
    for index in spaces:
        advances[index] += share
    return advances


def _wrapped(font: ParsedFont, paragraph: str, box_w_units: float, tracking: float) -> list[str]:
    """The paragraph broken at spaces into lines no wider than the box, where words allow."""
    if _width_units(font, paragraph, tracking) <= box_w_units:
        return [paragraph]
    words = paragraph.split(" ")
    lines, current = [], words[0]
    for word in words[1:]:
        candidate = f"{current} {word}"
        if _width_units(font, candidate, tracking) <= box_w_units:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return lines


def _width_units(font: ParsedFont, text: str, tracking: float) -> float:
    return sum(_advances(font.shape(text), tracking))


def _arc_rise_mm(advances: list[tuple[float, ...]], curve: float, units_per_mm: float) -> float:
    """How much taller than straight the curved lines stand: the sagitta of the longest arc."""
    if not curve or not advances:
        return 0.0
    angle = math.radians(min(abs(curve), 360))
    longest_mm = max(sum(line) for line in advances) / units_per_mm
    radius = longest_mm / angle
    return radius * (1 - math.cos(min(angle, math.pi) / 2)) if angle < math.pi else radius


def draw_text(
    font_id: str, font: ParsedFont, setting: TextSetting, layer, glyphs: GlyphDefs, fill: str | None = None
) -> str:
    """The set text as <use> of the document's glyph outlines, filled with the layer's colour (or
    `fill`: the preview's red for text that does not fit)."""
    scale = setting.size_pt * MM_PER_POINT / font.units_per_em
    parts = [f'<g fill="{fill or layer.color}">']
    for line in setting.lines:
        if layer.curve:
            parts.append(_curved_line(font_id, font, line, layer.curve, scale, glyphs))
        else:
            parts.append(_straight_line(font_id, font, line, scale, glyphs))
    parts.append("</g>")
    return "".join(parts)


def _straight_line(font_id: str, font: ParsedFont, line: SetLine, scale: float, glyphs: GlyphDefs) -> str:
    uses = []
    pen = 0.0
    run = line.run
    for index, glyph_id in enumerate(run.glyph_ids):
        glyph_def_id = glyphs.ref(font_id, font, glyph_id)
        if glyph_def_id:
            x, y = pen + run.x_offsets[index], run.y_offsets[index]
            uses.append(f'<use href="#{glyph_def_id}" x="{num(x)}"' + (f' y="{num(y)}"/>' if y else "/>"))
        pen += line.advances[index]
    if not uses:
        return ""
    return (
        f'<g transform="translate({num(line.x_mm)} {num(line.baseline_mm)}) scale({_scale(scale)} '
        f'{_scale(-scale)})">{"".join(uses)}</g>'
    )


def _curved_line(
    font_id: str, font: ParsedFont, line: SetLine, curve: float, scale: float, glyphs: GlyphDefs
) -> str:
    width_mm = line.width_units * scale
    if width_mm <= 0:
        return ""
    angle = math.radians(max(-360.0, min(360.0, curve)))
    radius = width_mm / abs(angle)
    middle_x = line.x_mm + width_mm / 2
    # Arching up, the circle's centre lies below the baseline's top; dipping, above its bottom.
    centre_y = line.baseline_mm + radius if curve > 0 else line.baseline_mm - radius
    uses = []
    pen = 0.0
    run = line.run
    for index, glyph_id in enumerate(run.glyph_ids):
        advance = line.advances[index]
        glyph_def_id = glyphs.ref(font_id, font, glyph_id)
        if glyph_def_id:
            along_mm = (pen + run.x_advances[index] / 2) * scale - width_mm / 2
            theta = along_mm / radius
            anchor_x = middle_x + radius * math.sin(theta)
            if curve > 0:
                anchor_y, turn = centre_y - radius * math.cos(theta), theta
            else:
                anchor_y, turn = centre_y + radius * math.cos(theta), -theta
            # The glyph's origin sits half its advance before the anchor, along the tangent.
            dx = (run.x_offsets[index] - run.x_advances[index] / 2) * scale
            dy = -run.y_offsets[index] * scale
            cos, sin = math.cos(turn), math.sin(turn)
            matrix = (
                scale * cos,
                scale * sin,
                scale * sin,
                -scale * cos,
                anchor_x + cos * dx - sin * dy,
                anchor_y + sin * dx + cos * dy,
            )
            uses.append(
                f'<use href="#{glyph_def_id}" transform="matrix({" ".join(_scale(v) for v in matrix)})"/>'
            )
        pen += advance
    return "".join(uses)


def _scale(value: float) -> str:
    # A font-unit-to-mm factor is small (0.002): it needs more digits than a length.
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
