"""The colours of a side's guides (bleed, trim, safe zone, cut line, design area), shared by the
composer's preview and the products' side diagram so both show the same; and of the marks the
preview draws on text layers (their box, and text that does not fit) and on layers a check
before print warns of."""

BLEED_FILL = "#f8d7da"
TRIM_STROKE = "#1d232b"
SAFE_STROKE = "#1f6f3f"
CUT_STROKE = "#c2185b"
DESIGN_AREA_STROKE = "#0b5cad"
# A text layer's box: dark dashes over a light line, seen on any background.
TEXT_BOX_STROKE = "#5b6572"
TEXT_BOX_UNDER = "#ffffff"
# Text that does not fit its box, its box and the reason beside it.
OVERFLOW_RED = "#d0021b"
# A layer a check before print warns of (composer/checks.py): its box dashed in amber, and its
# reason in dark text on an amber tag (readable at 4.5:1), apart from the red of what blocks.
CHECK_AMBER = "#f2a900"
CHECK_TAG_TEXT = "#1d232b"
