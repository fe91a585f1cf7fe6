"""What a secret token's scopes allow.

`full` allows everything, `read` every read, `orders` everything on orders; a per-resource scope
(`products:read`, `orders:write`, …) allows that resource, a write scope implying its read.
Scopes add up, so `full` is given alone: beside another scope it would read as a narrower token
than it is.
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
# What the dashboard calls each resource when a merchant picks a token's scopes one by one.
RESOURCE_NAMES = {
    "stores": "Store",
    "products": "Products and sides",
    "categories": "Categories",
    "templates": "Templates",
    "library": "Fonts and clipart",
    "projects": "Projects",
    "designs": "Designs",
    "files": "Files",
    "orders": "Orders",
    "webhooks": "Webhooks",
    "events": "Events",
}
assert tuple(RESOURCE_NAMES) == RESOURCES
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


def check_scopes(scopes: list[str]) -> list[str]:
    """`scopes` without repeats. Raises ValueError for `full` beside any other scope."""
    scopes = list(dict.fromkeys(scopes))
    if "full" in scopes and len(scopes) > 1:
        raise ValueError('cannot hold "full" beside other scopes: "full" allows everything')
    return scopes
