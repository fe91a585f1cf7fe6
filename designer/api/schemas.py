"""The base of every request and response schema: camelCase on the wire, unknown fields refused."""

from datetime import UTC, datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import (
    BaseModel,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from designer.schema import Out, Schema


def _iso_utc(moment: datetime) -> str:
    if moment.tzinfo is not None:  # SQLite hands back naive datetimes, written in UTC
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds") + "Z"


Timestamp = Annotated[datetime, PlainSerializer(_iso_utc, return_type=str)]

RefId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
"""An id (`prd_…`) a request refers to."""

Slug = Annotated[
    str,
    StringConstraints(min_length=1, max_length=120, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    Field(description="Lower-case letters, digits and single hyphens; unique in the store"),
]
Description = Annotated[str, StringConstraints(max_length=20_000)]

StoreId = Annotated[
    str | None,
    Field(
        max_length=64,
        description="The store, for account callers and anonymous reads (or the X-Store-Id header); "
        "a token's store is implied",
    ),
]


class ListQuery(Schema):
    """The query string every list accepts."""

    limit: int = Field(20, ge=1, le=100, description="How many items to return (1-100)")
    starting_after: str | None = Field(
        None, max_length=64, description="The id of the last item of the previous page"
    )
    sort: Literal["asc", "desc"] = "desc"
    sort_by: str = Field("createdAt", max_length=32)


Item = TypeVar("Item", bound=BaseModel)


def out_of(schema: type[Item], item, **values) -> Item:
    """`item` (a model) as `schema` shows it: each field is the item's attribute of the same
    name, but those `values` give (what the API computes, or calls otherwise)."""
    attributes = {name: getattr(item, name) for name in schema.model_fields if name not in values}
    return schema(**attributes, **values)


class Page(Out, Generic[Item]):
    """One page of a list. Subclass it per resource (`class StorePage(Page[StoreOut])`), so the
    OpenAPI document names it well and describes its items."""

    data: list[Item]
    has_more: bool
    next_cursor: str | None = Field(description="Pass as startingAfter for the next page")

    @classmethod
    def of(cls, items) -> "Page":
        """A page holding all of `items` (what batch operations answer)."""
        return cls(data=list(items), has_more=False, next_cursor=None)

    @classmethod
    def of_rows(cls, out, rows: list, has_more: bool, next_cursor: str | None) -> "Page":
        """One page of a list: its `rows` (models) each shown by `out`, and whether more follow
        (what api/pagination.py `paginate` returns)."""
        return cls(data=[out(row) for row in rows], has_more=has_more, next_cursor=next_cursor)


class StoreQuery(Schema):
    """The query string of an operation on one resource of a store (see api/store_scope.py)."""

    store_id: StoreId = None


class Ids(Schema):
    """A batch of ids: what batch deletes and revokes take."""

    ids: list[RefId] = Field(min_length=1, max_length=100)


class Count(Out):
    count: int


class Deleted(Out):
    id: str
    deleted: bool = True


class DeletedPage(Page[Deleted]):
    pass


class Filters(Schema):
    """A query string's filters; an empty one (`?status=`, as a form's "any" option sends) filters nothing."""

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, values):
        if isinstance(values, dict):
            return {name: value for name, value in values.items() if value != ""}
        return values
