"""The render job: a design's or a project's print-ready PDF (see designer/rendering/renders.py).

`render(render_id)` runs on the 'default' queue with the job id `render-<render id>`; RQ retries
it with back-off (10 s, 1 min, 5 min) and the last attempt's error marks the render failed.
"""

from rq import get_current_job

from designer.rendering.renders import run_render


def render(render_id: str) -> str | None:
    """Render, store and announce the PDF. Returns its file id; None when there is nothing to do."""
    job = get_current_job()
    last_attempt = job is None or not job.retries_left
    if job is not None:
        job.meta["render_id"] = render_id
        job.save_meta()
    return run_render(render_id, last_attempt=last_attempt)
