"""Projects as the API shows them: in responses, and in events' data."""

from designer.projects.models import Project
from designer.projects.schemas import Customer, ProjectOut


def project_out(project: Project) -> ProjectOut:
    """`project` as the API and project.* events show it (no customer: null)."""
    return ProjectOut(
        id=project.id,
        product_id=project.product_id,
        name=project.name,
        status=project.status,
        customer=Customer.model_validate(project.customer) if project.customer else None,
        note=project.note,
        metadata=project.meta or {},
        created_at=project.created_at,
        updated_at=project.updated_at,
    )
