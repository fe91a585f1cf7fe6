"""The Redis connection, and the RQ queues the workers listen on.

Each kind of job has a queue of its own, served by worker processes of its own (`python -m
worker --queues renders`): a render never waits behind a slow webhook endpoint, nor a delivery
behind a batch of renders. `make run` starts one worker per queue; production runs as many per
queue as the load asks (README, Production).
"""

import socket
import struct
import threading
from datetime import UTC, datetime, timedelta

import redis
from flask import Flask, current_app
from redis.commands.core import Script
from redis.exceptions import NoScriptError
from rq import Worker
from rq.utils import now

RENDERS = "renders"  # print-ready PDFs (worker/renders.py)
PROOFS = "proofs"  # PNG proofs of completed designs (worker/proofs.py)
WEBHOOKS = "webhooks"  # event dispatch and deliveries (worker/webhooks.py, designer/webhooks)
MODELS = "models"  # 3D models' validation (worker/models3d.py, designer/previews3d)
# A worker that serves several queues (`python -m worker` alone) takes webhook jobs first: they are
# short (one request within its deadline), and never wait behind a batch of renders there either.
QUEUES = (WEBHOOKS, RENDERS, PROOFS, MODELS)


def init_redis(app: Flask) -> None:
    app.extensions["redis"] = redis.Redis.from_url(app.config["REDIS_URL"])
    app.extensions["redis_of_thread"] = threading.local()


def connection() -> redis.Redis:
    return current_app.extensions["redis"]


def run_script(script: Script, keys: list[str], args: list[str | int]):
    """`script`'s answer to `keys` and `args`, on this thread's own connection to Redis: for what
    every request asks (the rate limit). No pool to take the connection from and give it back to,
    and the command written in one piece here rather than through the client's general path. A
    connection found broken (Redis restarted) is opened again once; one that timed out is not.
    Raises RedisError."""
    local = current_app.extensions["redis_of_thread"]
    client = getattr(local, "client", None)
    if client is None:
        client = local.client = redis.Redis.from_url(
            current_app.config["REDIS_URL"], single_connection_client=True
        )
    words = [b"EVALSHA", script.sha.encode(), str(len(keys)).encode()]
    words += [str(word).encode() for word in (*keys, *args)]
    command = b"".join([b"*%d\r\n" % len(words), *(b"$%d\r\n%s\r\n" % (len(word), word) for word in words)])
    connection = client.connection
    for attempt in (1, 2):
        try:
            if connection._sock is None:
                connection.connect()
            if connection._sock.gettimeout() is not None:  # a new socket, or the client's path set it
                _timed_out_by_the_kernel(connection._sock)
            connection.send_packed_command([command], check_health=False)
            return connection.read_response()
        except NoScriptError:  # a Redis that restarted, or another one: the script is sent once
            script.sha = client.script_load(script.script)
            return client.evalsha(script.sha, len(keys), *keys, *args)
        except redis.ConnectionError as error:
            # Past the deadline (the kernel's EAGAIN) Redis is slow, not gone: asking again would
            # only wait as long once more.
            if attempt == 2 or isinstance(error.__context__, BlockingIOError):
                raise


def _timed_out_by_the_kernel(sock: socket.socket) -> None:
    """The socket's deadline kept by the kernel rather than by Python, which otherwise asks the
    kernel whether the socket is ready before every send and every receive: two system calls more
    on each request. A send or receive past the deadline fails as before (a ConnectionError)."""
    seconds = sock.gettimeout()
    deadline = struct.pack("ll", int(seconds), int(seconds % 1 * 1_000_000))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, deadline)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, deadline)
    sock.settimeout(None)


# A worker heartbeats every 15 s when idle and every 10 s while a job runs (worker/__init__.py);
# one silent for longer than this is dead, although Redis keeps its key for another minute.
WORKER_TTL_S = 30


def live_workers(connection: redis.Redis) -> list[Worker]:
    """The registered workers whose last heartbeat is within WORKER_TTL_S. Raises RedisError."""
    cutoff = now() - timedelta(seconds=WORKER_TTL_S)
    return [
        worker
        for worker in Worker.all(connection=connection)
        if worker.last_heartbeat is not None and _utc(worker.last_heartbeat) >= cutoff
    ]


def worker_is_alive(connection: redis.Redis, name: str | None) -> bool:
    """Whether the worker called `name` heartbeat within WORKER_TTL_S. Raises RedisError."""
    if not name:
        return False
    worker = Worker.find_by_key(f"{Worker.redis_worker_namespace_prefix}{name}", connection=connection)
    if worker is None or worker.last_heartbeat is None:
        return False
    return _utc(worker.last_heartbeat) >= now() - timedelta(seconds=WORKER_TTL_S)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
