"""Periodic sweeps the workers run: each one finds work that a crash, a lost job or a Redis outage
left behind and queues it again. Every worker process calls `run_sweeps` on its maintenance tick;
a Redis lock lets one worker in the whole fleet run them per sweep interval.

A sweep is a function of no arguments, run inside the app context, that commits its own work.
One failing sweep is logged and does not stop the others.

The interval and the thresholds have defaults fit for production; the environment can shorten
them (a test, or an installation that wants lost work found sooner): SWEEP_INTERVAL_S,
RENDER_STALE_AFTER_S (a render, a proof or a 3D model's validation queued or running this long, or
a batch whose rows have not moved for this long, is checked for a lost job) and
WEBHOOK_STALE_AFTER_S (an event or a delivery this overdue is queued again).
"""

import logging
import os
from collections.abc import Callable, Mapping

import redis
from rq.exceptions import StopRequested

from designer import queue
from designer.extensions import db

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 30
LOCK = "presswork:sweeps"


def sweep_interval_s(environ: Mapping[str, str] = os.environ) -> int:
    """How often the fleet sweeps: SWEEP_INTERVAL_S when set to a positive whole number, else 30."""
    return _positive(environ, "SWEEP_INTERVAL_S", SWEEP_INTERVAL_S)


def sweeps() -> list[Callable[[], object]]:
    from designer.batches.service import requeue_stalled_batches
    from designer.previews3d.service import requeue_lost_validations
    from designer.rendering.proofs import requeue_lost_proofs
    from designer.rendering.renders import STALE_AFTER_S, requeue_stale_renders
    from designer.webhooks.deliveries import STALE_AFTER_S as WEBHOOK_STALE_AFTER_S
    from designer.webhooks.deliveries import requeue_webhook_work

    render_stale_s = _positive(os.environ, "RENDER_STALE_AFTER_S", STALE_AFTER_S)
    webhook_stale_s = _positive(os.environ, "WEBHOOK_STALE_AFTER_S", WEBHOOK_STALE_AFTER_S)

    def stale_renders():
        return requeue_stale_renders(render_stale_s)

    def lost_proofs():
        return requeue_lost_proofs(render_stale_s)

    def webhook_work():
        return requeue_webhook_work(webhook_stale_s)

    def lost_validations():
        return requeue_lost_validations(render_stale_s)

    def stalled_batches():
        return requeue_stalled_batches(render_stale_s)

    stale_renders.__name__ = requeue_stale_renders.__name__
    lost_validations.__name__ = requeue_lost_validations.__name__
    lost_proofs.__name__ = requeue_lost_proofs.__name__
    webhook_work.__name__ = requeue_webhook_work.__name__
    stalled_batches.__name__ = requeue_stalled_batches.__name__
    return [stale_renders, lost_proofs, webhook_work, lost_validations, stalled_batches]


def run_sweeps() -> bool:
    """Run every sweep unless another worker has within the sweep interval. Returns whether they ran."""
    try:
        if not queue.connection().set(LOCK, "1", nx=True, ex=sweep_interval_s()):
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


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if value.isdigit() and int(value) > 0:
        return int(value)
    if value:
        log.warning("%s=%r is not a positive whole number of seconds; using %d", name, value, default)
    return default
