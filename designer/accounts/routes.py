"""/api/v1 routes for the account, its stores and their tokens (also the dashboard's htmx actions)."""

from flask import current_app, url_for

from designer.accounts import service
from designer.accounts.models import Account, ApiToken, Store
from designer.accounts.schemas import (
    AccountCreate,
    AccountOut,
    AccountUpdate,
    PublishableTokenOut,
    StoreCreate,
    StoreOut,
    StorePage,
    StoreUpdate,
    TokenCreate,
    TokenListQuery,
    TokenOut,
    TokenPage,
    TokenWithSecret,
)
from designer.api.auth import ANYONE
from designer.api.batch import all_or_nothing
from designer.api.pagination import count, paginate
from designer.api.resource import Routes
from designer.api.respond import respond
from designer.api.schemas import Count, Deleted, Ids, ListQuery
from designer.extensions import db

ACCOUNT = ("account",)


def store_out(store: Store) -> StoreOut:
    return StoreOut(
        id=store.id,
        name=store.name,
        publishable_token=store.publishable_token,
        rate_limit_per_minute=store.rate_limit_per_minute or current_app.config["RATE_LIMIT_PER_MINUTE"],
        shop_origins=service.shop_origins_of(store),
        brand_colors=service.brand_colors_of(store),
        logo_file_id=store.logo_file_id,
        color_profile_file_id=store.color_profile_file_id,
        require_approval=bool(store.require_approval),
        created_at=store.created_at,
        updated_at=store.updated_at,
    )


def token_out(token: ApiToken, secret: str | None = None) -> TokenOut:
    fields = dict(
        id=token.id,
        name=token.name,
        scopes=token.scopes,
        hint=f"sk_…{token.secret_hint}",
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )
    return TokenWithSecret(token=secret, **fields) if secret else TokenOut(**fields)


# Account


account = Routes("/account", resource="stores")


@account.route("POST", auth=ANYONE, response=AccountOut, status=201)
def create_account(caller, body: AccountCreate):
    """Create an account"""
    account = service.create_account(body.name, body.email, body.password)
    return respond(AccountOut.model_validate(account), status=201)


@account.route("GET", auth=ACCOUNT, response=AccountOut)
def get_account(caller):
    """Get the account"""
    return respond(AccountOut.model_validate(db.session.get(Account, caller.account_id)))


@account.route("PATCH", auth=ACCOUNT, response=AccountOut)
def update_account(caller, body: AccountUpdate):
    """Update the account"""
    account = db.session.get(Account, caller.account_id)
    service.update_account(account, body.name, body.email, body.password)
    return respond(AccountOut.model_validate(account))


# Stores

_STORE_SORTS = {"createdAt": Store.created_at, "name": Store.name}


stores = Routes("/stores")


@stores.route("POST", auth=ACCOUNT, response=StoreOut, status=201, form="dashboard/_store_form.html")
def create_store(caller, body: StoreCreate):
    """Create a store"""
    account = db.session.get(Account, caller.account_id)
    store = service.create_store(
        account,
        body.name,
        body.rate_limit_per_minute,
        body.shop_origins,
        body.brand_colors,
        body.logo_file_id,
    )
    return respond(store_out(store), status=201, partial="dashboard/_store_created.html", store=store)


def _visible_stores(caller):
    if caller.kind == "account":
        return service.stores_of(caller.account_id)
    return db.select(Store).where(Store.id == caller.store_id)


@stores.route("GET", auth=("account", "secret"), response=StorePage)
def list_stores(caller, query: ListQuery):
    """List stores"""
    page = paginate(_visible_stores(caller), Store, query, _STORE_SORTS)
    return respond(StorePage.of_rows(store_out, *page))


@stores.route("GET /count", auth=("account", "secret"), response=Count)
def count_stores(caller):
    """Count stores"""
    return respond(Count(count=count(_visible_stores(caller), Store)))


@stores.route("GET /<store_id>", auth=("account", "secret", "publishable"), response=StoreOut)
def get_store(caller, store_id: str):
    """Get a store"""
    return respond(store_out(caller.store(store_id, reading=True)))


@stores.route("PATCH /<store_id>", auth=ACCOUNT, response=StoreOut, form="dashboard/_store_settings.html")
def update_store(caller, store_id: str, body: StoreUpdate):
    """Update a store"""
    given = body.model_fields_set
    store = service.update_store(
        caller.store(store_id),
        body.name,
        body.rate_limit_per_minute,
        body.shop_origins,
        body.brand_colors,
        body.logo_file_id if "logo_file_id" in given else service.KEEP,
        body.require_approval,
        body.color_profile_file_id if "color_profile_file_id" in given else service.KEEP,
    )
    return respond(store_out(store), partial="dashboard/_store_settings.html", store=store, saved=True)


@stores.route("DELETE /<store_id>", auth=ACCOUNT, response=Deleted)
def delete_store(caller, store_id: str):
    """Delete a store and everything in it"""
    service.delete_store(caller.store(store_id))
    response = respond(Deleted(id=store_id), partial="dashboard/_empty.html")
    response.headers["HX-Redirect"] = url_for("dashboard.home")
    return response


@stores.route("GET /<store_id>/publishable-token", auth=ACCOUNT, response=PublishableTokenOut)
def get_publishable_token(caller, store_id: str):
    """Get the publishable token"""
    return respond(PublishableTokenOut(publishable_token=caller.store(store_id).publishable_token))


@stores.route("POST /<store_id>/publishable-token/renew", auth=ACCOUNT, response=PublishableTokenOut)
def renew_publishable_token(caller, store_id: str):
    """Renew the publishable token (the old one stops working)"""
    store = service.renew_publishable_token(caller.store(store_id))
    return respond(
        PublishableTokenOut(publishable_token=store.publishable_token),
        partial="dashboard/_publishable_token.html",
        store=store,
    )


# Secret tokens


tokens = Routes("/stores/<store_id>/tokens", resource="stores")


@tokens.route("POST", auth=ACCOUNT, response=TokenWithSecret, status=201, form="dashboard/_token_form.html")
def create_token(caller, store_id: str, body: TokenCreate):
    """Create a secret token (its secret is shown once)"""
    store = caller.store(store_id)
    token, secret = service.create_token(store, body.name, body.scopes)
    return respond(
        token_out(token, secret),
        status=201,
        partial="dashboard/_token_created.html",
        store=store,
        token=token,
    )


@tokens.route("GET", auth=ACCOUNT, response=TokenPage)
def list_tokens(caller, store_id: str, query: TokenListQuery):
    """List secret tokens (without their secrets)"""
    page = paginate(
        service.tokens_of(caller.store(store_id), query.status),
        ApiToken,
        query,
        {"createdAt": ApiToken.created_at, "name": ApiToken.name},
    )
    return respond(TokenPage.of_rows(token_out, *page))


@tokens.route("DELETE /<token_id>", auth=ACCOUNT, response=TokenOut)
def revoke_token(caller, store_id: str, token_id: str):
    """Revoke a secret token"""
    token = service.revoke_token(service.find_token(caller.store(store_id), token_id))
    return respond(token_out(token), partial="dashboard/_token_row.html", token=token)


@tokens.route("POST /revoke", auth=ACCOUNT, response=TokenPage)
def revoke_tokens(caller, store_id: str, body: Ids):
    """Revoke several secret tokens at once (all or nothing)"""
    store = caller.store(store_id)
    tokens = all_or_nothing(
        "ids", body.ids, lambda token_id: service.revoke_token(service.find_token(store, token_id))
    )
    return respond(TokenPage.of(token_out(token) for token in tokens))


@tokens.route("POST /<token_id>/rotate", auth=ACCOUNT, response=TokenWithSecret)
def rotate_token(caller, store_id: str, token_id: str):
    """Rotate a secret token: same id and scopes, new secret"""
    store = caller.store(store_id)
    token, secret = service.rotate_token(service.find_token(store, token_id))
    return respond(
        token_out(token, secret), partial="dashboard/_token_rotated.html", store=store, token=token
    )
