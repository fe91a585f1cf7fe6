"""The render job: a design's or a project's print-ready PDF (see designer/rendering/renders.py).

`render(render_id)` runs on the 'renders' queue with the job id `render-<render id>`; RQ retries
it with back-off (10 s, 1 min, 5 min) and the last attempt's error marks the render failed. RQ
stops a job after its timeout (300 s); the job caps the memory the render may take
(RENDER_MEMORY_MB, designer/rendering/memory.py), so a hostile design fails cleanly and the
worker goes on.
"""

from designer.rendering.renders import render_job


def render(render_id: str) -> str | None:
    """Render, store and announce the PDF. Returns its file id; None when there is nothing to do."""
    return render_job(render_id)
