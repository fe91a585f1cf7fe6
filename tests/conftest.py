"""Fixtures: an app on a real database (SQLite file, or PostgreSQL with TEST_DATABASE_URL) and a
real Redis (TEST_REDIS_URL, or an embedded server started for the session), both emptied per test.

Under `pytest -n` (pytest-xdist, as `make test` runs) each worker process gets its own: the
PostgreSQL database `<name>_gwN`, made for the run and dropped after it, and the Redis database
numbered N below the one given (an embedded server is started per worker anyway)."""

import os
import shutil
import tempfile
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis as redis_lib
import sqlalchemy

_INSTANCE = tempfile.mkdtemp(prefix="presswork-test-")
os.environ["INSTANCE_PATH"] = _INSTANCE  # never write into the checkout's instance/

from designer import create_app  # noqa: E402
from designer.cli import seed_demo  # noqa: E402
from designer.embedded_redis import EmbeddedRedis  # noqa: E402
from designer.extensions import db  # noqa: E402
from tests.browser import LiveApi, launched_chromium, opened_tab, served  # noqa: E402
from tests.factories import (  # noqa: E402
    PASSWORD,
    basic,
    bearer,
    created_design,
    make_product,
    preflight_remembered,
    seed_card,
    serve_receiver,
    storefront,
)

_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, … under `pytest -n`
_WORKER_NUMBER = int(_XDIST_WORKER.removeprefix("gw") or 0)


def _worker_redis_url(url: str) -> str:
    parts = urlsplit(url)
    given = int(parts.path.strip("/") or 0)
    if given < _WORKER_NUMBER:
        raise pytest.UsageError(f"TEST_REDIS_URL's database {given} leaves none for worker {_XDIST_WORKER}")
    return urlunsplit(parts._replace(path=f"/{given - _WORKER_NUMBER}"))


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield _worker_redis_url(url)
        return
    server = EmbeddedRedis(os.path.join(_INSTANCE, "redis"))
    yield server.start()
    server.stop()


_DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def postgresql_url():
    """TEST_DATABASE_URL, or under xdist a database of this worker's own beside it."""
    url = os.environ["TEST_DATABASE_URL"]
    if not _XDIST_WORKER:
        yield url
        return
    parts = urlsplit(url)
    name = f"{parts.path.strip('/')}_{_XDIST_WORKER}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_collection_modifyitems(config, items):
    """The browser tests (`*_browser.py`) run on one database: PostgreSQL when it is there, the
    database shops run in production; otherwise SQLite. What they check is the page, and every
    service and route under them runs on both databases in the other tests; one database halves
    the suite's slowest part."""
    if len(_DATABASES) < 2:
        return
    skipped = {
        item
        for item in items
        if item.path.stem.endswith("_browser")
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("database_url") == "sqlite"
    }
    if skipped:
        config.hook.pytest_deselected(items=list(skipped))
        items[:] = [item for item in items if item not in skipped]


@pytest.fixture(scope="session", params=_DATABASES)
def database_url(request):
    """Every test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL names a database."""
    if request.param == "sqlite":
        return None
    url = request.getfixturevalue("postgresql_url")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture
def app_config(tmp_path, redis_url, database_url):
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp_path / 'test.db'}",
        "REDIS_URL": redis_url,
        "WTF_CSRF_ENABLED": True,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


@pytest.fixture(scope="session")
def schema(database_url, redis_url, tmp_path_factory):
    """The tables, made once per worker and database; gives the function that hands a test an empty
    database at a URL: on SQLite a copy of a template file, on PostgreSQL the worker's database
    with every row deleted (children first), which is much quicker than making the tables again."""
    template = tmp_path_factory.mktemp("schema") / "template.db"
    url = database_url or f"sqlite:///{template}"
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url}
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        tables = list(reversed(db.metadata.sorted_tables))
        db.engine.dispose()
    engine = None if database_url is None else sqlalchemy.create_engine(database_url)

    def empty_database(url: str) -> None:
        if engine is None:
            shutil.copyfile(template, url.removeprefix("sqlite:///"))
            return
        with engine.begin() as connection:
            for table in tables:
                connection.execute(table.delete())

    yield empty_database
    if engine is not None:
        engine.dispose()


@pytest.fixture
def database(app_config, schema) -> None:
    """The test's own database: every table, no rows."""
    schema(app_config["SQLALCHEMY_DATABASE_URI"])


@pytest.fixture
def app(app_config, redis_url, database):
    redis_lib.Redis.from_url(redis_url).flushdb()
    app = create_app(app_config)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_without_redis(app_config, database):
    """The same app with Redis unreachable (nothing listens on port 1)."""
    app = create_app(
        app_config | {"REDIS_URL": "redis://127.0.0.1:1/0", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"}
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@dataclass
class Merchant:
    """An account with one store and a full-access token, made through the API."""

    email: str
    account_id: str
    store_id: str
    token: str
    publishable: str

    @property
    def basic(self) -> dict:
        return basic(self.email, PASSWORD)

    @property
    def bearer(self) -> dict:
        return bearer(self.token)


@pytest.fixture
def make_merchant(client):
    counter = iter(range(1, 10_000))

    def make(name: str = "Merchant", scopes: list[str] | None = None) -> Merchant:
        email = f"merchant{next(counter)}-{os.urandom(3).hex()}@example.com"
        account = client.post("/api/v1/account", json={"name": name, "email": email, "password": PASSWORD})
        assert account.status_code == 201, account.json
        auth = basic(email, PASSWORD)
        store = client.post("/api/v1/stores", json={"name": f"{name}'s store"}, headers=auth)
        assert store.status_code == 201, store.json
        token = client.post(
            f"/api/v1/stores/{store.json['id']}/tokens",
            json={"name": "server", "scopes": scopes or ["full"]},
            headers=auth,
        )
        assert token.status_code == 201, token.json
        return Merchant(
            email=email,
            account_id=account.json["id"],
            store_id=store.json["id"],
            token=token.json["token"],
            publishable=store.json["publishableToken"],
        )

    return make


@pytest.fixture
def merchant(make_merchant) -> Merchant:
    return make_merchant()


@pytest.fixture
def card(app, client, merchant) -> dict:
    """The demo business card (front: Accent bar locked, Name required; back: Panel, Company)."""
    seed_card(app, merchant.store_id)
    return client.get("/api/v1/products/business-card", headers=merchant.bearer).json


@pytest.fixture
def demo(app) -> dict:
    """The demo store (`make run`'s): its id, a full-access secret and its publishable token."""
    with app.app_context(), preflight_remembered():
        account, secret = seed_demo()
        store = account.stores[0]
        return {"store_id": store.id, "secret": secret, "publishable": store.publishable_token}


@pytest.fixture
def product(client, merchant) -> dict:
    """A published business card with a front and a back."""
    return make_product(client, merchant)


@pytest.fixture
def design(client, merchant, card) -> dict:
    """A customer's design of the demo business card's front."""
    return created_design(client, storefront(merchant), card)


@pytest.fixture
def receiver():
    """A webhook endpoint on 127.0.0.1 (see factories.Receiver)."""
    with serve_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session (of this worker); each test opens its own context."""
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def live_server(app):
    """The test's app served on a local port, for the length of the test."""
    with served(app) as base:
        yield base


@pytest.fixture
def api(live_server, demo) -> LiveApi:
    """The live server's API with the demo store's secret token."""
    return LiveApi(live_server, demo["secret"])


@pytest.fixture
def tab(chromium, live_server):
    with opened_tab(chromium, live_server) as tab:
        yield tab
