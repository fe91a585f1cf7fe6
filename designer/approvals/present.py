"""Approvals as the API, the proof.approved event and an order's line items show them."""

from designer.api.schemas import out_of
from designer.approvals.models import MERCHANT, Approval
from designer.approvals.schemas import ApprovalOut


def approval_out(approval: Approval, current: bool | None = None) -> ApprovalOut:
    """`approval`; `current`: whether the project still prints what it approved (None: not asked)."""
    return out_of(
        ApprovalOut,
        approval,
        design_ids=list(approval.design_ids or []),
        checks=list(approval.checks or []),
        on_behalf_of_customer=approval.approved_by == MERCHANT,
        current=current,
    )
