"""The side a composition is drawn on, as plain values: its size, bleed, safe zone and cut line in
millimetres, its background, overlay and mockup, and which guides the preview shows."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """What the composer needs of a product's side (products.present.composer_side makes one)."""

    id: str | None
    width_mm: float
    height_mm: float
    bleed_mm: float = 0.0
    safe_zone_mm: float = 0.0
    show_safe_zone: bool = True
    show_cut_line: bool = True
    cut_line_mm: float = 0.0
    # The die line a cutter follows (die_line.py): none, rectangle (the trim, corners rounded to
    # the radius) or contour (around the art at the offset).
    die_line: str = "none"
    die_line_radius_mm: float = 0.0
    die_line_offset_mm: float = 0.0
    background_type: str = "transparent"
    background_color: str | None = None
    background_file_id: str | None = None
    background_printed: bool = True
    overlay_file_id: str | None = None
    show_overlay: bool = True
    overlay_printed: bool = False
    mockup_file_id: str | None = None
    # Where the trim box sits on the mockup image, in the mockup's pixels: {x, y, width, height}.
    design_area: dict | None = None

    @property
    def file_ids(self) -> set[str]:
        """The files the side names (background, overlay, mockup)."""
        return {self.background_file_id, self.overlay_file_id, self.mockup_file_id} - {None}
