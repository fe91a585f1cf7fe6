"""`python -m worker [--queues renders proofs webhooks] [--burst]`: one worker on the named
Presswork queues (every queue when none is named), on REDIS_URL or the embedded Redis."""

import argparse

from designer import create_app, queue
from worker import AppWorker


def queue_names(values: list[str] | None) -> list[str]:
    """The queues named (space- or comma-separated), in Presswork's order; all when none is named.

    Raises argparse.ArgumentTypeError naming a queue that is not one of Presswork's.
    """
    names = [name.strip() for value in values or [] for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in queue.QUEUES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown queue {unknown[0]!r}: the queues are {', '.join(queue.QUEUES)}"
        )
    return [name for name in queue.QUEUES if name in names] if names else list(queue.QUEUES)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run a Presswork RQ worker")
    parser.add_argument("--queues", nargs="+", metavar="QUEUE", help="the queues to serve (default: all)")
    parser.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    args = parser.parse_args()
    try:
        names = queue_names(args.queues)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    app = create_app()
    with app.app_context():
        connection = queue.connection()
        AppWorker(names, connection=connection).work(burst=args.burst, with_scheduler=True)


if __name__ == "__main__":
    main()
