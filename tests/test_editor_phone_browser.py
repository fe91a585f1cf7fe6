"""The editor on a phone (390 × 844, a touch screen) in Debian's Chromium: the canvas on top, Undo,
Redo and Save always in reach, a bottom toolbar, the selected layer's tools in a sheet, every
control a 44 px touch target, and the answer to Save in view."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser import (
    PHONE,
    layer_item,
    open_product,
    opened_tab,
    screenshot_dir,
    small_controls,
    violations,
)
from tests.factories import wait_until

# Whether the element is on the screen and not covered: what a finger would touch at its centre.
IN_REACH = """(element) => {
  const box = element.getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return false;
  const found = document.elementFromPoint(x, y);
  return found === element || element.contains(found);
}"""


@pytest.fixture
def phone(chromium, live_server):
    with opened_tab(chromium, live_server, PHONE, touch=True) as tab:
        yield tab


def in_reach(page, selector: str) -> bool:
    return page.locator(selector).first.evaluate(IN_REACH)


def assert_save_and_undo_in_reach(page, state: str) -> None:
    for selector in ("#save", "#undo", "#redo"):
        assert in_reach(page, selector), f"{selector} is out of reach when {state}"


def tap_layer_on_canvas(page, layer_id: str) -> None:
    box = page.locator(f'#preview g.layer[data-layer-id="{layer_id}"] rect.hit').bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def canvas_uncovered(page) -> bool:
    """The canvas is not under the sheet nor under the toolbar."""
    return page.evaluate(
        """() => {
          const canvas = document.querySelector('#preview').getBoundingClientRect();
          const covers = [...document.querySelectorAll('#layers > .layer.selected, #phone-toolbar')]
            .map((element) => element.getBoundingClientRect().top);
          return canvas.top >= 0 && covers.every((top) => canvas.bottom <= top + 1);
        }"""
    )


def test_tapping_a_layer_opens_its_tools_in_a_sheet_over_the_toolbar(phone, demo, tmp_path):
    page = phone.page
    open_product(phone, demo["store_id"])
    toolbar = page.locator("#phone-toolbar")
    expect(toolbar).to_be_visible()
    for name in ("Add text", "Add photo", "Add clipart", "Layers"):
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_be_visible()
    assert_save_and_undo_in_reach(page, "nothing is selected")
    assert small_controls(page) == []
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-editor-phone.png"))

    title = layer_item(page, "Title")
    title_id = title.get_attribute("data-layer-id")
    tap_layer_on_canvas(page, title_id)
    expect(page.locator(f"#s-{title_id}")).to_have_attribute("aria-pressed", "true")
    # The sheet: the Title's own panel item, fixed above the toolbar, its text field in reach.
    assert in_reach(page, f"#f-{title_id}-text")
    sheet = title.bounding_box()
    assert sheet["y"] + sheet["height"] <= toolbar.bounding_box()["y"] + 1
    assert canvas_uncovered(page)
    # A finger can hold a corner handle 18 px from its centre (its halo).
    corner = page.locator('#preview [data-handle="1,1"]').bounding_box()
    beside = (corner["x"] + corner["width"] / 2 + 18, corner["y"] + corner["height"] / 2)
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).dataset.handle", beside) == "1,1"
    expect(toolbar.get_by_role("button", name="Done")).to_be_visible()
    expect(toolbar.get_by_role("button", name="Add text")).to_be_hidden()
    assert_save_and_undo_in_reach(page, "a layer's sheet is open")

    # Its style and position open inside the sheet, which scrolls; every control stays 44 px.
    title.locator("summary").tap()
    expect(page.locator(f"#f-{title_id}-fontSize")).to_be_visible()
    assert canvas_uncovered(page)
    assert small_controls(page) == []
    assert_save_and_undo_in_reach(page, "the style panel is open")
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-editor-phone-sheet.png"))
    page.locator(f"#f-{title_id}-text").fill("Chief engineer")
    expect(page.locator("#preview").get_by_role("img", name="Chief engineer")).to_have_count(1)

    # Done puts the sheet away; the toolbar offers adding again.
    toolbar.get_by_role("button", name="Done").tap()
    expect(page.locator(f"#s-{title_id}")).to_have_attribute("aria-pressed", "false")
    expect(toolbar.get_by_role("button", name="Add text")).to_be_visible()
    assert in_reach(page, "#preview")
    assert phone.errors == []


def touch_drag(page, start: tuple[float, float], dx_px: float, dy_px: float) -> None:
    """One finger down at `start`, moved by (dx, dy) in steps, and lifted: Chromium's touch events."""
    session = page.context.new_cdp_session(page)
    x, y = start
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 9):
        point = {"x": x + dx_px * step / 8, "y": y + dy_px * step / 8}
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


def test_a_finger_drags_a_layer_on_the_canvas(phone, demo):
    page = phone.page
    open_product(phone, demo["store_id"])
    title_id = layer_item(page, "Title").get_attribute("data-layer-id")
    x_field = page.locator(f"#f-{title_id}-x")
    before = float(x_field.input_value())
    box = page.locator(f'#preview g.layer[data-layer-id="{title_id}"] rect.hit').bounding_box()
    px_per_mm = page.evaluate("() => document.querySelector('#preview > svg').getScreenCTM().a")
    touch_drag(page, (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2), 10 * px_per_mm, 0)
    wait_until(lambda: abs(float(x_field.input_value()) - before - 10) < 0.5)
    # The layer is selected: its sheet is open to go on with.
    expect(page.locator(f"#s-{title_id}")).to_have_attribute("aria-pressed", "true")
    assert phone.errors == []


def test_the_toolbar_adds_text_and_clipart_and_shows_the_layers(phone, demo):
    page = phone.page
    open_product(phone, demo["store_id"])
    toolbar = page.locator("#phone-toolbar")
    before = page.locator("#layers > li.layer-text").count()
    toolbar.get_by_role("button", name="Add text").tap()
    expect(page.locator("#layers > li.layer-text")).to_have_count(before + 1)
    # The new text is selected, its sheet open; Done puts it away and the tools to add return.
    expect(page.locator("#layers > li.layer.selected")).to_have_count(1)
    toolbar.get_by_role("button", name="Done").tap()

    toolbar.get_by_role("button", name="Add clipart").tap()
    picker = page.locator("#clipart-picker")
    expect(picker).to_have_attribute("open", "")
    expect(picker.locator("summary")).to_be_focused()
    first_clip = picker.locator("button.clip").first
    assert in_reach(page, "#clipart-picker button.clip")
    assert small_controls(page) == []
    assert_save_and_undo_in_reach(page, "the clipart is shown")
    before = page.locator("#layers > li.layer-clipart").count()
    first_clip.tap()
    expect(page.locator("#layers > li.layer-clipart")).to_have_count(before + 1)

    page.locator("#phone-toolbar").get_by_role("button", name="Layers").locator("visible=true").tap()
    expect(page.locator("#layers-title")).to_be_focused()
    assert in_reach(page, "#layers-title")
    assert_save_and_undo_in_reach(page, "the layer list is shown")

    with page.expect_file_chooser() as chooser:
        toolbar.get_by_role("button", name="Add photo").locator("visible=true").tap()
    assert chooser.value.element.get_attribute("id") == "add-photo"
    assert phone.errors == []


def test_after_save_its_answer_is_in_view(phone, demo, tmp_path):
    page = phone.page
    open_product(phone, demo["store_id"])
    name_id = layer_item(page, "Name").get_attribute("data-layer-id")
    tap_layer_on_canvas(page, name_id)
    page.locator(f"#f-{name_id}-text").fill("Grace Hopper")
    expect(page.locator("#preview").get_by_role("img", name="Grace Hopper")).to_have_count(1)
    page.locator("#save").tap()
    notice = page.locator("#save-result .notice")
    expect(notice).to_have_text("Saved.")
    expect(page.locator("#save-result")).to_be_focused()
    # The sheet went away, and the answer sits below the canvas, above the toolbar.
    expect(page.locator("#layers > .layer.selected")).to_have_count(0)
    assert in_reach(page, "#save-result .notice")
    assert_save_and_undo_in_reach(page, "Save has answered")
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-editor-phone-saved.png"))
    assert phone.errors == []


def test_a_refused_save_says_why_in_view(phone, demo):
    page = phone.page
    open_product(phone, demo["store_id"])
    name_id = layer_item(page, "Name").get_attribute("data-layer-id")
    tap_layer_on_canvas(page, name_id)
    page.locator(f"#f-{name_id}-text").fill("")
    expect(page.locator("#warnings li.blocking")).to_have_count(1)
    page.locator("#save").tap()
    expect(page.locator("#save-result .error")).to_be_visible()
    assert in_reach(page, "#save-result .error")
    assert [error for error in phone.errors if "422" not in error] == []


def test_the_phone_editor_with_the_sheet_open_has_no_serious_accessibility_violations(phone, demo):
    page = phone.page
    open_product(phone, demo["store_id"])
    found = violations(page)
    name = layer_item(page, "Name")
    tap_layer_on_canvas(page, name.get_attribute("data-layer-id"))
    name.locator("summary").tap()
    found += violations(page)
    # The clipart's pictures, loaded lazily as the page scrolled, are in before the server stops.
    page.wait_for_load_state("networkidle")
    assert found == []
    assert phone.errors == []
