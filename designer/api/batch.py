"""Batch operations: all items succeed, or nothing changes and each failure is reported."""

from collections.abc import Callable, Iterable
from typing import TypeVar

from designer.api.errors import ApiError, ValidationFailed

Item = TypeVar("Item")
Result = TypeVar("Result")


def all_or_nothing(field: str, items: Iterable[Item], apply: Callable[[Item], Result]) -> list[Result]:
    """`apply` to every item of the body's `field`, or raise ValidationFailed listing each item's
    error by index (`ids.3`).

    Run inside an operation, whose transaction rolls back on the error, so nothing is half-done.
    """
    results, errors = [], []
    for index, item in enumerate(items):
        try:
            results.append(apply(item))
        except ApiError as error:
            errors.append(
                {"index": index, "code": error.code, "field": f"{field}.{index}", "message": error.message}
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
