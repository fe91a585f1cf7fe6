"""3D models, mappings, profiles and a product's or a design's 3D configuration as the API shows them."""

from flask import url_for

from designer.api.schemas import out_of
from designer.designs.models import Design
from designer.previews3d.models import EDGE_MODE, Model3D, Profile3D, SideMapping
from designer.previews3d.previews import Preview3D
from designer.previews3d.schemas import (
    DesignScene,
    MappingOut,
    ModelOut,
    Product3DConfig,
    ProfileOut,
    SideConfig,
    Transform,
    UvRegion,
    ValidationReport,
)
from designer.previews3d.service import mappings_of
from designer.products.models import Product, Side


def model_out(model: Model3D) -> ModelOut:
    report = model.validation_report
    return out_of(
        ModelOut,
        model,
        validation_report=ValidationReport.model_validate(report) if report else None,
        content_url=url_for("api.get_3d_model_content", model_id=model.id),
    )


def mapping_out(mapping: SideMapping) -> MappingOut:
    return out_of(
        MappingOut,
        mapping,
        uv_region=UvRegion.model_validate(mapping.uv_region),
        transform=Transform.model_validate(mapping.transform),
        model_url=url_for("api.get_3d_model_content", model_id=mapping.model_id),
    )


def profile_out(profile: Profile3D) -> ProfileOut:
    return ProfileOut.model_validate(profile)


def config_out(product: Product, sides: list[Side], profile: Profile3D | None) -> Product3DConfig:
    """The product's 3D configuration: its profile (None: no 3D preview), its model, and each of
    `sides` with its mapping."""
    mappings = mappings_of(product.store_id, [side.id for side in sides])
    model = profile.model if profile is not None and profile.mode != EDGE_MODE else None
    return Product3DConfig(
        product_id=product.id,
        enabled=profile is not None and profile.enabled,
        mode=profile.mode if profile else None,
        profile=profile_out(profile) if profile else None,
        model=model_out(model) if model else None,
        sides=[
            SideConfig(
                side_id=side.id,
                name=side.name,
                width_mm=side.width_mm,
                height_mm=side.height_mm,
                mapping=mapping_out(mappings[side.id]) if side.id in mappings else None,
            )
            for side in sides
        ],
    )


def scene_out(design: Design, profile: Profile3D) -> DesignScene:
    mapping = mappings_of(design.store_id, [design.side_id]).get(design.side_id)
    edge = profile.mode == EDGE_MODE
    return DesignScene(
        design_id=design.id,
        product_id=design.product_id,
        mode=profile.mode,
        profile_version=profile.config_version,
        texture_url=url_for("api.get_design_preview", design_id=design.id),
        model_url=url_for("api.get_3d_model_content", model_id=mapping.model_id)
        if mapping and not edge
        else None,
        mapping=mapping_out(mapping) if mapping and not edge else None,
        edge_preview_url=url_for("api.get_design_3d_preview", design_id=design.id) if edge else None,
    )


def preview_url(store_id: str, preview: Preview3D, *, external: bool = False) -> str:
    """Where a drawn preview is served again by its name (the store named, for any browser)."""
    return url_for("api.get_3d_preview_image", name=preview.name, storeId=store_id, _external=external)
