"""Presswork: a web-to-print personalization server."""

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from designer import config as configuration


class Presswork(Flask):
    """Flask, asking once per function whether it runs as a coroutine: Flask asks on every call of
    a request's hooks and view (nine a request) through the inspect module's general check."""

    # Views and hooks are registered once; a function made per call (a class-based view's method)
    # is still answered, only not kept once this many are.
    _KEEP_SYNC_ANSWERS = 1024

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sync_answers: dict = {}

    def ensure_sync(self, func):
        answer = self._sync_answers.get(func)
        if answer is None:
            answer = super().ensure_sync(func)
            if len(self._sync_answers) < self._KEEP_SYNC_ANSWERS:
                self._sync_answers[func] = answer
        return answer


def create_app(config: dict | None = None) -> Flask:
    """Assemble the app: config (environment, then `config`), extensions, blueprints, handlers."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Presswork(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or os.path.join(root, "instance"),
        template_folder=os.path.join(root, "templates"),
        static_folder=os.path.join(root, "static"),
    )
    app.config.from_mapping(configuration.from_environment(app.instance_path))
    app.config.from_mapping(config or {})
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _bind_extensions(app)
    _register_blueprints(app)
    _connect_rooms()
    return app


def _connect_rooms() -> None:
    """Hands rooms lower in the house the look-ups they need from rooms above them, so that
    imports only point down (see the import contracts in pyproject.toml)."""
    from designer.accounts import login_limits
    from designer.accounts import service as account_services
    from designer.api.auth import AccountBook, register_accounts
    from designer.designs.service import designs_made_on, register_completion
    from designer.editing.print_checks import register_ink_separation
    from designer.files.routes import register_product_lookup
    from designer.library.service import install_default_library
    from designer.orders.present import is_ordered, register_latest_render
    from designer.products.service import find_product
    from designer.products.sides import register_design_count
    from designer.rendering.colour_modes import ink_separation
    from designer.rendering.proofs import request_completed
    from designer.rendering.renders import latest_render
    from designer.rendering.routes import register_order_lookup

    register_accounts(
        AccountBook(
            token_and_store=account_services.token_and_store,
            publishable_store=account_services.publishable_store,
            record_token_use=account_services.record_token_use,
            store=account_services.find_store,
            store_row=account_services.store_row,
            attached_store=account_services.attached_store,
            authenticate=account_services.authenticate,
            login_refusal=login_limits.refusal,
            record_failure=login_limits.record_failure,
            record_success=login_limits.record_success,
        )
    )
    account_services.register_store_furnisher(install_default_library)
    register_design_count(designs_made_on)
    register_product_lookup(find_product)
    register_completion(request_completed)
    register_latest_render(latest_render)
    register_order_lookup(is_ordered)
    register_ink_separation(ink_separation)


def _bind_extensions(app: Flask) -> None:
    from designer import embedded_redis, queue
    from designer.accounts.models import Account
    from designer.api.errors import register_error_handlers
    from designer.api.ratelimit import init_rate_limits
    from designer.extensions import csrf, db, htmx, login_manager, migrate
    from designer.files.storage import init_storage
    from designer.requests_log import configure_logging, register_request_ids
    from designer.security_headers import init_security_headers
    from designer.sessions import SignedCookieSessions

    if not app.config["REDIS_URL"]:
        app.config["REDIS_URL"] = embedded_redis.ensure_running(app.instance_path)
    configure_logging(app)
    register_request_ids(app)
    app.session_interface = SignedCookieSessions()
    db.init_app(app)
    _tune_database(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "web.login"
    login_manager.user_loader(lambda account_id: db.session.get(Account, account_id))
    queue.init_redis(app)
    init_storage(app)
    init_rate_limits(app)
    register_error_handlers(app)
    init_security_headers(app)


def _tune_database(app: Flask) -> None:
    from sqlalchemy import event

    from designer.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record) -> None:
        # WAL lets readers work beside a writer; the busy timeout makes writers queue instead of
        # failing; foreign keys make ON DELETE CASCADE real.
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from designer import cli, events  # noqa: F401  (events: its table is part of the schema)
    from designer.api import docs
    from designer.api.blueprint import api
    from designer.extensions import csrf
    from designer.printcart import dialect as printcart
    from designer.web import dashboard, editor, pages

    _add_routes()
    # The API checks CSRF itself, and only for dashboard-session callers (see auth.authorize).
    csrf.exempt(api)
    app.register_blueprint(api)
    app.register_blueprint(docs.blueprint)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(dashboard.blueprint)
    app.register_blueprint(editor.blueprint)
    printcart.install(app)
    cli.register(app)


def _add_routes() -> None:
    """Import the modules that add routes to the `api` and `dashboard` blueprints (and so their models)."""
    from designer.accounts import routes as _accounts  # noqa: F401
    from designer.approvals import routes as _approvals  # noqa: F401
    from designer.batches import routes as _batches  # noqa: F401
    from designer.designs import routes as _designs  # noqa: F401
    from designer.files import routes as _files  # noqa: F401
    from designer.imposition import routes as _imposition  # noqa: F401
    from designer.library import routes as _library  # noqa: F401
    from designer.orders import routes as _orders  # noqa: F401
    from designer.previews3d import routes as _previews3d  # noqa: F401
    from designer.printcart import routes as _printcart  # noqa: F401
    from designer.products import routes as _products  # noqa: F401
    from designer.projects import routes as _projects  # noqa: F401
    from designer.rendering import routes as _renders  # noqa: F401
    from designer.templates import routes as _templates  # noqa: F401
    from designer.web import batches as _batches_pages  # noqa: F401
    from designer.web import designs as _designs_pages  # noqa: F401
    from designer.web import files as _files_pages  # noqa: F401
    from designer.web import library as _library_pages  # noqa: F401
    from designer.web import models3d as _models3d_pages  # noqa: F401
    from designer.web import orders as _orders_pages  # noqa: F401
    from designer.web import products as _products_pages  # noqa: F401
    from designer.web import webhooks as _webhooks_pages  # noqa: F401
    from designer.webhooks import routes as _webhooks  # noqa: F401
