"""Photos in the editor, in Chromium: the upload's progress bar, a photo over the limit refused
before anything is sent, a new photo filling the side's empty frame (or free space in the safe
zone) and selected, and cropping it in its frame with the mouse, the slider, the keyboard alone
and a finger on a phone, the crop read back from the API; axe in crop mode."""

import os
import re
import time

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from tests.browser import (
    PHONE,
    TIMEOUT_MS,
    layer_item,
    open_product,
    screenshot_dir,
    violations,
    wait_for_htmx,
)
from tests.factories import wait_until
from tests.test_editor_browser import photo

FRAME = {"x": 45, "y": 8, "width": 30, "height": 30}  # on the business card's front, 85 × 55 mm


def landscape(path, width_px: int, height_px: int) -> str:
    """A JPEG with something to see where it is cropped: a sky, a sun on the right, a hill."""
    image = Image.new("RGB", (width_px, height_px), (90, 150, 220))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width_px * 0.7, height_px * 0.1, width_px * 0.9, height_px * 0.4), fill=(250, 210, 90))
    draw.polygon(
        [
            (0, height_px),
            (0, height_px * 0.7),
            (width_px * 0.4, height_px * 0.55),
            (width_px, height_px * 0.8),
            (width_px, height_px),
        ],
        fill=(60, 120, 50),
    )
    image.save(path, "JPEG", quality=85)
    return str(path)


def with_empty_frame(tab, api, design_id: str) -> None:
    """The design gets an empty photo frame (as a template's would be), and the page is reloaded."""
    api.call("POST", f"/api/v1/designs/{design_id}/layers", {"type": "image", "name": "Frame", **FRAME})
    tab.page.reload()
    wait_for_htmx(tab.page)


def upload_into_frame(tab, api, tmp_path, width_px: int = 1800, height_px: int = 1200) -> tuple[str, str]:
    """Open the card, give it an empty frame, add a photo: the design's id and the frame's."""
    design_id = open_product(tab, tab.demo_store)
    with_empty_frame(tab, api, design_id)
    frame_id = layer_item(tab.page, "Frame").get_attribute("data-layer-id")
    tab.page.get_by_label("Add a photo").set_input_files(
        landscape(tmp_path / "beach.jpg", width_px, height_px)
    )
    wait_until(lambda: bool(api.layer(design_id, "Frame").get("fileId")), True)
    expect(tab.page.locator(f"#s-{frame_id}")).to_have_attribute("aria-pressed", "true")
    expect(tab.page.locator(f"#f-{frame_id}-crop")).to_be_visible()
    return design_id, frame_id


def crop_of(api, design_id: str) -> dict | None:
    return api.layer(design_id, "Frame").get("crop")


@pytest.fixture
def photo_tab(tab, demo):
    tab.demo_store = demo["store_id"]
    return tab


def test_an_upload_shows_its_progress_and_fills_the_empty_frame_selected(photo_tab, api, tmp_path):
    tab, page = photo_tab, photo_tab.page
    design_id = open_product(tab, tab.demo_store)
    with_empty_frame(tab, api, design_id)
    frame_id = layer_item(page, "Frame").get_attribute("data-layer-id")
    layers_before = len(api.get(f"/api/v1/designs/{design_id}")["layers"])

    # The upload's answer is held back a moment, so the bar can be seen.
    def slowly(route):
        time.sleep(1)
        route.continue_()

    page.route("**/api/v1/files/upload", slowly)
    page.get_by_label("Add a photo").set_input_files(photo(tmp_path / "beach.jpg", 1200, 800))
    bar = page.get_by_role("progressbar", name="Uploading beach.jpg")
    expect(bar).to_be_visible()
    expect(page.locator("#add-photo-note")).to_have_attribute("aria-live", "polite")
    expect(page.locator("#add-photo-note")).to_contain_text("beach.jpg uploaded", timeout=TIMEOUT_MS)
    expect(bar).to_have_count(0)

    wait_until(lambda: bool(api.layer(design_id, "Frame").get("fileId")), True)
    frame = api.layer(design_id, "Frame")
    assert {key: frame[key] for key in FRAME} == FRAME  # the photo took the frame as it was
    assert len(api.get(f"/api/v1/designs/{design_id}")["layers"]) == layers_before
    expect(page.locator(f"#s-{frame_id}")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#preview g.pw-selection")).to_have_count(1)
    assert tab.errors == []


def test_a_photo_without_a_frame_goes_in_free_space_in_the_safe_zone_selected(photo_tab, api, tmp_path):
    tab, page = photo_tab, photo_tab.page
    design_id = open_product(tab, tab.demo_store)
    page.get_by_label("Add a photo").set_input_files(photo(tmp_path / "beach.jpg", 1200, 800))
    expect(page.locator("#layers > li.layer-image")).to_have_count(1)
    item = page.locator("#layers > li.layer-image")
    expect(item.locator(".select")).to_have_attribute("aria-pressed", "true")
    added = api.layer(design_id, "Photo")
    safe = 4  # the demo card's safe zone, mm
    assert added["x"] >= safe and added["y"] >= safe
    assert added["x"] + added["width"] <= 85 - safe + 0.01
    assert added["y"] + added["height"] <= 55 - safe + 0.01
    assert abs(added["width"] / added["height"] - 1.5) < 0.01  # the photo's proportions
    assert tab.errors == []


def test_a_photo_over_the_limit_is_refused_before_anything_is_sent(photo_tab, api, tmp_path):
    tab, page = photo_tab, photo_tab.page
    open_product(tab, tab.demo_store)
    field = page.get_by_label("Add a photo")
    expect(field).to_have_attribute("data-max-bytes", str(25 * 1024 * 1024))
    sent = []
    page.on("request", lambda request: "/api/v1/files/upload" in request.url and sent.append(request.url))
    huge = tmp_path / "huge.jpg"
    huge.write_bytes(b"\xff\xd8\xff" + bytes(32 * 1024 * 1024))
    field.set_input_files(str(huge))
    expect(page.locator("#add-photo-note")).to_have_text(
        "This photo is 32 MB; the largest photo you can add is 25 MB."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    page.wait_for_timeout(300)
    assert sent == []
    assert tab.errors == []


def test_cropping_by_dragging_and_zooming_with_the_slider_writes_the_crop(photo_tab, api, tmp_path):
    tab, page = photo_tab, photo_tab.page
    design_id, frame_id = upload_into_frame(tab, api, tmp_path)  # 1800 × 1200 px, a 30 mm square
    page.locator(f"#f-{frame_id}-crop").click()
    expect(page.locator(f"#f-{frame_id}-crop")).to_have_attribute("aria-pressed", "true")
    dpi = page.locator(f"#f-{frame_id}-dpi")
    # Zoom 1: the middle 1200 × 1200 px across 30 mm, 1016 dpi.
    expect(dpi).to_have_text("Prints at 1016 dpi at this size.")

    # Drag the photo 5 mm to the right: the crop moves left, by 5/30 of the 1200 px shown.
    box = page.locator(f'#preview g.layer[data-layer-id="{frame_id}"] rect.hit').bounding_box()
    scale = page.evaluate("() => document.querySelector('#preview > svg').getScreenCTM().a")
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 2.5 * scale, y, steps=3)
    page.mouse.move(x + 5 * scale, y, steps=3)
    page.mouse.up()
    wait_until(lambda: crop_of(api, design_id) is not None, True)
    crop = crop_of(api, design_id)
    assert crop["width"] == pytest.approx(2 / 3, abs=1e-4) and crop["height"] == pytest.approx(1, abs=1e-4)
    assert crop["x"] == pytest.approx(1 / 6 - (5 / 30) * (2 / 3), abs=0.01)
    frame = api.layer(design_id, "Frame")
    assert {key: frame[key] for key in FRAME} == FRAME  # the frame did not move

    # Ctrl+wheel over the photo zooms in: fewer pixels across the frame.
    page.mouse.move(x, y)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    expect(dpi).not_to_have_text("Prints at 1016 dpi at this size.")
    wait_until(lambda: crop_of(api, design_id)["width"] < 0.6, True)

    # The slider zooms to 2×: half the pixels across, the DPI shown halves.
    slider = page.get_by_label("Zoom the photo")
    slider.fill("2")
    expect(dpi).to_have_text("Prints at 508 dpi at this size.")
    wait_until(lambda: round(crop_of(api, design_id)["width"], 4), round(1 / 3, 4))
    page.screenshot(path=os.path.join(screenshot_dir(tmp_path), "presswork-photo-crop.png"))
    # At 8×, 150 px across 30 mm: too few for print, said in plain words.
    slider.fill("8")
    expect(dpi).to_have_text("Prints at 127 dpi at this size.")
    expect(page.locator(f"#f-{frame_id}-blurry")).to_have_text(
        "This photo may print blurry at this size: zoom out or make the frame smaller."
    )
    # Escape leaves crop mode; the handles come back.
    page.keyboard.press("Escape")
    expect(page.locator(f"#f-{frame_id}-crop")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#preview.cropping")).to_have_count(0)

    # Another photo in its place: the frame stays, the new photo fills it from its middle.
    page.get_by_label("Replace the photo").set_input_files(photo(tmp_path / "tall.jpg", 600, 900))
    wait_until(lambda: api.layer(design_id, "Frame").get("crop"), None)
    frame = api.layer(design_id, "Frame")
    assert {key: frame[key] for key in FRAME} == FRAME
    assert tab.errors == []


def test_crop_mode_with_the_keyboard_alone(photo_tab, api, tmp_path):
    tab, page = photo_tab, photo_tab.page
    design_id, frame_id = upload_into_frame(tab, api, tmp_path)
    page.locator(f"#s-{frame_id}").focus()
    page.keyboard.press("Shift+Tab")  # back to the canvas, the photo still selected
    for _ in range(40):
        if page.evaluate("() => document.activeElement.id") == "preview":
            break
        page.keyboard.press("Shift+Tab")
    expect(page.locator("#preview")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#f-{frame_id}-crop")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#editor-status")).to_contain_text("Cropping “Frame”")
    for key in ("+", "+", "ArrowLeft", "ArrowLeft"):
        page.keyboard.press(key)
    # Zoomed 1.21×, then the photo moved left: the crop goes right of the middle.
    wait_until(lambda: crop_of(api, design_id) is not None, True)
    crop = crop_of(api, design_id)
    assert crop["width"] == pytest.approx((2 / 3) / 1.21, abs=1e-3)
    assert crop["x"] > (1 - crop["width"]) / 2
    before = api.layer(design_id, "Frame")
    page.keyboard.press("Escape")
    expect(page.locator(f"#f-{frame_id}-crop")).to_have_attribute("aria-pressed", "false")
    # Out of crop mode, the arrows move the frame again.
    page.keyboard.press("ArrowRight")
    wait_until(lambda: api.layer(design_id, "Frame")["x"], before["x"] + 1)
    assert api.layer(design_id, "Frame")["crop"] == crop
    assert tab.errors == []


def test_a_double_click_starts_crop_mode_where_axe_finds_nothing_serious(photo_tab, api, tmp_path):
    tab, page = photo_tab, photo_tab.page
    _, frame_id = upload_into_frame(tab, api, tmp_path)
    # A double-click on the photo starts cropping it.
    page.locator(f'#preview g.layer[data-layer-id="{frame_id}"] rect.hit').dblclick()
    expect(page.locator(f"#f-{frame_id}-crop")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_label("Zoom the photo")).to_be_visible()
    assert violations(page) == []


def touch(cdp, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": kind, "touchPoints": [{"x": x, "y": y, "id": index} for index, (x, y) in enumerate(points)]},
    )


def test_on_a_phone_a_tap_selects_the_photo_and_a_finger_pans_it(chromium, live_server, demo, api, tmp_path):
    context = chromium.new_context(viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=2)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{live_server}/editor/stores/{demo['store_id']}/products/business-card")
        wait_for_htmx(page)
        page.get_by_role("button", name="Personalize").tap()
        page.wait_for_url(re.compile(r".*/editor/designs/des_\w+$"))
        wait_for_htmx(page)
        design_id = page.url.rsplit("/", 1)[1]
        api.call("POST", f"/api/v1/designs/{design_id}/layers", {"type": "image", "name": "Frame", **FRAME})
        page.reload()
        wait_for_htmx(page)
        frame_id = layer_item(page, "Frame").get_attribute("data-layer-id")
        page.get_by_label("Add a photo").set_input_files(photo(tmp_path / "beach.jpg", 1800, 1200))
        wait_until(lambda: bool(api.layer(design_id, "Frame").get("fileId")), True)
        expect(page.locator(f'#preview g.layer[data-layer-id="{frame_id}"] image')).to_have_count(1)
        page.evaluate("() => window.scrollTo(0, 0)")

        # A tap selects the photo; its Crop button is a finger's size.
        hit = page.locator(f'#preview g.layer[data-layer-id="{frame_id}"] rect.hit')
        box = hit.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page.locator(f"#s-{frame_id}")).to_have_attribute("aria-pressed", "true")
        crop_button = page.locator(f"#f-{frame_id}-crop")
        crop_button.scroll_into_view_if_needed()
        size = crop_button.bounding_box()
        assert size["width"] >= 44 and size["height"] >= 44, size
        crop_button.tap()
        expect(crop_button).to_have_attribute("aria-pressed", "true")

        # A finger drags the photo to the left in its frame: the crop moves right.
        page.evaluate("() => window.scrollTo(0, 0)")
        box = hit.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        cdp = context.new_cdp_session(page)
        touch(cdp, "touchStart", [(x, y)])
        for step in range(1, 6):
            touch(cdp, "touchMove", [(x - step * box["width"] / 10, y)])
        touch(cdp, "touchEnd", [])
        wait_until(lambda: crop_of(api, design_id) is not None, True)
        crop = crop_of(api, design_id)
        assert crop["x"] > (1 - crop["width"]) / 2 + 0.05, crop
        frame = api.layer(design_id, "Frame")
        assert {key: frame[key] for key in FRAME} == FRAME

        # Two fingers moving apart zoom in (where the photo is now: the phone's layout settles the
        # page once a finger lifts).
        width_before = crop["width"]
        page.wait_for_timeout(300)
        box = hit.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        touch(cdp, "touchStart", [(x - 10, y), (x + 10, y)])
        for step in range(1, 6):
            touch(cdp, "touchMove", [(x - 10 - step * 8, y), (x + 10 + step * 8, y)])
        touch(cdp, "touchEnd", [])
        wait_until(lambda: crop_of(api, design_id)["width"] < width_before * 0.5, True)
        assert errors == []
    finally:
        context.close()
