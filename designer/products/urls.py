"""Where the customer editor opens a product. One function, so the editor can move without a hunt."""

from flask import has_request_context, request


def editor_url(product) -> str:
    """The absolute URL of the customer editor on `product` (relative outside a request)."""
    base = request.host_url if has_request_context() else "/"
    return f"{base}editor/products/{product.slug}"
