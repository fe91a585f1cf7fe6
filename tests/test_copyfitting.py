"""Copyfitting (issue 13, item 4): template text shrinks to fit its box unless the merchant turns it
off, the preview outlines every text box and draws text that still does not fit in red with the
reason beside it (print carries none of it), and a template composed for its merchant warns of a
character limit its box cannot hold. The composer alone, through the API, on the demo catalog, and
in Chromium as a customer types."""

import os
import re
import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from designer.composer.layers import dump_layers, load_layers
from designer.composer.text import typical_text
from designer.editing.assets import compose_from_store as compose
from designer.editing.service import compose_design
from designer.extensions import db
from designer.templates.models import Template
from designer.tenancy import in_store
from tests.browser import layer_item, screenshot_dir, wait_for_htmx
from tests.factories import (
    bearer,
    created_design,
    layer_named,
    layers,
    make_side,
    patch_layer,
    storefront,
    text_layer,
)

SVG = "{http://www.w3.org/2000/svg}"
RED = "#d0021b"
# Too long for a 60 mm box even at 4 pt, and one word, so it cannot wrap.
UNBREAKABLE = "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft" * 2


@pytest.fixture
def context(app):
    with app.app_context():
        yield


@pytest.fixture
def side(client, merchant, context):
    return make_side(client, merchant)


def marks_of(svg: str) -> ET.Element | None:
    return ET.fromstring(svg).find(f"{SVG}g[@class='layer-marks']")


def glyph_fill(svg: str, layer_id: str) -> str:
    group = ET.fromstring(svg).find(f".//{SVG}g[@data-layer-id='{layer_id}']")
    return group.find(f"{SVG}g[@fill]").get("fill")


def codes(composition) -> list[str]:
    return [item.code for item in composition.problems]


# The default


def test_a_new_text_layer_shrinks_to_fit_its_box_by_default(side, merchant):
    [layer] = layers(text_layer("Alexandra Montgomery-Smythe", fontSize=24, width=50, height=10))
    assert layer.auto_fit is True

    composition = compose(merchant.store_id, side, [layer], mode="print")
    assert composition.problems == []
    group = ET.fromstring(composition.svg).find(f".//{SVG}g[@data-layer-id='{layer.id}']")
    assert 4 <= float(group.get("data-font-size")) < 24


def test_stored_layers_keep_the_auto_fit_they_were_stored_with(side, merchant):
    [turned_off] = layers(
        text_layer("Alexandra Montgomery-Smythe", fontSize=24, width=50, height=10, autoFit=False)
    )
    stored = dump_layers([turned_off])
    # Every stored layer carries the field: one stored before the default changed reads back as it was.
    assert stored[0]["autoFit"] is False
    assert load_layers(stored)[0].auto_fit is False
    composition = compose(merchant.store_id, side, load_layers(stored), mode="print")
    assert codes(composition) == ["text_overflow"]
    assert composition.problems[0].message.endswith(
        "does not fit its box at this size: shorten the text or enlarge the box"
    )


# The preview's marks


def test_the_preview_outlines_every_text_box_and_print_does_not(side, merchant):
    stack = layers(
        text_layer("Ada Lovelace", id="lyr_name"),
        text_layer("", id="lyr_empty", y=35, height=8),
        {"type": "shape", "shape": "rect", "x": 0, "y": 0, "width": 10, "height": 10, "fill": "#112233"},
    )
    preview = compose(merchant.store_id, side, stack, mode="preview")
    marks = marks_of(preview.svg)
    assert marks.get("aria-hidden") == "true" and marks.get("pointer-events") == "none"
    outlined = [group.get("data-marks-for") for group in marks.findall(f"{SVG}g")]
    assert outlined == ["lyr_name", "lyr_empty"]
    [under, dashes] = marks.find(f"{SVG}g[@data-marks-for='lyr_name']").findall(f"{SVG}rect")
    assert (dashes.get("x"), dashes.get("y"), dashes.get("width"), dashes.get("height")) == (
        "10",
        "10",
        "60",
        "20",
    )
    assert dashes.get("stroke-dasharray") and under.get("stroke") == "#ffffff"
    assert marks.find(f".//{SVG}text") is None
    assert glyph_fill(preview.svg, "lyr_name") == "#000000"

    printed = compose(merchant.store_id, side, stack, mode="print")
    assert marks_of(printed.svg) is None and "text-box" not in printed.svg


def test_text_that_does_not_fit_shows_red_in_the_preview_with_the_reason_beside_it(side, merchant):
    stack = layers(text_layer(UNBREAKABLE, id="lyr_long", color="#102a43"))
    preview = compose(merchant.store_id, side, stack, mode="preview")

    assert codes(preview) == ["text_overflow"] and preview.blocking
    assert glyph_fill(preview.svg, "lyr_long") == RED
    marks = marks_of(preview.svg).find(f"{SVG}g[@data-marks-for='lyr_long']")
    [box, tag] = marks.findall(f"{SVG}rect")
    assert box.get("stroke") == RED and "problem" in box.get("class")
    reason = marks.find(f"{SVG}text")
    assert reason.text == "Does not fit its box even at 4 pt"
    assert (tag.get("class"), tag.get("fill"), reason.get("fill")) == ("problem-tag", RED, "#ffffff")
    # Beside the box: a tag just below it (the box ends at 30 mm, the card at 55), from its left edge.
    assert 30 < float(tag.get("y")) < 31 and float(tag.get("x")) == 10
    assert float(tag.get("y")) < float(reason.get("y")) < float(tag.get("y")) + float(tag.get("height"))

    # What prints is the text in its own colour, with no mark: such a design never prints anyway,
    # but the preview's red must never reach a PDF.
    printed = compose(merchant.store_id, side, stack, mode="print")
    assert glyph_fill(printed.svg, "lyr_long") == "#102a43"
    assert RED not in printed.svg and "problem-reason" not in printed.svg


def test_every_problem_that_would_stop_save_is_marked_on_the_canvas_where_it_is(side, merchant):
    stack = layers(
        text_layer("", id="lyr_name", rules={"required": True}),
        {
            "type": "image",
            "id": "lyr_photo",
            "x": 5,
            "y": 30,
            "width": 20,
            "height": 20,
            "rules": {"required": True},
        },
        {
            "type": "image",
            "id": "lyr_gone",
            "fileId": "fil_gone",
            "x": 30,
            "y": 30,
            "width": 20,
            "height": 20,
        },
        {"type": "shape", "id": "lyr_fine", "shape": "rect", "x": 60, "y": 30, "width": 10, "height": 10},
    )
    preview = compose(merchant.store_id, side, stack, mode="preview")

    marks = marks_of(preview.svg)
    reasons = {
        group.get("data-marks-for"): group.find(f"{SVG}text").text
        for group in marks.findall(f"{SVG}g")
        if group.find(f"{SVG}text") is not None
    }
    assert reasons == {
        "lyr_name": "Required: type here",
        "lyr_photo": "Required: add a photo",
        "lyr_gone": "Its photo is gone: choose another",
    }
    blocked = {item.layer_id for item in preview.blocking}
    assert blocked == set(reasons)  # every blocking problem has its mark, and only those
    printed = compose(merchant.store_id, side, stack, mode="print")
    assert "layer-marks" not in printed.svg


def test_the_reason_goes_above_a_box_at_the_bottom_and_turns_with_the_layer(side, merchant):
    stack = layers(text_layer(UNBREAKABLE, id="lyr_low", y=50, height=8, rotation=10))
    marks = marks_of(compose(merchant.store_id, side, stack, mode="preview").svg)
    group = marks.find(f"{SVG}g[@data-marks-for='lyr_low']")
    assert group.get("transform") == "rotate(10 40 54)"
    tag = group.find(f"{SVG}rect[@class='problem-tag']")
    assert float(tag.get("y")) + float(tag.get("height")) < 50


def test_a_layer_without_auto_fit_is_judged_at_its_own_size(side, merchant):
    stack = layers(
        text_layer(
            "Alexandra Montgomery-Smythe", id="lyr_fixed", fontSize=24, width=50, height=10, autoFit=False
        )
    )
    reason = marks_of(compose(merchant.store_id, side, stack, mode="preview").svg).find(f".//{SVG}text")
    assert reason.text == "Does not fit its box at this size"


# How many characters a box holds


def test_typical_text_is_words_of_five_letters_never_ending_in_a_space():
    assert typical_text(17) == "Hambu Rgefo Nstiv"
    assert typical_text(12, capitals=True) == "HAMBU RGEFON"
    for length in range(0, 40):
        sample = typical_text(length)
        assert len(sample) == length and not sample.endswith(" ")


def test_a_template_for_its_merchant_warns_when_the_character_limit_cannot_fit(side, merchant):
    # 30 characters in a 20 mm box two lines high with shrinking off: about a dozen fit at 12 pt.
    tight = text_layer(
        "Morgan & Co.",
        id="lyr_company",
        name="Company",
        width=20,
        height=12,
        autoFit=False,
        rules={"maxChars": 30},
    )
    composition = compose(merchant.store_id, side, layers(tight), mode="preview", for_merchant=True)
    [warning] = composition.problems
    assert (warning.code, warning.blocking, warning.layer_id) == (
        "max_chars_do_not_fit",
        False,
        "lyr_company",
    )
    fitting = int(re.search(r"only about (\d+) fit", warning.message).group(1))
    assert 5 < fitting < 30
    assert warning.message == (
        f"“Company” allows 30 characters, but only about {fitting} fit its box at its size: "
        "enlarge the box or lower the most characters, or let the text shrink to fit"
    )
    # The count is what fits: that many typical characters fit the box, one more does not.
    for count, fits in ((fitting, True), (fitting + 1, False)):
        typed = tight | {"text": typical_text(count), "rules": {}}
        assert (compose(merchant.store_id, side, layers(typed), mode="print").problems == []) is fits

    # Shrinking to 4 pt, the same box holds them all; a customer's design is never warned.
    shrinking = tight | {"autoFit": True}
    assert (
        compose(merchant.store_id, side, layers(shrinking), mode="preview", for_merchant=True).problems == []
    )
    assert compose(merchant.store_id, side, layers(tight), mode="preview").problems == []


def test_a_limit_that_cannot_fit_even_at_the_smallest_size_says_so(side, merchant):
    tiny = text_layer("AB", name="Initials", width=5, height=3, rules={"maxChars": 40})
    [warning] = compose(merchant.store_id, side, layers(tiny), mode="print", for_merchant=True).problems
    assert warning.code == "max_chars_do_not_fit"
    assert "fit its box even at 4 pt: enlarge the box or lower the most characters" in warning.message


# Through the API


def test_a_templates_layer_whose_limit_its_box_cannot_hold_is_warned_through_the_api(
    client, merchant, product
):
    company = {
        "type": "text",
        "name": "Company",
        "text": "Morgan & Co.",
        "fontFamily": "Roboto",
        "x": 10,
        "y": 10,
        "width": 40,
        "height": 8,
        "fontSize": 12,
        "autoFit": False,
        "rules": {"maxChars": 30},
    }
    side_id = product["sides"][0]["id"]
    created = client.post(
        "/api/v1/templates",
        json={"sideId": side_id, "name": "Tight", "layers": [company], "isDefault": True},
        headers=merchant.bearer,
    )
    assert created.status_code == 201, created.json
    template = created.json
    layer_id = template["layers"][0]["id"]
    path = f"/api/v1/templates/{template['id']}/layers/{layer_id}"

    changed = client.patch(path, json={"text": "Hopper & Co."}, headers=merchant.bearer)
    assert changed.status_code == 200, changed.json
    [warning] = changed.json["problems"]
    assert (warning["code"], warning["blocking"], warning["layerId"]) == (
        "max_chars_do_not_fit",
        False,
        layer_id,
    )
    assert warning["message"].startswith("“Company” allows 30 characters, but only about ")

    # Letting the text shrink answers it.
    shrinking = client.patch(path, json={"autoFit": True}, headers=merchant.bearer)
    assert shrinking.status_code == 200 and shrinking.json["problems"] == []

    # The customer's design from the template is never told about the merchant's limit.
    client.patch(path, json={"autoFit": False}, headers=merchant.bearer)
    design = created_design(client, storefront(merchant), product)
    assert [problem["code"] for problem in design["problems"]] == []


def test_a_too_long_text_is_refused_whole_naming_the_field(client, merchant, design):
    name = layer_named(design, "Name")
    refused = patch_layer(client, merchant, design, name["id"], text="x" * 41)
    assert refused.status_code == 422 and refused.json["error"]["field"] == "text"
    again = client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json
    assert layer_named(again, "Name")["text"] == name["text"]  # never cut to the limit


# The demo catalog


def test_every_demo_templates_character_limits_fit_their_boxes(app, demo):
    with app.app_context():
        templates = db.session.scalars(in_store(db.select(Template), demo["store_id"])).all()
        assert len(templates) == 8
        for template in templates:
            composition = compose_design(template)
            assert composition.problems == [], (template.name, composition.problems)


@pytest.mark.parametrize(
    ("slug", "side", "name", "text"),
    [
        ("business-card", 1, "Company", "Morgan, Hopper & Lovelace Ltd."),  # its limit, 30
        ("mug-wrap", 0, "Message", "Happy New Year Dad! 2026"),  # its limit, 24
        ("business-card", 0, "Name", "Alexandra Montgomery-Smythe-Whitfield"),
        ("die-cut-sticker", 0, "Message", "Hello there!"),  # its limit, 12
    ],
)
def test_the_demo_takes_text_up_to_its_limits_without_a_problem(client, demo, slug, side, name, text):
    headers = {"X-Publishable-Token": demo["publishable"]}
    product = client.get(f"/api/v1/products/{slug}", headers=bearer(demo["secret"])).json
    design = created_design(client, headers, product, side=side)
    layer = layer_named(design, name)
    changed = client.patch(
        f"/api/v1/designs/{design['id']}/layers/{layer['id']}", json={"text": text}, headers=headers
    )
    assert changed.status_code == 200, changed.json
    assert len(text) <= layer["rules"]["maxChars"]
    assert changed.json["problems"] == [], changed.json["problems"]


# In Chromium


def test_typing_too_much_text_shows_red_on_the_canvas_with_the_reason(tab, demo, tmp_path):
    page = tab.page
    tab.go(f"/editor/stores/{demo['store_id']}/products/business-card")
    page.get_by_role("button", name="Personalize").click()
    page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
    wait_for_htmx(page)
    tab.mark()

    # Every text layer's box is outlined on the canvas.
    preview = page.locator("#preview")
    name_id = layer_item(page, "Name").get_attribute("data-layer-id")
    expect(preview.locator("g.layer-marks > g")).to_have_count(3)
    expect(preview.locator(f'g[data-marks-for="{name_id}"] rect.text-box').first).to_be_visible()

    # The customer narrows the name's box, then types a name too long for it even at 4 pt.
    name_item = layer_item(page, "Name")
    name_item.locator("summary").click()
    name_item.get_by_label("Width (mm)").fill("12")
    expect(preview.locator(f'g.layer[data-layer-id="{name_id}"] rect.hit')).to_have_attribute("width", "12")
    name = page.get_by_label("Name", exact=True)
    name.fill("")
    name.type("Wolfeschlegelsteinhausenberger", delay=20)

    reason = preview.locator(f'g[data-marks-for="{name_id}"] text.problem-reason')
    expect(reason).to_have_text("Does not fit its box even at 4 pt")
    expect(reason).to_be_visible()
    expect(preview.locator(f'g.layer[data-layer-id="{name_id}"] > g[fill="{RED}"]')).to_have_count(1)
    expect(page.locator("#warnings li.blocking[data-code=text_overflow]")).to_have_count(1)
    expect(name).to_be_focused()

    # The reason sits beside the text, not somewhere else on the page.
    box = preview.locator(f'g.layer[data-layer-id="{name_id}"] rect.hit').bounding_box()
    said = reason.bounding_box()
    assert box and said
    assert (
        abs(said["x"] - box["x"]) < box["height"]
        and 0 <= said["y"] - (box["y"] + box["height"]) < box["height"]
    )
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-copyfitting.png"), full_page=True)

    # Shortened, it fits again: no red, no reason.
    name.fill("Wolfe")
    expect(reason).to_have_count(0)
    expect(preview.locator(f'g.layer[data-layer-id="{name_id}"] > g[fill="{RED}"]')).to_have_count(0)
    expect(page.locator("#warnings li.blocking")).to_have_count(0)
    assert tab.marked()
    assert tab.errors == []


def test_a_character_limit_refuses_a_keystroke_with_the_reason_and_never_cuts(tab, demo):
    page = tab.page
    tab.go(f"/editor/stores/{demo['store_id']}/products/business-card")
    page.get_by_role("button", name="Personalize").click()
    page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
    wait_for_htmx(page)
    name = page.get_by_label("Name", exact=True)
    note = page.locator(f"#{name.get_attribute('id')}-error")
    full = "Alexandra Montgomery-Smythe of Whitfield"  # the Name's limit, 40
    assert len(full) == 40
    name.fill(full)
    expect(page.locator("#preview").get_by_role("img", name=full)).to_have_count(1)

    # One more letter is refused, and the field says why.
    name.press("End")
    page.keyboard.type("s")
    expect(note).to_have_text("This text takes at most 40 characters; that would make 41.")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_value(full)

    # Text put in at once (a paste) is refused whole, never cut to what fits.
    name.press("End")
    page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.insert_text("h 2026")
    expect(note).to_have_text("This text takes at most 40 characters; that would make 45.")
    expect(name).to_have_value(full)

    # A shorter text goes through and clears the note.
    name.fill("Alexandra Morgan")
    expect(page.locator("#preview").get_by_role("img", name="Alexandra Morgan")).to_have_count(1)
    expect(note).to_have_count(0)
    assert [error for error in tab.errors if "422" not in error] == []
