"""Where the customer editor opens a product or a design, and where an API resource lives: URLs
built from the routes (url_for), in one module, so the editor can move without a hunt."""

from flask import current_app, has_request_context, request, url_for

from designer.designs.editor_keys import editor_key


def _base() -> str:
    return request.host_url if has_request_context() else "/"


def endpoint_url(endpoint: str, **values) -> str:
    """The absolute URL of a route (relative outside a request: a worker has no host to name)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def editor_url(product) -> str:
    """The absolute URL of the customer editor on `product` (relative outside a request)."""
    return endpoint_url("editor.product", store_id=product.store_id, slug=product.slug)


def design_editor_url(design) -> str | None:
    """The editor on `design`, with the key that opens its project for whoever holds the link;
    None for a design in no project (its project was deleted)."""
    if design.project_id is None:
        return None
    return endpoint_url("editor.design", design_id=design.id, key=editor_key(design.project_id))


def api_url(path: str) -> str:
    """The absolute URL of an API path (`designs/des_…/preview`); prefer `endpoint_url`."""
    return f"{_base()}api/v1/{path}"
