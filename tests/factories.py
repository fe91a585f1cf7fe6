"""Builders the test modules share: plain functions that make a product, a design, a template's
product, an order's body, an upload, a dashboard session, or wait on a condition. Fixtures built
from them live in conftest.py; the browser's own helpers in browser.py."""

import base64
import copy
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from PIL import Image
from rq import SimpleWorker
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from designer.composer.layers import parse_layers_json, prepare_layers
from designer.demo.catalog import seed_demo_catalog
from designer.designs.models import Design
from designer.events import Event, record_event
from designer.extensions import db
from designer.files import service as file_services
from designer.files.models import File
from designer.files.preflight import Outcome, run_preflight
from designer.library.default_library import library_root
from designer.library.models import Clipart, Font
from designer.products.models import Side
from designer.rendering.cmyk import DEFAULT_PROFILE_FILE
from designer.tenancy import across_stores, get_in_store, in_store

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Corr3ct-horse"
HTML = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
PAGE_CSRF = re.compile(r"""hx-headers='\{"X-CSRFToken": "([^"]+)"\}'""")
FORM_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# Waiting


def rasterized(pdf_bytes: bytes, directory, dpi: int, page: int = 1) -> Image.Image:
    """The PDF's page (the first unless told) as poppler draws it (pdftoppm), `dpi` pixels an inch."""
    source = directory / "page.pdf"
    source.write_bytes(pdf_bytes)
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), *pages, "-png", "-singlefile", str(source), str(directory / "page")],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return Image.open(directory / "page.png").convert("RGB")


def two_pages(client, headers: dict, url: str) -> tuple[dict, dict]:
    """The first page a list route answers at `url` (a query string and all), and the page after it."""
    first = client.get(url, headers=headers).json
    return first, client.get(f"{url}&startingAfter={first['nextCursor']}", headers=headers).json


def listed_ids(client, headers: dict, url: str) -> list[str]:
    """The ids of the items a list route answers with (it must answer 200)."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["data"]]


def send_batch(client, headers: dict, method: str, kind: str, items: list[dict]):
    """A batch request: `items` sent to /api/v1/<kind>/batch, under the key `kind`."""
    return client.open(f"/api/v1/{kind}/batch", method=method, json={kind: items}, headers=headers)


def library_requests(kind: str, item_id: str, merchant) -> list[tuple[str, str, dict]]:
    """Every route of one font or piece of clipart (`kind`: "fonts" or "clipart") as (method, path,
    headers), asked by `merchant` each way it may ask: secret token, publishable token, its store's id."""
    item = f"/api/v1/{kind}/{item_id}"
    return [
        ("get", item, merchant.bearer),
        ("get", item, {"X-Publishable-Token": merchant.publishable}),
        ("get", f"{item}/file", merchant.bearer),
        ("get", f"{item}/file?storeId={merchant.store_id}", {}),
        ("patch", item, merchant.bearer),
        ("delete", item, merchant.bearer),
        ("get", item, merchant.basic | {"X-Store-Id": merchant.store_id}),
    ]


def assert_not_found(client, requests: list[tuple[str, str, dict]], patch: dict) -> None:
    """Each (method, path, headers) is answered 404; a PATCH sends `patch` as its body."""
    for method, path, headers in requests:
        response = getattr(client, method)(path, headers=headers, json=patch if method == "patch" else None)
        assert response.status_code == 404, (method, path, response.json)


def wait_until(
    read, expected=True, *, timeout_s: float = 10, message: str = "the condition", state=lambda: ""
):
    """Poll `read()` until it equals `expected` (a condition: until it holds) and return the value;
    fail after `timeout_s` naming `message`, the last value read and `state()`."""
    deadline = time.monotonic() + timeout_s
    while (value := read()) != expected:
        assert time.monotonic() < deadline, f"timed out waiting for {message}: {value!r} {state()}"
        time.sleep(0.05)
    return value


# Credentials


def basic(email: str, password: str) -> dict:
    token = base64.b64encode(f"{email}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def storefront(merchant) -> dict:
    """What a customer's browser sends: the store's publishable token."""
    return {"X-Publishable-Token": merchant.publishable}


def error(response, status: int, code: str, field: str | None = None) -> dict:
    """The error body of `response`, checked to carry `status`, `code` and (when given) `field`."""
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    body = response.json["error"]
    assert body["code"] == code, body
    if field is not None:
        assert body["field"] == field, body
    return body


# Products and sides

CARD_FRONT = {"name": "Front", "width": 85, "height": 55, "bleed": 3, "safeZone": 4}


def create_product(client, merchant, **fields) -> dict:
    """A product (a business card in mm, without sides unless told) made through the API."""
    body = {"name": "Business card", "dimensionUnit": "mm"} | fields
    response = client.post("/api/v1/products", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def make_product(
    client, merchant, *, status="publish", sides=("Front", "Back"), name="Business card"
) -> dict:
    """A product with its sides, made through POST /api/v1/products."""
    body = {
        "name": name,
        "dimensionUnit": "mm",
        "status": status,
        "sides": [{"name": side, "width": 85, "height": 55, "bleed": 3} for side in sides],
    }
    response = client.post("/api/v1/products", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def make_side(client, merchant, **fields) -> Side:
    """A side (85 × 55 mm, 3 mm bleed, 4 mm safe zone unless told) made through the API."""
    side = {"name": "Front", "width": 85, "height": 55, "bleed": 3, "safeZone": 4} | fields
    response = client.post(
        "/api/v1/products",
        json={"name": "Card", "dimensionUnit": "mm", "sides": [side]},
        headers=merchant.bearer,
    )
    assert response.status_code == 201, response.json
    return get_in_store(Side, response.json["sides"][0]["id"], merchant.store_id)


def seed_card(app, store_id: str) -> None:
    """The demo catalog, with its business card, in the store."""
    with app.app_context(), preflight_remembered():
        seed_demo_catalog(store_id)
        db.session.commit()


_PREFLIGHTED: dict[tuple, Outcome] = {}


def _remembered_preflight(data: bytes, *, filename: str = "", rules=None, limits=None) -> Outcome:
    key = (data, filename, rules, limits)
    if key not in _PREFLIGHTED:
        outcome = run_preflight(data, filename=filename, rules=rules, limits=limits)
        if outcome.failed:
            return outcome  # not kept: a drawing cut short by a busy machine is tried again next time
        _PREFLIGHTED[key] = outcome
    return copy.deepcopy(_PREFLIGHTED[key])


@contextmanager
def preflight_remembered():
    """Within the block, the files service preflights the same upload (bytes, name, rules and
    limits) once per test process and reuses the outcome: preflight is a pure function of them,
    and the demo catalog's mockups take a child process each to draw. For seeding fixtures only;
    the uploads a test makes itself are preflighted afresh."""
    with mock.patch.object(file_services, "run_preflight", _remembered_preflight):
        yield


# Rows written directly (as the services would leave them)


def add_file(
    app, store_id: str, *, format: str = "png", width_px=1200, height_px=900, purpose="mockup"
) -> str:
    """A File row as an upload would leave it (the bytes are not needed here)."""
    with app.app_context():
        file = File(
            store_id=store_id,
            purpose=purpose,
            filename=f"mockup.{format}",
            format=format,
            media_type=f"image/{format}" if format != "pdf" else "application/pdf",
            size_bytes=1234,
            sha256=hashlib.sha256(format.encode()).hexdigest(),
            storage_key=f"{store_id}/x/original.{format}",
            width_px=width_px,
            height_px=height_px,
            preflight_status="passed",
            preflight={"status": "passed", "checks": []},
            uploaded_by="secret",
        )
        db.session.add(file)
        db.session.commit()
        return file.id


def design_row(app, store_id: str, product_id: str, side_id: str) -> str:
    """An empty design row on the side."""
    with app.app_context():
        design = Design(store_id=store_id, product_id=product_id, side_id=side_id, layers=[])
        db.session.add(design)
        db.session.commit()
        return design.id


def project_design_row(
    app, store_id: str, product: dict, *, project_id=None, status="processing", side=0
) -> str:
    """A design row on the product's `side`, in a project when given."""
    with app.app_context():
        design = Design(
            store_id=store_id,
            product_id=product["id"],
            side_id=product["sides"][side]["id"],
            project_id=project_id,
            status=status,
            layers=[],
        )
        db.session.add(design)
        db.session.commit()
        return design.id


def a_font_id(app, store_id: str) -> str:
    with app.app_context():
        return db.session.scalars(in_store(db.select(Font.id), store_id)).first()


def count(app, model) -> int:
    """The rows of `model`, across every store."""
    with app.app_context():
        return db.session.scalar(across_stores(db.select(db.func.count()).select_from(model)))


def events_of(app, store_id: str, type: str | None = None) -> list[dict]:
    """The store's events (type and data) in the outbox, oldest first (a database returns rows in
    no order of its own: PostgreSQL moves an event's row when it is marked dispatched)."""
    with app.app_context():
        statement = in_store(db.select(Event).order_by(Event.created_at, Event.id), store_id)
        if type is not None:
            statement = statement.where(Event.type == type)
        return [{"type": event.type, "data": event.data} for event in db.session.scalars(statement)]


def event_pairs(app, store_id: str, prefix: str = "") -> list[tuple[str, dict]]:
    """The store's events as (type, data), oldest first, those whose type starts with `prefix`."""
    with app.app_context():
        statement = in_store(db.select(Event).order_by(Event.created_at, Event.id), store_id)
        return [
            (event.type, event.data)
            for event in db.session.scalars(statement)
            if event.type.startswith(prefix)
        ]


# Designs and layers

LINE = {"type": "shape", "shape": "line", "x": 10, "y": 40, "width": 30, "height": 1, "stroke": "#000000"}


def create_design(client, headers: dict, product: dict, side: int = 0, **fields):
    body = {"productId": product["id"], "sideId": product["sides"][side]["id"]} | fields
    return client.post("/api/v1/designs", json=body, headers=headers)


def created_design(client, headers: dict, product: dict, side: int = 0, **fields) -> dict:
    response = create_design(client, headers, product, side, **fields)
    assert response.status_code == 201, response.json
    return response.json


def layer_named(design: dict, name: str) -> dict:
    return next(layer for layer in design["layers"] if layer.get("name") == name)


def patch_layer(client, merchant, design: dict, layer_id: str, **fields):
    """A customer's change to one layer of the design."""
    return client.patch(
        f"/api/v1/designs/{design['id']}/layers/{layer_id}", json=fields, headers=storefront(merchant)
    )


def layers(*bodies: dict) -> list:
    """Layers as a request body gives them, with ids and z-orders as the services store them."""
    return prepare_layers(parse_layers_json(json.dumps(list(bodies)).encode()))


def text_layer(text: str, **fields) -> dict:
    return {
        "type": "text",
        "text": text,
        "fontFamily": "Roboto",
        "x": 10,
        "y": 10,
        "width": 60,
        "height": 20,
    } | fields


def demo_card(merchant) -> list:
    """The demo business card's front as layers: a bar, three lines of text and a library star."""
    return layers(
        {
            "type": "shape",
            "shape": "rect",
            "name": "Accent bar",
            "x": -3,
            "y": -3,
            "width": 9,
            "height": 61,
            "fill": "#0b5cad",
        },
        text_layer(
            "Alex Morgan", name="Name", fontFamily="Montserrat", fontSize=14, x=12, y=14, width=66, height=9
        ),
        text_layer(
            "Studio Manager", name="Title", fontSize=8.5, x=12, y=24, width=66, height=6, color="#5b6572"
        ),
        text_layer(
            "+44 20 7946 0958\nalex@example.com",
            fontSize=7.5,
            x=12,
            y=36,
            width=66,
            height=12,
            lineHeight=1.4,
        ),
        {
            "type": "clipart",
            "clipartId": library_clipart(merchant.store_id, "Star").id,
            "x": 70,
            "y": 40,
            "width": 8,
            "height": 8,
            "color": "#0b5cad",
        },
    )


def library_clipart(store_id: str, name: str) -> Clipart:
    """The store's clipart of that name (inside an app context)."""
    return db.session.scalars(in_store(db.select(Clipart).where(Clipart.name == name), store_id)).one()


def run_worker(
    redis_url: str, app_config: dict, timeout_s: float = 120, queues: tuple[str, ...] = ()
) -> None:
    """One burst worker process: it runs the queued jobs (of the `queues` named; all by default) and
    exits."""
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    serving = ["--queues", *queues] if queues else []
    subprocess.run(
        [sys.executable, "-m", "worker", "--burst", *serving],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout_s,
    )


# Orders

CUSTOMER = {"id": "cus_42", "email": "Grace@Example.com", "name": "Grace Hopper", "phone": "+1 555 0100"}
SHIPPING = {
    "name": "Grace Hopper",
    "address1": "1 Navy Yard",
    "city": "Arlington",
    "postalCode": "22202",
    "country": "us",
}
LAYER = {"type": "shape", "shape": "rect", "x": 5, "y": 5, "width": 20, "height": 10, "fill": "#ff0000"}


def make_design(client, merchant, product: dict, *, side: int = 0, project_id: str | None = None) -> dict:
    """A design of one red rectangle on the product's `side`, in a project when given."""
    body = {"productId": product["id"], "sideId": product["sides"][side]["id"], "layers": [LAYER]}
    if project_id:
        body["projectId"] = project_id
    response = client.post("/api/v1/designs", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def order_body(project_id: str | None = None, **fields) -> dict:
    """An order's request body: Grace's hundred business cards, of the project when given."""
    line = {"sku": "biz-card-100", "quantity": 100, "personalization": {"name": "Grace", "finish": "matte"}}
    if project_id:
        line["projectId"] = project_id
    return {"customer": CUSTOMER, "shipping": SHIPPING, "lineItems": [line]} | fields


# Uploads

STAR = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24">'
    b'<path d="M12 2l3 7h7l-6 4 2 8-6-5-6 5 2-8-6-4h7z" fill="#D7263D"/></svg>'
)
WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(document.cookie)</script>'
    b'<circle cx="5" cy="5" r="5" fill="currentColor" onclick="steal()"/></svg>'
)
SCRIPTED_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" onload="alert(1)">'
    b'<rect width="120" height="60" fill="#0a0"/><script>alert(2)</script></svg>'
)
ZIP = b"PK\x03\x04" + bytes(60)


def png(width: int = 300, height: int = 200) -> bytes:
    """A half-transparent blue PNG."""
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 90, 200, 128)).save(out, "PNG")
    return out.getvalue()


def png_bytes(width_px: int, height_px: int, colour=(11, 92, 173)) -> bytes:
    """An opaque PNG of one colour."""
    out = io.BytesIO()
    Image.new("RGB", (width_px, height_px), colour).save(out, "PNG")
    return out.getvalue()


def multipart(fields: dict) -> dict:
    """Keyword arguments for the test client posting `fields` as multipart/form-data; a (bytes,
    filename) value is a file part, a list repeats the field. Encoded in memory: the client's own
    encoder spools large bodies to a temporary file it never closes."""
    parts = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            parts.add(name, FileStorage(io.BytesIO(item[0]), item[1]) if isinstance(item, tuple) else item)
    # A fixed boundary: the same fields give the same body, as an Idempotency-Key retry needs.
    boundary, body = encode_multipart(parts, boundary="presswork-test-boundary-5c1e")
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload_clipart(client, headers: dict, data: bytes = STAR, filename: str = "gold-star.svg", **fields):
    return client.post("/api/v1/clipart", headers=headers, **multipart({"file": (data, filename), **fields}))


def printer_profile(creator: bytes = b"PWtt") -> bytes:
    """A CMYK printer profile with bytes of its own: the shipped FOGRA39 one, another creator
    signature in its header (LittleCMS reads it as the same profile)."""
    shipped = (library_root() / DEFAULT_PROFILE_FILE).read_bytes()
    return shipped[:80] + creator + shipped[84:]


def upload_file(client, headers, data: bytes, filename: str = "photo.jpg", **fields):
    form = {"file": (io.BytesIO(data), filename), **fields}
    return client.post("/api/v1/files/upload", data=form, headers=headers)


# The dashboard through the test client


class Browser:
    """The test client used as the dashboard's pages use the server: pages asked for as HTML,
    forms posted with the csrf_token field the page rendered, htmx actions sent with HX-Request
    and the X-CSRFToken header read from the page's hx-headers.

    Every response is checked for what all responses carry: X-Request-Id, and on /api routes a
    Vary naming HX-Request (the same URL answers JSON or a partial).
    """

    def __init__(self, client):
        self.client = client
        self.page_csrf: str | None = None
        self.form_csrf: str | None = None

    def get(self, path: str, **kwargs):
        response = self._checked(path, self.client.get(path, headers={"Accept": HTML}, **kwargs))
        if match := PAGE_CSRF.search(response.text):
            self.page_csrf = match[1]
        if match := FORM_CSRF.search(response.text):
            self.form_csrf = match[1]
        return response

    def submit(self, path: str, fields: dict, *, with_token: bool = True):
        """POST a form as the browser does, with the token of the last page when `with_token`."""
        data = fields | ({"csrf_token": self.form_csrf} if with_token else {})
        return self._checked(path, self.client.post(path, data=data, headers={"Accept": HTML}))

    def htmx(self, method: str, path: str, fields: dict | None = None, *, with_token: bool = True):
        headers = {"HX-Request": "true", "Accept": "*/*"}
        if with_token:
            headers["X-CSRFToken"] = self.page_csrf
        send = getattr(self.client, method.lower())
        return self._checked(path, send(path, data=fields, headers=headers))

    def _checked(self, path: str, response):
        assert response.headers.get("X-Request-Id", "").startswith("req_"), path
        if path.startswith("/api/"):
            assert "HX-Request" in response.headers.get("Vary", ""), (path, response.headers)
        return response


def sign_up(browser: Browser, email: str = "ada@example.com", password: str = PASSWORD):
    browser.get("/signup")
    return browser.submit("/signup", {"name": "Ada", "email": email, "password": password})


def create_store(browser: Browser, name: str = "Paper Moon") -> str:
    response = browser.htmx("POST", "/api/v1/stores", {"name": name})
    assert response.status_code == 201, response.text
    return re.search(r'id="store-(sto_\w+)"', response.text)[1]


def open_dashboard(app, section: str | None = None) -> tuple[Browser, str]:
    """Ada signed up in a browser of her own, with a store made from the dashboard, and the store's
    id; on the store's `section` page (`files`, `fonts`...) when one is named, holding its CSRF token."""
    browser = Browser(app.test_client())
    assert sign_up(browser).status_code == 302
    browser.get("/dashboard/")
    store_id = create_store(browser)
    if section is not None:
        assert browser.get(f"/dashboard/stores/{store_id}/{section}").status_code == 200
    return browser, store_id


def dashboard_with_product(app) -> tuple[Browser, str, dict]:
    """Ada's dashboard (see `open_dashboard`) on the templates page of her store, which holds a poster."""
    browser, store_id = open_dashboard(app)
    account = basic("ada@example.com", PASSWORD) | {"X-Store-Id": store_id}
    body = {
        "name": "Poster",
        "dimensionUnit": "mm",
        "sides": [{"name": "Front", "width": 300, "height": 400}],
    }
    product = browser.client.post("/api/v1/products", json=body, headers=account)
    assert product.status_code == 201, product.json
    browser.get(f"/dashboard/stores/{store_id}/templates")
    return browser, store_id, product.json


def htmx(browser: Browser, method: str, path: str, store_id: str, data=None, **headers):
    """An htmx request as the dashboard page sends it: CSRF token and the page's X-Store-Id."""
    headers = {"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id} | headers
    return getattr(browser.client, method)(path, data=data, headers=headers)


class Dashboard:
    """A logged-in merchant's browser: pages as HTML; htmx actions with the page's CSRF token and
    the X-Store-Id header the page sets."""

    def __init__(self, client, store_id: str):
        self.client = client
        self.store_id = store_id
        self.csrf = None

    def page(self, path: str):
        response = self.client.get(path, headers={"Accept": HTML})
        if match := PAGE_CSRF.search(response.text):
            self.csrf = match[1]
        return response

    def htmx(self, method: str, path: str, fields=None, *, store_id: str | None = None, csrf: bool = True):
        headers = {"HX-Request": "true", "Accept": "*/*", "X-Store-Id": store_id or self.store_id}
        if csrf:
            headers["X-CSRFToken"] = self.csrf
        return self.client.open(path, method=method, data=fields, headers=headers)


def sign_up_to_dashboard(app) -> Dashboard:
    """A new merchant signed up through the page, logged in, with a store made from the dashboard."""
    browser = app.test_client()
    signup = browser.get("/signup")
    token = FORM_CSRF.search(signup.text)[1]
    fields = {"name": "Dee", "email": "dee@example.com", "password": PASSWORD, "csrf_token": token}
    assert browser.post("/signup", data=fields).status_code == 302
    page = browser.get("/dashboard/", headers={"Accept": HTML})
    csrf = PAGE_CSRF.search(page.text)[1]
    store = browser.post("/api/v1/stores", json={"name": "Dee's"}, headers={"X-CSRFToken": csrf})
    assert store.status_code == 201, store.json
    dashboard = Dashboard(browser, store.json["id"])
    dashboard.csrf = csrf
    return dashboard


# Webhooks

WEBHOOK_CONFIG = {"WEBHOOKS_ALLOW_LOOPBACK": True, "WEBHOOK_CONNECT_TIMEOUT_S": 2, "WEBHOOK_TIMEOUT_S": 1.5}


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that answers from a script (status, headers, and a delay in
    seconds or an event to wait for), then 200, and keeps what it received. `waiting` counts the
    requests whose answer is held back right now."""

    url: str
    script: list = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    waiting: int = 0


def listening(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """An HTTP server on a free port of 127.0.0.1, answering each request with `handler` in a thread of
    its own; the caller shuts it down."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def serve_receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.received.append(
                Received({name.lower(): value for name, value in self.headers.items()}, body)
            )
            status, headers, delay = state.script.pop(0) if state.script else (200, {}, 0)
            if isinstance(delay, threading.Event):
                state.waiting += 1
                delay.wait(timeout=60)
                state.waiting -= 1
            else:
                time.sleep(delay)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up waiting

        def log_message(self, *args):
            pass

    server = listening(Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/presswork?source=test"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def row_of(model, row_id: str):
    """The row with this id, whichever store's (what a worker reads)."""
    return db.session.scalars(across_stores(db.select(model).where(model.id == row_id))).one()


def run_jobs(app) -> None:
    """Run every queued job with a real RQ worker (in this process) on the real Redis."""
    with app.app_context():
        connection = app.extensions["redis"]
        SimpleWorker(["webhooks", "default"], connection=connection).work(burst=True)
        db.session.remove()


def register(client, merchant, url: str, events=None) -> dict:
    """A webhook of the merchant's store to `url` (every event unless told)."""
    response = client.post(
        "/api/v1/webhooks", json={"url": url, "events": events or ["*"]}, headers=merchant.bearer
    )
    assert response.status_code == 201, response.json
    return response.json


def emit(app, store_id: str, type: str = "order.created", data: dict | None = None) -> str:
    """An event recorded in the store's outbox, committed; its id."""
    with app.app_context():
        event = record_event(store_id, type, data or {"orderId": "ord_1"})
        db.session.commit()
        return event.id


def deliveries_of(client, merchant, webhook_id: str) -> list[dict]:
    response = client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=merchant.bearer)
    assert response.status_code == 200, response.json
    return response.json["data"]


def a_second_front_template(client, demo) -> str:
    """The demo card's front gets a second published template (a copy of Classic); its id."""
    secret = bearer(demo["secret"])
    product = client.get("/api/v1/products/business-card", headers=secret).json
    classic = client.get(f"/api/v1/sides/{product['sides'][0]['id']}/templates", headers=secret).json["data"][
        0
    ]
    copy = client.post(f"/api/v1/templates/{classic['id']}/duplicate", json={"name": "Bold"}, headers=secret)
    assert copy.status_code == 201, copy.json
    published = client.patch(
        f"/api/v1/templates/{copy.json['id']}", json={"status": "publish"}, headers=secret
    )
    assert published.status_code == 200, published.json
    return copy.json["id"]


def rendered_orders(
    client,
    headers: dict,
    product: dict,
    numbers: list[str],
    redis_url: str,
    app_config: dict,
    *,
    approve: bool = False,
    projects: int | None = None,
):
    """A paid order per number, of new projects of `product` (a red rectangle on each side; one
    project per order, or the orders taking turns among `projects` of them: fewer to render), their
    print-ready PDFs rendered by a worker (and approved by the merchant, with `approve`): the orders
    as created."""
    made = []
    for _ in range(projects or len(numbers)):
        project_id = None
        for side in range(len(product["sides"])):
            body = {"productId": product["id"], "sideId": product["sides"][side]["id"], "layers": [LAYER]}
            if project_id:
                body["projectId"] = project_id
            design = client.post("/api/v1/designs", json=body, headers=headers)
            assert design.status_code == 201, design.json
            project_id = design.json["projectId"]
        assert client.post(f"/api/v1/projects/{project_id}/complete", headers=headers).status_code == 200
        assert client.get(f"/api/v1/projects/{project_id}/render", headers=headers).status_code == 202
        made.append(project_id)
    run_worker(redis_url, app_config)
    if approve:
        for project_id in made:
            approval = client.post(f"/api/v1/projects/{project_id}/approval", json={}, headers=headers)
            assert approval.status_code == 201, approval.json
    orders = []
    for index, number in enumerate(numbers):
        project_id = made[index % len(made)]
        order = client.post(
            "/api/v1/orders", json=order_body(project_id, status="paid", number=number), headers=headers
        )
        assert order.status_code == 201, order.json
        orders.append(order.json)
    return orders


@contextmanager
def statements_run(app):
    """The SQL statements `app`'s database runs while the block runs, as a list filled as they run."""
    from sqlalchemy import event

    from designer.extensions import db

    statements = []

    def run(_connection, _cursor, statement, *_):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", run)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", run)
