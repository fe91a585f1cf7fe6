"""Request and response schemas for templates, projects and (the listing of) designs.

Layers are described in layers.py. Shape is checked here; what depends on the store (the side a
template is for, the product a project personalizes, the fonts, clipart and files layers name) is
checked by the services, which answer 422 naming the field too.
"""

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints, field_validator

from designer.accounts.schemas import Name
from designer.api.schemas import ListQuery, Page, RefId, Schema, StoreId, Timestamp
from designer.designs.layers import Layer, Layers
from designer.products.schemas import Metadata

TemplateStatus = Literal["publish", "draft", "trashed"]
ProjectStatus = Literal["processing", "reviewing", "accepted", "trashed"]
DesignStatus = Literal["processing", "accepted", "declined", "trashed"]

Note = Annotated[str, StringConstraints(max_length=10_000)]
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


# Projects


class Customer(Schema):
    """Who the project is for. All optional: an anonymous customer may start one."""

    email: EmailStr | None = None
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    external_id: Annotated[str, StringConstraints(max_length=200)] | None = Field(
        None, description="The customer's id in your shop"
    )

    @field_validator("email")
    @classmethod
    def _lower_case(cls, value: str | None) -> str | None:
        return value.lower() if value else value


class ProjectCreate(Schema):
    product_id: RefId = Field(description="The product (prd_… or its slug) being personalized")
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    customer: Customer | None = None
    note: Note = ""
    metadata: Metadata = Field(default_factory=dict)


class ProjectUpdate(Schema):
    """The fields to change; those left out keep their value. `customer` and `metadata` are replaced."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = None
    customer: Customer | None = None
    note: Note = None
    metadata: Metadata = None
    status: ProjectStatus = Field(
        None,
        description="processing → reviewing → accepted; reviewing → processing (sent back); "
        "accepted → reviewing (reopened); any → trashed; trashed → processing (restored)",
    )


class ProjectBatchUpdate(ProjectUpdate):
    id: RefId


class ProjectsCreate(Schema):
    projects: list[ProjectCreate] = _BATCH


class ProjectsUpdate(Schema):
    projects: list[ProjectBatchUpdate] = _BATCH


class ProjectOut(Schema):
    id: str
    product_id: str | None = Field(description="null once the product is deleted")
    name: str
    status: ProjectStatus
    customer: Customer | None
    note: str
    metadata: dict
    created_at: Timestamp
    updated_at: Timestamp


class ProjectPage(Page[ProjectOut]):
    pass


class ProjectFilters(Schema):
    store_id: StoreId = None
    status: ProjectStatus | None = Field(None, description="Only projects with this status")
    product_id: str | None = Field(None, max_length=64, description="Only this product's projects")
    customer_email: str | None = Field(None, max_length=320, description="Only this customer's projects")
    customer_external_id: str | None = Field(None, max_length=200)


class ProjectListQuery(ListQuery, ProjectFilters):
    pass


# Designs (their own operations come with the editor; these are the lists PrintCart has)


class DesignOut(Schema):
    id: str
    product_id: str | None
    side_id: str | None
    project_id: str | None
    template_id: str | None
    status: DesignStatus
    layers: list[Layer]
    note: str
    created_at: Timestamp
    updated_at: Timestamp


class DesignPage(Page[DesignOut]):
    pass


class DesignFilters(Schema):
    store_id: StoreId = None
    status: DesignStatus | None = Field(None, description="Only designs with this status")
    side_id: str | None = Field(None, max_length=64, description="Only this side's designs")


class DesignListQuery(ListQuery, DesignFilters):
    pass
