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
SUPERSAMPLE = 2
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
    """The cylinder `wrap` goes once around, `width_px` wide across, in RGBA."""
    scale = SUPERSAMPLE
    radius = width_px * scale / 2
    height = wrap.height * (2 * math.pi * radius) / wrap.width  # the cylinder's height, unfolded
    rim = radius * math.sin(ELEVATION_RAD)  # the rim ellipse's half height
    body = height * math.cos(ELEVATION_RAD)
    margin = MARGIN_PX * scale
    out_w, out_h = round(2 * radius + 2 * margin), round(body + 2 * rim + 2 * margin)
    xs = (np.arange(out_w) + 0.5 - margin - radius) / radius
    ys = np.arange(out_h)[:, None] + 0.5 - margin - rim  # from the rim ellipse's centre
    across = np.abs(xs) < 1
    facing = np.sqrt(np.clip(1 - xs**2, 0, 1))  # z: 1 at the front, 0 at the sides
    along = (ys - rim * facing) / math.cos(ELEVATION_RAD)  # down the wall from the front rim
    surface = across & (along >= 0) & (along < height)
    opening = across & ~surface & (xs**2 + (ys / rim) ** 2 <= 1)

    texels = np.asarray(wrap.convert("RGB"), dtype=np.float32)
    columns = ((0.5 + np.arcsin(np.clip(xs, -1, 1)) / (2 * math.pi)) * wrap.width).astype(int)
    rows = np.clip(along / height * wrap.height, 0, wrap.height - 1).astype(int)
    columns = np.broadcast_to(np.clip(columns, 0, wrap.width - 1), rows.shape)
    shade = SIDE_SHADE + (1 - SIDE_SHADE) * facing
    picture = np.zeros((out_h, out_w, 4), dtype=np.float32)
    picture[..., :3] = texels[rows, columns] * np.broadcast_to(shade, rows.shape)[..., None]
    picture[..., 3] = np.where(surface, 255, 0)
    inside = (
        np.array(INSIDE_RGB, dtype=np.float32)
        * (0.75 + 0.25 * np.broadcast_to(facing, rows.shape))[..., None]
    )
    picture[..., :3] = np.where(opening[..., None], inside, picture[..., :3])
    picture[..., 3] = np.where(opening, 255, picture[..., 3])
    drawn = Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8), "RGBA")
    return drawn.resize((round(out_w / scale), round(out_h / scale)), Image.Resampling.LANCZOS)
