"""One route, two representations: JSON for API clients, a page or an htmx partial for browsers."""

from collections.abc import Callable

from flask import current_app, jsonify, make_response, render_template, request
from pydantic import BaseModel

from designer.api.errors import ApiError, ValidationFailed

# The same URL answers JSON, an htmx partial or a page, and a dashboard session (its cookie) may see
# what a token does not.
VARY = "Accept, HX-Request, Cookie"


def at_page_url() -> bool:
    """Whether an API route is answering at a page's URL (web/dashboard.py `page`), not under /api/."""
    return not request.path.startswith("/api/")


def wants_html() -> bool:
    """htmx asks for partials; a browser navigating prefers text/html; everyone else gets JSON.
    At a page's URL the page comes first: JSON only when it is preferred."""
    if request.htmx:
        return True
    accept = request.accept_mimetypes
    if at_page_url():
        return accept["text/html"] >= accept["application/json"]
    return accept["text/html"] > accept["application/json"]


def respond(
    payload: BaseModel | dict | Callable[[], BaseModel],
    *,
    status: int = 200,
    partial: str | None = None,
    page: str | None = None,
    **context,
):
    """Answer with `payload` as JSON, or with `partial` (htmx) or `page` (a browser at the page's
    URL) rendered.

    The templates receive `payload` as `data`, plus `context`. A payload a page does without (one
    that would cost or could fail to build) may come as a function, called only for JSON.
    """
    template = None
    if partial or page:  # a JSON-only answer asks nothing of the request
        template = partial if request.htmx else page if at_page_url() else None
    if template and wants_html():
        data = None if callable(payload) else payload
        response = make_response(render_template(template, data=data, **context), status)
        response.headers["Vary"] = VARY
        return response
    payload = payload() if callable(payload) else payload
    if isinstance(payload, BaseModel):  # pydantic writes the JSON itself: no dict in between
        return current_app.response_class(
            payload.model_dump_json(by_alias=True), status, {"Vary": VARY}, mimetype="application/json"
        )
    response = jsonify(payload)
    response.status_code = status
    response.headers["Vary"] = VARY
    return response


def errors_by_field(error: ApiError) -> dict:
    """The first message for each field the error concerns, for showing beside form fields."""
    items = getattr(error, "errors", None) or [{"field": error.field, "message": error.message}]
    errors: dict = {}
    for item in items:
        errors.setdefault(item["field"], item["message"])
    return errors


def form_with_errors(template: str, error: ValidationFailed):
    """The htmx form partial again, holding what was typed and each field's message (and, as
    `all_errors`, every message: a refused file has one per failed preflight check)."""
    all_errors = getattr(error, "errors", None) or [{"field": error.field, "message": error.message}]
    response = make_response(
        render_template(template, errors=errors_by_field(error), all_errors=all_errors, values=request.form),
        422,
    )
    response.headers["Vary"] = VARY
    return response
