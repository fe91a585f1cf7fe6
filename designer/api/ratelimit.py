"""Per-token rate limits (moving window in Redis), with their headers on every API response.

Limits are counted per caller: a secret token, an account, a store's publishable token, or the
client address when there are no valid credentials. The limit is the store's own setting, or
RATE_LIMIT_PER_MINUTE. When Redis cannot be reached, each process keeps counting in memory
(so the API stays up and still limits) and goes back to Redis when it answers again.
"""

from flask import Flask, current_app, g
from flask_limiter import Limiter

from designer.api.auth import Caller, accounts, current_caller
from designer.api.errors import RETRY_UNAVAILABLE_SECONDS, ApiError, is_api_request


def _caller_key() -> str:
    try:
        return current_caller().identity
    except ApiError:  # credentials that do not check out are counted against the client address
        return Caller("anonymous").identity


def _limit() -> str:
    per_minute = current_app.config["RATE_LIMIT_PER_MINUTE"]
    try:
        store_id = current_caller().store_id
    except ApiError:
        store_id = None
    if store_id is not None:
        # A get, not a query: authentication has usually loaded the store into this request's
        # session already, so this costs no round trip to the database.
        store = accounts().store(store_id)
        per_minute = (store.rate_limit_per_minute if store is not None else None) or per_minute
    return f"{per_minute}/minute"


limiter = Limiter(
    key_func=_caller_key,
    application_limits=[_limit],
    application_limits_exempt_when=lambda: not is_api_request(),
    strategy="moving-window",
    headers_enabled=True,
    swallow_errors=True,
    in_memory_fallback_enabled=True,
    key_prefix="presswork",
)


def storage_uri(redis_url: str) -> str:
    """The `limits` library spells a unix-socket Redis as redis+unix://."""
    if redis_url.startswith("unix://"):
        return "redis+unix://" + redis_url.removeprefix("unix://")
    return redis_url


def init_rate_limits(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", storage_uri(app.config["REDIS_URL"]))
    # Registered before the limiter's own hook, so it runs after it (Flask runs them in reverse).
    app.after_request(_retry_after_only_when_limited)
    limiter.init_app(app)


def _retry_after_only_when_limited(response):
    # The limiter adds Retry-After to every response; it means something on a 429, and on a 503
    # (Redis or the database down) the client should come back soon, not when the window resets.
    # A view that answers "not yet" (a render being made) says when to ask again in
    # g.retry_after_s, since the limiter's own value would overwrite a header set by the view.
    if response.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_UNAVAILABLE_SECONDS)
    elif response.status_code != 429:
        response.headers.pop("Retry-After", None)
        if g.get("retry_after_s") is not None:
            response.headers["Retry-After"] = str(g.retry_after_s)
    return response
