"""Every HTML page forbids inline script and framing (Content-Security-Policy, X-Frame-Options),
and every response forbids MIME sniffing and says which referrer to send. The pages are found by
following every link from the dashboard of the demo store and the customer's editor, so a page
added later is checked without being listed here."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from designer.security_headers import content_security_policy
from tests.factories import basic, bearer

MAX_PAGES = 400
REQUIRED_DIRECTIVES = {
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


class _Links(HTMLParser):
    """The links of a page, and what in it would need inline script to work."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.inline_script: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "script" and not attributes.get("src"):
            self.inline_script.append("<script> without src")
        for name, value in attrs:
            if name.startswith(("on", "hx-on", "data-hx-on")):
                self.inline_script.append(f"<{tag} {name}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.inline_script.append(f"<{tag} {name}={value}>")


def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


def assert_locked_down(path: str, response) -> None:
    policy = directives(response.headers.get("Content-Security-Policy", ""))
    for name, value in REQUIRED_DIRECTIVES.items():
        assert policy.get(name) == value, (path, name, policy)
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY", path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


def crawl(client, start: list[str]) -> dict[str, list[str]]:
    """Every same-site page reachable from `start` by links (query strings kept, fragments
    dropped); for each HTML page, what in it would need inline script."""
    seen, queue, found = set(), list(start), {}
    while queue and len(found) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.mimetype != "text/html":
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            continue
        assert_locked_down(path, response)
        parser = _Links()
        parser.feed(response.text)
        found[path] = parser.inline_script
        for link in parser.links:
            target = urlsplit(urljoin("http://localhost" + path, link))
            if target.netloc == "localhost" and target.scheme == "http" and "logout" not in target.path:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def test_every_html_page_answers_a_policy_that_forbids_inline_script_and_framing(client, demo):
    public = crawl(client, ["/", "/login", "/signup", "/api/docs", "/no-such-page"])
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": csrf})
    store = demo["store_id"]
    signed_in = crawl(client, ["/dashboard/", f"/dashboard/stores/{store}"])
    assert len(signed_in) > 20, sorted(signed_in)  # the crawl reached the store's pages
    assert any("/templates/" in path and path.endswith("/edit") for path in signed_in)
    assert {path: needs for path, needs in {**public, **signed_in}.items() if needs} == {}


def test_the_customers_editor_answers_the_policy_and_needs_no_inline_script(client, demo):
    headers = bearer(demo["secret"])
    side_id = client.get("/api/v1/products/business-card", headers=headers).json["sides"][0]["id"]
    design = client.post(
        "/api/v1/designs", headers=headers, json={"productId": "business-card", "sideId": side_id}
    )
    editor_url = urlsplit(design.json["editorUrl"])
    pages = crawl(
        client,
        [
            f"/editor/stores/{demo['store_id']}/products/business-card",
            f"{editor_url.path}?{editor_url.query}",
        ],
    )
    assert any(path.startswith("/editor/designs/") for path in pages)
    assert {path: needs for path, needs in pages.items() if needs} == {}


def test_json_answers_forbid_sniffing_and_carry_no_page_policy(client):
    response = client.get("/api/v1/openapi.json")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Content-Security-Policy" not in response.headers


def test_the_policy_names_framing_origins_only_when_asked():
    assert "frame-ancestors 'none'" in content_security_policy()
    framed = directives(content_security_policy(["https://shop.example", "http://localhost:8080"]))
    assert framed["frame-ancestors"] == "'self' https://shop.example http://localhost:8080"
    assert re.search(r"script-src 'self'(;|$)", content_security_policy())


# The shop that embeds the customer's editor


def test_a_store_names_the_shop_origins_that_may_frame_its_editor(client, merchant):
    saved = client.patch(
        f"/api/v1/stores/{merchant.store_id}",
        json={"shopOrigins": ["https://Shop.example", "http://localhost:8080/", "https://shop.example"]},
        headers=merchant.basic,
    )
    assert saved.status_code == 200, saved.json
    assert saved.json["shopOrigins"] == ["https://shop.example", "http://localhost:8080"]
    cleared = client.patch(
        f"/api/v1/stores/{merchant.store_id}", json={"shopOrigins": []}, headers=merchant.basic
    )
    assert cleared.json["shopOrigins"] == []


@pytest.mark.parametrize(
    "origin",
    [
        "https://shop.example/cart",
        "https://shop.example?x=1",
        "https://*.shop.example",
        "https://user@shop.example",
        "javascript:alert(1)",
        "ftp://shop.example",
        "shop.example",
        "https://shop.example:99999",
        "https://shop.example 'unsafe-inline'",
        "'self'",
    ],
)
def test_a_shop_origin_that_is_not_scheme_host_and_port_is_a_422_naming_it(client, merchant, origin):
    refused = client.patch(
        f"/api/v1/stores/{merchant.store_id}", json={"shopOrigins": [origin]}, headers=merchant.basic
    )
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["field"].startswith("shopOrigins.")
    assert "origin such as https://shop.example" in refused.json["error"]["message"]


def test_only_the_customers_editor_pages_may_be_framed_and_only_by_the_shop(client, demo):
    store_id, headers = demo["store_id"], bearer(demo["secret"])
    account = basic(DEMO_EMAIL, DEMO_PASSWORD)
    product_page = f"/editor/stores/{store_id}/products/business-card"
    assert client.get(product_page).headers["X-Frame-Options"] == "DENY"  # no shop named yet

    client.patch(
        f"/api/v1/stores/{store_id}", json={"shopOrigins": ["https://shop.example"]}, headers=account
    )
    side_id = client.get("/api/v1/products/business-card", headers=headers).json["sides"][0]["id"]
    design = client.post(
        "/api/v1/designs", headers=headers, json={"productId": "business-card", "sideId": side_id}
    )
    editor_url = urlsplit(design.json["editorUrl"])
    for path in (product_page, f"{editor_url.path}?{editor_url.query}"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == (
            "'self' https://shop.example"
        )
        assert "X-Frame-Options" not in response.headers

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": csrf})
    template_id = client.get("/api/v1/templates", headers=headers).json["data"][0]["id"]
    template_editor = client.get(f"/dashboard/stores/{store_id}/templates/{template_id}/edit")
    assert template_editor.status_code == 200
    assert_locked_down("template editor", template_editor)


def test_the_store_settings_form_saves_the_shop_origins_and_shows_a_bad_one_inline(client, demo):
    store_id = demo["store_id"]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)[1]
    client.post("/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": csrf})
    page = client.get(f"/dashboard/stores/{store_id}")
    assert 'name="shopOrigins"' in page.text
    htmx = {"HX-Request": "true", "X-CSRFToken": re.search(r'"X-CSRFToken": "([^"]+)"', page.text)[1]}
    form = {"name": "Demo Print Shop", "rateLimitPerMinute": "120"}

    saved = client.patch(
        f"/api/v1/stores/{store_id}",
        data=form | {"shopOrigins": "https://shop.example, https://www.shop.example"},
        headers=htmx,
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    assert 'value="https://shop.example https://www.shop.example"' in saved.text

    refused = client.patch(
        f"/api/v1/stores/{store_id}", data=form | {"shopOrigins": "https://shop.example/cart"}, headers=htmx
    )
    assert refused.status_code == 422
    assert 'id="settings-shopOrigins" name="shopOrigins"' in refused.text
    assert "origin such as https://shop.example" in refused.text and 'aria-invalid="true"' in refused.text
