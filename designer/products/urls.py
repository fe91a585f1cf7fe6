"""Where the customer editor opens a product, and where an API resource lives: URLs built from
the routes (url_for), in one module, so the editor can move without a hunt."""

from flask import current_app, has_request_context, url_for


def endpoint_url(endpoint: str, **values) -> str:
    """The absolute URL of a route (relative outside a request: a worker has no host to name)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def editor_url(product) -> str:
    """The absolute URL of the customer editor on `product` (relative outside a request). A shop
    that embeds it adds `returnUrl` and `ref` to its query (designer/web/shop.py)."""
    return endpoint_url("editor.product", store_id=product.store_id, slug=product.slug)
