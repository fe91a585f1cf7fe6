"""RQ workers. Jobs are thin: they take ids and call designer services inside an app context.

Run one with `python -m worker`, or with RQ's own command:
`rq worker --url "$REDIS_URL" --worker-class worker.AppWorker default`.
"""

from rq import Worker

from designer import create_app


class AppWorker(Worker):
    """An RQ worker that runs every job inside the Presswork app context."""

    def work(self, *args, **kwargs):
        app = create_app()
        with app.app_context():
            return super().work(*args, **kwargs)
