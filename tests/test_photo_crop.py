"""A photo cropped in its frame, on the server: the editor's crop tools (static/js/editor/crop.js)
send the layer's `crop` (fractions of the picture) in one PATCH; the API checks it, stores it, and
the composer draws the picture where the crop puts it, in the preview as in the PDF. The editor's
photo fields get the upload limits the files API enforces."""

import math
import re

from PIL import ImageChops

from designer.designs.models import Design
from designer.editing.service import compose_design
from designer.files.service import photo_limits
from designer.tenancy import get_in_store
from tests.factories import error, rasterized
from tests.test_print_matches_preview import (
    DPI,
    MAX_DIFFERING,
    MM_PER_INCH,
    chromium_raster,
    design_on,
    differing_share,
    keep_for_inspection,
    pdf_of,
    photo_jpeg,
    product_with_sides,
    uploaded,
)

FRAME = {"x": 10, "y": 10, "width": 40, "height": 20}  # 2:1, for a 900 × 600 px photo


def photo_design(client, merchant) -> tuple[str, str]:
    """A one-side design with one photo (900 × 600 px) in a 40 × 20 mm frame: its id, the layer's."""
    product = product_with_sides(client, merchant, ["#ffffff"])
    jpeg = uploaded(client, merchant, photo_jpeg(), "hill.jpg")
    design_id = design_on(
        client, merchant, product, 0, [{"type": "image", "id": "lyr_photo", "fileId": jpeg, **FRAME}]
    )
    return design_id, "lyr_photo"


def picture_box(svg: str) -> tuple[float, ...]:
    """The x, y, width and height (mm) of the composition's one <image>."""
    match = re.search(r'<image [^>]*x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    assert match, svg[:500]
    return tuple(float(value) for value in match.groups())


def test_a_crop_is_written_and_the_composer_draws_the_picture_where_it_puts_it(app, client, merchant):
    design_id, layer_id = photo_design(client, merchant)
    # The right half of the picture, from half way down, at the frame's 2:1: 0.5 × 900 px across,
    # 0.375 × 600 px down.
    crop = {"x": 0.5, "y": 0.5, "width": 0.5, "height": 0.375}
    response = client.patch(
        f"/api/v1/designs/{design_id}/layers/{layer_id}", json={"crop": crop}, headers=merchant.bearer
    )
    assert response.status_code == 200, response.json
    stored = client.get(f"/api/v1/designs/{design_id}", headers=merchant.bearer).json
    assert stored["layers"][0]["crop"] == crop
    with app.app_context():
        design = get_in_store(Design, design_id, merchant.store_id)
        composition = compose_design(design, mode="preview")
    # 450 px of the picture across the 40 mm frame: the whole picture is 80 × 53.33 mm, its left
    # edge 40 mm before the frame's (at 10 mm), its top 26.67 mm above the frame's (at 10 mm).
    x, y, width, height = picture_box(composition.svg)
    assert (round(x, 3), round(y, 3), round(width, 3), round(height, 3)) == (-30, -16.667, 80, 53.333)
    assert composition.image_dpi[layer_id] == round(450 / (40 / 25.4), 1)  # 285.8 dpi
    assert composition.image_px[layer_id] == (900, 600)


def test_a_crop_outside_the_picture_is_refused_naming_the_field(client, merchant):
    design_id, layer_id = photo_design(client, merchant)
    url = f"/api/v1/designs/{design_id}/layers/{layer_id}"
    for crop in (
        {"x": 0.6, "y": 0, "width": 0.5, "height": 0.5},
        {"x": -0.1, "y": 0, "width": 0.5, "height": 0.5},
        {"x": 0, "y": 0, "width": 0, "height": 0.5},
    ):
        response = client.patch(url, json={"crop": crop}, headers=merchant.bearer)
        body = error(response, 422, "validation_error")
        assert body["field"].startswith("crop"), body
    stored = client.get(f"/api/v1/designs/{design_id}", headers=merchant.bearer).json
    assert stored["layers"][0]["crop"] is None


def test_the_editor_is_told_the_upload_limits_the_api_enforces(app):
    class Product:
        personalization = {"maxUploadBytes": 5 * 1024 * 1024, "allowedFileTypes": ["jpg", "png", "pdf"]}
        sides = []

    with app.app_context():
        everything = photo_limits(None)
        narrowed = photo_limits(Product())
    assert everything.max_bytes == app.config["MAX_CONTENT_LENGTH"] == 25 * 1024 * 1024
    assert "image/svg+xml" in everything.media_types and "application/pdf" not in everything.media_types
    assert narrowed.max_bytes == 5 * 1024 * 1024
    assert narrowed.media_types == ("image/jpeg", "image/png")  # a PDF is no photo


def test_a_cropped_photo_prints_what_the_preview_shows(app, client, merchant, chromium, tmp_path):
    design_id, layer_id = photo_design(client, merchant)
    client.patch(
        f"/api/v1/designs/{design_id}/layers/{layer_id}",
        json={"crop": {"x": 0.55, "y": 0.1, "width": 0.4, "height": 0.3}},
        headers=merchant.bearer,
    )
    with app.app_context():
        design = get_in_store(Design, design_id, merchant.store_id)
        svg = compose_design(design, mode="print").svg
        printed = rasterized(pdf_of(design), tmp_path, DPI)
        bleed = design.side.bleed_mm
        size_mm = (design.side.width_mm + 2 * bleed, design.side.height_mm + 2 * bleed)
    inside = (0, 0, *(math.floor(mm * DPI / MM_PER_INCH) for mm in size_mm))
    printed, shown = printed.crop(inside), chromium_raster(chromium, svg, printed.size).crop(inside)
    share = differing_share(printed, shown)
    difference = ImageChops.difference(printed, shown)
    keep_for_inspection("cropped photo", {"pdf": printed, "chromium": shown, "diff": difference})
    assert share <= MAX_DIFFERING, f"{share:.2%} of the pixels differ"
