"""The editor in a real browser (Debian's Chromium driven by Playwright, the app on a local port,
a real RQ worker for the proofs): a customer personalizes the demo business card front and back,
the keyboard alone does it too, a phone-sized screen fits it, and the merchant authors a template
with a locked layer and moves a mockup's design area."""

import io
import os
import re
import subprocess
import sys

import pikepdf
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import PHONE, layer_item, open_product, open_template, screenshot_dir, wait_for_htmx
from tests.factories import wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def hit_box(page, layer_id: str) -> dict:
    box = page.locator(f'#preview g.layer[data-layer-id="{layer_id}"] rect.hit').bounding_box()
    assert box, f"no hit box for {layer_id}"
    return box


def drag(page, box: dict, dx_px: float, dy_px: float) -> None:
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx_px / 2, y + dy_px / 2, steps=4)
    page.mouse.move(x + dx_px, y + dy_px, steps=4)
    page.mouse.up()


def px_per_mm(page) -> float:
    return page.evaluate("() => document.querySelector('#preview > svg').getScreenCTM().a")


def photo(path, width_px: int, height_px: int) -> str:
    image = Image.new("RGB", (width_px, height_px), (200, 120, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    path.write_bytes(buffer.getvalue())
    return str(path)


def run_worker_until_idle(redis_url: str, app_config: dict) -> None:
    """A real RQ worker on the live server's Redis and database, until the queues are empty."""
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    subprocess.run([sys.executable, "-m", "worker", "--burst"], cwd=ROOT, env=env, check=True, timeout=120)


def test_customer_personalizes_the_business_card_and_sees_the_proof(
    tab,
    demo,
    api,
    redis_url,
    app_config,
    tmp_path,
):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Personalize Business card")
    expect(page.locator("#preview > svg.composition")).to_be_visible()
    tab.mark()

    # Typing a name updates the preview as it goes (debounced), the field keeps its focus.
    name = page.get_by_label("Name", exact=True)
    name.fill("")
    name.type("Grace Hopper", delay=30)
    expect(page.locator("#preview").get_by_role("img", name="Grace Hopper")).to_have_count(1)
    expect(name).to_be_focused()
    expect(name).to_have_value("Grace Hopper")
    assert api.layer(design_id, "Name")["text"] == "Grace Hopper"

    # A font from the store's library.
    name_item = layer_item(page, "Name")
    name_item.locator("summary").click()
    name_item.get_by_role("radio", name="Lora").check()
    wait_until(lambda: api.layer(design_id, "Name").get("fontId") is not None)
    lora = api.layer(design_id, "Name")["fontId"]
    expect(name_item.locator("input[name=fontId]")).to_have_value(lora)

    # A photo: uploaded, preflighted (a small one is flagged inline), placed as a new layer.
    page.get_by_label("Add a photo").set_input_files(photo(tmp_path / "portrait.jpg", 120, 80))
    expect(page.locator("#add-photo-note")).to_contain_text("portrait.jpg uploaded")
    expect(page.locator("#layers > li.layer-image")).to_have_count(1)
    expect(page.locator("#warnings li[data-code=low_dpi]")).to_have_count(1)
    page.get_by_role("button", name="Delete “Photo”").click()
    expect(page.locator("#layers > li.layer-image")).to_have_count(0)

    # Drag the title 10 mm right and 5 mm down; undo puts it back.
    title_id = layer_item(page, "Title").get_attribute("data-layer-id")
    scale = px_per_mm(page)
    drag(page, hit_box(page, title_id), 10 * scale, 5 * scale)
    wait_until(lambda: round(api.layer(design_id, "Title")["x"]), 22)
    assert round(api.layer(design_id, "Title")["y"]) == 29
    expect(page.locator(f"#f-{title_id}-x")).to_have_value(re.compile(r"^2[12]\.\d+$|^22$"))
    page.get_by_role("button", name="Undo").click()
    wait_until(lambda: api.layer(design_id, "Title")["x"], 12)
    expect(page.locator(f"#f-{title_id}-x")).to_have_value("12.0")

    # The accent bar is locked: dragging it says so and moves nothing.
    bar_id = layer_item(page, "Accent bar").get_attribute("data-layer-id")
    drag(page, hit_box(page, bar_id), 20 * scale, 0)
    expect(page.locator("#editor-status")).to_have_text("“Accent bar” is locked: it cannot be moved.")
    assert api.layer(design_id, "Accent bar")["x"] == -3  # where the template puts it, into the bleed
    assert tab.marked(), "an edit reloaded the page"
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-editor-front.png"), full_page=True)

    # The back side.
    # The strip of sides opens it in place (no page load) and pushes its address.
    page.get_by_role("navigation", name="Sides").get_by_role("link", name="Back").click()
    page.wait_for_url(re.compile(rf".*/editor/designs/(?!{design_id}$)des_\w+$"))
    assert tab.marked(), "opening the back loaded a page"
    company = page.get_by_label("Company", exact=True)
    company.fill("Hopper & Co.")
    expect(page.locator("#preview").get_by_role("img", name="Hopper & Co.")).to_have_count(1)

    # Save: both sides are completed, and the worker's proofs and print-ready PDF appear.
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#save-result")).to_contain_text("Saved.")
    expect(page.locator("#save-result progress")).to_have_count(3)  # two proofs, one PDF
    run_worker_until_idle(redis_url, app_config)
    expect(page.get_by_role("img", name="Proof of the Front side, as it will print")).to_be_visible(
        timeout=15_000
    )
    expect(page.get_by_role("img", name="Proof of the Back side, as it will print")).to_be_visible(
        timeout=15_000
    )
    download_link = page.get_by_role("link", name="Download the print-ready PDF")
    expect(download_link).to_be_visible(timeout=15_000)
    with page.expect_download() as download:
        download_link.click()
    with pikepdf.open(download.value.path()) as pdf:
        assert len(pdf.pages) == 2
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-editor-saved.png"), full_page=True)
    assert tab.errors == []


def test_saving_with_an_empty_required_name_is_refused_with_the_reason(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    name = page.get_by_label("Name", exact=True)
    name.fill("")
    expect(page.locator("#warnings li.blocking")).to_have_count(1)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#save-result .error")).to_be_visible()
    expect(page.locator("#save-result")).to_contain_text("Name")
    # The browser logs the refusal (422, the API's answer) as a failed load; it is no error of the page.
    assert [error for error in tab.errors if "422" not in error] == []


def test_keyboard_alone_edits_moves_and_undoes(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    title_id = layer_item(page, "Title").get_attribute("data-layer-id")

    def tab_to(element_id: str, presses: int = 60) -> None:
        for _ in range(presses):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == element_id:
                return
        pytest.fail(f"Tab never reached #{element_id}")

    tab_to(f"f-{layer_item(page, 'Name').get_attribute('data-layer-id')}-text")
    page.keyboard.press("Control+A")
    page.keyboard.type("Ada Lovelace")
    expect(page.locator("#preview").get_by_role("img", name="Ada Lovelace")).to_have_count(1)

    tab_to(f"s-{title_id}")
    page.keyboard.press("Enter")
    expect(page.locator(f"#s-{title_id}")).to_have_attribute("aria-pressed", "true")
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "Shift+ArrowDown"):
        page.keyboard.press(key)
    wait_until(lambda: (api.layer(design_id, "Title")["x"], api.layer(design_id, "Title")["y"]), (15, 34))
    expect(page.locator(f"#s-{title_id}")).to_be_focused()
    page.keyboard.press("Control+Z")
    wait_until(lambda: api.layer(design_id, "Title")["x"], 12)
    assert api.layer(design_id, "Name")["text"] == "Ada Lovelace"
    assert tab.errors == []


def test_the_editor_fits_a_phone_screen(tab, demo, tmp_path):
    page = tab.page
    page.set_viewport_size(PHONE)
    open_product(tab, demo["store_id"])
    expect(page.locator("#preview > svg")).to_be_visible()
    name = page.get_by_label("Name", exact=True)
    name.fill("Grace")
    expect(page.locator("#preview").get_by_role("img", name="Grace")).to_have_count(1)
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the editor scrolls sideways by {overflow}px at {PHONE['width']}px"
    preview_width = page.locator("#preview > svg").bounding_box()["width"]
    assert preview_width >= PHONE["width"] * 0.7, preview_width
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-editor-phone.png"), full_page=True)
    assert tab.errors == []


def test_merchant_authors_a_template_with_a_locked_layer_that_customers_cannot_move(tab, demo, api):
    page = tab.page
    template_id = open_template(tab, demo["store_id"], "Classic")
    tab.mark()

    page.get_by_role("button", name="Add text").click()
    added = layer_item(page, "Text")
    expect(added).to_have_count(1)
    added.get_by_label("Layer name").fill("Tagline")
    wait_until(
        lambda: (
            "Tagline"
            in [layer.get("name") for layer in api.get(f"/api/v1/templates/{template_id}")["layers"]]
        )
    )
    added.locator("summary", has_text="Customer permissions").click()
    added.get_by_label("Moving").check()
    wait_until(lambda: api.layer(template_id, "Tagline")["locked"]["move"])
    added.get_by_label("Most characters").fill("20")
    wait_until(lambda: api.layer(template_id, "Tagline")["rules"]["maxChars"], 20)
    # A refused edit is shown beside its field, and cleared by the next good one.
    colours = added.get_by_label("Colours allowed", exact=False)
    colours.fill("red")
    expect(colours).to_have_attribute("aria-invalid", "true")
    note = page.locator(f"#{colours.get_attribute('id')}-error")
    expect(note).to_have_text("“red” is not a colour: write it as #rrggbb")
    colours.fill("#000000 #0b5cad")
    expect(note).to_have_count(0)
    expect(colours).not_to_have_attribute("aria-invalid", "true")
    wait_until(lambda: api.layer(template_id, "Tagline")["rules"]["colors"], ["#000000", "#0b5cad"])
    assert api.layer(template_id, "Tagline")["locked"] == {
        "move": True,
        "edit": False,
        "delete": False,
    }
    assert tab.marked()

    # A customer starting from the template finds the layer locked in place.
    customer = tab.page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        other = customer.new_page()
        other.goto(f"{tab.base}/editor/stores/{demo['store_id']}/products/business-card")
        other.get_by_role("button", name="Personalize").click()
        other.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
        wait_for_htmx(other)
        design_id = other.url.rsplit("/", 1)[1]
        tagline_id = layer_item(other, "Tagline").get_attribute("data-layer-id")
        before = api.layer(design_id, "Tagline")["x"]
        drag(other, hit_box(other, tagline_id), 40, 0)
        expect(other.locator("#editor-status")).to_have_text("“Tagline” is locked: it cannot be moved.")
        assert api.layer(design_id, "Tagline")["x"] == before
        expect(other.get_by_label("Tagline", exact=True)).to_have_attribute("maxlength", "20")
    finally:
        customer.close()
    # The browser logs the refused colours (422, the API's answer) as a failed load.
    assert [error for error in tab.errors if "422" not in error] == []


def test_merchant_moves_the_design_area_on_a_mockup(tab, demo, api, tmp_path):
    page = tab.page
    open_template(tab, demo["store_id"], "Big words")
    mug = api.get("/api/v1/products/mug-wrap")["sides"][0]
    assert mug["designArea"]["x"] == 200
    left = page.get_by_label("Left (px)")
    left.fill("220")
    page.evaluate("() => { document.querySelector('#preview > svg').dataset.before = 'yes'; }")
    page.get_by_role("button", name="Save design area").click()
    expect(page.locator("#design-area-note")).to_have_text("Design area saved.")
    # The preview is drawn again with the mockup in its new place.
    expect(page.locator("#preview > svg[data-before]")).to_have_count(0)
    assert api.get("/api/v1/products/mug-wrap")["sides"][0]["designArea"]["x"] == 220

    # Dragging the outline's corner grip 10 mm right moves the area 35 px (700 px span 200 mm).
    grip = page.locator('#preview [data-design-area="move"]')
    expect(grip).to_have_count(1)
    drag(page, grip.bounding_box(), 10 * px_per_mm(page), 0)
    wait_until(lambda: abs(api.get("/api/v1/products/mug-wrap")["sides"][0]["designArea"]["x"] - 255) <= 1)
    expect(left).to_have_value(re.compile(r"^25[456]$"))
    page.screenshot(
        path=os.path.join(screenshot_dir(tmp_path), "presswork-template-editor.png"), full_page=True
    )
    assert tab.errors == []


def test_customer_adds_clipart_and_a_shape_then_resizes_rotates_restacks_and_resets(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    tab.mark()

    page.get_by_text("Add clipart from the library").click()
    page.get_by_role("button", name="Star").click()
    star = layer_item(page, "Star")
    expect(star).to_have_count(1)
    star_id = star.get_attribute("data-layer-id")
    expect(page.locator(f'#preview g.layer[data-layer-id="{star_id}"]')).to_have_count(1)

    page.get_by_label("Shape", exact=True).select_option("ellipse")
    page.get_by_role("button", name="Add shape").click()
    expect(layer_item(page, "Shape")).to_have_count(1)
    shapes = [
        layer for layer in api.get(f"/api/v1/designs/{design_id}")["layers"] if layer["type"] == "shape"
    ]
    assert [shape["shape"] for shape in shapes] == ["rect", "ellipse"]

    # Resize the star from its bottom-right corner, then rotate it with the knob.
    page.locator(f"#s-{star_id}").click()
    before = api.layer(design_id, "Star")
    scale = px_per_mm(page)
    corner = page.locator('#preview g.pw-selection [data-handle="1,1"]').bounding_box()
    drag(page, corner, 5 * scale, 5 * scale)
    wait_until(lambda: api.layer(design_id, "Star")["width"] > before["width"] + 3)
    # The answer redrew the preview and the panel: the knob is where the new outline puts it.
    expect(page.locator(f"#f-{star_id}-width")).not_to_have_value(str(round(before["width"], 2)))
    knob = page.locator('#preview g.pw-selection [data-handle="rotate"]').bounding_box()
    star_box = hit_box(page, star_id)
    # From above the centre to its right: a quarter turn clockwise.
    centre_x = star_box["x"] + star_box["width"] / 2
    dx = centre_x + 30 * scale - (knob["x"] + knob["width"] / 2)
    dy = star_box["y"] + star_box["height"] / 2 - (knob["y"] + knob["height"] / 2)
    drag(page, knob, dx, dy)
    wait_until(lambda: round(api.layer(design_id, "Star")["rotation"]), 90)

    # Send the star backward, delete the ellipse, then start again from the template.
    z_before = api.layer(design_id, "Star")["z"]
    page.get_by_role("button", name="Send “Star” backward").click()
    wait_until(lambda: api.layer(design_id, "Star")["z"] < z_before)
    page.get_by_role("button", name="Delete “Shape”").click()
    expect(layer_item(page, "Shape")).to_have_count(0)
    page.get_by_role("button", name="Reset to template").click()
    expect(layer_item(page, "Star")).to_have_count(0)
    assert [layer["name"] for layer in api.get(f"/api/v1/designs/{design_id}")["layers"]] == [
        "Accent bar",
        "Name",
        "Title",
        "Contact",
    ]
    page.get_by_role("button", name="Undo").click()
    expect(layer_item(page, "Star")).to_have_count(1)
    assert tab.marked()
    assert tab.errors == []
