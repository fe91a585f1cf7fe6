"""Accessibility scans with axe-core (the npm package, injected into the page) in Debian's
Chromium: the editor and the dashboard's pages have no serious or critical violations."""

import re

from tests.browser import PHONE, log_in_as_demo, violations, wait_for_htmx


def scan(browser_tab, path: str) -> list[str]:
    browser_tab.go(path)
    return [f"{path}: {line}" for line in violations(browser_tab.page)]


def test_the_editor_has_no_serious_accessibility_violations(tab, demo):
    page = tab.page
    tab.go(f"/editor/stores/{demo['store_id']}/products/business-card")
    found = violations(page)
    page.get_by_role("button", name="Personalize").click()
    page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
    wait_for_htmx(page)
    # With a layer selected and its style panel open, as a customer works.
    page.locator("#layers > li.layer").first.locator(".select").click()
    page.locator("#layers > li.layer details").first.locator("summary").click()
    page.locator("#clipart-picker summary").click()
    found += violations(page)
    page.set_viewport_size(PHONE)
    found += violations(page)
    assert found == []
    assert tab.errors == []


def test_the_dashboard_and_the_template_editor_have_no_serious_accessibility_violations(tab, demo):
    page = tab.page
    found = scan(tab, "/login") + scan(tab, "/signup")
    log_in_as_demo(tab)
    store = f"/dashboard/stores/{demo['store_id']}"
    for path in (
        "/dashboard/",
        store,
        f"{store}/products",
        f"{store}/categories",
        f"{store}/templates",
        f"{store}/fonts",
        f"{store}/clipart",
        f"{store}/files",
        f"{store}/projects",
        f"{store}/batches",
    ):
        found += scan(tab, path)
    tab.go(f"{store}/products")
    page.locator("#product-rows").get_by_role("link", name="Business card").click()
    wait_for_htmx(page)
    found += [f"product page: {line}" for line in violations(page)]
    page.locator("#side-rows").get_by_role("link", name="Front").click()
    wait_for_htmx(page)
    found += [f"side page: {line}" for line in violations(page)]
    tab.go(f"{store}/templates")
    page.get_by_role("link", name="Edit in editor: “Big words”").click()
    wait_for_htmx(page)
    page.locator("#layers > li.layer details").first.locator("summary").click()
    found += [f"template editor: {line}" for line in violations(page)]
    assert found == []
    assert tab.errors == []
