"""`@operation`: what every /api/v1 view is wrapped in.

It authorizes the caller, validates the query string and body against the declared schemas,
runs the view as one unit of work (one commit, events and idempotency record included), and
records the declaration, from which the OpenAPI document is generated.
"""

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING

from flask import Response, current_app, request
from pydantic import BaseModel, ValidationError

from designer.api import idempotency
from designer.api.auth import Kind, authorize
from designer.api.errors import (
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)
from designer.api.respond import form_with_errors
from designer.errors import validation_failed
from designer.extensions import db, has_work

if TYPE_CHECKING:
    from designer.api.multipart import Upload


@dataclass(frozen=True)
class Operation:
    summary: str
    resource: str | None
    action: str
    auth: tuple[Kind, ...]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    form: str | None
    tag: str
    upload: "Upload | None" = None
    conditional: bool = False
    binary: dict[int, str] | None = None


def operation(
    summary: str,
    *,
    resource: str | None,
    auth: tuple[Kind, ...],
    action: str | None = None,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    form: str | None = None,
    tag: str | None = None,
    upload: "Upload | None" = None,
    conditional: bool = False,
    binary: dict[int, str] | None = None,
) -> Callable:
    """Declare an API operation. The view receives `caller`, and `body`/`query` when declared;
    with `upload` (a multipart request), its form fields as `body` and its files as `files`.

    `resource` and the action (read for get/list/count views, else write) are what a secret
    token's scopes are checked against; `resource=None` is open to every scope.

    `form` names the htmx partial re-rendered with inline errors when a browser's input fails
    validation. `conditional`: the view honours If-Match (documented as a header and a 412).
    `binary`: the statuses at which the view answers with a file, and its media type.
    """

    def decorate(view: Callable) -> Callable:
        spec = Operation(
            summary=summary,
            resource=resource,
            action=action or ("read" if view.__name__.startswith(("get", "list", "count")) else "write"),
            auth=auth,
            body=body,
            query=query,
            response=response,
            status=status,
            form=form,
            tag=tag or (resource.capitalize() if resource else "Meta"),
            upload=upload,
            conditional=conditional,
            binary=binary,
        )

        @wraps(view)
        def run(**path):
            try:
                return _run(spec, view, path)
            except ValidationFailed as error:
                if spec.form and request.htmx:
                    return form_with_errors(spec.form, error)
                raise

        run.operation = spec
        return run

    return decorate


def _run(spec: Operation, view: Callable, path: dict):
    caller = authorize(spec.auth, spec.resource, spec.action)
    _refuse_impossible_ids(path)
    if spec.query is not None:
        path["query"] = parse(spec.query, request.args.to_dict(flat=True))
    if spec.body is not None:
        path["body"] = read_body(spec.body)
    if spec.upload is not None:
        path["body"], path["files"] = spec.upload.read()
    key = idempotency.requested_key() if request.method == "POST" else None
    claimed = idempotency.claim(caller.identity, key) if key else None
    if isinstance(claimed, Response):
        return claimed
    try:
        response = current_app.make_response(view(caller=caller, **path))
        if claimed is not None:
            idempotency.settle(claimed, response, spec.response)
        if has_work():
            db.session.commit()
        return response
    except Exception:
        db.session.rollback()
        if claimed is not None:
            db.session.delete(claimed)
            db.session.commit()
        raise


def _refuse_impossible_ids(path: dict) -> None:
    """Raises NotFound for a path id holding a NUL: no id does, and PostgreSQL cannot compare one."""
    for name, value in path.items():
        if isinstance(value, str) and "\x00" in value:
            raise NotFound(f"No {name.removesuffix('_id').replace('_', ' ')} with id '{value}'")


def read_body(schema: type[BaseModel]) -> BaseModel:
    """The request body validated against `schema`: JSON for API clients, form fields from the dashboard."""
    limit = current_app.config["MAX_JSON_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"The JSON body must be at most {limit} bytes", field="body")
    if request.mimetype == "application/json":
        raw = request.get_data(cache=True)
        if len(raw) > limit:
            raise PayloadTooLarge(f"The JSON body must be at most {limit} bytes", field="body")
        return parse_json(schema, raw)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return parse(schema, form_fields(schema))
    raise UnsupportedMediaType("Send the body as application/json", field="Content-Type")


def form_fields(schema: type[BaseModel]) -> dict:
    """The request's form fields that `schema` declares, as it validates them (lists whole,
    a blank optional field as null)."""
    fields = {}
    for name, field in schema.model_fields.items():
        alias = field.alias or name
        if alias not in request.form:
            continue
        value = request.form[alias]
        if list in _types_of(field.annotation):
            fields[alias] = [item for item in request.form.getlist(alias) if item != ""]
        elif value != "" or field.is_required():
            fields[alias] = value
        elif type(None) in _types_of(field.annotation):
            fields[alias] = None  # a form cannot send null: a blank optional field clears it
        elif str in _types_of(field.annotation):
            fields[alias] = ""  # a blanked text is blank (and a required one is refused by its rules)
    return fields


def _types_of(annotation) -> set:
    """The plain types an annotation admits: `list[str] | None` → {list, NoneType}."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set().union(*(_types_of(member) for member in typing.get_args(annotation)))
    return {typing.get_origin(annotation) or annotation}


def parse_json(schema: type[BaseModel], raw: bytes) -> BaseModel:
    try:
        return schema.model_validate_json(raw, strict=True)
    except ValidationError as error:
        raise validation_failed(error) from None


def parse(schema: type[BaseModel], values: dict) -> BaseModel:
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        raise validation_failed(error) from None
