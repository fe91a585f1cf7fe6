"""The production board's Gang action in a real browser (Debian's Chromium driven by Playwright, the
app on a local port): the merchant gangs the queue's business cards on a press sheet, sees the
orders move to press and downloads the sheet, without a page reload or a console error."""

from playwright.sync_api import expect

from tests.browser import create_store, sign_up
from tests.factories import PASSWORD, basic, rendered_orders


def test_the_merchant_gangs_the_queue_from_the_production_board_and_downloads_the_sheet(
    app, tab, redis_url, app_config
):
    page = tab.page
    sign_up(tab)
    create_store(tab, "Paper Moon")
    client = app.test_client()
    auth = basic("ada@example.com", PASSWORD)
    store_id = client.get("/api/v1/stores", headers=auth).json["data"][0]["id"]
    auth |= {"X-Store-Id": store_id}
    sides = [{"name": name, "width": 85, "height": 55, "bleed": 3} for name in ("Front", "Back")]
    body = {"name": "Business card", "dimensionUnit": "mm", "status": "publish", "sides": sides}
    product = client.post("/api/v1/products", json=body, headers=auth).json
    orders = rendered_orders(client, auth, product, ["5001", "5002", "5003"], redis_url, app_config)

    tab.go(f"/dashboard/stores/{store_id}/production")
    expect(page.locator("#stage-queue")).to_contain_text("Order 5003")
    tab.mark()
    gang = page.locator(f"#gang-{product['id']}")
    gang.get_by_label("Items per sheet").fill("40")
    gang.get_by_role("button", name="Gang on press sheets").click()
    expect(page.locator(f"#gang-{product['id']}")).to_contain_text("at most")  # inline, beside the field
    expect(page.locator("#stage-queue")).to_contain_text("Order 5001")

    page.locator(f"#gang-{product['id']}").get_by_label("Items per sheet").fill("2")
    page.locator(f"#gang-{product['id']}").get_by_role("button", name="Gang on press sheets").click()
    for order in orders:
        expect(page.locator(f"#stage-press #card-{order['id']}")).to_be_visible()
    expect(page.locator("#stage-queue")).not_to_contain_text("Order 500")
    link = page.get_by_role("link", name="Download the sheet PDF")
    expect(link).to_be_visible()
    expect(page.locator(f"#gang-{product['id']}")).to_contain_text("2 sheets, front and back")
    sheet = page.request.get(tab.base + link.get_attribute("href"))
    assert (
        sheet.ok and sheet.headers["content-type"] == "application/pdf" and sheet.body().startswith(b"%PDF")
    )
    assert tab.marked(), "ganging reloaded the page"
    assert tab.errors == [] or all("422" in message for message in tab.errors), tab.errors
