"""Sign-up, log-in and log-out for merchants (Flask-Login session, CSRF-protected forms)."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from designer.accounts import services
from designer.accounts.schemas import AccountCreate
from designer.api.errors import ApiError
from designer.api.operations import parse
from designer.extensions import db

blueprint = Blueprint("web", __name__)


@blueprint.get("/")
def index():
    return redirect(url_for("dashboard.home" if current_user.is_authenticated else "web.login"))


@blueprint.route("/signup", methods=["GET", "POST"])
def signup():
    """Create an account with the same schema and service as POST /api/v1/account, then log in."""
    errors = {}
    if request.method == "POST":
        try:
            body = parse(AccountCreate, request.form.to_dict())
            account = services.create_account(body.name, body.email, body.password)
            db.session.commit()
        except ApiError as error:
            db.session.rollback()
            errors = _by_field(error)
        else:
            login_user(account)
            return redirect(url_for("dashboard.home"))
    return render_template("auth/signup.html", errors=errors, values=request.form), 422 if errors else 200


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        account = services.authenticate(request.form.get("email", ""), request.form.get("password", ""))
        if account is not None:
            login_user(account, remember=bool(request.form.get("remember")))
            return redirect(_safe_next(request.args.get("next")))
        error = "Wrong email or password."
    return render_template("auth/login.html", error=error, values=request.form), 401 if error else 200


@blueprint.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("web.login"))


def _by_field(error: ApiError) -> dict:
    items = getattr(error, "errors", None) or [{"field": error.field, "message": error.message}]
    return {item["field"]: item["message"] for item in items}


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so a crafted link cannot send a merchant elsewhere after log-in.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.home")
