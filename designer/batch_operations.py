"""Batch operations as a unit others can hear of: what a batch operation (api/batch.py
`all_or_nothing`) records while it runs is kept, then handed over together once every item is
done (events.py hears of the batch's events this way, so PrintCart's "… BATCH" webhook topics
carry one batch's changes together)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# What the running batch operation has recorded so far, if one runs.
_recorded: ContextVar[list | None] = ContextVar("batch_recorded", default=None)
_closers: list[Callable[[list], None]] = []


@contextmanager
def batch() -> Iterator[None]:
    """Run a batch operation: what is `kept` inside goes to the closers when the block ends without
    an error (an error rolls the change back, and it is dropped). A block inside a batch is part
    of it."""
    if _recorded.get() is not None:
        yield
        return
    token = _recorded.set([])
    try:
        yield
        recorded = _recorded.get()
    finally:
        _recorded.reset(token)
    if recorded:
        for closer in _closers:
            closer(recorded)


def kept(item) -> bool:
    """Keep `item` for the running batch's closers; False when no batch runs."""
    recorded = _recorded.get()
    if recorded is None:
        return False
    recorded.append(item)
    return True


def when_closed(closer: Callable[[list], None]) -> None:
    """Have `closer` get what each batch kept, once it is done (once, however often asked)."""
    if closer not in _closers:
        _closers.append(closer)
