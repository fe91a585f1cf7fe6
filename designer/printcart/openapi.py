"""The PrintCart dialect's OpenAPI document (/v1/openapi.json), generated from its operations'
declarations (printcart/dialect.py `operation`) and their schemas by the native document's
builder (api/openapi.py): only the dialect's credentials, error bodies and heading are its own."""

from flask import url_for

from designer.api.openapi import (
    component_schemas,
    path_of,
    path_parameters,
    query_parameters,
    request_body,
)
from designer.printcart.dialect import OPERATIONS, UNAUTH_HEADER, Operation

_ERRORS = {
    "400": ("Invalid input: each field refused, with its messages", "InvalidInput"),
    "401": ("Unauthenticated", "Message"),
    "404": ("Not found", "NotFound"),
    "413": ("Too many items asked for (limit over 100)", "Message"),
    "500": ("Internal Server Error", "InternalServerError"),
}
_ERROR_SCHEMAS = {
    "InvalidInput": {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
            "message": {"type": "string"},
        },
    },
    "Message": {
        "type": "object",
        "properties": {"error": {"type": "object", "properties": {"message": {"type": "string"}}}},
    },
    "NotFound": {"type": "object", "properties": {"message": {"type": "string"}}},
    "InternalServerError": {"type": "object", "properties": {"error": {"type": "string"}}},
}


def document() -> dict:
    keys, components = component_schemas(OPERATIONS)
    paths: dict = {}
    for spec in OPERATIONS:
        paths.setdefault(path_of(spec.rule), {})[spec.method.lower()] = _operation(spec, keys)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Presswork in PrintCart's dialect",
            "version": "1.0.0",
            "description": "PrintCart's REST API, served by Presswork over the same domain as its native "
            "API: a PrintCart client works by changing only its host.",
        },
        "servers": [
            {"url": url_for("printcart.openapi_document", _external=True).removesuffix("/openapi.json")}
        ],
        "paths": paths,
        "components": {
            "schemas": components | _ERROR_SCHEMAS,
            "securitySchemes": {
                "BasicAuth": {
                    "type": "http",
                    "scheme": "basic",
                    "description": "The store's sid and secret (sto_… and sk_…), or the account's email and "
                    "password (naming the store in X-Store-Id when it has several)",
                },
                "UnAuthToken": {"type": "apiKey", "in": "header", "name": UNAUTH_HEADER},
            },
        },
    }


def _operation(spec: Operation, keys: dict) -> dict:
    parameters = path_parameters(spec.rule) + query_parameters(spec)
    security = [] if "anonymous" in spec.auth else [{"BasicAuth": []}]
    if security and "publishable" in spec.auth:
        security.append({"UnAuthToken": []})
    success = {
        "description": spec.summary,
        "content": {"application/json": {"schema": keys[(spec.response, "serialization")]}},
    }
    errors = {"401", "500"} | ({"404"} if parameters else set())
    if spec.body is not None or spec.upload is not None or spec.query is not None:
        errors.add("400")
    if spec.query is not None:
        errors.add("413")
    operation = {
        "operationId": spec.endpoint,
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": parameters,
        "responses": {str(status): success for status in (spec.status, *spec.also_status)}
        | {
            code: {
                "description": _ERRORS[code][0],
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{_ERRORS[code][1]}"}}
                },
            }
            for code in sorted(errors)
        },
    }
    if security:
        operation["security"] = security
    body = request_body(spec, keys)
    if body is not None:
        operation["requestBody"] = body
    return operation
