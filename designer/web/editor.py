"""The editor: a customer personalizes a product, and a merchant authors a template, in one page.

These views only draw pages. Every edit the page makes is one htmx request to the /api/v1 route
the JSON API uses for that change (a design's or a template's layers, undo, redo, reset,
complete), which answers it with templates/editor/_changed.html: the new preview and the panel
parts it affected.

Who may open what:
- a product's editor page: anyone, for a published product of the store (the storefront);
- a design: whoever holds its signed editor link (`?key=`), the browser session that started or
  opened its project, or the merchant whose store it is; to everyone else it does not exist (404);
- a template: the merchant (dashboard session).

A customer's page sends the store's publishable token with its requests (X-Publishable-Token),
so the API treats it as the storefront; the merchant's template page uses the dashboard session.
"""

from dataclasses import dataclass

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_login import login_required

from designer.accounts.service import find_store, shop_origins_of
from designer.api.auth import ANYONE, Caller, authorize
from designer.api.downloads import send_bytes
from designer.composer.layers import MAX_Z, Layer, TextLayer
from designer.designs import editor_keys
from designer.designs import service as designs
from designer.designs.models import Design
from designer.designs.present import design_out
from designer.designs.service import start_personalization
from designer.editing.references import PUBLISHED
from designer.errors import Conflict, NotFound
from designer.extensions import db
from designer.files import service as file_services
from designer.library import service as library
from designer.library.models import Font
from designer.products.models import Product, Side
from designer.products.service import find_product
from designer.projects.models import Project
from designer.rendering import proofs
from designer.rendering.models import DONE
from designer.rendering.renders import request_render
from designer.rendering.routes import pdf_download
from designer.security_headers import allow_framing_by
from designer.templates.models import Template
from designer.templates.present import template_out
from designer.templates.service import find_template, templates_of
from designer.tenancy import across_stores, in_store
from designer.web import one_unit_of_work
from designer.web.dashboard import account_store

blueprint = Blueprint("editor", __name__)


# The projects this browser started or opened with a key, newest last. A signed cookie holds
# them; a handful is plenty for one customer, and the cookie stays small.
SESSION_PROJECTS = "editor_projects"
MAX_SESSION_PROJECTS = 20
CLIPART_SHOWN = 60
# Who, besides a customer's session or link, may open any design of their store in the editor.
MERCHANTS = ("account", "secret")


@blueprint.get("/editor/stores/<store_id>/products/<slug>")
def product(store_id: str, slug: str):
    """A published product: its sides, a template to choose for each, and "Personalize".

    An unpublished or missing product, or another store's, is a 404 page.
    """
    product = find_product(store_id, slug, public=True)
    _let_the_shop_frame(product.store_id)
    return render_template("editor/product.html", product=product, choices=_template_choices(product))


@blueprint.post("/editor/stores/<store_id>/products/<slug>")
@one_unit_of_work
def personalize(store_id: str, slug: str):
    """Start a project on the product with the templates chosen per side (field `template-<side id>`),
    let this browser's session own it, and open the editor on its first side.

    A template that is not one of the side's published templates is a 422 page naming it.
    """
    product = find_product(store_id, slug, public=True)
    chosen = {
        side.id: request.form[f"template-{side.id}"]
        for side in product.sides
        if request.form.get(f"template-{side.id}")
    }
    project = start_personalization(store_id, product, chosen or None)
    _remember_project(project.id)
    first = db.session.scalars(_designs_of(project)).first()
    if first is None:
        raise NotFound("This product has no side to personalize")
    return redirect(url_for("editor.design", design_id=first.id), 303)


@blueprint.get("/editor/designs/<design_id>")
def design(design_id: str):
    """The editor on one design, at its side, with tabs for the project's other sides.

    htmx asks for the changed parts only (templates/editor/_changed.html), as after an edit.
    A design this browser may not open is a 404 page.
    """
    design = _openable_design(design_id)
    context = _editor_context(design, "design")
    if request.htmx:
        return render_template("editor/_changed.html", **context)
    _let_the_shop_frame(design.store_id)
    return render_template(
        "editor/editor.html",
        **context,
        project=design.project,
        side_designs=_side_designs(design),
        clipart=library.clipart_shelf_of(design.store_id, CLIPART_SHOWN),
        publishable_token=find_store(design.store_id).publishable_token,
    )


@blueprint.get("/editor/designs/<design_id>/proof")
def proof(design_id: str):
    """The proof's place on the page: the proof once the worker rendered it, why it failed, or a
    note that asks again in a moment (htmx polling). A design this browser may not open is a 404."""
    design = _openable_design(design_id)
    try:
        status, failure = proofs.proof_status(design), None
    except Conflict as error:
        status, failure = "failed", error.message
    return render_template(
        "editor/_proof.html", design=design, side=design.side, status=status, failure=failure
    )


@blueprint.get("/editor/designs/<design_id>/print")
@one_unit_of_work
def print_status(design_id: str):
    """Where the print-ready PDF of the design's project is (renders/_status.html): progress that
    asks again in a moment, the download link, or why it failed. Asking queues it if need be."""
    design = _openable_design(design_id)
    render = request_render(
        design.store_id, design.project or design, retry=request.args.get("retry") == "true"
    )
    return render_template(
        "renders/_status.html",
        render=render,
        url=url_for(".print_status", design_id=design.id),
        download=url_for(".print_pdf", design_id=design.id),
    )


@blueprint.get("/editor/designs/<design_id>/print.pdf")
@one_unit_of_work
def print_pdf(design_id: str):
    """The print-ready PDF of the design's project; a 404 page until it is rendered (asking queues it)."""
    design = _openable_design(design_id)
    render = request_render(design.store_id, design.project or design)
    if render.status != DONE:
        return render_template(
            "error.html", status=404, message="The print-ready PDF is not rendered yet"
        ), 404
    return pdf_download(design.store_id, render)


@blueprint.get("/editor/designs/<design_id>/proof.png")
def proof_image(design_id: str):
    """The proof PNG. 404 while it is not rendered, or for a design this browser may not open."""
    design = _openable_design(design_id)
    if not design.proof_file_id:
        raise NotFound("The proof is not rendered yet")
    file = file_services.get_file(design.store_id, design.proof_file_id)
    return send_bytes(file_services.read_file(file), file.media_type, etag=file.sha256)


@blueprint.get("/dashboard/stores/<store_id>/templates/<template_id>/edit")
@login_required
def template(store_id: str, template_id: str):
    """The editor on a template, for its merchant: layers with their lock and rule flags, and the
    side's design area on its mockup. Another account's store or template is a 404 page."""
    store = account_store(store_id)
    template = find_template(store.id, template_id)
    context = _editor_context(template, "template")
    if request.htmx:
        return render_template("editor/_changed.html", **context)
    return render_template(
        "editor/editor.html",
        **context,
        store=store,
        clipart=library.clipart_shelf_of(store.id, CLIPART_SHOWN),
    )


# Access


def _let_the_shop_frame(store_id: str) -> None:
    """A customer's page may be embedded by the store's shop: its origins (the store's setting
    `shopOrigins`) go into the page's frame-ancestors. With none set, no site may frame it."""
    origins = shop_origins_of(find_store(store_id))
    if origins:
        allow_framing_by(origins)


def _openable_design(design_id: str) -> Design:
    """The design, if this request may open it. Raises NotFound otherwise, as for a missing one."""
    # The id alone is what a customer's link carries, so the design is looked up before its store
    # is known; whether this browser may open it is decided right below.
    found = None
    if design_id.isprintable():
        found = db.session.scalars(across_stores(db.select(Design).where(Design.id == design_id))).first()
    if found is None or not _may_open(found):
        raise NotFound(f"No design with id '{design_id}'")
    return found


def _may_open(design: Design) -> bool:
    """Whether this browser may open `design`: its session started or opened the project, it holds
    the project's key, or the API's authorization finds the store's merchant calling. The page's
    own requests then name the storefront (X-Publishable-Token): the session remembers the project."""
    if design.project_id in session.get(SESSION_PROJECTS, []):
        return True
    key = request.args.get("key")
    opened = bool(key and design.project_id and editor_keys.key_opens(design.project_id, key))
    if not opened:
        caller = authorize(ANYONE, "designs", "read")
        opened = caller.kind in MERCHANTS and _owns(caller, design.store_id)
    if opened and design.project_id:
        _remember_project(design.project_id)
    return opened


def _owns(caller: Caller, store_id: str) -> bool:
    try:
        caller.store(store_id)
    except NotFound:
        return False
    return True


def _remember_project(project_id: str) -> None:
    projects = [known for known in session.get(SESSION_PROJECTS, []) if known != project_id]
    session[SESSION_PROJECTS] = [*projects, project_id][-MAX_SESSION_PROJECTS:]


# What the pages show


def _editor_context(owner: Design | Template, kind: str) -> dict:
    """What templates/editor/_changed.html needs, as the API's routes give it after an edit.

    Raises NotFound when the side (or product) the design or template was for is gone.
    """
    composition = designs.compose_design(owner)
    if composition is None:
        raise NotFound(f"The side this {kind} was made for no longer exists")
    data = design_out(owner, composition) if kind == "design" else template_out(owner, composition)
    return {
        "data": data,
        "owner": owner,
        "side": owner.side,
        "product": owner.product,
        "composition": composition,
        "kind": kind,
    }


def _designs_of(project: Project):
    return in_store(
        db.select(Design)
        .join(Side, Side.id == Design.side_id)
        .where(Design.project_id == project.id)
        .order_by(Side.position, Side.id),
        project.store_id,
    )


def _side_designs(design: Design) -> list[tuple[Side, Design]]:
    """The project's designs with their sides, in the product's order of sides (the side tabs)."""
    if design.project_id is None:
        return [(design.side, design)]
    statement = in_store(
        db.select(Side, Design)
        .join(Design, Design.side_id == Side.id)
        .where(Design.project_id == design.project_id)
        .order_by(Side.position, Side.id),
        design.store_id,
    )
    return [(side, found) for side, found in db.session.execute(statement)]


def _template_choices(product: Product) -> list[tuple[Side, list[Template]]]:
    """Each published side of the product with its published templates, the default first."""
    choices = []
    for side in product.sides:
        if side.status != PUBLISHED:
            continue
        statement = templates_of(product.store_id, side_id=side.id, public=True).order_by(
            Template.is_default.desc(), Template.name
        )
        choices.append((side, db.session.scalars(statement).all()))
    return choices


@blueprint.app_template_global()
def editor_fonts(store_id: str) -> list[Font]:
    """The store's fonts for the editor's font menus, by family then weight (read once per request)."""
    cache = g.setdefault("editor_fonts", {})
    if store_id not in cache:
        cache[store_id] = library.font_menu_of(store_id)
    return cache[store_id]


@blueprint.app_template_global()
def editor_recolorable(store_id: str) -> set[str]:
    """The ids of the store's clipart that can be recoloured (single-colour), read once per request."""
    cache = g.setdefault("editor_recolorable", {})
    if store_id not in cache:
        cache[store_id] = library.recolorable_clipart_ids(store_id)
    return cache[store_id]


@blueprint.app_template_global()
def editor_api_base(kind: str, owner_id: str) -> str:
    """Where the editor sends the edits of a design or a template: the API's route for it
    (/api/v1/designs/{id} or /api/v1/templates/{id}), below which its layers, undo and redo live."""
    return url_for(f"api.get_{kind}", **{f"{kind}_id": owner_id})


@dataclass(frozen=True)
class StackedLayer:
    """A layer in the panel, with the z-order values its "forward" and "backward" buttons send."""

    layer: Layer
    forward_z: int | None  # None: already in front of everything
    backward_z: int | None  # None: already behind everything (or z cannot go below 0)


@blueprint.app_template_global()
def layers_front_to_back(layers: list[Layer]) -> list[StackedLayer]:
    """The layers as the panel lists them, frontmost first.

    Layers stack by z, then by their place in the list; one layer's new z is enough to pass its
    neighbour (a tie with it is settled by the list order), so each button is one edit.
    """
    back_to_front = sorted(enumerate(layers), key=lambda item: (item[1].z or 0, item[0]))
    stacked = []
    for position, (index, layer) in enumerate(back_to_front):
        forward = backward = None
        if position + 1 < len(back_to_front):
            above_index, above = back_to_front[position + 1]
            forward = min(MAX_Z, (above.z or 0) + (0 if index > above_index else 1))
        if position > 0:
            below_index, below = back_to_front[position - 1]
            backward = (below.z or 0) - (0 if index < below_index else 1)
            backward = backward if backward >= 0 else None
        stacked.append(StackedLayer(layer, forward, backward))
    return stacked[::-1]


@blueprint.app_template_global()
def font_menu(layer: TextLayer, fonts: list[Font]) -> tuple[list[Font], str | None]:
    """The fonts a text layer may use (its rules.fonts, or all the store's) and the one it uses:
    its fontId, else the regular face of its fontFamily."""
    allowed = [font for font in fonts if font.id in layer.rules.fonts] if layer.rules.fonts else fonts
    if layer.font_id:
        return allowed, layer.font_id
    family = [font for font in allowed if font.family.casefold() == (layer.font_family or "").casefold()]
    family.sort(key=lambda font: (font.style != "normal", abs(font.weight - 400)))
    return allowed, family[0].id if family else None
