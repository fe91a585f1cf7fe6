"""Files in a real browser (Debian's Chromium driven by Playwright, the app on a local port): a
merchant uploads a mockup on the Files page, then picks it for a product's side with a design
area, all without a page reload."""

import os

from playwright.sync_api import expect

from tests.browser import add_side, open_new_store, open_section, screenshot_dir, wait_for_htmx
from tests.factories import ZIP

MOCKUP = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
    b'<rect width="400" height="300" fill="#ddd"/><circle cx="200" cy="150" r="100" fill="#89a"/></svg>'
)


def test_merchant_uploads_a_mockup_and_puts_it_on_a_side_without_reloads(tab, tmp_path):
    page = tab.page
    open_new_store(tab, "Files", email="files@example.com")
    expect(page.get_by_role("heading", level=2, name="Upload a file")).to_be_visible()
    expect(page.get_by_text("No files yet")).to_be_visible()
    tab.mark()

    # A file preflight refuses: the reasons show under the file field.
    page.get_by_label("Image, PDF or colour profile").set_input_files(
        files=[{"name": "archive.png", "mimeType": "image/png", "buffer": ZIP}]
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.locator("#file-file-note .error")).to_contain_text("ZIP")
    expect(page.get_by_label("Image, PDF or colour profile")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Image, PDF or colour profile").set_input_files(
        files=[{"name": "mug.svg", "mimeType": "image/svg+xml", "buffer": MOCKUP}]
    )
    page.get_by_label("Used as").select_option("mockup")
    page.get_by_role("button", name="Upload file").click()
    row = page.locator("#file-list li", has_text="mug.svg")
    expect(row).to_contain_text("Mockup")
    expect(row).to_contain_text("400×300 px")
    expect(page.get_by_text("No files yet")).to_be_hidden()
    expect(page.get_by_label("Image, PDF or colour profile")).to_have_value("")
    file_id = row.get_attribute("id").removeprefix("file-")
    assert tab.marked(), "uploading a file reloaded the page"
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-files.png"), full_page=True)

    open_section(tab, "Products")
    page.get_by_label("Product name").fill("Mug")
    page.get_by_label("Unit of sizes").select_option("mm")
    page.get_by_role("button", name="Create product").click()
    page.locator("#product-rows li", has_text="Mug").get_by_role("link", name="Mug").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mug")
    wait_for_htmx(page)
    add_side(page, "Wrap", "200", "90", "2", "4")
    page.locator("#side-rows").get_by_role("link", name="Wrap").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wrap")
    wait_for_htmx(page)
    expect(page.get_by_role("link", name="Upload a mockup on the Files page")).to_be_visible()
    tab.mark()

    page.get_by_label("Mockup image").select_option(file_id)
    page.get_by_label("Design area on the mockup (x, y, width, height in pixels)").fill("50, 60, 300, 135")
    page.get_by_role("button", name="Save side").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_label("Mockup image")).to_have_value(file_id)
    expect(page.locator("#side-diagram svg.mockup-diagram")).to_be_visible()
    assert tab.marked(), "saving the side reloaded the page"
    # The browser logs the refused file (422, answered with the form) as a failed load.
    assert [error for error in tab.errors if "422" not in error] == []
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-side-mockup.png"), full_page=True)
