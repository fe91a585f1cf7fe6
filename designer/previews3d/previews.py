"""A design's 3D preview as an image: a canvas print's front and edges (edges.py) for a product
whose 3D profile is an edge, the design wrapped on the mug (wrap.py) for one on a model.

The design is composed for print (exactly what prints, bleed included) and drawn with the PDF's
own drawing (rendering.render_png), its bleed cut off, so the picture is the design's trim box.
The image is cached in storage under the hash of everything that decides it: the drawing's
version, the profile and its config version (the side's mapping and its version on a model), the
edge style and colour, the size and format asked, and the design's print composition (its SVG,
trim and bleed). The same design under the same profile is drawn once; a changed design, or a
changed profile or mapping (whose version then goes up), is drawn anew. `cached_preview` serves
a drawn image again by its hash (its name), which never changes what it names.
"""

import hashlib
import io
import math
import re
from dataclasses import dataclass

from PIL import Image

from designer.designs.models import Design
from designer.editing.service import compose_design
from designer.errors import Conflict, NotFound
from designer.files.storage import StoredObjectMissing, storage
from designer.previews3d.edges import edge_view
from designer.previews3d.models import EDGE_MODE, Profile3D, SideMapping
from designer.previews3d.schemas import Transform, UvRegion
from designer.previews3d.service import mappings_of, profile_of
from designer.previews3d.wrap import mug_view, texture
from designer.products.models import Side
from designer.rendering.pdf import RenderError, render_png
from designer.rendering.renders import print_page
from designer.units import to_mm

# Part of every cache key: drawing the previews differently must not serve the old pictures.
DRAWING_VERSION = "previews3d-2"
MEDIA_TYPES = {"png": "image/png", "webp": "image/webp"}
_NAME = re.compile(r"^([0-9a-f]{64})\.(png|webp)$")


@dataclass(frozen=True)
class Preview3D:
    image: bytes
    image_format: str  # png or webp
    input_hash: str
    cache_hit: bool

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.image_format]

    @property
    def name(self) -> str:
        """The image's name in the cache: its hash and format."""
        return f"{self.input_hash}.{self.image_format}"


def design_preview(
    design: Design,
    *,
    style: str | None = None,
    color: str | None = None,
    width_px: int = 800,
    fit: tuple[int, int] | None = None,
    image_format: str = "png",
    reset: bool = False,
) -> Preview3D:
    """The design in 3D: a canvas print's front `width_px` wide with its edges (the profile's
    edge style and colour unless given), or the mug `width_px` wide; made smaller to fit within
    `fit` (width, height) when given. Served from the cache when it was drawn before, unless
    `reset`.

    Raises Conflict when the design's product has no enabled 3D profile, its side is not mapped
    onto the profile's model, the edge is too deep for the print, or the design cannot be drawn;
    NotFound when its side was deleted.
    """
    profile = _enabled_profile(design)
    mapping = None if profile.mode == EDGE_MODE else _mapping(design)
    if profile.mode == EDGE_MODE:
        style = style or profile.edge_style
        color = (color or profile.edge_color).lower()
        drawn = f"edge {style} {color}"
    else:
        drawn = f"model {mapping.id} {mapping.config_version}"
    composition = compose_design(design, mode="print", linked_files=True)
    if composition is None:
        raise NotFound(f"Design '{design.id}' has no side to preview: its side was deleted")
    page = print_page(design, composition)
    digest = hashlib.sha256(
        f"{DRAWING_VERSION} {profile.id} {profile.config_version} {drawn} {width_px} {fit} {image_format} "
        f"{page.width_mm!r} {page.height_mm!r} {page.bleed_mm!r}\n".encode()
    )
    digest.update(composition.svg.encode())
    input_hash = digest.hexdigest()
    key = _key(design.store_id, f"{input_hash}.{image_format}")
    if not reset:
        try:
            return Preview3D(storage().read(key), image_format, input_hash, cache_hit=True)
        except StoredObjectMissing:
            pass
    view = _mug(page, mapping, width_px) if mapping else _edges(page, profile, style, color, width_px)
    if fit is not None:
        view.thumbnail(fit, Image.Resampling.LANCZOS)
    output = io.BytesIO()
    view.save(output, format=image_format.upper(), **({"lossless": True} if image_format == "webp" else {}))
    storage().save(key, output.getvalue(), MEDIA_TYPES[image_format])
    return Preview3D(output.getvalue(), image_format, input_hash, cache_hit=False)


def side_preview(side: Side, **options) -> Preview3D:
    """The side in 3D as it starts, before a customer designs on it (its background, no layers),
    as `design_preview` draws a design (the same options, the same refusals)."""
    return design_preview(
        Design(
            store_id=side.store_id,
            product_id=side.product_id,
            side_id=side.id,
            product=side.product,
            side=side,
            layers=[],
        ),
        **options,
    )


def cached_preview(store_id: str, name: str) -> Preview3D:
    """A preview drawn before, by its name (`<hash>.png` or `.webp`). Raises NotFound for a name
    that names none of the store's."""
    match = _NAME.match(name)
    if match is None:
        raise NotFound(f"No 3D preview named '{name}'")
    try:
        image = storage().read(_key(store_id, name))
    except StoredObjectMissing:
        raise NotFound(f"No 3D preview named '{name}'") from None
    return Preview3D(image, match[2], match[1], cache_hit=True)


def _key(store_id: str, name: str) -> str:
    return f"{store_id}/previews3d/{name}"


def _enabled_profile(design: Design) -> Profile3D:
    profile = profile_of(design.store_id, design.product_id)
    if profile is None or not profile.enabled:
        raise Conflict(
            f"Product '{design.product_id}' has no enabled 3D profile: put one (mode 'edge' or 'model')"
        )
    return profile


def _mapping(design: Design) -> SideMapping:
    mapping = mappings_of(design.store_id, [design.side_id]).get(design.side_id)
    if mapping is None or not mapping.enabled:
        raise Conflict(f"Side '{design.side_id}' is not mapped onto the 3D model: put its 3D mapping")
    return mapping


def _flat(page, width_px: int) -> Image.Image:
    """The design's trim box, `width_px` wide, RGBA, printed on white (what it leaves bare)."""
    px_per_mm = width_px / page.width_mm
    try:
        flat = render_png(page, max(1, round(page.bleed_w_mm * px_per_mm)))
    except RenderError as error:
        raise Conflict(f"The design cannot be drawn: {error}") from None
    with Image.open(io.BytesIO(flat)) as picture:
        bleed_px = round(page.bleed_mm * px_per_mm)
        trim = (bleed_px, bleed_px, bleed_px + width_px, bleed_px + round(page.height_mm * px_per_mm))
        printed = Image.new("RGBA", picture.size, "white")
        printed.alpha_composite(picture.convert("RGBA"))
        return printed.crop(trim)


def _edges(page, profile: Profile3D, style: str, color: str, width_px: int) -> Image.Image:
    depth_px = round(to_mm(profile.edge_depth, profile.edge_depth_unit) * width_px / page.width_mm)
    try:
        return edge_view(_flat(page, width_px), depth_px, style, color)
    except ValueError as error:
        raise Conflict(f"The 3D profile's edge cannot be drawn: {error}") from None


def _mug(page, mapping: SideMapping, width_px: int) -> Image.Image:
    """The mug `width_px` wide: the design drawn as wide as the mug's front half shows it."""
    region = UvRegion.model_validate(mapping.uv_region)
    move = Transform.model_validate(mapping.transform)
    design_px = max(1, round(width_px * math.pi * region.width))
    laid = texture(
        _flat(page, design_px),
        (region.u, region.v, region.width, region.height),
        (move.offset_x, move.offset_y, move.scale_x, move.scale_y, move.rotation_deg),
    )
    return mug_view(laid, width_px)
