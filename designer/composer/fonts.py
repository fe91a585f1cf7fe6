"""Fonts as the composer uses them: parsed once per process, text shaped by HarfBuzz, glyph outlines
drawn by fontTools.

Everything here works in the font's own units (units per em), so one shaped run serves every
size and every letter spacing a layer may ask for: auto-fit tries several sizes without shaping
again, and a size or spacing change is only arithmetic. Four caches, all per process:

- parsed fonts, by storage key (a default-library file is shared by every store);
- shaped runs, by (font, text), with the characters the font has no glyph for;
- glyph outlines (SVG path data), by (font, glyph id);
- the codepoints a font's character map covers, read when a run first meets a missing glyph.

Font files never change under a storage key (an upload gets a new key), so nothing goes stale;
the caches are bounded so a process serving many stores does not grow without end.
"""

import io
import threading
import unicodedata
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import uharfbuzz as hb
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont

from designer.composer.bidi import visual_runs

MAX_PARSED_FONTS = 48
MAX_SHAPED_RUNS_PER_FONT = 2_000
# OpenType features every run gets: kerning, the standard and contextual ligatures and contextual
# alternates (a script font's joined letters). HarfBuzz's defaults, named so the choice is visible;
# the forms a script needs (Arabic joining, Indic conjuncts) HarfBuzz applies by itself.
FEATURES = {"kern": True, "liga": True, "clig": True, "calt": True}
# HarfBuzz's .notdef: what it gives for a character the font has no glyph for.
NOTDEF = 0
# Characters that draw nothing, so a font owes them no glyph: spaces and line separators, control
# and format characters (joiners, marks of direction) and selectors of a variant.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs"})
_SELECTORS = ((0x034F, 0x034F), (0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


@dataclass(frozen=True)
class ShapedRun:
    """A line of text as HarfBuzz set it, in font units, glyphs in visual order (left to right).

    In right-to-left text the first glyph is the end of the string: `clusters` (each glyph's
    index into the text) then run from high to low. `direction` is the line's (its first letter's).
    """

    text: str
    glyph_ids: tuple[int, ...]
    clusters: tuple[int, ...]
    x_advances: tuple[int, ...]
    x_offsets: tuple[int, ...]
    y_offsets: tuple[int, ...]
    direction: str  # ltr, rtl
    ink_top: int  # the highest and lowest ink above the baseline (y up; 0, 0 for blank text)
    ink_bottom: int
    # The characters the font has no glyph for (drawn as its .notdef box), each once, in text order.
    missing: tuple[str, ...] = ()


class ParsedFont:
    """One font file, ready to shape and draw: HarfBuzz's font and fontTools' glyph set."""

    def __init__(self, key: str, data: bytes):
        self.key = key
        ttfont = TTFont(io.BytesIO(data), lazy=True)
        if ttfont.flavor is not None:
            # HarfBuzz reads plain sfnt data: WOFF and WOFF2 are unpacked once, here.
            ttfont.flavor = None
            unpacked = io.BytesIO()
            ttfont.save(unpacked)
            data = unpacked.getvalue()
            ttfont = TTFont(io.BytesIO(data), lazy=True)
        self.hb_font = hb.Font(hb.Face(hb.Blob(data)))
        self.units_per_em = self.hb_font.face.upem
        extents = self.hb_font.get_font_extents("ltr")
        self.ascender, self.descender = extents.ascender, extents.descender  # descender < 0
        self._glyph_set = ttfont.getGlyphSet()
        self._glyph_order = ttfont.getGlyphOrder()
        self._codepoints: frozenset[int] | None = None
        self._outlines: dict[int, str] = {}
        self._runs: OrderedDict[str, ShapedRun] = OrderedDict()
        self._lock = threading.Lock()

    def shape(self, text: str) -> ShapedRun:
        """`text` (one line) shaped with kerning and ligatures: cut into runs of one direction (see
        bidi.py), each run's script guessed, the runs in visual order."""
        with self._lock:
            run = self._runs.get(text)
            if run is not None:
                self._runs.move_to_end(text)
                return run
        direction, pieces = visual_runs(text)
        glyph_ids, clusters, x_advances, x_offsets, y_offsets = [], [], [], [], []
        tops, bottoms = [0], [0]
        for start, end, piece_direction in pieces:
            buffer = hb.Buffer()
            buffer.add_str(text[start:end])
            buffer.direction = piece_direction
            buffer.guess_segment_properties()
            hb.shape(self.hb_font, buffer, FEATURES)
            for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
                glyph_ids.append(info.codepoint)
                clusters.append(start + info.cluster)
                x_advances.append(position.x_advance)
                x_offsets.append(position.x_offset)
                y_offsets.append(position.y_offset)
                extents = self.hb_font.get_glyph_extents(info.codepoint)
                if extents is not None and extents.height:
                    tops.append(position.y_offset + extents.y_bearing)
                    bottoms.append(position.y_offset + extents.y_bearing + extents.height)
        run = ShapedRun(
            text=text,
            glyph_ids=tuple(glyph_ids),
            clusters=tuple(clusters),
            x_advances=tuple(x_advances),
            x_offsets=tuple(x_offsets),
            y_offsets=tuple(y_offsets),
            direction=direction,
            ink_top=max(tops),
            ink_bottom=min(bottoms),
            missing=self._missing(text, glyph_ids, clusters) if NOTDEF in glyph_ids else (),
        )
        with self._lock:
            self._runs[text] = run
            if len(self._runs) > MAX_SHAPED_RUNS_PER_FONT:
                self._runs.popitem(last=False)
        return run

    def covers(self, character: str) -> bool:
        """Whether the font's character map has a glyph for `character`."""
        if self._codepoints is None:
            # Read once, and only for a font that has met a missing glyph: a CJK font maps tens of
            # thousands of codepoints, and most text never needs the map at all.
            self._codepoints = frozenset(self.hb_font.face.unicodes)
        return ord(character) in self._codepoints

    def _missing(self, text: str, glyph_ids: list[int], clusters: list[int]) -> tuple[str, ...]:
        """The characters of the clusters HarfBuzz drew as .notdef that the font does not cover.

        A cluster may hold more than the missing letter (an emoji and its variation selector, a
        letter and its marks): only its visible characters the font lacks are named, or, should
        the map cover them all, every visible character of the cluster.
        """
        starts = sorted(set(clusters)) + [len(text)]
        missing: dict[str, None] = {}
        for glyph_id, cluster in zip(glyph_ids, clusters, strict=True):
            if glyph_id != NOTDEF:
                continue
            end = starts[bisect_right(starts, cluster)]
            visible = [character for character in text[cluster:end] if not invisible(character)]
            lacking = [character for character in visible if not self.covers(character)]
            missing.update(dict.fromkeys(lacking or visible))
        return tuple(missing)

    def outline(self, glyph_id: int) -> str:
        """The glyph's outline as SVG path data in font units, y up (empty for a space)."""
        path = self._outlines.get(glyph_id)
        if path is None:
            # fontTools loads the glyph table lazily, which is not safe from two threads at once.
            with self._lock:
                pen = SVGPathPen(self._glyph_set, ntos=_font_units)
                self._glyph_set[self._glyph_order[glyph_id]].draw(pen)
                path = pen.getCommands()
                self._outlines[glyph_id] = path
        return path


def invisible(character: str) -> bool:
    """Whether `character` draws nothing (a space, a control or format character, a selector)."""
    if unicodedata.category(character) in _INVISIBLE_CATEGORIES:
        return True
    codepoint = ord(character)
    return any(first <= codepoint <= last for first, last in _SELECTORS)


def _font_units(value: float) -> str:
    # TrueType outlines are whole units; CFF ones may be fractional, a tenth of a unit is plenty.
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else str(rounded)


_parsed: OrderedDict[str, ParsedFont] = OrderedDict()
_parsed_lock = threading.Lock()


def parsed_font(key: str, read: Callable[[], bytes]) -> ParsedFont:
    """The font stored under `key`, parsed on first use (`read` gives its bytes) and kept.

    Raises whatever `read` raises (the file is missing), or fontTools' errors for a damaged file.
    """
    with _parsed_lock:
        font = _parsed.get(key)
        if font is not None:
            _parsed.move_to_end(key)
            return font
    font = ParsedFont(key, read())
    with _parsed_lock:
        _parsed[key] = font
        while len(_parsed) > MAX_PARSED_FONTS:
            _parsed.popitem(last=False)
    return font


def clear_caches() -> None:
    """Forget every parsed font, shaped run and outline (for cold-start benchmarks and tests)."""
    with _parsed_lock:
        _parsed.clear()
