"""The side editor's diagrams: a side drawn to scale, and its mockup with the design area on it.

Pure functions from a side to SVG text. The side's diagram is in millimetres with the origin at
the trim box's top-left (the coordinate system of a design's layers): the bleed area, the trim
box, the safe zone (dashed), the cut line and the die line (the CutContour a cutter follows: a
rectangle drawn with its rounded corners; a contour, which follows each design's art, said in
words), with their sizes and a legend. Each SVG carries a <title> and a <desc> with the numbers,
for screen readers and for tests.
"""

from html import escape

from designer.composer.die_line import CUT_CONTOUR_PREVIEW, rectangle_path
from designer.composer.guides import BLEED_FILL, CUT_STROKE, DESIGN_AREA_STROKE, SAFE_STROKE, TRIM_STROKE
from designer.units import from_mm


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def describe_side(side, unit: str) -> str:
    """The side's geometry in words, in `unit`: what the diagram's <desc> says."""

    def size(mm: float) -> str:
        return f"{_number(from_mm(mm, unit))} {unit}"

    parts = [
        f"Trim {_number(from_mm(side.width_mm, unit))} × {size(side.height_mm)}",
        f"bleed {size(side.bleed_mm)} on each edge",
        f"safe zone {size(side.safe_zone_mm)} inside the trim" + ("" if side.show_safe_zone else " (hidden)"),
    ]
    if side.show_cut_line:
        parts.append(
            "cut line on the trim"
            if side.cut_line_mm == 0
            else f"cut line {size(side.cut_line_mm)} outside the trim"
        )
    else:
        parts.append("cut line hidden")
    if side.die_line == "rectangle":
        radius = side.die_line_radius_mm
        parts.append("die line on the trim" + (f", its corners rounded to {size(radius)}" if radius else ""))
    elif side.die_line == "contour":
        parts.append(
            f"die line around each design's art, {size(side.die_line_offset_mm)} from it, within the page"
        )
    return ", ".join(parts) + "."


def side_diagram_svg(side, unit: str, element_id: str = "side-diagram-svg") -> str:
    """The side drawn to scale in millimetres (1 SVG unit = 1 mm), with a legend underneath.

    `side` needs width_mm, height_mm, bleed_mm, safe_zone_mm, cut_line_mm, show_safe_zone,
    show_cut_line, die_line, die_line_radius_mm, die_line_offset_mm, background_type,
    background_color and name (a Side row has them).
    """
    width, height = side.width_mm, side.height_mm
    bleed, safe, cut = side.bleed_mm, side.safe_zone_mm, side.cut_line_mm
    longest = max(width + 2 * bleed, height + 2 * bleed)
    text_size = longest * 0.045
    stroke = longest * 0.004
    pad = text_size * 2.2
    legend_rows = _legend(side)
    legend_height = text_size * 1.6 * len(legend_rows) + text_size
    # A tall, narrow side must still leave room for the legend's words: the drawing is centred.
    legend_width = text_size * (3 + 0.6 * max(len(label) for _, label in legend_rows))
    drawing_width = width + 2 * (bleed + pad)
    view_width = max(drawing_width, legend_width)
    left, top = -bleed - pad - (view_width - drawing_width) / 2, -bleed - pad
    view_height = height + 2 * (bleed + pad) + legend_height
    trim_fill = (
        side.background_color if side.background_type == "color" and side.background_color else "#ffffff"
    )
    title = f"{escape(side.name)}: {_number(from_mm(width, unit))} × {_number(from_mm(height, unit))} {unit}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" class="side-diagram" role="img" '
        f'aria-labelledby="{element_id}-title {element_id}-desc" '
        f'viewBox="{_number(left)} {_number(top)} {_number(view_width)} {_number(view_height)}" '
        f'data-width-mm="{_number(width)}" data-height-mm="{_number(height)}" '
        f'data-bleed-mm="{_number(bleed)}" data-safe-zone-mm="{_number(safe)}" '
        f'data-cut-line-mm="{_number(cut)}" '
        f'font-family="system-ui, sans-serif" font-size="{_number(text_size)}">',
        f'<title id="{element_id}-title">{title}</title>',
        f'<desc id="{element_id}-desc">{escape(describe_side(side, unit))}</desc>',
        _rect("bleed", -bleed, -bleed, width + 2 * bleed, height + 2 * bleed, f'fill="{BLEED_FILL}"'),
        _rect(
            "trim",
            0,
            0,
            width,
            height,
            f'fill="{trim_fill}" stroke="{TRIM_STROKE}" stroke-width="{_number(stroke)}"',
        ),
    ]
    if side.show_safe_zone and safe > 0:
        dash = _number(stroke * 4)
        parts.append(
            _rect(
                "safe-zone",
                safe,
                safe,
                width - 2 * safe,
                height - 2 * safe,
                f'fill="none" stroke="{SAFE_STROKE}" stroke-width="{_number(stroke)}" '
                f'stroke-dasharray="{dash}"',
            )
        )
    if side.show_cut_line:
        dash = f"{_number(stroke * 6)} {_number(stroke * 2)} {_number(stroke)} {_number(stroke * 2)}"
        parts.append(
            _rect(
                "cut-line",
                -cut,
                -cut,
                width + 2 * cut,
                height + 2 * cut,
                f'fill="none" stroke="{CUT_STROKE}" stroke-width="{_number(stroke * 1.5)}" '
                f'stroke-dasharray="{dash}"',
            )
        )
    if side.die_line == "rectangle":
        parts.append(
            f'<path class="die-line" data-part="die-line" '
            f'd="{rectangle_path(width, height, side.die_line_radius_mm)}" {_die_line_style(stroke)}/>'
        )
    parts.append(_dimensions(width, height, bleed, text_size, unit))
    parts.append(_legend_svg(legend_rows, left + text_size, height + bleed + pad, text_size, stroke))
    parts.append("</svg>")
    return "".join(parts)


def mockup_diagram_svg(
    mockup_url: str, mockup_width_px: float, mockup_height_px: float, design_area: dict | None, name: str
) -> str:
    """The mockup image with the design area (where the trim box sits) outlined, in the mockup's pixels."""
    stroke = max(mockup_width_px, mockup_height_px) * 0.006
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="mockup-diagram" role="img" '
        'aria-labelledby="mockup-diagram-title" '
        f'viewBox="0 0 {_number(mockup_width_px)} {_number(mockup_height_px)}">',
        f'<title id="mockup-diagram-title">{escape(_mockup_title(design_area, name))}</title>',
        f'<image href="{escape(mockup_url)}" x="0" y="0" width="{_number(mockup_width_px)}" '
        f'height="{_number(mockup_height_px)}" preserveAspectRatio="xMidYMid meet"/>',
    ]
    if design_area:
        parts.append(
            _rect(
                "design-area",
                design_area["x"],
                design_area["y"],
                design_area["width"],
                design_area["height"],
                f'fill="{DESIGN_AREA_STROKE}" fill-opacity="0.12" stroke="{DESIGN_AREA_STROKE}" '
                f'stroke-width="{_number(stroke)}"',
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def _mockup_title(design_area: dict | None, name: str) -> str:
    if not design_area:
        return f"Mockup of {name}; no design area is placed on it yet"
    return (
        f"Mockup of {name}, design area at x {_number(design_area['x'])}, y {_number(design_area['y'])}, "
        f"{_number(design_area['width'])} × {_number(design_area['height'])} px"
    )


def _rect(name: str, x: float, y: float, width: float, height: float, style: str) -> str:
    return (
        f'<rect class="{name}" data-part="{name}" x="{_number(x)}" y="{_number(y)}" '
        f'width="{_number(width)}" height="{_number(height)}" {style}/>'
    )


def _dimensions(width: float, height: float, bleed: float, text_size: float, unit: str) -> str:
    gap = text_size * 0.5
    return (
        f'<text class="dimension" x="{_number(width / 2)}" y="{_number(-bleed - gap)}" '
        f'text-anchor="middle">{_number(from_mm(width, unit))} {unit}</text>'
        f'<text class="dimension" x="{_number(width + bleed + gap)}" y="{_number(height / 2)}" '
        f'text-anchor="middle" dominant-baseline="hanging" '
        f'transform="rotate(90 {_number(width + bleed + gap)} {_number(height / 2)})">'
        f"{_number(from_mm(height, unit))} {unit}</text>"
    )


def _legend(side) -> list[tuple[str, str]]:
    rows = [("bleed", "Bleed (printed, trimmed off)"), ("trim", "Trim (the finished size)")]
    if side.show_safe_zone and side.safe_zone_mm > 0:
        rows.append(("safe-zone", "Safe zone (keep text inside)"))
    if side.show_cut_line:
        rows.append(("cut-line", "Cut line"))
    if side.die_line == "rectangle":
        rows.append(("die-line", "Die line (CutContour, the cutter's path)"))
    elif side.die_line == "contour":
        rows.append(("die-line", "Die line: around each design's art (CutContour)"))
    return rows


def _die_line_style(stroke: float) -> str:
    """The die line as the editor shows it: dashed process magenta."""
    return (
        f'fill="none" stroke="{CUT_CONTOUR_PREVIEW}" stroke-width="{_number(stroke * 1.5)}" '
        f'stroke-dasharray="{_number(stroke * 6)} {_number(stroke * 3)}"'
    )


def _legend_svg(rows: list[tuple[str, str]], x: float, y: float, text_size: float, stroke: float) -> str:
    swatches = {
        "bleed": f'fill="{BLEED_FILL}"',
        "trim": f'fill="#ffffff" stroke="{TRIM_STROKE}" stroke-width="{_number(stroke)}"',
        "safe-zone": f'fill="none" stroke="{SAFE_STROKE}" stroke-width="{_number(stroke)}" '
        f'stroke-dasharray="{_number(stroke * 4)}"',
        "cut-line": f'fill="none" stroke="{CUT_STROKE}" stroke-width="{_number(stroke * 1.5)}"',
        "die-line": _die_line_style(stroke),
    }
    parts = ['<g class="legend">']
    for index, (name, label) in enumerate(rows):
        row_y = y + text_size * 1.6 * index
        parts.append(
            f'<rect x="{_number(x)}" y="{_number(row_y)}" width="{_number(text_size * 1.4)}" '
            f'height="{_number(text_size)}" {swatches[name]}/>'
        )
        parts.append(
            f'<text x="{_number(x + text_size * 2)}" y="{_number(row_y + text_size * 0.85)}">'
            f"{escape(label)}</text>"
        )
    parts.append("</g>")
    return "".join(parts)
