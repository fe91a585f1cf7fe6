"""Command-line tools: `flask --app app seed-demo` and `flask --app app serve` (what `make run` runs)."""

import os
import signal
import sys

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from designer import queue
from designer.accounts import service
from designer.accounts.models import Account, ApiToken
from designer.demo.catalog import seed_demo_catalog
from designer.demo.orders import seed_demo_orders
from designer.extensions import db
from designer.library import cli as library_cli
from designer.products.service import find_product
from designer.products.urls import editor_url
from designer.supervisor import Supervisor
from designer.tenancy import in_store

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Presswork-demo-1"
DEMO_TOKEN_NAME = "Demo token (make run)"


def seed_demo() -> tuple[Account, str]:
    """The demo account and store (created once) with the demo catalog, and a fresh full-access
    demo token.

    A secret is shown only once, so every call revokes the previous demo token and makes a new one.
    """
    account = db.session.scalars(db.select(Account).where(Account.email == DEMO_EMAIL)).first()
    if account is None:
        account = service.create_account("Demo Merchant", DEMO_EMAIL, DEMO_PASSWORD)
        service.create_store(account, "Demo Print Shop")
    store = account.stores[0]
    seed_demo_catalog(store.id)
    old_tokens = db.session.scalars(
        in_store(db.select(ApiToken).where(ApiToken.name == DEMO_TOKEN_NAME), store.id)
    )
    for token in old_tokens:
        service.revoke_token(token)
    _, secret = service.create_token(store, DEMO_TOKEN_NAME, ["full"])
    db.session.commit()
    return account, secret


def _announce(account: Account, secret: str, url: str) -> None:
    store = account.stores[0]
    card = find_product(store.id, "business-card")
    click.echo(
        f"\n  Presswork on {url}\n"
        f"  Customer editor   {url}{editor_url(card)}\n"
        f"  Dashboard login   {DEMO_EMAIL} / {DEMO_PASSWORD}\n"
        f"  Demo store        {store.id}\n"
        f"  API token         {secret}\n"
        f"  Publishable token {store.publishable_token}\n"
        f"  Try: curl -H 'Authorization: Bearer {secret}' {url}/api/v1/stores/{store.id}\n"
    )


def register(app: Flask) -> None:
    library_cli.register(app)

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Create the demo account, store, catalog and orders, and print a fresh demo API token."""
        account, secret = seed_demo()
        seed_demo_orders(account.stores[0].id)
        db.session.commit()
        _announce(account, secret, f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")

    @app.cli.command("serve")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option(
        "--port", type=int, default=lambda: int(os.environ.get("PORT", "5000")), show_default="PORT or 5000"
    )
    def serve(host: str, port: int) -> None:
        """Run the whole system: migrate, seed the demo, a supervised RQ worker per queue and the
        web server."""
        upgrade()
        account, secret = seed_demo()
        seed_demo_orders(account.stores[0].id)
        db.session.commit()
        # Development: webhooks may be sent to a receiver on this machine (production refuses).
        current_app.config["WEBHOOKS_ALLOW_LOOPBACK"] = True
        env = dict(os.environ, REDIS_URL=current_app.config["REDIS_URL"], WEBHOOKS_ALLOW_LOOPBACK="1")
        workers = Supervisor(worker_commands(), env=env).start()
        _announce(account, secret, f"http://{host}:{port}")
        # SIGTERM exits like Ctrl-C does, so the workers and the embedded Redis are stopped too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            run_simple(host, port, app, threaded=True)
        finally:
            workers.stop()


def worker_commands() -> dict[str, list[str]]:
    """The worker processes of `make run`: one per queue, each on that queue only."""
    return {name: [sys.executable, "-m", "worker", "--queues", name] for name in queue.QUEUES}
