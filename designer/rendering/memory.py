"""The memory a render job may take: RENDER_MEMORY_MB, so that a hostile design fails cleanly
(a MemoryError, or cairo's out-of-memory error) and the worker goes on."""

import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def memory_cap(megabytes: int) -> Iterator[None]:
    """Let the process's data grow by at most `megabytes` inside: beyond it allocations fail (a
    MemoryError, or cairo's out-of-memory error), which fails the render rather than the machine.
    The limit is lifted again afterwards, so a worker that does not fork (SimpleWorker) keeps its own."""
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = _data_bytes() + megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def _data_bytes() -> int:
    """The process's data segment now (VmData: what RLIMIT_DATA limits)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    return 0
