"""Spot inks on layers (white, varnish, foil) as the print SVG marks them.

A layer whose template gives it an `ink` is drawn in print with `data-ink` naming the ink; the PDF
prints its shape again on that ink's plate (rendering/separations.py). A layer printed in the ink
`only` is hidden from the process colours (`display="none"`), its drawing kept for the plate. The
preview shows every layer as it is: the editor draws no inks.
"""

from designer.composer.layers import LayerInk
from designer.composer.svg import attr


def ink_data(ink: LayerInk) -> str:
    """A layer group's attributes naming its spot ink (with a leading space)."""
    if ink.only:
        return f' data-ink="{attr(ink.name)}" data-ink-only="true" display="none"'
    return f' data-ink="{attr(ink.name)}"'
