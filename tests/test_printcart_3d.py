"""PrintCart's 3D operations at /v1: the PrintCart client of test_printcart.py runs every operation
of the document's "3D Preview" tag, in dependency order, with the document's own example values
where it gives them, and checks every answer against the document's schema for its status; the
objects are the native API's (/api/v1), and the previews are images read back with Pillow."""

import io

import numpy as np
import pytest
from PIL import Image

from designer.previews3d.mug import mug_glb
from tests.factories import bearer, run_worker
from tests.test_printcart import DOCUMENT, PrintCart, _account_and_store, basic, example, png

TAG = "3D Preview"
THREE_D = {
    (method.upper(), path)
    for path, item in DOCUMENT["paths"].items()
    for method, spec in item.items()
    if TAG in spec.get("tags", []) or "3d" in path
}
RED = (220, 20, 20)


class Recording(PrintCart):
    """The PrintCart client, remembering which operations answered with success."""

    def __init__(self, client):
        super().__init__(client)
        self.succeeded: set[tuple[str, str]] = set()

    def call(self, method: str, path: str, status: int, json=None, headers=None, **params):
        """As PrintCart.call; where the document gives no body for the status (a delete's 200, a
        model in use's 409), the status is checked to be the document's, and the body read."""
        described = DOCUMENT["paths"][path][method.lower()]["responses"]
        if "content" in described.get(str(status), {}):
            body = super().call(method, path, status, json=json, headers=headers, **params)
        else:
            assert str(status) in described, f"{method} {path}: the document lists no {status}"
            url = "/v1" + path.format(**params)
            response = self.client.open(
                url, method=method, json=json, headers=self.auth if headers is None else headers
            )
            assert response.status_code == status, (method, url, response.get_data(as_text=True)[:800])
            body = response.json
        if status < 300:
            self.succeeded.add((method, path))
        return body


@pytest.fixture
def pc(client) -> Recording:
    return Recording(client)


def shown(client, url: str, headers: dict | None = None) -> Image.Image:
    """The image at `url` (a preview's), read back: not blank."""
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200 and response.mimetype in ("image/png", "image/webp"), response.data[
        :300
    ]
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    image = Image.open(io.BytesIO(response.data)).convert("RGBA")
    assert image.getextrema()[3][1] == 255 and len(image.convert("RGB").getcolors(1 << 20) or ()) > 2
    return image


def has_colour(image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12) -> bool:
    pixels = np.asarray(image.convert("RGB"), dtype=int)
    return bool((np.abs(pixels - colour).max(axis=-1) <= tolerance).any())


def product_with_design(
    client, secret: str, name: str, width_mm: float, height_mm: float
) -> tuple[dict, dict]:
    body = {
        "name": name,
        "dimensionUnit": "mm",
        "sides": [{"name": "Front", "width": width_mm, "height": height_mm}],
    }
    product = client.post("/api/v1/products", json=body, headers=bearer(secret)).json
    layers = [
        {
            "type": "shape",
            "shape": "rect",
            "x": 0,
            "y": 0,
            "width": width_mm,
            "height": height_mm,
            "fill": "#dc1414",
        }
    ]
    design = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"], "layers": layers},
        headers=bearer(secret),
    )
    assert design.status_code == 201, design.json
    return product, design.json


def test_every_3d_operation_of_printcarts_document_conforms(app, client, pc, redis_url, app_config):
    assert len(THREE_D) == 15, sorted(THREE_D)
    app.config |= {"PREVIEW3D_RENDERS_PER_MINUTE": 1000, "MODEL3D_VALIDATIONS_PER_MINUTE": 1000}
    store = _account_and_store(pc)
    pc.auth = basic(store["sid"], store["secret"])
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    canvas, canvas_design = product_with_design(client, store["secret"], "Canvas", 300, 200)
    canvas_id, canvas_side = canvas["id"], canvas["sides"][0]["id"]

    # A product's profile: none, made from the document's example, then changed.
    config = pc.call("GET", "/products/{productId}/3d-config", 200, productId=canvas_id)["data"]
    assert config["enabled"] is False and "profile" not in config
    made = pc.call(
        "POST",
        "/products/{productId}/3d-profiles",
        200,
        json=example("Product3DProfileRequest"),
        productId=canvas_id,
    )["data"]
    assert (made["mode"], made["edge_style_default"], made["edge_depth"], made["edge_depth_unit"]) == (
        "edge_preview",
        "wrap",
        1.5,
        "cm",
    )
    assert made["config_version"] == 1
    again = pc.call(
        "POST", "/products/{productId}/3d-profiles", 400, json={"mode": "edge_preview"}, productId=canvas_id
    )
    assert "product_id" in again["error"], again
    for field, refused in (("mode", "hybrid"), ("edge_style_default", "blur"), ("edge_depth", 51)):
        answer = pc.call(
            "PUT",
            "/products/{productId}/3d-profiles/{profileId}",
            400,
            json={field: refused},
            productId=canvas_id,
            profileId=made["id"],
        )
        assert field in answer["error"], answer
    changed = pc.call(
        "PUT",
        "/products/{productId}/3d-profiles/{profileId}",
        200,
        json={"edge_style_default": "mirror", "edge_depth": 2},
        productId=canvas_id,
        profileId=made["id"],
    )["data"]
    assert (changed["edge_style_default"], changed["edge_depth_unit"], changed["config_version"]) == (
        "mirror",
        "cm",
        2,
    )
    pc.call(
        "PUT",
        "/products/{productId}/3d-profiles/{profileId}",
        404,
        json={},
        productId=canvas_id,
        profileId="profile_3d_none",
    )
    native = client.get(f"/api/v1/products/{canvas_id}/3d-profile", headers=bearer(store["secret"])).json
    assert (native["edgeStyle"], native["edgeDepth"], native["configVersion"]) == ("mirror", 2, 2)
    config = pc.call("GET", "/products/{productId}/3d-config", 200, headers=public, productId=canvas_id)[
        "data"
    ]
    assert config["mode"] == "edge_preview" and config["sides"][0]["mapping"] == {"surface_type": "front"}
    assert config["sides"][0]["side_image_size"] == {"width": 30, "height": 20}  # shown in cm

    # Edge previews: the document's example names artwork by a URL, which Presswork does not fetch.
    request = example("EdgePreviewRequest", product_id=canvas_id, side_id=canvas_side)
    refused = pc.call("POST", "/3d/edge-preview", 400, json=request)
    assert "artwork_url" in refused["error"]
    request |= {"artwork_url": None, "design_id": canvas_design["id"]}
    drawn = pc.call("POST", "/3d/edge-preview", 200, json=request)["data"]
    assert drawn["status"] == "ready" and drawn["cache_hit"] is False and drawn["name"].endswith(".webp")
    image = shown(client, drawn["url"])
    assert image.width <= 1200 and image.height <= 900 and has_colour(image, RED)
    cached = pc.call("POST", "/3d/edge-preview", 200, json=request, headers=public)["data"]
    assert cached["cache_hit"] is True and cached["input_hash"] == drawn["input_hash"]
    as_png = pc.call(
        "POST",
        "/3d/edge-preview",
        200,
        json=request | {"output": {"format": "png", "width": 400, "height": 300}},
    )["data"]
    image = shown(client, as_png["url"], public)
    assert image.width <= 400 and image.height <= 300 and has_colour(image, RED)
    blank = pc.call("POST", "/3d/edge-preview", 200, json=request | {"design_id": None})["data"]
    assert not has_colour(shown(client, blank["url"]), RED)  # the side as it starts
    blurred = pc.call("POST", "/3d/edge-preview", 400, json=request | {"edge_style": "blur"})
    assert "edge_style" in blurred["error"]

    saved = pc.call("POST", "/designs/{designId}/generate/3d-preview", 200, designId=canvas_design["id"])[
        "data"
    ]
    assert saved["name"].endswith(".png") and has_colour(shown(client, saved["url"]), RED)
    reset = pc.call(
        "POST",
        "/designs/{designId}/generate/3d-preview",
        200,
        json={"reset": True},
        designId=canvas_design["id"],
    )["data"]
    assert reset["cache_hit"] is False and reset["input_hash"] == saved["input_hash"]
    # The same picture through the native API: the same inputs, the same cached image.
    native = client.get(f"/api/v1/designs/{canvas_design['id']}/3d-preview", headers=bearer(store["secret"]))
    assert native.headers["X-Cache"] == "hit" and native.headers["ETag"] == f'"{saved["input_hash"]}"'
    pc.call("POST", "/designs/{designId}/generate/3d-preview", 404, designId="dsg_none")
    pc.call(
        "POST", "/designs/{designId}/generate/3d-preview", 401, headers=public, designId=canvas_design["id"]
    )

    # Models: a GLB uploaded through /images (its content checked: a picture named .glb is not
    # one), registered, validated by a real worker; the unauth token uploads no models.
    not_a_model = pc.call("POST", "/images", 400, data={"file": (png(), "coffee-mug.glb")})
    assert "GLB" in str(not_a_model["error"]), not_a_model
    pc.call("POST", "/images", 401, headers=public, data={"file": (io.BytesIO(mug_glb()), "coffee-mug.glb")})
    uploaded = pc.call("POST", "/images", 201, data={"file": (io.BytesIO(mug_glb()), "coffee-mug.glb")})
    source = uploaded["data"]["id"]
    missing = pc.call("POST", "/3d-models", 404, json=example("ThreeDModelCreateRequest"))
    assert missing["message"]
    picture = pc.call("POST", "/images", 201, data={"file": (png(), "photo.png")})["data"]["id"]
    not_glb = pc.call(
        "POST", "/3d-models", 400, json=example("ThreeDModelCreateRequest", source_image_id=picture)
    )
    assert "source_image_id" in not_glb["error"]
    model = pc.call(
        "POST", "/3d-models", 201, json=example("ThreeDModelCreateRequest", source_image_id=source)
    )["data"]
    assert (model["name"], model["status"], model["file_extension"], model["file_size"]) == (
        "Coffee Mug 350ml",
        "uploaded",
        "glb",
        len(mug_glb()),
    )
    assert client.get(model["source_url"], headers=bearer(store["secret"])).data == mug_glb()
    listed = pc.call("GET", "/3d-models", 200, query={"status": "uploaded", "search": "coffee"})
    assert [item["id"] for item in listed["data"]] == [model["id"]] and listed["meta"]["per_page"] == 24
    assert pc.call("GET", "/3d-models", 200, query={"search": "bottle"})["data"] == []
    updated = pc.call(
        "PUT", "/3d-models/{modelId}", 200, json=example("ThreeDModelUpdateRequest"), modelId=model["id"]
    )["data"]
    assert updated["name"] == "Coffee Mug (updated)"
    kept = pc.call("PUT", "/3d-models/{modelId}", 400, json={"metadata": {"a": 1}}, modelId=model["id"])
    assert "metadata" in kept["error"]
    queued = pc.call("POST", "/3d-models/{modelId}/validate", 202, modelId=model["id"])["data"]
    assert queued["status"] == "queued"
    run_worker(redis_url, app_config)
    active = pc.call("GET", "/3d-models/{modelId}", 200, modelId=model["id"])["data"]
    assert active["status"] == "active" and active["validation_report"]["materials"] == ["wrap", "ceramic"]
    assert (
        pc.call("POST", "/3d-models/{modelId}/validate", 200, modelId=model["id"])["data"]["status"]
        == "active"
    )
    again = pc.call("POST", "/3d-models/{modelId}/validate", 202, json={"reset": True}, modelId=model["id"])
    assert again["data"]["status"] == "queued"
    run_worker(redis_url, app_config)

    # A side mapped onto the model: the mug.
    mug, mug_design = product_with_design(client, store["secret"], "Mug", 200, 90)
    mug_side = mug["sides"][0]["id"]
    pc.call("GET", "/sides/{sideId}/3d-mapping", 404, sideId=mug_side)
    mapping = example("Side3DMappingRequest", model_id=model["id"])
    unknown = pc.call("PUT", "/sides/{sideId}/3d-mapping", 400, json=mapping, sideId=mug_side)
    assert "material_name" in unknown["error"]  # the example's material "body" is not the mug's
    pc.call(
        "PUT", "/sides/{sideId}/3d-mapping", 404, json=mapping | {"model_id": "m3d_none"}, sideId=mug_side
    )
    mapped = pc.call(
        "PUT", "/sides/{sideId}/3d-mapping", 200, json=mapping | {"material_name": "wrap"}, sideId=mug_side
    )["data"]
    assert (mapped["config_version"], mapped["model"]["id"], mapped["mapping"]["width"]) == (
        1,
        model["id"],
        1,
    )
    moved = pc.call(
        "PUT",
        "/sides/{sideId}/3d-mapping",
        200,
        json=mapping | {"material_name": "wrap", "transform": {"scale_x": 0.5}},
        sideId=mug_side,
    )["data"]
    assert moved["config_version"] == 2 and moved["transform"]["scale_x"] == 0.5
    pc.call(
        "PUT",
        "/sides/{sideId}/3d-mapping",
        200,
        json=mapping | {"material_name": "wrap", "transform": None},
        sideId=mug_side,
    )
    got = pc.call("GET", "/sides/{sideId}/3d-mapping", 200, sideId=mug_side)["data"]
    assert got["material_name"] == "wrap" and got["config_version"] == 3
    refused = pc.call(
        "POST", "/products/{productId}/3d-profiles", 400, json={"mode": "model_preview"}, productId=mug["id"]
    )
    assert "mode" in refused["error"]
    on_model = {"mode": "model", "modelId": model["id"]}
    client.put(f"/api/v1/products/{mug['id']}/3d-profile", json=on_model, headers=bearer(store["secret"]))
    config = pc.call("GET", "/products/{productId}/3d-config", 200, productId=mug["id"])["data"]
    assert (config["mode"], config["model"]["id"]) == ("model_preview", model["id"])
    assert config["sides"][0]["mapping"] == {"surface_type": "material", "mesh_name": "front_panel"}
    still = pc.call("POST", "/designs/{designId}/generate/3d-preview", 200, designId=mug_design["id"])["data"]
    image = shown(client, still["url"])
    assert has_colour(
        image.crop((image.width // 3, image.height // 3, 2 * image.width // 3, 2 * image.height // 3)), RED
    )

    # A model in use is not deleted (409), a mapping is.
    pc.call("DELETE", "/3d-models/{modelId}", 409, modelId=model["id"])
    assert pc.call("DELETE", "/sides/{sideId}/3d-mapping", 200, sideId=mug_side)["message"]
    pc.call("DELETE", "/sides/{sideId}/3d-mapping", 404, sideId=mug_side)
    client.delete(f"/api/v1/products/{mug['id']}/3d-profile", headers=bearer(store["secret"]))
    assert pc.call("DELETE", "/3d-models/{modelId}", 200, modelId=model["id"])["message"]
    pc.call("GET", "/3d-models/{modelId}", 404, modelId=model["id"])

    # A profile deleted, then made again, comes back with its version bumped.
    path = "/products/{productId}/3d-profiles/{profileId}"
    assert pc.call("DELETE", path, 200, productId=canvas_id, profileId=made["id"])["message"]
    assert (
        pc.call("GET", "/products/{productId}/3d-config", 200, productId=canvas_id)["data"]["enabled"]
        is False
    )
    pc.call("DELETE", path, 404, productId=canvas_id, profileId=made["id"])
    back = pc.call("POST", "/products/{productId}/3d-profiles", 200, json={}, productId=canvas_id)["data"]
    assert (back["id"], back["config_version"]) == (made["id"], 3)

    # The public reads configurations and draws previews, and nothing else.
    pc.call("GET", "/3d-models", 401, headers=public)
    pc.call("POST", "/products/{productId}/3d-profiles", 401, json={}, headers=public, productId=canvas_id)
    pc.call("GET", "/sides/{sideId}/3d-mapping", 401, headers={}, sideId=mug_side)

    assert pc.succeeded >= THREE_D, sorted(THREE_D - pc.succeeded)


def test_the_dialects_document_declares_every_3d_operation(client):
    served = client.get("/v1/openapi.json").json["paths"]
    declared = {(method.upper(), path) for path, item in served.items() for method in item}
    assert declared >= THREE_D, sorted(THREE_D - declared)
    # As PrintCart's does: 202 while the validation is queued, 200 for a model already active.
    validate = served["/3d-models/{modelId}/validate"]["post"]["responses"]
    assert {"200", "202"} <= set(validate)
    assert validate["200"]["content"] == validate["202"]["content"]


def test_renders_and_validations_are_limited_per_store_as_printcart_says(app, client, pc):
    app.config |= {"PREVIEW3D_RENDERS_PER_MINUTE": 2, "MODEL3D_VALIDATIONS_PER_MINUTE": 1}
    store = _account_and_store(pc)
    pc.auth = basic(store["sid"], store["secret"])
    canvas, design = product_with_design(client, store["secret"], "Canvas", 300, 200)
    client.put(
        f"/api/v1/products/{canvas['id']}/3d-profile", json={"mode": "edge"}, headers=bearer(store["secret"])
    )
    generate = "/designs/{designId}/generate/3d-preview"
    pc.call("POST", generate, 200, designId=design["id"])
    request = {"product_id": canvas["id"], "side_id": canvas["sides"][0]["id"], "design_id": design["id"]}
    pc.call("POST", "/3d/edge-preview", 200, json=request)
    # The third render this minute, by either operation, waits.
    assert "Rate limit" in pc.call("POST", generate, 429, designId=design["id"])["error"]["message"]
    pc.call(
        "POST",
        "/3d/edge-preview",
        429,
        json=request,
        headers={"X-PrintCart-Unauth-Token": store["unauth_token"]},
    )
    pc.call("POST", "/3d-models/{modelId}/validate", 404, modelId="m3d_none")
    pc.call("POST", "/3d-models/{modelId}/validate", 429, modelId="m3d_none")
