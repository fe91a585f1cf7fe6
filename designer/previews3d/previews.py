"""A design's edge preview: the canvas print it makes, seen in 3D (edges.py), as a PNG.

The design is composed for print (exactly what prints, bleed included) and drawn with the PDF's
own drawing (rendering.render_png), its bleed cut off, so the front is the design's trim box at
the asked width. The PNG is cached in storage under the hash of everything that decides it: the
profile and its config version, the edge style and colour, the width, and the design's print
composition (its SVG, trim and bleed). The same design under the same profile is drawn once; a
changed design, or a changed profile (whose version then goes up), is drawn anew.
"""

import hashlib
import io
from dataclasses import dataclass

from PIL import Image

from designer.designs.models import Design
from designer.editing.service import compose_design
from designer.errors import Conflict, NotFound
from designer.files.storage import StoredObjectMissing, storage
from designer.previews3d.edges import edge_view
from designer.previews3d.models import EDGE_MODE, Profile3D
from designer.previews3d.service import find_profile
from designer.rendering.pdf import RenderError, render_png
from designer.rendering.renders import print_page
from designer.units import to_mm

# Part of every cache key: drawing the edges differently must not serve the old pictures.
DRAWING_VERSION = "edges-1"


@dataclass(frozen=True)
class EdgePreview:
    png: bytes
    input_hash: str
    cache_hit: bool


def edge_preview(
    design: Design, *, style: str | None = None, color: str | None = None, width_px: int = 800
) -> EdgePreview:
    """The design's canvas print in 3D, `width_px` wide across its trim box; the profile's edge
    style and colour unless given. Served from the cache when it was drawn before.

    Raises Conflict when the design's product has no enabled edge profile, the edge is too deep
    for the print, or the design cannot be drawn; NotFound when its side was deleted.
    """
    profile = _edge_profile(design)
    style = style or profile.edge_style
    color = (color or profile.edge_color).lower()
    composition = compose_design(design, mode="print", linked_files=True)
    if composition is None:
        raise NotFound(f"Design '{design.id}' has no side to preview: its side was deleted")
    page = print_page(design, composition)
    digest = hashlib.sha256(
        f"{DRAWING_VERSION} {profile.id} {profile.config_version} {style} {color} {width_px} "
        f"{page.width_mm!r} {page.height_mm!r} {page.bleed_mm!r}\n".encode()
    )
    digest.update(composition.svg.encode())
    input_hash = digest.hexdigest()
    key = f"{design.store_id}/previews3d/{input_hash}.png"
    try:
        return EdgePreview(storage().read(key), input_hash, cache_hit=True)
    except StoredObjectMissing:
        pass
    png = _draw(page, profile, style, color, width_px)
    storage().save(key, png, "image/png")
    return EdgePreview(png, input_hash, cache_hit=False)


def _edge_profile(design: Design) -> Profile3D:
    try:
        profile = find_profile(design.store_id, design.product_id)
    except NotFound:
        profile = None
    if profile is None or not profile.enabled or profile.mode != EDGE_MODE:
        raise Conflict(
            f"Product '{design.product_id}' has no enabled 3D edge profile: put one with mode 'edge'"
        )
    return profile


def _draw(page, profile: Profile3D, style: str, color: str, width_px: int) -> bytes:
    px_per_mm = width_px / page.width_mm
    try:
        flat = render_png(page, max(1, round(page.bleed_w_mm * px_per_mm)))
    except RenderError as error:
        raise Conflict(f"The design cannot be drawn: {error}") from None
    with Image.open(io.BytesIO(flat)) as picture:
        bleed_px = round(page.bleed_mm * px_per_mm)
        trim = (bleed_px, bleed_px, bleed_px + width_px, bleed_px + round(page.height_mm * px_per_mm))
        design = picture.convert("RGBA").crop(trim)
    depth_px = round(to_mm(profile.edge_depth, profile.edge_depth_unit) * px_per_mm)
    try:
        view = edge_view(design, depth_px, style, color)
    except ValueError as error:
        raise Conflict(f"The 3D profile's edge cannot be drawn: {error}") from None
    output = io.BytesIO()
    view.save(output, format="PNG")
    return output.getvalue()
