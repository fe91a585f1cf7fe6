"""A small supervisor for the worker processes of `make run` (designer/cli.py `serve`).

It starts one process per command, watches them from a thread, and starts again any that exits:
after a back-off that doubles from FIRST_BACKOFF_S up to MAX_BACKOFF_S while the process keeps
dying young, and starts afresh once it has run HEALTHY_RUN_S. Every death and restart is logged
with the worker's name, its exit code and the delay. `stop` ends them all (SIGTERM, a warm
shutdown for RQ; SIGKILL to the process group when the grace period runs out).

Each process runs in a session of its own, so a Ctrl-C in the terminal reaches the web server
only, and the supervisor stops the workers in order; the group also holds a worker's work horse.
"""

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
HEALTHY_RUN_S = 60.0
_POLL_S = 0.2


@dataclass
class Supervised:
    """One supervised command and what the supervisor knows of it."""

    name: str
    command: Sequence[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff_s: float = FIRST_BACKOFF_S
    restart_at: float | None = None
    restarts: int = 0
    exit_codes: list[int] = field(default_factory=list)


class Supervisor:
    """Keeps `commands` (name → argv) running until `stop`."""

    def __init__(
        self,
        commands: Mapping[str, Sequence[str]],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        first_backoff_s: float = FIRST_BACKOFF_S,
        max_backoff_s: float = MAX_BACKOFF_S,
        healthy_run_s: float = HEALTHY_RUN_S,
    ):
        self.env, self.cwd = dict(env) if env is not None else None, cwd
        self.first_backoff_s, self.max_backoff_s, self.healthy_run_s = (
            first_backoff_s,
            max_backoff_s,
            healthy_run_s,
        )
        self.children = {
            name: Supervised(name, list(command), backoff_s=first_backoff_s)
            for name, command in commands.items()
        }
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> "Supervisor":
        """Start every process and the thread that watches them. Returns the supervisor."""
        with self._lock:
            for child in self.children.values():
                self._spawn(child)
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)
        self._thread.start()
        return self

    def pid(self, name: str) -> int | None:
        """The process id of the worker called `name` now (None while it waits to restart)."""
        with self._lock:
            process = self.children[name].process
            return process.pid if process is not None and process.poll() is None else None

    def stop(self, timeout_s: float = 20.0) -> None:
        """Stop watching, then end every process: SIGTERM, and SIGKILL to its group after `timeout_s`."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            running = [child.process for child in self.children.values() if child.process is not None]
            for process in running:
                if process.poll() is None:
                    process.terminate()
            deadline = time.monotonic() + timeout_s
            for process in running:
                try:
                    process.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _kill_group(process)
                    process.wait()

    def __enter__(self) -> "Supervisor":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # Internals

    def _spawn(self, child: Supervised) -> None:
        child.process = subprocess.Popen(child.command, env=self.env, cwd=self.cwd, start_new_session=True)
        child.started_at, child.restart_at = time.monotonic(), None
        log.info("worker %s started (pid %d)", child.name, child.process.pid)

    def _watch(self) -> None:
        while not self._stopping.wait(_POLL_S):
            with self._lock:
                if self._stopping.is_set():
                    return
                for child in self.children.values():
                    self._check(child)

    def _check(self, child: Supervised) -> None:
        now = time.monotonic()
        if child.restart_at is not None:
            if now >= child.restart_at:
                child.restarts += 1
                self._spawn(child)
            return
        code = child.process.poll() if child.process is not None else None
        if code is None:
            return
        child.exit_codes.append(code)
        ran_s = now - child.started_at
        if ran_s >= self.healthy_run_s:
            child.backoff_s = self.first_backoff_s  # it had run well: this death is news, not a loop
        delay = child.backoff_s
        child.backoff_s = min(child.backoff_s * 2, self.max_backoff_s)
        child.restart_at = now + delay
        # A work horse left behind by a killed worker finishes its job on its own: left alone.
        log.warning(
            "worker %s (pid %d) died with exit code %d after %.0f s; restarting in %g s",
            child.name,
            child.process.pid,
            code,
            ran_s,
            delay,
        )


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone already
        os.killpg(process.pid, signal.SIGKILL)
