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
            yield _PATH_PARAM.sub(lambda m: "{" + camel(m.group(1)) + "}", rule.rule), method, spec, rule


def document(app: Flask) -> dict:
    operations = [item for item in api_operations(app) if item[2] is not None]
    models = {}
    for _, _, spec, _ in operations:
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
    components["Error"] = _error_schema()
    add_examples(components)
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
    if spec.query is not None:
        query_schema = spec.query.model_json_schema(by_alias=True)
        for name, schema in query_schema["properties"].items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in query_schema.get("required", []),
                    "schema": schema,
                }
            )
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
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": keys[(spec.body, "validation")]}},
        }
    if spec.upload is not None:
        form = spec.upload.json_schema(keys[(spec.upload.fields, "validation")])
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": form}}}
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
