"""The merchant's template editor in Debian's Chromium: the customer's canvas tools work on a
template too, and each layer's "Customer permissions" panel saves its locks and rules quietly or
says at the field, in plain words, why not; the note in the panel says what a customer will meet,
and a customer then meets it."""

import os
import re

from playwright.sync_api import expect

from tests.browser import (
    PHONE,
    layer_item,
    open_template,
    screenshot_dir,
    small_controls,
    violations,
    wait_for_htmx,
)
from tests.factories import wait_until

# What no message to a merchant should read like: the API's field names and pydantic's words.
JARGON = re.compile(r"Field '|rules\.|maxChars|fontId|Input should|validation", re.IGNORECASE)


def said_at(page, field) -> str:
    """The refusal said under `field` (messages.js), once there is one."""
    note = page.locator(f"#{field.get_attribute('id')}-error")
    expect(note).to_be_visible()
    expect(field).to_have_attribute("aria-invalid", "true")
    text = note.inner_text()
    assert not JARGON.search(text), text
    assert not JARGON.search(page.locator("#editor-status").inner_text())
    return text


def drag(page, locator, dx_px: float, dy_px: float) -> None:
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx_px / 2, y + dy_px / 2, steps=4)
    page.mouse.move(x + dx_px, y + dy_px, steps=4)
    page.mouse.up()


def hit_box(page, layer_id: str):
    return page.locator(f'#preview g.layer[data-layer-id="{layer_id}"] rect.hit')


def px_per_mm(page) -> float:
    return page.evaluate("() => document.querySelector('#preview > svg').getScreenCTM().a")


def test_merchant_authors_locks_and_rules_that_a_customer_then_meets(tab, demo, api):
    page = tab.page
    template_id = open_template(tab, demo["store_id"], "Classic")

    page.get_by_role("button", name="Add text").click()
    added = layer_item(page, "Text")
    expect(added).to_have_count(1)
    added.get_by_label("Layer name").fill("Motto")
    wait_until(lambda: "Motto" in [layer.get("name") for layer in api.layers(template_id)])
    layer_id = added.get_attribute("data-layer-id")
    motto = page.locator(f"#layer-{layer_id}")
    motto.locator("summary", has_text="Customer permissions").click()
    note = motto.locator("[data-rules-note]")
    saved = motto.locator("[data-saved]")
    expect(note).to_have_text("A customer may change anything about this layer.")

    motto.get_by_label("Moving").check()
    expect(saved).to_have_text("Saved.")
    expect(note).to_have_text("A customer cannot move, resize or rotate it.")
    wait_until(lambda: api.layer(template_id, "Motto")["locked"]["move"])

    # A limit below the text it already holds ("Your text", 9 characters), then one that is no number.
    most = motto.get_by_label("Most characters")
    most.fill("5")
    assert said_at(page, most) == "The text has 9 characters; this layer takes at most 5"
    expect(saved).to_have_text("")
    # Ticking Required sends the rules again, the limit included: the refusal stays at the limit.
    required = motto.get_by_label("Required")
    required.check()
    expect(page.locator("#editor-status")).to_have_text(
        "The text has 9 characters; this layer takes at most 5"
    )
    expect(required).not_to_have_attribute("aria-invalid", "true")
    said_at(page, most)
    most.fill("0")
    expect(page.locator(f"#{most.get_attribute('id')}-error")).to_have_text(
        "The most characters must be a whole number from 1 to 5000"
    )
    said_at(page, most)
    most.fill("20")
    expect(page.locator(f"#{most.get_attribute('id')}-error")).to_have_count(0)
    expect(saved).to_have_text("Saved.")
    wait_until(lambda: api.layer(template_id, "Motto")["rules"]["maxChars"], 20)

    # Colours: not a colour; then colours without the layer's own (black).
    colours = motto.get_by_label("Colours allowed")
    colours.fill("red")
    assert said_at(page, colours) == "“red” is not a colour: write it as #rrggbb"
    colours.fill("#0b5cad")
    expect(page.locator(f"#{colours.get_attribute('id')}-error")).to_have_text(
        "The layer's colour #000000 is not among its allowed colours (#0b5cad): "
        "allow it too, or change the colour"
    )
    said_at(page, colours)
    # Required, off again, sends the colours too: the refusal stays at the colours.
    required.uncheck()
    expect(required).not_to_have_attribute("aria-invalid", "true")
    said_at(page, colours)
    colours.fill("#000000 #0b5cad")
    expect(page.locator(f"#{colours.get_attribute('id')}-error")).to_have_count(0)
    expect(saved).to_have_text("Saved.")

    # Fonts: only Lora, while the layer is set in Roboto; then Roboto and Lora.
    fonts = motto.get_by_label("Fonts allowed (none chosen: any)")
    fonts.select_option(label="Lora")
    assert said_at(page, fonts) == (
        "The layer's font (Roboto) is not among its allowed fonts: allow it too, or change the font"
    )
    fonts.select_option(label=["Roboto", "Lora"])
    expect(page.locator(f"#{fonts.get_attribute('id')}-error")).to_have_count(0)
    expect(saved).to_have_text("Saved.")
    required.check()
    expect(note).to_have_text(
        "A customer cannot move, resize or rotate it; must fill it in before saving; "
        "can type at most 20 characters; can choose only the fonts Lora or Roboto; "
        "can colour it only the colours #000000 or #0b5cad."
    )
    rules = api.layer(template_id, "Motto")["rules"]
    assert (rules["required"], rules["maxChars"], rules["colors"], len(rules["fonts"])) == (
        True,
        20,
        ["#000000", "#0b5cad"],
        2,
    )

    # A customer starting from the template meets the lock and the limit.
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        customer = context.new_page()
        customer.goto(f"{tab.base}/editor/stores/{demo['store_id']}/products/business-card")
        customer.get_by_role("button", name="Personalize").click()
        customer.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
        wait_for_htmx(customer)
        design_id = customer.url.rsplit("/", 1)[1]
        motto_id = layer_item(customer, "Motto").get_attribute("data-layer-id")
        before = api.layer(design_id, "Motto")["x"]
        drag(customer, hit_box(customer, motto_id), 40, 0)
        expect(customer.locator("#editor-status")).to_have_text("“Motto” is locked: it cannot be moved.")
        assert api.layer(design_id, "Motto")["x"] == before

        text = customer.get_by_label("Motto", exact=True)
        text.fill("")
        text.type("Twenty characters ok", delay=10)
        text.type("!")
        expect(text).to_have_value("Twenty characters ok")
        expect(customer.locator(f"#{text.get_attribute('id')}-error")).to_have_text(
            "This text takes at most 20 characters; that would make 21."
        )
        wait_until(lambda: api.layer(design_id, "Motto")["text"], "Twenty characters ok")
        fonts_offered = layer_item(customer, "Motto").locator(".font-list input[type=radio]")
        expect(fonts_offered).to_have_count(2)  # Roboto and Lora
    finally:
        context.close()
    # The browser logs the refusals (422, the API's answers) as failed loads.
    assert [error for error in tab.errors if "422" not in error] == []


def test_the_canvas_tools_work_on_a_template(tab, demo, api):
    page = tab.page
    template_id = open_template(tab, demo["store_id"], "Classic")
    name_id = layer_item(page, "Name").get_attribute("data-layer-id")
    start = api.layer(template_id, "Name")

    # Drag 10 mm right; Undo puts it back.
    drag(page, hit_box(page, name_id), 10 * px_per_mm(page), 0)
    wait_until(lambda: round(api.layer(template_id, "Name")["x"] - start["x"]), 10)
    page.get_by_role("button", name="Undo").click()
    wait_until(lambda: api.layer(template_id, "Name")["x"], start["x"])

    # The arrow keys move the layer clicked on, 1 mm a press.
    hit_box(page, name_id).click()
    expect(page.locator(f"#s-{name_id}")).to_have_attribute("aria-pressed", "true")
    page.locator("#preview").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    wait_until(lambda: round(api.layer(template_id, "Name")["y"] - start["y"]), 2)

    # A corner handle resizes it.
    corner = page.locator('#preview [data-handle="1,1"]')
    drag(page, corner, 5 * px_per_mm(page), 0)
    wait_until(lambda: round(api.layer(template_id, "Name")["width"] - start["width"]), 5)
    assert tab.errors == []


def test_the_template_editor_on_a_phone_keeps_touch_targets_and_undo_in_reach(tab, demo, tmp_path):
    page = tab.page
    open_template(tab, demo["store_id"], "Classic")
    page.set_viewport_size(PHONE)
    name = layer_item(page, "Name")
    name.locator(".select").click()
    name.locator("summary", has_text="Customer permissions").click()
    expect(name.get_by_label("Most characters")).to_be_visible()
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-template-editor-phone.png"))
    assert small_controls(page) == []
    undo = page.locator("#undo").bounding_box()
    assert undo["y"] >= 0 and undo["y"] + undo["height"] <= PHONE["height"]
    assert tab.errors == []


def test_the_template_editor_with_the_rules_panel_open_has_no_serious_accessibility_violations(
    tab, demo, tmp_path
):
    page = tab.page
    open_template(tab, demo["store_id"], "Classic")
    name = layer_item(page, "Name")
    name.locator("summary", has_text="Customer permissions").click()
    colours = name.get_by_label("Colours allowed")
    colours.fill("red")
    expect(colours).to_have_attribute("aria-invalid", "true")
    found = violations(page)
    shot = os.path.join(screenshot_dir(tmp_path), "presswork-template-permissions.png")
    page.screenshot(path=shot, full_page=True)
    page.set_viewport_size(PHONE)
    name.locator(".select").click()
    found += violations(page)
    assert found == []
    assert [error for error in tab.errors if "422" not in error] == []


def test_merchant_marks_a_layer_with_a_spot_ink_and_takes_it_off(tab, demo, api):
    page = tab.page
    template_id = open_template(tab, demo["store_id"], "Badge")
    message = layer_item(page, "Message")
    message.locator(".select").click()
    message.locator("summary", has_text="Customer permissions").click()
    ink = message.get_by_label("Print on a spot ink plate")
    saved = message.locator("[data-saved]")

    ink.select_option("Foil")
    expect(saved).to_have_text("Saved.")
    wait_until(lambda: api.layer(template_id, "Message")["ink"] == {"name": "Foil", "only": False})
    message.get_by_label("Only in the spot ink (not in colour)").check()
    wait_until(lambda: api.layer(template_id, "Message")["ink"] == {"name": "Foil", "only": True})
    ink.select_option("")
    wait_until(lambda: api.layer(template_id, "Message")["ink"] is None)
    assert tab.errors == []
