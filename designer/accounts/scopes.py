"""What a secret token's scopes allow.

`full` allows everything, `read` every read, `orders` everything on orders; a per-resource scope
(`products:read`, `orders:write`, …) allows that resource, a write scope implying its read.
"""

from typing import Literal

Action = Literal["read", "write"]

# Sides belong to `products`; `library` is a store's fonts and clipart.
RESOURCES = (
    "stores",
    "products",
    "categories",
    "templates",
    "library",
    "projects",
    "designs",
    "files",
    "orders",
    "webhooks",
    "events",
)
SCOPES = ("full", "read", "orders") + tuple(
    f"{resource}:{action}" for resource in RESOURCES for action in ("read", "write")
)


def allows(scopes: frozenset[str], resource: str, action: Action) -> bool:
    return (
        "full" in scopes
        or (action == "read" and "read" in scopes)
        or (resource == "orders" and "orders" in scopes)
        or f"{resource}:write" in scopes
        or f"{resource}:{action}" in scopes
    )
