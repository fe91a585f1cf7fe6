"""The proof job: a completed design drawn as the print will be, as a PNG (see
designer/rendering/proofs.py).

`render_proof(design_id)` runs on the 'proofs' queue with the job id `proof-<design id>`, retried
and capped like the render job (worker/renders.py).
"""

from designer.rendering.proofs import proof_job


def render_proof(design_id: str) -> str | None:
    """Render the design's proof and commit it. Returns the proof's file id; None when there is
    nothing to do."""
    return proof_job(design_id)
