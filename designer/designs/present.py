"""Designs as the API shows them: in responses, and in events' data."""

from designer.composer.layers import load_layers
from designer.designs.editor_keys import editor_key
from designer.designs.models import Design
from designer.designs.schemas import DesignOut
from designer.editing import history
from designer.editing.present import problems_out
from designer.products.urls import endpoint_url


def design_out(design: Design, composition=None) -> DesignOut:
    """`design` with its layers, as the API and design.* events show it, and the problems of
    `composition` (None in lists: designs are not composed there)."""
    return DesignOut(
        id=design.id,
        store_id=design.store_id,
        product_id=design.product_id,
        side_id=design.side_id,
        project_id=design.project_id,
        template_id=design.template_id,
        status=design.status,
        layers=load_layers(design.layers or []),
        note=design.note,
        problems=problems_out(composition),
        can_undo=history.can_undo(design),
        can_redo=history.can_redo(design),
        editor_url=design_editor_url(design),
        preview_url=endpoint_url("api.get_design_preview", design_id=design.id),
        proof_url=endpoint_url("api.get_design_proof", design_id=design.id),
        created_at=design.created_at,
        updated_at=design.updated_at,
    )


def design_editor_url(design: Design) -> str | None:
    """The editor on `design`, with the key that opens its project for whoever holds the link;
    None for a design in no project (its project was deleted)."""
    if design.project_id is None:
        return None
    return endpoint_url("editor.design", design_id=design.id, key=editor_key(design.project_id))
