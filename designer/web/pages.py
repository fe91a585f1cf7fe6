"""Sign-up, log-in and log-out for merchants (Flask-Login session, CSRF-protected forms)."""

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from designer.accounts import login_limits, service
from designer.accounts.models import Account
from designer.accounts.schemas import AccountCreate
from designer.api.operations import parse
from designer.api.respond import errors_by_field
from designer.api.scopes import RESOURCE_NAMES
from designer.errors import ApiError
from designer.extensions import db
from designer.web import forms, one_unit_of_work

blueprint = Blueprint("web", __name__)
blueprint.add_app_template_filter(forms.error_for)
blueprint.add_app_template_filter(forms.other_errors)
blueprint.add_app_template_filter(forms.field_message)
# The token form offers each resource's scopes, whether a page or an API route renders it.
blueprint.app_context_processor(lambda: {"token_resources": list(RESOURCE_NAMES.items())})


@blueprint.get("/")
def index():
    return redirect(url_for("dashboard.home" if current_user.is_authenticated else "web.login"))


@blueprint.route("/signup", methods=["GET", "POST"])
@one_unit_of_work
def signup():
    """Create an account with the same schema and service as POST /api/v1/account, then log in.

    Invalid input re-renders the form with each field's message (422, or 409 for a taken email).
    """
    if request.method == "GET":
        return render_template("auth/signup.html", errors={}, values={})
    try:
        account = _create_account()
    except ApiError as error:
        db.session.rollback()
        return render_template(
            "auth/signup.html", errors=errors_by_field(error), values=request.form
        ), error.status
    login_user(account)
    return redirect(url_for("dashboard.home"))


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """Log in with email and password; a wrong pair re-renders the form with a message (401).

    After too many wrong passwords for the email (or from the client's address) every attempt is
    refused for a while, the right password too: the form again, saying when to retry (429,
    Retry-After). See designer/accounts/login_limits.py.
    """
    if request.method != "POST":  # GET, and HEAD (which is no attempt)
        if current_user.is_authenticated:
            return redirect(_safe_next(request.args.get("next")))
        return render_template("auth/login.html", error=None, values={})
    email, password = request.form.get("email", ""), request.form.get("password", "")
    refusal = login_limits.refusal(email, request.remote_addr)
    if refusal is not None:
        page = render_template("auth/login.html", error=refusal.message, values=request.form)
        return page, 429, {"Retry-After": str(refusal.retry_after_s)}
    account = service.authenticate(email, password)
    if account is None:
        login_limits.record_failure(email, request.remote_addr)
        return render_template("auth/login.html", error="Wrong email or password.", values=request.form), 401
    login_limits.record_success(email)
    login_user(account, remember=bool(request.form.get("remember")))
    return redirect(_safe_next(request.args.get("next")))


@blueprint.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("web.login"))


def _create_account() -> Account:
    # Only the schema's own fields: the form also carries csrf_token, which the schema refuses.
    fields = {name: request.form.get(name, "") for name in ("name", "email", "password")}
    body = parse(AccountCreate, fields)
    return service.create_account(body.name, body.email, body.password)


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so a crafted link cannot send a merchant elsewhere after log-in
    # ("//host" and "/\host" are other sites to a browser).
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("dashboard.home")
