"""At most MAX_IN_FLIGHT attempts per webhook endpoint at once, across every worker.

A slot is a lease in Redis: a member of the endpoint's sorted set, scored with the moment (in
Redis's own clock, so the workers' clocks do not matter) its lease ends. Taking one first drops
the ended leases, so a worker killed mid-attempt holds its slot only until its lease ends, never
for ever. A slow endpoint can then hold at most MAX_IN_FLIGHT workers; the rest go on with other
stores' deliveries (a delivery that finds no slot is put back: deliveries.run_delivery).
"""

import uuid

import redis

MAX_IN_FLIGHT = 2
WAIT_S = 5  # a delivery that found no slot tries again after 5 to 7.5 s
_KEY = "presswork:webhook-slots:{}"

# KEYS[1]: the endpoint's set; ARGV: the limit, the lease in ms, the new slot's token.
_TAKE = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now_ms + tonumber(ARGV[2]), ARGV[3])
local longest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], tonumber(longest[2]) + 1000)
return 1
"""

_IN_FLIGHT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now_ms, '+inf')
"""


def key_of(webhook_id: str) -> str:
    return _KEY.format(webhook_id)


def take(
    connection: redis.Redis, webhook_id: str, *, lease_s: float, limit: int = MAX_IN_FLIGHT
) -> str | None:
    """A slot for one attempt to the endpoint, held for at most `lease_s`: its token, or None
    when `limit` attempts are in flight already. Raises redis.RedisError when Redis does not answer."""
    token = uuid.uuid4().hex
    taken = connection.eval(_TAKE, 1, key_of(webhook_id), limit, max(int(lease_s * 1000), 1), token)
    return token if taken == 1 else None


def release(connection: redis.Redis, webhook_id: str, token: str) -> None:
    """Give the slot back. Raises redis.RedisError when Redis does not answer (the lease then ends
    by itself)."""
    connection.zrem(key_of(webhook_id), token)


def in_flight(connection: redis.Redis, webhook_id: str) -> int:
    """How many of the endpoint's slots are held now (leases not yet ended)."""
    return int(connection.eval(_IN_FLIGHT, 1, key_of(webhook_id)))
