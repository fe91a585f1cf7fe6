"""PrintCart's request and response bodies (printcart-openapi.yaml), snake_case as PrintCart
writes them. Shape is checked here; every rule of the domain is the native services' (called by
printcart/translate.py), whose refusals name these fields too."""

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import ConfigDict, EmailStr, Field, StringConstraints

from designer.accounts.schemas import Name, Password
from designer.schema import Out, Schema

Unit = Literal["inch", "cm"]
Status = Literal["publish", "draft", "trashed"]
FileType = Literal["jpg", "png", "ai", "pdf", "svg", "ps"]
Platform = Literal["shopify", "woocommerce", "magento"]
Key = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Number = Annotated[float, Field(allow_inf_nan=False)]


class PrintCartSchema(Schema):
    """Snake_case on the wire (PrintCart's own names), unknown fields refused."""

    model_config = ConfigDict(alias_generator=None)


class PrintCartOut(Out):
    """What a PrintCart response shows, snake_case too (see designer/schema.py `Out`)."""

    model_config = ConfigDict(alias_generator=None)


Item = TypeVar("Item")


class One(PrintCartOut, Generic[Item]):
    data: Item
    message: str


class Links(PrintCartOut):
    first: str | None = None
    last: str | None = None
    prev: str | None = None
    next: str | None = None


class Meta(PrintCartOut):
    path: str
    per_page: int
    next_cursor: str | None = None


class Many(PrintCartOut, Generic[Item]):
    """One page of a list: cursor pagination, so `links.next` (and `meta.next_cursor`) lead on
    while more follow; there is no `last`."""

    data: list[Item]
    links: Links
    meta: Meta
    message: str


class Batch(PrintCartOut, Generic[Item]):
    data: list[Item]
    message: str


class CountData(PrintCartOut):
    count: int


class Counted(PrintCartOut):
    data: CountData
    message: str


class Done(PrintCartOut):
    message: str


class ListParams(PrintCartSchema):
    """The query string every list takes."""

    limit: int = Field(20, ge=1, description="How many items to return (at most 100)")
    sort: Literal["asc", "desc"] = "desc"
    sort_by: str = Field("id", alias="sortBy", max_length=32)
    cursor: str | None = Field(None, max_length=200, description="links.next's cursor, for the next page")


class StatusListParams(ListParams):
    status: Status = "publish"


class IdItem(PrintCartSchema):
    id: Id


# Account


class AccountIn(PrintCartSchema):
    name: Name
    email: EmailStr
    password: Password


class AccountUpdateIn(PrintCartSchema):
    name: Name | None = None
    email: EmailStr | None = None


class AccountOut(PrintCartOut):
    id: str
    name: str
    email: str
    created_at: str
    updated_at: str


class AccountCreated(PrintCartOut):
    user: AccountOut


# Stores


class StoreUpdateIn(PrintCartSchema):
    store_name: Name | None = None
    google_font_api: Key | None = Field(None, description="Google Fonts API key (kept secret)")
    unsplash: Key | None = Field(None, description="Unsplash API key (kept secret)")
    pixabay: Key | None = Field(None, description="Pixabay API key (kept secret)")
    pexels: Key | None = Field(None, description="Pexels API key (kept secret)")
    shop_url: Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://")] | None = None
    integration_type: Platform | None = None


class StoreIn(StoreUpdateIn):
    store_name: Name


class StoreOut(PrintCartOut):
    id: str
    name: str
    sid: str | None = Field(None, description="The store's id: the user of its Basic credentials")
    secret: str | None = Field(
        None,
        description="A secret token (sk_…), the password of its Basic credentials: shown once, at creation",
    )
    unauth_token: str | None = None
    google_font_api: str | None = Field(None, description="The key's last characters only")
    shop_url: str | None = None
    view_store_url: str | None = None
    integration_type: str | None = None
    is_integrated: bool
    unsplash_key: str | None = None
    pixabay_key: str | None = None
    pexels_key: str | None = None
    timezone: str
    created_at: str
    updated_at: str


class UnauthTokenOut(PrintCartOut):
    unauth_token: str


# Images (as products and sides show theirs)


class Thumbnails(PrintCartSchema):
    small: str | None = None
    medium: str | None = None
    custom: str | None = None


class ImageOut(PrintCartOut):
    id: str
    name: str
    url: str
    thumbnails: Thumbnails | None = None
    alt: str
    width: int | None = None
    height: int | None = None
    created_at: str
    updated_at: str


class ImageForm(PrintCartSchema):
    """The multipart form's fields beside the image(s)."""

    type: Literal["cliparts", "designs"] | None = Field(
        None, description="What the image is for (none: an upload)"
    )
    custom_width: int | None = Field(None, description="The thumbnail's largest side, in pixels")


# Products


class ProductFieldsIn(PrintCartSchema):
    dynamic_side: bool | None = None
    viewport_width: Number | None = None
    viewport_height: Number | None = None
    scale: Number | None = None
    dpi: int | None = None
    dimension_unit: Unit | None = None
    status: Status | None = None
    allowed_file_types: list[FileType] | None = None
    enable_design: bool | None = None
    enable_upload: bool | None = None
    enable_pod: bool | None = None
    product_image_id: Id | None = None
    max_file_upload: int | None = None
    min_jpg_dpi: int | None = None
    description: str | None = None
    category_ids: list[Id] | None = Field(None, description="Category ids (storage ids)")
    upload_max_filesize: int | None = Field(None, description="Largest file a customer may upload, in MB")
    metadata: dict[str, Any] | list[Any] | None = None


class ProductUpdateIn(ProductFieldsIn):
    name: Name | None = None


class ProductIn(ProductFieldsIn):
    name: Name
    type_id: Literal["simple", "variant", "variant_option"] | None = None
    parent_id: Id | None = None


class ProductBatchIn(PrintCartSchema):
    products: list[ProductIn] = Field(min_length=1, max_length=100)


class ProductBatchItem(ProductUpdateIn):
    id: Id


class ProductBatchUpdateIn(PrintCartSchema):
    products: list[ProductBatchItem] = Field(min_length=1, max_length=100)


class ProductBatchDeleteIn(PrintCartSchema):
    products: list[IdItem] = Field(min_length=1, max_length=100)


class ProductOut(PrintCartOut):
    id: str
    name: str
    slug: str
    description: str
    type_id: str
    parent_id: str | None = None
    category_ids: list[str]
    dynamic_side: bool
    viewport_width: int | None = None
    viewport_height: int | None = None
    scale: int | None = None
    dpi: int
    dimension_unit: Unit
    status: Status
    allowed_file_types: list[str]
    max_file_upload: int
    min_jpg_dpi: int
    enable_design: bool
    enable_upload: bool
    enable_pod: bool
    upload_max_filesize: int | None = None
    product_image: ImageOut | None = None
    metadata: dict[str, Any] | None = None
    created_at: str
    updated_at: str


# Sides


class Size(PrintCartSchema):
    width: Number
    height: Number


class Area(PrintCartSchema):
    width: Number
    height: Number
    top: Number
    left: Number


class Margin(PrintCartSchema):
    x: Number
    y: Number


class SideFieldsIn(PrintCartSchema):
    product_id: Id | None = None
    name: Name | None = None
    bg_type: Literal["color", "image", "transparent"] | None = None
    bg_color_value: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    img_overlay_id: Id | None = None
    scale: Number | None = None
    background_included: bool | None = None
    show_overlay: bool | None = None
    include_overlay: bool | None = None
    side_image_size: Size | None = Field(None, description="The side's print size, in the product's unit")
    design_area: Area | None = Field(
        None, description="Where the print area sits on the side image, in its pixels"
    )
    show_cut_line: bool | None = None
    cut_line_margin: Margin | None = Field(None, description="The bleed beyond the cut line (x = y)")
    show_safe_zone: bool | None = None
    safe_zone_margin: Margin | None = Field(None, description="The safe zone inside the cut line (x = y)")
    side_image_id: Id | None = None
    status: Status | None = None


class SideIn(SideFieldsIn):
    product_id: Id
    name: Name
    scale: Number
    side_image_id: Id


class SideUpdateIn(SideFieldsIn):
    pass


class SideBatchIn(PrintCartSchema):
    sides: list[SideIn] = Field(min_length=1, max_length=100)


class SideBatchItem(SideFieldsIn):
    id: Id


class SideBatchUpdateIn(PrintCartSchema):
    sides: list[SideBatchItem] = Field(min_length=1, max_length=100)


class SideBatchDeleteIn(PrintCartSchema):
    sides: list[IdItem] = Field(min_length=1, max_length=100)


class SideOut(PrintCartOut):
    id: str
    product_id: str
    name: str
    scale: float
    dimension_unit: Unit
    status: Status
    design_area: Area | None = None
    show_cut_line: bool
    cut_line_margin: Margin
    show_safe_zone: bool
    safe_zone_margin: Margin
    side_image_size: Size
    side_image: ImageOut | None = None
    product: ProductOut
    bg_type: str
    bg_color_value: str | None = None
    img_overlay: ImageOut | None = None
    background_included: bool
    show_overlay: bool
    include_overlay: bool
    created_at: str
    updated_at: str


# Storages (Presswork's categories)


class StorageUpdateIn(PrintCartSchema):
    name: Name | None = None
    parent_id: Id | None = Field(None, description="The parent storage")


class StorageIn(StorageUpdateIn):
    name: Name


class StorageOut(PrintCartOut):
    id: str
    name: str
    parent_storage_id: str | None = None
    created_at: str
    updated_at: str


# Fonts


class FontIn(PrintCartSchema):
    """A font registered by its URL (a TTF, OTF, WOFF or WOFF2 file): its name is the family
    (default: the file's); its alias, type and subset are the file's, refused when they differ."""

    name: Name
    alias: str
    url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    type: str | None = None
    subset: str


class FontUpdateIn(PrintCartSchema):
    """What of a font PrintCart may change: its name (the family). Its alias, url, type and subset
    are read from the font's file."""

    name: Name | None = None
    alias: str | None = None
    url: str | None = None
    type: str | None = None
    subset: str | None = None


class FontOut(PrintCartOut):
    id: str
    name: str
    alias: str
    url: str
    type: str
    subset: str
    created_at: str
    updated_at: str


# Cliparts


class ClipartUpdateIn(PrintCartSchema):
    storages: list[Id] | None = Field(None, max_length=50, description="Storage ids (replace the clipart's)")


class ClipartOut(PrintCartOut):
    id: str
    name: str
    url: str
    thumbnails: Thumbnails | None = None
    alt: str
    width: int | None = None
    height: int | None = None
    storages: list[str]
    created_at: str
    updated_at: str


class ClipartForm(PrintCartSchema):
    """A clipart upload takes its file alone."""


# Projects

ProjectStatus = Literal["processing", "reviewing", "accepted", "trashed"]


class ProjectParams(ListParams):
    status: ProjectStatus | None = None
    s: str | None = Field(None, max_length=200, description="Search projects by name")


class ProjectUpdateIn(PrintCartSchema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    status: ProjectStatus | None = None
    note: str | None = None


class ProjectIn(PrintCartSchema):
    """A project: no product yet, its designs may be on several."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
    status: ProjectStatus = "processing"
    note: str = ""


class ProjectBatchIn(PrintCartSchema):
    projects: list[ProjectIn] = Field(min_length=1, max_length=100)


class ProjectFolderIn(PrintCartSchema):
    """A project filed in a folder: one of the store's storages (categories)."""

    category_id: Id
    project_id: Id | None = None


class ProjectBatchItem(ProjectUpdateIn):
    id: Id


class ProjectBatchUpdateIn(PrintCartSchema):
    projects: list[ProjectBatchItem] = Field(min_length=1, max_length=100)


class ProjectBatchDeleteIn(PrintCartSchema):
    projects: list[IdItem] = Field(min_length=1, max_length=100)


class ProjectOut(PrintCartOut):
    id: str
    name: str
    status: ProjectStatus
    note: str
    product_id: str | None = None
    created_at: str
    updated_at: str


# Webhooks

WebhookEvent = Literal["POST", "PUT", "DELETE", "POST BATCH", "PUT BATCH", "DELETE BATCH"]
WebhookTopic = Literal["projects", "products", "designs", "templates", "sides"]


class WebhookUpdateIn(PrintCartSchema):
    event: WebhookEvent | None = None
    callback_url: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)] | None
    ) = None
    topic: WebhookTopic | None = None


class WebhookIn(WebhookUpdateIn):
    event: WebhookEvent = "POST"
    callback_url: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
    topic: WebhookTopic


class WebhookOut(PrintCartOut):
    id: str
    event: str | None = None
    callback_url: str
    topic: str | None = None
    # The signing secret (whsec_…), answered once, when the webhook is created.
    secret: str | None = None
    created_at: str
    updated_at: str


# Designs (read, counted and deleted here; made and edited in the editor or through /api/v1)


class OutputOptions(PrintCartSchema):
    dpi: int
    dimension_unit: Unit


class Viewport(PrintCartSchema):
    width: float
    height: float


class DesignOut(PrintCartOut):
    id: str
    note: str
    status: str
    side: SideOut | None = None
    product: ProductOut | None = None
    project: ProjectOut | None = None
    design_image: ImageOut | None = Field(None, description="The design's proof, once rendered")
    original_output_options: OutputOptions | None = None
    viewport: Viewport | None = None
    layers: list[dict] | None = Field(
        None, description="The design's layers in pixels of the product's DPI (one design, not in lists)"
    )
    created_at: str
    updated_at: str


DesignStatus = Literal["accepted", "processing", "declined", "trashed"]
Layers = Annotated[
    list[Any], Field(max_length=200, description="Canvas objects, in pixels of the product's DPI")
]


class DesignFieldsIn(PrintCartSchema):
    """A design's fields (layers translated by printcart/layers.py). Presswork renders a design's
    images itself and keeps its viewport on the product: `preview_image_id`, `design_image_id`,
    `is_uploader` and a viewport other than the product's are refused naming the field."""

    project_id: Id | None = None
    side_id: Id | None = None
    preview_image_id: Id | None = None
    design_image_id: Id | None = None
    note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    is_uploader: bool = False
    layers: Layers | None = None
    status: DesignStatus | None = None
    viewport_width: Number | None = None
    viewport_height: Number | None = None


class DesignIn(DesignFieldsIn):
    side_id: Id


class DesignUpdateIn(DesignFieldsIn):
    pass


class DesignBatchIn(PrintCartSchema):
    designs: list[DesignIn] = Field(min_length=1, max_length=100)


class DesignBatchUpdateItem(DesignFieldsIn):
    id: Id


class DesignBatchUpdateIn(PrintCartSchema):
    designs: list[DesignBatchUpdateItem] = Field(min_length=1, max_length=100)


class DesignBatchDeleteIn(PrintCartSchema):
    designs: list[IdItem] = Field(min_length=1, max_length=100)


# Templates (read, counted and deleted here; made in the template editor or through /api/v1)


class TemplateOut(PrintCartOut):
    id: str
    name: str
    note: str
    status: Status
    is_default: bool
    side: SideOut | None = None
    product: ProductOut | None = None
    original_output_options: OutputOptions | None = None
    viewport: Viewport | None = None
    layers: list[dict] | None = Field(
        None, description="The template's layers in pixels of the product's DPI (one template, not in lists)"
    )
    created_at: str
    updated_at: str


class TemplateFieldsIn(PrintCartSchema):
    """A template's fields: `note` is its name. A template belongs to its side, not a project;
    Presswork renders its images itself and keeps its viewport on the product (refused as for a
    design)."""

    project_id: Id | None = None
    side_id: Id | None = None
    preview_image_id: Id | None = None
    template_image_id: Id | None = None
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    layers: Layers | None = None
    viewport_width: Number | None = None
    viewport_height: Number | None = None


class TemplateIn(TemplateFieldsIn):
    side_id: Id


class TemplateUpdateIn(TemplateFieldsIn):
    pass


class TemplateBatchIn(PrintCartSchema):
    templates: list[TemplateIn] = Field(min_length=1, max_length=100)


class TemplateBatchUpdateItem(TemplateFieldsIn):
    id: Id


class TemplateBatchUpdateIn(PrintCartSchema):
    templates: list[TemplateBatchUpdateItem] = Field(min_length=1, max_length=100)


class TemplateBatchDeleteIn(PrintCartSchema):
    templates: list[IdItem] = Field(min_length=1, max_length=100)


# 3D


ProfileMode3D = Literal["edge_preview", "model_preview", "hybrid"]
EdgeStyle3D = Literal["wrap", "mirror", "blur", "solid_color", "blurred_mirror"]
DepthUnit = Literal["mm", "cm", "in"]
ModelStatus3D = Literal["uploaded", "queued", "validating", "active", "failed"]
Text255 = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class Profile3DIn(PrintCartSchema):
    mode: ProfileMode3D | None = Field(
        None, description="edge_preview, or model_preview on the profile's model"
    )
    enabled: bool | None = None
    edge_style_default: EdgeStyle3D | None = Field(
        None, description="Presswork draws wrap, mirror, solid_color"
    )
    edge_depth: Annotated[float, Field(ge=0, le=50, allow_inf_nan=False)] | None = None
    edge_depth_unit: DepthUnit | None = Field(None, description="The product's unit unless given")


class Profile3DOut(PrintCartOut):
    id: str
    product_id: str
    mode: str
    enabled: bool
    edge_style_default: str
    edge_color: str
    edge_depth: float
    edge_depth_unit: str
    config_version: int = Field(
        description="Bumped on render-affecting changes; part of the render cache key"
    )
    created_at: str
    updated_at: str


class Model3DOut(PrintCartOut):
    id: str
    name: str
    file_name: str
    file_extension: str
    file_size: int
    source_url: str = Field(description="The GLB itself (model/gltf-binary)")
    status: ModelStatus3D
    validation_report: dict | None = None
    validation_error: str | None = None
    validator_version: str | None = None
    validated_at: str | None = None
    created_at: str
    updated_at: str


class Model3DListParams(ListParams):
    limit: int = Field(24, ge=1, description="How many models to return (at most 100)")
    status: ModelStatus3D | None = None
    search: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None = None


class Model3DUpdateIn(PrintCartSchema):
    name: Text255 | None = None
    metadata: dict | None = Field(None, description="Not kept by Presswork: refused unless null")


class Model3DIn(Model3DUpdateIn):
    name: Text255
    source_image_id: Id = Field(description="The store's uploaded GLB file (.glb, at most 25 MB)")


class ResetIn(PrintCartSchema):
    reset: bool = Field(False, description="Do it again even if it was done")


class Mapping3DIn(PrintCartSchema):
    model_id: Id = Field(description="An active 3D model of the store")
    surface_name: Text255 | None = None
    material_name: Text255 | None = Field(None, description="One of the model's materials")
    mapping: dict | None = Field(
        None, description="The UV region the side covers: u, v, width, height (0..1)"
    )
    transform: dict | None = Field(
        None, description="offset_x, offset_y (a fraction of the region), scale_x, scale_y, rotation_deg"
    )
    camera: dict | None = Field(None, description="Not kept by Presswork (its viewer frames the model)")
    enabled: bool | None = None


class Mapping3DOut(PrintCartOut):
    id: str
    side_id: str
    model: Model3DOut
    surface_name: str | None = None
    material_name: str | None = None
    mapping: dict
    transform: dict
    enabled: bool
    config_version: int
    created_at: str
    updated_at: str


class Surface3D(PrintCartSchema):
    surface_type: str = Field(description="front (a canvas print's face) or material (on the model)")
    mesh_name: str | None = None


class Side3DOut(PrintCartOut):
    side_id: str
    name: str
    side_image_size: Size
    design_area: Area | None = None
    cut_line_margin: Margin
    safe_zone_margin: Margin
    mapping: Surface3D | None = None


class Config3DOut(PrintCartOut):
    product_id: str
    enabled: bool
    mode: str | None = None
    profile: Profile3DOut | None = None
    model: Model3DOut | None = None
    sides: list[Side3DOut]


class Output3D(PrintCartSchema):
    format: Literal["webp", "png"] = "png"
    width: int | None = Field(None, ge=100, le=1600, description="The image's width at most")
    height: int | None = Field(None, ge=100, le=1600, description="The image's height at most")


class EdgePreviewIn(ResetIn):
    product_id: Id
    side_id: Id
    design_id: Id | None = Field(None, description="The design drawn; the side as it starts without one")
    artwork_url: Annotated[str, StringConstraints(max_length=2000)] | None = Field(
        None, description="Not taken by Presswork, which draws the design itself: refused unless null"
    )
    edge_style: EdgeStyle3D | None = None
    edge_color: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    output: Output3D = Output3D()


class Preview3DOut(PrintCartOut):
    status: Literal["ready", "failed"]
    name: str
    url: str = Field(description="The image, served for good by its name")
    cache_hit: bool
    input_hash: str
