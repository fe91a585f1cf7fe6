"""Periodic sweeps the workers run: each one finds work that a crash, a lost job or a Redis outage
left behind and queues it again. Every worker process calls `run_sweeps` on its maintenance tick;
a Redis lock lets one worker in the whole fleet run them per SWEEP_INTERVAL_S.

A sweep is a function of no arguments, run inside the app context, that commits its own work.
One failing sweep is logged and does not stop the others.
"""

import logging
from collections.abc import Callable

import redis
from rq.exceptions import StopRequested

from designer import queue
from designer.extensions import db

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 30
LOCK = "presswork:sweeps"


def sweeps() -> list[Callable[[], object]]:
    from designer.rendering.renders import requeue_stale_renders
    from designer.webhooks.deliveries import requeue_webhook_work

    return [requeue_stale_renders, requeue_webhook_work]


def run_sweeps() -> bool:
    """Run every sweep unless another worker has within SWEEP_INTERVAL_S. Returns whether they ran."""
    try:
        if not queue.connection().set(LOCK, "1", nx=True, ex=SWEEP_INTERVAL_S):
            return False
    except redis.RedisError:
        log.warning("sweeps skipped: Redis does not answer")
        return False
    for sweep in sweeps():
        try:
            sweep()
        except StopRequested:
            raise  # the worker is asked to stop: let it
        except Exception:
            log.exception("sweep %s failed", sweep.__name__)
        finally:
            db.session.remove()  # no transaction (and no lock) is held while the worker waits
    return True
