"""The editor's 3D view in Debian's Chromium (WebGL by SwiftShader): the demo mug drawn in 3D with
the customer's design on it, following each edit, turned by drag and keys, on a desktop and a
phone; the canvas print's edge preview following each edit; no 3D script on a product without a
3D profile; and nothing serious for axe."""

import io
import math

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import PHONE, layer_item, open_product, opened_tab, small_controls, violations

VENDOR_THREE = "/static/vendor/three/"


def shown_3d(page):
    """Press "3D view" and wait until the model is drawn with the design."""
    page.get_by_role("button", name="3D view").click()
    expect(page.get_by_role("button", name="Flat view")).to_be_visible()
    expect(page.locator("#canvas-frame")).to_be_hidden()
    canvas = page.locator("#view3d-canvas")
    expect(canvas).to_have_attribute("data-ready", "true")
    return canvas


def pixels(canvas) -> Image.Image:
    """The 3D canvas as it is on the screen."""
    return Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")


def colours(picture: Image.Image) -> list[tuple[int, int, int]]:
    data = picture.tobytes()
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


def share_of(picture: Image.Image, is_colour) -> float:
    data = colours(picture)
    return sum(1 for pixel in data if is_colour(*pixel)) / len(data)


def greenish(red, green, blue) -> bool:
    return green > 120 and green > red + 60 and green > blue + 60


def reddish(red, green, blue) -> bool:
    return red > 110 and red > green + 60 and red > blue + 60


def recolour_message(page, colour: str) -> None:
    """Change the mug's text colour through its field in the layer panel (one htmx edit)."""
    item = layer_item(page, "Message")
    item.locator("summary").click()
    with page.expect_response(lambda response: "/layers/" in response.url and response.ok):
        item.locator("input[type=color][name=color]").fill(colour)


def test_the_mug_shows_the_design_in_3d_and_follows_an_edit(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"], "mug-wrap")
    canvas = shown_3d(page)
    before = pixels(canvas)
    # Drawn: the grey background, the white mug and the red message on it.
    assert len(set(colours(before))) > 50
    assert share_of(before, reddish) > 0.002
    assert share_of(before, greenish) == 0

    recolour_message(page, "#00a000")

    page.wait_for_function("() => document.querySelector('#preview svg').outerHTML.includes('#00a000')")
    for _ in range(50):
        after = pixels(canvas)
        if share_of(after, greenish) > 0.002:
            break
        page.wait_for_timeout(100)
    assert share_of(after, greenish) > 0.002
    assert share_of(after, reddish) < share_of(before, reddish) / 4
    assert tab.errors == []


def test_the_mug_turns_by_drag_and_by_keys_and_the_flat_view_comes_back(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"], "mug-wrap")
    canvas = shown_3d(page)
    start = pixels(canvas)

    # The middle of the wrap faces the camera at first: the handle (at u 0) is behind the mug.
    facing = float(canvas.get_attribute("data-yaw"))
    assert facing == pytest.approx(math.pi / 2, abs=0.07)

    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 150, box["y"] + box["height"] / 2, steps=10)
    page.mouse.up()
    expect(canvas).to_have_attribute("data-yaw", f"{facing + 1.5:.3f}")
    dragged = pixels(canvas)
    assert dragged.tobytes() != start.tobytes()

    canvas.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(canvas).to_have_attribute("data-yaw", f"{facing + 1.5 - 2 * math.pi / 12:.3f}")

    page.get_by_role("button", name="Flat view").click()
    expect(page.locator("#canvas-frame")).to_be_visible()
    expect(page.locator("#view3d")).to_be_hidden()
    expect(page.get_by_role("button", name="3D view")).to_be_visible()
    assert violations(page) == []
    assert tab.errors == []


def test_the_mug_turns_by_touch_on_a_phone(chromium, live_server, demo):
    with opened_tab(chromium, live_server, PHONE, touch=True) as phone:
        page = phone.page
        open_product(phone, demo["store_id"], "mug-wrap")
        page.get_by_role("button", name="3D view").tap()
        canvas = page.locator("#view3d-canvas")
        expect(canvas).to_have_attribute("data-ready", "true")
        box = canvas.bounding_box()
        assert box["width"] <= PHONE["width"]
        start = pixels(canvas)
        # A finger dragged across the mug (touch pointer events, as a phone sends them).
        client = page.context.new_cdp_session(page)
        y = box["y"] + box["height"] / 2
        xs = [box["x"] + 60 + step * 20 for step in range(8)]
        facing = float(canvas.get_attribute("data-yaw"))
        client.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": xs[0], "y": y}]})
        for x in xs[1:]:
            client.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        client.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(canvas).not_to_have_attribute("data-yaw", f"{facing:.3f}")
        assert float(canvas.get_attribute("data-yaw")) > facing + 0.5
        assert pixels(canvas).tobytes() != start.tobytes()
        assert small_controls(page) == []
        assert violations(page) == []
        assert phone.errors == []


def test_the_canvas_print_shows_its_edge_preview_and_refreshes_it_after_an_edit(tab, demo):
    page = tab.page
    open_product(tab, demo["store_id"], "canvas-print")
    with page.expect_response(lambda response: "/3d-preview" in response.url) as first:
        page.get_by_role("button", name="3D view").click()
    assert first.value.ok and first.value.headers["content-type"] == "image/png"
    still = page.get_by_role("img", name="Your design on the Canvas print, seen in 3D")
    expect(still).to_be_visible()
    expect(still).to_have_attribute("data-etag", first.value.headers["etag"])
    assert still.evaluate("(img) => img.naturalWidth") > 0

    sky = layer_item(page, "Sky")
    sky.locator("summary").click()
    with page.expect_response(lambda response: "/3d-preview" in response.url) as second:
        sky.locator("input[type=color][name=fill]").fill("#00a000")
    assert second.value.ok and second.value.headers["etag"] != first.value.headers["etag"]
    expect(still).to_have_attribute("data-etag", second.value.headers["etag"])
    assert violations(page) == []
    assert tab.errors == []


@pytest.mark.parametrize("slug", ["business-card", "mug-wrap"])
def test_only_a_product_with_a_3d_profile_loads_the_3d_script(tab, demo, slug):
    asked = []
    tab.page.on("request", lambda request: asked.append(request.url))
    open_product(tab, demo["store_id"], slug)
    tab.page.wait_for_load_state("networkidle")
    three = [url for url in asked if VENDOR_THREE in url]
    if slug == "business-card":
        assert three == []
        expect(tab.page.get_by_role("button", name="3D view")).to_have_count(0)
    else:
        assert any(url.endswith("three.module.js") for url in three)
