"""Request and response schemas of the native 3D API (camelCase on the wire)."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from designer.api.schemas import ListQuery, Out, Page, Schema, StoreId, Timestamp
from designer.previews3d.models import EDGE_STYLES, MODEL_STATUSES, PROFILE_MODES
from designer.units import DimensionUnit

ModelStatus = Literal[MODEL_STATUSES]
ProfileMode = Literal[PROFILE_MODES]
EdgeStyle = Literal[EDGE_STYLES]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
ImageFormat = Literal["png", "webp"]
ModelId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


# Models


class ModelUploadForm(Schema):
    """The fields beside a GLB upload (multipart field `file`)."""

    store_id: StoreId = None
    name: Name | None = Field(
        None, description="What the merchant calls it; the file's name without .glb by default"
    )


class ModelUpdate(Schema):
    name: Name


class ValidateQuery(Schema):
    store_id: StoreId = None
    reset: bool = Field(False, description="Validate again even if the model is already active")


class ModelListQuery(ListQuery):
    store_id: StoreId = None
    status: ModelStatus | None = None
    search: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None = Field(
        None, description="Models whose name contains this (any case)"
    )


class TextureOut(Out):
    index: int
    width_px: int
    height_px: int
    mime_type: str | None


class ValidationReport(Schema):
    meshes: int
    primitives: int
    materials: list[str] = Field(description="The materials' names, which a side's mapping may name")
    textures: list[TextureOut]
    size_bytes: int


class ModelOut(Out):
    id: str
    name: str
    filename: str
    size_bytes: int
    sha256: str
    status: ModelStatus = Field(description="uploaded → queued → validating → active | invalid")
    validation_error: str | None = Field(description="Why the model is invalid")
    validation_report: ValidationReport | None
    validator_version: str | None
    content_url: str = Field(description="The GLB itself (model/gltf-binary), for a 3D viewer")
    validated_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp


class ModelPage(Page[ModelOut]):
    pass


# A side's mapping


class UvRegion(Schema):
    """The part of the model's texture space (0..1, origin top left) the side's design covers."""

    u: float = Field(0.0, ge=0, le=1)
    v: float = Field(0.0, ge=0, le=1)
    width: float = Field(1.0, gt=0, le=1)
    height: float = Field(1.0, gt=0, le=1)


class Transform(Schema):
    """The design on its region: moved (a fraction of the region), scaled, rotated."""

    offset_x: float = Field(0.0, ge=-1, le=1)
    offset_y: float = Field(0.0, ge=-1, le=1)
    scale_x: float = Field(1.0, gt=0, le=10)
    scale_y: float = Field(1.0, gt=0, le=10)
    rotation_deg: float = Field(0.0, ge=-360, le=360)


class MappingPut(Schema):
    model_id: ModelId = Field(description="An active model of the store")
    material_name: Name | None = Field(
        None, description="One of the model's materials (its report's `materials`)"
    )
    surface_name: Name | None = None
    uv_region: UvRegion = UvRegion()
    transform: Transform = Transform()
    enabled: bool = True


class MappingOut(Out):
    id: str
    side_id: str
    model_id: str
    material_name: str | None
    surface_name: str | None
    uv_region: UvRegion
    transform: Transform
    enabled: bool
    config_version: int = Field(description="Counts the mapping's changes: part of a cached preview's key")
    model_url: str = Field(description="The model's GLB")
    created_at: Timestamp
    updated_at: Timestamp


# A product's profile


class ProfilePut(Schema):
    mode: ProfileMode = Field(description="`model`: the sides on a GLB model; `edge`: a canvas print's edges")
    enabled: bool = True
    model_id: ModelId | None = Field(None, description="The active model (mode `model`)")
    edge_style: EdgeStyle = "wrap"
    edge_color: HexColor = Field("#ffffff", description="The edges' colour (edge style `solid_color`)")
    edge_depth: float = Field(20.0, ge=0, le=500, description="The edge's depth, in edgeDepthUnit")
    edge_depth_unit: DimensionUnit | None = Field(None, description="The product's dimension unit by default")


class ProfileOut(Out):
    id: str
    product_id: str
    mode: ProfileMode
    enabled: bool
    model_id: str | None
    edge_style: EdgeStyle
    edge_color: str
    edge_depth: float
    edge_depth_unit: DimensionUnit
    config_version: int = Field(description="Bumped on each render-affecting change")
    created_at: Timestamp
    updated_at: Timestamp


class SideConfig(Schema):
    side_id: str
    name: str
    width_mm: float
    height_mm: float
    mapping: MappingOut | None


class Product3DConfig(Schema):
    product_id: str
    enabled: bool
    mode: ProfileMode | None
    profile: ProfileOut | None
    model: ModelOut | None
    sides: list[SideConfig]


class PreviewQuery(Schema):
    store_id: StoreId = None
    edge_style: EdgeStyle | None = Field(None, description="The profile's edge style unless given (edges)")
    edge_color: HexColor | None = None
    width_px: int = Field(
        800, ge=100, le=1600, description="The canvas print's front, or the mug, this many pixels wide"
    )
    format: ImageFormat = Field("png", description="The image's format")


class DesignScene(Schema):
    """What a 3D viewer needs to show a design: the model and where the design lies on it (mode
    `model`), or the edge preview's picture (mode `edge`), and the design's texture."""

    design_id: str
    product_id: str
    mode: ProfileMode
    profile_version: int = Field(description="The profile's config version")
    texture_url: str = Field(description="The design's side as composed (SVG), the texture laid on the model")
    model_url: str | None = Field(description="The GLB (mode `model`, when the design's side is mapped)")
    mapping: MappingOut | None
    edge_preview_url: str | None = Field(description="The edge preview PNG (mode `edge`)")
