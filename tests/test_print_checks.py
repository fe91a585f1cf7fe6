"""Checks before print (issue 14, item 4): art that stops at the trim, text below the product's
minimum size, hairlines and too much ink are warned of, in amber on the canvas where they happen,
in the design's and the template's problems, and in each render's report for the print shop. The
composer alone on constructed sides, the demo catalog, the API with a real worker, and Chromium."""

import os
import re
import struct
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from playwright.sync_api import expect

from designer.composer import Assets, ClipartAsset, FontAsset, Side, compose
from designer.composer.checks import (
    CHECK_CODES,
    HAIRLINE,
    STOPS_AT_TRIM,
    TEXT_TOO_SMALL,
    TOTAL_INK,
    PrintChecks,
)
from designer.composer.fonts import parsed_font
from designer.composer.guides import CHECK_AMBER
from designer.editing.service import compose_design
from designer.extensions import db
from designer.library.default_library import library_root
from designer.rendering.cmyk import DEFAULT_PROFILE_FILE
from designer.templates.models import Template
from designer.tenancy import across_stores
from tests.browser import layer_item, screenshot_dir, wait_for_htmx
from tests.factories import (
    created_design,
    layer_named,
    layers,
    patch_layer,
    run_worker,
    storefront,
    text_layer,
    upload_file,
)

SVG = "{http://www.w3.org/2000/svg}"
CARD = Side(None, 85, 55, bleed_mm=3, safe_zone_mm=4, background_type="color", background_color="#ffffff")
ROBOTO = "fnt_roboto"
PT = 25.4 / 72  # mm


def roboto() -> Assets:
    path = library_root() / "fonts" / "Roboto_400Regular.ttf"
    font = parsed_font(f"test:{path.name}", path.read_bytes)
    return Assets(fonts={ROBOTO: FontAsset(ROBOTO, "Roboto", font)})


def shape(**fields) -> dict:
    return {
        "type": "shape",
        "shape": "rect",
        "fill": "#0b5cad",
        "x": 20,
        "y": 20,
        "width": 10,
        "height": 10,
    } | fields


def checked(stack: list[dict], *, assets: Assets | None = None, side: Side = CARD, **limits):
    return compose(side, layers(*stack), assets or Assets(), "preview", checks=PrintChecks(**limits))


def found(composition) -> list[tuple[str | None, str]]:
    return [(item.layer_id, item.code) for item in composition.problems if item.code in CHECK_CODES]


def amber_marks(svg: str) -> dict[str, str]:
    """The layers marked in amber on the preview, with the reason written beside each."""
    root = ET.fromstring(svg)
    return {
        group.get("data-checks-for"): group.find(f"{SVG}text").text
        for group in root.iter(f"{SVG}g")
        if group.get("data-checks-for")
    }


# Art that stops at the trim


def test_a_bar_that_stops_at_the_trim_is_warned_of_and_marked_in_amber_where_it_is():
    composition = checked([shape(name="Accent bar", x=0, y=0, width=6, height=55)])

    [warning] = composition.problems
    assert (warning.code, warning.blocking) == (STOPS_AT_TRIM, False)
    assert warning.message == (
        "“Accent bar” stops at the trim edges at the left, the top and the bottom: extend it 3 mm "
        "past the edges, into the bleed, so no white edge shows after cutting"
    )
    assert amber_marks(composition.svg) == {warning.layer_id: "Stops at the trim: extend it into the bleed"}
    root = ET.fromstring(composition.svg)
    box = root.find(f".//{SVG}g[@data-checks-for='{warning.layer_id}']/{SVG}rect")
    assert box.get("stroke") == CHECK_AMBER and box.get("class") == "layer-box check"
    assert composition.blocking == []
    # Print carries the warning in its problems, never a mark.
    printed = compose(
        CARD, layers(shape(x=0, y=0, width=6, height=55)), Assets(), "print", checks=PrintChecks()
    )
    assert found(printed) == [(printed.problems[0].layer_id, STOPS_AT_TRIM)]
    assert "layer-marks" not in printed.svg


@pytest.mark.parametrize(
    "geometry",
    [
        {"x": -3, "y": -3, "width": 9, "height": 61},  # into the bleed: the demo card's bar
        {"x": 20, "y": 20, "width": 10, "height": 10},  # well inside the trim
        {"x": 10, "y": 10, "width": 30, "height": 2, "rotation": 30},  # tilted: its edge is not the trim's
    ],
)
def test_art_that_runs_into_the_bleed_or_keeps_off_the_edge_is_not_warned_of(geometry):
    assert found(checked([shape(**geometry)])) == []


def test_a_side_without_bleed_and_an_ellipse_at_the_edge_are_not_warned_of():
    assert found(checked([shape(x=0, width=6)], side=Side(None, 85, 55))) == []
    assert found(checked([shape(shape="ellipse", x=0, width=6)])) == []


def test_a_bar_turned_a_quarter_is_judged_by_where_it_lies():
    # 55 × 6 mm turned 90° about its centre (27.5, 3): it lies from x 24.5 to 30.5, y -24.5 to 30.5.
    composition = checked([shape(x=0, y=0, width=55, height=6, rotation=90)])
    assert found(composition) == []
    composition = checked([shape(x=-24.5, y=24.5, width=55, height=6, rotation=90)])
    # Now it lies from x 0 to 6, y 0 to 55: on the left, top and bottom trim lines.
    assert found(composition) == [(composition.problems[0].layer_id, STOPS_AT_TRIM)]


# Text too small


def test_a_4_pt_text_is_warned_of_below_a_6_pt_minimum_and_an_8_pt_one_is_not():
    small = text_layer("Terms apply", fontId=ROBOTO, fontSize=4, autoFit=False)
    composition = checked([small], assets=roboto(), min_text_pt=6)
    [warning] = composition.problems
    assert warning.code == TEXT_TOO_SMALL and not warning.blocking
    assert (
        warning.message == "A text is 4 pt, smaller than the 6 pt this product prints legibly: make it larger"
    )
    assert amber_marks(composition.svg) == {warning.layer_id: "Too small to print: 4 pt"}

    legible = text_layer("Terms apply", fontId=ROBOTO, fontSize=8, autoFit=False)
    assert found(checked([legible], assets=roboto(), min_text_pt=6)) == []
    assert found(checked([small], assets=roboto(), min_text_pt=0)) == []


def test_text_that_shrank_to_fit_is_judged_at_the_size_it_is_drawn():
    crowded = text_layer("Alexandra Montgomery-Smythe", fontId=ROBOTO, fontSize=24, width=25, height=3)
    composition = checked([crowded], assets=roboto(), min_text_pt=6)
    [warning] = composition.problems
    assert warning.code == TEXT_TOO_SMALL
    assert warning.message.startswith("A text is 5.1 pt (shrunk to fit its box), smaller than the 6 pt")
    assert "(shrunk to fit its box)" in warning.message and warning.message.endswith(
        "shorten it or enlarge its box"
    )


# Hairlines


def test_a_0_1_pt_outline_is_a_hairline_and_a_half_point_one_is_not():
    thin = shape(name="Frame", fill=None, stroke="#000000", strokeWidth=0.1 * PT)
    composition = checked([thin])
    [warning] = composition.problems
    assert (warning.code, warning.blocking) == (HAIRLINE, False)
    assert warning.message == (
        "“Frame” has lines 0.1 pt thin, thinner than the 0.25 pt a press prints reliably: make them thicker"
    )
    assert amber_marks(composition.svg) == {warning.layer_id: "Lines too thin to print"}
    assert found(checked([thin | {"strokeWidth": 0.5 * PT}])) == []


def test_a_thin_line_shape_and_a_thin_filled_rule_are_hairlines():
    line = {
        "type": "shape",
        "shape": "line",
        "stroke": "#000000",
        "x": 10,
        "y": 10,
        "width": 40,
        "height": 0.03,
    }
    rule = shape(height=0.05)
    composition = checked([line, rule])
    assert [code for _, code in found(composition)] == [HAIRLINE, HAIRLINE]


def clipart(svg: str) -> tuple[Assets, dict]:
    asset = ClipartAsset("clp_lines", "test:lines.svg", "svg", data=svg.encode(), width_px=100, height_px=100)
    layer = {"type": "clipart", "clipartId": "clp_lines", "x": 20, "y": 20, "width": 10, "height": 10}
    return Assets(clipart={"clp_lines": asset}), layer


def test_a_clipart_s_strokes_are_measured_as_drawn_in_the_layer_with_its_own_transforms():
    # A 100-unit viewBox in a 10 mm box: a unit is 0.1 mm, so a 1-unit stroke is 0.28 pt.
    drawn = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{}</svg>'
    assets, layer = clipart(drawn.format('<path d="M0 0L100 100" stroke="#000" stroke-width="1"/>'))
    assert found(checked([layer], assets=assets)) == []
    # Halved by its group's transform (and its width inherited): 0.14 pt.
    halved = (
        '<g transform="translate(5 5) scale(0.5)" style="stroke-width:1">'
        + '<path d="M0 0L9 9" stroke="red"/></g>'
    )
    assets, layer = clipart(drawn.format(halved))
    assert [code for _, code in found(checked([layer], assets=assets))] == [HAIRLINE]
    # The same clipart drawn five times larger: 0.7 pt.
    assert found(checked([layer | {"width": 50, "height": 50}], assets=assets)) == []
    # A stroke that is not painted, or sits in <defs>, draws no line.
    unpainted = '<path d="M0 0L9 9" stroke-width="0.1"/><defs><path stroke="#000" stroke-width="0.1"/></defs>'
    assets, layer = clipart(drawn.format(unpainted))
    assert found(checked([layer], assets=assets)) == []


# Total ink


def rich_black_press(colour: str) -> tuple[float, float, float, float]:
    """A press's separation as a printer's profile gives it: near-blacks as four-colour rich black."""
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))
    black = 1 - max(red, green, blue)
    if black > 0.8:  # rich black: cyan, magenta and yellow under the black
        return (0.85, 0.80, 0.75, black)
    return (1 - red - black, 1 - green - black, 1 - blue - black, black)


def test_a_rich_four_colour_black_over_300_percent_is_warned_of_and_a_lighter_colour_is_not():
    rich = shape(name="Panel", fill="#050505")
    composition = checked([rich, shape(fill="#0b5cad", x=40)], to_cmyk=rich_black_press)
    [warning] = composition.problems
    assert (warning.code, warning.blocking) == (TOTAL_INK, False)
    assert warning.message == (
        "“Panel”’s colour #050505 takes 338 % ink, more than the 300 % the press allows (it may smear "
        "or dry badly): choose a lighter or less saturated colour"
    )
    assert amber_marks(composition.svg) == {warning.layer_id: "Too much ink: 338 %"}
    # A press that takes more ink, and a check without a separation, warn of nothing.
    assert found(checked([rich], to_cmyk=rich_black_press, ink_limit_percent=350)) == []
    assert found(checked([rich])) == []


def test_the_background_a_text_and_a_recoloured_clipart_are_judged_by_their_colours():
    side = Side(None, 85, 55, bleed_mm=3, background_type="color", background_color="#000000")
    words = text_layer("Hello", fontId=ROBOTO, fontSize=12, color="#000000")
    composition = checked([words], assets=roboto(), side=side, to_cmyk=rich_black_press)
    assert [(item.layer_id is None, item.code) for item in composition.problems] == [
        (True, TOTAL_INK),
        (False, TOTAL_INK),
    ]
    assert composition.problems[0].message.startswith("The background’s colour #000000 takes 340 % ink")
    star = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0h9v9z" fill="#f00"/></svg>'
    )
    asset = ClipartAsset(
        "clp_star", "test:star.svg", "svg", recolorable=True, color="#ff0000", data=star.encode()
    )
    layer = {"type": "clipart", "clipartId": "clp_star", "x": 20, "y": 20, "width": 10, "height": 10}
    assets = Assets(clipart={"clp_star": asset})
    assert found(checked([layer], assets=assets, to_cmyk=rich_black_press)) == []
    recoloured = checked([layer | {"color": "#000000"}], assets=assets, to_cmyk=rich_black_press)
    assert [code for _, code in found(recoloured)] == [TOTAL_INK]


# The demo, the API and the render's report


@pytest.fixture
def context(app):
    with app.app_context():
        yield


def test_every_demo_template_is_clean_of_the_checks_before_print(demo, context):
    templates = db.session.scalars(across_stores(db.select(Template))).all()
    assert templates
    for template in templates:
        composition = compose_design(template)
        assert found(composition) == [], (template.product.slug, template.name)


def bar_at_the_trim(client, merchant, card: dict) -> dict:
    """A customer's design of the demo card's front whose accent bar stops at the trim, as the demo's
    once did: the merchant moves the template's bar there first."""
    side = card["sides"][0]["id"]
    template = client.get(f"/api/v1/sides/{side}/templates", headers=merchant.bearer).json["data"][0]
    bar = next(layer for layer in template["layers"] if layer["name"] == "Accent bar")
    moved = client.patch(
        f"/api/v1/templates/{template['id']}/layers/{bar['id']}",
        json={"x": 0, "y": 0, "width": 6, "height": 55},
        headers=merchant.bearer,
    )
    assert moved.status_code == 200, moved.json
    # The merchant's template editor warns of it too.
    assert [(item["layerId"], item["code"]) for item in moved.json["problems"]] == [
        (bar["id"], STOPS_AT_TRIM)
    ]
    return created_design(client, storefront(merchant), card)


def test_the_design_and_its_render_report_the_checks_for_the_print_shop(
    app, client, merchant, card, redis_url, app_config
):
    design = bar_at_the_trim(client, merchant, card)
    bar = next(layer for layer in design["layers"] if layer["name"] == "Accent bar")
    assert [(item["layerId"], item["code"], item["blocking"]) for item in design["problems"]] == [
        (bar["id"], STOPS_AT_TRIM, False)
    ]
    # A warning: the customer completes the design all the same.
    completed = client.post(f"/api/v1/designs/{design['id']}/complete", headers=storefront(merchant))
    assert completed.status_code == 200, completed.json

    url = f"/api/v1/designs/{design['id']}/render"
    waiting = client.get(url, headers=merchant.bearer)
    assert waiting.status_code == 202, waiting.json
    [check] = waiting.json["checks"]
    assert check == {
        "code": STOPS_AT_TRIM,
        "designId": design["id"],
        "layerId": bar["id"],
        "message": "“Accent bar” stops at the trim edges at the left, the top and the bottom: extend it "
        "3 mm past the edges, into the bleed, so no white edge shows after cutting",
    }

    run_worker(redis_url, app_config)
    pdf = client.get(url, headers=merchant.bearer)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    fragment = client.get(url, headers=merchant.bearer | {"HX-Request": "true"}).get_data(as_text=True)
    assert "Download the print-ready PDF" in fragment
    assert "Checks before print: 1 warning" in fragment
    assert f'data-code="stops_at_trim" data-layer-id="{bar["id"]}"' in fragment
    assert "“Accent bar” stops at the trim edges" in fragment


def test_a_clean_design_renders_with_no_checks_and_its_fragment_says_so(
    app, client, merchant, design, redis_url, app_config
):
    url = f"/api/v1/designs/{design['id']}/render"
    assert client.get(url, headers=merchant.bearer).json["checks"] == []
    run_worker(redis_url, app_config)
    fragment = client.get(url, headers=merchant.bearer | {"HX-Request": "true"}).get_data(as_text=True)
    assert "Checks before print: nothing to warn of." in fragment


def test_the_products_minimum_text_size_decides_what_is_too_small(client, merchant, card):
    rules = client.patch(
        f"/api/v1/products/{card['id']}/personalization", json={"minTextSize": 9}, headers=merchant.bearer
    )
    assert rules.status_code == 200, rules.json
    design = created_design(client, storefront(merchant), card)
    small = {item["layerId"] for item in design["problems"] if item["code"] == TEXT_TOO_SMALL}
    # The card's Title (8.5 pt) and Contact (7.5 pt) are below 9 pt; the Name (14 pt) is not.
    named = {layer["id"]: layer["name"] for layer in design["layers"]}
    assert sorted(named[layer_id] for layer_id in small) == ["Contact", "Title"]
    refused = client.patch(
        f"/api/v1/products/{card['id']}/personalization", json={"minTextSize": -1}, headers=merchant.bearer
    )
    assert refused.status_code == 422 and refused.json["error"]["field"] == "minTextSize"


def test_the_openapi_document_describes_the_renders_checks(client):
    document = client.get("/api/v1/openapi.json").json
    schemas = document["components"]["schemas"]
    assert "checks" in schemas["RenderStatus"]["properties"]
    assert set(schemas["RenderCheck"]["properties"]) == {"code", "designId", "layerId", "message"}


# Total ink through the product's printer profile


def ink_problems(design: dict, layer: dict | None = None) -> list[tuple[str, str]]:
    return [
        (item["layerId"], item["message"])
        for item in design["problems"]
        if item["code"] == TOTAL_INK and (layer is None or item["layerId"] == layer["id"])
    ]


def set_rules(client, merchant, product: dict, **rules):
    response = client.patch(
        f"/api/v1/products/{product['id']}/personalization", json=rules, headers=merchant.bearer
    )
    assert response.status_code == 200, response.json
    return response


def test_the_shipped_fogra39_profile_keeps_every_colour_within_300_percent_so_the_demo_is_clean(
    client, merchant, card
):
    # The profile is made with a 300 % total ink limit (rendering/cmyk_profile.py): through it the
    # darkest rich black takes 289 % (#050505), and pure black prints as K alone.
    design = created_design(client, storefront(merchant), card)
    name = layer_named(design, "Name")
    for colour in ("#050505", "#000000", "#1a1a1a"):
        changed = patch_layer(client, merchant, design, name["id"], color=colour)
        assert changed.status_code == 200, changed.json
        assert ink_problems(changed.json) == []


def test_a_rich_black_over_the_products_ink_limit_is_warned_of_in_the_editor_the_render_and_the_order(
    app, client, merchant, card, redis_url, app_config
):
    # A press on uncoated stock takes 265 %: FOGRA39 separates #101010 as 71/59/53/94, 277 %
    # (and the card's Contact, #1d232b, as 258 %).
    set_rules(client, merchant, card, maxTotalInk=265)
    design = created_design(client, storefront(merchant), card)
    name = layer_named(design, "Name")
    plain = patch_layer(client, merchant, design, name["id"], color="#0b5cad")  # 157 %
    assert ink_problems(plain.json) == []
    lighter = patch_layer(client, merchant, design, name["id"], color="#1a1a1a")  # 264 %
    assert ink_problems(lighter.json) == []
    rich = patch_layer(client, merchant, design, name["id"], color="#101010")
    assert rich.status_code == 200, rich.json
    message = (
        "“Name”’s colour #101010 takes 277 % ink, more than the 265 % the press allows (it may smear "
        "or dry badly): choose a lighter or less saturated colour"
    )
    assert ink_problems(rich.json) == [(name["id"], message)]
    assert not any(item["blocking"] for item in rich.json["problems"] if item["code"] == TOTAL_INK)
    completed = client.post(f"/api/v1/designs/{design['id']}/complete", headers=storefront(merchant))
    assert completed.status_code == 200, completed.json

    url = f"/api/v1/designs/{design['id']}/render"
    waiting = client.get(url, headers=merchant.bearer)
    assert waiting.status_code == 202, waiting.json
    expected = {"code": TOTAL_INK, "designId": design["id"], "layerId": name["id"], "message": message}
    assert waiting.json["checks"] == [expected]
    run_worker(redis_url, app_config)
    assert client.get(url, headers=merchant.bearer).status_code == 200

    body = {"lineItems": [{"sku": "card", "quantity": 100, "designIds": [design["id"]]}]}
    order = client.post("/api/v1/orders", json=body, headers=merchant.bearer)
    assert order.status_code == 201, order.json
    [render] = order.json["lineItems"][0]["renders"]
    assert (render["status"], render["checks"]) == ("done", [expected])
    listed = client.get(f"/api/v1/orders/{order.json['id']}", headers=merchant.bearer).json
    assert listed["lineItems"][0]["renders"][0]["checks"] == [expected]


def test_an_ink_limit_out_of_range_is_refused_naming_the_field(client, merchant, card):
    for limit in (99, 401, "lots"):
        refused = client.patch(
            f"/api/v1/products/{card['id']}/personalization",
            json={"maxTotalInk": limit},
            headers=merchant.bearer,
        )
        assert refused.status_code == 422 and refused.json["error"]["field"] == "maxTotalInk"


def heavier_profile(profile: bytes, factor: float) -> bytes:
    """The ICC profile with its separation (the B2A tables) laying down `factor` times the cyan,
    magenta and yellow: a press that takes more ink than FOGRA39's 300 %."""
    (count,) = struct.unpack_from(">I", profile, 128)
    data = bytearray(profile)
    tables = set()
    for index in range(count):
        signature, offset, _ = struct.unpack_from(">4sII", profile, 132 + 12 * index)
        if signature.startswith(b"B2A"):
            tables.add(offset)
    for offset in tables:  # an mft1 (lut8) or mft2 (lut16) table: its grid follows the input tables
        inputs, outputs, grid = profile[offset + 8 : offset + 11]
        if profile[offset : offset + 4] == b"mft1":
            dtype, scale, start = "u1", 255, offset + 48 + 256 * inputs
        else:
            (curve_entries,) = struct.unpack_from(">H", profile, offset + 48)
            dtype, scale, start = ">u2", 65535, offset + 52 + 2 * curve_entries * inputs
        cells = grid**inputs * outputs
        size = np.dtype(dtype).itemsize
        inks = np.frombuffer(profile, dtype, cells, start).reshape(-1, outputs).astype(float)
        inks[:, :3] = np.minimum(inks[:, :3] * factor, scale)
        data[start : start + size * cells] = np.rint(inks).astype(dtype).tobytes()
    return bytes(data)


def test_a_product_with_its_merchants_profile_is_checked_through_that_profile(client, merchant, card):
    fogra39 = (library_root() / DEFAULT_PROFILE_FILE).read_bytes()
    uploaded = upload_file(
        client, merchant.bearer, heavier_profile(fogra39, 1.3), "heavy-press.icc", purpose="color_profile"
    )
    assert uploaded.status_code == 201, uploaded.json
    design = created_design(client, storefront(merchant), card)
    name = layer_named(design, "Name")
    # Through FOGRA39 #1a1a1a takes 264 %: within 300 %.
    assert ink_problems(patch_layer(client, merchant, design, name["id"], color="#1a1a1a").json) == []

    set_rules(client, merchant, card, colorProfileFileId=uploaded.json["id"])  # an RGB product too
    again = patch_layer(client, merchant, design, name["id"], color="#1a1a1a")
    [(_, message)] = ink_problems(again.json, name)
    assert message.startswith("“Name”’s colour #1a1a1a takes 312 % ink, more than the 300 %")
    contact = layer_named(design, "Contact")  # #1d232b: 258 % through FOGRA39, 301 % through this
    assert ink_problems(again.json, contact)[0][1].startswith("“Contact”’s colour #1d232b takes 301 %")
    plain = patch_layer(client, merchant, design, name["id"], color="#0b5cad")  # about 185 %
    assert ink_problems(plain.json, name) == []
    # In CMYK, with the product's own rendering intent, pure black prints as K alone: 100 %.
    set_rules(client, merchant, card, colorMode="cmyk", renderingIntent="perceptual")
    black = patch_layer(client, merchant, design, name["id"], color="#000000")
    assert ink_problems(black.json, name) == []


# In the browser


def test_the_amber_mark_shows_on_the_canvas_where_the_text_is_too_small(tab, demo, tmp_path):
    page = tab.page
    tab.go(f"/editor/stores/{demo['store_id']}/products/business-card")
    page.get_by_role("button", name="Personalize").click()
    page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
    wait_for_htmx(page)
    preview = page.locator("#preview")
    expect(preview.locator("g[data-checks-for]")).to_have_count(0)

    title = layer_item(page, "Title")
    title_id = title.get_attribute("data-layer-id")
    title.locator("summary").click()
    size = title.get_by_label("Size (pt)")
    size.fill("4")
    size.press("Tab")

    mark = preview.locator(f'g[data-checks-for="{title_id}"]')
    expect(mark.locator("text.check-reason")).to_have_text("Too small to print: 4 pt")
    expect(mark.locator("rect.check-tag")).to_be_visible()
    expect(mark.locator("rect.layer-box.check")).to_have_attribute("stroke", CHECK_AMBER)
    expect(
        page.locator(f"#warnings li.warning[data-code=text_too_small][data-layer-id={title_id}]")
    ).to_have_count(1)
    # A warning, not a problem that blocks: nothing is red.
    expect(page.locator("#warnings li.blocking")).to_have_count(0)
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-print-checks.png"), full_page=True)
    assert tab.errors == []
