"""Who is calling: a secret token, an account (Basic or the dashboard session), a publishable token.

The caller is resolved once per request and cached on `g`. Every failure is an ApiError, so the
API answers it in the contract's error shape.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from flask import g, request, session
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError as CsrfTokenInvalid

from designer.api.scopes import Action, allows
from designer.errors import ApiError, Forbidden, NotFound, RateLimited, Unauthenticated
from designer.extensions import db
from designer.models import utcnow

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
    - `publishable_store_id(token)`: the id of the store with this publishable token, or None;
    - `store(store_id)`: the store with this id, or None;
    - `authenticate(email, password)`: the account these credentials open, or None;
    - `login_refusal(email, address)`, `record_failure(email, address)`, `record_success(email)`:
      the log-in limits the dashboard's log-in counts too.
    """

    token_and_store: Callable[[str], tuple[Any, Any] | None]
    publishable_store_id: Callable[[str], str | None]
    store: Callable[[str], Any]
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

    def store(self, store_id: str):
        """The store this caller may act on. Another account's or token's store is a 404."""
        # An id with a NUL names no store, and PostgreSQL cannot even compare it.
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
    # The token's store comes in the same query: the rate limit and the view both read it next,
    # and the session's identity map then answers them without another database round trip. The
    # identity map holds objects weakly, so `g` keeps the store alive until the request ends.
    row = accounts().token_and_store(secret)
    token, g.caller_store = row if row is not None else (None, None)
    if token is None or token.revoked_at is not None:
        raise Unauthenticated("The token is unknown or has been revoked")
    now = utcnow()
    if token.last_used_at is None or now - _aware(token.last_used_at) > _LAST_USED_PRECISION:
        token.last_used_at = now
        db.session.commit()
    return Caller("secret", store_id=token.store_id, token_id=token.id, scopes=frozenset(token.scopes))


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
    store_id = None
    # Only a string shaped like a token is looked up: PostgreSQL refuses text with a NUL in it.
    if token.startswith("pk_") and token.isprintable():
        store_id = accounts().publishable_store_id(token)
    if store_id is None:
        raise Unauthenticated("The publishable token is unknown or has been renewed")
    return Caller("publishable", store_id=store_id)


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
