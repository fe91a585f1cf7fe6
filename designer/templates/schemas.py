"""Request and response schemas for templates.

Layers are described in composer/layers.py. Shape is checked here; what depends on the store (the
side a template is for, the fonts, clipart and files layers name) is checked by the service, which
answers 422 naming the field too.
"""

from typing import Literal

from pydantic import Field

from designer.accounts.schemas import Name
from designer.api.schemas import ListQuery, Out, Page, RefId, Schema, StoreId, Timestamp
from designer.composer.layers import Layer, Layers
from designer.editing.schemas import ProblemOut

TemplateStatus = Literal["publish", "draft", "trashed"]

_BATCH = Field(min_length=1, max_length=100)


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


class TemplateOut(Out):
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
