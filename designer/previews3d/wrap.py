"""A side's design on a mug (or any model its side wraps around once), seen from the front and a
little above, drawn with numpy (pure: a picture in, a picture out). The server's still of a
model-mode product: what a client without WebGL, a mail or a cart shows.

`texture` lays the design out as the editor's 3D view does (static/js/editor/view3d.js): on a
white texture, in the mapping's UV region, moved, scaled and turned about the region's centre.
`mug_view` wraps that texture once around a cylinder whose circumference is the texture's width
(the mug's wrap goes once around) and draws its front half: the viewer faces the texture's middle
(u = 0.5; the demo mug's handle, at u = 0, is behind). A column x across the cylinder (−1 … 1)
shows the texture at u = 0.5 + asin(x) / 2π, shaded by how squarely the surface faces the
viewer; the rim is an ellipse, and the inside seen through it a darker glaze. Transparent around.
"""

import math

import numpy as np
from PIL import Image

ELEVATION_RAD = 0.3  # the viewer a little above the rim
MARGIN_PX = 8
INSIDE_RGB = (206, 206, 200)
# Light from the viewer: the front keeps the design's colour, the sides darken towards this.
SIDE_SHADE = 0.55


def texture(
    design: Image.Image,
    region: tuple[float, float, float, float],
    transform: tuple[float, float, float, float, float],
) -> Image.Image:
    """The texture the side's `design` (RGBA) makes: `region` is (u, v, width, height) in UV space
    (0..1), `transform` (offset x, offset y, scale x, scale y, rotation in degrees), the offsets a
    fraction of the region. The design fills the region before it is moved, scaled and turned."""
    u, v, region_w, region_h = region
    offset_x, offset_y, scale_x, scale_y, rotation_deg = transform
    width_px, height_px = round(design.width / region_w), round(design.height / region_h)
    box_w, box_h = region_w * width_px, region_h * height_px
    placed = design.resize((max(1, round(box_w * scale_x)), max(1, round(box_h * scale_y))))
    # The canvas turns clockwise for a positive angle (its y runs down); Pillow anticlockwise.
    placed = placed.rotate(-rotation_deg, resample=Image.Resampling.BICUBIC, expand=True)
    centre_x = u * width_px + box_w / 2 + offset_x * box_w
    centre_y = v * height_px + box_h / 2 + offset_y * box_h
    laid = Image.new("RGB", (width_px, height_px), "white")
    laid.paste(placed, (round(centre_x - placed.width / 2), round(centre_y - placed.height / 2)), placed)
    return laid


def mug_view(wrap: Image.Image, width_px: int) -> Image.Image:
    """The cylinder `wrap` goes once around, `width_px` wide across, in RGBA (its outline
    smoothed by how much of each pixel it covers)."""
    radius = width_px / 2
    height = wrap.height * (2 * math.pi * radius) / wrap.width  # the cylinder's height, unfolded
    rim = radius * math.sin(ELEVATION_RAD)  # the rim ellipse's half height
    out_w = round(2 * radius + 2 * MARGIN_PX)
    out_h = round(height * math.cos(ELEVATION_RAD) + 2 * rim + 2 * MARGIN_PX)
    xs = ((np.arange(out_w) + 0.5 - MARGIN_PX - radius) / radius).astype(np.float32)
    ys = (np.arange(out_h) + 0.5 - MARGIN_PX - rim).astype(np.float32)[:, None]  # from the rim's centre
    facing = np.sqrt(np.clip(1 - xs**2, 0, 1))  # z: 1 at the front, 0 at the sides
    along = (ys - rim * facing) / math.cos(ELEVATION_RAD)  # down the wall from the front rim
    sides = np.clip((1 - np.abs(xs)) * radius + 0.5, 0, 1)
    wall = np.clip(along + 0.5, 0, 1) * np.clip(height - along + 0.5, 0, 1) * sides
    opening = np.clip((1 - np.sqrt(xs**2 + (ys / rim) ** 2)) * rim + 0.5, 0, 1) * (1 - wall) * sides

    columns = ((0.5 + np.arcsin(np.clip(xs, -1, 1)) / (2 * math.pi)) * wrap.width).astype(np.intp)
    rows = (np.clip(along / height, 0, 1) * (wrap.height - 1)).astype(np.intp)
    texels = np.asarray(wrap.convert("RGB"))[rows, np.clip(columns, 0, wrap.width - 1)]
    shade = (SIDE_SHADE + (1 - SIDE_SHADE) * facing)[:, None]
    inside = np.array(INSIDE_RGB, dtype=np.float32) * (0.75 + 0.25 * facing)[:, None]
    colour = texels * (shade * wall[..., None]) + inside * opening[..., None]
    alpha = wall + opening
    picture = np.dstack((colour / np.maximum(alpha, 1e-6)[..., None], alpha * 255))
    return Image.fromarray(np.clip(picture + 0.5, 0, 255).astype(np.uint8), "RGBA")
