"""Dashboard pages for a store's templates.

The pages read through the same services as the API. Their actions (create or import a template,
make one the default, delete it; move a project to another status) are htmx requests to the
/api/v1 routes, which answer with the partials in templates/dashboard/designs/; each page sets the
X-Store-Id header for them (hx-headers), so the account's request names its store.
"""

from flask import render_template, request
from flask_login import login_required

from designer.api.auth import current_caller
from designer.api.operations import parse
from designer.api.pagination import more_url, paginate
from designer.api.store_scope import store_id_of
from designer.designs import templates as template_services
from designer.designs.api import TEMPLATE_SORTS
from designer.designs.models import Template
from designer.designs.schemas import TemplateListQuery
from designer.extensions import db
from designer.products.models import Product, Side
from designer.tenancy import in_store
from designer.web.dashboard import account_store, blueprint

PAGES = "dashboard/designs/"


def _filters() -> dict:
    # The filter forms send every field; an empty one ("All products") filters nothing.
    return {name: value for name, value in request.args.items() if value != ""}


@blueprint.get("/stores/<store_id>/templates")
@login_required
def templates(store_id: str):
    """The store's templates, filtered by product and status, with the form that creates or imports one.

    Another account's store is a 404 page; a bad filter a 422 page.
    """
    store = account_store(store_id)
    query = parse(TemplateListQuery, _filters())
    statement = template_services.templates_of(
        store.id, product_id=query.product_id, side_id=query.side_id, status=query.status
    )
    rows, _, cursor = paginate(statement, Template, query, TEMPLATE_SORTS)
    products = in_store(db.select(Product.id, Product.name).order_by(Product.name), store.id)
    return render_template(
        PAGES + "templates.html",
        store=store,
        templates=rows,
        more_url=more_url("api.list_templates", query, cursor),
        query=query,
        products=db.session.execute(products).all(),
    )


# What the partials need when htmx asks an /api/v1 route for them, and when a form comes back
# with errors (then they get only `errors` and `values`, and look up the rest here).


@blueprint.app_template_global()
def template_side_options(store_id: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The sides a template can be for, grouped by product: [(product name, [(side id, side name)])].

    Without `store_id`, the store the current request names (checked to be the caller's).
    """
    store_id = store_id or store_id_of(current_caller())
    statement = in_store(
        db.select(Product.id, Product.name, Side.id, Side.name)
        .join(Side, Side.product_id == Product.id)
        .order_by(Product.name, Product.id, Side.position, Side.id),
        store_id,
    )
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for product_id, product_name, side_id, side_name in db.session.execute(statement):
        groups.setdefault(product_id, (product_name, []))[1].append((side_id, side_name))
    return list(groups.values())
