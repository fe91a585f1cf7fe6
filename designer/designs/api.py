"""/api/v1 routes for templates and the designs of a product or a project (also the dashboard's htmx
actions).

Who may do what:
- templates: the account and secret tokens do everything; the storefront's editor, which starts
  from them, reads the published templates of published products and sides, with the publishable
  token or anonymously naming the store (`storeId`), as it reads the products themselves.
- a project's designs: also a publishable token, by the project's id (the customer's key).
- designs of a product: the account and secret tokens only.
"""

from flask import current_app, request

from designer.api.auth import ANYONE
from designer.api.batch import all_or_nothing, delete_all
from designer.api.blueprint import api
from designer.api.operations import operation
from designer.api.pagination import count, more_url, paginate
from designer.api.respond import respond
from designer.api.schemas import Count, Deleted, DeletedPage, Ids, StoreQuery
from designer.api.store_scope import store_id_of
from designer.composer.layers import parse_layers_json
from designer.designs import services, templates
from designer.designs.models import Design, Template
from designer.designs.present import design_out, template_out
from designer.designs.schemas import (
    DesignFilters,
    DesignListQuery,
    DesignPage,
    ProductTemplatesQuery,
    SideTemplatesQuery,
    TemplateCountQuery,
    TemplateCreate,
    TemplateDuplicate,
    TemplateListQuery,
    TemplateOut,
    TemplatePage,
    TemplatesCreate,
    TemplatesUpdate,
    TemplateUpdate,
)
from designer.errors import PayloadTooLarge
from designer.products.services import find_product
from designer.products.sides import find_side
from designer.projects import service as project_service

WRITE = ("account", "secret")
# A project's designs: a customer's storefront holds the publishable token.
STOREFRONT = ("account", "secret", "publishable")

TEMPLATE_SORTS = {"createdAt": Template.created_at, "updatedAt": Template.updated_at, "name": Template.name}
DESIGN_SORTS = {"createdAt": Design.created_at, "updatedAt": Design.updated_at}

_TEMPLATE_FORM = "dashboard/designs/_template_form.html"


def _public(caller) -> bool:
    """Anonymous and publishable callers see only what the storefront shows."""
    return caller.kind in ("anonymous", "publishable")


def _uploaded_layers(body: TemplateCreate) -> TemplateCreate:
    """`body` with the layers of a JSON file sent as the multipart field `layers` (the dashboard's
    import), when there is one. Raises PayloadTooLarge or ValidationFailed naming `layers`."""
    upload = request.files.get("layers")
    if upload is None or not upload.filename:
        return body
    limit = current_app.config["MAX_JSON_BYTES"]
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise PayloadTooLarge(f"Field 'layers': the file must be at most {limit} bytes", field="layers")
    return body.model_copy(update={"layers": parse_layers_json(raw)})


# Templates


def _template_page(statement, query):
    rows, has_more, cursor = paginate(statement, Template, query, TEMPLATE_SORTS)
    page = TemplatePage(data=[template_out(row) for row in rows], has_more=has_more, next_cursor=cursor)
    return respond(
        page,
        partial="dashboard/designs/_template_rows.html",
        templates=rows,
        more_url=more_url(request.endpoint, query, cursor, **request.view_args),
    )


@api.post("/templates")
@operation(
    "Create a template for a side (JSON; or multipart with a `layers` JSON file to import)",
    resource="templates",
    auth=WRITE,
    query=StoreQuery,
    body=TemplateCreate,
    response=TemplateOut,
    status=201,
    form=_TEMPLATE_FORM,
)
def create_template(caller, query: StoreQuery, body: TemplateCreate):
    template = templates.create_template(store_id_of(caller), _uploaded_layers(body))
    return respond(
        template_out(template),
        status=201,
        partial="dashboard/designs/_template_created.html",
        template=template,
    )


@api.get("/templates")
@operation(
    "List templates (filter by product, side, status, default)",
    resource="templates",
    auth=ANYONE,
    query=TemplateListQuery,
    response=TemplatePage,
)
def list_templates(caller, query: TemplateListQuery):
    statement = templates.templates_of(
        store_id_of(caller),
        product_id=query.product_id,
        side_id=query.side_id,
        status=query.status,
        is_default=query.is_default,
        public=_public(caller),
    )
    return _template_page(statement, query)


@api.get("/templates/count")
@operation("Count templates", resource="templates", auth=ANYONE, query=TemplateCountQuery, response=Count)
def count_templates(caller, query: TemplateCountQuery):
    statement = templates.templates_of(
        store_id_of(caller),
        product_id=query.product_id,
        side_id=query.side_id,
        status=query.status,
        is_default=query.is_default,
        public=_public(caller),
    )
    return respond(Count(count=count(statement, Template)))


@api.get("/templates/<template_id>")
@operation("Get a template", resource="templates", auth=ANYONE, query=StoreQuery, response=TemplateOut)
def get_template(caller, template_id: str, query: StoreQuery):
    template = templates.find_template(store_id_of(caller), template_id, public=_public(caller))
    return respond(template_out(template))


@api.patch("/templates/<template_id>")
@operation(
    "Update a template (making it the default unsets the side's other default)",
    resource="templates",
    auth=WRITE,
    query=StoreQuery,
    body=TemplateUpdate,
    response=TemplateOut,
)
def update_template(caller, template_id: str, query: StoreQuery, body: TemplateUpdate):
    store_id = store_id_of(caller)
    template = templates.find_template(store_id, template_id)
    unset = templates.update_template(store_id, template, body)
    return respond(
        template_out(template),
        partial="dashboard/designs/_template_updated.html",
        template=template,
        unset=unset,
    )


@api.delete("/templates/<template_id>")
@operation("Delete a template", resource="templates", auth=WRITE, query=StoreQuery, response=Deleted)
def delete_template(caller, template_id: str, query: StoreQuery):
    templates.delete_template(templates.find_template(store_id_of(caller), template_id))
    return respond(Deleted(id=template_id), partial="dashboard/_empty.html")


@api.post("/templates/<template_id>/duplicate")
@operation(
    "Duplicate a template, on the same side or another",
    resource="templates",
    auth=WRITE,
    query=StoreQuery,
    body=TemplateDuplicate,
    response=TemplateOut,
    status=201,
)
def duplicate_template(caller, template_id: str, query: StoreQuery, body: TemplateDuplicate):
    store_id = store_id_of(caller)
    original = templates.find_template(store_id, template_id)
    copy = templates.duplicate_template(store_id, original, body.name, body.side_id)
    return respond(
        template_out(copy), status=201, partial="dashboard/designs/_template_created.html", template=copy
    )


@api.post("/templates/batch")
@operation(
    "Create several templates (all or nothing)",
    resource="templates",
    auth=WRITE,
    query=StoreQuery,
    body=TemplatesCreate,
    response=TemplatePage,
    status=201,
)
def create_templates(caller, query: StoreQuery, body: TemplatesCreate):
    store_id = store_id_of(caller)
    created = all_or_nothing(
        "templates", body.templates, lambda item: templates.create_template(store_id, item)
    )
    return respond(TemplatePage.of([template_out(t) for t in created]), status=201)


@api.patch("/templates/batch")
@operation(
    "Update several templates (all or nothing)",
    resource="templates",
    auth=WRITE,
    query=StoreQuery,
    body=TemplatesUpdate,
    response=TemplatePage,
)
def update_templates(caller, query: StoreQuery, body: TemplatesUpdate):
    store_id = store_id_of(caller)

    def update(item) -> Template:
        template = templates.find_template(store_id, item.id)
        templates.update_template(store_id, template, item)
        return template

    updated = all_or_nothing("templates", body.templates, update)
    return respond(TemplatePage.of([template_out(t) for t in updated]))


@api.post("/templates/batch-delete")
@operation(
    "Delete several templates (all or nothing)",
    resource="templates",
    auth=WRITE,
    query=StoreQuery,
    body=Ids,
    response=DeletedPage,
)
def delete_templates(caller, query: StoreQuery, body: Ids):
    store_id = store_id_of(caller)
    return respond(
        delete_all(
            body.ids,
            lambda resource_id: templates.delete_template(templates.find_template(store_id, resource_id)),
        )
    )


@api.get("/sides/<side_id>/templates")
@operation(
    "List a side's templates",
    resource="templates",
    auth=ANYONE,
    query=SideTemplatesQuery,
    response=TemplatePage,
)
def list_side_templates(caller, side_id: str, query: SideTemplatesQuery):
    store_id = store_id_of(caller)
    side = find_side(store_id, side_id, public=_public(caller))
    statement = templates.templates_of(
        store_id, side_id=side.id, status=query.status, is_default=query.is_default, public=_public(caller)
    )
    return _template_page(statement, query)


@api.get("/products/<product_id>/templates")
@operation(
    "List a product's templates (the product by id or slug)",
    resource="templates",
    auth=ANYONE,
    query=ProductTemplatesQuery,
    response=TemplatePage,
)
def list_product_templates(caller, product_id: str, query: ProductTemplatesQuery):
    store_id = store_id_of(caller)
    product = find_product(store_id, product_id, public=_public(caller))
    statement = templates.templates_of(
        store_id,
        product_id=product.id,
        side_id=query.side_id,
        status=query.status,
        is_default=query.is_default,
        public=_public(caller),
    )
    return _template_page(statement, query)


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
