"""The PrintCart dialect's OpenAPI document (/v1/openapi.json), generated from its operations'
declarations (printcart/dialect.py `operation`) and their schemas."""

import re

from flask import url_for
from pydantic.json_schema import models_json_schema

from designer.api.examples import add_examples
from designer.printcart.dialect import OPERATIONS, UNAUTH_HEADER, Operation

_PATH_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
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


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _path(rule: str) -> str:
    return _PATH_PARAM.sub(lambda match: "{" + _camel(match.group(1)) + "}", rule)


def document() -> dict:
    models = {}
    for spec in OPERATIONS:
        for model, mode in (
            (spec.body, "validation"),
            (spec.upload and spec.upload.fields, "validation"),
            (spec.query, "validation"),
            (spec.response, "serialization"),
        ):
            if model is not None:
                models[(model, mode)] = None
    keys, schemas = models_json_schema(list(models), ref_template="#/components/schemas/{model}")
    add_examples(schemas.get("$defs", {}))
    paths: dict = {}
    for spec in OPERATIONS:
        paths.setdefault(_path(spec.rule), {})[spec.method.lower()] = _operation(spec, keys)
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
            "schemas": schemas.get("$defs", {}) | _ERROR_SCHEMAS,
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
    parameters = [
        {"name": _camel(name), "in": "path", "required": True, "schema": {"type": "string"}}
        for name in _PATH_PARAM.findall(spec.rule)
    ]
    if spec.query is not None:
        query = spec.query.model_json_schema(by_alias=True)
        parameters += [
            {"name": name, "in": "query", "required": False, "schema": schema}
            for name, schema in query["properties"].items()
        ]
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
        "responses": {str(spec.status): success}
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
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": keys[(spec.body, "validation")]}},
        }
    if spec.upload is not None:
        form = spec.upload.json_schema(keys[(spec.upload.fields, "validation")])
        operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": form}}}
    return operation
