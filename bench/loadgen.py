"""A small keep-alive HTTP load generator, for machines without `wrk`.

Run as its own process (bench/api_throughput.py does that), so its CPU is not the server's:

    python bench/loadgen.py --port 8000 --path / --connections 16 --duration-s 10

A request other than a GET is given by --method and --body (sent as it is, with the headers given).

Each connection is a thread with one `http.client` connection to 127.0.0.1, kept alive when the
server allows it (gunicorn's sync workers close it; http.client then reconnects). The run
stops at the deadline or after --max-requests, whichever comes first. It prints one JSON object
in the same shape as the wrk script's report. The GIL makes it slower than wrk, so it measures
the server less precisely; prefer wrk where it can be installed.
"""

import argparse
import http.client
import json
import threading
import time
from dataclasses import dataclass

HOST = "127.0.0.1"  # never anything but loopback


class Counters:
    """Shared across the connection threads; the lock guards `issued` and the error counts."""

    def __init__(self, max_requests: int):
        self.lock = threading.Lock()
        self.max_requests = max_requests
        self.issued = 0
        self.errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}

    def claim(self) -> bool:
        with self.lock:
            if self.issued >= self.max_requests:
                return False
            self.issued += 1
            return True

    def failed(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict
    body: bytes | None


def drive_connection(
    port: int, sent: Request, deadline: float, counters: Counters, latencies_us: list[float]
) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        while time.monotonic() < deadline and counters.claim():
            started = time.perf_counter()
            try:
                connection.request(sent.method, sent.path, body=sent.body, headers=sent.headers)
                response = connection.getresponse()
                response.read()
            except TimeoutError:
                counters.failed("timeout")
                connection.close()
                continue
            except (ConnectionError, http.client.HTTPException, OSError):
                counters.failed("read")
                connection.close()
                continue
            latencies_us.append((time.perf_counter() - started) * 1e6)
            if response.status >= 400:
                counters.failed("status")
    finally:
        connection.close()


def percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return 0.0
    rank = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered)) - 1))
    return ordered[rank]


def run(port: int, sent: Request, connections: int, duration_s: float, max_requests: int) -> dict:
    counters = Counters(max_requests)
    per_thread: list[list[float]] = [[] for _ in range(connections)]
    started = time.monotonic()
    deadline = started + duration_s
    threads = [
        threading.Thread(
            target=drive_connection,
            args=(port, sent, deadline, counters, latencies),
            daemon=True,
        )
        for latencies in per_thread
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A request in flight at the deadline gets its 5 s socket timeout, then the thread ends.
        thread.join(timeout=duration_s + 10)
    elapsed_s = time.monotonic() - started
    ordered = sorted(latency for latencies in per_thread for latency in latencies)
    return {
        "requests": len(ordered),
        "duration_us": elapsed_s * 1e6,
        "p50_us": percentile(ordered, 50),
        "p99_us": percentile(ordered, 99),
        **counters.errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default=None, help="the request body, as it is sent")
    parser.add_argument("--header", action="append", default=[], help="'Name: value', repeatable")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration-s", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    args = parser.parse_args()
    headers = dict(line.split(": ", 1) for line in args.header)
    body = args.body.encode() if args.body is not None else None
    sent = Request(args.method, args.path, headers, body)
    report = run(args.port, sent, args.connections, args.duration_s, args.max_requests)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
