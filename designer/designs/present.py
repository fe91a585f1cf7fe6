"""Designs as the API shows them: in responses, and in events' data."""

from designer.composer.layers import load_layers
from designer.designs.models import Design
from designer.designs.schemas import DesignOut
from designer.editing import history
from designer.editing.present import problems_out
from designer.products.urls import api_url, design_editor_url


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
        preview_url=api_url(f"designs/{design.id}/preview"),
        proof_url=api_url(f"designs/{design.id}/proof"),
        created_at=design.created_at,
        updated_at=design.updated_at,
    )
