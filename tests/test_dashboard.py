"""The merchant dashboard through the Flask test client: its pages and forms, and its htmx actions,
which go to the /api/v1 routes with the session cookie and the X-CSRFToken header."""

import re

import pytest

from designer.accounts.models import Account, ApiToken, Store
from designer.extensions import db
from designer.tenancy import across_stores
from designer.web.forms import field_message
from tests.factories import (
    FORM_CSRF,
    HTML,
    PAGE_CSRF,
    PASSWORD,
    Browser,
    bearer,
    count,
    create_store,
    sign_up,
)

_SECRET = re.compile(r"sk_[A-Za-z0-9]{43}")
_PUBLISHABLE = re.compile(r"pk_[A-Za-z0-9]{43}")


@pytest.fixture
def browser(app) -> Browser:
    # A client of its own: the `merchant` fixture's API calls must not ride on this session.
    return Browser(app.test_client())


@pytest.fixture
def merchant_browser(browser) -> Browser:
    """A browser signed up, logged in, and on the dashboard (so it holds the page's CSRF token)."""
    assert sign_up(browser).status_code == 302
    browser.get("/dashboard/")
    return browser


def create_token(browser: Browser, store_id: str, name: str = "Shop backend") -> tuple[str, str]:
    browser.get(f"/dashboard/stores/{store_id}")
    response = browser.htmx("POST", f"/api/v1/stores/{store_id}/tokens", {"name": name, "scopes": ["full"]})
    assert response.status_code == 201, response.text
    return re.search(r'id="token-(tok_\w+)"', response.text)[1], _SECRET.search(response.text)[0]


def stored(app, model, row_id: str):
    with app.app_context():
        row = db.session.scalars(across_stores(db.select(model).where(model.id == row_id))).one()
        db.session.expunge_all()
        return row


# Sign-up, log-in, log-out


def test_signup_with_a_weak_password_shows_the_rule_beside_the_field_and_creates_nothing(app, browser):
    response = sign_up(browser, password="weakpass")

    assert response.status_code == 422
    field = re.search(r'<div class="field invalid">.*?</div>', response.text, re.S)[0]
    assert 'id="password"' in field and 'aria-invalid="true"' in field
    assert 'aria-describedby="password-note"' in field
    assert "an upper-case letter, a digit, a symbol" in field
    assert 'value="ada@example.com"' in response.text  # what was typed stays...
    assert "weakpass" not in response.text  # ...except the password
    assert count(app, Account) == 0


def test_signup_with_a_taken_email_says_so_beside_the_email_field(app, browser):
    sign_up(browser)
    browser.submit("/logout", {})

    response = sign_up(browser)

    assert response.status_code == 409
    assert re.search(r'id="email-note">An account with this email already exists<', response.text)
    assert count(app, Account) == 1


def test_signup_creates_the_account_and_logs_in(app, browser):
    response = sign_up(browser, email="Ada@Example.com")

    assert response.status_code == 302 and response.location == "/dashboard/"
    page = browser.get("/dashboard/")
    assert page.status_code == 200
    assert "<h1>Your stores</h1>" in page.text and "Log out ada@example.com" in page.text
    assert count(app, Account) == 1


def test_login_with_a_wrong_password_shows_an_error_and_stays_logged_out(browser):
    sign_up(browser)
    browser.submit("/logout", {})
    browser.get("/login")

    response = browser.submit("/login", {"email": "ada@example.com", "password": "Wrong-pass1"})

    assert response.status_code == 401
    assert 'role="alert" id="login-error">Wrong email or password.<' in response.text
    assert 'value="ada@example.com"' in response.text
    assert browser.get("/dashboard/").status_code == 302


def test_login_returns_to_the_page_that_asked_for_it_and_never_leaves_the_site(browser):
    sign_up(browser)
    browser.submit("/logout", {})

    asked = browser.get("/dashboard/stores/sto_somewhere")
    assert asked.status_code == 302 and asked.location == "/login?next=%2Fdashboard%2Fstores%2Fsto_somewhere"
    browser.get(asked.location)
    back = browser.submit(asked.location, {"email": "ada@example.com", "password": PASSWORD})
    assert back.location == "/dashboard/stores/sto_somewhere"

    for elsewhere in ("//evil.example", "/\\evil.example", "https://evil.example/"):
        browser.submit("/logout", {})
        browser.get("/login")
        response = browser.submit(
            f"/login?next={elsewhere}", {"email": "ada@example.com", "password": PASSWORD}
        )
        assert response.location == "/dashboard/", elsewhere


def test_logout_ends_the_session(merchant_browser):
    response = merchant_browser.submit("/logout", {})

    assert response.status_code == 302 and response.location == "/login"
    assert merchant_browser.get("/dashboard/").status_code == 302
    assert merchant_browser.htmx("POST", "/api/v1/stores", {"name": "Late"}).status_code == 401


def test_form_posts_without_the_csrf_token_are_refused(app, browser):
    browser.get("/signup")
    refused = browser.submit(
        "/signup", {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}, with_token=False
    )
    assert refused.status_code == 400 and "<h1>Bad request</h1>" in refused.text
    assert count(app, Account) == 0

    sign_up(browser)
    browser.get("/dashboard/")
    assert browser.submit("/logout", {}, with_token=False).status_code == 400
    assert browser.get("/dashboard/").status_code == 200  # still logged in


def test_dashboard_pages_require_login(browser, merchant):
    for path in ("/dashboard/", f"/dashboard/stores/{merchant.store_id}"):
        response = browser.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/login?next=")
    assert browser.get("/").location == "/login"


# Stores


def test_htmx_store_creation_without_the_csrf_header_is_refused_and_creates_nothing(app, merchant_browser):
    response = merchant_browser.htmx("POST", "/api/v1/stores", {"name": "Forged"}, with_token=False)

    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert count(app, Store) == 0


def test_htmx_store_creation_answers_the_fresh_form_and_the_new_row(app, merchant_browser):
    response = merchant_browser.htmx("POST", "/api/v1/stores", {"name": "Paper Moon"})

    assert response.status_code == 201 and response.mimetype == "text/html"
    assert "<html" not in response.text  # a partial, not a page
    store_id = re.search(r'<li id="store-(sto_\w+)">', response.text)[1]
    assert f'href="/dashboard/stores/{store_id}" class="name">Paper Moon</a>' in response.text
    assert 'hx-swap-oob="beforeend:#store-list"' in response.text
    assert '<form hx-post="/api/v1/stores"' in response.text and 'value=""' in response.text
    assert "Store “Paper Moon” created." in response.text
    assert stored(app, Store, store_id).name == "Paper Moon"
    assert f'id="store-{store_id}"' in merchant_browser.get("/dashboard/").text


def test_htmx_store_creation_with_an_empty_name_re_renders_the_form_with_the_error(app, merchant_browser):
    response = merchant_browser.htmx("POST", "/api/v1/stores", {"name": "   "})

    assert response.status_code == 422 and "<html" not in response.text
    assert '<form hx-post="/api/v1/stores"' in response.text
    assert re.search(r'id="new-store-name"[^>]*aria-invalid="true"', response.text)
    assert 'id="new-store-name-note">This field should have at least 1 character<' in response.text
    assert count(app, Store) == 0


def test_api_clients_get_json_from_the_same_store_route(client, merchant):
    response = client.post("/api/v1/stores", json={"name": "Paper Moon"}, headers=merchant.basic)

    assert response.status_code == 201 and response.is_json
    assert response.json["name"] == "Paper Moon" and _PUBLISHABLE.fullmatch(response.json["publishableToken"])
    assert "HX-Request" in response.headers["Vary"]


def test_saving_settings_updates_the_store_and_its_heading(app, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx(
        "PATCH", f"/api/v1/stores/{store_id}", {"name": "Paper Sun", "rateLimitPerMinute": "120"}
    )

    assert response.status_code == 200 and "<html" not in response.text
    assert 'role="status">Saved.<' in response.text
    assert '<span id="store-name" hx-swap-oob="innerHTML">Paper Sun</span>' in response.text
    assert 'id="settings-rateLimitPerMinute"' in response.text and 'value="120"' in response.text
    store = stored(app, Store, store_id)
    assert (store.name, store.rate_limit_per_minute) == ("Paper Sun", 120)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "This field should be greater than or equal to 1"),
        ("lots", "This field should be a valid integer"),
    ],
)
def test_settings_with_an_invalid_rate_limit_re_render_with_the_inline_error(
    app, merchant_browser, typed, message
):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx(
        "PATCH", f"/api/v1/stores/{store_id}", {"name": "Renamed", "rateLimitPerMinute": typed}
    )

    assert response.status_code == 422 and "<html" not in response.text
    assert f'<form hx-patch="/api/v1/stores/{store_id}"' in response.text
    assert re.search(r'id="settings-rateLimitPerMinute"[^>]*aria-invalid="true"', response.text)
    assert f'id="settings-rateLimitPerMinute-note">{message}' in response.text
    assert f'value="{typed}"' in response.text and 'value="Renamed"' in response.text
    assert "Saved." not in response.text
    store = stored(app, Store, store_id)
    assert (store.name, store.rate_limit_per_minute) == ("Paper Moon", None)


def test_deleting_a_store_sends_the_browser_back_to_the_store_list(app, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx("DELETE", f"/api/v1/stores/{store_id}")

    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/dashboard/"
    assert count(app, Store) == 0
    assert merchant_browser.get(f"/dashboard/stores/{store_id}").status_code == 404


@pytest.mark.parametrize("accept", [HTML, None])
def test_another_accounts_store_page_is_a_404_page(merchant_browser, merchant, accept):
    headers = {"Accept": accept} if accept else {}
    response = merchant_browser.client.get(f"/dashboard/stores/{merchant.store_id}", headers=headers)

    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "<h1>Not found</h1>" in response.text
    assert merchant.store_id in response.text  # "No store with id '…'"
    missing = merchant_browser.client.get("/dashboard/stores/sto_missing", headers=headers)
    assert missing.status_code == 404
    assert missing.text.replace("sto_missing", "ID") == response.text.replace(merchant.store_id, "ID")


def test_htmx_actions_on_another_accounts_store_are_not_found_and_change_nothing(
    app, merchant_browser, merchant
):
    for method, path, fields in [
        ("PATCH", f"/api/v1/stores/{merchant.store_id}", {"name": "Mine now"}),
        ("POST", f"/api/v1/stores/{merchant.store_id}/publishable-token/renew", None),
        ("POST", f"/api/v1/stores/{merchant.store_id}/tokens", {"name": "Sneaky", "scopes": "full"}),
        ("DELETE", f"/api/v1/stores/{merchant.store_id}", None),
    ]:
        assert merchant_browser.htmx(method, path, fields).status_code == 404, path
    store = stored(app, Store, merchant.store_id)
    assert (store.name, store.publishable_token) == ("Merchant's store", merchant.publishable)
    assert count(app, ApiToken) == 1


# Tokens


def test_creating_a_token_shows_its_secret_once(app, client, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx(
        "POST", f"/api/v1/stores/{store_id}/tokens", {"name": "Shop backend", "scopes": ["read", "orders"]}
    )

    assert response.status_code == 201 and "<html" not in response.text
    secrets = _SECRET.findall(response.text)
    assert len(set(secrets)) == 1
    secret = secrets[0]
    assert 'id="token-secret" hx-swap-oob="innerHTML"' in response.text
    assert f'id="secret-value" readonly value="{secret}"' in response.text
    assert 'hx-swap-oob="afterbegin:#token-list"' in response.text
    assert f"sk_…{secret[-4:]}" in response.text
    assert client.get(f"/api/v1/stores/{store_id}", headers=bearer(secret)).status_code == 200

    page = merchant_browser.get(f"/dashboard/stores/{store_id}")
    assert secret not in page.text and secret[3:20] not in page.text
    assert f"sk_…{secret[-4:]}" in page.text and "Shop backend" in page.text
    assert '<span class="tag">orders</span><span class="tag">read</span>' in page.text


def test_creating_a_token_without_a_scope_shows_the_error_beside_the_scopes(app, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx("POST", f"/api/v1/stores/{store_id}/tokens", {"name": "Shop backend"})

    assert response.status_code == 422 and "<html" not in response.text
    assert re.search(r'<fieldset class="field invalid" aria-describedby="token-scopes-note">', response.text)
    assert 'id="token-scopes-note">This field is required<' in response.text
    assert 'value="Shop backend"' in response.text
    assert _SECRET.search(response.text) is None
    assert count(app, ApiToken) == 0


def test_revoking_a_token_through_htmx_marks_its_row_and_stops_the_token(app, client, merchant_browser):
    store_id = create_store(merchant_browser)
    token_id, secret = create_token(merchant_browser, store_id)

    response = merchant_browser.htmx("DELETE", f"/api/v1/stores/{store_id}/tokens/{token_id}")

    assert response.status_code == 200 and "<html" not in response.text
    assert re.match(rf'<li id="token-{token_id}" class="revoked">', response.text)
    assert "revoked 20" in response.text and "Revoke" not in response.text
    assert client.get(f"/api/v1/stores/{store_id}", headers=bearer(secret)).status_code == 401
    assert stored(app, ApiToken, token_id).revoked_at is not None


def test_rotating_a_token_shows_the_new_secret_once_and_retires_the_old_one(app, client, merchant_browser):
    store_id = create_store(merchant_browser)
    token_id, old_secret = create_token(merchant_browser, store_id)

    response = merchant_browser.htmx("POST", f"/api/v1/stores/{store_id}/tokens/{token_id}/rotate")

    assert response.status_code == 200 and "<html" not in response.text
    new_secret = _SECRET.search(response.text)[0]
    assert new_secret != old_secret
    assert f'<li id="token-{token_id}" hx-swap-oob="true">' in response.text
    assert f"sk_…{new_secret[-4:]}" in response.text
    assert client.get(f"/api/v1/stores/{store_id}", headers=bearer(old_secret)).status_code == 401
    assert client.get(f"/api/v1/stores/{store_id}", headers=bearer(new_secret)).status_code == 200
    assert new_secret not in merchant_browser.get(f"/dashboard/stores/{store_id}").text


def test_renewing_the_publishable_token_shows_the_new_one_and_retires_the_old_one(
    app, client, merchant_browser
):
    store_id = create_store(merchant_browser)
    page = merchant_browser.get(f"/dashboard/stores/{store_id}")
    old = re.search(r'id="pk-value" readonly value="(pk_\w+)"', page.text)[1]

    response = merchant_browser.htmx("POST", f"/api/v1/stores/{store_id}/publishable-token/renew")

    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.startswith('<div id="publishable-token"')
    new = re.search(r'id="pk-value" readonly value="(pk_\w+)"', response.text)[1]
    assert new != old and _PUBLISHABLE.fullmatch(new)
    assert "Renewed. The old token no longer works." in response.text
    assert stored(app, Store, store_id).publishable_token == new
    path = f"/api/v1/stores/{store_id}"
    assert client.get(path, headers={"X-Publishable-Token": old}).status_code == 401
    assert client.get(path, headers={"X-Publishable-Token": new}).status_code == 200


@pytest.mark.parametrize(
    ("api_message", "shown"),
    [
        (
            "Field 'name': string should have at least 1 character",
            "This field should have at least 1 character",
        ),
        (
            "Field 'rateLimitPerMinute': input should be a valid integer, unable to parse string",
            "This field should be a valid integer",
        ),
        (
            "Field 'scopes': list should have at least 1 item after validation, not 0",
            "This field should have at least 1 item",
        ),
        (
            "Field 'email': value is not a valid email address: no @",
            "This field is not a valid email address: no @",
        ),
        ("Field 'password' needs a digit", "This field needs a digit"),
        ("An account with this email already exists", "An account with this email already exists"),
    ],
)
def test_api_messages_are_worded_for_the_field_they_sit_under(api_message, shown):
    assert field_message(api_message) == shown


def test_api_error_responses_also_vary_on_hx_request(merchant_browser):
    response = merchant_browser.htmx("POST", "/api/v1/stores", {"name": "Forged"}, with_token=False)
    assert response.status_code == 403
    assert "HX-Request" in response.headers.get("Vary", "")


# Forms that grant no more than the merchant chose


def _inputs(html: str, name: str) -> list[str]:
    return re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)


def _checked_values(html: str, name: str) -> list[str]:
    return [re.search(r'value="([^"]*)"', tag)[1] for tag in _inputs(html, name) if " checked" in tag]


def test_the_token_form_offers_one_access_level_and_resources_only_under_their_own_choice(merchant_browser):
    store_id = create_store(merchant_browser)
    page = merchant_browser.get(f"/dashboard/stores/{store_id}").text

    levels = [tag for tag in _inputs(page, "scopes") if 'type="radio"' in tag]
    assert [re.search(r'value="([^"]*)"', tag)[1] for tag in levels] == ["full", "read", "orders", ""]
    # Nothing is ticked beside the chosen level, and the resources' boxes cannot be until
    # "Only what I tick below" is chosen.
    assert _checked_values(page, "scopes") == ["full"]
    assert re.search(r'<fieldset class="scope-choices" data-chosen-by-legend disabled>', page)
    boxes = [tag for tag in _inputs(page, "scopes") if 'type="checkbox"' in tag]
    assert 'value="products:write"' in " ".join(boxes) and len(boxes) == 22


def test_choosing_read_only_in_the_token_form_makes_a_read_only_token(client, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx(
        "POST", f"/api/v1/stores/{store_id}/tokens", {"name": "Reports", "scopes": ["read"]}
    )

    assert response.status_code == 201, response.text
    secret = _SECRET.search(response.text)[0]
    assert client.get(f"/api/v1/stores/{store_id}", headers=bearer(secret)).status_code == 200
    assert client.post("/api/v1/products", json={"name": "X"}, headers=bearer(secret)).status_code == 403


def test_chosen_resources_make_a_token_with_exactly_those_scopes(client, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx(
        "POST",
        f"/api/v1/stores/{store_id}/tokens",
        {"name": "Catalog sync", "scopes": ["", "products:write", "orders:read"]},
    )

    assert response.status_code == 201, response.text
    secret = _SECRET.search(response.text)[0]
    [token] = [
        token
        for token in client.get(f"/api/v1/stores/{store_id}/tokens", headers=_basic_of_ada()).json["data"]
        if token["name"] == "Catalog sync"
    ]
    assert sorted(token["scopes"]) == ["orders:read", "products:write"]
    assert client.get("/api/v1/orders", headers=bearer(secret)).status_code == 200
    assert client.post("/api/v1/webhooks", json={}, headers=bearer(secret)).status_code == 403


def _basic_of_ada() -> dict:
    import base64

    return {"Authorization": "Basic " + base64.b64encode(f"ada@example.com:{PASSWORD}".encode()).decode()}


def test_choosing_resources_but_ticking_none_says_so_beside_the_access(app, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx(
        "POST", f"/api/v1/stores/{store_id}/tokens", {"name": "X", "scopes": [""]}
    )

    assert response.status_code == 422
    assert 'id="token-scopes-note">Tick at least one thing the token may read or write.<' in response.text
    assert _checked_values(response.text, "scopes") == [""]
    assert count(app, ApiToken) == 0


@pytest.mark.parametrize("scopes", [["full", "read"], ["read", "full"], ["full", "products:read"]])
def test_full_beside_another_scope_is_refused_naming_scopes(app, client, merchant, scopes):
    response = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": "Mixed", "scopes": scopes},
        headers=merchant.basic,
    )

    assert response.status_code == 422
    assert response.json["error"]["field"] == "scopes"
    assert '"full" beside other scopes' in response.json["error"]["message"]


def test_full_beside_read_from_the_dashboard_re_renders_the_form_and_creates_nothing(app, merchant_browser):
    store_id = create_store(merchant_browser)
    merchant_browser.get(f"/dashboard/stores/{store_id}")

    response = merchant_browser.htmx(
        "POST", f"/api/v1/stores/{store_id}/tokens", {"name": "Mixed", "scopes": ["full", "read"]}
    )

    assert response.status_code == 422
    assert 'id="token-scopes-note">This field cannot hold &#34;full&#34; beside other scopes' in response.text
    assert count(app, ApiToken) == 0


def _webhooks_page(client, merchant) -> tuple[str, dict]:
    page = client.get("/login")
    csrf = FORM_CSRF.search(page.text)[1]
    client.post("/login", data={"email": merchant.email, "password": PASSWORD, "csrf_token": csrf})
    page = client.get(f"/dashboard/stores/{merchant.store_id}/webhooks", headers={"Accept": HTML})
    headers = {
        "HX-Request": "true",
        "X-Store-Id": merchant.store_id,
        "X-CSRFToken": PAGE_CSRF.search(page.text)[1],
    }
    return page.text, headers


def test_the_webhook_form_chooses_all_events_or_only_the_ticked_ones(app, merchant):
    page, _headers = _webhooks_page(app.test_client(), merchant)

    radios = [tag for tag in _inputs(page, "events") if 'type="radio"' in tag]
    assert [re.search(r'value="([^"]*)"', tag)[1] for tag in radios] == ["*", ""]
    assert _checked_values(page, "events") == ["*"]
    assert re.search(r'<fieldset class="event-choices" data-chosen-by-legend disabled>', page)


def test_two_ticked_events_subscribe_the_webhook_to_exactly_those_two(app, client, merchant):
    browser = app.test_client()
    _page, headers = _webhooks_page(browser, merchant)

    response = browser.post(
        "/api/v1/webhooks",
        data={"url": "https://hooks.example.com/orders", "events": ["", "order.created", "order.updated"]},
        headers=headers,
    )

    assert response.status_code == 201, response.text
    [webhook] = client.get("/api/v1/webhooks", headers=merchant.bearer).json["data"]
    assert webhook["events"] == ["order.created", "order.updated"]
    settings = browser.get(f"/dashboard/stores/{merchant.store_id}/webhooks/{webhook['id']}").text
    assert _checked_values(settings, "events") == ["", "order.created", "order.updated"]


def test_all_events_beside_named_events_is_refused_naming_events(client, merchant):
    response = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.com/", "events": ["*", "order.created"]},
        headers=merchant.bearer,
    )

    assert response.status_code == 422
    assert response.json["error"]["field"] == "events"
    assert client.get("/api/v1/webhooks", headers=merchant.bearer).json["data"] == []


def test_choosing_only_ticked_events_but_ticking_none_says_so_beside_the_events(app, merchant):
    browser = app.test_client()
    _page, headers = _webhooks_page(browser, merchant)

    response = browser.post(
        "/api/v1/webhooks", data={"url": "https://hooks.example.com/", "events": [""]}, headers=headers
    )

    assert response.status_code == 422
    assert 'id="new-webhook-events-note">Tick at least one event, or choose all events.<' in response.text


def test_allowed_colours_are_explained_the_same_way_on_the_product_page_and_in_the_template_editor(
    app, merchant_browser
):
    from designer.cli import seed_demo

    with app.app_context():
        account, _secret = seed_demo()
        store_id = account.stores[0].id
    demo = Browser(app.test_client())
    demo.get("/login")
    from designer.cli import DEMO_EMAIL, DEMO_PASSWORD

    demo.submit("/login", {"email": DEMO_EMAIL, "password": DEMO_PASSWORD})
    templates = demo.get(f"/dashboard/stores/{store_id}/templates").text
    editor = demo.get(
        re.search(r'href="(/dashboard/stores/[^"]+/templates/tpl_\w+/edit)"', templates)[1]
    ).text
    products = demo.get(f"/dashboard/stores/{store_id}/products").text
    product = demo.get(
        re.search(rf'href="(/dashboard/stores/{store_id}/products/prd_\w+)"', products)[1]
    ).text

    assert "separated by commas or spaces" in editor
    assert "separated by commas or spaces" in product
    assert "separated by spaces;" not in editor


def test_a_colour_that_is_not_one_is_refused_in_plain_words(client, merchant):
    product = client.post(
        "/api/v1/products",
        json={"name": "Card", "dimensionUnit": "mm", "sides": [{"name": "Front", "width": 85, "height": 55}]},
        headers=merchant.bearer,
    )
    assert product.status_code == 201, product.json
    product = product.json
    template = client.post(
        "/api/v1/templates",
        json={
            "name": "Plain",
            "sideId": product["sides"][0]["id"],
            "layers": [{"type": "shape", "shape": "rect", "width": 10, "height": 10, "fill": "#112233"}],
        },
        headers=merchant.bearer,
    )
    assert template.status_code == 201, template.json
    layer = template.json["layers"][0]
    path = f"/api/v1/templates/{template.json['id']}/layers/{layer['id']}"

    refused = client.patch(path, json={"rules": {"colors": ["red"]}}, headers=merchant.bearer)
    assert refused.status_code == 422
    assert refused.json["error"]["field"] == "rules.colors.0"
    assert refused.json["error"]["message"].endswith("“red” is not a colour: write it as #rrggbb")

    saved = client.patch(path, json={"rules": {"colors": ["#112233", "#0B5CAD"]}}, headers=merchant.bearer)
    assert saved.status_code == 200, saved.json
    again = client.get(f"/api/v1/templates/{template.json['id']}", headers=merchant.bearer).json
    assert again["layers"][0]["rules"]["colors"] == ["#112233", "#0b5cad"]
