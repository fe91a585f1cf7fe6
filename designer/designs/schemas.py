"""Request and response schemas for templates and designs.

Layers are described in layers.py. Shape is checked here; what depends on the store (the side a
template is for, the product a project personalizes, the fonts, clipart and files layers name) is
checked by the services, which answer 422 naming the field too.
"""

from typing import Literal

from pydantic import Field

from designer.accounts.schemas import Name
from designer.api.schemas import ListQuery, Page, RefId, Schema, StoreId, Timestamp
from designer.composer.layers import Layer, Layers
from designer.editing.schemas import ProblemOut
from designer.projects.schemas import Note, ProjectOut

TemplateStatus = Literal["publish", "draft", "trashed"]
DesignStatus = Literal["processing", "accepted", "declined", "trashed"]

_BATCH = Field(min_length=1, max_length=100)


# Templates


class TemplateCreate(Schema):
    side_id: RefId = Field(description="The side (sid_…) the template is for; its product is the template's")
    name: Name
    layers: Layers = Field(default_factory=list)
    status: TemplateStatus = Field("publish", description="Only published templates reach the storefront")
    is_default: bool = Field(
        False, description="The template a customer starts from on the side; setting it unsets the others'"
    )


class TemplateUpdate(Schema):
    """The fields to change; those left out keep their value."""

    name: Name = None
    layers: Layers = None
    status: TemplateStatus = None
    is_default: bool = None


class TemplateBatchUpdate(TemplateUpdate):
    id: RefId


class TemplateDuplicate(Schema):
    name: Name | None = Field(None, description="Default: the original's name with “(copy)”")
    side_id: RefId | None = Field(
        None, description="Another side (sid_…) to copy it to; default: the same side"
    )


class TemplatesCreate(Schema):
    templates: list[TemplateCreate] = _BATCH


class TemplatesUpdate(Schema):
    templates: list[TemplateBatchUpdate] = _BATCH


class TemplateOut(Schema):
    id: str
    product_id: str
    side_id: str
    name: str
    status: TemplateStatus
    is_default: bool
    layers: list[Layer]
    can_undo: bool
    can_redo: bool
    problems: list[ProblemOut] | None = Field(
        None, description="What the composer finds; given after a layer change, undo or redo (else null)"
    )
    created_at: Timestamp
    updated_at: Timestamp


class TemplatePage(Page[TemplateOut]):
    pass


class TemplateFilters(Schema):
    store_id: StoreId = None
    status: TemplateStatus | None = Field(None, description="Only templates with this status")
    is_default: bool | None = Field(None, description="Only the default templates (or only the others)")


class SideTemplatesQuery(ListQuery, TemplateFilters):
    pass


class ProductTemplatesQuery(ListQuery, TemplateFilters):
    side_id: str | None = Field(None, max_length=64, description="Only this side's templates")


class TemplateListQuery(ProductTemplatesQuery):
    product_id: str | None = Field(None, max_length=64, description="Only this product's templates")


class TemplateCountQuery(TemplateFilters):
    product_id: str | None = Field(None, max_length=64, description="Only this product's templates")
    side_id: str | None = Field(None, max_length=64, description="Only this side's templates")


# Designs


class DesignOut(Schema):
    id: str
    store_id: str
    product_id: str | None
    side_id: str | None
    project_id: str | None
    template_id: str | None
    status: DesignStatus
    layers: list[Layer]
    note: str
    problems: list[ProblemOut] | None = Field(
        description="What the composer finds now (null in lists and for a design whose side is gone)"
    )
    can_undo: bool
    can_redo: bool
    editor_url: str | None = Field(
        description="Opens the customer editor on the design's project for whoever holds the link"
    )
    preview_url: str = Field(description="The side as composed, an SVG (?mode=preview or print)")
    proof_url: str = Field(description="The proof PNG, once the design is completed and it is rendered")
    created_at: Timestamp
    updated_at: Timestamp


class DesignPage(Page[DesignOut]):
    pass


class DesignCreate(Schema):
    product_id: RefId = Field(description="The product (prd_… or its slug)")
    side_id: RefId = Field(description="The product's side (sid_…) the design is for")
    template_id: RefId | None = Field(
        None, description="The side's template to start from (tpl_…); default: the side's default template"
    )
    project_id: RefId | None = Field(
        None, description="The project (prj_…) of the product the design belongs to; default: a new one"
    )
    layers: Layers | None = Field(
        None,
        description="The layers to start with instead of the template's (checked against its locks); "
        "without a template they may carry no locks or rules",
    )
    note: Note = ""


class DesignUpdate(Schema):
    """The fields to change; those left out keep their value. `layers` replaces the whole list."""

    layers: Layers = None
    note: Note = None
    status: DesignStatus = Field(None, description="Set by the merchant (account or secret token)")


class DesignReset(Schema):
    template_id: RefId | None = Field(
        None, description="Another template of the side to start again from; default: the design's own"
    )


class DesignFilters(Schema):
    store_id: StoreId = None
    status: DesignStatus | None = Field(None, description="Only designs with this status")
    side_id: str | None = Field(None, max_length=64, description="Only this side's designs")


class DesignListQuery(ListQuery, DesignFilters):
    pass


class AllDesignsFilters(DesignFilters):
    product_id: str | None = Field(None, max_length=64, description="Only this product's designs (id)")
    project_id: str | None = Field(None, max_length=64, description="Only this project's designs")
    template_id: str | None = Field(
        None, max_length=64, description="Only designs started from this template"
    )


class AllDesignsQuery(ListQuery, AllDesignsFilters):
    pass


class PreviewQuery(Schema):
    store_id: StoreId = None
    mode: Literal["preview", "print"] = Field(
        "preview", description="preview: with the guides and the mockup; print: exactly what prints"
    )


class ProofStatus(Schema):
    status: Literal["queued", "rendering"]


class ProjectCompletion(Schema):
    project: ProjectOut
    designs: list[DesignOut]
