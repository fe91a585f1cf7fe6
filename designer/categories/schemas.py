"""Request and response schemas for categories."""

from typing import Literal

from pydantic import Field

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


class CategoryBrief(Schema):
    id: str
    name: str
    slug: str


class CategoryCreate(Schema):
    name: Name
    slug: Slug | None = Field(None, description="Generated from the name when left out")
    description: Description = ""
    parent_id: RefId | None = Field(None, description="The parent category (cat_…)")


class CategoryUpdate(CategoryCreate):
    name: Name = None
    slug: Slug = None
    description: Description = None


class CategoryBatchUpdate(CategoryUpdate):
    id: RefId


class CategoryOut(Out):
    id: str
    name: str
    slug: str
    description: str
    parent_id: str | None
    created_at: Timestamp
    updated_at: Timestamp


class CategoryPage(Page[CategoryOut]):
    pass


class CategoryFilters(Filters):
    store_id: StoreId = None
    q: str | None = Field(None, max_length=200, description="Search in names and slugs")
    parent_id: str | None = Field(None, max_length=64, description="Only the children of this category")


class CategoryListQuery(ListQuery, CategoryFilters):
    sort_by: str = Field("name", max_length=32)
    sort: Literal["asc", "desc"] = "asc"


class CategoriesCreate(Schema):
    categories: list[CategoryCreate] = Field(min_length=1, max_length=100)


class CategoriesUpdate(Schema):
    categories: list[CategoryBatchUpdate] = Field(min_length=1, max_length=100)
