"""Account, store and token operations. Callers own the transaction: these flush, never commit."""

import copy
import functools
import hashlib
import logging
import secrets
import string
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis
from flask import current_app
from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from werkzeug.security import check_password_hash, generate_password_hash

from designer.accounts.models import Account, ApiToken, Store
from designer.api.auth import credentials_changed
from designer.errors import Conflict, ValidationFailed
from designer.extensions import db
from designer.models import utcnow
from designer.references import color_profile_file, merchant_image_file
from designer.tenancy import across_stores, get_in_store, in_store

log = logging.getLogger(__name__)


def check_password_policy(password: str) -> None:
    """Raises ValidationFailed naming `password` unless it has ≥8 characters, upper, lower, digit, symbol."""
    missing = [
        rule
        for rule, ok in (
            ("at least 8 characters", len(password) >= 8),
            ("an upper-case letter", any(c.isupper() for c in password)),
            ("a lower-case letter", any(c.islower() for c in password)),
            ("a digit", any(c.isdigit() for c in password)),
            ("a symbol", any(not c.isalnum() and not c.isspace() for c in password)),
        )
        if not ok
    ]
    if missing:
        raise ValidationFailed("Field 'password' needs " + ", ".join(missing), field="password")


def create_account(name: str, email: str, password: str) -> Account:
    """A new account. Raises ValidationFailed (password policy), Conflict (email taken)."""
    check_password_policy(password)
    account = Account(name=name, email=email.lower(), password_hash=_hash_password(password))
    db.session.add(account)
    _flush_unique("email", "An account with this email already exists")
    return account


def update_account(account: Account, name: str | None, email: str | None, password: str | None) -> Account:
    """Change what was given. Raises ValidationFailed (password policy), Conflict (email taken)."""
    if name is not None:
        account.name = name
    if email is not None:
        account.email = email.lower()
    if password is not None:
        check_password_policy(password)
        account.password_hash = _hash_password(password)
    _flush_unique("email", "An account with this email already exists")
    return account


def authenticate(email: str, password: str) -> Account | None:
    """The account with this email and password, or None."""
    email = email.strip().lower()
    if not email.isprintable():  # no account has such an email, and PostgreSQL refuses a NUL
        return None
    account = db.session.scalars(db.select(Account).where(Account.email == email)).first()
    if account is None:
        # Hash anyway, so the time taken does not tell whether the email has an account.
        check_password_hash(_unknown_account_hash(), password)
        return None
    return account if check_password_hash(account.password_hash, password) else None


def stores_of(account_id: str):
    return db.select(Store).where(Store.account_id == account_id)


def all_stores_of(account_id: str) -> list[Store]:
    """Every store of the account, oldest first (the dashboard's home lists them all)."""
    return db.session.scalars(stores_of(account_id).order_by(Store.created_at)).all()


# A new store comes furnished by the rooms above accounts (the library installs its default fonts
# and clipart): create_app hands the furnishing over, so accounts imports none of them.
_store_furnishers: list[Callable[[str], object]] = []


def register_store_furnisher(furnish: Callable[[str], object]) -> None:
    """Hands accounts `furnish(store_id)`, called on each new store before `create_store`
    returns; the last one registered is used."""
    _store_furnishers[:] = [furnish]


def create_store(
    account: Account,
    name: str,
    rate_limit_per_minute: int | None = None,
    shop_origins: list[str] | None = None,
    brand_colors: list[str] | None = None,
    logo_file_id: str | None = None,
) -> Store:
    """A new store, furnished with the default library. Raises ValidationFailed naming
    `logoFileId` for a logo: a new store has no files yet."""
    store = Store(
        account_id=account.id,
        name=name,
        publishable_token=_new_secret("pk"),
        rate_limit_per_minute=rate_limit_per_minute,
        shop_origins=_unique(shop_origins or []),
        brand_colors=_unique(brand_colors or []),
    )
    db.session.add(store)
    db.session.flush()
    if logo_file_id is not None:
        store.logo_file_id = merchant_image_file(logo_file_id, store.id, "logoFileId").id
    for furnish in _store_furnishers:
        furnish(store.id)
    return store


# What update_store leaves as it is: a field not given at all.
KEEP = object()


def update_store(
    store: Store,
    name: str | None,
    rate_limit_per_minute: int | None,
    shop_origins: list[str] | None = None,
    brand_colors: list[str] | None = None,
    logo_file_id: str | None | object = KEEP,
    require_approval: bool | None = None,
    color_profile_file_id: str | None | object = KEEP,
) -> Store:
    """Change what was given (None keeps a value); `shop_origins` (validated origins) replaces the
    list of the shop's origins that may frame the customer's editor, `brand_colors` (validated
    #rrggbb) the store's colours; `logo_file_id` None removes the logo; `require_approval` whether
    orders print only approved proofs; `color_profile_file_id` the printer profile CMYK products
    print through unless they name their own (None: FOGRA39).

    Raises ValidationFailed naming `logoFileId` for a file that is not one of the store's own
    images, `colorProfileFileId` for one that is not one of its CMYK printer profiles.
    """
    if name is not None:
        store.name = name
    if rate_limit_per_minute is not None:
        store.rate_limit_per_minute = rate_limit_per_minute
    if shop_origins is not None:
        store.shop_origins = _unique(shop_origins)
    if brand_colors is not None:
        store.brand_colors = _unique(brand_colors)
    if require_approval is not None:
        store.require_approval = require_approval
    if logo_file_id is not KEEP:
        store.logo_file_id = logo_file_id and merchant_image_file(logo_file_id, store.id, "logoFileId").id
    if color_profile_file_id is not KEEP:
        store.color_profile_file_id = color_profile_file_id and (
            color_profile_file(color_profile_file_id, store.id, "colorProfileFileId").id
        )
    db.session.flush()
    return store


def shop_origins_of(store: Store) -> list[str]:
    """The origins that may show the store's customer editor in a frame (none: [])."""
    return list(store.shop_origins or [])


def brand_colors_of(store: Store) -> list[str]:
    """The store's colours (#rrggbb), its accent first (none: [])."""
    return list(store.brand_colors or [])


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


# The store's integration with its shop (Store.integration); the keys are secrets.
INTEGRATION_SECRETS = ("google_fonts_key", "unsplash_key", "pixabay_key", "pexels_key")
INTEGRATION_FIELDS = ("shop_url", "platform", *INTEGRATION_SECRETS)


def update_integration(store: Store, changes: dict[str, str | None]) -> Store:
    """Set the integration fields `changes` names (INTEGRATION_FIELDS; None or "" clears one),
    keeping the others."""
    unknown = set(changes) - set(INTEGRATION_FIELDS)
    if unknown:
        raise ValueError(f"not integration fields: {sorted(unknown)}")
    values = dict(store.integration or {}) | changes
    store.integration = {name: value for name, value in values.items() if value}
    db.session.flush()
    return store


def integration_of(store: Store) -> dict[str, str]:
    """The store's integration fields as anyone may see them: a key shows only its last four
    characters ("…1a2b"), so a merchant can tell which one is set."""
    values = store.integration or {}
    return {
        name: f"…{value[-4:]}" if name in INTEGRATION_SECRETS else value
        for name, value in values.items()
        if name in INTEGRATION_FIELDS
    }


def delete_store(store: Store) -> None:
    """Delete the store and everything it owns."""
    db.session.delete(store)
    db.session.flush()


def renew_publishable_token(store: Store) -> Store:
    """A new publishable token; the old one stops working at once."""
    store.publishable_token = _new_secret("pk")
    db.session.flush()
    return store


def create_token(store: Store, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new secret token and its secret, which is not kept and cannot be shown again."""
    secret = _new_secret("sk")
    token = ApiToken(
        store_id=store.id,
        name=name,
        scopes=sorted(set(scopes)),
        secret_hash=hash_secret(secret),
        secret_hint=secret[-4:],
    )
    db.session.add(token)
    db.session.flush()
    return token, secret


def tokens_of(store: Store, status: str | None = None):
    """The store's tokens, all of them or only the `active` or `revoked` ones."""
    statement = in_store(db.select(ApiToken), store.id)
    if status == "active":
        statement = statement.where(ApiToken.revoked_at.is_(None))
    elif status == "revoked":
        statement = statement.where(ApiToken.revoked_at.is_not(None))
    return statement


def all_tokens_of(store: Store) -> list[ApiToken]:
    """Every token of the store, revoked ones too, oldest first (the store's page lists them all)."""
    return db.session.scalars(tokens_of(store).order_by(ApiToken.created_at)).all()


def find_token(store: Store, token_id: str) -> ApiToken:
    """Raises NotFound for an id that is not one of this store's tokens."""
    return get_in_store(ApiToken, token_id, store.id)


def revoke_token(token: ApiToken) -> ApiToken:
    """The token stops working at once. Revoking twice is harmless."""
    token.revoked_at = token.revoked_at or utcnow()
    db.session.flush()
    return token


def rotate_token(token: ApiToken) -> tuple[ApiToken, str]:
    """A new secret for the same token (id, name, scopes); the old secret stops working at once.

    Raises Conflict for a revoked token.
    """
    if token.revoked_at is not None:
        raise Conflict("A revoked token cannot be rotated; create a new one")
    secret = _new_secret("sk")
    token.secret_hash = hash_secret(secret)
    token.secret_hint = secret[-4:]
    db.session.flush()
    return token, secret


@functools.cache
def _unknown_account_hash() -> str:
    return _hash_password(secrets.token_urlsafe())


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def hash_secret(secret: str) -> str:
    # Secrets are 256-bit random strings, so a fast hash is enough to make the table useless to a
    # thief while keeping the per-request lookup a single indexed query.
    return hashlib.sha256(secret.encode()).hexdigest()


_ALPHABET = string.ascii_letters + string.digits


def _new_secret(prefix: str) -> str:
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(43))


def _flush_unique(field: str, message: str) -> None:
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict(message, field=field) from None


# Built once: this runs on every Bearer request, and building and re-keying it each time cost
# a third of the lookup.
_TOKEN_AND_STORE = across_stores(
    select(ApiToken, Store)
    .join(Store, Store.id == ApiToken.store_id)
    .where(ApiToken.secret_hash == bindparam("secret_hash"))
)


def token_and_store(secret: str) -> tuple[ApiToken, Store] | None:
    """The API token with this secret (revoked ones too) and its store, in one query; None for
    an unknown secret."""
    row = db.session.execute(_TOKEN_AND_STORE, {"secret_hash": hash_secret(secret)}).first()
    return None if row is None else (row[0], row[1])


def publishable_store(token: str) -> Store | None:
    """The store whose publishable token this is; None for an unknown token."""
    return db.session.scalars(db.select(Store).where(Store.publishable_token == token)).first()


def record_token_use(token_id: str, store_id: str, moment: datetime) -> None:
    """Write that the token was used at `moment`."""
    db.session.execute(
        in_store(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=moment), store_id)
    )


# What authentication remembers of a token in each process (api/auth.py) comes from these: when
# one changes, or a token or store is deleted, every process must look its tokens up again. It is
# said before the transaction commits (so that, Redis unreachable, the change fails rather than
# go unheard) and again after (a lookup between the two may have read the old rows).
_STORE_COLUMNS = tuple(Store.__table__.columns.keys())
_LOOKED_UP = {
    ApiToken: ("secret_hash", "revoked_at", "scopes", "store_id"),
    Store: _STORE_COLUMNS,  # the whole store: authentication keeps it (store_row)
}
_CHANGED = "presswork_credentials_changed"


@event.listens_for(Session, "after_flush")
def _tell_credentials_changed(session: Session, _context) -> None:
    deleted = any(type(instance) in _LOOKED_UP for instance in session.deleted)
    if deleted or any(_lookup_changed(instance) for instance in session.dirty):
        credentials_changed()
        session.info[_CHANGED] = True


@event.listens_for(Session, "after_commit")
def _tell_credentials_changed_again(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        try:
            credentials_changed()
        except redis.RedisError as error:
            log.warning("Redis went away between telling a credentials change and its commit: %s", error)


@event.listens_for(Session, "after_soft_rollback")
def _forget_credentials_changed(session: Session, _transaction) -> None:
    session.info.pop(_CHANGED, None)


def _lookup_changed(instance) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in _LOOKED_UP.get(type(instance), ()))


def find_store(store_id: str) -> Store | None:
    """The store with this id (any account's), or None. A get: the session's identity map answers
    it without a query when the request loaded the store already."""
    return db.session.get(Store, store_id)


def store_row(store: Store) -> dict[str, Any]:
    """The store's columns as just loaded: what authentication keeps of a token's store, to hand
    the store to later requests without a query (`attached_store`)."""
    return {name: getattr(store, name) for name in _STORE_COLUMNS}


def attached_store(row: dict[str, Any]) -> Store:
    """The store `row` (store_row) describes, in this request's session as if just loaded: the
    session's own when it has loaded the store already, else made from `row` with no query. The
    caller vouches that `row` is current (the credentials version it was kept under is)."""
    found = db.session.identity_map.get(db.session.identity_key(Store, row["id"]))
    if found is not None:
        return found
    store = Store(**copy.deepcopy(row))  # its own lists and dicts: a request may change them
    make_transient_to_detached(store)
    db.session.add(store)
    return store
