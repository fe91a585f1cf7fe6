"""Request and response schemas for designs.

Layers are described in composer/layers.py. Shape is checked here; what depends on the store (the
product, side, template and project a design names, the fonts, clipart and files layers name) is
checked by the service, which answers 422 naming the field too.
"""

from typing import Literal

from pydantic import Field

from designer.api.schemas import ListQuery, Out, Page, RefId, Schema, StoreId, Timestamp
from designer.composer.layers import Layer, Layers
from designer.editing.schemas import ProblemOut
from designer.projects.schemas import Note, ProjectOut

DesignStatus = Literal["processing", "accepted", "declined", "trashed"]


class DesignOut(Out):
    id: str
    store_id: str
    product_id: str | None
    side_id: str | None
    project_id: str | None
    template_id: str | None
    status: DesignStatus
    layers: list[Layer]
    note: str
    problems: list[ProblemOut] | None = Field(
        description="What the composer finds now (null in lists and for a design whose side is gone)"
    )
    can_undo: bool
    can_redo: bool
    editor_url: str | None = Field(
        description="Opens the customer editor on the design's project for whoever holds the link"
    )
    preview_url: str = Field(description="The side as composed, an SVG (?mode=preview or print)")
    proof_url: str = Field(description="The proof PNG, once the design is completed and it is rendered")
    created_at: Timestamp
    updated_at: Timestamp


class DesignPage(Page[DesignOut]):
    pass


class DesignCreate(Schema):
    product_id: RefId = Field(description="The product (prd_… or its slug)")
    side_id: RefId = Field(description="The product's side (sid_…) the design is for")
    template_id: RefId | None = Field(
        None, description="The side's template to start from (tpl_…); default: the side's default template"
    )
    project_id: RefId | None = Field(
        None, description="The project (prj_…) of the product the design belongs to; default: a new one"
    )
    layers: Layers | None = Field(
        None,
        description="The layers to start with instead of the template's (checked against its locks); "
        "without a template they may carry no locks or rules",
    )
    note: Note = ""


class DesignUpdate(Schema):
    """The fields to change; those left out keep their value. `layers` replaces the whole list."""

    layers: Layers = None
    note: Note = None
    status: DesignStatus = Field(None, description="Set by the merchant (account or secret token)")


class DesignReset(Schema):
    template_id: RefId | None = Field(
        None, description="Another template of the side to start again from; default: the design's own"
    )


class DesignFilters(Schema):
    store_id: StoreId = None
    status: DesignStatus | None = Field(None, description="Only designs with this status")
    side_id: str | None = Field(None, max_length=64, description="Only this side's designs")


class DesignListQuery(ListQuery, DesignFilters):
    pass


class AllDesignsFilters(DesignFilters):
    product_id: str | None = Field(None, max_length=64, description="Only this product's designs (id)")
    project_id: str | None = Field(None, max_length=64, description="Only this project's designs")
    template_id: str | None = Field(
        None, max_length=64, description="Only designs started from this template"
    )


class AllDesignsQuery(ListQuery, AllDesignsFilters):
    pass


class PreviewQuery(Schema):
    store_id: StoreId = None
    mode: Literal["preview", "print"] = Field(
        "preview", description="preview: with the guides and the mockup; print: exactly what prints"
    )


class ProofStatus(Schema):
    status: Literal["queued", "rendering"]


class ProjectCompletion(Schema):
    project: ProjectOut
    designs: list[DesignOut]
