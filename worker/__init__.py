"""RQ workers. Jobs are thin: they take ids and call designer services inside an app context.

Run one with `python -m worker`, or with RQ's own command:
`rq worker --url "$REDIS_URL" --worker-class worker.AppWorker webhooks default`.

Besides jobs, every worker runs the periodic sweeps (designer/sweeps.py) on its maintenance tick,
so a fleet of plain `rq worker` processes needs no scheduler process of its own: renders whose
worker died are queued again, and so on. The worker TTL is short so that a worker killed with
SIGKILL is known dead within a minute and a half, and its renders are picked up in under two.
"""

from rq import Worker

from designer import create_app
from designer.sweeps import SWEEP_INTERVAL_S, run_sweeps

WORKER_TTL_S = 30


class AppWorker(Worker):
    """An RQ worker that runs every job inside the Presswork app context, and the sweeps."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("worker_ttl", WORKER_TTL_S)
        kwargs.setdefault("maintenance_interval", SWEEP_INTERVAL_S)
        kwargs.setdefault("job_monitoring_interval", 10)
        super().__init__(*args, **kwargs)

    def work(self, *args, **kwargs):
        app = create_app()
        with app.app_context():
            return super().work(*args, **kwargs)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        run_sweeps()
