"""The OpenAPI 3.1 document, generated from the operations' declarations and their schemas."""

import re

from flask import Flask
from pydantic.json_schema import models_json_schema

from designer.api.errors import STATUS_OF_CODE
from designer.api.examples import add_examples
from designer.api.operations import Operation

_PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
_SECURITY = {
    "account": [{"basicAuth": []}, {"dashboardSession": []}],
    "secret": [{"bearerAuth": []}],
    "publishable": [{"publishableToken": []}],
    "anonymous": [{}],
}
_ERRORS = {
    "401": "No valid credentials (unauthenticated)",
    "403": "Credentials of the wrong kind or scope (forbidden)",
    "404": "No such resource in this store (not_found)",
    "409": "Conflict with the current state, or a reused Idempotency-Key (conflict)",
    "412": "If-Match names a version that is no longer the current one (precondition_failed)",
    "413": "Body too large (payload_too_large)",
    "415": "Body not sent as JSON (unsupported_media_type)",
    "422": "Input failed validation; `field` names it (validation_error)",
    "429": "Rate limit exceeded; see Retry-After (rate_limited)",
}
_HEADERS = {
    "X-Request-Id": "This request's id (req_…); quote it in support requests",
    "X-RateLimit-Limit": "Requests allowed in the current window",
    "X-RateLimit-Remaining": "Requests left in the current window",
    "X-RateLimit-Reset": "When the window resets (Unix time)",
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def api_operations(app: Flask):
    """(path, method, Operation) for every /api/v1 route, in a stable order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1"):
            continue
        spec = getattr(app.view_functions[rule.endpoint], "operation", None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield path_of(rule.rule), method, spec, rule


def path_of(rule: str) -> str:
    """The OpenAPI path of a Flask rule: `<product_id>` becomes `{productId}`."""
    return _PATH_PARAM.sub(lambda match: "{" + camel(match.group(1)) + "}", rule)


def path_parameters(rule: str) -> list[dict]:
    """The path parameters of a Flask rule, in their order."""
    return [
        {"name": camel(name), "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(rule)
    ]


def component_schemas(specs) -> tuple[dict, dict]:
    """The JSON schemas of the operations' (either dialect's) bodies, forms, query strings and
    responses, with example values (api/examples.py): the reference of each model and mode,
    and the components they refer to."""
    models = {}
    for spec in specs:
        for model, mode in (
            (spec.body, "validation"),
            (spec.upload and spec.upload.fields, "validation"),
            (spec.query, "validation"),
            (spec.response, "serialization"),
        ):
            if model is not None:
                models[(model, mode)] = None
    keys, schemas = models_json_schema(
        list(models), by_alias=True, ref_template="#/components/schemas/{model}"
    )
    components = schemas.get("$defs", {})
    add_examples(components)
    return keys, components


def query_parameters(spec) -> list[dict]:
    """The operation's query string as OpenAPI parameters."""
    if spec.query is None:
        return []
    schema = spec.query.model_json_schema(by_alias=True)
    return [
        {"name": name, "in": "query", "required": name in schema.get("required", []), "schema": field}
        for name, field in schema["properties"].items()
    ]


def request_body(spec, keys: dict) -> dict | None:
    """The operation's JSON body or multipart form, if it takes one."""
    if spec.body is not None:
        content = {"application/json": {"schema": keys[(spec.body, "validation")]}}
    elif spec.upload is not None:
        form = spec.upload.json_schema(keys[(spec.upload.fields, "validation")])
        content = {"multipart/form-data": {"schema": form}}
    else:
        return None
    return {"required": True, "content": content}


def document(app: Flask) -> dict:
    operations = [item for item in api_operations(app) if item[2] is not None]
    keys, components = component_schemas(spec for _, _, spec, _ in operations)
    components["Error"] = _error_schema()
    paths: dict = {}
    for path, method, spec, rule in operations:
        paths.setdefault(path, {})[method.lower()] = _operation(spec, rule, keys, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Presswork API",
            "version": "1.0.0",
            "description": "Web-to-print personalization: stores, products, designs, "
            "print-ready PDFs, orders and webhooks.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "A secret token, sk_…"},
                "basicAuth": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "The account's email and password",
                },
                "publishableToken": {"type": "apiKey", "in": "header", "name": "X-Publishable-Token"},
                "dashboardSession": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }


def _operation(spec: Operation, rule, keys: dict, components: dict) -> dict:
    parameters = [
        {"name": camel(name), "in": "path", "required": True, "schema": {"type": "string"}}
        for name in rule.arguments
    ]
    parameters += query_parameters(spec)
    success_headers = {
        name: {"description": text, "schema": {"type": "string"}} for name, text in _HEADERS.items()
    }
    success = {"description": spec.summary, "headers": success_headers}
    if spec.response is not None:
        success["content"] = {"application/json": {"schema": keys[(spec.response, "serialization")]}}
    operation = {
        "operationId": rule.endpoint.removeprefix("api."),
        "summary": spec.summary,
        "tags": [spec.tag],
        "security": [item for kind in spec.auth for item in _SECURITY[kind]],
        "parameters": parameters,
        "responses": {str(spec.status): success}
        | _files(spec, success_headers)
        | _error_responses(spec, rule),
    }
    body = request_body(spec, keys)
    if body is not None:
        operation["requestBody"] = body
    if rule.methods and "POST" in rule.methods:
        operation["parameters"].append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 255},
                "description": "Replays the first response for 24 h when the same request is sent again",
            }
        )
    if spec.conditional:
        operation["parameters"].append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
                "description": "The ETag of the version read: the change is refused (412) once "
                "another change was made",
            }
        )
        success_headers["ETag"] = {
            "description": "The version after this change",
            "schema": {"type": "string"},
        }
    return operation


def _files(spec, headers: dict) -> dict:
    """The responses at which the operation answers with a file rather than JSON."""
    return {
        str(status): {
            "description": f"The file ({media_type})",
            "headers": headers,
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
        }
        for status, media_type in (spec.binary or {}).items()
    }


def _error_responses(spec: Operation, rule) -> dict:
    # Credentials that do not check out are refused even where none are needed.
    codes = {"401", "403", "429"}
    if rule.arguments:
        codes.add("404")
    if "POST" in rule.methods:
        codes |= {"409", "422"}  # a reused or malformed Idempotency-Key
    if spec.body is not None or spec.upload is not None:
        codes |= {"409", "413", "415", "422"}
    if spec.query is not None:
        codes.add("422")
    if spec.conditional:
        codes.add("412")
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {code: {"description": _ERRORS[code], "content": error} for code in sorted(codes)}


def _error_schema() -> dict:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "requestId"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": list(STATUS_OF_CODE),
                    },
                    "message": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                    "requestId": {"type": "string"},
                    "errors": {"type": "array", "items": {"type": "object"}},
                },
            }
        },
    }
