"""Request and response schemas for products, their sides and personalization rules.

Sizes in a side are in the product's dimension unit (`mm`, `cm` or `inch`); the services convert
them to the millimetres the database keeps. Shape is checked here; what depends on the unit, on
other fields or on the store (bounds in millimetres, the safe zone inside the trim, references to
the store's files, fonts, categories and products) is checked by the services, which answer 422
naming the field too.
"""

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from designer.accounts.schemas import Name
from designer.api.schemas import (
    Description,
    Filters,
    ListQuery,
    Out,
    Page,
    RefId,
    Schema,
    Slug,
    StoreId,
    Timestamp,
)
from designer.categories.schemas import CategoryBrief
from designer.composer.checks import DEFAULT_INK_LIMIT_PERCENT
from designer.units import DimensionUnit

ProductStatus = Literal["publish", "draft", "trashed"]
ProductType = Literal["simple", "variant", "variant_option"]
SideStatus = Literal["publish", "draft", "trashed"]
BackgroundType = Literal["color", "image", "transparent"]
DieLine = Literal["none", "rectangle", "contour"]
FileType = Literal["jpg", "png", "pdf", "svg", "webp", "tiff", "gif"]
FILE_TYPES: tuple[str, ...] = FileType.__args__
ColorMode = Literal["rgb", "cmyk"]
RenderingIntent = Literal["perceptual", "relative", "saturation", "absolute"]

Color = Annotated[
    str,
    StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$"),
    Field(description="A colour as #rrggbb"),
]
# Finite and positive; the bounds in millimetres are checked once the unit is known.
Length = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Margin = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Scale = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]
Position = Annotated[int, Field(ge=0, le=10_000)]


def _without_blanks(values):
    # A form sends an empty hidden field so that unticking every box still says "none".
    if isinstance(values, list):
        return [value for value in values if value != ""]
    return values


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


# Personalization


class LayerRule(Schema):
    """What a customer may do with one layer of the product's templates, found by id or name."""

    layer_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        None, description="The template layer's id (lyr_…)"
    )
    layer_name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        None, description="The template layer's name, for rules that hold across templates"
    )
    max_chars: int | None = Field(None, ge=1, le=10_000, description="Most characters a text layer takes")
    required: bool = Field(False, description="The customer must fill the layer before saving")
    locked: bool = Field(False, description="The customer may not move, edit or delete the layer")

    @model_validator(mode="after")
    def _names_one_layer(self):
        if (self.layer_id is None) == (self.layer_name is None):
            raise ValueError("give exactly one of layerId and layerName")
        return self


class Viewport(Schema):
    """The editor's drawing area for the product, in screen pixels, and its zoom in per cent
    (PrintCart's viewport_width, viewport_height and scale)."""

    width: int = Field(ge=1, le=20_000)
    height: int = Field(ge=1, le=20_000)
    scale: int = Field(100, ge=1, le=10_000)


class Personalization(Schema):
    """What a customer may do when personalizing the product. Every field has a default."""

    enable_design: bool = Field(True, description="Customers can design in the editor")
    enable_upload: bool = Field(True, description="Customers can upload their own files")
    allowed_file_types: list[FileType] = Field(
        default_factory=lambda: list(FILE_TYPES), min_length=1, description="What customers may upload"
    )
    max_files: int = Field(10, ge=1, le=100, description="Most files a customer may upload per design")
    max_upload_bytes: int = Field(
        25 * 1024 * 1024, ge=1, le=1024**3, description="Largest file a customer may upload, in bytes"
    )
    min_image_dpi: int = Field(
        150, ge=0, le=2400, description="Images below this effective resolution get a warning (0: none)"
    )
    min_text_size: float = Field(
        6,
        ge=0,
        le=72,
        allow_inf_nan=False,
        description="Text drawn smaller than this, in points, gets a warning before print (0: none)",
    )
    max_total_ink: float = Field(
        DEFAULT_INK_LIMIT_PERCENT,
        ge=100,
        le=400,
        allow_inf_nan=False,
        description="Colours whose separation through the print profile (the product's CMYK profile, "
        "else FOGRA39) takes more ink than this, C+M+Y+K in percent, get a warning before print",
    )
    allowed_font_ids: list[RefId] = Field(
        default_factory=list, max_length=200, description="The store's fonts customers may use (empty: all)"
    )
    allowed_colors: list[Color] = Field(
        default_factory=list, max_length=200, description="The colours customers may use (empty: any)"
    )
    layer_rules: list[LayerRule] = Field(default_factory=list, max_length=200)
    crop_marks: bool = Field(
        False, description="Print-ready PDFs get crop marks, in a 10 mm slug around the bleed"
    )
    color_mode: ColorMode = Field(
        "rgb", description="Print-ready PDFs in RGB (sRGB output intent) or CMYK (the colour profile's)"
    )
    color_profile_file_id: RefId | None = Field(
        None,
        description="The printer's ICC profile for CMYK (a file of purpose color_profile); none: the "
        "store's default profile (its colorProfileFileId), else FOGRA39",
    )
    rendering_intent: RenderingIntent = Field("relative", description="How RGB colours map into CMYK")
    black_text_as_k: bool = Field(True, description="Pure black prints as 100 % K, not a rich black")
    convert_images: bool = Field(
        True,
        description="CMYK: RGB photos are separated through the profile; false: kept as they are, in "
        "ICCBased sRGB, for the printer's RIP to convert (smaller files, no JPEG re-encoding)",
    )
    viewport: Viewport | None = Field(None, description="The editor's drawing area (none: fit the side)")

    @field_validator("allowed_file_types", "allowed_font_ids", mode="before")
    @classmethod
    def _drop_blanks(cls, values):
        return _without_blanks(values)

    @field_validator("allowed_colors", mode="before")
    @classmethod
    def _split_colors(cls, values):
        # A form's one text field holds them all: "#ff0000, #00aa00".
        if isinstance(values, list) and all(isinstance(value, str) for value in values):
            return [color for value in values for color in value.replace(",", " ").split()]
        return values

    @field_validator("allowed_file_types", "allowed_font_ids")
    @classmethod
    def _dedupe(cls, values: list[str]) -> list[str]:
        return _unique(values)

    @field_validator("allowed_colors")
    @classmethod
    def _lower_case(cls, values: list[str]) -> list[str]:
        return _unique(value.lower() for value in values)

    @field_validator("layer_rules")
    @classmethod
    def _one_rule_per_layer(cls, rules: list[LayerRule]) -> list[LayerRule]:
        seen = set()
        for rule in rules:
            key = ("id", rule.layer_id) if rule.layer_id else ("name", rule.layer_name)
            if key in seen:
                raise ValueError(f"two rules for the layer {key[1]!r}")
            seen.add(key)
        return rules


class PersonalizationUpdate(Personalization):
    """The personalization fields to change; those left out keep their value.

    (The lists are declared as lists with no default so that dashboard forms may send several
    values; leave a field out rather than sending null.)"""

    enable_design: bool = None
    enable_upload: bool = None
    allowed_file_types: list[FileType] = Field(None, min_length=1)
    max_files: int = Field(None, ge=1, le=100)
    max_upload_bytes: int = Field(None, ge=1, le=1024**3)
    min_image_dpi: int = Field(None, ge=0, le=2400)
    min_text_size: float = Field(None, ge=0, le=72, allow_inf_nan=False)
    max_total_ink: float = Field(None, ge=100, le=400, allow_inf_nan=False)
    allowed_font_ids: list[RefId] = Field(None, max_length=200)
    allowed_colors: list[Color] = Field(None, max_length=200)
    layer_rules: list[LayerRule] = Field(None, max_length=200)
    crop_marks: bool = None
    color_mode: ColorMode = None
    color_profile_file_id: RefId | None = None
    rendering_intent: RenderingIntent = None
    black_text_as_k: bool = None
    convert_images: bool = None
    viewport: Viewport = None


# Sides


class DesignArea(Schema):
    """Where the trim box sits on the mockup image, in the mockup's pixels."""

    x: float = Field(ge=0, allow_inf_nan=False)
    y: float = Field(ge=0, allow_inf_nan=False)
    width: float = Field(gt=0, allow_inf_nan=False)
    height: float = Field(gt=0, allow_inf_nan=False)


def _design_area_from_text(value):
    # A dashboard form sends the rectangle as one field, "x, y, width, height".
    if isinstance(value, str):
        parts = [part.strip() for part in value.replace(";", ",").split(",")]
        if len(parts) != 4:
            raise ValueError("give the design area as x, y, width, height (in mockup pixels)")
        return dict(zip(("x", "y", "width", "height"), parts, strict=True))
    return value


class SideFields(Schema):
    """A side as given when creating it. Sizes are in the product's dimension unit."""

    name: Name
    position: Position | None = Field(None, description="Order among the product's sides (default: last)")
    status: SideStatus = "publish"
    width: Length = Field(description="Trim width, in the product's unit")
    height: Length = Field(description="Trim height, in the product's unit")
    bleed: Margin = Field(0, description="Bleed beyond the trim on each edge")
    safe_zone: Margin = Field(0, description="Safe-zone margin inside the trim on each edge")
    show_safe_zone: bool = True
    show_cut_line: bool = True
    cut_line_margin: Margin = Field(0, description="How far outside the trim the cut line runs (≤ bleed)")
    die_line: DieLine = Field(
        "none",
        description="The cut path printed in the CutContour spot colour: none, rectangle (the trim, "
        "corners rounded by dieLineRadius) or contour (around the artwork at dieLineOffset, for die-cut "
        "stickers)",
    )
    die_line_radius: Margin = Field(0, description="The rectangle die line's corner radius")
    die_line_offset: Margin = Field(0, description="How far outside the artwork the contour die line runs")
    background_type: BackgroundType = "transparent"
    background_color: Color | None = Field(None, description="Required when backgroundType is color")
    background_file_id: RefId | None = Field(None, description="Required when backgroundType is image")
    background_printed: bool = Field(True, description="Whether the background is part of the print")
    overlay_file_id: RefId | None = Field(None, description="An image drawn over the design (a frame)")
    show_overlay: bool = True
    overlay_printed: bool = False
    mockup_file_id: RefId | None = Field(None, description="A photo of the product (a shirt, a mug)")
    design_area: DesignArea | None = Field(
        None, description="Where the trim box sits on the mockup, in its pixels (needs mockupFileId)"
    )
    scale: Scale = Field(1, description="How large the editor draws the side relative to its mockup")

    @field_validator("design_area", mode="before")
    @classmethod
    def _design_area_text(cls, value):
        return _design_area_from_text(value)

    @field_validator("background_color")
    @classmethod
    def _lower_case(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class SideCreate(SideFields):
    product_id: RefId = Field(description="The product (prd_…) the side belongs to")


class SideUpdate(SideFields):
    """The fields to change; those left out keep their value. Null clears the optional references."""

    name: Name = None
    status: SideStatus = None
    width: Length = None
    height: Length = None
    bleed: Margin = None
    safe_zone: Margin = None
    show_safe_zone: bool = None
    show_cut_line: bool = None
    cut_line_margin: Margin = None
    die_line: DieLine = None
    die_line_radius: Margin = None
    die_line_offset: Margin = None
    background_type: BackgroundType = None
    background_printed: bool = None
    show_overlay: bool = None
    overlay_printed: bool = None
    scale: Scale = None


class SideBatchUpdate(SideUpdate):
    id: RefId


class SideOut(Out):
    id: str
    product_id: str
    name: str
    position: int
    status: str
    dimension_unit: DimensionUnit = Field(description="The unit of every size below (the product's)")
    width: float
    height: float
    bleed: float
    safe_zone: float
    show_safe_zone: bool
    show_cut_line: bool
    cut_line_margin: float
    die_line: str
    die_line_radius: float
    die_line_offset: float
    background_type: str
    background_color: str | None
    background_file_id: str | None
    background_printed: bool
    overlay_file_id: str | None
    show_overlay: bool
    overlay_printed: bool
    mockup_file_id: str | None
    design_area: DesignArea | None
    scale: float
    created_at: Timestamp
    updated_at: Timestamp


class SidePage(Page[SideOut]):
    pass


class SideFilters(Filters):
    store_id: StoreId = None
    product_id: str | None = Field(None, max_length=64, description="Only this product's sides")
    status: SideStatus | None = Field(None, description="Only sides with this status")


class SideListQuery(ListQuery, SideFilters):
    sort: Literal["asc", "desc"] = "asc"
    sort_by: str = Field("position", max_length=32)


class ProductSidesQuery(ListQuery, Filters):
    store_id: StoreId = None
    status: SideStatus | None = Field(None, description="Only sides with this status")
    sort: Literal["asc", "desc"] = "asc"
    sort_by: str = Field("position", max_length=32)


class SidesCreate(Schema):
    sides: list[SideCreate] = Field(min_length=1, max_length=100)


class SidesUpdate(Schema):
    sides: list[SideBatchUpdate] = Field(min_length=1, max_length=100)


class SideOrder(Schema):
    side_ids: list[RefId] = Field(
        min_length=1, max_length=100, description="Every side of the product, in the new order"
    )


# Products

Metadata = Annotated[
    dict[
        Annotated[str, StringConstraints(min_length=1, max_length=40)],
        Annotated[str, StringConstraints(max_length=500)] | int | float | bool | None,
    ],
    Field(max_length=50, description="Up to 50 keys of your own, with short text, number or boolean values"),
]


class ProductFields(Schema):
    name: Name
    slug: Slug | None = Field(None, description="Generated from the name when left out")
    description: Description = ""
    status: ProductStatus = "publish"
    type: ProductType = Field("simple", description="variant_option needs parentId, a variant product")
    parent_id: RefId | None = Field(None, description="The variant product (prd_…) this is an option of")
    dimension_unit: DimensionUnit = Field(description="The unit of every size of the product's sides")
    dpi: int = Field(300, ge=72, le=2400, description="Print resolution of raster output")
    category_ids: list[RefId] = Field(default_factory=list, max_length=50)
    image_file_id: RefId | None = Field(None, description="The product's picture (fil_…)")
    metadata: Metadata = Field(default_factory=dict)
    personalization: Personalization = Field(default_factory=Personalization)

    @field_validator("category_ids", mode="before")
    @classmethod
    def _drop_blanks(cls, values):
        return _without_blanks(values)


class ProductCreate(ProductFields):
    sides: list[SideFields] = Field(default_factory=list, max_length=20)


class ProductUpdate(ProductFields):
    """The fields to change; those left out keep their value. Sides change through the side routes.

    `personalization` changes the rules it names and keeps the others; `categoryIds` replaces the
    product's categories; null clears `parentId` and `imageFileId`."""

    name: Name = None
    slug: Slug = None
    description: Description = None
    status: ProductStatus = None
    type: ProductType = None
    dimension_unit: DimensionUnit = Field(
        None, description="Changes how sizes are shown; the sides keep their physical size"
    )
    dpi: int = Field(None, ge=72, le=2400)
    category_ids: list[RefId] = Field(None, max_length=50)
    metadata: Metadata = None
    personalization: PersonalizationUpdate = None


class ProductBatchUpdate(ProductUpdate):
    id: RefId


class ProductOut(Out):
    id: str
    slug: str
    name: str
    description: str
    status: str
    type: str
    parent_id: str | None
    dimension_unit: str
    dpi: int
    category_ids: list[str]
    categories: list[CategoryBrief]
    image_file_id: str | None
    metadata: dict[str, Any]
    personalization: Personalization
    sides: list[SideOut]
    editor_url: str = Field(description="Opens the customer editor on this product")
    created_at: Timestamp
    updated_at: Timestamp


class ProductPage(Page[ProductOut]):
    pass


class ProductFilters(Filters):
    store_id: StoreId = None
    status: ProductStatus | None = Field(
        None, description="Only this status (public callers see only publish, and may ask only for it)"
    )
    q: str | None = Field(None, max_length=200, description="Search in names and slugs")
    category_id: str | None = Field(None, max_length=64, description="Only products in this category")
    type: ProductType | None = None
    parent_id: str | None = Field(None, max_length=64, description="Only the options of this variant")


class ProductListQuery(ListQuery, ProductFilters):
    pass


class ProductsCreate(Schema):
    products: list[ProductCreate] = Field(min_length=1, max_length=100)


class ProductsUpdate(Schema):
    products: list[ProductBatchUpdate] = Field(min_length=1, max_length=100)


class CategoryProductsQuery(ListQuery, Filters):
    store_id: StoreId = None
    status: ProductStatus | None = None
