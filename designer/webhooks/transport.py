"""Sending one webhook request: to a checked address, with short timeouts, no redirects.

The host is resolved once (addresses.resolve checks every address), and the connection goes to
a checked IP with the URL's host in the Host header and, for https, in the TLS SNI and the
certificate check, so the request is exactly what the URL asks for and nothing else is reached.
"""

import time
from dataclasses import dataclass
from urllib.parse import SplitResult

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error

from designer.webhooks.addresses import IPAddress, RefusedAddress, check_url, resolve

USER_AGENT = "Presswork-Webhooks/1"
RESPONSE_LIMIT_BYTES = 64 * 1024  # read (and drop) at most this much of an answer


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status code, or an error that kept it from getting one."""

    status_code: int | None
    duration_ms: int
    error: str | None = None
    retry_after: str | None = None

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
            return _send(parts, port, address, body, headers, started, deadline, connect_timeout_s)
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


def _send(
    parts: SplitResult,
    port: int,
    address: IPAddress,
    body: bytes,
    headers: dict[str, str],
    started: float,
    deadline: float,
    connect_timeout_s: float,
) -> Outcome:
    remaining_s = max(deadline - time.monotonic(), 0.001)
    timeout = urllib3.Timeout(connect=min(connect_timeout_s, remaining_s), read=remaining_s)
    host = parts.hostname
    default_port = 443 if parts.scheme == "https" else 80
    host_header = (f"[{host}]" if ":" in host else host) + ("" if port == default_port else f":{port}")
    options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            str(address),
            port,
            cert_reqs="CERT_REQUIRED",
            server_hostname=host,
            assert_hostname=host,
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(str(address), port, **options)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = {
        "Host": host_header,
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        **headers,
    }
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers=request_headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            read_bytes = 0
            # A slow answer is cut at the deadline, however it trickles in.
            while read_bytes < RESPONSE_LIMIT_BYTES and time.monotonic() < deadline:
                chunk = response.read(4096)
                if not chunk:
                    break
                read_bytes += len(chunk)
            if time.monotonic() >= deadline:
                raise TimeoutError
        finally:
            response.release_conn()
        return Outcome(response.status, _ms_since(started), None, response.headers.get("Retry-After"))
    finally:
        pool.close()


def _reason(failure: Exception) -> str:
    return str(getattr(failure, "reason", None) or failure)[:300]


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
