"""Dashboard pages for products, their sides and categories.

The list and detail pages are the API's routes answering a browser (web/dashboard.py `page`);
the others read through the same services. Their actions are htmx requests to the
/api/v1 routes, which answer with the partials in templates/dashboard/products/; each page sets
the X-Store-Id header for them (hx-headers), so the account's request names its store.
"""

from flask import render_template, request, url_for
from flask_login import login_required

from designer.accounts import service as account_services
from designer.api.auth import current_caller
from designer.api.store_scope import store_id_of
from designer.categories import service as category_services
from designer.files import service as file_services
from designer.files.models import File
from designer.library import service as library_services
from designer.products import service
from designer.products import sides as side_services
from designer.products.models import Product, Side
from designer.products.routes import get_product, list_categories, list_products
from designer.products.schemas import FILE_TYPES, Personalization
from designer.products.side_diagram import mockup_diagram_svg, side_diagram_svg
from designer.references import IMAGE_FORMATS
from designer.units import from_mm
from designer.web.dashboard import account_store, blueprint, page

PAGES = "dashboard/products/"


# The store's products, filtered by the page's query string (q, status) like the API's list.
page("/stores/<store_id>/products", "products", list_products)

# A product's settings, personalization rules and sides.
page("/stores/<store_id>/products/<product_id>", "product", get_product)

# The store's categories, with a form for a new one and inline edits.
page("/stores/<store_id>/categories", "categories", list_categories, limit="100")


@blueprint.get("/stores/<store_id>/products/<product_id>/sides/<side_id>")
@login_required
def side(store_id: str, product_id: str, side_id: str):
    """The side editor: its numbers in a form, and the side drawn to scale beside them."""
    store = account_store(store_id)
    side = side_services.find_product_side(store.id, product_id, side_id)
    return render_template(
        PAGES + "side.html", store=store, store_id=store.id, side=side, product=side.product
    )


# What the partials need when htmx asks an /api/v1 route for them, and when a form comes back
# with errors (then they get only `errors` and `values`, and look up the rest here).


@blueprint.app_template_global()
def editing_product() -> Product:
    """The product the current request is about (its path names it); raises NotFound otherwise."""
    return service.find_product(store_id_of(current_caller()), request.view_args["product_id"])


@blueprint.app_template_global()
def editing_side() -> Side:
    """The side the current request is about (its path names it); raises NotFound otherwise."""
    return side_services.find_side(store_id_of(current_caller()), request.view_args["side_id"])


@blueprint.app_template_global()
def product_choices(product: Product) -> dict:
    """What a product's forms offer: the store's categories, the variants it may be an option of
    (as select options), the store's fonts and the file types customers may upload."""
    return {
        "categories": category_services.all_categories_of(product.store_id),
        "parents": [("", "—"), *service.variant_choices(product)],
        "fonts": library_services.font_menu_of(product.store_id),
        "file_types": FILE_TYPES,
    }


@blueprint.app_template_global()
def image_choices(store_id: str) -> list[tuple[str, str]]:
    """The merchant's images a side can show as its mockup, background or overlay (never a
    customer's photo), as select options."""
    files = file_services.newest_merchant_files_of(store_id, IMAGE_FORMATS, 200)
    return [("", "None")] + [(file.id, _file_label(file)) for file in files]


def _file_label(file: File) -> str:
    return f"{file.filename} ({file.width_px} × {file.height_px} px)" if file.width_px else file.filename


@blueprint.app_template_global()
def profile_choices(store_id: str, for_product: bool = False) -> list[tuple[str, str]]:
    """The store's printer profiles as select options, after the blank one: for a product, the
    store's default profile; for the store, FOGRA39 (the profile Presswork ships)."""
    profiles = file_services.color_profiles_of(store_id)
    blank = "FOGRA39 (coated paper: the profile Presswork ships)"
    if for_product:
        default = account_services.find_store(store_id).color_profile_file_id
        blank = f"The store's default ({next((p.filename for p in profiles if p.id == default), 'FOGRA39')})"
    return [("", blank)] + [(profile.id, profile.filename) for profile in profiles]


@blueprint.app_template_global()
def personalization_of(product: Product) -> Personalization:
    return Personalization.model_validate(product.personalization or {})


@blueprint.app_template_global()
def side_diagrams(side: Side) -> dict:
    """The side's diagram, and its mockup's with the design area when it has a mockup."""
    diagrams = {"side": side_diagram_svg(side, side.product.dimension_unit), "mockup": None}
    mockup = file_services.find_file(side.store_id, side.mockup_file_id) if side.mockup_file_id else None
    if mockup is not None:
        diagrams["mockup"] = mockup_diagram_svg(
            url_for("api.get_file_content", file_id=mockup.id, storeId=side.store_id),
            mockup.width_px or _extent(side.design_area, "x", "width"),
            mockup.height_px or _extent(side.design_area, "y", "height"),
            side.design_area,
            side.name,
        )
    return diagrams


def _extent(area: dict | None, origin: str, size: str) -> float:
    return (area[origin] + area[size]) if area else 1000


@blueprint.app_template_filter()
def in_unit(value_mm: float, unit: str) -> str:
    """A length kept in millimetres, as a form shows it in the product's unit ("3", "0.125")."""
    return f"{from_mm(value_mm, unit):.6f}".rstrip("0").rstrip(".")
