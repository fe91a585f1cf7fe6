"""A font's sample: a short text set in the font, drawn as its glyph outlines in a small SVG
picture, for the editor's font picker (each family's name shown in itself).

Shaped and drawn by the same code as a text layer (fonts.py), so the sample shows the glyphs the
print will have; a browser needs neither the font file nor @font-face to show it.
"""

from designer.composer.fonts import ParsedFont
from designer.composer.svg import SVG_NS, attr, num

SAMPLE_INK = "#1d232b"


def can_set(font: ParsedFont, sample: str) -> bool:
    """Whether the font has a glyph for every visible character of `sample`."""
    return bool(sample.strip()) and not font.shape(sample).missing


def sample_svg(font: ParsedFont, sample: str, height_px: int, label: str) -> str:
    """`sample` (one line) set in `font` as an SVG document `height_px` tall (its width follows),
    as tall as its ink, named `label` for a reader."""
    run = font.shape(sample)
    paths = []
    pen = 0
    for index, glyph_id in enumerate(run.glyph_ids):
        outline = font.outline(glyph_id)
        if outline:
            x, y = pen + run.x_offsets[index], run.y_offsets[index]
            paths.append(f'<path transform="translate({num(x)} {num(y)})" d="{outline}"/>')
        pen += run.x_advances[index]
    # The ink's own height, not the font's line box: a face with tall marks (Arabic, Devanagari)
    # would otherwise show its name small. A little room on each side for the ink's edge.
    top, bottom = (run.ink_top, run.ink_bottom) if run.ink_top > run.ink_bottom else (font.ascender, 0)
    margin = (top - bottom) * 0.08
    height_units = top - bottom + 2 * margin
    width_units = max(pen, 1) + 2 * margin
    width_px = max(1, round(height_px * width_units / height_units))
    return (
        f'<svg xmlns="{SVG_NS}" width="{width_px}" height="{height_px}" '
        f'viewBox="{num(-margin)} {num(-top - margin)} {num(width_units)} {num(height_units)}" '
        f'role="img" aria-label="{attr(label)}">'
        f'<g fill="{SAMPLE_INK}" transform="scale(1 -1)">{"".join(paths)}</g></svg>'
    )
