"""The base of every request and response schema: camelCase on the wire, unknown fields refused."""

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel


def _iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


Timestamp = Annotated[datetime, PlainSerializer(_iso_utc, return_type=str)]


class Schema(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", from_attributes=True
    )

    def to_json(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class ListQuery(Schema):
    """The query string every list accepts."""

    limit: int = Field(20, ge=1, le=100, description="How many items to return (1-100)")
    starting_after: str | None = Field(
        None, max_length=64, description="The id of the last item of the previous page"
    )
    sort: Literal["asc", "desc"] = "desc"
    sort_by: str = Field("createdAt", max_length=32)


class Page(Schema):
    data: list
    has_more: bool
    next_cursor: str | None = Field(description="Pass as startingAfter for the next page")


class Count(Schema):
    count: int


class Deleted(Schema):
    id: str
    deleted: bool = True
