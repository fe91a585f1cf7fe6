"""What the benchmarks share: the Redis they use, a throw-away Presswork app to measure (in-process,
or served by gunicorn with `server_env`, `free_port` and `stop`), the machine line and RESULTS.md.

Each script runs as `python bench/<script>.py`, so this folder is on its path.
"""

import base64
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "RESULTS.md"
HOST = "127.0.0.1"


def redis_url(database: int) -> str:
    """REDIS_URL, else this machine's Redis on `database` when it answers, else "" (the app then
    starts its embedded server)."""
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return f"redis://127.0.0.1:6379/{database}"
    except OSError:
        return ""


def bench_app(instance: Path, redis_database: int, database_uri: str | None = None, **config):
    """An app on `database_uri` (default: a SQLite file in `instance`) with its tables made, files
    under `instance`, no rate limits and a cheap password hash; `config` overrides."""
    os.environ["INSTANCE_PATH"] = str(instance)
    from designer import create_app
    from designer.extensions import db

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_uri or f"sqlite:///{instance / 'bench.db'}",
            "REDIS_URL": redis_url(redis_database),
            "RATELIMIT_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "STORAGE_PATH": str(instance / "files"),
            **config,
        }
    )
    with app.app_context():
        db.create_all()
    return app


@contextmanager
def migrated(env: dict[str, str]):
    """In the context of the app a server with the environment `env` would serve, its database
    migrated; after, its connections are closed so that the server starts with none."""
    os.environ.update(env)
    from flask_migrate import upgrade

    from designer import create_app
    from designer.extensions import db

    with create_app().app_context():
        upgrade()
        yield db
        db.session.remove()
        db.engine.dispose()


def bench_store(client) -> tuple[str, dict]:
    """An account and a store made through the API with the test `client`: the store's id and the
    headers of a token of it with every scope."""
    email, password = "bench@example.com", "Bench-pass1"
    client.post("/api/v1/account", json={"name": "Bench", "email": email, "password": password})
    auth = {"Authorization": "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()}
    store = client.post("/api/v1/stores", json={"name": "Bench"}, headers=auth).json
    token = client.post(
        f"/api/v1/stores/{store['id']}/tokens", json={"name": "bench", "scopes": ["full"]}, headers=auth
    ).json
    return store["id"], {"Authorization": f"Bearer {token['token']}"}


def server_env(instance: Path, redis_url: str, **settings: str) -> dict[str, str]:
    """The environment of a gunicorn serving Presswork from `instance` (a SQLite file there, a fresh
    secret, warnings only in its log); `settings` adds to it."""
    instance.mkdir(parents=True, exist_ok=True)
    return dict(
        os.environ,
        INSTANCE_PATH=str(instance),
        DATABASE_URL=f"sqlite:///{instance / 'presswork.db'}",
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_urlsafe(32),
        LOG_LEVEL="WARNING",
        **settings,
    )


def start_gunicorn(
    app_spec: str, port: int, env: dict[str, str], log: Path, *flags: str, tree: Path = ROOT
) -> subprocess.Popen:
    """gunicorn serving `app_spec` from the checkout `tree` (this one unless told) on HOST:`port`
    with `flags`, its output in `log`. It runs in a session of its own, so a Ctrl-C reaches only
    the bench script, which then stops it."""
    command = [sys.executable, "-m", "gunicorn", *flags, "--bind", f"{HOST}:{port}", "--chdir", str(tree)]
    with log.open("wb") as output:
        return subprocess.Popen(
            [*command, "--log-level", "warning", app_spec],
            cwd=tree,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


# What `make install` builds that git does not hold; an earlier tree borrows this tree's copy.
BUILT = ("static/vendor", "library/fonts", "node_modules")


@contextmanager
def earlier_tree(revision: str):
    """The checkout of an earlier commit (any git revision) in a throwaway git worktree, with this
    tree's built files, for as long as the block runs."""
    with tempfile.TemporaryDirectory(prefix="presswork-compare-") as name:
        tree = Path(name) / "base"
        git("worktree", "add", "--detach", str(tree), revision)
        try:
            for built in BUILT:
                if (ROOT / built).exists():
                    shutil.copytree(ROOT / built, tree / built, symlinks=True)
            yield tree
        finally:
            git("worktree", "remove", "--force", str(tree))


def git(*arguments: str) -> str:
    """git's output in this checkout."""
    return subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_serving(
    server: subprocess.Popen, answers, name: str = "gunicorn", timeout_s: float = 60
) -> None:
    """Wait until `answers()` (a request to the server that raises OSError while nothing listens) is
    true; fail when the server exits first, or after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{name} exited with {server.returncode}")
        try:
            if answers():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within {timeout_s} s")


def stop(server: subprocess.Popen) -> None:
    """Ask the server to stop, and kill it if it has not within 15 s."""
    if server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass(frozen=True)
class DemoServer:
    """A gunicorn serving `make run`'s demo catalog from a throwaway instance."""

    port: int
    store_id: str
    secret: str
    publishable: str
    redis_url: str

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        """One JSON request on a connection of its own: the status and the body's bytes."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            payload = json.dumps(body) if body is not None else None
            connection.request(
                method, path, body=payload, headers={"Content-Type": "application/json", **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


@contextmanager
def render_workers(app, instance: Path, count: int, tree: Path = ROOT):
    """`count` render workers (`python -m worker --queues renders`, the worker code of `tree`) on
    `app`'s database, files (under `instance`) and Redis, each listening when the block starts,
    stopped after it. Yields their processes."""
    from redis import Redis
    from rq import Worker

    env = dict(
        os.environ,
        REDIS_URL=app.config["REDIS_URL"],
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        INSTANCE_PATH=str(instance),
        STORAGE_PATH=str(instance / "files"),
    )
    connection = Redis.from_url(app.config["REDIS_URL"])
    processes = [
        # Render workers, as production runs them (one kind of job each: README, Production).
        subprocess.Popen([sys.executable, "-m", "worker", "--queues", "renders"], cwd=tree, env=env)
        for _ in range(count)
    ]
    try:
        deadline = time.monotonic() + 60
        while Worker.count(connection=connection) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


@contextmanager
def demo_server(workers: int, redis_database: int = 13):
    """The demo (migrated by Alembic and seeded as `make run` does, SQLite in a throwaway instance)
    served by gunicorn with `workers` sync workers on a free port; Redis from REDIS_URL, else this
    machine's on `redis_database`, else the embedded server. Stopped and removed after the block."""
    workdir = Path(tempfile.mkdtemp(prefix="presswork-bench-"))
    server = None
    try:
        redis = redis_url(redis_database)
        if not redis:
            from designer.embedded_redis import EmbeddedRedis

            redis = EmbeddedRedis(workdir / "redis").start()
        env = server_env(workdir / "instance", redis)
        with migrated(env):
            from designer.cli import seed_demo

            account, secret = seed_demo()
            store = account.stores[0]
            store_id, publishable = store.id, store.publishable_token
        port = free_port()
        server = start_gunicorn("wsgi:app", port, env, workdir / "server.log", "--workers", str(workers))
        demo = DemoServer(port, store_id, secret, publishable, redis)
        wait_until_serving(server, lambda: demo.request("GET", "/api/v1/health")[0] == 200)
        yield demo
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


CHROMIUM = "/usr/bin/chromium"
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}


@contextmanager
def launch_chromium():
    """Debian's Chromium, headless, driven by Playwright, for as long as the block runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def percentile(values: list[float], fraction: float) -> float:
    """The value at `fraction` (0.95: p95) of the sorted values, the nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def listening(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """An HTTP server on a free port of HOST, answering each request with `handler` in a thread of its
    own; the caller shuts it down."""
    server = ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def now() -> str:
    """When a report is written: the minute, in UTC."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def machine(*libraries: str) -> str:
    """The report's machine line: CPUs, memory, system, Python, then each of `libraries` and its version."""
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    described = [
        f"{os.cpu_count()} CPUs (shared with other work)",
        f"{memory_gib:.1f} GiB memory",
        f"{platform.system()} {platform.machine()}",
        f"Python {platform.python_version()}",
    ]
    return ", ".join(described + [f"{name} {version(name)}" for name in libraries])


def publish(report: str, keep: bool) -> None:
    """Print the report and, when `keep`, add it to bench/RESULTS.md after a blank line."""
    print(report)
    if keep:
        with RESULTS.open("a") as results:
            results.write("\n" + report)
