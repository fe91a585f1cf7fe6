"""RQ workers. Jobs are thin: they take ids and call designer services inside an app context.

Run one per queue with `python -m worker --queues renders` (proofs, webhooks likewise), or with
RQ's own command: `rq worker --url "$REDIS_URL" --worker-class worker.AppWorker renders`.
`python -m worker` with no queue named serves them all (a small installation, or a test).

Besides jobs, every worker runs the periodic sweeps (designer/sweeps.py) on its maintenance tick,
so a fleet of plain `rq worker` processes needs no scheduler process of its own: renders whose
worker died are queued again, and so on. The worker TTL is short so that a worker killed with
SIGKILL is known dead within WORKER_TTL_S of its last heartbeat, and its renders are picked up in
under two minutes.

A worker outlives a Redis restart: RQ itself waits for Redis while the worker is idle; while a
job runs, a heartbeat or a bookkeeping write that Redis does not answer is logged and skipped
(the job goes on, and the database says what it did), and once Redis answers again the worker
registers itself anew if the restart lost its registration. Whatever still kills a worker, the
supervisor of `make run` (designer/supervisor.py) starts it again.

Jobs run in the worker's own process, one after the other (no work horse forked per job, whose
every cache and connection would start cold: that cost a render job several times its drawing),
each in an app context of its own, so a job sees nothing a job before it left in the session.
What a forked horse gave is kept otherwise: RQ stops a job at its timeout (SIGALRM, in the job);
a job stuck past its timeout and JOB_KILL_GRACE_S more (in native code, where no signal is
handled) ends the process, which its supervisor starts again; a render's memory is capped inside
the job (designer/rendering/memory.py); a heartbeat is kept while a job runs (a watchdog thread);
and a worker whose resident memory grew past WORKER_RECYCLE_MB after a job (what a large render
leaves behind) starts itself afresh: it stops taking jobs and executes its own command again
(same process id, a new registration).
"""

import contextlib
import ctypes
import importlib
import logging
import os
import pkgutil
import signal
import sys
import threading
import time
from pathlib import Path

import redis
from flask import current_app, has_app_context
from rq import SimpleWorker

from designer import create_app
from designer.queue import WORKER_TTL_S
from designer.sweeps import run_sweeps, sweep_interval_s

log = logging.getLogger(__name__)

_REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
JOB_KILL_GRACE_S = 60  # a job this far past its timeout has not answered RQ's SIGALRM
WORKER_RECYCLE_MB = 768  # resident memory past which a worker starts itself afresh after a job


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_forking: dict[str, int] = {}


def _forked_children_end_with_this_process() -> None:
    """Every process this worker forks (RQ's scheduler) is sent SIGTERM when the worker dies, even
    by SIGKILL or the kernel's out-of-memory killer. Otherwise that child runs on as an orphan,
    holding the scheduler's lock, and nothing ever stops it. Linux only; once per process."""
    if not sys.platform.startswith("linux") or _forking:
        return
    prctl = ctypes.CDLL(None, use_errno=True).prctl

    def noting_the_parent() -> None:
        _forking["parent"] = os.getpid()

    def in_the_child() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != _forking["parent"]:  # the worker died before the line above
            os._exit(0)

    _forking["parent"] = os.getpid()
    os.register_at_fork(before=noting_the_parent, after_in_child=in_the_child)


class AppWorker(SimpleWorker):
    """An RQ worker that runs every job in the worker's process, inside a Presswork app context of
    the job's own, runs the sweeps, rides out a Redis restart, and starts itself afresh when it
    has grown too large."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("worker_ttl", WORKER_TTL_S)
        kwargs.setdefault("maintenance_interval", sweep_interval_s(os.environ))
        kwargs.setdefault("job_monitoring_interval", 10)
        super().__init__(*args, **kwargs)
        self.app = None
        self.recycle_mb = int(os.environ.get("WORKER_RECYCLE_MB") or WORKER_RECYCLE_MB)
        self._recycling = False

    def work(self, *args, **kwargs):
        _forked_children_end_with_this_process()
        # The app of the caller's context (python -m worker), else one of its own (rq worker).
        self.app = current_app._get_current_object() if has_app_context() else create_app()
        preload_jobs()
        with self.app.app_context():
            worked = super().work(*args, **kwargs)
        if self._recycling:
            log.warning("worker %s: %d MB resident, starting afresh", self.name, resident_mb())
            os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
        return worked

    def _start_scheduler(self, *args, **kwargs):
        try:
            super()._start_scheduler(*args, **kwargs)
        except _REDIS_DOWN:
            # Redis went away as the worker started: RQ's maintenance tick tries the scheduler's
            # lock again (run_maintenance_tasks), so the worker goes on to wait for Redis.
            log.warning("worker %s: scheduler not started yet, Redis does not answer", self.name)

    def run_maintenance_tasks(self):
        try:
            super().run_maintenance_tasks()
        except _REDIS_DOWN:
            log.warning("worker %s: maintenance skipped, Redis does not answer", self.name)
            return
        run_sweeps()

    def heartbeat(self, timeout=None, pipeline=None):
        if pipeline is not None:  # part of RQ's own transaction: it handles the outcome
            return super().heartbeat(timeout, pipeline=pipeline)
        try:
            super().heartbeat(timeout)
            self._register_again_if_forgotten()
        except _REDIS_DOWN:
            # RQ's loops call this between jobs and while a job runs: a missed beat is harmless,
            # and the idle loop itself waits for Redis with back-off.
            log.warning("worker %s: heartbeat missed, Redis does not answer", self.name)

    def maintain_heartbeats(self, job, execution):
        try:
            super().maintain_heartbeats(job, execution)
        except _REDIS_DOWN:
            # The work horse is still running its job: keep waiting for it rather than quit.
            log.warning("worker %s: job %s goes on while Redis does not answer", self.name, job.id)

    def set_state(self, state, pipeline=None):
        if pipeline is not None:  # part of RQ's own transaction: it handles the outcome
            return super().set_state(state, pipeline=pipeline)
        try:
            super().set_state(state)
        except _REDIS_DOWN:
            # RQ marks the worker idle just before its dequeue loop, outside the loop's own wait
            # for Redis: the state is kept locally and written again on the next change.
            self._state = state
            log.warning("worker %s: state %s not recorded, Redis does not answer", self.name, state)

    def check_for_suspension(self, burst):
        # Skipped while Redis is down: the dequeue that follows waits for it with back-off.
        with contextlib.suppress(*_REDIS_DOWN):
            super().check_for_suspension(burst)

    def execute_job(self, job, queue):
        running = threading.Event()
        watchdog = threading.Thread(target=self._watch, args=(job, running), daemon=True)
        watchdog.start()
        try:
            with self.app.app_context():
                super().execute_job(job, queue)
        except _REDIS_DOWN:
            # The job has ended; what it did is in the database, and the sweeps queue again
            # whatever Redis lost with its outcome.
            log.warning("worker %s: the outcome of job %s was not recorded in Redis", self.name, job.id)
        finally:
            running.set()
            watchdog.join()
        if resident_mb() > self.recycle_mb:
            self._recycling = True
            self._stop_requested = True  # RQ's loop ends before its next dequeue

    def _watch(self, job, ended: threading.Event) -> None:
        """While the job runs: heartbeat every job_monitoring_interval (so the fleet knows this
        worker alive), and end the process once the job is JOB_KILL_GRACE_S past its timeout."""
        started = time.monotonic()
        timeout_s = job.timeout or self.queue_class.DEFAULT_TIMEOUT
        while not ended.wait(self.job_monitoring_interval):
            if timeout_s > 0 and time.monotonic() - started > timeout_s + JOB_KILL_GRACE_S:
                log.error("worker %s: job %s is stuck past its timeout; the worker ends", self.name, job.id)
                os._exit(1)
            self.heartbeat(self.job_monitoring_interval + 60)

    def _register_again_if_forgotten(self) -> None:
        # A Redis restart without persistence forgets every worker: the heartbeat above then
        # recreated only our hash's last_heartbeat. Register again so /health and the sweeps
        # see this worker (its name, queues and birth).
        if not self.connection.hexists(self.key, "birth"):
            log.warning("worker %s: Redis forgot this worker; registering again", self.name)
            self.connection.delete(self.key)
            self.register_birth()


def preload_jobs() -> None:
    """Import every job module (worker/*.py) once, before the first job asks for one."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")


def resident_mb() -> int:
    """This process's resident memory (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    return 0
