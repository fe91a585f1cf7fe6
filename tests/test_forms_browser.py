"""Dashboard forms in a real browser (Debian's Chromium driven by Playwright, the app on a local
port) grant what the merchant chose and no more: a read-only token is read-only, a webhook with
two events ticked gets those two, and the allowed colours of a template's layer are saved and
shown again after a reload."""

import base64
import json
import re
import urllib.request

from playwright.sync_api import expect

from designer.cli import seed_demo
from tests.browser import create_store, layer_item, open_template, sign_up, wait_for_htmx
from tests.factories import PASSWORD, wait_until

EMAIL = "ada@example.com"


def api_get(base: str, path: str, authorization: str):
    request = urllib.request.Request(
        base + path, headers={"Authorization": authorization, "Accept": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def api_status(base: str, method: str, path: str, authorization: str, body: dict | None = None) -> int:
    request = urllib.request.Request(
        base + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": authorization, "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def ada() -> str:
    return "Basic " + base64.b64encode(f"{EMAIL}:{PASSWORD}".encode()).decode()


def open_new_store(tab) -> str:
    sign_up(tab, EMAIL)
    create_store(tab, "Paper Moon")
    tab.page.get_by_role("link", name="Paper Moon").click()
    wait_for_htmx(tab.page)
    return tab.page.url.rstrip("/").rsplit("/", 1)[1]


def test_choosing_read_only_in_the_token_form_makes_a_read_only_token(tab):
    page = tab.page
    store_id = open_new_store(tab)

    # The resources' boxes wait for their own choice: nothing can be ticked beside a level.
    read_products = page.get_by_role("checkbox", name="Read products and sides")
    expect(read_products).to_be_disabled()
    page.get_by_label("Token name").fill("Reports")
    page.get_by_label("Read only").check()
    expect(page.get_by_label("Full access")).not_to_be_checked()
    page.get_by_role("button", name="Create token").click()

    secret = page.get_by_label("Secret", exact=True)
    expect(secret).to_have_value(re.compile(r"^sk_"))
    [token] = api_get(tab.base, f"/api/v1/stores/{store_id}/tokens", ada())["data"]
    assert token["scopes"] == ["read"]
    bearer = "Bearer " + secret.input_value()
    assert api_status(tab.base, "GET", f"/api/v1/stores/{store_id}", bearer) == 200
    assert api_status(tab.base, "POST", "/api/v1/products", bearer, {"name": "Nope"}) == 403
    assert tab.errors == []


def test_chosen_resources_in_the_token_form_give_exactly_those_scopes(tab):
    page = tab.page
    store_id = open_new_store(tab)

    page.get_by_label("Token name").fill("Catalog sync")
    page.get_by_label("Only what I tick below").check()
    page.get_by_role("checkbox", name="Write products and sides").check()
    page.get_by_role("checkbox", name="Read orders").check()
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_label("Secret", exact=True)).to_have_value(re.compile(r"^sk_"))

    [token] = api_get(tab.base, f"/api/v1/stores/{store_id}/tokens", ada())["data"]
    assert sorted(token["scopes"]) == ["orders:read", "products:write"]
    # Choosing a level again leaves the ticked boxes behind, unsent.
    page.get_by_label("Token name").fill("Everything")
    page.get_by_label("Only what I tick below").check()
    page.get_by_role("checkbox", name="Write webhooks").check()
    page.get_by_label("Full access").check()
    expect(page.get_by_role("checkbox", name="Write webhooks")).to_be_disabled()
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#token-list li", has_text="Everything")).to_be_visible()
    tokens = api_get(tab.base, f"/api/v1/stores/{store_id}/tokens", ada())["data"]
    assert next(token for token in tokens if token["name"] == "Everything")["scopes"] == ["full"]
    assert tab.errors == []


def test_ticking_two_events_subscribes_the_webhook_to_exactly_those_two(tab):
    page = tab.page
    store_id = open_new_store(tab)
    tab.go(f"/dashboard/stores/{store_id}/webhooks")

    order_created = page.get_by_role("checkbox", name="order.created", exact=True)
    expect(order_created).to_be_disabled()
    page.get_by_label("Endpoint URL").fill("https://hooks.example.com/orders")
    page.get_by_label("Only the events ticked below").check()
    order_created.check()
    page.get_by_role("checkbox", name="order.updated", exact=True).check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_text("will not be shown again")).to_be_visible()

    [webhook] = api_get(tab.base, f"/api/v1/webhooks?storeId={store_id}", ada())["data"]
    assert webhook["events"] == ["order.created", "order.updated"]
    assert tab.errors == []


def test_allowed_colours_saved_in_the_template_editor_are_there_after_a_reload(app, tab):
    with app.app_context():
        account, secret = seed_demo()
        store_id = account.stores[0].id
    page = tab.page
    template_id = open_template(tab, store_id, "Classic")
    layers = api_get(tab.base, f"/api/v1/templates/{template_id}", "Bearer " + secret)["layers"]
    layer = next(layer for layer in layers if layer["type"] == "text" and layer.get("name"))
    item = layer_item(page, layer["name"])
    item.locator("summary", has_text="Customer permissions").click()
    colours = item.get_by_label("Colours allowed")
    # A word that is no colour is answered beside the field, in plain words.
    colours.fill("red")
    note = page.locator(f"#{colours.get_attribute('id')}-error")
    expect(note).to_have_text("“red” is not a colour: write it as #rrggbb")
    # Commas and spaces both separate, as the help text says.
    colours.fill(f"{layer['color'].upper()}, #0b5cad #ff0000")
    expect(note).to_have_count(0)

    def saved():
        layers = api_get(tab.base, f"/api/v1/templates/{template_id}", "Bearer " + secret)["layers"]
        return next(each for each in layers if each["id"] == layer["id"])["rules"]["colors"]

    wait_until(saved, [layer["color"], "#0b5cad", "#ff0000"])
    page.reload()
    wait_for_htmx(page)
    item = layer_item(page, layer["name"])
    expect(item.get_by_label("Colours allowed")).to_have_value(f"{layer['color']}, #0b5cad, #ff0000")
    expect(item.get_by_text("separated by commas or spaces")).to_be_attached()
    assert [error for error in tab.errors if "422" not in error] == []
