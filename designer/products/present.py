"""Products and sides as the API shows them: in responses, and in events' data."""

from dataclasses import fields

from designer.api.schemas import out_of
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
    return out_of(
        SideOut,
        side,
        dimension_unit=unit,
        width=from_mm(side.width_mm, unit),
        height=from_mm(side.height_mm, unit),
        bleed=from_mm(side.bleed_mm, unit),
        safe_zone=from_mm(side.safe_zone_mm, unit),
        cut_line_margin=from_mm(side.cut_line_mm, unit),
        die_line_radius=from_mm(side.die_line_radius_mm, unit),
        die_line_offset=from_mm(side.die_line_offset_mm, unit),
        design_area=DesignArea.model_validate(side.design_area) if side.design_area else None,
    )


def product_out(product: Product, sides: list[Side] | None = None) -> ProductOut:
    """`product` with its categories, personalization rules and sides (all of them, or `sides`)."""
    sides = product.sides if sides is None else sides
    return out_of(
        ProductOut,
        product,
        category_ids=[category.id for category in product.categories],
        categories=[CategoryBrief.model_validate(category) for category in product.categories],
        metadata=product.meta or {},
        personalization=Personalization.model_validate(product.personalization or {}),
        sides=[side_out(side, product.dimension_unit) for side in sides],
        editor_url=editor_url(product),
    )


def composer_side(side: Side) -> ComposerSide:
    """The side as the composer takes it: plain values, sizes in millimetres."""
    values = {field.name: getattr(side, field.name) for field in fields(ComposerSide)}
    if side.design_area:
        values["design_area"] = dict(side.design_area)
    return ComposerSide(**values)
