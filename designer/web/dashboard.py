"""The merchant dashboard. Its pages are the API's routes answering a browser (`page`), and its
actions are htmx requests to the /api/v1 routes, which answer them with partials."""

from collections.abc import Callable

from flask import Blueprint, g, render_template, request
from flask_login import current_user, login_required
from werkzeug.datastructures import ImmutableMultiDict

from designer.accounts import service
from designer.accounts.models import Store
from designer.accounts.routes import store_out
from designer.api.auth import Caller
from designer.api.store_scope import STORE_FIELD

blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def account_store(store_id: str) -> Store:
    """The logged-in account's store. Another account's store is a 404 page, like a missing one."""
    return Caller("account", account_id=current_user.id).store(store_id)


def page(rule: str, endpoint: str, view: Callable, **defaults: str) -> None:
    """Serve the API route `view` at `rule` as a page of the store the path names: the same view
    function, behind the log-in, answering a browser with its page (api/respond.py `respond`).

    The page's query string is the API's, for the path's store, with the empty fields a filter
    form sends left out and `defaults` under it. Another account's store is a 404 page.
    """

    @login_required
    def show(store_id: str, **path):
        g.page_store = account_store(store_id)
        filled = {name: value for name, value in request.args.items() if value != ""}
        request.args = ImmutableMultiDict(defaults | filled | {STORE_FIELD: g.page_store.id})
        return view(**path)

    blueprint.add_url_rule(rule, endpoint, show)


@blueprint.context_processor
def page_store() -> dict:
    """The store a page served by `page` is about, as every page's `store`."""
    return {"store": g.page_store} if "page_store" in g else {}


@blueprint.get("/")
@login_required
def home():
    return render_template("dashboard/home.html", stores=service.all_stores_of(current_user.id))


@blueprint.get("/stores/<store_id>")
@login_required
def store(store_id: str):
    """One store's settings and tokens. Another account's store is a 404 page, like a missing one."""
    store = account_store(store_id)
    tokens = service.all_tokens_of(store)
    return render_template("dashboard/store.html", store=store, settings=store_out(store), tokens=tokens)
