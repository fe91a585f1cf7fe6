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
"""

import contextlib
import logging
import os

import redis
from rq import Worker

from designer import create_app
from designer.extensions import db
from designer.queue import WORKER_TTL_S
from designer.sweeps import run_sweeps, sweep_interval_s

log = logging.getLogger(__name__)

_REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)


class AppWorker(Worker):
    """An RQ worker that runs every job inside the Presswork app context, runs the sweeps, and
    rides out a Redis restart."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("worker_ttl", WORKER_TTL_S)
        kwargs.setdefault("maintenance_interval", sweep_interval_s(os.environ))
        kwargs.setdefault("job_monitoring_interval", 10)
        super().__init__(*args, **kwargs)

    def work(self, *args, **kwargs):
        app = create_app()
        with app.app_context():
            return super().work(*args, **kwargs)

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

    def main_work_horse(self, job, queue):
        # The work horse is a fork: the database connections pooled in the worker (its sweeps use
        # them) are its parent's, their sockets and server sessions shared. Used here too, they
        # would cross the parent's (PostgreSQL's prepared statements collide): the horse opens its own.
        db.engine.dispose(close=False)
        return super().main_work_horse(job, queue)

    def execute_job(self, job, queue):
        try:
            super().execute_job(job, queue)
        except _REDIS_DOWN:
            # The horse has ended (RQ waits for it before this bookkeeping); what the job did is in
            # the database, and the sweeps queue again whatever Redis lost with its outcome.
            log.warning("worker %s: the outcome of job %s was not recorded in Redis", self.name, job.id)

    def _register_again_if_forgotten(self) -> None:
        # A Redis restart without persistence forgets every worker: the heartbeat above then
        # recreated only our hash's last_heartbeat. Register again so /health and the sweeps
        # see this worker (its name, queues and birth).
        if not self.connection.hexists(self.key, "birth"):
            log.warning("worker %s: Redis forgot this worker; registering again", self.name)
            self.connection.delete(self.key)
            self.register_birth()
