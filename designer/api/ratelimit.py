"""Per-caller rate limits (a moving window in Redis), with their headers on every API response.

Limits are counted per caller: a secret token, an account, a store's publishable token, or the
client address when there are no valid credentials. The limit is the store's own setting, or
RATE_LIMIT_PER_MINUTE. A request costs one round trip to Redis: one script counts the hit in the
caller's window (a sorted set of the hits' times, so the window moves and the count is exact),
answers what the headers say, and reads the credentials version that confirms a token this
process remembers (auth.py). When Redis cannot be reached, each process keeps counting in memory
(so the API stays up and still limits) and goes back to Redis when it answers again.
"""

import functools
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import redis
from flask import Flask, current_app, g

from designer.api import auth
from designer.api.auth import Caller, current_caller
from designer.api.errors import RETRY_UNAVAILABLE_SECONDS, ApiError, RateLimited, is_api_request
from designer.ids import unique_token
from designer.queue import run_script

log = logging.getLogger(__name__)

WINDOW_S = 60
_PREFIX = "presswork:rate:"

# KEYS: the caller's window, the credentials version. ARGV: now (s), limit, window (s), a member
# unique to this hit, the version the caller was remembered with ("" when there is none to
# confirm), a version to set when there is none yet. Answers {counted (1, 0 over the limit, -1 the
# remembered version is not current: nothing counted), hits in the window, the oldest hit's time,
# the current version}.
_HIT = """
local version = redis.call('GET', KEYS[2])
if not version then
  version = ARGV[6]
  redis.call('SET', KEYS[2], version)
end
if ARGV[5] ~= '' and ARGV[5] ~= version then
  return {-1, 0, '0', version}
end
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local hits = redis.call('ZCARD', KEYS[1])
local counted = 0
if hits < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('EXPIRE', KEYS[1], window + 1)
  hits = hits + 1
  counted = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2] or ARGV[1]
return {counted, hits, oldest, version}
"""


@dataclass(frozen=True)
class Window:
    """Where a caller stands after this request: what the X-RateLimit-* headers say."""

    limit: int
    hits: int
    oldest_s: float
    counted: bool

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.hits)

    @property
    def reset_at(self) -> int:
        """When the oldest hit leaves the window (epoch seconds, rounded up)."""
        return int(self.oldest_s + WINDOW_S + 1)


def init_rate_limits(app: Flask) -> None:
    """Count every API request (unless RATELIMIT_ENABLED is off) and add the headers to its answer."""
    app.extensions["rate_limit_script"] = app.extensions["redis"].register_script(_HIT)
    app.before_request(_count_request)
    app.after_request(_add_headers)


def _count_request() -> None:
    if not current_app.config["RATELIMIT_ENABLED"] or not is_api_request():
        return
    g.rate_limit_window = _counted()
    _refuse_past(g.rate_limit_window)


def _counted() -> Window:
    """This request counted against its caller's window (in Redis, else in this process's memory).

    A token this process remembers is confirmed in the same round trip; when it is not current,
    nothing was counted, and the caller is looked up again and counted then."""
    remembered = auth.remembered()
    if remembered is not None:
        answer = _redis_hit(
            remembered.caller.identity, _limit_of(remembered.rate_limit_per_minute), remembered
        )
        if answer is not None and answer[0] is not None:
            auth.confirm(remembered)
            return answer[0]
        auth.forget(remembered, current_version=answer[1] if answer is not None else None)
    try:
        caller, store_limit = current_caller(), auth.rate_limit_per_minute()
    except ApiError:  # credentials that do not check out are counted against the client address
        caller, store_limit = Caller("anonymous"), None
    limit = _limit_of(store_limit)
    answer = _redis_hit(caller.identity, limit, None)
    return answer[0] if answer is not None else _in_memory.hit(caller.identity, limit)


def shared_limit(scope: str, per_minute: Callable[[], int], key: Callable[[], str]):
    """A view's own limit on top of the caller's: at most `per_minute()` calls a minute for each
    `key()`, shared by every view decorated with the same scope (counted like the caller's)."""

    def decorate(view):
        @functools.wraps(view)
        def limited(*args, **kwargs):
            if current_app.config["RATELIMIT_ENABLED"]:
                identity, limit = f"{scope}:{key()}", per_minute()
                answer = _redis_hit(identity, limit, None)
                window = answer[0] if answer is not None else _in_memory.hit(identity, limit)
                _refuse_past(window)
            return view(*args, **kwargs)

        return limited

    return decorate


def _refuse_past(window: Window) -> None:
    if not window.counted:
        g.retry_after_s = max(1, math.ceil(window.oldest_s + WINDOW_S - time.time()))
        raise RateLimited(f"Rate limit exceeded ({window.limit} per minute); retry later")


def _limit_of(store_limit: int | None) -> int:
    return store_limit or current_app.config["RATE_LIMIT_PER_MINUTE"]


def _redis_hit(
    identity: str, limit: int, remembered: auth.Remembered | None
) -> tuple[Window | None, str] | None:
    """The hit counted in Redis, and the current credentials version; (None, version) when
    `remembered` is not current (nothing counted); None when Redis cannot be reached."""
    now = time.time()
    try:
        counted, hits, oldest, version = run_script(
            current_app.extensions["rate_limit_script"],
            keys=[_PREFIX + identity, auth.VERSION_KEY],
            args=[
                repr(now),
                limit,
                WINDOW_S,
                unique_token(),
                remembered.version if remembered is not None else "",
                auth.new_version(),
            ],
        )
    except redis.RedisError as error:
        log.warning("Rate limits cannot reach Redis, counting in memory: %s", error)
        return None
    version = version.decode()
    if counted == -1:
        return None, version
    return Window(limit, hits, float(oldest), counted=counted == 1), version


class _InMemory:
    """Moving windows in this process, while Redis cannot be reached."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def hit(self, identity: str, limit: int) -> Window:
        now = time.time()
        with self._lock:
            hits = self._hits.setdefault(identity, deque())
            while hits and hits[0] <= now - WINDOW_S:
                hits.popleft()
            counted = len(hits) < limit
            if counted:
                hits.append(now)
            return Window(limit, len(hits), hits[0] if hits else now, counted)


_in_memory = _InMemory()


def _add_headers(response):
    window = g.get("rate_limit_window")
    if window is not None:  # only this hook writes these: added, not looked for first
        response.headers.extend(
            (
                ("X-RateLimit-Limit", str(window.limit)),
                ("X-RateLimit-Remaining", str(window.remaining)),
                ("X-RateLimit-Reset", str(window.reset_at)),
            )
        )
    # Retry-After means something on a 429 (when the window lets a request through again, or when
    # log-in may be tried again), on a 503 (Redis or the database down: come back soon), and when
    # a view answers "not yet" (a render being made), which says when in g.retry_after_s.
    if response.status_code == 503:
        response.headers["Retry-After"] = str(RETRY_UNAVAILABLE_SECONDS)
    elif g.get("retry_after_s") is not None:
        response.headers["Retry-After"] = str(g.retry_after_s)
    return response
