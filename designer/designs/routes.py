"""/api/v1 routes for designs and their layers, what the editor sends every edit to (JSON for API
clients; for htmx, the editor's `editor/_changed.html` partial with the new preview), and for the
designs of a product or a project. Errors stay JSON for htmx too: the editor shows them beside
the field.

Who may do what:
- the account and secret tokens do everything;
- a publishable token (the storefront's editor, a customer) may create a design on a published
  product, and read, change and complete a design by its id, and list and complete a project's
  designs by the project's id, which only that customer was given; it may not list, count or
  delete designs otherwise, nor set their status.
- anonymous callers: nothing.

Every answer about a design carries its ETag (the version counting its changes). A change holds
the row while it reads and writes it (editing/service.py hold_for_change), so changes made at
once to different layers all stay; a client that sends If-Match with the ETag it read is
refused (412) once another change was made in between.
"""

import hashlib

from designer.api.auth import MERCHANTS, STOREFRONT
from designer.api.downloads import send_bytes
from designer.api.pagination import count, paginate
from designer.api.preconditions import check_if_match, etag_of
from designer.api.resource import Routes
from designer.api.respond import respond
from designer.api.schemas import Count, Deleted, StoreQuery
from designer.api.store_scope import store_id_of
from designer.designs import service
from designer.designs.models import Design
from designer.designs.present import design_out
from designer.designs.schemas import (
    AllDesignsFilters,
    AllDesignsQuery,
    DesignCreate,
    DesignFilters,
    DesignListQuery,
    DesignOut,
    DesignPage,
    DesignReset,
    DesignUpdate,
    PreviewQuery,
    ProjectCompletion,
)
from designer.editing.schemas import LayerAdd, LayerChange, LayerChanges
from designer.editing.service import compose_design
from designer.errors import NotFound
from designer.products.service import find_product
from designer.projects import service as projects
from designer.projects.present import project_out

DESIGN_SORTS = {"createdAt": Design.created_at, "updatedAt": Design.updated_at}

_CHANGED = "editor/_changed.html"
_COMPLETED = "editor/_completed.html"


def _public(caller) -> bool:
    return caller.kind == "publishable"


def _answer(done: service.Composed, status: int = 200):
    design = done.design
    response = respond(
        done.out,
        status=status,
        partial=_CHANGED,
        owner=design,
        side=design.side,
        product=design.product,
        composition=done.composition,
        kind="design",
    )
    response.headers["ETag"] = etag_of(design.version)
    return response


def _design_page(statement, query):
    rows, has_more, cursor = paginate(statement, Design, query, DESIGN_SORTS)
    return respond(DesignPage.of_rows(design_out, rows, has_more, cursor))


def _design(caller, design_id: str) -> tuple[str, Design]:
    store_id = store_id_of(caller)
    return store_id, service.find_design(store_id, design_id)


def _design_to_change(caller, design_id: str) -> tuple[str, Design]:
    """The design, held for this request's change; PreconditionFailed when If-Match names
    another version of it."""
    store_id = store_id_of(caller)
    design = service.find_design_to_change(store_id, design_id)
    check_if_match(etag_of(design.version), "design")
    return store_id, design


# Designs


designs = Routes("/designs")


@designs.route("POST", auth=STOREFRONT, response=DesignOut, status=201)
def create_design(caller, query: StoreQuery, body: DesignCreate):
    """Create a design on a product's side, from its template (publishable tokens too)"""
    done = service.create_design(store_id_of(caller), body, public=_public(caller))
    return _answer(done, status=201)


def _matching(caller, query: AllDesignsFilters):
    return service.designs_of(
        store_id_of(caller),
        product_id=query.product_id,
        project_id=query.project_id,
        side_id=query.side_id,
        template_id=query.template_id,
        status=query.status,
    )


@designs.route("GET", auth=MERCHANTS, response=DesignPage)
def list_designs(caller, query: AllDesignsQuery):
    """List designs (filter by product, project, side, template, status)"""
    return _design_page(_matching(caller, query), query)


@designs.route("GET /count", auth=MERCHANTS, response=Count)
def count_designs(caller, query: AllDesignsFilters):
    """Count designs"""
    return respond(Count(count=count(_matching(caller, query), Design)))


@designs.route("GET /<design_id>", auth=STOREFRONT, response=DesignOut)
def get_design(caller, design_id: str, query: StoreQuery):
    """Get a design, with the problems the composer finds (publishable tokens too, by its id)"""
    _, design = _design(caller, design_id)
    return _answer(service.composed(design))


@designs.route("PATCH /<design_id>", auth=STOREFRONT, response=DesignOut, conditional=True)
def update_design(caller, design_id: str, query: StoreQuery, body: DesignUpdate):
    """Update a design: its whole layers list (the template's locks hold), note, status"""
    store_id, design = _design_to_change(caller, design_id)
    return _answer(service.update_design(store_id, design, body, public=_public(caller)))


@designs.route("DELETE /<design_id>", auth=MERCHANTS, response=Deleted, conditional=True)
def delete_design(caller, design_id: str, query: StoreQuery):
    """Delete a design"""
    _, design = _design_to_change(caller, design_id)
    service.delete_design(design)
    return respond(Deleted(id=design_id))


@designs.route("POST /<design_id>/layers", auth=STOREFRONT, response=DesignOut, status=201, conditional=True)
def add_design_layer(caller, design_id: str, query: StoreQuery, body: LayerAdd):
    """Add a layer to a design"""
    store_id, design = _design_to_change(caller, design_id)
    return _answer(service.add_layer(store_id, design, body), status=201)


@designs.route("PATCH /<design_id>/layers", auth=STOREFRONT, response=DesignOut, conditional=True)
def update_design_layers(caller, design_id: str, query: StoreQuery, body: LayerChanges):
    """Change several layers of a design at once, as one undo step (all or none; the template's
    locks and rules hold)"""
    store_id, design = _design_to_change(caller, design_id)
    return _answer(service.change_layers(store_id, design, body.layers))


@designs.route("PATCH /<design_id>/layers/<layer_id>", auth=STOREFRONT, response=DesignOut, conditional=True)
def update_design_layer(caller, design_id: str, layer_id: str, query: StoreQuery, body: LayerChange):
    """Change one layer of a design (the fields given; the template's locks and rules hold)"""
    store_id, design = _design_to_change(caller, design_id)
    return _answer(service.change_layer(store_id, design, layer_id, body))


@designs.route("DELETE /<design_id>/layers/<layer_id>", auth=STOREFRONT, response=DesignOut, conditional=True)
def delete_design_layer(caller, design_id: str, layer_id: str, query: StoreQuery):
    """Delete one layer of a design (unless the template locks it)"""
    store_id, design = _design_to_change(caller, design_id)
    return _answer(service.delete_layer(store_id, design, layer_id))


@designs.route("POST /<design_id>/undo", auth=STOREFRONT, response=DesignOut, conditional=True)
def undo_design(caller, design_id: str, query: StoreQuery):
    """Undo the last change of a design's layers (409 when there is none)"""
    _, design = _design_to_change(caller, design_id)
    return _answer(service.undo(design))


@designs.route("POST /<design_id>/redo", auth=STOREFRONT, response=DesignOut, conditional=True)
def redo_design(caller, design_id: str, query: StoreQuery):
    """Redo the last undone change of a design's layers (409 when there is none)"""
    _, design = _design_to_change(caller, design_id)
    return _answer(service.redo(design))


@designs.route("POST /<design_id>/reset", auth=STOREFRONT, response=DesignOut, conditional=True)
def reset_design(caller, design_id: str, query: StoreQuery, body: DesignReset):
    """Start a design again from its template, or another template of its side (undoable)"""
    store_id, design = _design_to_change(caller, design_id)
    return _answer(service.reset(store_id, design, body.template_id, public=_public(caller)))


@designs.route("GET /<design_id>/preview", auth=STOREFRONT, binary={200: "image/svg+xml"})
def get_design_preview(caller, design_id: str, query: PreviewQuery):
    """The design's side as composed: an SVG in mm (mode=preview with guides and mockup, or print)"""
    _, design = _design(caller, design_id)
    composition = compose_design(design, mode=query.mode)
    if composition is None:
        raise NotFound(f"Design '{design_id}' has no side to compose: its side was deleted")
    svg = composition.svg.encode()
    etag = hashlib.sha256(svg).hexdigest()
    return send_bytes(svg, "image/svg+xml", etag=etag, cache_control="no-cache")


@designs.route("POST /<design_id>/complete", auth=STOREFRONT, response=DesignOut, conditional=True)
def complete_design(caller, design_id: str, query: StoreQuery):
    """Complete a design: refused (422) while it has blocking problems, else design.completed and its proof
    rendered"""
    _, design = _design_to_change(caller, design_id)
    done = service.complete_design(design)
    response = respond(done.out, partial=_COMPLETED, project=design.project, designs=[design])
    response.headers["ETag"] = etag_of(design.version)
    return response


project_designs = Routes("/projects/<project_id>")


@project_designs.route("POST /complete", auth=STOREFRONT, response=ProjectCompletion)
def complete_project(caller, project_id: str, query: StoreQuery):
    """Complete every design of a project, all or nothing; the project goes to review"""
    store_id = store_id_of(caller)
    project = projects.find_project(store_id, project_id)
    done = service.complete_project(store_id, project)
    payload = ProjectCompletion(project=project_out(project), designs=[item.out for item in done])
    return respond(payload, partial=_COMPLETED, project=project, designs=[item.design for item in done])


@project_designs.route("GET /designs", auth=STOREFRONT, response=DesignPage)
def list_project_designs(caller, project_id: str, query: DesignListQuery):
    """List a project's designs (publishable tokens too, by the project's id)"""
    store_id = store_id_of(caller)
    project = projects.find_project(store_id, project_id)
    statement = service.designs_of(
        store_id, project_id=project.id, status=query.status, side_id=query.side_id
    )
    return _design_page(statement, query)


# Designs of a product


product_designs = Routes("/products/<product_id>/designs")


@product_designs.route("GET", auth=MERCHANTS, response=DesignPage)
def list_product_designs(caller, product_id: str, query: DesignListQuery):
    """List the designs customers made on a product (the product by id or slug)"""
    store_id = store_id_of(caller)
    product = find_product(store_id, product_id)
    return _design_page(
        service.designs_of(store_id, product_id=product.id, status=query.status, side_id=query.side_id), query
    )


@product_designs.route("GET /count", auth=MERCHANTS, response=Count)
def count_product_designs(caller, product_id: str, query: DesignFilters):
    """Count the designs customers made on a product"""
    store_id = store_id_of(caller)
    product = find_product(store_id, product_id)
    statement = service.designs_of(
        store_id, product_id=product.id, status=query.status, side_id=query.side_id
    )
    return respond(Count(count=count(statement, Design)))
