"""Batch operations: all items succeed, or nothing changes and each failure is reported."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from designer import batch_operations
from designer.api.errors import ApiError, ValidationFailed
from designer.api.schemas import Deleted, DeletedPage

Item = TypeVar("Item")
Result = TypeVar("Result")


def all_or_nothing(field: str, items: Iterable[Item], apply: Callable[[Item], Result]) -> list[Result]:
    """`apply` to every item of the body's `field`, or raise ValidationFailed listing each item's
    error by index: `ids.3` for the item, `products.3.sides.0.width` for a field inside it.

    Run inside an operation, whose transaction rolls back on the error, so nothing is half-done.
    """
    results, errors = [], []
    with batch_operations.batch():  # the items' events are heard as one batch's (printcart/topics.py)
        for index, item in enumerate(items):
            try:
                results.append(apply(item))
            except ApiError as error:
                errors.append(
                    {
                        "index": index,
                        "code": error.code,
                        "field": _item_field(field, index, error),
                        "message": error.message,
                    }
                )
        if errors:
            first = errors[0]
            raise ValidationFailed(
                f"{len(errors)} of {len(errors) + len(results)} items failed; nothing was changed "
                f"(item {first['index']}: {first['message']})",
                field=first["field"],
                errors=errors,
            )
    return results


def _item_field(field: str, index: int, error: ApiError) -> str:
    if isinstance(error, ValidationFailed) and error.field:
        return f"{field}.{index}.{error.field}"
    return f"{field}.{index}"


def delete_all(ids: list[str], delete_one: Callable[[str], str | None]) -> DeletedPage:
    """Delete every id of the body's `ids` with `delete_one` (which finds the item, raising
    NotFound, and deletes it), all or nothing. `delete_one` may return the id it deleted when the
    caller named the item otherwise (a product's slug)."""

    def delete(resource_id: str) -> Deleted:
        return Deleted(id=delete_one(resource_id) or resource_id)

    return DeletedPage.of(all_or_nothing("ids", ids, delete))
