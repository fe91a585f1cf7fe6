"""/api/v1 routes for templates and their layers (also the dashboard's templates page, its htmx
actions and the editor's).

Who may do what: the account and secret tokens do everything; the storefront's editor, which
starts from templates, reads the published templates of published products and sides, with the
publishable token or anonymously naming the store (`storeId`), as it reads the products
themselves. A template's layers are the merchant's: no locks hold when they change. Every answer
about them carries the template's ETag; a change holds its row while it reads and writes it
(editing/service.py hold_for_change), and If-Match naming another version is refused (412).

The page is the list route answering a browser (web/designs.py); its actions (create or import a
template, make one the default, delete it) are htmx requests to the /api/v1 routes, which answer
with the partials in templates/dashboard/designs/; the page sets the X-Store-Id header for them
(hx-headers), so the account's request names its store.
"""

from flask import current_app, request

from designer.api.auth import ANYONE, MERCHANTS
from designer.api.pagination import count, more_url, paginate
from designer.api.preconditions import check_if_match, etag_of
from designer.api.resource import Resource, Routes
from designer.api.respond import respond
from designer.api.schemas import Count, StoreQuery
from designer.api.store_scope import store_id_of
from designer.composer.layers import parse_layers_json
from designer.editing.schemas import LayerAdd, LayerChange, LayerChanges
from designer.errors import PayloadTooLarge
from designer.products.service import find_product
from designer.products.sides import find_side
from designer.templates import service
from designer.templates.models import Template
from designer.templates.present import template_out
from designer.templates.schemas import (
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

SORTS = {"createdAt": Template.created_at, "updatedAt": Template.updated_at, "name": Template.name}

_FORM = "dashboard/designs/_template_form.html"
_CHANGED = "editor/_changed.html"


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


def _matching(caller, query: TemplateCountQuery):
    return service.templates_of(
        store_id_of(caller),
        product_id=query.product_id,
        side_id=query.side_id,
        status=query.status,
        is_default=query.is_default,
        public=_public(caller),
    )


def _update_template(template: Template, changes: TemplateUpdate) -> Template:
    service.update_template(template.store_id, template, changes)
    return template


templates = Resource(
    "/templates", id_name="template_id", find=service.find_template, out=template_out, page=TemplatePage
)


def _template_page(statement, query, endpoint: str, **path):
    """One page of templates; `endpoint` (with `path`) lists the next. A browser at the Templates
    page's URL gets the page."""
    rows, has_more, cursor = paginate(statement, Template, query, SORTS)
    return respond(
        TemplatePage.of_rows(template_out, rows, has_more, cursor),
        partial="dashboard/designs/_template_rows.html",
        page="dashboard/designs/templates.html",
        templates=rows,
        more_url=more_url(endpoint, query, cursor, **path),
        query=query,
    )


@templates.route("POST", auth=MERCHANTS, response=TemplateOut, status=201, form=_FORM)
def create_template(caller, query: StoreQuery, body: TemplateCreate):
    """Create a template for a side (JSON; or multipart with a `layers` JSON file to import)"""
    template = service.create_template(store_id_of(caller), _uploaded_layers(body))
    return respond(
        template_out(template),
        status=201,
        partial="dashboard/designs/_template_created.html",
        template=template,
    )


@templates.route("GET", auth=ANYONE, response=TemplatePage)
def list_templates(caller, query: TemplateListQuery):
    """List templates (filter by product, side, status, default)"""
    return _template_page(_matching(caller, query), query, "api.list_templates")


@templates.route("GET /count", auth=ANYONE, response=Count)
def count_templates(caller, query: TemplateCountQuery):
    """Count templates"""
    return respond(Count(count=count(_matching(caller, query), Template)))


templates.get("get_template", "Get a template", auth=ANYONE, public=_public)


@templates.route("PATCH /<template_id>", auth=MERCHANTS, response=TemplateOut)
def update_template(caller, template_id: str, query: StoreQuery, body: TemplateUpdate):
    """Update a template (making it the default unsets the side's other default)"""
    store_id = store_id_of(caller)
    template = service.find_template(store_id, template_id)
    unset = service.update_template(store_id, template, body)
    return respond(
        template_out(template),
        partial="dashboard/designs/_template_updated.html",
        template=template,
        unset=unset,
    )


templates.delete("delete_template", "Delete a template", auth=MERCHANTS, delete=service.delete_template)


@templates.route("POST /<template_id>/duplicate", auth=MERCHANTS, response=TemplateOut, status=201)
def duplicate_template(caller, template_id: str, query: StoreQuery, body: TemplateDuplicate):
    """Duplicate a template, on the same side or another"""
    store_id = store_id_of(caller)
    original = service.find_template(store_id, template_id)
    copy = service.duplicate_template(store_id, original, body.name, body.side_id)
    return respond(
        template_out(copy), status=201, partial="dashboard/designs/_template_created.html", template=copy
    )


templates.create_batch(
    "create_templates",
    "Create several templates (all or nothing)",
    auth=MERCHANTS,
    body=TemplatesCreate,
    create=service.create_template,
)
templates.update_batch(
    "update_templates",
    "Update several templates (all or nothing)",
    auth=MERCHANTS,
    body=TemplatesUpdate,
    update=_update_template,
)
templates.delete_batch(
    "delete_templates",
    "Delete several templates (all or nothing)",
    auth=MERCHANTS,
    delete=service.delete_template,
)


side_templates = Routes("/sides/<side_id>/templates")


@side_templates.route("GET", auth=ANYONE, response=TemplatePage)
def list_side_templates(caller, side_id: str, query: SideTemplatesQuery):
    """List a side's templates"""
    store_id = store_id_of(caller)
    side = find_side(store_id, side_id, public=_public(caller))
    statement = service.templates_of(
        store_id, side_id=side.id, status=query.status, is_default=query.is_default, public=_public(caller)
    )
    return _template_page(statement, query, "api.list_side_templates", side_id=side_id)


product_templates = Routes("/products/<product_id>/templates")


@product_templates.route("GET", auth=ANYONE, response=TemplatePage)
def list_product_templates(caller, product_id: str, query: ProductTemplatesQuery):
    """List a product's templates (the product by id or slug)"""
    store_id = store_id_of(caller)
    product = find_product(store_id, product_id, public=_public(caller))
    statement = service.templates_of(
        store_id,
        product_id=product.id,
        side_id=query.side_id,
        status=query.status,
        is_default=query.is_default,
        public=_public(caller),
    )
    return _template_page(statement, query, "api.list_product_templates", product_id=product_id)


# The layers of templates (the merchant's: no locks hold)


def _template_answer(template: Template, out: TemplateOut, composition, status: int = 200):
    response = respond(
        out,
        status=status,
        partial=_CHANGED,
        owner=template,
        side=template.side,
        product=template.product,
        composition=composition,
        kind="template",
    )
    response.headers["ETag"] = etag_of(template.version)
    return response


def _template_to_change(caller, template_id: str) -> tuple[str, Template]:
    """The template, held for this request's change; PreconditionFailed when If-Match names
    another version of it."""
    store_id = store_id_of(caller)
    template = service.find_template_to_change(store_id, template_id)
    check_if_match(etag_of(template.version), "template")
    return store_id, template


@templates.route(
    "POST /<template_id>/layers", auth=MERCHANTS, response=TemplateOut, status=201, conditional=True
)
def add_template_layer(caller, template_id: str, query: StoreQuery, body: LayerAdd):
    """Add a layer to a template"""
    store_id, template = _template_to_change(caller, template_id)
    return _template_answer(template, *service.add_layer(store_id, template, body), status=201)


@templates.route("PATCH /<template_id>/layers", auth=MERCHANTS, response=TemplateOut, conditional=True)
def update_template_layers(caller, template_id: str, query: StoreQuery, body: LayerChanges):
    """Change several layers of a template at once, as one undo step (all or none)"""
    store_id, template = _template_to_change(caller, template_id)
    return _template_answer(template, *service.change_layers(store_id, template, body.layers))


@templates.route(
    "PATCH /<template_id>/layers/<layer_id>", auth=MERCHANTS, response=TemplateOut, conditional=True
)
def update_template_layer(caller, template_id: str, layer_id: str, query: StoreQuery, body: LayerChange):
    """Change one layer of a template (the fields given), its locks and rules included"""
    store_id, template = _template_to_change(caller, template_id)
    return _template_answer(template, *service.change_layer(store_id, template, layer_id, body))


@templates.route(
    "DELETE /<template_id>/layers/<layer_id>", auth=MERCHANTS, response=TemplateOut, conditional=True
)
def delete_template_layer(caller, template_id: str, layer_id: str, query: StoreQuery):
    """Delete one layer of a template"""
    store_id, template = _template_to_change(caller, template_id)
    return _template_answer(template, *service.delete_layer(store_id, template, layer_id))


@templates.route("POST /<template_id>/undo", auth=MERCHANTS, response=TemplateOut, conditional=True)
def undo_template(caller, template_id: str, query: StoreQuery):
    """Undo the last change of a template's layers (409 when there is none)"""
    _, template = _template_to_change(caller, template_id)
    return _template_answer(template, *service.undo(template))


@templates.route("POST /<template_id>/redo", auth=MERCHANTS, response=TemplateOut, conditional=True)
def redo_template(caller, template_id: str, query: StoreQuery):
    """Redo the last undone change of a template's layers (409 when there is none)"""
    _, template = _template_to_change(caller, template_id)
    return _template_answer(template, *service.redo(template))
