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
    the line box from the font's descender to its ascender, named `label` for a reader."""
    run = font.shape(sample)
    paths = []
    pen = 0
    for index, glyph_id in enumerate(run.glyph_ids):
        outline = font.outline(glyph_id)
        if outline:
            x, y = pen + run.x_offsets[index], run.y_offsets[index]
            paths.append(f'<path transform="translate({num(x)} {num(y)})" d="{outline}"/>')
        pen += run.x_advances[index]
    ascender, descender = font.ascender, font.descender
    line_units = max(1, ascender - descender)
    # A little room at each end, for glyphs whose ink passes their advance (an italic's last letter).
    margin = line_units * 0.1
    width_units = max(pen, 1) + 2 * margin
    width_px = max(1, round(height_px * width_units / line_units))
    return (
        f'<svg xmlns="{SVG_NS}" width="{width_px}" height="{height_px}" '
        f'viewBox="{num(-margin)} {num(-ascender)} {num(width_units)} {num(line_units)}" '
        f'role="img" aria-label="{attr(label)}">'
        f'<g fill="{SAMPLE_INK}" transform="scale(1 -1)">{"".join(paths)}</g></svg>'
    )
