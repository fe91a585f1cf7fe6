"""The issue's "done when", as a customer does it in Chromium on a desktop and on a phone: the demo
business card, mug and t-shirt personalized on the canvas (a text typed in place, a photo added,
cropped and zoomed, a clipart dragged until it snaps to the centre line) and saved, without a
problem the canvas did not show first."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, layer_id, open_product, opened_tab
from tests.factories import bearer, wait_until

# Each product and the text layer the customer types into (within its character limit).
JOURNEYS = [
    ("business-card", "Name", "Grace Hopper"),
    ("mug-wrap", "Message", "Best mum ever"),
    ("t-shirt", "Team", "Lions"),
]


def photo(path) -> str:
    """A 1600 × 1200 px JPEG with something to see, on disk for the file field."""
    image = Image.new("RGB", (1600, 1200), "#3a7bd5")
    for band in range(0, 1600, 200):
        image.paste("#f5b700", (band, 0, band + 100, 1200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    file = path / "holiday.jpg"
    file.write_bytes(buffer.getvalue())
    return str(file)


def centre_of(page, selector: str) -> tuple[float, float]:
    box = page.locator(selector).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def selected_id(page) -> str:
    item = page.locator("#layers > li.layer.selected")
    expect(item).to_have_count(1)
    return item.get_attribute("data-layer-id")


def design_layers(client, demo, design_id: str) -> list[dict]:
    answer = client.get(f"/api/v1/designs/{design_id}", headers=bearer(demo["secret"]))
    assert answer.status_code == 200, answer.text
    return answer.json["layers"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(("product", "text_layer", "typed"), JOURNEYS)
def test_a_customer_personalizes_on_the_canvas_and_saves(
    chromium, live_server, demo, client, tmp_path, viewport, product, text_layer, typed
):
    with opened_tab(chromium, live_server, viewport=viewport) as tab:
        page = tab.page
        design_id = open_product(tab, demo["store_id"], product)

        # A text typed in place: the first click selects it, the second types.
        text_id = layer_id(page, text_layer)
        hit = f'#preview g.layer[data-layer-id="{text_id}"] rect.hit'
        # Two clicks as a customer makes them: the first selects, and on a phone the page then
        # scrolls the canvas up under its bar (a double-click's second half could land where the
        # text was); the second, once the text stands still again, types into it.
        page.locator(hit).click()
        expect(page.locator(f'#layers > li.layer.selected[data-layer-id="{text_id}"]')).to_have_count(1)
        page.locator(hit).click()
        overlay = page.locator("#text-overlay")
        expect(overlay).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type(typed)
        page.keyboard.press("Escape")
        expect(page.locator("#preview").get_by_role("img", name=typed)).to_have_count(1)

        # A photo added fills a frame and is selected; cropped by dragging, zoomed with +.
        page.locator("#add-photo").set_input_files(photo(tmp_path))
        wait_until(
            lambda: any(
                layer["type"] == "image" and layer.get("fileId")
                for layer in design_layers(client, demo, design_id)
            ),
            True,
        )
        photo_id = selected_id(page)
        crop = page.locator(f"#f-{photo_id}-crop")
        crop.scroll_into_view_if_needed()
        crop.click()
        expect(crop).to_have_attribute("aria-pressed", "true")
        x, y = centre_of(page, f'#preview g.layer[data-layer-id="{photo_id}"] rect.hit')
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 8, y, steps=4)
        page.mouse.up()
        page.locator("#preview").focus()
        page.keyboard.press("+")
        page.keyboard.press("Escape")
        wait_until(
            lambda: (
                next(
                    layer for layer in design_layers(client, demo, design_id) if layer["id"] == photo_id
                ).get("crop")
                is not None
            ),
            True,
        )
        expect(page.locator(f"#f-{photo_id}-dpi")).to_contain_text("dpi")

        # A clipart added is selected; dragged near the centre line, it snaps onto it.
        if viewport == PHONE:  # the phone's toolbar: the photo's sheet put away, then "Add clipart"
            toolbar = page.locator("#phone-toolbar")
            toolbar.get_by_role("button", name="Done").click()
            toolbar.get_by_role("button", name="Add clipart").click()
        else:
            page.locator("#clipart-picker summary").click()
        page.locator("#clipart-picker button.clip").first.click()
        expect(page.locator("#layers > li.layer-clipart.selected")).to_have_count(1)
        clip_id = selected_id(page)
        clip = f'#preview g.layer[data-layer-id="{clip_id}"] rect.hit'
        x, y = centre_of(page, clip)
        svg = page.evaluate(
            """() => { const svg = document.querySelector('#preview > svg'); const m = svg.getScreenCTM();
                       return {a: m.a, e: m.e, width: Number(svg.dataset.trimWidth)}; }"""
        )
        centre_x = svg["e"] + svg["a"] * svg["width"] / 2
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move((x + centre_x) / 2, y + 10, steps=4)
        hair = 0.05 * svg["a"]  # 0.05 mm off the centre line, nearer it than to any other line: it snaps
        page.mouse.move(centre_x + hair, y + 10, steps=4)
        expect(page.locator("#preview line.pw-guide").first).to_be_attached()
        page.mouse.up()

        def clip_centre():
            layer = next(layer for layer in design_layers(client, demo, design_id) if layer["id"] == clip_id)
            return round(layer["x"] + layer["width"] / 2, 3)

        wait_until(clip_centre, round(svg["width"] / 2, 3))

        # Saved, with no problem met that the canvas had not shown.
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#save-result .notice")).to_have_text("Saved.")
        expect(page.locator("#save-result .error")).to_have_count(0)
        assert tab.errors == []
