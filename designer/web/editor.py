"""The editor: a customer personalizes a product, and a merchant authors a template, in one page.

These views only draw pages. Every edit the page makes is one htmx request to the /api/v1 route
the JSON API uses for that change (a design's or a template's layers, undo, redo, reset,
complete), which answers it with templates/editor/_changed.html: the new preview and the panel
parts it affected. After Save the page asks the API's proof and render routes where each side's
proof and the print-ready PDF are (templates/editor/_proof.html, renders/_status.html).

A shop may embed these pages or send its customer to them, and hear back when the customer saves
(web/shop.py: the `returnUrl` and `ref` it gives, the postMessage or the redirect back).

Who may open what (api/auth.py `may_open` decides, for these pages and the API alike):
- a product's editor page: anyone, for a published product of the store (the storefront);
- a design: whoever holds its signed editor link (`?key=`), the browser session that started or
  opened its project, or the merchant whose store it is; to everyone else it does not exist (404);
- a template: the merchant (dashboard session).

A customer's page sends the store's publishable token with its requests (X-Publishable-Token),
so the API treats it as the storefront; the merchant's template page uses the dashboard session.
An <img> or a download link cannot send the token: the proof PNG and the print-ready PDF are
served here, to the browser session that opened the design.
"""

import hashlib
import json
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_login import login_required

from designer.accounts.look import theme_css
from designer.accounts.models import Store
from designer.accounts.service import find_store, shop_origins_of
from designer.api.auth import remember_project
from designer.api.downloads import send_bytes
from designer.composer.layers import MAX_Z, Layer, TextLayer
from designer.designs import service as designs
from designer.designs.models import Design
from designer.designs.present import design_out
from designer.designs.service import first_design_of, openable_design, side_designs, start_personalization
from designer.errors import NotFound
from designer.files.service import PhotoLimits, find_file, photo_limits, read_file
from designer.library import service as library
from designer.library.models import Font
from designer.previews3d.models import EDGE_MODE
from designer.previews3d.present import scene_out
from designer.previews3d.schemas import DesignScene
from designer.previews3d.service import find_profile
from designer.products.service import find_product
from designer.rendering.routes import print_ready_pdf, proof_png
from designer.security_headers import allow_framing_by
from designer.templates.models import Template
from designer.templates.present import template_out
from designer.templates.service import find_template, template_choices
from designer.web import one_unit_of_work
from designer.web.dashboard import account_store
from designer.web.shop import remember_shop_return, saved_for_shop, shop_return_asked

blueprint = Blueprint("editor", __name__)
# What templates/editor/_completed.html tells the shop that opened the project, if one did.
blueprint.add_app_template_global(saved_for_shop)


CLIPART_SHOWN = 60
# A thumbnail's or the store look's address changes with what it shows (its `v`), so a browser may
# keep each one a day.
KEEP_A_DAY = "private, max-age=86400"
SHARED_A_DAY = "public, max-age=86400"


@blueprint.get("/editor/stores/<store_id>/products/<slug>")
def product(store_id: str, slug: str):
    """A published product: its sides, a template to choose for each, and "Personalize".

    An unpublished or missing product, or another store's, is a 404 page. A shop that opens it
    gives `returnUrl` and `ref` in the query (web/shop.py); a bad one is a 422 page saying why.
    """
    product = find_product(store_id, slug, public=True)
    _let_the_shop_frame(product.store_id)
    shop_return_asked(product.store_id, request.args)  # refused before the customer starts
    choices = template_choices(product)
    # The gallery is there only when some side has templates to choose between.
    choosing = any(len(templates) > 1 for _, templates in choices)
    return render_template("editor/product.html", product=product, choices=choices, choosing=choosing)


@blueprint.post("/editor/stores/<store_id>/products/<slug>")
@one_unit_of_work
def personalize(store_id: str, slug: str):
    """Start a project on the product with the templates chosen per side (field `template-<side id>`),
    let this browser's session own it, and open the editor on its first side. The form posts to
    the page's own address, so the shop's `returnUrl` and `ref` come along in the query and are
    remembered for the project (web/shop.py).

    A template that is not one of the side's published templates is a 422 page naming it, as is a
    bad `returnUrl` or `ref`.
    """
    product = find_product(store_id, slug, public=True)
    shop_return = shop_return_asked(product.store_id, request.args)
    chosen = {
        side.id: request.form[f"template-{side.id}"]
        for side in product.sides
        if request.form.get(f"template-{side.id}")
    }
    project = start_personalization(store_id, product, chosen or None)
    remember_project(project.id)
    remember_shop_return(project.id, shop_return)
    return redirect(url_for("editor.design", design_id=first_design_of(project).id), 303)


@blueprint.get("/editor/designs/<design_id>")
def design(design_id: str):
    """The editor on one design, at its side, with the strip of the project's sides.

    htmx asks for the changed parts only (templates/editor/_changed.html), as after an edit, except
    when the strip of sides switches to this side or Back returns to it: then it takes the editor's
    body from the whole page (templates/editor/_sides.html).
    A design this browser may not open is a 404 page. A shop that opens it again gives its
    `returnUrl` and `ref` as on the product's page.
    """
    design = openable_design(design_id)
    context = _editor_context(design, "design")
    if request.htmx and not _whole_editor_asked():
        return render_template("editor/_changed.html", **context)
    _let_the_shop_frame(design.store_id)
    remember_shop_return(design.project_id, shop_return_asked(design.store_id, request.args))
    return render_template(
        "editor/editor.html",
        **context,
        project=design.project,
        side_designs=side_designs(design),
        clipart=library.clipart_shelf_of(design.store_id, CLIPART_SHOWN),
        publishable_token=find_store(design.store_id).publishable_token,
    )


@blueprint.get("/editor/designs/<design_id>/print.pdf")
@one_unit_of_work
def print_pdf(design_id: str):
    """The print-ready PDF of the design's project, for the customer's browser (a link cannot send
    the storefront's token; its session opens the design); a 404 page until it is rendered."""
    return print_ready_pdf(openable_design(design_id))


@blueprint.get("/editor/designs/<design_id>/proof.png")
def proof_image(design_id: str):
    """The proof PNG, for the customer's browser (an <img> cannot send the storefront's token).
    404 while it is not rendered, or for a design this browser may not open."""
    return proof_png(openable_design(design_id))


@blueprint.get("/editor/designs/<design_id>/thumbnail.svg")
def design_thumbnail(design_id: str):
    """The design's side as it is now, drawn small in the strip of sides: the composer's preview,
    the canvas's own drawing. A 404 for a design this browser may not open."""
    return _thumbnail(openable_design(design_id), "design")


@blueprint.get("/editor/stores/<store_id>/templates/<template_id>/thumbnail.svg")
def template_thumbnail(store_id: str, template_id: str):
    """A published template drawn small, for the product page's gallery. A 404 for a template the
    storefront may not see."""
    return _thumbnail(find_template(store_id, template_id, public=True), "template")


@blueprint.get("/editor/stores/<store_id>/logo")
def store_logo(store_id: str):
    """The store's logo, on its customer pages (anyone may read it, as the storefront shows it).
    A 404 when the store has none."""
    store = _store(store_id)
    logo = find_file(store.id, store.logo_file_id) if store.logo_file_id else None
    if logo is None:
        raise NotFound("The store has no logo")
    return send_bytes(read_file(logo), logo.media_type, etag=logo.sha256, cache_control=SHARED_A_DAY)


@blueprint.get("/editor/stores/<store_id>/theme.css")
def store_theme(store_id: str):
    """The store's colours for its customer pages, as a style sheet (accounts/look.py)."""
    css = theme_css(_store(store_id)).encode()
    return send_bytes(css, "text/css", etag=hashlib.sha256(css).hexdigest(), cache_control=SHARED_A_DAY)


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


def _whole_editor_asked() -> bool:
    """Whether htmx asks for the whole editor rather than what an edit changed: the strip of sides
    switching to this side (its target is the editor) or Back returning to it (htmx restoring its
    history from the page)."""
    headers = request.headers
    return headers.get("HX-Target") == "editor" or headers.get("HX-History-Restore-Request") == "true"


def _store(store_id: str) -> Store:
    """Raises NotFound for a store that does not exist."""
    store = find_store(store_id)
    if store is None:
        raise NotFound(f"No store with id '{store_id}'")
    return store


# What the pages show


@dataclass(frozen=True)
class StoreLook:
    """What a customer's page shows of the store (templates/editor/_store_base.html)."""

    name: str
    logo_url: str | None
    theme_url: str


@blueprint.app_template_global()
def store_look(store_id: str) -> StoreLook:
    """The store's name, logo and style sheet, with addresses that change when they do (read once
    per request: the layout asks for it in the head, the top bar and the title)."""
    return _once_per_request("store_look", _look_of, store_id)


def _look_of(store_id: str) -> StoreLook:
    store = _store(store_id)
    version = str(int(store.updated_at.timestamp()))
    # A logo whose file was deleted since is no logo (rather than a broken picture).
    logo = find_file(store.id, store.logo_file_id) if store.logo_file_id else None
    logo_url = url_for("editor.store_logo", store_id=store.id, v=logo.id) if logo else None
    return StoreLook(store.name, logo_url, url_for("editor.store_theme", store_id=store.id, v=version))


@blueprint.app_template_global()
def thumbnail_url(owner: Design | Template) -> str:
    """Where a design's (strip of sides) or a template's (gallery) thumbnail is, by its last change."""
    version = str(int(owner.updated_at.timestamp() * 1000))
    if isinstance(owner, Design):
        return url_for("editor.design_thumbnail", design_id=owner.id, v=version)
    return url_for("editor.template_thumbnail", store_id=owner.store_id, template_id=owner.id, v=version)


def _thumbnail(owner: Design | Template, kind: str):
    """The owner's side as the composer's preview draws it, as an SVG image."""
    composition = designs.compose_design(owner)
    if composition is None:
        raise NotFound(f"The side this {kind} was made for no longer exists")
    svg = composition.svg.encode()
    return send_bytes(svg, "image/svg+xml", etag=hashlib.sha256(svg).hexdigest(), cache_control=KEEP_A_DAY)


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


@blueprint.app_template_global()
def scene_3d(owner: Design | Template) -> DesignScene | None:
    """What the editor's 3D view shows of a customer's design (templates/editor/_view3d.html): its
    scene when the product has an enabled 3D profile that can show this side (an edge preview, or
    a model the side is mapped on); None otherwise, and for a template, so no 3D script loads."""
    if not isinstance(owner, Design):
        return None
    try:
        profile = find_profile(owner.store_id, owner.product_id)
    except NotFound:
        return None
    scene = scene_out(owner, profile) if profile.enabled else None
    if scene is None or (profile.mode != EDGE_MODE and scene.model_url is None):
        return None
    return scene


@blueprint.app_template_global()
def editor_fonts(store_id: str) -> list[Font]:
    """The store's fonts for the editor's font menus, by family then weight (read once per request)."""
    return _once_per_request("editor_fonts", library.font_menu_of, store_id)


@dataclass(frozen=True)
class FontFamily:
    """A family in the font picker: its faces (id, weight, style, file URL) and the face its
    sample is drawn in (the one closest to regular)."""

    name: str
    regular: Font
    face_ids: frozenset[str]
    faces_json: str


@blueprint.app_template_global()
def font_families(fonts: list[Font]) -> list[FontFamily]:
    """`fonts` grouped by family (in their order), for the font picker."""
    grouped: dict[str, list[Font]] = {}
    for font in fonts:
        grouped.setdefault(font.family, []).append(font)
    families = []
    for name, faces in grouped.items():
        regular = min(faces, key=lambda face: (face.style != "normal", abs(face.weight - 400), face.weight))
        described = [
            {
                "id": face.id,
                "weight": face.weight,
                "style": face.style,
                "file": url_for("api.get_font_file", font_id=face.id, storeId=face.store_id),
            }
            for face in faces
        ]
        face_ids = frozenset(face.id for face in faces)
        families.append(FontFamily(name, regular, face_ids, json.dumps(described)))
    return families


_HEX_COLOUR = re.compile(r"#[0-9a-f]{6}")


@dataclass(frozen=True)
class Palette:
    """The colours the editor offers as swatches: the template's (what its layers use) and the
    store's brand colours."""

    template: list[str]
    store: list[str]


@blueprint.app_template_global()
def editor_palette(owner: Design | Template) -> Palette:
    """The swatches for a design or template (read once per request): the colours the layers of
    its template use (a template's own; a design's template's, or its own when the template is
    gone) and the store's brand colours, each once, as #rrggbb."""
    cache = g.setdefault("editor_palette", {})
    if owner.id not in cache:
        layers = owner.layers
        if isinstance(owner, Design) and owner.template_id:
            with suppress(NotFound):  # the template was deleted: the design's own colours
                layers = find_template(owner.store_id, owner.template_id).layers
        used = (layer.get(key) for layer in layers for key in ("color", "fill", "stroke"))
        store = find_store(owner.store_id)
        cache[owner.id] = Palette(_colours(used), _colours(store.brand_colors or [] if store else []))
    return cache[owner.id]


def _colours(values) -> list[str]:
    """The #rrggbb colours among `values`, lower-case, each once, in order."""
    found = (value.lower() for value in values if isinstance(value, str))
    return list(dict.fromkeys(value for value in found if _HEX_COLOUR.fullmatch(value)))


@blueprint.app_template_global()
def editor_recolorable(store_id: str) -> set[str]:
    """The ids of the store's clipart that can be recoloured (single-colour), read once per request."""
    return _once_per_request("editor_recolorable", library.recolorable_clipart_ids, store_id)


@blueprint.app_template_global()
def editor_photo_limits(product) -> PhotoLimits:
    """What a photo for `product` may be (size, types), for the editor's file fields."""
    return photo_limits(product)


def _once_per_request(name: str, read: Callable, store_id: str):
    """`read(store_id)`, kept for the rest of the request under `name`."""
    cache = g.setdefault(name, {})
    if store_id not in cache:
        cache[store_id] = read(store_id)
    return cache[store_id]


# The API route of each edit the editor sends, by its name here; `{}` is the kind edited.
_EDITS = {
    "add_layer": "add_{}_layer",
    "layer": "update_{}_layer",  # change or delete one (PATCH or DELETE), with `layer_id`
    "layers": "update_{}_layers",  # change several at once (aligning, spacing)
    "undo": "undo_{}",
    "redo": "redo_{}",
    "reset": "reset_{}",  # designs only
}


@blueprint.app_template_global()
def editor_url(edit: str, kind: str, owner_id: str, **path: str) -> str:
    """Where the editor sends an edit (a name in _EDITS) of a design or a template (`kind`): the
    /api/v1 route the JSON API uses for that change, e.g. POST /api/v1/designs/{id}/undo."""
    return url_for("api." + _EDITS[edit].format(kind), **{f"{kind}_id": owner_id}, **path)


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
