"""The colours of a side's guides (bleed, trim, safe zone, cut line, design area), shared by the
composer's preview and the products' side diagram so both show the same."""

BLEED_FILL = "#f8d7da"
TRIM_STROKE = "#1d232b"
SAFE_STROKE = "#1f6f3f"
CUT_STROKE = "#c2185b"
DESIGN_AREA_STROKE = "#0b5cad"
