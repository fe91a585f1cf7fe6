"""Templates, projects and designs as the API shows them: in responses, and in events' data."""

from designer.designs.layers import load_layers
from designer.designs.models import Design, Project, Template
from designer.designs.schemas import Customer, DesignOut, ProjectOut, TemplateOut


def template_out(template: Template) -> TemplateOut:
    """`template` with its layers, as the API and template.* events show it."""
    return TemplateOut(
        id=template.id,
        product_id=template.product_id,
        side_id=template.side_id,
        name=template.name,
        status=template.status,
        is_default=template.is_default,
        layers=load_layers(template.layers or []),
        created_at=template.created_at,
        updated_at=template.updated_at,
    )


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


def design_out(design: Design) -> DesignOut:
    """`design` with its layers, as the API shows it."""
    return DesignOut(
        id=design.id,
        product_id=design.product_id,
        side_id=design.side_id,
        project_id=design.project_id,
        template_id=design.template_id,
        status=design.status,
        layers=load_layers(design.layers or []),
        note=design.note,
        created_at=design.created_at,
        updated_at=design.updated_at,
    )
