"""The strip of sides in Chromium: every side of the project drawn small, a side opened in place
(no page load: a marker on `window` survives) with its address pushed, so Back and Forward work;
the open side's picture is drawn again after an edit; the keyboard does it too."""

import re

from playwright.sync_api import expect

from tests.browser import layer_item, open_product, violations

DESIGN_URL = re.compile(r".*/editor/designs/(des_\w+)$")


def thumbnails_drawn(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.side-strip img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )


def test_the_strip_opens_a_side_in_place_and_back_and_forward_return(tab, demo):
    page = tab.page
    front_id = open_product(tab, demo["store_id"])
    strip = page.get_by_role("navigation", name="Sides")
    expect(strip.get_by_role("link")).to_have_count(2)
    expect(strip.get_by_role("link", name="Front")).to_have_attribute("aria-current", "page")
    thumbnails_drawn(page)
    tab.mark()

    strip.get_by_role("link", name="Back").click()
    page.wait_for_url(lambda url: DESIGN_URL.match(url) and not url.endswith(front_id))
    back_id = page.url.rsplit("/", 1)[1]
    expect(strip.get_by_role("link", name="Back")).to_have_attribute("aria-current", "page")
    expect(strip.get_by_role("link", name="Front")).not_to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=2, name=re.compile("^Back"))).to_be_visible()
    company = page.get_by_label("Company", exact=True)
    expect(company).to_be_visible()
    assert tab.marked(), "switching sides loaded a page"

    # The new side's canvas works: a click on a layer selects it; an edit reaches the server and
    # the strip's picture of this side is drawn again.
    picture = strip.get_by_role("link", name="Back").locator("img")
    drawn_before = picture.get_attribute("src")
    company.fill("Hopper & Co.")
    expect(page.locator("#preview").get_by_role("img", name="Hopper & Co.")).to_have_count(1)
    expect(picture).not_to_have_attribute("src", drawn_before)
    thumbnails_drawn(page)
    assert "Hopper &amp; Co." in page.request.get(picture.evaluate("(img) => img.src")).text()
    panel_id = layer_item(page, "Panel").get_attribute("data-layer-id")
    hit = page.locator(f'#preview g.layer[data-layer-id="{panel_id}"] rect.hit').bounding_box()
    page.mouse.click(hit["x"] + 5, hit["y"] + 5)
    expect(layer_item(page, "Panel").locator(".select")).to_have_attribute("aria-pressed", "true")

    # Back: the front again, still without a page load; Forward: the back, as edited.
    page.go_back()
    page.wait_for_url(re.compile(rf".*/editor/designs/{front_id}$"))
    expect(strip.get_by_role("link", name="Front")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Name", exact=True)).to_be_visible()
    page.go_forward()
    page.wait_for_url(re.compile(rf".*/editor/designs/{back_id}$"))
    expect(page.get_by_label("Company", exact=True)).to_have_value("Hopper & Co.")
    assert tab.marked(), "Back or Forward loaded a page"
    assert tab.errors == []


def test_the_keyboard_opens_a_side_and_stays_on_the_strip(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    strip = page.get_by_role("navigation", name="Sides")
    tab.mark()
    strip.get_by_role("link", name="Back").focus()
    page.keyboard.press("Enter")
    expect(strip.get_by_role("link", name="Back")).to_have_attribute("aria-current", "page")
    expect(strip.get_by_role("link", name="Back")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(strip.get_by_role("link", name="Front")).to_be_focused()
    page.keyboard.press("Enter")
    expect(strip.get_by_role("link", name="Front")).to_have_attribute("aria-current", "page")
    expect(page.get_by_label("Name", exact=True)).to_be_visible()
    assert tab.marked()
    assert tab.errors == []


def test_the_editor_with_the_strip_has_no_serious_accessibility_violations(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    thumbnails_drawn(page)
    found = violations(page)
    page.get_by_role("navigation", name="Sides").get_by_role("link", name="Back").click()
    expect(page.get_by_label("Company", exact=True)).to_be_visible()
    found += violations(page)
    assert found == []
