"""The PrintCart dialect's conventions, as `api/` holds the native API's: its blueprint at /v1,
who is calling (HTTP Basic with the account's email and password or the store's `sid` and a
secret token; the store's publishable token in X-PrintCart-Unauth-Token), `{data, message}`
envelopes, cursor pages with `links` and `meta`, and PrintCart's error bodies.

`@operation` wraps every /v1 view: it authorizes the caller, validates the query string and the
JSON body against the view's PrintCart schemas, runs the view as one unit of work and records the
declaration, from which /v1/openapi.json is generated (printcart/openapi.py).
"""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Flask, jsonify, request, url_for
from pydantic import BaseModel
from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

from designer import events
from designer.accounts import service as accounts
from designer.api.auth import Caller, Dialect, Kind, authorize, register_dialect
from designer.api.errors import ApiError, PayloadTooLarge, ValidationFailed, register_dialect_errors
from designer.api.multipart import Upload
from designer.api.operations import parse, read_body
from designer.api.pagination import paginate
from designer.api.schemas import ListQuery
from designer.api.store_scope import requested_store_id, store_id_of
from designer.extensions import csrf, db
from designer.printcart import topics
from designer.printcart.schemas import Links, ListParams, Meta
from designer.printcart.translate import speaking

PREFIX = "/v1"
UNAUTH_HEADER = "X-PrintCart-Unauth-Token"
MAX_PAGE = 100

# Who may call: PrintCart's BasicAuth (the account, or the store's sid and secret token), and
# its UnAuthToken (the store's publishable token) where the document allows it.
BASIC: tuple[Kind, ...] = ("account", "secret")
UNAUTH: tuple[Kind, ...] = (*BASIC, "publishable")
ACCOUNT: tuple[Kind, ...] = ("account",)
ANYONE: tuple[Kind, ...] = ("anonymous", *UNAUTH)

CREATED = "Created successfully"
RETRIEVED = "Retrieved successfully"
UPDATED = "Updated successfully"
UPLOADED = "File successfully uploaded"
DELETED = "Deleted successfully"

printcart = Blueprint("printcart", __name__, url_prefix=PREFIX)


@dataclass(frozen=True)
class Operation:
    method: str
    rule: str
    summary: str
    tag: str
    auth: tuple[Kind, ...]
    body: type[BaseModel] | None
    upload: Upload | None
    query: type[BaseModel] | None
    response: type[BaseModel]
    status: int
    endpoint: str
    also_status: tuple[int, ...] = ()


OPERATIONS: list[Operation] = []


def operation(
    route: str,
    *,
    tag: str,
    auth: tuple[Kind, ...],
    response: type[BaseModel],
    resource: str | None = None,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    status: int = 200,
    also_status: tuple[int, ...] = (),
    names: dict[str, str] | None = None,
    upload: Upload | None = None,
) -> Callable:
    """Declare the view below as the /v1 route `route` ("PUT /products/<product_id>"). The view
    receives `caller`, and `body`/`query` when declared, and returns the response model, which
    is answered as JSON with `status` (fields left None are left out; `also_status`: the other
    statuses the view may answer the same body with, see routes.py `_answering`). `resource` is what a
    secret token's scopes are checked against; with `upload` (a multipart request) the view gets
    its form fields as `body` and its files as `files`; `names` maps the native fields the services name
    in their refusals to PrintCart's (translate.py `speaking`); the view's docstring is the summary."""
    method, _, rule = route.partition(" ")

    def declare(view: Callable) -> Callable:
        spec = Operation(
            method=method,
            rule=rule,
            summary=" ".join(view.__doc__.split()),
            tag=tag,
            auth=auth,
            body=body,
            upload=upload,
            query=query,
            response=response,
            status=status,
            endpoint=view.__name__,
            also_status=also_status,
        )
        OPERATIONS.append(spec)

        @wraps(view)
        def run(**path):
            caller = authorize(auth, resource, "read" if method == "GET" else "write")
            if query is not None:
                path["query"] = parse(query, request.args.to_dict(flat=True))
            if body is not None:
                path["body"] = read_body(body)
            if upload is not None:
                path["body"], path["files"] = upload.read()
            try:
                with speaking(names or {}):
                    payload = view(caller=caller, **path)
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
            answer = jsonify(payload.model_dump(mode="json", exclude_none=True))
            answer.status_code = status
            return answer

        run.operation = spec
        printcart.add_url_rule(rule, view.__name__, run, methods=[method])
        return run

    return declare


# The store a request acts on: PrintCart's credentials imply it.


def store_id_for(caller: Caller) -> str:
    """The store of the caller's token; for the account, the store it names (X-Store-Id) or its
    only store. Raises ValidationFailed naming `X-Store-Id` for an account with several stores
    that names none, NotFound for a store that is not the caller's."""
    if caller.kind != "account" or requested_store_id() is not None:
        return store_id_of(caller)
    stores = accounts.all_stores_of(caller.account_id)
    if len(stores) != 1:
        raise ValidationFailed(
            "Name the store in the X-Store-Id header (the account has "
            f"{len(stores)} stores), or use the store's sid and secret",
            field="X-Store-Id",
        )
    return stores[0].id


def account_id_for(caller: Caller) -> str:
    """The account calling: its own, or the account of the store whose token calls."""
    if caller.kind == "account":
        return caller.account_id
    return caller.store(caller.store_id, reading=True).account_id


# Pages


def page(
    statement: Select, model, params: ListParams, sortable: dict[str, InstrumentedAttribute], noun: str
) -> tuple[list, Links, Meta]:
    """One page of `statement` as PrintCart pages: its rows, `links` and `meta`.

    Raises PayloadTooLarge ("Too many products") for a limit over 100, ValidationFailed naming
    `sortBy` or `cursor` for a column that is not sortable or a cursor that is not in the list.
    """
    if params.limit > MAX_PAGE:
        raise PayloadTooLarge(f"Too many {noun}: ask for at most {MAX_PAGE} per page", field="limit")
    if params.sort_by not in sortable:
        raise ValidationFailed(f"Field 'sortBy' must be one of: {', '.join(sortable)}", field="sortBy")
    query = ListQuery(
        limit=params.limit, starting_after=_cursor_id(params.cursor), sort=params.sort, sort_by=params.sort_by
    )
    try:
        rows, _, next_id = paginate(statement, model, query, sortable)
    except ValidationFailed as error:
        raise ValidationFailed("Field 'cursor' is not a cursor of this list", field="cursor") from error
    arguments = params.model_dump(by_alias=True, exclude_none=True, exclude={"cursor"})
    path = url_for(request.endpoint, **request.view_args, _external=True)
    links = Links(first=url_for(request.endpoint, **request.view_args, **arguments, _external=True))
    cursor = _cursor(next_id) if next_id else None
    if cursor:
        links.next = url_for(
            request.endpoint, **request.view_args, **arguments, cursor=cursor, _external=True
        )
    return rows, links, Meta(path=path, per_page=params.limit, next_cursor=cursor)


def _cursor(item_id: str) -> str:
    return base64.urlsafe_b64encode(item_id.encode()).decode().rstrip("=")


def _cursor_id(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ValidationFailed("Field 'cursor' is not a cursor of this list", field="cursor") from None


# Errors in PrintCart's shapes


def error_response(error: ApiError):
    """PrintCart's error body for `error`: 401 `{error: {message}}` (credentials missing, wrong,
    or of a kind the operation does not take), 400 `{error: {field: [messages]}, message}` for
    input refused (invalid or in conflict), 404 `{message}`, 500 `{error: "Internal Server
    Error"}`, and `{error: {message}}` with the status for the rest."""
    status, code = error.status, error.code
    if code in ("unauthenticated", "forbidden"):
        status, body = 401, {"error": {"message": error.message}}
    elif code in ("validation_error", "conflict"):
        status, body = 400, {"error": _by_field(error), "message": error.message}
    elif code == "not_found":
        body = {"message": error.message}
    elif code == "internal_error":
        body = {"error": "Internal Server Error"}
    else:
        body = {"error": {"message": error.message}}
    answer = jsonify(body)
    answer.status_code = status
    if status == 401:
        answer.headers["WWW-Authenticate"] = 'Basic realm="printcart"'
    return answer


def _by_field(error: ApiError) -> dict[str, list[str]]:
    items = getattr(error, "errors", None) or [{"field": error.field, "message": error.message}]
    fields: dict[str, list[str]] = {}
    for item in items:
        fields.setdefault(item.get("field") or "body", []).append(item["message"])
    return fields


def install(app: Flask) -> None:
    """Serve the dialect: its blueprint, its credentials, its error bodies, its webhook topics."""
    csrf.exempt(printcart)  # no browser session posts here; authorize checks CSRF for one that does
    app.register_blueprint(printcart)
    register_dialect(Dialect(prefix=PREFIX, publishable_header=UNAUTH_HEADER))
    register_dialect_errors(PREFIX, error_response)
    events.listen(topics.heard)
