"""What the browser tests share: Debian's Chromium launched by Playwright (one per test worker,
see the `chromium` fixture in conftest.py), the app served on a local port, a tab that keeps the
page's errors, and the dashboard steps most of them begin with."""

import json
import os
import re
import threading
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # sRGB: a screenshot's pixels are the page's colours, as poppler's are a PDF's.
    "--force-color-profile=srgb",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has taken the page over. htmx is loaded with `defer` and sets its handlers
    up once the document is parsed: an action before that is a plain form post or link, not
    htmx's (a click there on a loaded machine sent the store form as a GET)."""
    page.wait_for_function(
        "() => window.htmx !== undefined && document.readyState === 'complete'", timeout=TIMEOUT_MS
    )


@contextmanager
def launched_chromium():
    """Debian's Chromium, headless, for as long as the block runs."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install -y chromium",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served(app):
    """The app on 127.0.0.1 and a free port, served from a thread for as long as the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Its request threads are joined when it closes (werkzeug makes them daemons, which
    # socketserver does not wait for): a request still running at the end of a test would
    # otherwise hold a database connection past the app's teardown.
    server.daemon_threads = False
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="presswork-live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@dataclass
class Tab:
    """A page and what went wrong in it: console errors and uncaught exceptions."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        # htmx is loaded with `defer`; without it every action below would silently do nothing.
        wait_for_htmx(self.page)

    def mark(self) -> None:
        """Leave a marker on `window`: it survives htmx swaps and is gone after a page load."""
        self.page.evaluate("() => { window.pressworkMarker = 'still here'; }")

    def marked(self) -> bool:
        return self.page.evaluate("() => window.pressworkMarker === 'still here'")


@contextmanager
def opened_tab(chromium, base: str, viewport: dict = DESKTOP, touch: bool = False):
    """A tab of its own (a fresh browser context, `viewport` large, a phone's touch screen when
    `touch`) on the served app, saying yes to every confirm."""
    context = chromium.new_context(viewport=viewport, has_touch=touch, is_mobile=touch)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, base)
    page.on("console", lambda message: message.type == "error" and tab.errors.append(message.text))
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    # hx-confirm asks with window.confirm; the merchant says yes.
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        yield tab
    finally:
        context.close()


def sign_up(tab: Tab, email: str = "ada@example.com") -> None:
    tab.go("/signup")
    tab.page.get_by_label("Your name").fill("Ada")
    tab.page.get_by_label("Email").fill(email)
    tab.page.get_by_label("Password").fill(PASSWORD)
    tab.page.get_by_role("button", name="Create account").click()
    expect(tab.page).to_have_url(tab.base + "/dashboard/")
    wait_for_htmx(tab.page)


class LiveApi:
    """The live server's API with a store's secret token: what the server really holds."""

    def __init__(self, base: str, secret: str):
        self.base, self.secret = base, secret

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Authorization": f"Bearer {self.secret}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def get(self, path: str) -> dict:
        return self.call("GET", path)

    def layers(self, owner_id: str) -> list[dict]:
        """The layers of a design (des_…) or a template (tpl_…)."""
        kind = "templates" if owner_id.startswith("tpl_") else "designs"
        return self.get(f"/api/v1/{kind}/{owner_id}")["layers"]

    def layer(self, owner_id: str, name: str) -> dict:
        return next(layer for layer in self.layers(owner_id) if layer.get("name") == name)


def open_product(tab: Tab, store_id: str, slug: str = "business-card") -> str:
    """A customer's new design of the demo product (Personalize pressed, or tapped on a touch
    screen); the design id."""
    tab.go(f"/editor/stores/{store_id}/products/{slug}")
    personalize = tab.page.get_by_role("button", name="Personalize")
    if tab.page.evaluate("() => navigator.maxTouchPoints > 0"):
        personalize.tap()
    else:
        personalize.click()
    tab.page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
    wait_for_htmx(tab.page)
    return tab.page.url.rsplit("/", 1)[1]


def layer_id(page, name: str) -> str:
    """The id of the layer `name` in the editor's layer list."""
    return layer_item(page, name).get_attribute("data-layer-id")


def log_in_as_demo(tab: Tab) -> None:
    """Log in as the demo catalog's merchant (`flask seed-demo`); the dashboard is open."""
    tab.go("/login")
    tab.page.get_by_label("Email").fill(DEMO_EMAIL)
    tab.page.get_by_label("Password").fill(DEMO_PASSWORD)
    tab.page.get_by_role("button", name="Log in").click()
    expect(tab.page).to_have_url(tab.base + "/dashboard/")


def open_template(tab: Tab, store_id: str, name: str) -> str:
    """Log in as the demo merchant and open the template `name` in the editor; its id."""
    log_in_as_demo(tab)
    tab.go(f"/dashboard/stores/{store_id}/templates")
    tab.page.get_by_role("link", name=f"Edit in editor: “{name}”").click()
    wait_for_htmx(tab.page)
    expect(tab.page.get_by_role("heading", level=1)).to_contain_text(f"Template “{name}”")
    return tab.page.url.split("/templates/")[1].split("/")[0]


def create_store(tab: Tab, name: str) -> None:
    tab.page.get_by_label("Store name").fill(name)
    tab.page.get_by_role("button", name="Create store").click()
    expect(tab.page.locator("#store-list").get_by_role("link", name=name)).to_be_visible()


def open_section(tab: Tab, section: str) -> None:
    """Follow the store's navigation to `section`, and wait for its page's htmx."""
    tab.page.get_by_role("navigation", name="Store sections").get_by_role("link", name=section).click()
    wait_for_htmx(tab.page)


def open_new_store(tab: Tab, section: str, email: str = "ada@example.com") -> None:
    """Sign up, create the store Paper Moon, open it and then its `section`."""
    sign_up(tab, email=email)
    create_store(tab, "Paper Moon")
    tab.page.get_by_role("link", name="Paper Moon").click()
    open_section(tab, section)


def add_side(page, name: str, width: str, height: str, bleed: str, safe_zone: str) -> None:
    """Fill and send the product page's new-side form."""
    form = page.locator("form[aria-labelledby=new-side-title]")
    form.get_by_label("Side name").fill(name)
    form.get_by_label("Width (mm)").fill(width)
    form.get_by_label("Height (mm)").fill(height)
    form.get_by_label("Bleed (mm)").fill(bleed)
    form.get_by_label("Safe zone (mm)").fill(safe_zone)
    form.get_by_role("button", name="Add side").click()


def layer_item(page, name: str):
    """The editor's layer list entry whose button bears `name`."""
    return page.locator("#layers > li.layer", has=page.get_by_role("button", name=name, exact=True))


def screenshot_dir(tmp_path) -> str:
    return os.environ.get("PRESSWORK_SCREENSHOTS") or str(tmp_path)


AXE = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "node_modules", "axe-core", "axe.min.js"
)
SERIOUS = ("serious", "critical")


def violations(page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, one line each."""
    if not os.path.exists(AXE):
        pytest.fail(f"The accessibility scans need axe-core: npm ci (expected {AXE})", pytrace=False)
    # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
    # govern (a <script> tag with axe inline would be refused, as any inline script is).
    with open(AXE, encoding="utf-8") as source:
        page.evaluate(f"() => {{ {source.read()}\n; window.axe = axe; }}")
    results = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [
        f"{item['id']} ({item['impact']}): {item['help']} at {[node['target'] for node in item['nodes']][:5]}"
        for item in results
        if item["impact"] in SERIOUS
    ]


TOUCH_TARGET_PX = 44

_SMALL_CONTROLS = """(least) => [...document.querySelectorAll(
    '#editor :is(button, input, select, textarea, summary, a)')]
  // checkVisibility: not in a closed <details> (whose content Chromium keeps laid out, unseen).
  .filter((element) => element.type !== 'hidden' && element.checkVisibility({visibilityProperty: true}))
  .map((element) => [element, element.getBoundingClientRect()])
  .filter(([element, box]) => box.width > 0 && box.height > 0)
  .filter(([element, box]) => box.width < least - 0.5 || box.height < least - 0.5)
  .map(([element, box]) => {
    const name = element.getAttribute('aria-label') || element.textContent || element.name || '';
    return `${element.tagName.toLowerCase()}#${element.id} “${name.trim().slice(0, 30)}” `
      + `${Math.round(box.width)}×${Math.round(box.height)}`;
  })"""


def small_controls(page) -> list[str]:
    """Every visible control in the editor (button, field, summary, link) narrower or lower than a
    touch target (44 CSS px), one line each."""
    return page.evaluate(_SMALL_CONTROLS, TOUCH_TARGET_PX)
