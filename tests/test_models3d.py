"""3D previews: GLB models validated by a real worker, side mappings and product profiles with
their versions, and the canvas print's edge preview read back pixel by pixel."""

import io
import json
import re
import struct

import cairosvg
import pytest
from PIL import Image, ImageChops, ImageStat
from pygltflib import GLTF2, Asset, BufferView, Scene
from pygltflib import Image as GltfImage
from rq import Queue

from designer import queue
from designer.previews3d.edges import BOTTOM_EDGE_SHADE, MARGIN_PX, RIGHT_EDGE_SHADE
from designer.previews3d.mug import mug_glb
from designer.previews3d.service import requeue_lost_validations
from designer.previews3d.validation import InvalidModel, Limits, validate_glb
from tests.factories import bearer, error, multipart, open_dashboard, run_worker, storefront
from tests.test_printcart import basic

MODELS = "/api/v1/3d-models"


def upload(client, merchant, data: bytes, filename: str = "mug.glb", **fields):
    return client.post(MODELS, headers=merchant.bearer, **multipart({"file": (data, filename), **fields}))


def uploaded(client, merchant, data: bytes, filename: str = "mug.glb") -> dict:
    response = upload(client, merchant, data, filename)
    assert response.status_code == 201, response.json
    return response.json


def model_of(client, merchant, model_id: str) -> dict:
    return client.get(f"{MODELS}/{model_id}", headers=merchant.bearer).json


def with_texture(width_px: int, height_px: int, *, uri: str | None = None) -> bytes:
    """The demo mug with one texture: embedded (a PNG of this size) or referred to by `uri`."""
    gltf = GLTF2.load_from_bytes(mug_glb())
    if uri is not None:
        gltf.images.append(GltfImage(uri=uri))
        return b"".join(gltf.save_to_bytes())
    picture = io.BytesIO()
    Image.new("RGB", (width_px, height_px), (200, 30, 30)).save(picture, "PNG")
    blob = bytearray(gltf.binary_blob())
    gltf.bufferViews.append(BufferView(buffer=0, byteOffset=len(blob), byteLength=len(picture.getvalue())))
    blob += picture.getvalue() + b"\0" * (-len(picture.getvalue()) % 4)
    gltf.images.append(GltfImage(bufferView=len(gltf.bufferViews) - 1, mimeType="image/png"))
    gltf.buffers[0].byteLength = len(blob)
    gltf.set_binary_blob(bytes(blob))
    return b"".join(gltf.save_to_bytes())


def chunks_of(glb: bytes) -> tuple[dict, bytes]:
    """A GLB's JSON document and its binary chunk (pygltflib would merge the buffers on saving)."""
    (json_length,) = struct.unpack("<I", glb[12:16])
    return json.loads(glb[20 : 20 + json_length]), glb[20 + json_length + 8 :]


def glb_of(document: dict, blob: bytes) -> bytes:
    text = json.dumps(document).encode()
    text += b" " * (-len(text) % 4)
    body = struct.pack("<I4s", len(text), b"JSON") + text + struct.pack("<I4s", len(blob), b"BIN\0") + blob
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body


def without_geometry() -> bytes:
    gltf = GLTF2(asset=Asset(version="2.0"), scene=0, scenes=[Scene(nodes=[])])
    gltf.set_binary_blob(b"")
    return b"".join(gltf.save_to_bytes())


def active_model(client, merchant, redis_url, app_config) -> dict:
    model = uploaded(client, merchant, mug_glb())
    run_worker(redis_url, app_config)
    return model_of(client, merchant, model["id"])


# Models


def test_a_valid_glb_is_queued_then_made_active_by_a_worker(client, merchant, redis_url, app_config):
    model = uploaded(client, merchant, mug_glb(), "Coffee mug.glb")
    assert (model["status"], model["name"], model["sizeBytes"]) == ("queued", "Coffee mug", len(mug_glb()))

    run_worker(redis_url, app_config)

    done = model_of(client, merchant, model["id"])
    assert done["status"] == "active" and done["validationError"] is None, done
    assert done["validationReport"]["materials"] == ["wrap", "ceramic"]
    assert done["validationReport"]["primitives"] == 3
    content = client.get(done["contentUrl"], headers=storefront(merchant))
    assert content.status_code == 200 and content.mimetype == "model/gltf-binary"
    assert content.data == mug_glb()


def test_invalid_glbs_become_invalid_with_their_reason(client, merchant, redis_url, app_config):
    cases = {
        "no mesh": (without_geometry(), "no geometry"),
        "5000 px texture": (with_texture(5000, 8), "5000 × 8 px"),
        "external uri": (with_texture(0, 0, uri="textures/wood.png"), "outside the GLB"),
        "not glTF": (b"PK\x03\x04 a zip, not a model", "not a binary glTF"),
    }
    ids = {name: uploaded(client, merchant, data)["id"] for name, (data, _) in cases.items()}

    run_worker(redis_url, app_config)

    for name, (_, reason) in cases.items():
        model = model_of(client, merchant, ids[name])
        assert model["status"] == "invalid", (name, model)
        assert reason in model["validationError"], (name, model["validationError"])


def test_a_texture_of_4096_px_passes_and_an_embedded_buffer_uri_is_refused():
    assert validate_glb(with_texture(4096, 4))["textures"][0]["widthPx"] == 4096
    document, blob = chunks_of(mug_glb())
    document["buffers"].append({"uri": "data:application/octet-stream;base64,AAAA", "byteLength": 3})
    with pytest.raises(InvalidModel, match="Buffer 1 refers to data outside the file .a data URI."):
        validate_glb(glb_of(document, blob))


def test_a_model_larger_than_the_limit_is_invalid():
    data = mug_glb()
    with pytest.raises(InvalidModel, match="a model may be at most"):
        validate_glb(data, Limits(max_bytes=len(data) - 1))
    with pytest.raises(InvalidModel, match="cut or padded"):
        validate_glb(data + b"\0\0\0\0")


def test_a_validation_whose_job_was_lost_is_queued_again_by_the_sweep(
    app, client, merchant, redis_url, app_config
):
    model = uploaded(client, merchant, mug_glb())
    with app.app_context():
        Queue("models", connection=queue.connection()).empty()  # Redis forgot the job
        assert requeue_lost_validations() == []  # not stale yet: its job may be on its way
        assert requeue_lost_validations(stale_after_s=-1) == [model["id"]]
        assert Queue("models", connection=queue.connection()).count == 1
        assert requeue_lost_validations(stale_after_s=-1) == []  # now it waits in its queue

    run_worker(redis_url, app_config)

    assert model_of(client, merchant, model["id"])["status"] == "active"


def test_an_upload_without_a_file_or_an_empty_one_is_refused_naming_the_field(client, merchant):
    no_file = client.post(MODELS, headers=merchant.bearer, **multipart({"name": "Mug"}))
    error(no_file, 422, "validation_error", field="file")
    error(upload(client, merchant, b""), 422, "validation_error", field="file")


def test_validate_requeues_an_invalid_model_and_leaves_an_active_one(client, merchant, redis_url, app_config):
    model = active_model(client, merchant, redis_url, app_config)
    again = client.post(f"{MODELS}/{model['id']}/validate", headers=merchant.bearer)
    assert again.status_code == 200 and again.json["status"] == "active"
    forced = client.post(f"{MODELS}/{model['id']}/validate?reset=true", headers=merchant.bearer)
    assert forced.status_code == 202 and forced.json["status"] == "queued"
    run_worker(redis_url, app_config)
    assert model_of(client, merchant, model["id"])["status"] == "active"


def test_another_store_cannot_see_a_model(client, merchant, make_merchant, redis_url, app_config):
    model = uploaded(client, merchant, mug_glb())
    other = make_merchant("Other")
    error(client.get(f"{MODELS}/{model['id']}", headers=other.bearer), 404, "not_found")
    assert [m["id"] for m in client.get(MODELS, headers=merchant.bearer).json["data"]] == [model["id"]]
    assert client.get(MODELS, headers=other.bearer).json["data"] == []


# Mappings and profiles


def mug_product(client, merchant) -> dict:
    body = {
        "name": "Mug",
        "dimensionUnit": "mm",
        "sides": [{"name": "Wrap", "width": 200, "height": 90}],
    }
    response = client.post("/api/v1/products", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def test_a_side_maps_onto_an_active_model_and_its_version_counts_changes(
    client, merchant, redis_url, app_config
):
    model = active_model(client, merchant, redis_url, app_config)
    side_id = mug_product(client, merchant)["sides"][0]["id"]
    url = f"/api/v1/sides/{side_id}/3d-mapping"
    body = {"modelId": model["id"], "materialName": "wrap"}

    created = client.put(url, json=body, headers=merchant.bearer)
    assert created.status_code == 200, created.json
    assert created.json["configVersion"] == 1 and created.json["uvRegion"] == {
        "u": 0.0,
        "v": 0.0,
        "width": 1.0,
        "height": 1.0,
    }
    assert client.put(url, json=body, headers=merchant.bearer).json["configVersion"] == 1  # no change
    moved = client.put(url, json=body | {"transform": {"rotationDeg": 90}}, headers=merchant.bearer)
    assert moved.json["configVersion"] == 2 and moved.json["transform"]["rotationDeg"] == 90
    assert client.get(url, headers=storefront(merchant)).json["configVersion"] == 2

    unknown = client.put(url, json=body | {"materialName": "glaze"}, headers=merchant.bearer)
    assert "wrap, ceramic" in error(unknown, 422, "validation_error", field="materialName")["message"]
    error(
        client.put(url, json={"modelId": "m3d_nope"}, headers=merchant.bearer),
        422,
        "validation_error",
        "modelId",
    )


def test_a_model_not_yet_active_cannot_be_mapped(client, merchant):
    model = uploaded(client, merchant, mug_glb())
    side_id = mug_product(client, merchant)["sides"][0]["id"]
    refused = client.put(
        f"/api/v1/sides/{side_id}/3d-mapping", json={"modelId": model["id"]}, headers=merchant.bearer
    )
    assert "queued, not active" in error(refused, 422, "validation_error", field="modelId")["message"]


def test_a_model_in_use_cannot_be_deleted_until_nothing_uses_it(client, merchant, redis_url, app_config):
    model = active_model(client, merchant, redis_url, app_config)
    product = mug_product(client, merchant)
    mapping_url = f"/api/v1/sides/{product['sides'][0]['id']}/3d-mapping"
    profile_url = f"/api/v1/products/{product['id']}/3d-profile"
    assert client.put(mapping_url, json={"modelId": model["id"]}, headers=merchant.bearer).status_code == 200
    assert (
        client.put(
            profile_url, json={"mode": "model", "modelId": model["id"]}, headers=merchant.bearer
        ).status_code
        == 200
    )

    in_use = error(client.delete(f"{MODELS}/{model['id']}", headers=merchant.bearer), 409, "conflict")
    assert product["id"] in in_use["message"] and product["sides"][0]["id"] in in_use["message"]
    assert client.delete(mapping_url, headers=merchant.bearer).status_code == 200
    error(client.delete(f"{MODELS}/{model['id']}", headers=merchant.bearer), 409, "conflict")
    assert client.delete(profile_url, headers=merchant.bearer).status_code == 200

    assert client.delete(f"{MODELS}/{model['id']}", headers=merchant.bearer).status_code == 200
    error(client.get(f"{MODELS}/{model['id']}", headers=merchant.bearer), 404, "not_found")
    assert client.get(MODELS, headers=merchant.bearer).json["data"] == []


def test_deleting_a_mapped_side_or_a_product_frees_its_model(client, merchant, redis_url, app_config):
    model = active_model(client, merchant, redis_url, app_config)
    product = mug_product(client, merchant)
    side_id = product["sides"][0]["id"]
    client.put(f"/api/v1/sides/{side_id}/3d-mapping", json={"modelId": model["id"]}, headers=merchant.bearer)
    client.put(
        f"/api/v1/products/{product['id']}/3d-profile",
        json={"mode": "model", "modelId": model["id"]},
        headers=merchant.bearer,
    )
    assert client.delete(f"/api/v1/sides/{side_id}", headers=merchant.bearer).status_code == 200
    error(client.get(f"/api/v1/sides/{side_id}/3d-mapping", headers=merchant.bearer), 404, "not_found")
    assert client.delete(f"/api/v1/products/{product['id']}", headers=merchant.bearer).status_code == 200
    assert client.delete(f"{MODELS}/{model['id']}", headers=merchant.bearer).status_code == 200


def test_a_profile_bumps_its_version_on_render_affecting_changes_and_comes_back_bumped(client, merchant):
    product = mug_product(client, merchant)
    url = f"/api/v1/products/{product['id']}/3d-profile"
    edge = {"mode": "edge", "edgeStyle": "mirror", "edgeDepth": 18}

    first = client.put(url, json=edge, headers=merchant.bearer).json
    assert (first["configVersion"], first["edgeDepthUnit"], first["edgeColor"]) == (1, "mm", "#ffffff")
    assert client.put(url, json=edge, headers=merchant.bearer).json["configVersion"] == 1
    assert client.put(url, json=edge | {"edgeDepth": 25}, headers=merchant.bearer).json["configVersion"] == 2
    assert client.delete(url, headers=merchant.bearer).status_code == 200
    error(client.get(url, headers=merchant.bearer), 404, "not_found")
    assert client.put(url, json=edge | {"edgeDepth": 25}, headers=merchant.bearer).json["configVersion"] == 3

    error(
        client.put(url, json={"mode": "model"}, headers=merchant.bearer), 422, "validation_error", "modelId"
    )
    error(client.put(url, json=edge | {"edgeColor": "red"}, headers=merchant.bearer), 422, "validation_error")


def test_the_product_3d_config_shows_its_profile_model_and_mapped_sides(
    client, merchant, redis_url, app_config
):
    model = active_model(client, merchant, redis_url, app_config)
    product = mug_product(client, merchant)
    side_id = product["sides"][0]["id"]
    client.put(f"/api/v1/sides/{side_id}/3d-mapping", json={"modelId": model["id"]}, headers=merchant.bearer)
    client.put(
        f"/api/v1/products/{product['id']}/3d-profile",
        json={"mode": "model", "modelId": model["id"]},
        headers=merchant.bearer,
    )

    config = client.get(f"/api/v1/products/{product['id']}/3d-config", headers=storefront(merchant)).json
    assert (config["enabled"], config["mode"], config["model"]["id"]) == (True, "model", model["id"])
    (side,) = config["sides"]
    assert (side["sideId"], side["widthMm"], side["mapping"]["modelId"]) == (side_id, 200, model["id"])
    assert client.get(side["mapping"]["modelUrl"], headers=storefront(merchant)).data == mug_glb()


# The edge preview

RED, BLUE, GREEN = (220, 20, 20), (20, 40, 200), (0, 170, 0)


@pytest.fixture
def canvas(client, merchant) -> dict:
    """A 100 × 60 mm canvas (no bleed) with a design: a 10 mm red border around blue, and its profile."""
    body = {"name": "Canvas", "dimensionUnit": "mm", "sides": [{"name": "Front", "width": 100, "height": 60}]}
    product = client.post("/api/v1/products", json=body, headers=merchant.bearer).json
    layers = [
        {"type": "shape", "shape": "rect", "x": 0, "y": 0, "width": 100, "height": 60, "fill": "#dc1414"},
        {"type": "shape", "shape": "rect", "x": 10, "y": 10, "width": 80, "height": 40, "fill": "#1428c8"},
    ]
    design = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"], "layers": layers},
        headers=merchant.bearer,
    ).json
    profile = f"/api/v1/products/{product['id']}/3d-profile"
    edge = {"mode": "edge", "edgeStyle": "mirror", "edgeDepth": 5, "edgeColor": "#00aa00"}
    assert client.put(profile, json=edge, headers=merchant.bearer).status_code == 200
    return {"product": product, "design": design, "profile": profile, "edge": edge}


def preview_of(client, headers: dict, design_id: str, **query):
    response = client.get(f"/api/v1/designs/{design_id}/3d-preview", query_string=query, headers=headers)
    assert response.status_code == 200 and response.mimetype == "image/png", response.get_data(as_text=True)[
        :400
    ]
    return Image.open(io.BytesIO(response.data)).convert("RGBA"), response.headers["X-Cache"]


def close(pixel, colour, shade: float = 1.0, tolerance: int = 6) -> bool:
    return all(
        abs(value - round(channel * shade)) <= tolerance
        for value, channel in zip(pixel, colour, strict=False)
    )


def test_the_mirrored_edge_preview_shows_the_design_in_front_and_its_border_on_the_edges(
    client, merchant, canvas
):
    design = canvas["design"]
    view, _ = preview_of(client, storefront(merchant), design["id"], widthPx=500)
    # 5 px a millimetre: a 500 × 300 front, edges 25 px deep, on a transparent ground.
    assert view.size == (500 + 25 + 2 * MARGIN_PX, 300 + 25 + 2 * MARGIN_PX)
    front = view.crop((MARGIN_PX, MARGIN_PX, MARGIN_PX + 500, MARGIN_PX + 300)).convert("RGB")
    svg = client.get(f"/api/v1/designs/{design['id']}/preview?mode=print", headers=merchant.bearer).data
    flat = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=svg, output_width=500))).convert("RGB")
    difference = ImageStat.Stat(ImageChops.difference(front, flat)).mean
    assert max(difference) < 2  # the front is the design's preview

    right_x, bottom_y = MARGIN_PX + 500, MARGIN_PX + 300
    assert close(view.getpixel((right_x + 5, MARGIN_PX + 150)), RED, RIGHT_EDGE_SHADE)  # its border, mirrored
    assert close(view.getpixel((MARGIN_PX + 250, bottom_y + 5)), RED, BOTTOM_EDGE_SHADE)
    assert view.getpixel((2, 2))[3] == 0 and view.getpixel((right_x + 20, MARGIN_PX + 2))[3] == 0


def test_the_wrapped_and_coloured_edges_are_as_chosen(client, merchant, canvas):
    design_id = canvas["design"]["id"]
    colour, _ = preview_of(client, merchant.bearer, design_id, widthPx=500, edgeStyle="solid_color")
    assert close(colour.getpixel((MARGIN_PX + 500 + 5, MARGIN_PX + 150)), GREEN, RIGHT_EDGE_SHADE)
    assert close(colour.getpixel((MARGIN_PX + 250, MARGIN_PX + 300 + 5)), GREEN, BOTTOM_EDGE_SHADE)

    # Wrapped 15 mm deep: the 10 mm red border and 5 mm of blue fold onto the edges.
    body = canvas["edge"] | {"edgeStyle": "wrap", "edgeDepth": 15}
    assert client.put(canvas["profile"], json=body, headers=merchant.bearer).json["configVersion"] == 2
    wrapped, _ = preview_of(client, merchant.bearer, design_id, widthPx=500)
    front_w, front_h, depth = 500 - 150, 300 - 150, 75
    assert wrapped.size == (front_w + depth + 2 * MARGIN_PX, front_h + depth + 2 * MARGIN_PX)
    assert close(wrapped.getpixel((MARGIN_PX + 10, MARGIN_PX + 10)), BLUE)  # the front starts inside the band
    right_x = MARGIN_PX + front_w
    assert close(
        wrapped.getpixel((right_x + 10, MARGIN_PX + 80)), BLUE, RIGHT_EDGE_SHADE
    )  # next to the corner
    assert close(wrapped.getpixel((right_x + 60, MARGIN_PX + 130)), RED, RIGHT_EDGE_SHADE)  # the outer band

    too_deep = client.put(canvas["profile"], json=body | {"edgeDepth": 30}, headers=merchant.bearer)
    assert too_deep.status_code == 200
    error(client.get(f"/api/v1/designs/{design_id}/3d-preview", headers=merchant.bearer), 409, "conflict")


def test_the_edge_preview_is_cached_by_profile_version_and_design(client, merchant, canvas):
    design_id, headers = canvas["design"]["id"], storefront(merchant)
    first, cache = preview_of(client, headers, design_id)
    assert cache == "miss"
    again, cache = preview_of(client, headers, design_id)
    assert cache == "hit" and again.tobytes() == first.tobytes()

    client.put(canvas["profile"], json=canvas["edge"] | {"edgeDepth": 6}, headers=merchant.bearer)
    assert preview_of(client, headers, design_id)[1] == "miss"
    layer_id = canvas["design"]["layers"][1]["id"]
    moved = client.patch(
        f"/api/v1/designs/{design_id}/layers/{layer_id}", json={"fill": "#00ff00"}, headers=headers
    )
    assert moved.status_code == 200, moved.json
    assert preview_of(client, headers, design_id)[1] == "miss"
    assert preview_of(client, headers, design_id)[1] == "hit"


def test_a_design_without_an_edge_profile_has_no_edge_preview(client, merchant, design):
    error(client.get(f"/api/v1/designs/{design['id']}/3d-preview", headers=merchant.bearer), 409, "conflict")
    error(client.get(f"/api/v1/designs/{design['id']}/3d", headers=merchant.bearer), 404, "not_found")


# The demo


def test_the_demo_mug_is_on_an_active_model_and_the_canvas_print_has_wrapped_edges(
    client, demo, redis_url, app_config
):
    headers = bearer(demo["secret"])
    mug = client.get("/api/v1/products/mug-wrap/3d-config", headers=headers).json
    assert (mug["mode"], mug["model"]["status"]) == ("model", "active")
    assert mug["sides"][0]["mapping"]["materialName"] == "wrap"
    # The worker validates it again, as any merchant's model.
    model_id = mug["model"]["id"]
    assert client.post(f"{MODELS}/{model_id}/validate?reset=true", headers=headers).status_code == 202
    run_worker(redis_url, app_config)
    assert client.get(f"{MODELS}/{model_id}", headers=headers).json["status"] == "active"
    mug_design = client.post(
        "/api/v1/designs",
        json={"productId": mug["productId"], "sideId": mug["sides"][0]["sideId"]},
        headers=headers,
    ).json
    public = {"X-Publishable-Token": demo["publishable"]}
    scene = client.get(f"/api/v1/designs/{mug_design['id']}/3d", headers=public).json
    assert (scene["mode"], scene["mapping"]["materialName"], scene["edgePreviewUrl"]) == (
        "model",
        "wrap",
        None,
    )
    assert client.get(scene["modelUrl"], headers=public).data == mug_glb()
    texture = client.get(scene["textureUrl"], headers=public)
    assert texture.status_code == 200 and texture.mimetype == "image/svg+xml"

    canvas = client.get("/api/v1/products/canvas-print/3d-config", headers=headers).json
    assert canvas["profile"]["edgeStyle"] == "wrap" and canvas["profile"]["edgeDepthUnit"] == "cm"
    design = client.post(
        "/api/v1/designs",
        json={"productId": canvas["productId"], "sideId": canvas["sides"][0]["sideId"]},
        headers=bearer(demo["secret"]),
    ).json
    scene = client.get(f"/api/v1/designs/{design['id']}/3d", headers=headers).json
    assert scene["mode"] == "edge" and scene["edgePreviewUrl"].endswith("/3d-preview")
    view, _ = preview_of(client, headers, design["id"], widthPx=400)
    # 40 cm at 10 px a cm, 2 cm edges folded: a 360 × 260 front, 20 px deep edges.
    assert view.size == (360 + 20 + 2 * MARGIN_PX, 260 + 20 + 2 * MARGIN_PX)


# The dashboard


def test_the_dashboard_uploads_a_model_and_its_row_shows_the_workers_verdict(app, redis_url, app_config):
    browser, store_id = open_dashboard(app, "3d-models")
    headers = {"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id}

    created = browser.client.post(MODELS, headers=headers, **multipart({"file": (b"not a model", "box.glb")}))
    assert created.status_code == 201
    assert "“box” uploaded; it is being checked" in created.text and "queued…" in created.text
    model_id = re.search(r'id="model-(m3d_\w+)"', created.text)[1]
    assert 'hx-trigger="load delay:2s"' in created.text  # the row asks again while it waits

    run_worker(redis_url, app_config)

    row = browser.client.get(f"{MODELS}/{model_id}", headers=headers)
    assert "invalid" in row.text and "not a binary glTF" in row.text and "hx-trigger" not in row.text
    page = browser.get(f"/dashboard/stores/{store_id}/3d-models")
    assert (
        'aria-current="page">3D models</a>' in page.text
        and '<label for="model-file">GLB model</label>' in page.text
    )
    assert f'id="model-{model_id}"' in page.text
    refused = browser.client.post(MODELS, headers=headers, **multipart({"name": "Nothing"}))
    assert refused.status_code == 422 and "Field" not in refused.text.split("model-file-note")[1][:20]


# The design in 3D as an image, through both APIs


def test_the_demo_mug_and_canvas_print_show_the_design_as_images_through_both_apis(client, demo):
    headers, public = bearer(demo["secret"]), {"X-Publishable-Token": demo["publishable"]}
    printcart = basic(demo["store_id"], demo["secret"])
    for slug, middle in (("mug-wrap", (0.5, 0.5)), ("canvas-print", (0.45, 0.45))):
        product = client.get(f"/api/v1/products/{slug}", headers=headers).json
        side = product["sides"][0]
        mm = 10 if product["dimensionUnit"] == "cm" else 1
        box = {"x": 0, "y": 0, "width": side["width"] * mm, "height": side["height"] * mm}
        layers = [{"type": "shape", "shape": "rect", **box, "fill": "#1428c8"}]
        body = {"productId": product["id"], "sideId": side["id"], "layers": layers}
        design = client.post("/api/v1/designs", json=body, headers=headers).json

        native = client.get(f"/api/v1/designs/{design['id']}/3d-preview", headers=public)
        assert native.status_code == 200 and native.mimetype == "image/png", native.data[:300]
        image = Image.open(io.BytesIO(native.data)).convert("RGBA")
        x, y = round(middle[0] * image.width), round(middle[1] * image.height)
        assert close(image.getpixel((x, y)), BLUE, tolerance=10), (slug, image.getpixel((x, y)))
        assert image.getpixel((1, 1))[3] == 0  # on a transparent ground

        # Served again by its hash, for good; and the same picture through PrintCart's dialect.
        again = client.get(native.headers["Content-Location"])
        assert again.data == native.data and again.headers["Cache-Control"].endswith("immutable")
        etag = native.headers["ETag"]
        assert (
            client.get(native.headers["Content-Location"], headers={"If-None-Match": etag}).status_code == 304
        )
        made = client.post(f"/v1/designs/{design['id']}/generate/3d-preview", headers=printcart)
        assert made.status_code == 200 and made.json["data"]["cache_hit"] is True, made.json
        assert client.get(made.json["data"]["url"]).data == native.data

    store = demo["store_id"]
    error(client.get(f"/api/v1/3d-previews/{'0' * 64}.png?storeId={store}"), 404, "not_found")
    error(client.get(f"/api/v1/3d-previews/..%2Fsecret.png?storeId={store}"), 404, "not_found")
    # A mug whose side is not mapped onto the model has no picture, and says why.
    mug = client.get("/api/v1/products/mug-wrap", headers=headers).json
    side_id = mug["sides"][0]["id"]
    assert client.delete(f"/api/v1/sides/{side_id}/3d-mapping", headers=headers).status_code == 200
    design = client.post("/api/v1/designs", json={"productId": mug["id"], "sideId": side_id}, headers=headers)
    refused = error(
        client.get(f"/api/v1/designs/{design.json['id']}/3d-preview", headers=headers), 409, "conflict"
    )
    assert "not mapped" in refused["message"]
