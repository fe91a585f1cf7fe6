"""Sending one webhook request (and fetching a file a store names by URL, a font: `get`): to a
checked address, within one deadline, no redirects.

The host is resolved once (addresses.resolve checks every address), and the connection goes to
a checked IP with the URL's host in the Host header and, for https, in the TLS SNI and the
certificate check, so the request is exactly what the URL asks for and nothing else is reached.

The whole exchange (connecting, the TLS handshake, sending, the status line, the headers and the
body) ends by one deadline. A socket timeout alone bounds each read, not their sum, so a receiver
sending a byte every few seconds would hold the worker for ever: here every send and read first
shrinks the socket's timeout to what is left of the deadline, and fails once none is left.

A webhook's connection is kept alive for the next attempt from the same thread (`post`): each
sending thread keeps a pool per checked address, host and port (at most KEPT_POOLS, the least
recently used closed first), so a connection is only ever reused to the address the host has
just resolved to and been checked at; its deadline is the attempt's own. An answer read to its
end leaves the connection for the next attempt; any other is closed.
"""

import io
import socket
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import SplitResult

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from designer.webhooks.addresses import IPAddress, RefusedAddress, check_url, resolve

USER_AGENT = "Presswork-Webhooks/1"
RESPONSE_LIMIT_BYTES = 64 * 1024  # read (and drop) at most this much of an answer
KEPT_POOLS = 32  # kept-alive pools per sending thread


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status code, or an error that kept it from getting one."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    retry_after: str | None = None
    content: bytes = b""  # what `get` kept of the answer

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    connect_timeout_s: float,
    total_timeout_s: float,
    allow_loopback: bool,
) -> Outcome:
    """POST `body` to `url` once. Never raises: a refused address, a timeout or a broken
    connection is an Outcome with an error."""
    return _request(
        "POST",
        url,
        body,
        {"Content-Type": "application/json", **headers},
        connect_timeout_s=connect_timeout_s,
        total_timeout_s=total_timeout_s,
        allow_loopback=allow_loopback,
        keep_bytes=0,
        keep_alive=True,
    )


def get(
    url: str, *, limit_bytes: int, connect_timeout_s: float, total_timeout_s: float, allow_loopback: bool
) -> Outcome:
    """GET `url` once, through the same checks as a webhook, keeping its answer's body (at most
    `limit_bytes`: a longer one is an Outcome with an error). Never raises."""
    return _request(
        "GET",
        url,
        b"",
        {},
        connect_timeout_s=connect_timeout_s,
        total_timeout_s=total_timeout_s,
        allow_loopback=allow_loopback,
        keep_bytes=limit_bytes,
        keep_alive=False,
    )


def _request(
    method: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    connect_timeout_s: float,
    total_timeout_s: float,
    allow_loopback: bool,
    keep_bytes: int,
    keep_alive: bool,
) -> Outcome:
    started = time.monotonic()
    deadline = started + total_timeout_s
    try:
        parts = check_url(url, allow_loopback=allow_loopback)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve(parts.hostname, port, allow_loopback=allow_loopback)
    except RefusedAddress as error:
        return Outcome(None, _ms_since(started), f"Refused: {error}")
    except OSError as error:
        return Outcome(None, _ms_since(started), f"The host does not resolve: {error}")
    error = "No address to connect to"
    for address in addresses:
        try:
            request = _Request(method, body, headers, keep_bytes, keep_alive)
            return _send(parts, port, address, request, started, deadline, connect_timeout_s)
        except urllib3.exceptions.ConnectTimeoutError:
            error = f"Connecting timed out after {connect_timeout_s:g} s"
        except urllib3.exceptions.NewConnectionError as failure:
            error = f"Could not connect: {_reason(failure)}"
        except (TimeoutError, urllib3.exceptions.ReadTimeoutError):
            return Outcome(None, _ms_since(started), f"Timed out after {total_timeout_s:g} s")
        except (Urllib3Error, OSError) as failure:
            return Outcome(None, _ms_since(started), f"The request failed: {_reason(failure)}")
        if time.monotonic() >= deadline:
            break
    return Outcome(None, _ms_since(started), error)


@dataclass(frozen=True)
class _Request:
    method: str
    body: bytes
    headers: dict[str, str]
    keep_bytes: int  # how much of the answer's body to keep (0: read and drop a little)
    keep_alive: bool  # the connection is kept for this thread's next request to the address


def _send(
    parts: SplitResult,
    port: int,
    address: IPAddress,
    request: _Request,
    started: float,
    deadline: float,
    connect_timeout_s: float,
) -> Outcome:
    remaining_s = max(deadline - time.monotonic(), 0.001)
    timeout = urllib3.Timeout(connect=min(connect_timeout_s, remaining_s), read=remaining_s)
    host = parts.hostname
    default_port = 443 if parts.scheme == "https" else 80
    host_header = (f"[{host}]" if ":" in host else host) + ("" if port == default_port else f":{port}")
    pool, clock = _pool(parts.scheme, str(address), port, host, request.keep_alive)
    clock.deadline = deadline
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {"Host": host_header, "User-Agent": USER_AGENT, **request.headers}
    read_to_end = False
    try:
        response = pool.urlopen(
            request.method,
            path,
            body=request.body or None,
            headers=request_headers,
            timeout=timeout,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
            release_conn=False,
        )
        try:
            # Read the body in bounded chunks, each read cut at the deadline: kept up to
            # `keep_bytes`, else dropped after RESPONSE_LIMIT_BYTES.
            limit = request.keep_bytes + 1 if request.keep_bytes else RESPONSE_LIMIT_BYTES
            chunks, read_bytes = [], 0
            while read_bytes < limit:
                chunk = response.read(min(65536, limit - read_bytes))
                if not chunk:
                    read_to_end = True
                    break
                read_bytes += len(chunk)
                if request.keep_bytes:
                    chunks.append(chunk)
        finally:
            if read_to_end and request.keep_alive:
                response.release_conn()  # back in the pool, for this thread's next attempt
            else:
                response.close()
        if request.keep_bytes and read_bytes > request.keep_bytes:
            error = f"The answer is larger than {request.keep_bytes // (1024 * 1024)} MB"
            return Outcome(response.status, _ms_since(started), error)
        retry_after = response.headers.get("Retry-After")
        return Outcome(response.status, _ms_since(started), None, retry_after, b"".join(chunks))
    finally:
        if not request.keep_alive:
            pool.close()


class _Clock:
    """The deadline of the attempt a pool's connection serves now (set before each request)."""

    deadline: float = 0.0


_kept = threading.local()


def _pool(
    scheme: str, address: str, port: int, host: str, keep_alive: bool
) -> tuple[urllib3.HTTPConnectionPool, _Clock]:
    """A connection pool of one connection to the checked `address`, for the URL's `host`: this
    thread's kept one when `keep_alive`, else a new one (the caller closes it)."""
    key = (scheme, address, port, host)
    kept: OrderedDict = _kept.__dict__.setdefault("pools", OrderedDict())
    if keep_alive and key in kept:
        kept.move_to_end(key)
        return kept[key]
    clock = _Clock()
    options = {"retries": False, "maxsize": 1}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, cert_reqs="CERT_REQUIRED", server_hostname=host, assert_hostname=host, **options
        )
        pool.ConnectionCls = _within_deadline(urllib3.connection.HTTPSConnection, clock)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
        pool.ConnectionCls = _within_deadline(urllib3.connection.HTTPConnection, clock)
    if keep_alive:
        kept[key] = (pool, clock)
        while len(kept) > KEPT_POOLS:
            kept.popitem(last=False)[1][0].close()
    return pool, clock


def _within_deadline(connection_class: type, clock: _Clock) -> type:
    """A subclass of urllib3's connection class whose socket ends every operation by the deadline
    of the attempt it serves (`clock`)."""

    class DeadlineConnection(connection_class):
        def _new_conn(self) -> socket.socket:
            sock = super()._new_conn()
            # The TLS handshake (https) runs on this socket next: within what is left, too.
            sock.settimeout(_left(clock.deadline))
            return sock

        def connect(self) -> None:
            super().connect()
            self.sock = _DeadlineSocket(self.sock, clock)

    return DeadlineConnection


class _DeadlineSocket:
    """A connected socket (plain or TLS) whose every send and read ends by the deadline of the
    attempt it serves (`clock`).

    Raises TimeoutError (socket.timeout) from any operation once the deadline has passed.
    """

    def __init__(self, sock: socket.socket, clock: _Clock):
        self._sock = sock
        self._clock = clock
        self._readers = 0
        self._closing = False

    def __getattr__(self, name: str):
        return getattr(self._sock, name)

    def settimeout(self, _timeout: float | None) -> None:
        # urllib3 sets its own per-operation timeout before each phase: ours is what is left.
        self._sock.settimeout(_left(self._clock.deadline))

    def sendall(self, data, *args) -> None:
        self._sock.settimeout(_left(self._clock.deadline))  # sendall's timeout bounds the whole send
        self._sock.sendall(data, *args)

    def send(self, data, *args) -> int:
        self._sock.settimeout(_left(self._clock.deadline))
        return self._sock.send(data, *args)

    def recv_into(self, buffer, nbytes: int = 0, flags: int = 0) -> int:
        self._sock.settimeout(_left(self._clock.deadline))
        return self._sock.recv_into(buffer, nbytes, flags)

    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        self._sock.settimeout(_left(self._clock.deadline))
        return self._sock.recv(bufsize, flags)

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:
        # http.client reads the status line, headers and body through this file.
        if mode != "rb":
            raise ValueError(f"only 'rb' is supported, not {mode!r}")
        self._readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def close(self) -> None:
        # As a socket's own makefile does: http.client closes the connection as soon as it has
        # the headers of a last answer (HTTP/1.0, Connection: close), while the body is still
        # read from the file; the socket is closed once its files are.
        self._closing = True
        if self._readers == 0:
            self._sock.close()

    def _reader_closed(self) -> None:
        self._readers -= 1
        if self._closing and self._readers == 0:
            self._sock.close()


class _DeadlineReader(io.RawIOBase):
    """The raw stream under the response's file: every read goes through the deadline socket."""

    def __init__(self, sock: _DeadlineSocket):
        super().__init__()
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._sock._reader_closed()


def _left(deadline: float) -> float:
    """The seconds left before `deadline`. Raises TimeoutError when none are."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the attempt's deadline has passed")
    return left


def _reason(failure: Exception) -> str:
    return str(getattr(failure, "reason", None) or failure)[:300]


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
