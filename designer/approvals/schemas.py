"""Request and response schemas for approvals."""

from typing import Literal

from pydantic import Field

from designer.api.schemas import Out, RefId, Schema, Timestamp


class ApprovalCreate(Schema):
    render_id: RefId | None = Field(
        None,
        description="The print-ready PDF (rnd_…) the approver looked at: refused (409) when the design "
        "changed since. Default: the PDF of what the project prints now, which must be rendered",
    )


class ApprovalCheck(Schema):
    """A check before print that warned of something on the approved PDF (the approver saw it)."""

    code: str
    design_id: str
    layer_id: str | None = None
    message: str


class ApprovalOut(Out):
    id: str
    project_id: str | None = Field(description="null once the project is deleted")
    render_id: str | None = Field(
        description="The print-ready PDF approved (null once its render is deleted)"
    )
    file_id: str | None = Field(description="The approved PDF's file: what an order bound to it prints")
    input_hash: str = Field(description="The hash of what the PDF prints: a changed design no longer matches")
    sha256: str = Field(description="The approved PDF's SHA-256: the file printed has exactly these bytes")
    size_bytes: int
    design_ids: list[str] = Field(description="The designs printed, a page each, in side order")
    checks: list[ApprovalCheck] = Field(description="What the checks before print warned of")
    approved_by: Literal["customer", "merchant"]
    on_behalf_of_customer: bool = Field(description="true when the merchant approved for the customer")
    via: Literal["editor_session", "storefront_token", "account", "secret_token"]
    account_id: str | None = None
    token_id: str | None = None
    approved_at: Timestamp
    current: bool | None = Field(
        None, description="Whether the project still prints exactly this (false: its design changed since)"
    )
