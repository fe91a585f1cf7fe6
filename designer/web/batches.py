"""The dashboard's Batches page: upload a spreadsheet of rows for a template, see the rows' problems,
start the render, watch its progress, download the PDFs. Its actions are htmx requests to the
/api/v1 batches routes, which answer with the partials in templates/dashboard/batches/."""

from designer.batches.routes import list_batches
from designer.extensions import db
from designer.templates.models import Template
from designer.templates.service import templates_of
from designer.web.dashboard import blueprint, page

# The store's batches, newest first, with the upload form above them.
page("/stores/<store_id>/batches", "batches", list_batches)


@blueprint.app_template_global()
def batch_templates(store_id: str) -> list[tuple[str, str]]:
    """The store's templates a batch may start from, as (id, "template — product, side")."""
    statement = templates_of(store_id).where(Template.status != "trashed").order_by(Template.created_at)
    return [
        (template.id, f"{template.name} — {template.product.name}, {template.side.name}")
        for template in db.session.scalars(statement)
    ]
