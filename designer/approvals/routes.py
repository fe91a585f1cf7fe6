"""/api/v1 routes for a project's approval: `POST /projects/{id}/approval` approves its print-ready
PDF, `GET /projects/{id}/approval` shows the latest approval and whether it still holds.

The customer approves (the editor's page after Save: its browser session opened the project; or a
storefront with the publishable token, by the project's id), or the merchant on the customer's
behalf (the account, a secret token with the projects write scope; the dashboard's Projects page),
recorded as such. htmx requests get `approvals/_approval.html`.
"""

from flask import session

from designer.api.auth import CUSTOMER_PROJECTS, STOREFRONT, Kind, require_customer
from designer.api.resource import Routes
from designer.api.respond import respond
from designer.api.schemas import StoreQuery
from designer.api.store_scope import store_id_of
from designer.approvals import service
from designer.approvals.present import approval_out
from designer.approvals.schemas import ApprovalCreate, ApprovalOut
from designer.designs.service import openable_project
from designer.projects.models import Project
from designer.projects.service import find_project

CUSTOMERS: tuple[Kind, ...] = (*STOREFRONT, "anonymous")
_APPROVAL = "approvals/_approval.html"

approvals = Routes("/projects", resource="projects")


@approvals.route("POST /<project_id>/approval", auth=CUSTOMERS, response=ApprovalOut, status=201)
def approve_project(caller, project_id: str, query: StoreQuery, body: ApprovalCreate):
    """Approve the project's print-ready PDF for print (the customer, or the merchant on the customer's
    behalf): 409 while it is not rendered, or when the design changed after the PDF named; proof.approved"""
    project = _project_asked(caller, project_id)
    approver = service.approver_of(
        caller.kind,
        in_editor=project.id in session.get(CUSTOMER_PROJECTS, []),
        account_id=caller.account_id,
        token_id=caller.token_id,
    )
    approval = service.approve(project.store_id, project, approver, body.render_id)
    return respond(approval_out(approval, current=True), status=201, partial=_APPROVAL, approval=approval)


@approvals.route("GET /<project_id>/approval", auth=CUSTOMERS, response=ApprovalOut)
def get_project_approval(caller, project_id: str, query: StoreQuery):
    """The project's latest approval, its PDF's SHA-256, and whether it still holds (current: false once
    the design changed); 404 when it was never approved"""
    project = _project_asked(caller, project_id)
    approval, current = service.project_approval(project.store_id, project)
    return respond(approval_out(approval, current=current), partial=_APPROVAL, approval=approval)


def _project_asked(caller, project_id: str) -> Project:
    """For a customer's browser (anonymous) a project its session opened in the editor; for everyone
    else one of the caller's store."""
    if caller.kind == "anonymous":
        require_customer(STOREFRONT)
        return openable_project(project_id)
    return find_project(store_id_of(caller), project_id)
