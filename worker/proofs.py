"""The proof job: a completed design drawn as the print will be, as a PNG the customer and the
merchant look at before it is printed.

`render_proof(design_id)` runs on the 'proofs' queue (designs.complete_design queues it once
the completion is committed): the composer in print mode (no guides, no mockup: exactly what
prints, bleed included), drawn by the PDF's own drawing (rendering.render_png: the same limits,
nothing fetched from outside) as a PNG PROOF_WIDTH_PX wide, stored as a File (purpose "proof")
that `design.proof_file_id` then names. A proof it replaces is deleted. The proof is also the
design's thumbnail wherever one is shown (orders, the dashboard).
"""

from designer.designs.models import Design
from designer.editing.service import compose_design
from designer.extensions import db
from designer.files.models import File
from designer.files.services import delete_file, upload_file
from designer.rendering import render_png
from designer.rendering.renders import print_page
from designer.tenancy import across_stores, in_store

PROOF_WIDTH_PX = 800


def render_proof(design_id: str) -> str | None:
    """Render the design's proof and commit it. Returns the proof's file id; None when the
    design (or its side) is gone by the time the job runs."""
    design = db.session.scalars(across_stores(db.select(Design).where(Design.id == design_id))).first()
    if design is None:
        return None
    composition = compose_design(design, mode="print", linked_files=True)
    if composition is None:
        return None
    png = render_png(print_page(design, composition), PROOF_WIDTH_PX)
    proof = upload_file(
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
    design.proof_file_id = proof.id
    db.session.commit()
    return proof.id
