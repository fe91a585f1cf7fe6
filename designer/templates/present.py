"""Templates as the API shows them: in responses, and in events' data."""

from designer.composer.layers import load_layers
from designer.editing import history
from designer.editing.present import problems_out
from designer.templates.models import Template
from designer.templates.schemas import TemplateOut


def template_out(template: Template, composition=None) -> TemplateOut:
    """`template` with its layers, as the API and template.* events show it (with the problems of
    `composition`, when the template was composed)."""
    return TemplateOut(
        id=template.id,
        product_id=template.product_id,
        side_id=template.side_id,
        name=template.name,
        status=template.status,
        is_default=template.is_default,
        layers=load_layers(template.layers or []),
        can_undo=history.can_undo(template),
        can_redo=history.can_redo(template),
        problems=problems_out(composition),
        created_at=template.created_at,
        updated_at=template.updated_at,
    )
