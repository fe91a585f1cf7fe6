"""A canvas print seen in 3D: its front face and the two edges a viewer below and to the right
sees, drawn with Pillow's affine transforms (pure: a picture in, a picture out).

The front is drawn flat and upright at MARGIN_PX from the top left; each edge leaves the front's
right or bottom border and recedes towards the viewer, down and to the right, by the edge's depth
(an oblique view), shaded so the block reads as solid. What an edge shows is the print's style:
- `wrap`: the design wraps over the stretcher bars: a band as deep as the edge is taken from each
  side of the design and folded onto its edge, so the front shows the design inside those bands;
- `mirror`: the front shows the whole design and each edge its border band reflected, as if the
  picture went on in a mirror at the corner;
- `solid_color`: the front shows the whole design, the edges a plain colour.
The background is transparent.
"""

from PIL import Image, ImageColor

from designer.previews3d.models import MIRROR, SOLID_COLOR, WRAP

MARGIN_PX = 8
# How much light each edge gets, against the front's: a plain multiplier on each channel.
RIGHT_EDGE_SHADE = 0.82
BOTTOM_EDGE_SHADE = 0.66


def edge_view(design: Image.Image, depth_px: int, style: str, color: str = "#ffffff") -> Image.Image:
    """The print in 3D from its flat `design` (RGBA, the trim box), with edges `depth_px` deep.

    Raises ValueError when the edge is as deep as half the design (nothing would be left of the
    front to wrap) or the style is unknown.
    """
    width_px, height_px = design.size
    if style == WRAP and 2 * depth_px >= min(width_px, height_px):
        raise ValueError("The edge is too deep for the print: wrapping it would leave no front")
    if style not in (WRAP, MIRROR, SOLID_COLOR):
        raise ValueError(f"Unknown edge style '{style}'")
    front, right, bottom = _faces(design.convert("RGBA"), depth_px, style, color)
    front_w, front_h = front.size
    view = Image.new("RGBA", (front_w + depth_px + 2 * MARGIN_PX, front_h + depth_px + 2 * MARGIN_PX))
    view.paste(front, (MARGIN_PX, MARGIN_PX))
    right_origin = (MARGIN_PX + front_w, MARGIN_PX)
    bottom_origin = (MARGIN_PX, MARGIN_PX + front_h)
    _lay(view, _shaded(right, RIGHT_EDGE_SHADE), right_origin, depth_px, along_x=False)
    _lay(view, _shaded(bottom, BOTTOM_EDGE_SHADE), bottom_origin, depth_px, along_x=True)
    return view


def _faces(design: Image.Image, depth: int, style: str, color: str):
    """The front, the right edge (depth × front height, its first column at the corner) and the
    bottom edge (front width × depth, its first row at the corner)."""
    width, height = design.size
    if style == WRAP:
        front = design.crop((depth, depth, width - depth, height - depth))
        right = design.crop((width - depth, depth, width, height - depth))
        bottom = design.crop((depth, height - depth, width - depth, height))
        return front, right, bottom
    if style == MIRROR:
        right = design.crop((width - depth, 0, width, height)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        bottom = design.crop((0, height - depth, width, height)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        return design, right, bottom
    fill = ImageColor.getrgb(color)
    return design, Image.new("RGBA", (depth, height), fill), Image.new("RGBA", (width, depth), fill)


def _shaded(face: Image.Image, shade: float) -> Image.Image:
    red, green, blue, alpha = face.split()
    dimmed = [band.point(lambda value: round(value * shade)) for band in (red, green, blue)]
    return Image.merge("RGBA", (*dimmed, alpha))


def _lay(view: Image.Image, face: Image.Image, origin: tuple[int, int], depth: int, *, along_x: bool) -> None:
    """Draw `face` as the parallelogram that leaves the front's border at `origin` and recedes
    by `depth` down and to the right. Each output point (X, Y) reads the face at (u, v):
    the right edge at u = X − ox, v = (Y − oy) − (X − ox); the bottom edge at
    u = (X − ox) − (Y − oy), v = Y − oy."""
    ox, oy = origin
    coefficients = (1, -1, oy - ox, 0, 1, -oy) if along_x else (1, 0, -ox, -1, 1, ox - oy)
    transform = (view.size, Image.Transform.AFFINE, coefficients)
    layer = face.transform(*transform, resample=Image.Resampling.NEAREST)
    coverage = Image.new("L", face.size, 255).transform(*transform, resample=Image.Resampling.NEAREST)
    view.paste(layer, (0, 0), coverage)
