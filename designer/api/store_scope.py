"""Which store a store-owned operation acts on, decided in one place.

Secret and publishable tokens belong to one store: that is the store. An account (Basic
credentials or a dashboard session) may own several stores, so it names one: the `X-Store-Id`
header (the dashboard sets it with `hx-headers` on its pages), or a `storeId` query or form field.
Anonymous callers of public reads name the store the same way (`?storeId=sto_…`).
"""

from flask import request

from designer.api.auth import Caller, accounts
from designer.api.errors import NotFound, ValidationFailed

STORE_HEADER = "X-Store-Id"
STORE_FIELD = "storeId"


def requested_store_id() -> str | None:
    """The store the request names (header, then query string, then form field), or None."""
    for value in (
        request.headers.get(STORE_HEADER),
        request.args.get(STORE_FIELD),
        request.form.get(STORE_FIELD),
    ):
        if value is not None and value.strip():
            return value.strip()
    return None


def store_id_of(caller: Caller) -> str:
    """The id of the store `caller` acts on.

    Secret and publishable callers: their token's store (a different store named in the request
    is a 404, as any other store's id is). Account callers: the store named by the request,
    checked to be theirs. Anonymous callers: the store named by the request, which must exist.

    Raises ValidationFailed naming `storeId` when an account or anonymous caller names no store,
    NotFound when the named store is not the caller's (or does not exist).
    """
    named = requested_store_id()
    if caller.kind in ("secret", "publishable"):
        if named is not None and named != caller.store_id:
            raise NotFound(f"No store with id '{named}'")
        return caller.store_id
    if named is None:
        raise ValidationFailed(
            f"Name the store: the '{STORE_HEADER}' header or the '{STORE_FIELD}' parameter",
            field=STORE_FIELD,
        )
    if caller.kind == "account":
        return caller.store(named, reading=True).id
    return _existing_store_id(named)


def _existing_store_id(store_id: str) -> str:
    store = accounts().store(store_id) if store_id.isprintable() else None
    if store is None:
        raise NotFound(f"No store with id '{store_id}'")
    return store.id
