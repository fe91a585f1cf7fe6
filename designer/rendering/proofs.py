"""Proofs: a completed design drawn as the print will be, as a PNG the customer and the merchant
look at before it is printed. A proof is a render of kind `proof` (rendering/renders.py): queued,
swept, retried and capped like a print render, its job `proof-<design id>` on the 'proofs' queue
(worker/proofs.py).

Completing a design (designs.complete_design, complete_project) asks, through `request_completed`
(handed to designs at start), for the print-ready PDF and a fresh proof of each design: the
design's one proof row is queued again, its job queued once the completion is committed. The job
composes the design in print mode (no guides, no mockup: exactly what prints, bleed included),
draws it with the PDF's own drawing (rendering.render_png: the same limits, nothing fetched from
outside) as a PNG PROOF_WIDTH_PX wide, stores it as a File (purpose "proof") that
`design.proof_file_id` then names, and deletes a proof it replaces. For a CMYK product the PNG is
a soft proof: drawn through the printer's profile (cmyk.soft_proof), so a colour that shifts in
print shifts in the proof too. The proof is also the
design's thumbnail wherever one is shown (orders, the dashboard).
"""

from designer.designs.models import Design
from designer.errors import Conflict
from designer.extensions import db
from designer.files.models import File
from designer.files.service import delete_file, upload_file
from designer.models import utcnow
from designer.projects.models import Project
from designer.rendering.cmyk import soft_proof
from designer.rendering.colour_modes import separation_for
from designer.rendering.models import DONE, FAILED, PROOF, QUEUED, RENDERING, Render
from designer.rendering.pdf import render_png
from designer.rendering.renders import (
    STALE_AFTER_S,
    create,
    find,
    job_failed,
    owner_of,
    printed,
    queue_after_commit,
    request_render,
    requeue_stale,
    run,
    running_job,
)
from designer.tenancy import across_stores, in_store

PROOF_WIDTH_PX = 800
# A proof draws the design as it is when its job runs: one row per design, queued again on each
# completion, so its inputs are always the same.
PROOF_INPUT = "latest"


def request_completed(store_id: str, owner: Design | Project, designs: list[Design]) -> None:
    """What completing `owner` asks for: its print-ready PDF (so it is there when it is ordered)
    and a fresh proof of each of its `designs`, queued once the caller's transaction commits
    (flush, no commit). Raises what request_render raises."""
    request_render(store_id, owner)
    for design in designs:
        request_proof(design)


def request_proof(design: Design) -> Render:
    """Queue a fresh proof of the design once the caller's transaction commits (flush, no commit)."""
    proof = find(design.store_id, design.id, PROOF, PROOF_INPUT)
    if proof is None:
        proof, _ = create(design.store_id, design, PROOF, PROOF_INPUT)
    proof.status, proof.error, proof.file_id, proof.attempts = QUEUED, None, None, 0
    proof.queued_at, proof.started_at, proof.finished_at = utcnow(), None, None
    db.session.flush()
    queue_after_commit(proof)
    return proof


def proof_status(design: Design) -> str | None:
    """Where the design's proof is: "done" (proof_file_id is set), "queued" or "rendering";
    None when there is none and none is being made.

    Raises Conflict when rendering the last one failed, redis.RedisError when Redis does not
    answer about a proof being made.
    """
    if design.proof_file_id is not None:
        return "done"
    proof = find(design.store_id, design.id, PROOF, PROOF_INPUT)
    if proof is None:
        return None
    if proof.status == FAILED or job_failed(proof):
        raise Conflict("The proof could not be rendered; complete the design again")
    return QUEUED if proof.status == QUEUED else RENDERING


def proof_job(design_id: str) -> str | None:
    """The proof job (worker/proofs.py): render the design's proof in RQ's current job, under the
    memory cap, and commit it. Returns the proof's file id; None when there is nothing to do (the
    design is gone, or its proof is done)."""
    statement = db.select(Render).where(
        Render.owner_id == design_id, Render.kind == PROOF, Render.input_hash == PROOF_INPUT
    )
    proof = db.session.scalars(across_stores(statement)).first()
    if proof is None:
        return None
    with running_job(proof.id) as last_attempt:
        return run(proof, _draw, last_attempt=last_attempt)


def requeue_lost_proofs(stale_after_s: float = STALE_AFTER_S) -> list[str]:
    """Queue again every proof whose job was lost (see renders.requeue_stale). Returns the
    designs' ids.

    A sweep (designer/sweeps.py): the workers run it every sweep interval.
    """
    return [proof.design_id for proof in requeue_stale(PROOF, stale_after_s)]


def _draw(proof: Render) -> str | None:
    design = owner_of(proof)
    if design is None:
        return None
    (page,) = printed(design).pages  # Conflict when its side is gone: the proof fails
    png = render_png(page, PROOF_WIDTH_PX)
    separation = separation_for(design.product)
    if separation is not None:  # a CMYK product: the proof shows what the press can print
        png = soft_proof(png, separation)
    file = upload_file(
        design.store_id,
        filename=f"proof-{design.id}.png",
        data=png,
        purpose="proof",
        uploaded_by="account",
    )
    if design.proof_file_id is not None:
        old = db.session.scalars(
            in_store(db.select(File).where(File.id == design.proof_file_id), design.store_id)
        ).first()
        if old is not None:
            delete_file(old)
    design.proof_file_id = proof.file_id = file.id
    db.session.refresh(proof, ["status"])
    if proof.status == RENDERING:  # completed again meanwhile (queued): its job draws it anew
        proof.status, proof.finished_at = DONE, utcnow()
    db.session.commit()
    return file.id
