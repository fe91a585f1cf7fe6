"""Request and response schemas for fonts and clipart."""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StringConstraints

from designer.api.schemas import ListQuery, Out, Page, Schema, StoreId, Timestamp

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]
# Tags are compared lower-case ("Shapes" is "shapes").
Tag = Annotated[
    str,
    BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,31}$"),
]
FontStyle = Literal["normal", "italic"]
Weight = Annotated[int, Field(ge=1, le=1000, description="CSS weight: 400 regular, 700 bold")]


# Fonts


class FontOut(Out):
    id: str
    family: str
    style: FontStyle
    weight: int
    full_name: str
    postscript_name: str
    format: Literal["ttf", "otf", "woff", "woff2"]
    size_bytes: int
    glyph_count: int
    scripts: list[str] = Field(description="Writing systems the font covers: latin, arabic, hangul, …")
    filename: str
    library: bool = Field(description="Part of the default library every store starts with")
    licence: str
    file_url: str = Field(description="The font file, for @font-face (cacheable)")
    created_at: Timestamp
    updated_at: Timestamp


class FontPage(Page[FontOut]):
    pass


class DefaultFontListQuery(ListQuery):
    store_id: StoreId = None
    family: Name | None = Field(None, description="Only the faces of this family (exact name)")
    script: str | None = Field(None, max_length=16, description="Only fonts covering this writing system")
    q: str | None = Field(None, max_length=100, description="Family or full name containing this text")


class FontListQuery(DefaultFontListQuery):
    library: bool | None = Field(None, description="true: only default-library fonts; false: only uploads")


class DefaultFontCountQuery(Schema):
    store_id: StoreId = None
    family: Name | None = None
    script: str | None = Field(None, max_length=16)


class FontCountQuery(DefaultFontCountQuery):
    library: bool | None = None


class FontUploadFields(Schema):
    """The form fields sent beside the `file` part; each overrides what the file says."""

    family: Name | None = None
    style: FontStyle | None = None
    weight: Weight | None = None


class FontUpdate(Schema):
    family: Name | None = None
    style: FontStyle | None = None
    weight: Weight | None = None


# Clipart


class ClipartOut(Out):
    id: str
    name: str
    format: Literal["svg", "png"]
    size_bytes: int
    width_px: int | None = Field(description="Intrinsic width (an SVG's user units)")
    height_px: int | None
    recolorable: bool = Field(description="Painted in one colour, so the editor can recolour it")
    color: str | None = Field(description="That one colour (#rrggbb or currentColor)")
    tags: list[str]
    category_ids: list[str]
    library: bool = Field(description="Part of the default library every store starts with")
    file_id: str | None = Field(description="The upload it came from (fil_…); null for the library")
    file_url: str
    print_differing: float | None = Field(
        description="The share of pixels (0 to 1) that print differently from a browser's drawing, "
        "measured at upload; null when not measured (PNG, default library)"
    )
    print_warning: str | None = Field(
        description="What will print differently, in plain words; null: nothing"
    )
    print_as_raster: bool = Field(
        description="Print a 600 dpi picture of the clipart as a browser draws it instead of its vectors"
    )
    created_at: Timestamp
    updated_at: Timestamp


class ClipartPage(Page[ClipartOut]):
    pass


class ClipartList(Schema):
    data: list[ClipartOut]


class DefaultClipartListQuery(ListQuery):
    store_id: StoreId = None
    tag: Tag | None = Field(None, description="Only clipart with this tag (shapes, nature, …)")
    q: str | None = Field(None, max_length=100, description="Name containing this text")


class CategoryClipartListQuery(DefaultClipartListQuery):
    library: bool | None = Field(None, description="true: only default-library clipart; false: only uploads")


class ClipartListQuery(CategoryClipartListQuery):
    category_id: Id | None = Field(None, description="Only clipart in this category")


class DefaultClipartCountQuery(Schema):
    store_id: StoreId = None
    tag: Tag | None = None


class ClipartCountQuery(DefaultClipartCountQuery):
    category_id: Id | None = None
    library: bool | None = None


class ClipartBatchFields(Schema):
    """The form fields sent beside the `files[]` parts; they apply to every file."""

    category_ids: list[Id] = Field(default_factory=list, max_length=50)
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class ClipartUploadFields(ClipartBatchFields):
    """The form fields sent beside the `file` part."""

    name: Name | None = Field(None, description="Defaults to the file's name")


class ClipartUpdate(Schema):
    name: Name | None = None
    category_ids: list[Id] | None = Field(None, max_length=50, description="Replaces the categories")
    tags: list[Tag] | None = Field(None, max_length=20, description="Replaces the tags")
    print_as_raster: bool | None = Field(
        None, description="true: print a 600 dpi picture of the clipart instead of its vectors"
    )
