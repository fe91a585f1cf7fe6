"""Hostile SVG drawings in the editors, in a real browser (Debian's Chromium, the app on a local
port): every payload of tests/xss_corpus.py is uploaded through the API both as a file (placed as
an image layer) and as a clipart (placed as a clipart layer), then the customer's editor and the
merchant's template editor open on them, and a fresh preview is swapped in as after an edit.
Nothing may run: no dialog opens, no request leaves for a URL a payload names, no marker lands on
`window`, and the store gains no token (the attack that read the page's CSRF token and created a
full-scope one)."""

import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from tests import xss_corpus
from tests.browser import DESKTOP, TIMEOUT_MS, wait_for_htmx
from tests.factories import basic, bearer

LAYER_MM = 8


@dataclass
class Watched:
    """A page and what hostile content could make it do: dialogs, requests, console errors."""

    page: Page
    base: str
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def go(self, path_or_url: str) -> None:
        self.page.goto(path_or_url if path_or_url.startswith("http") else self.base + path_or_url)
        wait_for_htmx(self.page)

    def unexpected_requests(self, store_id: str) -> list[str]:
        """Requests a payload asked for: another site, /xss/…, or the store's tokens."""
        origin = urlsplit(self.base).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in ("http", "https")
            and (urlsplit(url).netloc != origin or "xss" in url or f"/stores/{store_id}/tokens" in url)
        ]

    def markers(self) -> list[str]:
        return self.page.evaluate("() => Object.keys(window).filter((name) => name.startsWith('xss_'))")

    def swap_a_fresh_preview(self) -> None:
        """Ask for the editor's changed parts as an edit does, and let htmx swap them in."""
        self.page.evaluate(
            """() => htmx.ajax("GET", location.pathname + location.search,
                               {source: "#editor", target: "#preview", swap: "innerHTML"})"""
        )

    def settle(self) -> None:
        # Payloads fire on load, on htmx's processing or at an animation's start: all over once the
        # page has made its last request (htmx's own, and any a payload would make).
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def watched(chromium, live_server):
    contexts = []

    def open_page() -> Watched:
        context = chromium.new_context(viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watched = Watched(page, live_server)

        def on_dialog(dialog) -> None:
            watched.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("request", lambda request: watched.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and watched.errors.append(message.text))
        page.on("pageerror", lambda error: watched.errors.append(str(error)))
        return watched

    yield open_page
    for context in contexts:
        context.close()


def hostile_layers(client, demo) -> tuple[list[dict], dict]:
    """Upload every payload as a file and as a clipart; the layers showing those accepted, and
    what each upload answered: (the file's status code, its preflight status, the clipart's)."""
    headers = bearer(demo["secret"])
    layers, answers = [], {}
    for index, (name, drawing) in enumerate(sorted(xss_corpus.payloads(demo["store_id"]).items())):
        x, y = 2 + (index % 8) * (LAYER_MM + 1), 2 + (index // 8) * (LAYER_MM + 1)
        box = {"x": x, "y": y, "width": LAYER_MM, "height": LAYER_MM}
        upload = client.post(
            "/api/v1/files/upload", headers=headers, data={"file": (io.BytesIO(drawing), f"{name}.svg")}
        )
        clipart = client.post(
            "/api/v1/clipart", headers=headers, data={"file": (io.BytesIO(drawing), f"{name}.svg")}
        )
        answers[name] = (
            upload.status_code,
            upload.json.get("preflight", {}).get("status"),
            clipart.status_code,
        )
        if upload.status_code == 201 and upload.json["preflight"]["status"] != "failed":
            layers.append({"type": "image", "name": f"file {name}", "fileId": upload.json["id"], **box})
        if clipart.status_code == 201:
            layers.append(
                {"type": "clipart", "name": f"clipart {name}", "clipartId": clipart.json["id"], **box}
            )
    return layers, answers


def assert_nothing_ran(page: Watched, store_id: str) -> None:
    page.settle()
    page.swap_a_fresh_preview()
    page.settle()
    assert page.dialogs == []
    assert page.unexpected_requests(store_id) == []
    assert page.markers() == []
    assert [error for error in page.errors if "Content Security Policy" in error] == []


def test_hostile_svg_uploads_run_nothing_in_the_customer_and_template_editors(client, demo, watched):
    store_id = demo["store_id"]
    headers = bearer(demo["secret"])
    side_id = client.get("/api/v1/products/business-card", headers=headers).json["sides"][0]["id"]
    layers, answers = hostile_layers(client, demo)
    for name in xss_corpus.REFUSED:
        assert answers[name] == (422, None, 422), name
    placed = {layer["name"] for layer in layers}
    assert {f"clipart {name}" for name in ("hx_get_load", "hx_post_tokens", "data_hx_on")} <= placed

    template = client.post(
        "/api/v1/templates", headers=headers, json={"sideId": side_id, "name": "Hostile", "layers": layers}
    )
    assert template.status_code == 201, template.json
    # The customer starts from the merchant's hostile template: every layer comes with it.
    design = client.post(
        "/api/v1/designs",
        headers=headers,
        json={"productId": "business-card", "sideId": side_id, "templateId": template.json["id"]},
    )
    assert design.status_code == 201, design.json

    customer = watched()
    editor_url = urlsplit(design.json["editorUrl"])  # made by the test client, for its own host
    customer.go(f"{editor_url.path}?{editor_url.query}")
    expect(customer.page.locator("#preview svg").first).to_be_visible()
    assert_nothing_ran(customer, store_id)

    merchant = watched()
    merchant.go("/login")
    merchant.page.get_by_label("Email").fill(DEMO_EMAIL)
    merchant.page.get_by_label("Password").fill(DEMO_PASSWORD)
    merchant.page.get_by_role("button", name="Log in").click()
    expect(merchant.page).to_have_url(re.compile(r".*/dashboard/$"))
    merchant.go(f"/dashboard/stores/{store_id}/templates/{template.json['id']}/edit")
    expect(merchant.page.get_by_role("heading", level=1)).to_contain_text("Template “Hostile”")
    assert_nothing_ran(merchant, store_id)

    tokens = client.get(f"/api/v1/stores/{store_id}/tokens", headers=basic(DEMO_EMAIL, DEMO_PASSWORD))
    assert "xss" not in [token["name"] for token in tokens.json["data"]]
