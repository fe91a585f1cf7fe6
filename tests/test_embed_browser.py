"""The example shop page (static/examples/shop.html) in Chromium, served from a site of its own
as a shop's page is (localhost, while Presswork is 127.0.0.1): it frames the editor and hears the
customer's save by postMessage, and it sends the customer to the editor and gets the save back by
the redirect. Presswork runs as it does behind HTTPS (SESSION_COOKIE_SECURE): a framed editor on
another site keeps its session only with that cookie (Chromium takes Secure cookies from
127.0.0.1, a secure context)."""

import functools
import re
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from designer.config import session_cookie
from tests.browser import opened_tab, wait_for_htmx
from tests.factories import basic, bearer

EXAMPLES = Path(__file__).resolve().parent.parent / "static" / "examples"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the files without a log line per request in the test's output."""

    def log_message(self, format, *args):
        pass


@pytest.fixture
def app_config(app_config):
    return app_config | session_cookie(secure=True)


@contextmanager
def served_examples():
    """static/examples on 127.0.0.1 and a free port, as http://localhost:port: the shop's origin,
    another site than the app's."""
    handler = functools.partial(QuietHandler, directory=str(EXAMPLES))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture
def shop(client, demo):
    """The shop's origin, named in the demo store's shopOrigins."""
    with served_examples() as origin:
        named = client.patch(
            f"/api/v1/stores/{demo['store_id']}",
            json={"shopOrigins": [origin]},
            headers=basic(DEMO_EMAIL, DEMO_PASSWORD),
        )
        assert named.status_code == 200, named.text
        yield origin


@pytest.fixture
def shop_tab(chromium, shop, live_server, demo):
    """A tab on the example shop page, told the business card's editor URL on the live server."""
    editor_url = f"{live_server}/editor/stores/{demo['store_id']}/products/business-card"
    with opened_tab(chromium, shop) as tab:
        tab.page.goto(f"{shop}/shop.html?editor={quote(editor_url, safe='')}")
        yield tab


def project_designs(client, demo, project_id: str) -> list[dict]:
    answer = client.get(f"/api/v1/projects/{project_id}/designs", headers=bearer(demo["secret"]))
    assert answer.status_code == 200, answer.text
    return answer.json["data"]


def typed_name(designs: list[dict]) -> str:
    layers = [layer for design in designs for layer in design["layers"] if layer.get("name") == "Name"]
    return layers[0]["text"]


def personalize_and_save(editor, frame) -> None:
    """In the editor (the page or the frame's locator, and the page or frame it is in):
    Personalize, wait until htmx has the editor, type a name, Save."""
    editor.get_by_role("button", name="Personalize").click()
    expect(editor.locator("#preview svg")).to_be_visible()
    wait_for_htmx(frame)
    name = editor.get_by_label("Name", exact=True)
    name.fill("Grace Hopper")
    expect(editor.locator("#preview").get_by_role("img", name="Grace Hopper")).to_have_count(1)
    editor.get_by_role("button", name="Save").click()


def test_the_shop_page_frames_the_editor_and_hears_the_save(shop_tab, client, demo, live_server):
    page = shop_tab.page
    page.evaluate(
        """() => {
          window.heard = [];
          window.addEventListener("message", (event) => {
            window.heard.push({origin: event.origin, data: event.data});
          });
        }"""
    )
    page.get_by_role("button", name="Personalize here").click()
    personalize_and_save(
        page.frame_locator("#editor"), page.locator("#editor").element_handle().content_frame()
    )

    expect(page.get_by_role("heading", name="Your business card is saved")).to_be_visible()
    expect(page.locator("#editor")).to_be_hidden()
    project_id = page.locator("#saved-project").text_content()
    assert re.fullmatch(r"prj_\w+", project_id)
    expect(page.locator("#saved-ref")).to_have_text("cart-line-1")

    (heard,) = page.evaluate("() => window.heard")
    assert heard["origin"] == live_server
    assert heard["data"]["type"] == "presswork.saved"
    assert heard["data"]["projectId"] == project_id
    assert heard["data"]["ref"] == "cart-line-1"
    designs = project_designs(client, demo, project_id)
    heard_ids = sorted(design["id"] for design in heard["data"]["designs"])
    assert heard_ids == sorted(design["id"] for design in designs)
    assert all(design["previewUrl"].startswith(live_server) for design in heard["data"]["designs"])
    project = client.get(f"/api/v1/projects/{project_id}", headers=bearer(demo["secret"])).json
    assert project["status"] == "reviewing"  # saved: the merchant's turn
    assert typed_name(designs) == "Grace Hopper"
    expect(page.locator("#saved-designs > li")).to_have_count(2)
    assert shop_tab.errors == []


def test_the_shop_page_sends_the_customer_to_the_editor_and_gets_the_save_back(shop_tab, shop, client, demo):
    page = shop_tab.page
    page.get_by_role("link", name="Personalize on the editor's page").click()
    wait_for_htmx(page)
    personalize_and_save(page, page)

    page.wait_for_url(re.compile(re.escape(shop) + r"/shop\.html\?.*projectId=prj_\w+"))
    expect(page.get_by_role("heading", name="Your business card is saved")).to_be_visible()
    project_id = page.locator("#saved-project").text_content()
    expect(page.locator("#saved-ref")).to_have_text("cart-line-1")
    designs = project_designs(client, demo, project_id)
    shown = page.locator("#saved-designs > li").all_text_contents()
    assert sorted(shown) == sorted(f"Design {design['id']} (preview)" for design in designs)
    assert typed_name(designs) == "Grace Hopper"
    assert shop_tab.errors == []
