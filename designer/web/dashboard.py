"""The merchant dashboard. Its pages read through the same services as the API, and its
actions are htmx requests to the /api/v1 routes, which answer them with partials."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from designer.accounts import services
from designer.accounts.api import store_out
from designer.accounts.models import ApiToken, Store
from designer.api.auth import Caller
from designer.extensions import db

blueprint = Blueprint("dashboard", __name__, url_prefix="/dashboard")


def account_store(store_id: str) -> Store:
    """The logged-in account's store. Another account's store is a 404 page, like a missing one."""
    return Caller("account", account_id=current_user.id).store(store_id)


@blueprint.get("/")
@login_required
def home():
    stores = db.session.scalars(services.stores_of(current_user.id).order_by(Store.created_at)).all()
    return render_template("dashboard/home.html", stores=stores)


@blueprint.get("/stores/<store_id>")
@login_required
def store(store_id: str):
    """One store's settings and tokens. Another account's store is a 404 page, like a missing one."""
    store = account_store(store_id)
    tokens = db.session.scalars(services.tokens_of(store).order_by(ApiToken.created_at)).all()
    return render_template("dashboard/store.html", store=store, settings=store_out(store), tokens=tokens)
