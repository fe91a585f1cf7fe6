"""Who is calling: a secret token, an account (Basic or the dashboard session), a publishable token.

The caller is resolved once per request and cached on `g`. Every failure is an ApiError, so the
API answers it in the contract's error shape.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, Literal

import redis
from flask import current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError as CsrfTokenInvalid

from designer.api.scopes import Action, allows
from designer.errors import ApiError, Forbidden, NotFound, RateLimited, Unauthenticated
from designer.extensions import db
from designer.ids import unique_token
from designer.models import utcnow
from designer.queue import connection

Kind = Literal["account", "secret", "publishable", "anonymous"]
ANYONE: tuple[Kind, ...] = ("anonymous", "account", "secret", "publishable")
# The store's own callers, its account (the dashboard) and secret tokens: they write to the
# store, and may open any of its designs in the editor.
MERCHANTS: tuple[Kind, ...] = ("account", "secret")
# And a customer's storefront, which holds the publishable token.
STOREFRONT: tuple[Kind, ...] = (*MERCHANTS, "publishable")

# The projects a customer's browser started or opened with a key in the editor, newest last. A
# signed cookie holds them; a handful is plenty for one customer, and the cookie stays small.
CUSTOMER_PROJECTS = "editor_projects"
MAX_CUSTOMER_PROJECTS = 20

_LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True)
class AccountBook:
    """What authentication asks of the accounts room. The accounts room sits below the API's
    conventions yet api/ imports no room: create_app hands this over (`register_accounts`).

    - `token_and_store(secret)`: the API token with this secret and its store, or None;
    - `publishable_store(token)`: the store with this publishable token, or None;
    - `record_token_use(token_id, store_id, moment)`: write when the token was last used;
    - `store(store_id)`: the store with this id, or None;
    - `store_row(store)`: the store's columns, kept with a remembered token;
    - `attached_store(row)`: the store those columns describe, in this request's session, no query;
    - `authenticate(email, password)`: the account these credentials open, or None;
    - `login_refusal(email, address)`, `record_failure(email, address)`, `record_success(email)`:
      the log-in limits the dashboard's log-in counts too.
    """

    token_and_store: Callable[[str], tuple[Any, Any] | None]
    publishable_store: Callable[[str], Any]
    record_token_use: Callable[[str, str, datetime], None]
    store: Callable[[str], Any]
    store_row: Callable[[Any], dict[str, Any]]
    attached_store: Callable[[dict[str, Any]], Any]
    authenticate: Callable[[str, str], Any]
    login_refusal: Callable[[str, str | None], Any]
    record_failure: Callable[[str, str | None], None]
    record_success: Callable[[str], None]


_books: list[AccountBook] = []


def register_accounts(book: AccountBook) -> None:
    """Hands authentication the accounts room's look-ups; the last one registered is used."""
    _books[:] = [book]


def accounts() -> AccountBook:
    """The accounts room's look-ups (see AccountBook)."""
    (book,) = _books
    return book


@dataclass(frozen=True)
class Dialect:
    """Another API speaking to the same domain under `prefix` (the PrintCart dialect at /v1):
    its callers send the publishable token in `publishable_header` instead."""

    prefix: str
    publishable_header: str


_dialects: dict[str, Dialect] = {}


def register_dialect(dialect: Dialect) -> None:
    """Authenticate requests under `dialect.prefix` the dialect's way too."""
    _dialects[dialect.prefix] = dialect


def _publishable_header() -> str:
    for prefix, dialect in _dialects.items():
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return dialect.publishable_header
    return "X-Publishable-Token"


@dataclass(frozen=True)
class Caller:
    kind: Kind
    account_id: str | None = None
    store_id: str | None = None
    token_id: str | None = None
    scopes: frozenset[str] = frozenset()
    via_session: bool = False

    @property
    def identity(self) -> str:
        """A stable name for rate limits and idempotency keys."""
        return (
            self.token_id
            or self.account_id
            or (self.store_id and f"pk:{self.store_id}")
            or (f"ip:{request.remote_addr}")
        )

    def can(self, resource: str | None, action: Action) -> bool:
        return self.kind != "secret" or resource is None or allows(self.scopes, resource, action)

    def store(self, store_id: str, *, reading: bool = False):
        """The store this caller may act on. Another account's or token's store is a 404.

        `reading`: the view only reads the store. A token's own store then comes as a read-only
        copy of its columns as remembered (no query, nothing added to the session)."""
        row = g.get("caller_store_row")
        if row is not None and row["id"] == store_id:  # a token's own store, as remembered
            store = SimpleNamespace(**row) if reading else accounts().attached_store(row)
        else:  # an id with a NUL names no store, and PostgreSQL cannot even compare it
            store = accounts().store(store_id) if "\x00" not in store_id else None
        owns = store is not None and (
            store.account_id == self.account_id if self.kind == "account" else store.id == self.store_id
        )
        if not owns:
            raise NotFound(f"No store with id '{store_id}'")
        return store


def current_caller() -> Caller:
    """The caller of this request; raises Unauthenticated for credentials that do not check out."""
    if "caller" not in g:
        try:
            g.caller = _resolve()
        except ApiError as error:
            g.caller = error
    if isinstance(g.caller, ApiError):
        raise g.caller
    return g.caller


def _resolve() -> Caller:
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, credentials = header.strip().partition(" ")
        if scheme.lower() == "bearer":
            return _secret_token(credentials.strip())
        if scheme.lower() == "basic":
            return _basic(credentials.strip())
        raise Unauthenticated("Authorization must be 'Bearer <secret token>' or 'Basic <credentials>'")
    publishable = request.headers.get(_publishable_header())
    if publishable is not None:
        return _publishable(publishable.strip())
    if current_user.is_authenticated:
        return Caller("account", account_id=current_user.id, via_session=True)
    return Caller("anonymous")


def _secret_token(secret: str) -> Caller:
    if not secret.startswith("sk_"):
        raise Unauthenticated("Bearer credentials must be a secret token starting with 'sk_'")
    known = _recalled(secret)
    if known is not None:
        return known.caller
    version = _current_version()  # before the database: a change committed after it bumps it again
    # The token's store comes in the same query: the view reads it next, and the session's
    # identity map then answers it without another database round trip. The identity map holds
    # objects weakly, so `g` keeps the store alive until the request ends.
    row = accounts().token_and_store(secret)
    token, g.caller_store = row if row is not None else (None, None)
    if token is None or token.revoked_at is not None:
        raise Unauthenticated("The token is unknown or has been revoked")
    caller = Caller("secret", store_id=token.store_id, token_id=token.id, scopes=frozenset(token.scopes))
    last_used_at = _aware(token.last_used_at) if token.last_used_at is not None else None
    store = accounts().store_row(g.caller_store)
    return _used(_remember(Remembered(secret, caller, store, version, last_used_at))).caller


def _basic(credentials: str) -> Caller:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except ValueError:  # not base64 (binascii.Error), not ASCII to begin with, or not UTF-8
        raise Unauthenticated("Basic credentials must be base64 of 'email:password'") from None
    email, separator, password = decoded.partition(":")
    if not separator:
        raise Unauthenticated("Basic credentials must be base64 of 'email:password'")
    if email.startswith(STORE_ID_PREFIX):
        return _store_credentials(email, password)
    # The dashboard's log-in counts: a guesser gains nothing by trying passwords here instead.
    book = accounts()
    refusal = book.login_refusal(email, request.remote_addr)
    if refusal is not None:
        g.retry_after_s = refusal.retry_after_s
        raise RateLimited(refusal.message)
    account = book.authenticate(email, password)
    if account is None:
        book.record_failure(email, request.remote_addr)
        raise Unauthenticated("Wrong email or password")
    book.record_success(email)
    return Caller("account", account_id=account.id)


# Basic credentials whose user is a store's id (its `sid`) and whose password one of the store's
# secret tokens: what a PrintCart client sends, and what a shop's server may send anywhere.
STORE_ID_PREFIX = "sto_"


def _store_credentials(store_id: str, secret: str) -> Caller:
    if not secret.startswith("sk_"):
        raise Unauthenticated("Basic credentials of a store must be its id and a secret token (sk_…)")
    caller = _secret_token(secret)
    if caller.store_id != store_id:
        raise Unauthenticated("The token is unknown or has been revoked")
    return caller


def _publishable(token: str) -> Caller:
    # Only a string shaped like a token is looked up: PostgreSQL refuses text with a NUL in it.
    if not (token.startswith("pk_") and token.isprintable()):
        raise Unauthenticated("The publishable token is unknown or has been renewed")
    known = _recalled(token)
    if known is not None:
        return known.caller
    version = _current_version()
    g.caller_store = accounts().publishable_store(token)
    if g.caller_store is None:
        raise Unauthenticated("The publishable token is unknown or has been renewed")
    caller = Caller("publishable", store_id=g.caller_store.id)
    return _used(_remember(Remembered(token, caller, accounts().store_row(g.caller_store), version))).caller


# Tokens this process has looked up, by the token as sent: what the database answered (the token
# and its whole store), and the credentials version (in Redis, at VERSION_KEY) just before it was
# asked. Any change to what a lookup answers (a token revoked, rotated, deleted or given other
# scopes; a store changed or deleted) sets a new version, before its transaction commits
# and again after: a token is taken from memory only when this request read the same version in
# Redis, so a change is seen by every process from the next request on. Without Redis, nothing
# is remembered or recalled.
VERSION_KEY = "presswork:credentials-version"
_MAX_REMEMBERED = 10_000
_READ_VERSION = "return redis.call('GET', KEYS[1]) or (redis.call('SET', KEYS[1], ARGV[1]) and ARGV[1])"


@dataclass(frozen=True)
class Remembered:
    """A token as this process last looked it up: the caller it names, its store's columns, the
    credentials version read before the lookup and, for a secret token, when it was last used."""

    token: str
    caller: Caller
    store: dict[str, Any]
    version: str | None
    last_used_at: datetime | None = None

    @property
    def rate_limit_per_minute(self) -> int | None:
        return self.store["rate_limit_per_minute"]


def _remembered() -> dict[str, Remembered]:
    """This process's tokens, by the token as sent (each app its own)."""
    return current_app.extensions.setdefault("remembered_tokens", {})


def new_version() -> str:
    """A credentials version no process has seen."""
    return unique_token()


def credentials_changed() -> None:
    """Make every process look its tokens up again. Raises RedisError when Redis cannot be
    reached: the change must then not happen, or a process would go on trusting what it recalls."""
    connection().set(VERSION_KEY, new_version())


def remembered() -> Remembered | None:
    """This request's Bearer secret token or publishable token as this process remembers it, to be
    confirmed (`confirm`) or forgotten (`forget`) against the credentials version read in the same
    round trip as the rate limit; None when the caller is resolved already, or not remembered."""
    if "caller" in g:
        return None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, credentials = header.strip().partition(" ")
        token, kind = (credentials.strip() if scheme.lower() == "bearer" else None), "secret"
    else:
        token, kind = (request.headers.get(_publishable_header()) or "").strip(), "publishable"
    known = _remembered().get(token) if token else None
    return known if known is not None and known.caller.kind == kind else None


def confirm(known: Remembered) -> None:
    """The credentials version is still `known.version`: `known.caller` is this request's caller."""
    g.credentials_version = known.version
    g.caller = _used(known).caller


def forget(known: Remembered, current_version: str | None) -> None:
    """`known` is out of date: the caller is looked up again. `current_version`: the version
    just read in Redis (None when it cannot be reached)."""
    _remembered().pop(known.token, None)
    if current_version is not None:
        g.credentials_version = current_version


def rate_limit_per_minute() -> int | None:
    """The rate limit of the store of this request's token (None: the default one)."""
    return g.get("caller_rate_limit")


def _recalled(token: str) -> Remembered | None:
    known = _remembered().get(token)
    if known is None:
        return None
    if known.version != _current_version():
        _remembered().pop(token, None)
        return None
    return _used(known)


def _remember(known: Remembered) -> Remembered:
    if known.version is not None:
        remembered_tokens = _remembered()
        if len(remembered_tokens) >= _MAX_REMEMBERED:
            remembered_tokens.clear()
        remembered_tokens[known.token] = known
    return known


def _used(known: Remembered) -> Remembered:
    """`known`, used now: its last use is written when the one written is a minute old."""
    g.caller_rate_limit = known.rate_limit_per_minute
    g.caller_store_row = known.store
    if known.caller.kind != "secret":
        return known
    now = utcnow()
    if known.last_used_at is None or now - known.last_used_at > _LAST_USED_PRECISION:
        accounts().record_token_use(known.caller.token_id, known.caller.store_id, now)
        db.session.commit()
        known = replace(known, last_used_at=now)
        if known.token in _remembered():
            _remembered()[known.token] = known
    return known


def _current_version() -> str | None:
    """The credentials version in Redis (this request reads it once); None when Redis cannot be
    reached."""
    if g.get("credentials_version") is None:
        try:
            version = connection().eval(_READ_VERSION, 1, VERSION_KEY, new_version())
        except redis.RedisError:
            return None
        g.credentials_version = version.decode()
    return g.credentials_version


def _aware(moment):
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def authorize(allowed: tuple[Kind, ...], resource: str | None, action: Action) -> Caller:
    """The caller, if it may call an operation open to `allowed` kinds on `resource`.

    Raises Unauthenticated with no credentials where some are needed, Forbidden for credentials
    of the wrong kind or scope.
    """
    caller = current_caller()
    if caller.kind not in allowed:
        if caller.kind == "anonymous":
            raise Unauthenticated("This operation needs credentials: " + _kinds_text(allowed))
        raise Forbidden(
            f"This operation is not open to {_KIND_TEXT[caller.kind]}; use " + _kinds_text(allowed)
        )
    if not caller.can(resource, action):
        raise Forbidden(f"The token's scopes do not allow {action} access to {resource}")
    if caller.via_session and request.method not in ("GET", "HEAD", "OPTIONS"):
        _check_csrf()
    return caller


_KIND_TEXT = {
    "account": "account credentials (Basic or a dashboard session)",
    "secret": "a secret token (Bearer sk_…)",
    "publishable": "a publishable token (X-Publishable-Token pk_…)",
    "anonymous": "anonymous callers",
}


def _kinds_text(kinds: tuple[Kind, ...]) -> str:
    return " or ".join(_KIND_TEXT[kind] for kind in kinds if kind != "anonymous")


def _check_csrf() -> None:
    token = request.headers.get("X-CSRFToken") or request.form.get("csrf_token", "")
    try:
        validate_csrf(token)
    except (CSRFError, CsrfTokenInvalid) as error:
        raise Forbidden(f"CSRF check failed: {error}") from None


# A customer's browser: no credentials, but the projects it started or opened in the editor.


def may_open(store_id: str, project_id: str | None, key_opens: Callable[[str, str], bool]) -> bool:
    """Whether this request may open, in the editor, a design of the store `store_id` in the
    project `project_id`: its browser session started or opened the project, its `key` opens the
    project (`key_opens(project_id, key)`, the check of editor links), or the store's merchant is
    calling (an account or a secret token). Opened with the key or by the merchant, the session
    remembers the project: the page's own requests then need neither.

    Raises what authorize raises for credentials that do not check out or lack the designs scope.
    """
    if project_id in session.get(CUSTOMER_PROJECTS, []):
        return True
    key = request.args.get("key")
    opened = bool(key and project_id and key_opens(project_id, key))
    if not opened:
        caller = authorize(ANYONE, "designs", "read")
        opened = caller.kind in MERCHANTS and _owns(caller, store_id)
    if opened and project_id:
        remember_project(project_id)
    return opened


def remember_project(project_id: str) -> None:
    """Let this browser's session open the project `project_id` in the editor from now on."""
    projects = [known for known in session.get(CUSTOMER_PROJECTS, []) if known != project_id]
    session[CUSTOMER_PROJECTS] = [*projects, project_id][-MAX_CUSTOMER_PROJECTS:]


def require_customer(allowed: tuple[Kind, ...]) -> None:
    """For an anonymous caller of an operation a customer's browser may call: raises
    Unauthenticated, as authorize does, unless its session started or opened a project in the
    editor (which of its designs it may open, may_open decides)."""
    if not session.get(CUSTOMER_PROJECTS):
        raise Unauthenticated("This operation needs credentials: " + _kinds_text(allowed))


def _owns(caller: Caller, store_id: str) -> bool:
    try:
        caller.store(store_id)
    except NotFound:
        return False
    return True
