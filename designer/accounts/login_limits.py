"""How many wrong passwords an email address, and a client address, may send before log-in waits.

Failures are counted in Redis, per email (LOGIN_FAILURES_PER_EMAIL in LOGIN_WINDOW_S, 5 in 15
minutes by default) and, more loosely, per client address (LOGIN_FAILURES_PER_ADDRESS). Once a
count is reached, every attempt for that email (or from that address) is refused until the window
of the first failure ends, whether or not the password is right: otherwise a guesser would learn
the password by the one attempt that is let through. An email with no account is counted just the
same, so a refusal says nothing about whether the account exists. A right password, let through,
clears its email's count.

The dashboard's log-in form and the API's Basic credentials share the counts. When Redis cannot be
reached the limits are not applied (log-in stays possible) and a warning is logged.
"""

import hashlib
import logging
import math
from dataclasses import dataclass

import redis
from flask import current_app

from designer.queue import connection

log = logging.getLogger(__name__)

_PREFIX = "presswork:login-failures:"


@dataclass(frozen=True)
class Refusal:
    """Why log-in waits: the count that was reached ("email" or "address") and for how long."""

    reason: str
    retry_after_s: int

    @property
    def message(self) -> str:
        """The refusal in plain words, saying when to try again."""
        minutes = max(1, math.ceil(self.retry_after_s / 60))
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
        if self.reason == "email":
            return f"Too many wrong passwords for this email address. Try again in {wait}."
        return f"Too many wrong passwords from your network. Try again in {wait}."


def _keys(email: str, address: str | None) -> dict[str, str]:
    # The email is hashed: Redis holds no addresses of people, and any text makes a valid key.
    folded = email.strip().lower().encode("utf-8", "replace")
    keys = {"email": _PREFIX + "email:" + hashlib.sha256(folded).hexdigest()}
    if address:
        keys["address"] = _PREFIX + "address:" + address
    return keys


def _limits() -> dict[str, int]:
    config = current_app.config
    return {
        "email": config.get("LOGIN_FAILURES_PER_EMAIL", 5),
        "address": config.get("LOGIN_FAILURES_PER_ADDRESS", 50),
    }


def refusal(email: str, address: str | None) -> Refusal | None:
    """The Refusal for an attempt to log in as `email` from `address`, or None if it may be tried."""
    keys = _keys(email, address)
    limits = _limits()
    try:
        with connection().pipeline(transaction=False) as pipe:
            for key in keys.values():
                pipe.get(key)
                pipe.ttl(key)
            answers = pipe.execute()
    except redis.RedisError as error:
        log.warning("log-in limits not checked, Redis is unreachable: %s", error)
        return None
    for index, reason in enumerate(keys):
        count, ttl_s = answers[2 * index], answers[2 * index + 1]
        if count is not None and int(count) >= limits[reason]:
            return Refusal(reason, max(int(ttl_s), 1))
    return None


def record_failure(email: str, address: str | None) -> None:
    """Count a wrong password for `email` and from `address`; the window starts at the first."""
    window_s = current_app.config.get("LOGIN_WINDOW_S", 15 * 60)
    try:
        with connection().pipeline(transaction=True) as pipe:
            for key in _keys(email, address).values():
                # NX: later failures do not push the end of the window further away.
                pipe.set(key, 0, ex=window_s, nx=True)
                pipe.incr(key)
            pipe.execute()
    except redis.RedisError as error:
        log.warning("log-in failure not counted, Redis is unreachable: %s", error)


def record_success(email: str) -> None:
    """Forget the wrong passwords counted for `email` (the address's count stays)."""
    try:
        connection().delete(_keys(email, None)["email"])
    except redis.RedisError as error:
        log.warning("log-in failures not cleared, Redis is unreachable: %s", error)
