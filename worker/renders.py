"""The render job: a design's or a project's print-ready PDF (see designer/rendering/renders.py).

`render(render_id)` runs on the 'renders' queue with the job id `render-<render id>`; RQ retries
it with back-off (10 s, 1 min, 5 min) and the last attempt's error marks the render failed. RQ
stops a job after its timeout (300 s); the job itself caps the memory the render may take
(RENDER_MEMORY_MB), so a hostile design fails cleanly and the worker goes on.
"""

import resource
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from rq import get_current_job

from designer.rendering.renders import run_render


def render(render_id: str) -> str | None:
    """Render, store and announce the PDF. Returns its file id; None when there is nothing to do."""
    job = get_current_job()
    last_attempt = job is None or not job.retries_left
    if job is not None:
        job.meta["render_id"] = render_id
        job.save_meta()
    with memory_cap(current_app.config["RENDER_MEMORY_MB"]):
        return run_render(render_id, last_attempt=last_attempt)


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
