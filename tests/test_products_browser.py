"""Products in a real browser (Debian's Chromium driven by Playwright, the app on a local port): a
merchant creates a product with two sides, meets the safe-zone rule inline, fixes it, and edits a
side while its diagram redraws, all without a page reload."""

import os

from playwright.sync_api import expect

from tests.browser import PHONE, add_side, open_new_store, screenshot_dir, wait_for_htmx


def test_merchant_creates_a_product_with_two_sides_and_edits_one_without_reloads(tab, tmp_path):
    page = tab.page
    open_new_store(tab, "Products")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Products")
    expect(page.get_by_text("No products yet")).to_be_visible()

    tab.mark()
    page.get_by_label("Product name").fill("Business card")
    page.get_by_label("Unit of sizes").select_option("mm")
    page.get_by_role("button", name="Create product").click()
    row = page.locator("#product-rows li", has_text="Business card")
    expect(row).to_contain_text("business-card")
    expect(page.get_by_text("No products yet")).to_be_hidden()
    expect(page.get_by_label("Product name")).to_have_value("")
    page.get_by_label("Search").fill("nothing like it")
    expect(page.get_by_text("No products match.")).to_be_visible()
    page.get_by_label("Search").fill("business")
    expect(row).to_be_visible()
    assert tab.marked(), "creating or searching products reloaded the page"

    row.get_by_role("link", name="Business card").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Business card")
    wait_for_htmx(page)
    tab.mark()

    add_side(page, "Front", "85", "55", "3", "30")
    safe_zone = page.locator("form[aria-labelledby=new-side-title]").get_by_label("Safe zone (mm)")
    expect(safe_zone).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new-side-safeZone-note")).to_contain_text("leaves no room")
    expect(page.get_by_label("Side name")).to_have_value("Front")
    safe_zone.fill("4")
    page.locator("form[aria-labelledby=new-side-title]").get_by_role("button", name="Add side").click()
    expect(page.locator("#side-rows li", has_text="Front")).to_contain_text("85 × 55 mm")
    add_side(page, "Back", "85", "55", "3", "4")
    expect(page.locator("#side-rows li", has_text="Back")).to_be_visible()
    expect(page.locator("#side-rows li:not(.empty)")).to_have_count(2)
    assert tab.marked(), "adding sides reloaded the page"
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-product.png"), full_page=True)

    page.locator("#side-rows").get_by_role("link", name="Front").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front")
    wait_for_htmx(page)
    diagram = page.locator("#side-diagram svg.side-diagram")
    expect(diagram).to_have_attribute("data-width-mm", "85")
    expect(diagram.locator("desc")).to_have_text(
        "Trim 85 × 55 mm, bleed 3 mm on each edge, safe zone 4 mm inside the trim, cut line on the trim."
    )
    tab.mark()

    page.get_by_label("Safe zone (mm)", exact=True).fill("30")
    page.get_by_role("button", name="Save side").click()
    expect(page.locator("#side-safeZone-note")).to_contain_text("leaves no room")
    expect(diagram).to_have_attribute("data-safe-zone-mm", "4")

    page.get_by_label("Safe zone (mm)", exact=True).fill("6")
    page.get_by_label("Trim width (mm)").fill("90")
    page.get_by_label("Name", exact=True).fill("Front face")
    page.get_by_role("button", name="Save side").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    diagram = page.locator("#side-diagram svg.side-diagram")
    expect(diagram).to_have_attribute("data-width-mm", "90")
    expect(diagram).to_have_attribute("data-safe-zone-mm", "6")
    expect(diagram.locator("title")).to_have_text("Front face: 90 × 55 mm")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Front face")
    assert tab.marked(), "saving the side reloaded the page"
    # The browser logs the refused safe zones (422, answered with the form) as failed loads.
    assert [error for error in tab.errors if "422" not in error] == []
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-side-editor.png"), full_page=True)

    page.set_viewport_size(PHONE)
    expect(diagram).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the side editor scrolls sideways on a phone ({width}px)"


def test_merchant_files_categories_and_renames_one_in_place(tab, tmp_path):
    page = tab.page
    open_new_store(tab, "Categories", email="cat@example.com")
    tab.mark()

    for name in ("Weddings", "Birthdays"):
        page.get_by_label("Category name").fill(name)
        page.get_by_role("button", name="Create category").click()
        expect(page.locator("#category-rows li", has_text=name)).to_be_visible()
    row = page.locator("#category-rows li", has_text="Weddings")
    row.get_by_text("Edit").click()
    row.get_by_label("Slug").fill("Not A Slug")
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_label("Slug")).to_have_attribute("aria-invalid", "true")
    row.get_by_label("Name").fill("Weddings & engagements")
    row.get_by_label("Slug").fill("weddings")
    row.get_by_role("button", name="Save").click()
    expect(row.locator(".name")).to_have_text("Weddings & engagements")
    page.get_by_role("button", name="Delete category Birthdays").click()
    expect(page.locator("#category-rows li", has_text="Birthdays")).to_have_count(0)
    assert tab.marked(), "editing categories reloaded the page"
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-categories.png"), full_page=True)
