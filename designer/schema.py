"""The bases of every schema: camelCase on the wire, unknown fields refused; in what comes in
(`Schema`: requests, layers), no NUL in any text; what goes out is an `Out`. Plain pydantic, so the
composer's layer schema can use it too."""

from pydantic import BaseModel, ConfigDict, field_validator
from pydantic.alias_generators import to_camel


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    return False


class _Wire(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", from_attributes=True
    )

    def to_json(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


class Schema(_Wire):
    """What a request sends (and what a design's layers hold): no text may hold a NUL."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value):
        # No text in the print domain holds a NUL, and PostgreSQL cannot store or even compare one:
        # refused here, it is a 422 naming the field instead of a database error.
        if _holds_nul(value):
            raise ValueError("text must not contain the NUL character (\\u0000)")
        return value


class Out(_Wire):
    """What a response shows. It is made of what Presswork stored, whose text a Schema checked on
    its way in, so no field is looked through for a NUL again (a list of a hundred products would
    otherwise be, field by field, on every request)."""
