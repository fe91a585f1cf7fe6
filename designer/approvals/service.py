"""Approvals: a project's print-ready PDF approved for print, by the customer or by the merchant on
the customer's behalf, and the rule an order's line item follows: it prints an approved PDF or
nothing.

An approval is of a render's inputs (its `input_hash`, the hash of what the PDF prints: every
side's print drawing, trim, bleed and colour settings), and keeps the PDF's sha256. Changing the
design afterwards changes what it prints, so the approval stops holding for it (it is
superseded) and a new one is needed: the approver is asked to look at the new PDF.

Callers own the transaction: these flush, never commit. Approving records `proof.approved` in the
same transaction (outbox), with the approval as the API shows it.
"""

import hashlib
from dataclasses import dataclass

from designer.approvals.models import (
    ACCOUNT,
    CUSTOMER,
    EDITOR_SESSION,
    MERCHANT,
    SECRET_TOKEN,
    STOREFRONT_TOKEN,
    Approval,
)
from designer.approvals.present import approval_out
from designer.designs.models import Design
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.events import record_event
from designer.extensions import db
from designer.files.service import get_file, read_file
from designer.models import utcnow
from designer.projects.models import Project
from designer.rendering.models import DONE, PRINT, Render
from designer.rendering.renders import find, printed
from designer.tenancy import in_store


@dataclass(frozen=True)
class Approver:
    """Who approves: the customer (in the editor, or through the storefront's token) or the
    merchant on the customer's behalf (the account, or a secret token)."""

    approved_by: str
    via: str
    account_id: str | None = None
    token_id: str | None = None


def approver_of(kind: str, *, in_editor: bool, account_id: str | None, token_id: str | None) -> Approver:
    """The approver a caller of this `kind` is ("account", "secret", "publishable", "anonymous");
    `in_editor`: the caller's browser session opened the project in the editor."""
    if kind == "account":
        return Approver(MERCHANT, ACCOUNT, account_id=account_id)
    if kind == "secret":
        return Approver(MERCHANT, SECRET_TOKEN, token_id=token_id)
    return Approver(CUSTOMER, EDITOR_SESSION if in_editor or kind == "anonymous" else STOREFRONT_TOKEN)


def approve(store_id: str, project: Project, approver: Approver, render_id: str | None = None) -> Approval:
    """Approve the print-ready PDF of what `project` prints now (the render `render_id` when given:
    the one the approver looked at) and record proof.approved. Approving what is already approved
    answers that approval again, recording nothing.

    Raises ValidationFailed naming `renderId` for a render that is not one of the project's PDFs;
    Conflict naming `renderId` when that render is not of what the project prints now (the design
    changed since: superseded), or when the PDF is not rendered yet (or failed); Conflict when
    the project has nothing to print.
    """
    pages = printed(project)
    input_hash = pages.input_hash
    render = find(store_id, project.id, PRINT, input_hash)
    if render_id is not None and (render is None or render.id != render_id):
        _refuse_other_render(store_id, project, render_id)
    if render is None or render.status != DONE or render.file_id is None:
        state = "failed" if render is not None and render.status == "failed" else "not rendered yet"
        raise Conflict(
            f"The print-ready PDF of project '{project.id}' as it is now is {state}: "
            "render it (GET its render), look at it, then approve it",
            field="renderId",
        )
    already = _approval_of_hash(store_id, project.id, input_hash)
    if already is not None:
        return already
    pdf = get_file(store_id, render.file_id)
    approval = Approval(
        store_id=store_id,
        project_id=project.id,
        render_id=render.id,
        file_id=pdf.id,
        input_hash=input_hash,
        sha256=pdf.sha256,
        size_bytes=pdf.size_bytes,
        design_ids=pages.design_ids,
        checks=list(render.checks or []),
        approved_by=approver.approved_by,
        via=approver.via,
        account_id=approver.account_id,
        token_id=approver.token_id,
        approved_at=utcnow(),
    )
    db.session.add(approval)
    db.session.flush()
    record_event(store_id, "proof.approved", approval_out(approval, current=True).to_json())
    return approval


def latest_approval(store_id: str, project_id: str) -> Approval | None:
    """The project's most recent approval; None when it was never approved."""
    statement = (
        db.select(Approval)
        .where(Approval.project_id == project_id)
        .order_by(Approval.approved_at.desc(), Approval.id.desc())
    )
    return db.session.scalars(in_store(statement, store_id).limit(1)).first()


def find_approval(store_id: str, approval_id: str) -> Approval | None:
    """The store's approval with this id (None: none, or deleted with its store)."""
    return db.session.scalars(
        in_store(db.select(Approval).where(Approval.id == approval_id), store_id)
    ).first()


def project_approval(store_id: str, project: Project) -> tuple[Approval, bool]:
    """The project's latest approval and whether it still holds (the project prints what it
    approved). Raises NotFound when the project was never approved."""
    approval = latest_approval(store_id, project.id)
    if approval is None:
        raise NotFound(f"Project '{project.id}' has no approved proof yet")
    return approval, approval.input_hash == _input_hash_now(project)


def approval_to_print(store_id: str, project: Project, *, required: bool, field: str) -> Approval | None:
    """The approval an order's line of `project` binds to: the one of what the project prints
    now. None when the project was never approved and the store does not require approval.

    Raises Conflict naming `field` when the project was approved but its design changed since
    (superseded: a new approval is needed), or when `required` and it was never approved.
    """
    latest = latest_approval(store_id, project.id)
    if latest is None:
        if required:
            raise Conflict(
                f"Field '{field}': project '{project.id}' has no approved proof. The store prints only "
                "approved proofs: the customer approves the proof in the editor (or the merchant on the "
                "customer's behalf, POST /api/v1/projects/{id}/approval) before it is ordered",
                field=field,
            )
        return None
    now = _input_hash_now(project)
    approval = _approval_of_hash(store_id, project.id, now) if now is not None else None
    if approval is None:
        raise Conflict(
            f"Field '{field}': the design of project '{project.id}' changed after its proof was approved "
            f"({latest.id}, {latest.approved_at:%Y-%m-%d %H:%M} UTC): the approval no longer holds. "
            "The new proof must be approved before it is ordered",
            field=field,
        )
    return approval


def approved_pdf(approval: Approval) -> tuple[bytes, str]:
    """The approved PDF's bytes and file name, exactly as approved.

    Raises Conflict when the file is gone or its bytes are not the approved ones (nothing else is
    printed in its place).
    """
    try:
        pdf = get_file(approval.store_id, approval.file_id) if approval.file_id else None
        data = read_file(pdf) if pdf is not None else None
    except NotFound:
        data = None
    if data is None:
        raise Conflict(
            f"The approved PDF of approval '{approval.id}' is no longer stored: nothing is printed"
        )
    if hashlib.sha256(data).hexdigest() != approval.sha256:
        raise Conflict(
            f"The stored PDF of approval '{approval.id}' is not the approved file (its SHA-256 differs): "
            "nothing is printed"
        )
    return data, pdf.filename


# Internals


def _input_hash_now(project: Project) -> str | None:
    try:
        return printed(project).input_hash
    except Conflict:
        return None  # nothing to print any more: no approval holds for it


def _approval_of_hash(store_id: str, project_id: str, input_hash: str) -> Approval | None:
    statement = (
        db.select(Approval)
        .where(Approval.project_id == project_id, Approval.input_hash == input_hash)
        .order_by(Approval.approved_at.desc(), Approval.id.desc())
    )
    return db.session.scalars(in_store(statement, store_id).limit(1)).first()


def _refuse_other_render(store_id: str, project: Project, render_id: str) -> None:
    statement = db.select(Render.id).where(
        Render.id == render_id, Render.project_id == project.id, Render.kind == PRINT
    )
    if db.session.scalars(in_store(statement, store_id)).first() is None:
        raise ValidationFailed(
            f"Field 'renderId': no print-ready PDF with id '{render_id}' of project '{project.id}'",
            field="renderId",
        )
    raise Conflict(
        f"Field 'renderId': the design changed after the PDF '{render_id}' was made, so it is not what "
        "would print: save again, look at the new proof and approve that one",
        field="renderId",
    )


def designs_of_one_project(store_id: str, designs: list[Design], field: str) -> str | None:
    """The project the designs a line names belong to (None: they name none). Raises
    ValidationFailed naming `field` when they belong to several: an approved proof is one
    project's PDF."""
    projects = {design.project_id for design in designs}
    if len(projects) > 1:
        raise ValidationFailed(
            f"Field '{field}': the designs belong to several projects; an approved proof is one project's "
            "PDF, so a line names the designs of one project (or the project itself)",
            field=field,
        )
    return next(iter(projects), None)
