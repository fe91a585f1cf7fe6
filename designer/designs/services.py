"""The lists of designs: of a product, of a project, and their count."""

from designer.designs.models import Design
from designer.extensions import db
from designer.products.models import Product
from designer.projects.models import Project
from designer.tenancy import in_store


def designs_made_on(
    store_id: str, *, product_ids: list[str] | None = None, side_id: str | None = None
) -> int:
    """How many of the store's designs were made on these products, or on this side (what keeps
    the products room from deleting them; it is handed this at start)."""
    statement = db.select(db.func.count(Design.id))
    if product_ids is not None:
        statement = statement.where(Design.product_id.in_(product_ids))
    if side_id is not None:
        statement = statement.where(Design.side_id == side_id)
    return db.session.scalar(in_store(statement, store_id))


# Designs


def designs_of_product(
    store_id: str, product: Product, *, status: str | None = None, side_id: str | None = None
):
    """A select of the designs customers made on `product`, narrowed by status and side."""
    statement = in_store(db.select(Design).where(Design.product_id == product.id), store_id)
    if status is not None:
        statement = statement.where(Design.status == status)
    if side_id is not None:
        statement = statement.where(Design.side_id == side_id)
    return statement


def designs_of_project(
    store_id: str, project: Project, *, status: str | None = None, side_id: str | None = None
):
    """A select of a project's designs (one per side it personalizes), narrowed by status and side."""
    statement = in_store(db.select(Design).where(Design.project_id == project.id), store_id)
    if status is not None:
        statement = statement.where(Design.status == status)
    if side_id is not None:
        statement = statement.where(Design.side_id == side_id)
    return statement
