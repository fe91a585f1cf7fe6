"""Products and sides as the API shows them: in responses, and in events' data."""

from designer.categories.schemas import CategoryBrief
from designer.composer import Side as ComposerSide
from designer.products.models import Product, Side
from designer.products.schemas import (
    DesignArea,
    Personalization,
    ProductOut,
    SideOut,
)
from designer.products.urls import editor_url
from designer.units import from_mm


def side_out(side: Side, unit: str | None = None) -> SideOut:
    """`side` with its sizes in `unit` (default: its product's dimension unit)."""
    unit = unit or side.product.dimension_unit
    return SideOut(
        id=side.id,
        product_id=side.product_id,
        name=side.name,
        position=side.position,
        status=side.status,
        dimension_unit=unit,
        width=from_mm(side.width_mm, unit),
        height=from_mm(side.height_mm, unit),
        bleed=from_mm(side.bleed_mm, unit),
        safe_zone=from_mm(side.safe_zone_mm, unit),
        show_safe_zone=side.show_safe_zone,
        show_cut_line=side.show_cut_line,
        cut_line_margin=from_mm(side.cut_line_mm, unit),
        background_type=side.background_type,
        background_color=side.background_color,
        background_file_id=side.background_file_id,
        background_printed=side.background_printed,
        overlay_file_id=side.overlay_file_id,
        show_overlay=side.show_overlay,
        overlay_printed=side.overlay_printed,
        mockup_file_id=side.mockup_file_id,
        design_area=DesignArea.model_validate(side.design_area) if side.design_area else None,
        scale=side.scale,
        created_at=side.created_at,
        updated_at=side.updated_at,
    )


def product_out(product: Product, sides: list[Side] | None = None) -> ProductOut:
    """`product` with its categories, personalization rules and sides (all of them, or `sides`)."""
    sides = product.sides if sides is None else sides
    return ProductOut(
        id=product.id,
        slug=product.slug,
        name=product.name,
        description=product.description,
        status=product.status,
        type=product.type,
        parent_id=product.parent_id,
        dimension_unit=product.dimension_unit,
        dpi=product.dpi,
        category_ids=[category.id for category in product.categories],
        categories=[CategoryBrief.model_validate(category) for category in product.categories],
        image_file_id=product.image_file_id,
        metadata=product.meta or {},
        personalization=Personalization.model_validate(product.personalization or {}),
        sides=[side_out(side, product.dimension_unit) for side in sides],
        editor_url=editor_url(product),
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def composer_side(side: Side) -> ComposerSide:
    """The side as the composer takes it: plain values, sizes in millimetres."""
    return ComposerSide(
        id=side.id,
        width_mm=side.width_mm,
        height_mm=side.height_mm,
        bleed_mm=side.bleed_mm,
        safe_zone_mm=side.safe_zone_mm,
        show_safe_zone=side.show_safe_zone,
        show_cut_line=side.show_cut_line,
        cut_line_mm=side.cut_line_mm,
        background_type=side.background_type,
        background_color=side.background_color,
        background_file_id=side.background_file_id,
        background_printed=side.background_printed,
        overlay_file_id=side.overlay_file_id,
        show_overlay=side.show_overlay,
        overlay_printed=side.overlay_printed,
        mockup_file_id=side.mockup_file_id,
        design_area=dict(side.design_area) if side.design_area else side.design_area,
    )
