"""Orders in a real browser (Debian's Chromium driven by Playwright, the app on a local port): a
merchant filters the orders list, moves an order across the production board with the keyboard,
one key press per stage, and keeps internal notes on the order page, all without a page reload
and without a console error."""

from playwright.sync_api import expect

from tests.browser import create_store, open_section, sign_up, wait_for_htmx
from tests.factories import PASSWORD, basic

LAYER = {"type": "shape", "shape": "rect", "x": 5, "y": 5, "width": 20, "height": 10, "fill": "#ff0000"}


def seed_order(app) -> tuple[str, str]:
    """A paid order for personalized business cards in Ada's store: (store id, order id)."""
    client = app.test_client()
    auth = basic("ada@example.com", PASSWORD)
    store_id = client.get("/api/v1/stores", headers=auth).json["data"][0]["id"]
    auth |= {"X-Store-Id": store_id}
    product = client.post(
        "/api/v1/products",
        json={
            "name": "Business card",
            "dimensionUnit": "mm",
            "sides": [{"name": "Front", "width": 85, "height": 55}],
        },
        headers=auth,
    ).json
    design = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"], "layers": [LAYER]},
        headers=auth,
    ).json
    body = {
        "number": "1042",
        "status": "paid",
        "customer": {"email": "grace@example.com", "name": "Grace Hopper"},
        "lineItems": [{"sku": "biz-card-100", "quantity": 100, "projectId": design["projectId"]}],
    }
    order = client.post("/api/v1/orders", json=body, headers=auth)
    assert order.status_code == 201, order.json
    created = client.post("/api/v1/orders", json=body | {"number": "1043", "status": "pending"}, headers=auth)
    assert created.status_code == 201, created.json
    return store_id, order.json["id"]


def settled(page) -> None:
    """Wait until htmx has no request in flight and has finished swapping and settling."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")).to_have_count(0)


def test_merchant_moves_an_order_through_production_with_the_keyboard(app, tab):
    page = tab.page
    sign_up(tab)
    create_store(tab, "Paper Moon")
    store_id, order_id = seed_order(app)

    tab.go(f"/dashboard/stores/{store_id}/orders")
    expect(page.locator("#order-list li:not(.empty)")).to_have_count(2)
    tab.mark()
    page.get_by_label("Status", exact=True).select_option("pending")
    expect(page.locator("#order-list li:not(.empty)")).to_have_count(1)
    expect(page.locator("#order-list")).to_contain_text("Order 1043")
    page.get_by_label("Status", exact=True).select_option("")
    page.get_by_label("Search").fill("grace")
    expect(page.locator("#order-list li:not(.empty)")).to_have_count(2)
    page.get_by_label("Search").fill("nobody")
    expect(page.get_by_text("No orders match.")).to_be_visible()
    assert tab.marked(), "filtering orders reloaded the page"

    open_section(tab, "Production")
    tab.mark()
    card = page.locator(f"#card-{order_id}")
    expect(page.locator("#stage-queue")).to_contain_text("Order 1042")
    for stage in ("press", "finishing", "done"):
        page.locator(f"#next-{order_id}").focus()
        page.keyboard.press("Enter")
        expect(page.locator(f"#stage-{stage} #card-{order_id}")).to_be_visible()
        settled(page)
    expect(card.get_by_role("button", name="Mark order 1042 shipped")).to_be_enabled()
    assert tab.marked(), "moving a card reloaded the page"

    card.get_by_role("link", name="Order 1042").click()
    wait_for_htmx(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Order 1042")
    expect(page.locator("#stage-done")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("img", name="Preview of Front")).to_be_visible()
    tab.mark()
    page.get_by_label("Internal notes").fill("Ship with the blue ribbon")
    page.get_by_role("button", name="Save notes").click()
    settled(page)
    expect(page.locator("#flash")).to_be_empty()
    page.get_by_role("button", name="Mark shipped").click()
    expect(page.locator("#order-panel-title")).to_contain_text("shipped")
    expect(page.get_by_label("Internal notes")).to_have_value("Ship with the blue ribbon")
    page.get_by_role("button", name="Render the print-ready PDF").click()
    expect(page.locator(".render-slot .render")).to_be_visible()
    assert tab.marked(), "acting on the order reloaded the page"
    assert tab.errors == []
