"""The products and sides templates, projects and designs belong to, and the lists of designs.

`public=True` is how a storefront (a publishable token) sees the catalog: only published
products and sides exist for it, everything else is a 404 (or a 422 when a body names it),
exactly as another store's would be. Products and sides are found by the products module's
`find_product` (id or slug) and `find_side`, re-exported here.
"""

from designer.designs.models import Design
from designer.errors import NotFound, ValidationFailed
from designer.extensions import db
from designer.products.models import Product, Side
from designer.products.services import find_product
from designer.products.sides import find_side
from designer.projects.models import Project
from designer.tenancy import in_store

PUBLISHED = "publish"


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


def referenced_product(store_id: str, product_id: str, field: str, *, public: bool = False) -> Product:
    """The product (id or slug) a request body names in `field`.

    Raises ValidationFailed naming `field` where `find_product` would raise NotFound.
    """
    try:
        return find_product(store_id, product_id, public=public)
    except NotFound:
        raise ValidationFailed(
            f"Field '{field}': no product with id or slug '{product_id}' in this store", field=field
        ) from None


def referenced_side(store_id: str, side_id: str, field: str) -> Side:
    """The side a request body names in `field`. Raises ValidationFailed naming `field` for none."""
    try:
        return find_side(store_id, side_id)
    except NotFound:
        raise ValidationFailed(
            f"Field '{field}': no side with id '{side_id}' in this store", field=field
        ) from None


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
