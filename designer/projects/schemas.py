"""Request and response schemas for projects."""

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints, field_validator

from designer.api.schemas import ListQuery, Out, Page, RefId, Schema, StoreId, Timestamp
from designer.products.schemas import Metadata

ProjectStatus = Literal["processing", "reviewing", "accepted", "trashed"]

Note = Annotated[str, StringConstraints(max_length=10_000)]
_BATCH = Field(min_length=1, max_length=100)


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
    product_id: RefId | None = Field(
        None,
        description="The product (prd_… or its slug) being personalized; none: a project whose "
        "designs may be on several products (a storefront's customer always names one)",
    )
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


class ProjectOut(Out):
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
