"""/api/v1 routes for the designs of a product or a project.

Who may do what: a project's designs, also a publishable token, by the project's id (the
customer's key); the designs of a product, the account and secret tokens only.
"""

from designer.api.blueprint import api
from designer.api.operations import operation
from designer.api.pagination import count, paginate
from designer.api.respond import respond
from designer.api.schemas import Count
from designer.api.store_scope import store_id_of
from designer.designs import services
from designer.designs.models import Design
from designer.designs.present import design_out
from designer.designs.schemas import DesignFilters, DesignListQuery, DesignPage
from designer.products.services import find_product
from designer.projects import service as project_service

WRITE = ("account", "secret")
STOREFRONT = ("account", "secret", "publishable")
DESIGN_SORTS = {"createdAt": Design.created_at, "updatedAt": Design.updated_at}


@api.get("/projects/<project_id>/designs")
@operation(
    "List a project's designs (publishable tokens too, by the project's id)",
    resource="projects",
    auth=STOREFRONT,
    query=DesignListQuery,
    response=DesignPage,
)
def list_project_designs(caller, project_id: str, query: DesignListQuery):
    store_id = store_id_of(caller)
    project = project_service.find_project(store_id, project_id)
    statement = services.designs_of_project(store_id, project, status=query.status, side_id=query.side_id)
    return _design_page(statement, query)


# Designs of a product


def _design_page(statement, query):
    rows, has_more, cursor = paginate(statement, Design, query, DESIGN_SORTS)
    return respond(DesignPage(data=[design_out(row) for row in rows], has_more=has_more, next_cursor=cursor))


@api.get("/products/<product_id>/designs")
@operation(
    "List the designs customers made on a product (the product by id or slug)",
    resource="designs",
    auth=WRITE,
    query=DesignListQuery,
    response=DesignPage,
    tag="Designs",
)
def list_product_designs(caller, product_id: str, query: DesignListQuery):
    store_id = store_id_of(caller)
    product = find_product(store_id, product_id)
    return _design_page(
        services.designs_of_product(store_id, product, status=query.status, side_id=query.side_id), query
    )


@api.get("/products/<product_id>/designs/count")
@operation(
    "Count the designs customers made on a product",
    resource="designs",
    auth=WRITE,
    query=DesignFilters,
    response=Count,
    tag="Designs",
)
def count_product_designs(caller, product_id: str, query: DesignFilters):
    store_id = store_id_of(caller)
    product = find_product(store_id, product_id)
    statement = services.designs_of_product(store_id, product, status=query.status, side_id=query.side_id)
    return respond(Count(count=count(statement, Design)))
