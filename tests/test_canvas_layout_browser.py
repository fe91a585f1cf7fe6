"""Laying out the canvas in a real browser (Debian's Chromium): snapping with guides while
dragging, aligning and spacing layers, rulers in the product's unit, zoom and pan, new layers
placed in free space and selected, the arrow keys moving what was clicked, and a drag that
leaves the style panel open and the page where it was; with the mouse, the keyboard alone and
touch on a phone; and the merchant aligning a template's layers in the same editor."""

import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser import PHONE, layer_id, layer_item, open_product, open_template, wait_for_htmx
from tests.factories import wait_until
from tests.test_a11y_browser import violations

CARD_WIDTH_MM, CARD_HEIGHT_MM, CARD_SAFE_MM = 85, 55, 4


def screen_of(page, x_mm: float, y_mm: float) -> tuple[float, float]:
    """Where the side's point (x_mm, y_mm) is on the screen."""
    return page.evaluate(
        """([x, y]) => {
          const m = document.querySelector('#preview > svg').getScreenCTM();
          return [x * m.a + m.e, y * m.d + m.f];
        }""",
        [x_mm, y_mm],
    )


def px_per_mm(page) -> float:
    return page.evaluate("() => document.querySelector('#preview > svg').getScreenCTM().a")


def add_star(page) -> str:
    page.get_by_text("Add clipart from the library").click()
    page.get_by_role("button", name="Star").click()
    expect(layer_item(page, "Star")).to_have_count(1)
    return layer_id(page, "Star")


def centre_of(layer: dict) -> tuple[float, float]:
    return layer["x"] + layer["width"] / 2, layer["y"] + layer["height"] / 2


def drag_to(page, start: tuple[float, float], end: tuple[float, float], *, alt: bool = False) -> None:
    """Press at `start`, move to `end` in steps, and hold there (the caller lets go)."""
    page.mouse.move(*start)
    if alt:
        page.keyboard.down("Alt")
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=4)
    page.mouse.move(*end, steps=4)


def let_go(page) -> None:
    page.mouse.up()
    page.keyboard.up("Alt")


def test_dragging_clipart_near_the_middle_snaps_it_onto_the_centre_line_with_a_guide(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    star_id = add_star(page)
    star = api.layer(design_id, "Star")

    # Alt held: the star goes where the pointer takes it, 10.4 mm left, with no guide.
    middle = centre_of(star)
    drag_to(page, screen_of(page, *middle), screen_of(page, middle[0] - 10.4, middle[1]), alt=True)
    expect(page.locator("#preview .pw-guide")).to_have_count(0)
    let_go(page)
    wait_until(lambda: api.layer(design_id, "Star")["x"] != star["x"])
    moved = api.layer(design_id, "Star")
    assert moved["x"] == pytest.approx(star["x"] - 10.4, abs=0.15)
    assert moved["y"] == star["y"]

    # Without Alt: brought back to 0.4 mm right of the card's centre line (well within the few
    # pixels of reach) and a little down, it lands exactly on the line, a guide showing it.
    middle = centre_of(moved)
    drag_to(page, screen_of(page, *middle), screen_of(page, CARD_WIDTH_MM / 2 + 0.4, middle[1] + 3.3))
    guide = page.locator("#preview line.pw-guide[data-axis=x]")
    expect(guide).to_have_count(1)
    assert float(guide.get_attribute("x1")) == pytest.approx(CARD_WIDTH_MM / 2)
    assert page.locator("#preview g.pw-guides").get_attribute("aria-hidden") == "true"
    let_go(page)
    expect(page.locator("#preview .pw-guide")).to_have_count(0)
    wait_until(lambda: api.layer(design_id, "Star")["y"] != moved["y"])
    snapped = api.layer(design_id, "Star")
    assert snapped["id"] == star_id
    assert centre_of(snapped)[0] == pytest.approx(CARD_WIDTH_MM / 2, abs=0.001)
    assert tab.errors == []


def test_align_and_distribute_the_selected_layers(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    title_id = layer_id(page, "Title")
    align_right = page.get_by_role("button", name="Align right")
    expect(align_right).to_have_attribute("aria-disabled", "true")

    # One layer: to the design area's right edge.
    page.locator(f"#s-{title_id}").click()
    expect(align_right).to_have_attribute("aria-disabled", "false")
    align_right.click()
    wait_until(lambda: api.layer(design_id, "Title")["x"], CARD_WIDTH_MM - 66)
    page.get_by_role("button", name="Centre down").click()
    wait_until(lambda: api.layer(design_id, "Title")["y"], (CARD_HEIGHT_MM - 6) / 2)

    # Three layers (Shift+click on the canvas adds to the selection): aligned left to each other,
    # then spaced evenly down between the top and the bottom one.
    page.get_by_role("button", name="Align left").click()
    wait_until(lambda: api.layer(design_id, "Title")["x"], 0)
    names = ("Name", "Title", "Contact")
    page.locator(f"#s-{layer_id(page, 'Name')}").click()
    for name in names[1:]:
        box = page.locator(
            f'#preview g.layer[data-layer-id="{layer_id(page, name)}"] rect.hit'
        ).bounding_box()
        page.keyboard.down("Shift")
        page.mouse.click(box["x"] + 5, box["y"] + box["height"] / 2)
        page.keyboard.up("Shift")
    expect(page.locator("#layers .select[aria-pressed=true]")).to_have_count(3)
    expect(page.locator("#preview g.pw-selection")).to_have_count(3)
    page.get_by_role("button", name="Align left").click()
    wait_until(lambda: {api.layer(design_id, name)["x"] for name in names}, {0})
    page.get_by_role("button", name="Space down").click()
    # Name 14–23 and Contact 36–48 stay; Title (6 mm tall) goes to the middle of the gap.
    wait_until(lambda: api.layer(design_id, "Title")["y"], 26.5)
    assert api.layer(design_id, "Name")["y"] == 14
    assert api.layer(design_id, "Contact")["y"] == 36
    # The three moved in one change: one undo puts all three back where they were.
    page.get_by_role("button", name="Undo").click()
    wait_until(lambda: api.layer(design_id, "Title")["y"], (CARD_HEIGHT_MM - 6) / 2)
    assert {api.layer(design_id, name)["x"] for name in names} == {0}
    page.get_by_role("button", name="Undo").click()
    wait_until(lambda: api.layer(design_id, "Name")["x"], 12)
    assert api.layer(design_id, "Contact")["x"] == 12
    assert tab.errors == []


def ruler_labels(page) -> dict[str, float]:
    """The top ruler's labels and where each one's mark is on the screen (client x)."""
    return page.evaluate(
        """() => {
          const left = document.getElementById('ruler-top').getBoundingClientRect().left;
          const labels = [...document.querySelectorAll('#ruler-top text.label')];
          return Object.fromEntries(labels.map(t => [t.textContent, left + +t.getAttribute('x') - 2]));
        }"""
    )


def label_step(page) -> float:
    first, second = sorted(float(text) for text in ruler_labels(page))[:2]
    return second - first


def assert_rulers_match_the_side(page, mm_per_unit: float) -> None:
    labels = ruler_labels(page)
    assert len(labels) >= 2, labels
    for text, at in labels.items():
        assert at == pytest.approx(screen_of(page, float(text) * mm_per_unit, 0)[0], abs=1), text


def test_rulers_show_the_products_unit_and_follow_zoom_and_pan(tab, demo, api):
    page = tab.page
    open_product(tab, demo["store_id"])
    expect(page.locator(".ruler-corner")).to_have_text("mm")
    assert "0" in ruler_labels(page)
    assert_rulers_match_the_side(page, 1)
    step = label_step(page)

    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    page.get_by_role("button", name="Zoom in").click()
    assert_rulers_match_the_side(page, 1)
    # Closer in, the marks are labelled more often.
    assert label_step(page) < step
    before = ruler_labels(page)
    page.evaluate("() => { document.getElementById('preview').scrollLeft += 120; }")
    # The rulers redraw on the scroll event, which comes with the next frame.
    wait_until(lambda: ruler_labels(page) != before, message="the rulers to follow the pan")
    assert_rulers_match_the_side(page, 1)

    # The same card sold in inches: the rulers count inches.
    request = urllib.request.Request(
        f"{api.base}/api/v1/products/business-card",
        data=json.dumps({"dimensionUnit": "inch"}).encode(),
        method="PATCH",
        headers={"Authorization": f"Bearer {api.secret}", "Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).close()
    page.reload()
    wait_for_htmx(page)
    expect(page.locator(".ruler-corner")).to_have_text("in")
    assert {"0", "1", "2", "3"} <= set(ruler_labels(page))
    assert_rulers_match_the_side(page, 25.4)
    assert tab.errors == []


def test_zoom_with_buttons_and_ctrl_wheel_keeps_the_handles_size_and_pans(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    page.locator(f"#s-{layer_id(page, 'Name')}").click()
    handle = page.locator('#preview g.pw-selection [data-handle="1,1"]')
    handle_px = handle.bounding_box()["width"]
    scale = px_per_mm(page)
    level = page.locator("#zoom-level")
    expect(level).to_have_text("100%")

    page.get_by_role("button", name="Zoom in").click()
    expect(level).to_have_text("125%")
    assert px_per_mm(page) == pytest.approx(scale * 1.25, rel=0.02)
    assert handle.bounding_box()["width"] == pytest.approx(handle_px, abs=0.5)

    box = page.locator("#preview").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    wait_until(lambda: page.locator("#zoom-level").text_content() not in ("100%", "125%"))
    zoom = px_per_mm(page) / scale
    assert zoom > 1.5
    assert handle.bounding_box()["width"] == pytest.approx(handle_px, abs=0.5)
    # The page did not zoom, the canvas did: the preview keeps its size and scrolls.
    assert page.locator("#preview").bounding_box()["height"] == pytest.approx(box["height"], abs=1)
    assert page.evaluate(
        "() => { const box = document.getElementById('preview'); return box.scrollWidth > box.clientWidth; }"
    )

    # Dragging empty canvas space pans.
    before = page.evaluate("() => document.getElementById('preview').scrollLeft")
    # Between the title and the contact lines, at the card's middle: nothing there.
    corner = screen_of(page, CARD_WIDTH_MM / 2, 33)
    view = page.locator("#preview").bounding_box()
    assert view["x"] < corner[0] < view["x"] + view["width"] - 60
    assert view["y"] < corner[1] < view["y"] + view["height"]
    page.mouse.move(*corner)
    page.mouse.down()
    page.mouse.move(corner[0] + 60, corner[1], steps=4)
    page.mouse.up()
    assert page.evaluate("() => document.getElementById('preview').scrollLeft") < before

    page.get_by_role("button", name="Fit").click()
    expect(level).to_have_text("100%")
    assert px_per_mm(page) == pytest.approx(scale, rel=0.01)
    assert tab.errors == []


def test_new_text_goes_to_free_space_in_the_safe_zone_and_is_selected(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    before = {layer["id"] for layer in api.layers(design_id)}
    page.get_by_role("button", name="Add text").click()
    expect(page.locator("#layers > li.layer-text")).to_have_count(4)
    layers = api.layers(design_id)
    [added] = [layer for layer in layers if layer["id"] not in before]
    assert added["x"] >= CARD_SAFE_MM and added["x"] + added["width"] <= CARD_WIDTH_MM - CARD_SAFE_MM
    assert added["y"] >= CARD_SAFE_MM and added["y"] + added["height"] <= CARD_HEIGHT_MM - CARD_SAFE_MM
    for other in layers:
        if other["id"] == added["id"]:
            continue
        apart = (
            added["x"] + added["width"] <= other["x"]
            or other["x"] + other["width"] <= added["x"]
            or added["y"] + added["height"] <= other["y"]
            or other["y"] + other["height"] <= added["y"]
        )
        assert apart, f"the new text overlaps {other['name']}"
    expect(page.locator(f"#s-{added['id']}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#preview g.pw-selection")).to_have_count(1)
    assert tab.errors == []


def test_a_layer_clicked_on_the_canvas_moves_with_the_arrow_keys(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    contact = api.layer(design_id, "Contact")
    page.mouse.click(*screen_of(page, contact["x"] + 3, contact["y"] + 2))
    expect(page.locator(f"#s-{contact['id']}")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    wait_until(lambda: (api.layer(design_id, "Contact")["x"], api.layer(design_id, "Contact")["y"]), (14, 26))
    assert tab.errors == []


def test_a_drag_leaves_the_style_panel_open_and_the_page_where_it_was(tab, demo, api):
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 600})
    design_id = open_product(tab, demo["store_id"])
    title = layer_item(page, "Title")
    title.locator("summary").click()
    expect(title.locator("details")).to_have_attribute("open", "")
    page.evaluate("() => window.scrollTo(0, 200)")
    scroll_before = page.evaluate("() => window.scrollY")
    assert scroll_before > 0
    start = api.layer(design_id, "Title")
    origin = screen_of(page, start["x"] + 20, start["y"] + 3)
    page.mouse.move(*origin)
    page.mouse.down()
    page.keyboard.down("Alt")
    page.mouse.move(origin[0] + 3 * px_per_mm(page), origin[1] + 2 * px_per_mm(page), steps=6)
    page.mouse.up()
    page.keyboard.up("Alt")
    wait_until(lambda: api.layer(design_id, "Title")["x"] != start["x"])
    expect(page.locator(f"#f-{start['id']}-x")).to_have_value(re.compile(r"^1[45]"))
    expect(layer_item(page, "Title").locator("details")).to_have_attribute("open", "")
    assert page.evaluate("() => window.scrollY") == scroll_before

    # The arrow keys on the layer just dragged: the answers leave the page where it is too.
    moved = api.layer(design_id, "Title")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    wait_until(lambda: api.layer(design_id, "Title")["y"], moved["y"] + 2)
    expect(page.locator(f"#f-{start['id']}-y")).to_have_value(re.compile(rf"^{round(moved['y'] + 2)}"))
    expect(layer_item(page, "Title").locator("details")).to_have_attribute("open", "")
    assert page.evaluate("() => window.scrollY") == scroll_before
    assert tab.errors == []


def test_keyboard_alone_selects_aligns_zooms_and_moves(tab, demo, api):
    page = tab.page
    design_id = open_product(tab, demo["store_id"])
    title_id = layer_id(page, "Title")
    page.locator(f"#s-{title_id}").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#s-{title_id}")).to_have_attribute("aria-pressed", "true")
    # Shift+Enter on another layer's button adds it to the selection, and takes it out again.
    contact_id = layer_id(page, "Contact")
    page.locator(f"#s-{contact_id}").focus()
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#layers .select[aria-pressed=true]")).to_have_count(2)
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#layers .select[aria-pressed=true]")).to_have_count(1)
    page.get_by_role("button", name="Centre across").focus()
    page.keyboard.press("Enter")
    wait_until(lambda: api.layer(design_id, "Title")["x"], (CARD_WIDTH_MM - 66) / 2)
    page.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#zoom-level")).to_have_text("125%")
    page.locator("#preview").focus()
    page.keyboard.press("ArrowDown")
    wait_until(lambda: api.layer(design_id, "Title")["y"], 25)
    page.keyboard.press("0")
    expect(page.locator("#zoom-level")).to_have_text("100%")
    assert tab.errors == []


def test_on_a_phone_a_touch_drag_moves_and_snaps_and_two_fingers_zoom(tab, demo, api, chromium, live_server):
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server}/editor/stores/{demo['store_id']}/products/mug-wrap")
        wait_for_htmx(page)
        page.get_by_role("button", name="Personalize").click()
        page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
        wait_for_htmx(page)
        design_id = page.url.rsplit("/", 1)[1]
        touch = Touch(page)
        for button in page.locator(".arrange-bar button").all():
            box = button.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, button.get_attribute("aria-label")
        layer = next(item for item in api.layers(design_id) if not item.get("locked", {}).get("move"))
        side_width = float(page.locator("#preview > svg").get_attribute("data-trim-width"))
        start = screen_of(page, *centre_of(layer))
        end = screen_of(page, side_width / 2 + 0.5, centre_of(layer)[1] + 7.3)
        touch("touchStart", [start])
        touch("touchMove", [((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)])
        touch("touchMove", [end])
        guides = page.locator("#preview line.pw-guide[data-axis=x]")
        expect(guides.first).to_be_attached()
        assert side_width / 2 in [
            float(x) for x in guides.evaluate_all("lines => lines.map(l => l.getAttribute('x1'))")
        ]
        touch("touchEnd", [])
        wait_until(lambda: api.layer(design_id, layer["name"])["y"] != layer["y"])
        assert centre_of(api.layer(design_id, layer["name"]))[0] == pytest.approx(side_width / 2, abs=0.001)

        scale = px_per_mm(page)
        box = page.locator("#preview").bounding_box()
        middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        touch("touchStart", [(middle[0] - 20, middle[1]), (middle[0] + 20, middle[1])])
        touch("touchMove", [(middle[0] - 40, middle[1]), (middle[0] + 40, middle[1])])
        touch("touchMove", [(middle[0] - 60, middle[1]), (middle[0] + 60, middle[1])])
        touch("touchEnd", [])
        assert px_per_mm(page) > scale * 2
        assert errors == []
    finally:
        context.close()


class Touch:
    """Touches through the DevTools protocol (one session, which keeps the fingers down between
    events): the browser makes the pointer events a phone's would."""

    def __init__(self, page):
        self.session = page.context.new_cdp_session(page)

    def __call__(self, kind: str, points: list) -> None:
        points = [{"x": x, "y": y, "id": index} for index, (x, y) in enumerate(points)]
        self.session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_the_arrange_toolbar_and_rulers_have_no_serious_accessibility_violations(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"])
    page.locator("#layers > li.layer .select").nth(1).click()
    page.get_by_role("button", name="Zoom in").click()
    found = violations(page)
    page.set_viewport_size(PHONE)
    found += violations(page)
    assert found == []
    assert tab.errors == []


def test_the_merchant_aligns_template_layers_locked_ones_too(tab, demo, api):
    page = tab.page
    template_id = open_template(tab, demo["store_id"], "Classic")

    def template_layer(name: str) -> dict:
        request = urllib.request.Request(
            f"{api.base}/api/v1/templates/{template_id}",
            headers={"Authorization": f"Bearer {api.secret}", "Accept": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return next(layer for layer in json.load(response)["layers"] if layer.get("name") == name)

    # The accent bar is locked for customers, not for the merchant who made it.
    page.locator(f"#s-{layer_id(page, 'Accent bar')}").click()
    page.get_by_role("button", name="Align right").click()
    wait_until(lambda: template_layer("Accent bar")["x"], CARD_WIDTH_MM - 9)
    assert tab.errors == []
