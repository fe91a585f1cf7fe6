"""`python -m worker [--burst]`: one worker on Presswork's queues (REDIS_URL or the embedded Redis)."""

import argparse

from designer import create_app, queue
from worker import AppWorker


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a Presswork RQ worker")
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        connection = queue.connection()
        AppWorker(list(queue.QUEUES), connection=connection).work(burst=args.burst, with_scheduler=True)


if __name__ == "__main__":
    main()
