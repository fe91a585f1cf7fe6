"""Text on the canvas in Chromium: a customer clicks twice (or taps twice, or selects and presses Enter on) a
text layer of the demo business card and types into it in place, over the composer's drawing;
the font picker shows each family in itself, narrows by search and picks bold; swatches set a
colour and remember it; axe finds nothing serious with the typing box or the picker open."""

import re

import pytest
from playwright.sync_api import expect

from designer.accounts.models import Store
from designer.extensions import db
from tests.browser import PHONE, layer_id, layer_item, open_product, violations, wait_for_htmx
from tests.factories import wait_until


def hit_box(page, name: str) -> dict:
    return page.locator(f'#preview g.layer[data-layer-id="{layer_id(page, name)}"] rect.hit').bounding_box()


def drawn_text(page, name: str):
    return page.locator(f'#preview g.layer[data-layer-id="{layer_id(page, name)}"]')


def test_a_customer_types_into_the_name_on_the_canvas(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    box = hit_box(page, "Name")

    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    overlay = page.locator("#text-overlay")
    expect(overlay).to_be_focused()
    expect(overlay).to_have_value("Alex Morgan")
    # Exactly over the layer's box, in the face and at the size the composer drew.
    placed = overlay.bounding_box()
    for key in ("x", "y", "width", "height"):
        assert abs(placed[key] - box[key]) <= 1.5, (key, placed, box)
    drawn = drawn_text(page, "Name")
    font_px = page.evaluate(
        "id => parseFloat(getComputedStyle(document.getElementById(id)).fontSize)", "text-overlay"
    )
    px_per_mm = page.evaluate("() => document.querySelector('#preview > svg').getScreenCTM().a")
    drawn_pt = float(drawn.get_attribute("data-font-size"))
    assert font_px == pytest.approx(drawn_pt * 25.4 / 72 * px_per_mm, rel=0.01)
    assert "presswork " + drawn.get_attribute("data-font-id") in overlay.evaluate("e => e.style.fontFamily")
    # Its own letters are transparent: the composer's drawing shows through.
    assert overlay.evaluate("e => getComputedStyle(e).color") == "rgba(0, 0, 0, 0)"

    # The whole name is selected: typing replaces it, the preview follows keystroke by keystroke.
    page.keyboard.type("Grace Hopper", delay=20)
    expect(page.locator("#preview").get_by_role("img", name="Grace Hopper")).to_have_count(1)
    expect(page.get_by_label("Name", exact=True)).to_have_value("Grace Hopper")
    wait_until(lambda: api.layer(design_id, "Name")["text"] == "Grace Hopper")
    expect(overlay).to_be_focused()

    # A click outside ends it.
    page.get_by_role("heading", level=1).click()
    expect(overlay).to_have_count(0)
    assert tab.errors == []


def test_the_keyboard_alone_types_on_the_canvas(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    select = page.get_by_role("button", name="Title", exact=True)
    select.focus()
    page.keyboard.press("Enter")  # selects the layer
    expect(select).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")  # types into it

    overlay = page.locator("#text-overlay")
    expect(overlay).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(", Paris")
    expect(page.locator("#preview").get_by_role("img", name="Studio Manager, Paris")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(overlay).to_have_count(0)
    expect(select).to_be_focused()
    wait_until(lambda: api.layer(design_id, "Title")["text"] == "Studio Manager, Paris")

    # On the canvas itself: Enter opens the selected layer, Enter in a one-line text ends it.
    page.locator("#preview").focus()
    page.keyboard.press("Enter")
    expect(overlay).to_be_focused()
    page.keyboard.press("Enter")
    expect(overlay).to_have_count(0)
    expect(page.locator("#preview")).to_be_focused()

    # In a text of several lines, Enter starts a new line.
    contact = page.get_by_role("button", name="Contact", exact=True)
    contact.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(overlay).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("studio.example")
    page.keyboard.press("Escape")
    expect(contact).to_be_focused()
    lines = "+44 20 7946 0958\nalex@example.com\nstudio.example"
    wait_until(lambda: api.layer(design_id, "Contact")["text"] == lines)
    expect(page.get_by_label("Contact", exact=True)).to_have_value(lines)
    assert tab.errors == []


def test_a_phone_taps_the_name_and_types(chromium, live_server, demo, api):
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{live_server}/editor/stores/{demo['store_id']}/products/business-card")
        wait_for_htmx(page)
        page.get_by_role("button", name="Personalize").click()
        page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
        wait_for_htmx(page)
        design_id = page.url.rsplit("/", 1)[1]
        box = hit_box(page, "Name")

        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # selects it
        expect(page.locator("#layers > li.layer.selected")).to_have_count(1)
        page.wait_for_timeout(600)  # not a double tap; the phone's sheet has opened and settled
        box = hit_box(page, "Name")
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # types

        overlay = page.locator("#text-overlay")
        expect(overlay).to_be_focused()
        placed = overlay.bounding_box()
        assert abs(placed["x"] - box["x"]) <= 1.5 and abs(placed["width"] - box["width"]) <= 1.5
        page.keyboard.type("Ada Lovelace")
        expect(page.locator("#preview").get_by_role("img", name="Ada Lovelace")).to_have_count(1)
        wait_until(lambda: api.layer(design_id, "Name")["text"] == "Ada Lovelace")
        assert errors == []
    finally:
        context.close()


def test_a_keystroke_waiting_behind_another_edit_is_not_lost(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    box = hit_box(page, "Name")
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#text-overlay")).to_be_focused()
    forward = f"b-{layer_id(page, 'Title')}-forward"

    # Another edit is on its way (the Title brought forward) as a letter is typed: it waits its turn.
    page.evaluate(
        """(forward) => {
            document.getElementById(forward).click();
            const overlay = document.getElementById("text-overlay");
            overlay.value = "Alex Morgan!";
            overlay.dispatchEvent(new InputEvent("input", { bubbles: true, data: "!" }));
        }""",
        forward,
    )

    expect(page.locator("#preview").get_by_role("img", name="Alex Morgan!")).to_have_count(1)
    wait_until(lambda: api.layer(design_id, "Name")["text"] == "Alex Morgan!")
    assert tab.errors == []


def test_the_character_limit_is_refused_on_the_canvas_in_plain_words(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    box = hit_box(page, "Name")
    page.mouse.dblclick(box["x"] + 5, box["y"] + box["height"] / 2)
    overlay = page.locator("#text-overlay")
    expect(overlay).to_be_focused()
    page.keyboard.type("x" * 40)
    expect(page.locator("#preview").get_by_role("img", name="x" * 40)).to_have_count(1)

    page.keyboard.type("y")

    message = "This text takes at most 40 characters; that would make 41."
    expect(page.locator("#text-overlay-note")).to_have_text(message)
    expect(overlay).to_have_attribute("aria-invalid", "true")
    expect(overlay).to_have_value("x" * 40)
    name_item = layer_item(page, "Name")
    expect(name_item.locator(".error")).to_have_text(message)  # the panel's field says the same
    wait_until(lambda: api.layer(design_id, "Name")["text"] == "x" * 40)
    assert tab.errors == []


def test_a_text_locked_against_editing_cannot_be_typed_into(tab, demo, api):
    # The shop locks the card's Title against editing in its template.
    classic = next(item for item in api.call("GET", "/api/v1/templates")["data"] if item["name"] == "Classic")
    title = next(layer for layer in classic["layers"] if layer["name"] == "Title")
    locked = {"move": False, "edit": True, "delete": False}
    api.call("PATCH", f"/api/v1/templates/{classic['id']}/layers/{title['id']}", {"locked": locked})
    page = tab.page
    open_product(tab, demo["store_id"])
    box = hit_box(page, "Title")

    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    expect(page.locator("#text-overlay")).to_have_count(0)
    expect(page.locator("#editor-status")).to_have_text("“Title” is locked: its text cannot be changed.")
    assert tab.errors == []


def test_the_font_picker_shows_each_family_in_itself_finds_one_and_picks_its_bold(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    item = layer_item(page, "Name")
    item.locator("summary").click()
    picker = item.locator("[data-font-picker]")
    # Each family once, its name a picture the server drew in that family.
    montserrat = picker.get_by_role("radio", name="Montserrat")
    expect(montserrat).to_be_checked()
    sample = picker.get_by_role("img", name="Montserrat")
    expect(sample).to_have_attribute("src", re.compile(r"^/api/v1/fonts/fnt_\w+/sample\?storeId=sto_\w+$"))
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=sample.element_handle())
    assert picker.get_by_role("radio", name="Lora").count() == 1  # four faces, one family

    picker.get_by_label("Find a font").fill("lor")
    expect(picker.locator(".font-choice:visible")).to_have_count(1)
    picker.get_by_role("radio", name="Lora").check()
    wait_until(lambda: font_of(api, design_id, "Name") == ("Lora", 400, "normal"))

    bold = picker.get_by_role("button", name="Bold")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "true")
    wait_until(lambda: font_of(api, design_id, "Name") == ("Lora", 700, "normal"))
    expect(drawn_text(page, "Name")).to_have_attribute("data-font-id", api.layer(design_id, "Name")["fontId"])

    # A family without italics says so on its toggle, and the keyboard moves through the families.
    picker.get_by_label("Find a font").fill("")
    picker.get_by_role("radio", name="Oswald").check()
    expect(picker.get_by_role("button", name="Italic")).to_have_attribute("aria-disabled", "true")
    expect(bold).to_have_attribute("aria-pressed", "true")
    wait_until(lambda: font_of(api, design_id, "Name") == ("Oswald", 700, "normal"))
    page.keyboard.press("ArrowUp")
    expect(picker.get_by_role("radio", name="Open Sans")).to_be_checked()
    wait_until(lambda: font_of(api, design_id, "Name") == ("Open Sans", 700, "normal"))
    assert tab.errors == []


def font_of(api, design_id: str, name: str) -> tuple:
    font_id = api.layer(design_id, name).get("fontId")
    if font_id is None:
        return None
    font = api.call("GET", f"/api/v1/fonts/{font_id}")
    return font["family"], font["weight"], font["style"]


def test_a_swatch_sets_the_colour_and_is_offered_again_as_recent(tab, demo, api, app):
    with app.app_context():
        db.session.get(Store, demo["store_id"]).brand_colors = ["#ff6600", "#123456"]
        db.session.commit()
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    item = layer_item(page, "Title")
    item.locator("summary").click()
    colour = item.locator("[data-colour-field]")
    # The template's colours (what its layers use) and the store's brand colours.
    template = colour.get_by_role("group", name="Template colours")
    expect(template.get_by_role("button", name="#0b5cad")).to_be_visible()
    expect(template.get_by_role("button", name="#5b6572")).to_have_attribute("aria-pressed", "true")
    expect(colour.get_by_role("group", name="Recent colours")).to_be_hidden()

    colour.get_by_role("group", name="Store colours").get_by_role("button", name="#ff6600").click()

    wait_until(lambda: api.layer(design_id, "Title")["color"] == "#ff6600")
    expect(drawn_text(page, "Title").locator("g[fill]").first).to_have_attribute("fill", "#ff6600")
    recent = colour.get_by_role("group", name="Recent colours")
    expect(recent.get_by_role("button", name="#ff6600")).to_be_visible()
    # Remembered by this browser: another layer's colour offers it too, after a reload.
    page.reload()
    wait_for_htmx(page)
    name_item = layer_item(page, "Name")
    name_item.locator("summary").click()
    offered = name_item.get_by_role("group", name="Recent colours")
    expect(offered.get_by_role("button", name="#ff6600")).to_be_visible()
    assert tab.errors == []


def test_axe_finds_nothing_serious_with_the_typing_box_or_the_font_picker_open(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    box = hit_box(page, "Name")
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#text-overlay")).to_be_focused()
    found = violations(page)
    page.keyboard.press("Escape")
    item = layer_item(page, "Name")
    item.locator("summary").click()
    item.get_by_label("Find a font").fill("o")
    found += violations(page)
    page.set_viewport_size(PHONE)
    found += violations(page)
    assert found == []
    assert tab.errors == []


def test_a_layer_with_allowed_colours_offers_only_those(tab, demo, api):
    classic = next(item for item in api.call("GET", "/api/v1/templates")["data"] if item["name"] == "Classic")
    title = next(layer for layer in classic["layers"] if layer["name"] == "Title")
    rules = {**title["rules"], "colors": ["#5b6572", "#b5179e"]}
    api.call("PATCH", f"/api/v1/templates/{classic['id']}/layers/{title['id']}", {"rules": rules})
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    item = layer_item(page, "Title")
    item.locator("summary").click()
    colour = item.locator("[data-colour-field]")
    expect(colour.locator(".swatch")).to_have_count(2)
    expect(colour.locator("input[type=color]")).to_have_count(0)

    colour.get_by_role("button", name="#b5179e").click()

    wait_until(lambda: api.layer(design_id, "Title")["color"] == "#b5179e")
    expect(colour.get_by_role("button", name="#b5179e")).to_have_attribute("aria-pressed", "true")
    expect(colour.get_by_role("button", name="#5b6572")).to_have_attribute("aria-pressed", "false")
    assert tab.errors == []


def test_curved_text_is_typed_in_a_box_whose_letters_show(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    item = layer_item(page, "Title")
    item.locator("summary").click()
    item.get_by_label("Curve (°)").fill("40")
    wait_until(lambda: api.layer(design_id, "Title")["curve"] == 40)
    box = hit_box(page, "Title")

    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    overlay = page.locator("#text-overlay")
    expect(overlay).to_have_class(re.compile(r"\bshows-text\b"))
    assert overlay.evaluate("e => getComputedStyle(e).color") != "rgba(0, 0, 0, 0)"
    page.keyboard.type("Founder")
    wait_until(lambda: api.layer(design_id, "Title")["text"] == "Founder")
    assert tab.errors == []


def test_the_font_picker_offers_only_the_fonts_a_layer_allows(tab, demo, api):
    classic = next(item for item in api.call("GET", "/api/v1/templates")["data"] if item["name"] == "Classic")
    title = next(layer for layer in classic["layers"] if layer["name"] == "Title")
    allowed = [
        font["id"]
        for family in ("Roboto", "Lora")
        for font in api.call("GET", f"/api/v1/fonts?family={family}")["data"]
        if font["style"] == "normal"
    ]
    rules = {**title["rules"], "fonts": allowed}
    api.call("PATCH", f"/api/v1/templates/{classic['id']}/layers/{title['id']}", {"rules": rules})
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    item = layer_item(page, "Title")
    item.locator("summary").click()
    picker = item.locator("[data-font-picker]")

    expect(picker.get_by_role("radio")).to_have_count(2)
    picker.get_by_role("radio", name="Lora").check()
    wait_until(lambda: font_of(api, design_id, "Title") == ("Lora", 400, "normal"))
    # The allowed faces are upright only: Italic has nothing to pick.
    expect(picker.get_by_role("button", name="Italic")).to_have_attribute("aria-disabled", "true")
    assert tab.errors == []
