"""Where the customer editor opens a product or a design. One module, so the editor can move
without a hunt."""

from flask import has_request_context, request

from designer.designs.editor_keys import editor_key


def _base() -> str:
    return request.host_url if has_request_context() else "/"


def editor_url(product) -> str:
    """The absolute URL of the customer editor on `product` (relative outside a request)."""
    return f"{_base()}editor/stores/{product.store_id}/products/{product.slug}"


def design_editor_url(design) -> str | None:
    """The editor on `design`, with the key that opens its project for whoever holds the link;
    None for a design in no project (its project was deleted)."""
    if design.project_id is None:
        return None
    return f"{_base()}editor/designs/{design.id}?key={editor_key(design.project_id)}"


def api_url(path: str) -> str:
    """The absolute URL of an API path (`designs/des_…/preview`)."""
    return f"{_base()}api/v1/{path}"
