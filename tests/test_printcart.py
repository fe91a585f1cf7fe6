"""The PrintCart dialect at /v1: a PrintCart client, changing only its host, runs each operation
Presswork serves in PrintCart's dialect, in dependency order, with the document's own example
values (printcart-openapi.yaml, PrintCart's complete document), and every answer is checked
against the document's schema for its status. An object made through /v1 is the same object
through /api/v1 and on the dashboard."""

import base64
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from PIL import Image
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from standardwebhooks import Webhook as Verifier

from designer.library.font_files import inspect_font
from tests.factories import FORM_CSRF, HTML, a_font_id, add_file, bearer, run_jobs, seed_card

DOCUMENT = yaml.safe_load((Path(__file__).parent / "printcart-openapi.yaml").read_text())
_URI = "urn:printcart-openapi"
_REGISTRY = Registry().with_resource(_URI, Resource.from_contents(DOCUMENT, default_specification=DRAFT7))
SCHEMAS = DOCUMENT["components"]["schemas"]


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def conforms(method: str, path: str, status: int, body) -> None:
    """`body` is what the document says `method path` answers with `status`."""
    responses = DOCUMENT["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} answered {status}, which the document does not list"
    pointer = _pointer("paths", path, method.lower(), "responses", str(status), "content", "application/json")
    validator = Draft7Validator({"$ref": f"{_URI}#/{pointer}/schema"}, registry=_REGISTRY)
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.path))
    assert not errors, f"{method} {path} {status}: " + "; ".join(
        f"{list(error.path)}: {error.message}" for error in errors[:5]
    )


def example(schema: str, **overrides) -> dict:
    """The document's example body for the schema `schema`: each property's example (an object's
    made of its properties' examples), where it gives one."""
    return _example_of(SCHEMAS[schema]) | overrides


def _example_of(schema: dict) -> dict:
    values = {}
    for key, spec in schema["properties"].items():
        if spec.get("example") is not None:
            values[key] = spec["example"]
        elif spec.get("type") == "object" and "properties" in spec:
            values[key] = _example_of(spec)
    return values


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class PrintCart:
    """A PrintCart client pointed at Presswork: the same paths, bodies and credentials."""

    def __init__(self, client):
        self.client = client
        self.auth: dict = {}

    def call(
        self, method: str, path: str, status: int, json=None, headers=None, query=None, data=None, **params
    ):
        """`method path` (the document's path, `{productId}` filled from `params`), checked to
        answer `status` with the document's body for it."""
        url = "/v1" + path.format(**params)
        headers = self.auth if headers is None else headers
        response = self.client.open(
            url, method=method, json=json, data=data, headers=headers, query_string=query
        )
        assert response.status_code == status, (method, url, response.get_data(as_text=True)[:1500])
        conforms(method, path, status, response.json)
        return response.json


@pytest.fixture
def printcart(client) -> PrintCart:
    return PrintCart(client)


ACCOUNT = example("Account")


def _account_and_store(printcart: PrintCart) -> dict:
    printcart.call("POST", "/account", 201, json=ACCOUNT, headers={})
    printcart.auth = basic(ACCOUNT["email"], ACCOUNT["password"])
    return printcart.call("POST", "/stores", 201, json=example("Store", google_font_api="AIzaFonts1234"))[
        "data"
    ]


def test_the_account_and_its_stores_in_printcarts_dialect(app, client, printcart):
    created = printcart.call("POST", "/account", 201, json=ACCOUNT, headers={})
    assert created["data"]["user"]["email"] == "admin@example.com"
    printcart.auth = basic(ACCOUNT["email"], ACCOUNT["password"])
    assert printcart.call("GET", "/account", 200)["data"]["name"] == "admin"
    renamed = printcart.call("PUT", "/account", 200, json=example("AccountUpdate", name="Ada"))
    assert renamed["data"]["name"] == "Ada"

    store = printcart.call("POST", "/stores", 201, json=example("Store", google_font_api="AIzaFonts1234"))[
        "data"
    ]
    assert store["name"] == "Store Example" and store["sid"] == store["id"]
    assert store["secret"].startswith("sk_")
    assert store["google_font_api"] == "…1234"  # a key is never shown in clear
    listed = printcart.call("GET", "/stores", 200)
    assert [item["id"] for item in listed["data"]] == [store["id"]]
    assert "secret" not in listed["data"][0] and listed["meta"]["per_page"] == 20

    # The store's sid and secret are its Basic credentials; its unauth token reads what is public.
    store_auth = basic(store["sid"], store["secret"])
    details = printcart.call("GET", "/stores/store-details", 200, headers=store_auth)["data"]
    assert details["id"] == store["id"] and details["google_font_api"] == "…1234"
    public = printcart.call(
        "GET", "/stores/store-details", 200, headers={"X-PrintCart-Unauth-Token": store["unauth_token"]}
    )["data"]
    assert "sid" not in public and "google_font_api" not in public

    changed = printcart.call(
        "PUT",
        "/stores",
        200,
        json=example("StoreUpdate", pexels="pexels-key-9876", integration_type="shopify"),
    )["data"]
    assert (
        changed["pexels_key"] == "…9876"
        and changed["integration_type"] == "shopify"
        and changed["is_integrated"]
    )
    # The same store through the native API.
    native = client.get(f"/api/v1/stores/{store['id']}", headers=bearer(store["secret"]))
    assert native.status_code == 200 and native.json["name"] == "Store Example"

    renewed = printcart.call("PUT", "/stores/token-revoke", 200)["data"]["unauth_token"]
    assert renewed != store["unauth_token"]
    old = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    printcart.call("GET", "/stores/store-details", 401, headers=old)
    printcart.call("GET", "/stores/store-details", 200, headers={"X-PrintCart-Unauth-Token": renewed})

    assert printcart.call("DELETE", "/stores", 200) == {"message": "Deleted successfully"}
    printcart.call("GET", "/stores/store-details", 401, headers=store_auth)


def test_products_and_sides_in_printcarts_dialect(app, client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    image = add_file(app, store["id"], purpose="product_image")
    mockup = add_file(app, store["id"], width_px=1200, height_px=900)

    # What Presswork cannot do is refused, naming PrintCart's field.
    product = example("Product", product_image_id=image)
    refused_values = {
        name: product[name] for name in ("dynamic_side", "allowed_file_types", "max_file_upload")
    }
    assert refused_values == {
        "dynamic_side": True,
        "allowed_file_types": ["jpg", "png", "ai", "pdf"],
        "max_file_upload": 500,
    }
    product |= {"dynamic_side": False, "allowed_file_types": ["jpg", "png", "pdf"], "max_file_upload": 50}
    for field, value in refused_values.items():
        refused = printcart.call("POST", "/products", 400, json=product | {field: value})
        assert any(name.startswith(field) for name in refused["error"]), refused

    made = printcart.call("POST", "/products", 201, json=product)["data"]
    assert made["name"] == "Product Example" and made["dimension_unit"] == "inch"
    assert (made["viewport_width"], made["viewport_height"], made["min_jpg_dpi"]) == (51, 51, 500)
    assert made["product_image"]["id"] == image
    product_id = made["id"]
    assert (
        printcart.call("GET", "/products/{productId}", 200, productId=product_id)["data"]["id"] == product_id
    )
    update = example(
        "ProductUpdate",
        dynamic_side=False,
        allowed_file_types=["jpg", "png"],
        max_file_upload=20,
        product_image_id=image,
    )
    updated = printcart.call("PUT", "/products/{productId}", 200, json=update, productId=product_id)["data"]
    assert updated["name"] == "product example update" and updated["dpi"] == 100
    more = printcart.call(
        "POST",
        "/products/batch",
        201,
        json={"products": [{"name": "Mug"}, {"name": "Flyer", "status": "draft"}]},
    )["data"]
    assert [item["dimension_unit"] for item in more] == ["cm", "cm"]
    renamed = printcart.call(
        "PUT", "/products/batch", 200, json={"products": [{"id": more[0]["id"], "name": "Big mug"}]}
    )["data"]
    assert renamed[0]["name"] == "Big mug"
    assert printcart.call("GET", "/products/count", 200)["data"]["count"] == 3
    published = printcart.call("GET", "/products", 200)["data"]
    assert {item["name"] for item in published} == {"product example update", "Big mug"}
    drafts = printcart.call("GET", "/products", 200, query={"status": "draft"})["data"]
    assert [item["name"] for item in drafts] == ["Flyer"]

    # Sides: the document's example, sized for a product in inches.
    side = example(
        "Side",
        product_id=product_id,
        side_image_id=mockup,
        img_overlay_id=mockup,
        side_image_size={"width": 3.5, "height": 2},
        cut_line_margin={"x": 0.125, "y": 0.125},
        safe_zone_margin={"x": 0.25, "y": 0.25},
    )
    refused = printcart.call("POST", "/sides", 400, json=side | {"safe_zone_margin": {"x": 0.25, "y": 0.5}})
    assert "safe_zone_margin.y" in refused["error"]
    made_side = printcart.call("POST", "/sides", 201, json=side)["data"]
    assert made_side["bg_color_value"] == "#ff0000" and made_side["side_image"]["id"] == mockup
    assert made_side["design_area"] == {"width": 50, "height": 50, "top": 50, "left": 50}
    assert made_side["side_image_size"] == {"width": 3.5, "height": 2}
    side_id = made_side["id"]
    got = printcart.call("GET", "/sides/{sideId}", 200, sideId=side_id)["data"]
    assert got["cut_line_margin"] == {"x": 0.125, "y": 0.125}
    update = example(
        "SideUpdate",
        product_id=product_id,
        side_image_id=mockup,
        img_overlay_id=mockup,
        side_image_size={"width": 3.5, "height": 2},
        cut_line_margin={"x": 0.1, "y": 0.1},
        safe_zone_margin={"x": 0.2, "y": 0.2},
        name="Front",
    )
    assert (
        printcart.call("PUT", "/sides/{sideId}", 200, json=update, sideId=side_id)["data"]["name"] == "Front"
    )
    batch = printcart.call(
        "POST", "/sides/batch", 201, json={"sides": [side | {"name": "Back"}, side | {"name": "Inside"}]}
    )
    back, inside = (item["id"] for item in batch["data"])
    changed = printcart.call("PUT", "/sides/batch", 200, json={"sides": [{"id": back, "status": "draft"}]})[
        "data"
    ]
    assert changed[0]["status"] == "draft"
    assert printcart.call("GET", "/sides/count", 200)["data"]["count"] == 3
    assert [item["name"] for item in printcart.call("GET", "/sides", 200, query={"sort": "asc"})["data"]] == [
        "Front",
        "Inside",
    ]
    by_product = printcart.call("GET", "/products/{productId}/sides", 200, productId=product_id)["data"]
    assert {item["id"] for item in by_product} == {side_id, back, inside}
    counted = printcart.call("GET", "/products/{productId}/sides/count", 200, productId=product_id)
    assert counted["data"]["count"] == 3

    # The public sees what is published, with the store's unauth token.
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    assert len(printcart.call("GET", "/products", 200, headers=public)["data"]) == 2
    printcart.call("GET", "/sides/{sideId}", 404, headers=public, sideId=back)
    printcart.call("GET", "/products/count", 401, headers=public)

    # One domain: the product and its side through the native API, and on the dashboard.
    native = client.get(f"/api/v1/products/{product_id}", headers=bearer(store["secret"])).json
    assert native["name"] == "product example update" and native["dimensionUnit"] == "inch"
    assert native["sides"][0]["id"] == side_id and native["sides"][0]["bleed"] == 0.1
    dashboard = app.test_client()
    login = dashboard.get("/login")
    fields = {
        "email": ACCOUNT["email"],
        "password": ACCOUNT["password"],
        "csrf_token": FORM_CSRF.search(login.text)[1],
    }
    assert dashboard.post("/login", data=fields).status_code == 302
    page = dashboard.get(f"/dashboard/stores/{store['id']}/products", headers={"Accept": HTML})
    assert page.status_code == 200 and "product example update" in page.text

    assert printcart.call("DELETE", "/sides/batch", 200, json={"sides": [{"id": back}]})["message"]
    assert (
        printcart.call("DELETE", "/sides/{sideId}", 200, sideId=inside)["message"] == "Deleted successfully"
    )
    printcart.call(
        "DELETE", "/products/batch", 200, json={"products": [{"id": more[0]["id"]}, {"id": more[1]["id"]}]}
    )
    printcart.call("DELETE", "/products/{productId}", 200, productId=product_id)
    printcart.call("GET", "/products/{productId}", 404, productId=product_id)
    assert printcart.call("GET", "/products/count", 200)["data"]["count"] == 0


def test_lists_page_with_a_cursor(printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    for name in ("A", "B", "C"):
        printcart.call("POST", "/products", 201, json={"name": name})
    first = printcart.call("GET", "/products", 200, query={"limit": 2, "sort": "asc"})
    assert [item["name"] for item in first["data"]] == ["A", "B"]
    cursor = first["meta"]["next_cursor"]
    assert first["links"]["next"].endswith(f"cursor={cursor}")
    rest = printcart.call("GET", "/products", 200, query={"limit": 2, "sort": "asc", "cursor": cursor})
    assert [item["name"] for item in rest["data"]] == ["C"] and "next" not in rest["links"]
    too_many = printcart.call("GET", "/products", 413, query={"limit": 500})
    assert too_many["error"]["message"].startswith("Too many products")
    # The document lists no 400 for lists; a cursor not of this list is one, in InvalidInput's shape.
    stale = printcart.client.get("/v1/products?cursor=bm90LWFuLWlk", headers=printcart.auth)
    assert stale.status_code == 400 and "cursor" in stale.json["error"]
    conforms("POST", "/products", 400, stale.json)


def test_credentials_that_do_not_check_out_are_401_in_printcarts_shape(printcart):
    store = _account_and_store(printcart)
    for headers in (
        {},
        basic(store["sid"], "sk_" + "x" * 43),
        basic("sto_someone_else", store["secret"]),
        basic(ACCOUNT["email"], "Wrong-pass1"),
        {"X-PrintCart-Unauth-Token": "pk_unknown"},
    ):
        refused = printcart.call("GET", "/account", 401, headers=headers)
        assert refused["error"]["message"]
    # The unauth token opens the public operations only.
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    for path in ("/account", "/stores", "/sides/count"):
        printcart.call("GET", path, 401, headers=public)
    printcart.call("POST", "/products", 401, json={"name": "Mug"}, headers=public)
    # A store's own token does not change the account or the store's settings.
    store_auth = basic(store["sid"], store["secret"])
    printcart.call("PUT", "/account", 401, json={"name": "Mallory"}, headers=store_auth)


def test_malformed_bodies_are_400_naming_the_field(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    missing = printcart.call("POST", "/products", 400, json={"description": "no name"})
    assert "name" in missing["error"] and missing["message"]
    wrong = printcart.call("POST", "/products", 400, json={"name": "Mug", "dimension_unit": "furlong"})
    assert "dimension_unit" in wrong["error"]
    unreadable = client.post(
        "/v1/products", data="{not json", headers=printcart.auth | {"Content-Type": "application/json"}
    )
    assert unreadable.status_code == 400 and "body" in unreadable.json["error"]
    conforms("POST", "/products", 400, unreadable.json)
    bad_color = example(
        "Side", product_id="prd_none", side_image_id="fil_none", bg_color_value="not-a-colour"
    )
    refused = printcart.call("POST", "/sides", 400, json=bad_color)
    assert "product_id" in refused["error"]
    taken = printcart.call("POST", "/account", 400, json=ACCOUNT, headers={})
    assert "email" in taken["error"]
    no_route = client.get("/v1/no-such-thing", headers=printcart.auth)
    assert no_route.status_code == 404 and no_route.is_json


def test_the_dialects_openapi_document_is_generated_from_its_schemas(client):
    document = client.get("/v1/openapi.json").json
    assert document["openapi"] == "3.1.0"
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert ("PUT", "/products/{productId}") in operations and ("DELETE", "/sides/batch") in operations
    for method, path in operations:
        assert method.lower() in DOCUMENT["paths"][path], (method, path)
    assert "ProductIn" in document["components"]["schemas"]


def test_storages_are_the_stores_categories(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    storage = printcart.call("POST", "/storages", 201, json=example("Category"))["data"]
    assert storage["name"] == "storage example" and "parent_storage_id" not in storage
    child = printcart.call("POST", "/storages", 201, json={"name": "Mugs", "parent_id": storage["id"]})[
        "data"
    ]
    assert child["parent_storage_id"] == storage["id"]
    renamed = printcart.call(
        "PUT", "/storages/{storageId}", 200, json=example("CategoryUpdate"), storageId=storage["id"]
    )["data"]
    assert renamed["name"] == "storage example update"
    got = printcart.call("GET", "/storages/{storageId}", 200, storageId=child["id"])["data"]
    assert got["name"] == "Mugs"
    listed = printcart.call("GET", "/storages", 200, query={"sort": "asc"})["data"]
    assert [item["id"] for item in listed] == [storage["id"], child["id"]]
    assert printcart.call("GET", "/storages/count", 200)["data"]["count"] == 2
    refused = printcart.call("POST", "/storages", 400, json={"name": "Orphan", "parent_id": "cat_none"})
    assert "parent_id" in refused["error"]
    # One domain: a storage is a category, and products are filed on it.
    native = client.get(f"/api/v1/categories/{child['id']}", headers=bearer(store["secret"])).json
    assert native["name"] == "Mugs" and native["parentId"] == storage["id"]
    mug = printcart.call("POST", "/products", 201, json={"name": "Mug", "category_ids": [child["id"]]})[
        "data"
    ]
    assert mug["category_ids"] == [child["id"]]
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    assert printcart.call("GET", "/storages", 200, headers=public)["data"]


def png(width: int = 800, height: int = 600) -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", (width, height), (11, 92, 173)).save(data, "PNG")
    data.seek(0)
    return data


def test_images_are_the_stores_files(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    image = printcart.call("POST", "/images", 201, data={"file": (png(), "photo.png"), "custom_width": "100"})
    assert image["message"] == "File successfully uploaded"
    image = image["data"]
    assert (image["width"], image["height"], image["name"]) == (800, 600, "photo.png")
    batch = printcart.call(
        "POST",
        "/images/batch",
        201,
        data={"files[]": [(png(), "a.png"), (png(400, 400), "b.png")], "type": "cliparts"},
    )["data"]
    assert [item["name"] for item in batch] == ["a.png", "b.png"]
    assert printcart.call("GET", "/images/{imageId}", 200, imageId=image["id"])["data"]["id"] == image["id"]
    listed = printcart.call("GET", "/images", 200, query={"sort": "asc"})["data"]
    assert [item["id"] for item in listed] == [image["id"], *(item["id"] for item in batch)]
    assert printcart.call("GET", "/images/count", 200)["data"]["count"] == 3
    # Design images: those uploaded for designs (and the designs' proofs).
    for_design = printcart.call("POST", "/images", 201, data={"file": (png(), "d.png"), "type": "designs"})
    design_images = printcart.call("GET", "/designs/images", 200)["data"]
    assert [item["id"] for item in design_images] == [for_design["data"]["id"]]
    # A customer uploads through the store's unauth token; a clipart is the merchant's.
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    printcart.call("POST", "/images", 201, data={"file": (png(), "mine.png")}, headers=public)
    printcart.call(
        "POST", "/images", 401, data={"file": (png(), "clip.png"), "type": "cliparts"}, headers=public
    )
    # What preflight refuses is refused naming the field.
    refused = printcart.call("POST", "/images", 400, data={"file": (io.BytesIO(b"not an image"), "x.png")})
    assert "file" in refused["error"], refused
    # One domain: the image is a file of the native API, and a product's image.
    native = client.get(f"/api/v1/files/{image['id']}", headers=bearer(store["secret"])).json
    assert native["filename"] == "photo.png"
    product = printcart.call("POST", "/products", 201, json={"name": "Mug", "product_image_id": image["id"]})
    assert product["data"]["product_image"]["url"].endswith(f"/api/v1/files/{image['id']}/content")
    printcart.call("DELETE", "/products/{productId}", 200, productId=product["data"]["id"])
    assert printcart.call("DELETE", "/images/{imageId}", 200, imageId=image["id"])["message"]
    printcart.call("GET", "/images/{imageId}", 404, imageId=image["id"])


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80">'
    b'<rect width="120" height="80" fill="#0b5cad"/></svg>'
)


def test_fonts_are_the_stores_library(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    defaults = printcart.call("GET", "/fonts/default", 200, query={"limit": 100})["data"]
    assert defaults, "a new store has the default library's fonts"
    total = printcart.call("GET", "/fonts/count", 200)["data"]["count"]
    assert printcart.call("GET", "/fonts/default/count", 200)["data"]["count"] == total == len(defaults)
    font = printcart.call("GET", "/fonts/{fontId}", 200, fontId=defaults[0]["id"])["data"]
    assert font["url"].endswith(f"/api/v1/fonts/{font['id']}/file?storeId={store['id']}")
    renamed = printcart.call(
        "PUT", "/fonts/{fontId}", 200, json={"name": example("FontUpdate")["name"]}, fontId=font["id"]
    )["data"]
    assert renamed["name"] == "font example" and renamed["alias"] == font["alias"]
    refused = printcart.call("PUT", "/fonts/{fontId}", 400, json=example("FontUpdate"), fontId=font["id"])
    assert "alias" in refused["error"]
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    assert printcart.call("GET", "/fonts", 200, headers=public)["data"]
    native = client.get(f"/api/v1/fonts/{font['id']}", headers=bearer(store["secret"])).json
    assert native["family"] == "font example"
    assert printcart.call("DELETE", "/fonts/{fontId}", 200, fontId=font["id"])["message"]
    assert printcart.call("GET", "/fonts/count", 200)["data"]["count"] == total - 1


def test_cliparts_are_the_stores_clipart_filed_in_storages(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    before = printcart.call("GET", "/cliparts/count", 200)["data"]["count"]
    defaults = printcart.call("GET", "/cliparts/default/count", 200)["data"]["count"]
    assert before == defaults > 0  # a new store has the default library's clipart
    assert len(printcart.call("GET", "/cliparts/default", 200, query={"limit": 5})["data"]) == 5
    clipart = printcart.call("POST", "/cliparts", 201, data={"file": (io.BytesIO(SVG), "star.svg")})["data"]
    assert (clipart["name"], clipart["width"], clipart["storages"]) == ("star", 120, [])
    batch = printcart.call(
        "POST", "/clipart/batch", 201, data={"files[]": [(io.BytesIO(SVG), "a.svg"), (png(), "b.png")]}
    )["data"]
    assert [item["name"] for item in batch] == ["a", "b"]
    refused = printcart.call("POST", "/cliparts", 400, data={"file": (io.BytesIO(b"%PDF-1.4"), "x.pdf")})
    assert "file" in refused["error"]
    storage = printcart.call("POST", "/storages", 201, json=example("Category"))["data"]
    filed = printcart.call(
        "PUT", "/cliparts/{clipartId}", 200, json={"storages": [storage["id"]]}, clipartId=clipart["id"]
    )["data"]
    assert filed["storages"] == [storage["id"]]
    unknown = printcart.call(
        "PUT", "/cliparts/{clipartId}", 400, json=example("ClipartUpdate"), clipartId=clipart["id"]
    )
    assert "storages.0" in unknown["error"]
    assert (
        printcart.call("GET", "/cliparts/{clipartId}", 200, clipartId=clipart["id"])["data"]["name"] == "star"
    )
    newest = printcart.call("GET", "/cliparts", 200, query={"limit": 3})["data"]
    assert {item["id"] for item in newest} == {clipart["id"], *(item["id"] for item in batch)}
    assert printcart.call("GET", "/cliparts/count", 200)["data"]["count"] == before + 3
    native = client.get(f"/api/v1/clipart/{clipart['id']}", headers=bearer(store["secret"])).json
    assert native["categoryIds"] == [storage["id"]]
    assert printcart.call("DELETE", "/cliparts/{clipartId}", 200, clipartId=clipart["id"])["message"]
    printcart.call("GET", "/cliparts/{clipartId}", 404, clipartId=clipart["id"])


def test_clipart_storages_are_the_categories_cliparts_are_filed_in(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    storage = printcart.call("POST", "/clipart-storages", 201, json=example("ClipartStorage"))["data"]
    assert storage["name"] == "Clipart - Storage example"
    other = printcart.call("POST", "/clipart-storages", 201, json={"name": "Shapes"})["data"]
    clipart = printcart.call("POST", "/cliparts", 201, data={"file": (io.BytesIO(SVG), "star.svg")})["data"]
    printcart.call(
        "PUT", "/cliparts/{clipartId}", 200, json={"storages": [storage["id"]]}, clipartId=clipart["id"]
    )
    listed = printcart.call("GET", "/clipart-storages", 200, query={"sort": "asc"})["data"]
    assert [item["id"] for item in listed] == [storage["id"], other["id"]]
    filed = printcart.call("GET", "/clipart-storages/{storageId}/cliparts", 200, storageId=storage["id"])[
        "data"
    ]
    assert [item["id"] for item in filed] == [clipart["id"]]
    counted = printcart.call(
        "GET", "/clipart-storages/{storageId}/cliparts/count", 200, storageId=storage["id"]
    )
    assert counted["data"]["count"] == 1
    shelves = printcart.call("GET", "/clipart-storages/{clipartId}/storages", 200, clipartId=clipart["id"])[
        "data"
    ]
    assert [item["id"] for item in shelves] == [storage["id"]]
    printcart.call("GET", "/clipart-storages/{storageId}/cliparts", 404, storageId="cat_none")
    assert printcart.call("DELETE", "/clipart-storages/{storageId}", 200, storageId=storage["id"])["message"]
    assert (
        client.get(f"/api/v1/categories/{storage['id']}", headers=bearer(store["secret"])).status_code == 404
    )
    kept = printcart.call("GET", "/cliparts/{clipartId}", 200, clipartId=clipart["id"])["data"]
    assert kept["storages"] == []


def test_projects_started_on_a_product_are_read_and_moved_in_printcarts_dialect(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    product = printcart.call("POST", "/products", 201, json={"name": "Card"})["data"]
    native = bearer(store["secret"])
    started = [
        client.post("/api/v1/projects", json={"productId": product["id"], "name": name}, headers=native).json
        for name in ("Wedding cards", "Birthday cards")
    ]
    project_id = started[0]["id"]
    got = printcart.call("GET", "/projects/{projectId}", 200, projectId=project_id)["data"]
    assert (got["name"], got["status"], got["product_id"]) == ("Wedding cards", "processing", product["id"])
    updated = printcart.call(
        "PUT", "/projects/{projectId}", 200, json=example("ProjectUpdate"), projectId=project_id
    )["data"]
    assert (updated["name"], updated["note"]) == ("Project example update", "Project example update note")
    # The domain's status diagram holds: a processing project is reviewed before it is accepted.
    refused = printcart.call(
        "PUT", "/projects/{projectId}", 400, json={"status": "accepted"}, projectId=project_id
    )
    assert "status" in refused["error"]
    batch = {
        "projects": [{"id": project_id, "status": "reviewing"}, {"id": started[1]["id"], "name": "Party"}]
    }
    moved = printcart.call("PUT", "/projects/batch", 200, json=batch)["data"]
    assert [item["status"] for item in moved] == ["reviewing", "processing"]
    assert client.get(f"/api/v1/projects/{project_id}", headers=native).json["status"] == "reviewing"
    assert printcart.call("GET", "/projects/count", 200)["data"]["count"] == 2
    reviewing = printcart.call("GET", "/projects", 200, query={"status": "reviewing"})["data"]
    assert [item["id"] for item in reviewing] == [project_id]
    found = printcart.call("GET", "/projects", 200, query={"s": "Part"})["data"]
    assert [item["name"] for item in found] == ["Party"]
    printcart.call("DELETE", "/projects/batch", 200, json={"projects": [{"id": started[1]["id"]}]})
    assert printcart.call("DELETE", "/projects/{projectId}", 200, projectId=project_id)["message"]
    assert printcart.call("GET", "/projects/count", 200)["data"]["count"] == 0
    printcart.call("GET", "/projects/{projectId}", 404, projectId=project_id)


def test_webhooks_are_one_topic_and_event_of_the_domains_events(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    hook = printcart.call("POST", "/webhooks", 201, json=example("Webhook"))["data"]
    assert (hook["event"], hook["topic"]) == ("POST", "projects")
    assert hook["callback_url"] == "https://printcart.com/webhook-receiving-url/xxxx"
    assert hook["secret"].startswith("whsec_")
    native = client.get(f"/api/v1/webhooks/{hook['id']}", headers=bearer(store["secret"])).json
    assert native["events"] == ["printcart.projects.POST"]
    batches = printcart.call("POST", "/webhooks", 201, json=example("Webhook", event="POST BATCH"))["data"]
    assert (batches["topic"], batches["event"]) == ("projects", "POST BATCH")
    refused = printcart.call("POST", "/webhooks", 400, json=example("Webhook", event="POST ALL"))
    assert "event" in refused["error"]
    private = printcart.call(
        "POST", "/webhooks", 400, json=example("Webhook", callback_url="http://127.0.0.1/x")
    )
    assert "callback_url" in private["error"]
    changed = printcart.call(
        "PUT", "/webhooks/{webhookId}", 200, json={"topic": "products", "event": "PUT"}, webhookId=hook["id"]
    )["data"]
    assert (changed["topic"], changed["event"]) == ("products", "PUT")
    moved = printcart.call(
        "PUT", "/webhooks/{webhookId}", 200, json=example("WebhookUpdate"), webhookId=hook["id"]
    )
    assert (moved["data"]["topic"], moved["data"]["event"]) == ("projects", "POST")
    assert (
        printcart.call("GET", "/webhooks/{webhookId}", 200, webhookId=hook["id"])["data"]["id"] == hook["id"]
    )
    assert {item["id"] for item in printcart.call("GET", "/webhooks", 200)["data"]} == {
        hook["id"],
        batches["id"],
    }
    assert "secret" not in printcart.call("GET", "/webhooks/{webhookId}", 200, webhookId=hook["id"])["data"]
    assert printcart.call("DELETE", "/webhooks/{webhookId}", 200, webhookId=hook["id"])["message"]
    printcart.call("GET", "/webhooks/{webhookId}", 404, webhookId=hook["id"])


def test_webhook_topics_deliver_printcarts_payloads_signed_through_the_webhook_service(
    app, client, printcart, receiver
):
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = True  # the receiver listens on this machine
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    secrets = {}
    for topic, event in (
        ("products", "POST"),
        ("products", "POST BATCH"),
        ("products", "DELETE"),
        ("sides", "PUT"),
    ):
        hook = printcart.call(
            "POST",
            "/webhooks",
            201,
            json=example("Webhook", callback_url=receiver.url, topic=topic, event=event),
        )["data"]
        secrets[f"printcart.{topic}.{event}"] = hook["secret"]
    # A native webhook to every event hears the domain's events, not PrintCart's repeats of them.
    native = client.post(
        "/api/v1/webhooks", json={"url": receiver.url, "events": ["*"]}, headers=bearer(store["secret"])
    ).json
    secrets["*"] = native["secret"]

    made = printcart.call("POST", "/products", 201, json={"name": "Mug"})["data"]
    batch = printcart.call(
        "POST",
        "/products/batch",
        201,
        json={"products": [{"name": "Cup"}, {"name": "Plate"}]},
    )["data"]
    mockup = add_file(app, store["id"], width_px=1200, height_px=900)
    front = {"product_id": made["id"], "name": "Front", "scale": 1, "side_image_id": mockup}
    front["side_image_size"] = {"width": 3.5, "height": 2}
    side = printcart.call("POST", "/sides", 201, json=front)["data"]
    printcart.call("PUT", "/sides/{sideId}", 200, json={"name": "Back"}, sideId=side["id"])
    printcart.call("DELETE", "/products/{productId}", 200, productId=batch[0]["id"])
    run_jobs(app)

    payloads = {}
    for received in receiver.received:
        payload = json.loads(received.body)
        secret = secrets[payload["type"] if payload["type"].startswith("printcart.") else "*"]
        assert Verifier(secret).verify(received.body, received.headers) == payload  # Standard Webhooks
        payloads.setdefault(payload["type"], []).append(payload["data"])
    # PrintCart's topics: the resource as its API answers it, a batch's together, a deleted one's id.
    [created] = payloads["printcart.products.POST"]
    assert (created["topic"], created["event"]) == ("products", "POST")
    assert created["data"] == made
    [batched] = payloads["printcart.products.POST BATCH"]
    assert batched["data"] == batch
    [deleted] = payloads["printcart.products.DELETE"]
    assert deleted["data"] == {"id": batch[0]["id"]}
    [renamed] = payloads["printcart.sides.PUT"]
    assert (renamed["data"]["id"], renamed["data"]["name"]) == (side["id"], "Back")
    # Nobody subscribed to products PUT or sides POST: no such events were recorded at all.
    assert {kind for kind in payloads if kind.startswith("printcart.")} == {
        "printcart.products.POST",
        "printcart.products.POST BATCH",
        "printcart.products.DELETE",
        "printcart.sides.PUT",
    }
    # The native endpoint got every item of the batch alone, in its own shape (in no promised order).
    assert sorted(item["name"] for item in payloads["product.created"]) == ["Cup", "Mug", "Plate"]
    assert payloads["product.deleted"][0]["id"] == batch[0]["id"]


def test_designs_made_in_the_editor_read_counted_and_deleted_in_printcarts_dialect(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    native = bearer(store["secret"])
    card = {"name": "Card", "dimensionUnit": "mm", "sides": [{"name": "Front", "width": 85, "height": 55}]}
    product = client.post("/api/v1/products", json=card, headers=native).json
    side_id = product["sides"][0]["id"]
    made = [
        client.post(
            "/api/v1/designs", json={"productId": product["id"], "sideId": side_id}, headers=native
        ).json
        for _ in range(2)
    ]
    design = printcart.call("GET", "/designs/{designId}", 200, designId=made[0]["id"])["data"]
    assert design["status"] == "processing" and design["product"]["dimension_unit"] == "cm"
    assert design["side"]["side_image_size"] == {"width": 8.5, "height": 5.5}
    assert design["project"]["id"] == made[0]["projectId"]
    assert printcart.call("GET", "/designs/count", 200)["data"]["count"] == 2
    assert printcart.call("GET", "/designs/{designId}/fonts", 200, designId=made[0]["id"])["data"] == []
    assert len(printcart.call("GET", "/designs", 200)["data"]) == 2
    by_product = printcart.call("GET", "/products/{productId}/designs", 200, productId=product["id"])["data"]
    assert len(by_product) == 2
    counted = printcart.call("GET", "/products/{productId}/designs/count", 200, productId=product["id"])
    assert counted["data"]["count"] == 2
    project_id = made[0]["projectId"]
    in_project = printcart.call("GET", "/projects/{projectId}/designs", 200, projectId=project_id)["data"]
    assert [item["id"] for item in in_project] == [made[0]["id"]]
    assert (
        printcart.call("GET", "/projects/{projectId}/designs/count", 200, projectId=project_id)["data"][
            "count"
        ]
        == 1
    )
    products = printcart.call("GET", "/projects/{projectId}/products", 200, projectId=project_id)["data"]
    assert [item["id"] for item in products] == [product["id"]]
    assert (
        printcart.call("GET", "/projects/{projectId}/products/count", 200, projectId=project_id)["data"][
            "count"
        ]
        == 1
    )
    # The domain's rule holds: a product with designs is trashed, not deleted (a 400 the document
    # does not list for a delete, in its InvalidInput shape).
    refused = client.delete(f"/v1/products/{product['id']}", headers=printcart.auth)
    assert refused.status_code == 400 and "has 2 design(s)" in refused.json["message"]
    conforms("POST", "/products", 400, refused.json)
    printcart.call("DELETE", "/designs/batch", 200, json={"designs": [{"id": made[1]["id"]}]})
    assert printcart.call("DELETE", "/designs/{designId}", 200, designId=made[0]["id"])["message"]
    assert client.get(f"/api/v1/designs/{made[0]['id']}", headers=native).status_code == 404
    assert printcart.call("GET", "/designs/count", 200)["data"]["count"] == 0


def test_templates_made_in_the_template_editor_read_counted_and_deleted(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    native = bearer(store["secret"])
    card = {"name": "Card", "dimensionUnit": "inch", "sides": [{"name": "Front", "width": 3.5, "height": 2}]}
    product = client.post("/api/v1/products", json=card, headers=native).json
    side_id = product["sides"][0]["id"]
    made = [
        client.post(
            "/api/v1/templates", json={"sideId": side_id, "name": name, "layers": []}, headers=native
        ).json
        for name in ("Classic", "Modern")
    ]
    template = printcart.call("GET", "/templates/{templateId}", 200, templateId=made[0]["id"])["data"]
    assert template["name"] == "Classic" and template["side"]["id"] == side_id
    assert template["original_output_options"] == {"dpi": 300, "dimension_unit": "inch"}
    assert printcart.call("GET", "/templates/count", 200)["data"]["count"] == 2
    assert {item["name"] for item in printcart.call("GET", "/templates", 200)["data"]} == {
        "Classic",
        "Modern",
    }
    by_side = printcart.call("GET", "/sides/{sideId}/templates", 200, query={"sort": "asc"}, sideId=side_id)
    assert [item["id"] for item in by_side["data"]] == [made[0]["id"], made[1]["id"]]
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    assert len(printcart.call("GET", "/templates", 200, headers=public)["data"]) == 2
    printcart.call("DELETE", "/templates/batch", 200, json={"templates": [{"id": made[1]["id"]}]})
    assert printcart.call("DELETE", "/templates/{templateId}", 200, templateId=made[0]["id"])["message"]
    assert client.get(f"/api/v1/templates/{made[0]['id']}", headers=native).status_code == 404
    assert printcart.call("GET", "/templates/count", 200)["data"]["count"] == 0


def _print_svg(client, native: dict, design_id: str) -> list[str]:
    """The design's print SVG (what its PDF is made of), one element a line."""
    answer = client.get(f"/api/v1/designs/{design_id}/preview?mode=print", headers=native)
    assert answer.status_code == 200
    return answer.get_data(as_text=True).replace("><", ">\n<").splitlines()


def test_designs_and_templates_made_with_printcarts_layers_print_as_the_native_ones(app, client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    native = bearer(store["secret"])
    seed_card(app, store["id"])
    family = client.get(f"/api/v1/fonts/{a_font_id(app, store['id'])}", headers=native).json["family"]
    photo = add_file(app, store["id"], width_px=1200, height_px=900)
    # 254 dpi: a pixel is a tenth of a millimetre.
    card = {"name": "Plain card", "dimensionUnit": "mm", "dpi": 254}
    card["sides"] = [{"name": "Front", "width": 85, "height": 55}]
    product = client.post("/api/v1/products", json=card, headers=native).json
    side_id = product["sides"][0]["id"]

    # PrintCart's canvas: a text placed by its centre, a turned rectangle, a circle, a group
    # (scaled twice) holding a photo and a line.
    canvas_layers = [
        {
            "id": "lyr_title",
            "type": "textbox",
            "text": "Blackbird",
            "left": 425,
            "top": 100,
            "originX": "center",
            "originY": "top",
            "width": 500,
            "height": 120,
            "fontSize": 100,
            "fontFamily": family,
            "fontWeight": "normal",
            "fill": "rgb(200, 30, 30)",
            "textAlign": "center",
            "selectable": True,
        },
        {"id": "lyr_band", "type": "rect", "left": 100, "top": 300, "width": 200, "height": 50, "angle": 90},
        {"id": "lyr_dot", "type": "circle", "left": 700, "top": 400, "radius": 50, "fill": "#0000ff"},
        {
            "type": "group",
            "left": 50,
            "top": 350,
            "width": 200,
            "height": 100,
            "scaleX": 2,
            "scaleY": 2,
            "objects": [
                {
                    "id": "lyr_photo",
                    "type": "image",
                    "image_id": photo,
                    "left": -100,
                    "top": -50,
                    "width": 80,
                    "height": 60,
                },
                {
                    "id": "lyr_rule",
                    "type": "line",
                    "x1": -25,
                    "y1": 0,
                    "x2": 25,
                    "y2": 0,
                    "left": 0,
                    "top": 25,
                    "width": 50,
                    "height": 0,
                    "stroke": "#00aa00",
                    "strokeWidth": 5,
                },
            ],
        },
    ]
    body = example("DesignJson", side_id=side_id, layers=canvas_layers, note="From PrintCart")
    for name in ("project_id", "preview_image_id", "design_image_id", "viewport_width", "viewport_height"):
        body.pop(name)
    made = printcart.call("POST", "/designs", 201, json=body)["data"]
    assert made["status"] == "accepted" and made["side"]["id"] == side_id

    # The same design made natively, in millimetres.
    text = {"id": "lyr_title", "type": "text", "text": "Blackbird", "x": 17.5, "y": 10, "width": 50}
    text |= {"height": 12, "fontFamily": family, "fontSize": 100 * 72 / 254, "color": "#c81e1e"}
    text |= {"align": "center", "lineHeight": 1.16}
    same = [
        text,
        {
            "id": "lyr_band",
            "type": "shape",
            "shape": "rect",
            "x": -2.5,
            "y": 37.5,
            "width": 20,
            "height": 5,
            "rotation": 90,
            "fill": "#000000",
        },
        {
            "id": "lyr_dot",
            "type": "shape",
            "shape": "ellipse",
            "x": 70,
            "y": 40,
            "width": 10,
            "height": 10,
            "fill": "#0000ff",
        },
        {"id": "lyr_photo", "type": "image", "fileId": photo, "x": 5, "y": 35, "width": 16, "height": 12},
        {
            "id": "lyr_rule",
            "type": "shape",
            "shape": "line",
            "x": 25,
            "y": 49.5,
            "width": 10,
            "height": 1,
            "stroke": "#00aa00",
            "strokeWidth": 1,
        },
    ]
    twin = client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": side_id, "layers": same},
        headers=native,
    ).json
    assert _print_svg(client, native, made["id"]) == _print_svg(client, native, twin["id"])

    # The native design reads back in PrintCart's shape; sent back, it prints the same again.
    shown = printcart.call("GET", "/designs/{designId}", 200, designId=twin["id"])["data"]["layers"]
    title = next(layer for layer in shown if layer["id"] == "lyr_title")
    assert title["type"] == "textbox" and title["fontFamily"] == family
    assert title["fontSize"] * title["scaleY"] == pytest.approx(100)
    assert (title["left"], title["top"]) == (pytest.approx(175), pytest.approx(100))
    # (The domain's rule holds: an accepted design's layers do not change until it is processing.)
    printcart.call("PUT", "/designs/{designId}", 400, json={"layers": shown}, designId=made["id"])
    printcart.call("PUT", "/designs/{designId}", 200, json={"status": "processing"}, designId=made["id"])
    replaced = printcart.call(
        "PUT", "/designs/{designId}", 200, json={"layers": shown, "note": "Round trip"}, designId=made["id"]
    )["data"]
    assert replaced["note"] == "Round trip"
    assert _print_svg(client, native, made["id"]) == _print_svg(client, native, twin["id"])

    # What cannot be translated is refused naming the field, nothing dropped.
    for layer, field in (
        ({"type": "rect", "width": 10, "height": 10, "flipX": True}, "layers.0.flipX"),
        ({"type": "path", "path": []}, "layers.0.type"),
        (
            {
                "type": "group",
                "objects": [
                    {
                        "type": "textbox",
                        "text": "x",
                        "fontFamily": family,
                        "width": 5,
                        "height": 5,
                        "shadow": "2px 2px 3px #000",
                    }
                ],
            },
            "layers.0.objects.0.shadow",
        ),
        (
            {"type": "image", "src": "https://example.com/cat.png", "width": 5, "height": 5},
            "layers.0.image_id",
        ),
        (
            {"type": "textbox", "text": "x", "fontFamily": "No such family", "width": 5, "height": 5},
            "layers.0.fontFamily",
        ),
    ):
        refused = printcart.call("POST", "/designs", 400, json={"side_id": side_id, "layers": [layer]})
        assert field in refused["error"], refused
    assert client.get("/api/v1/designs/count", headers=native).json["count"] == 2

    # Batches, all or nothing, through the same services.
    more = printcart.call(
        "POST", "/designs/batch", 201, json={"designs": [{"side_id": side_id, "layers": shown[:2]}] * 2}
    )["data"]
    assert len(more) == 2
    renamed = printcart.call(
        "PUT", "/designs/batch", 200, json={"designs": [{"id": item["id"], "note": "Batch"} for item in more]}
    )["data"]
    assert {item["note"] for item in renamed} == {"Batch"}

    # Templates: the same translation, the note is the name.
    template_body = example("TemplateJson", side_id=side_id, layers=canvas_layers[:3])
    for name in ("project_id", "preview_image_id", "template_image_id", "viewport_width", "viewport_height"):
        template_body.pop(name)
    template = printcart.call("POST", "/templates", 201, json=template_body)["data"]
    assert template["name"] == "Template example note" and len(template["layers"]) == 3
    on_native = client.get(f"/api/v1/templates/{template['id']}", headers=native).json
    assert [layer["id"] for layer in on_native["layers"]] == ["lyr_title", "lyr_band", "lyr_dot"]
    fonts = printcart.call("GET", "/templates/{templateId}/fonts", 200, templateId=template["id"])["data"]
    assert [font["name"] for font in fonts] == [family]
    changed = printcart.call(
        "PUT",
        "/templates/{templateId}",
        200,
        json=example("TemplateUpdateJson", layers=canvas_layers[:1], side_id=side_id)
        | {
            "preview_image_id": None,
            "template_image_id": None,
            "viewport_width": None,
            "viewport_height": None,
        }
        | {"project_id": None},
        templateId=template["id"],
    )["data"]
    assert changed["name"] == "printcart" and len(changed["layers"]) == 1
    batch = printcart.call(
        "POST",
        "/templates/batch",
        201,
        json={"templates": [{"side_id": side_id, "note": "A"}, {"side_id": side_id}]},
    )["data"]
    assert [item["name"] for item in batch] == ["A", "Template"]
    printcart.call("PUT", "/templates/batch", 200, json={"templates": [{"id": batch[1]["id"], "note": "B"}]})
    refused = printcart.call(
        "PUT", "/templates/batch", 400, json={"templates": [{"id": batch[1]["id"], "project_id": "prj_x"}]}
    )
    assert "templates.0.project_id" in refused["error"]


def test_a_printcart_project_spans_the_products_its_designs_are_on(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    native = bearer(store["secret"])
    project = printcart.call("POST", "/projects", 201, json=example("Project"))["data"]
    assert (project["name"], project["status"]) == ("Project example", "processing")
    shown = client.get(f"/api/v1/projects/{project['id']}", headers=native).json
    assert shown["productId"] is None and shown["note"] == "project example note"
    made = []
    for name in ("Card", "Envelope"):
        body = {"name": name, "dimensionUnit": "mm", "sides": [{"name": "Front", "width": 85, "height": 55}]}
        product = client.post("/api/v1/products", json=body, headers=native).json
        side_id = product["sides"][0]["id"]
        made.append(
            printcart.call("POST", "/designs", 201, json={"side_id": side_id, "project_id": project["id"]})
        )
    listed = printcart.call("GET", "/projects/{projectId}/products", 200, projectId=project["id"])["data"]
    assert sorted(item["name"] for item in listed) == ["Card", "Envelope"]
    counted = printcart.call("GET", "/projects/{projectId}/designs/count", 200, projectId=project["id"])
    assert counted["data"]["count"] == 2

    batch = printcart.call(
        "POST",
        "/projects/batch",
        201,
        json={"projects": [{"name": "Wedding"}, {"name": "Trashed one", "status": "trashed"}]},
    )["data"]
    assert [(item["name"], item["status"]) for item in batch] == [
        ("Wedding", "processing"),
        ("Trashed one", "trashed"),
    ]
    # The status diagram is the domain's: a new project is not accepted without a review.
    refused = printcart.call(
        "POST", "/projects/batch", 400, json={"projects": [{"name": "X", "status": "accepted"}]}
    )
    assert "cannot become accepted" in refused["error"]["projects.0"][0], refused
    assert printcart.call("GET", "/projects/count", 200)["data"]["count"] == 3


def test_project_folders_are_storages_projects_are_filed_in(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    storage = printcart.call("POST", "/storages", 201, json={"name": "Weddings"})["data"]
    project = printcart.call("POST", "/projects", 201, json=example("Project"))["data"]
    other = printcart.call("POST", "/projects", 201, json={"name": "Birthday"})["data"]
    assert printcart.call("GET", "/project-folder", 200)["data"] == []
    body = example("ProjectFolder", category_id=storage["id"], project_id=project["id"])
    folder = printcart.call("POST", "/project-folder", 201, json=body)["data"]
    assert folder["id"] == storage["id"] and folder["name"] == "Weddings"
    printcart.call("POST", "/project-folder", 201, json=body)  # filed already: nothing changes
    assert [item["id"] for item in printcart.call("GET", "/project-folder", 200)["data"]] == [storage["id"]]
    filed = printcart.call("GET", "/project-folder/{storageId}/projects", 200, storageId=storage["id"])[
        "data"
    ]
    assert [item["id"] for item in filed] == [project["id"]]
    folders = printcart.call("GET", "/project-folder/{projectId}/folders", 200, projectId=project["id"])[
        "data"
    ]
    assert [item["id"] for item in folders] == [storage["id"]]
    assert (
        printcart.call("GET", "/project-folder/{projectId}/folders", 200, projectId=other["id"])["data"] == []
    )
    refused = printcart.call("POST", "/project-folder", 400, json={"category_id": "cat_nope"})
    assert "category_id" in refused["error"]
    refused = printcart.call(
        "POST", "/project-folder", 400, json={"category_id": storage["id"], "project_id": "prj_nope"}
    )
    assert "project_id" in refused["error"]

    assert printcart.call("DELETE", "/project-folder/{storageId}", 200, storageId=storage["id"])["message"]
    assert printcart.call("GET", "/project-folder", 200)["data"] == []
    assert (
        printcart.call("GET", "/storages/{storageId}", 200, storageId=storage["id"])["data"]["name"]
        == "Weddings"
    )
    assert (
        printcart.call("GET", "/projects/{projectId}", 200, projectId=project["id"])["data"]["id"]
        == project["id"]
    )


@pytest.fixture
def font_host():
    """A web server on this machine serving a font of the default library and a text file."""
    font = (Path("/work/main/library/fonts") / "Lora_400Regular.ttf").read_bytes()
    pages = {"/fonts/Lora.ttf": font, "/notes.txt": b"not a font"}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", font
    server.shutdown()
    thread.join()
    server.server_close()


def test_a_font_registered_by_url_is_fetched_as_a_webhook_is_sent_then_checked(
    app, client, printcart, font_host
):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    base, data = font_host
    facts = inspect_font(data)
    body = example("Font", url=f"{base}/fonts/Lora.ttf", alias=facts.postscript_name)
    body |= {"subset": ",".join(facts.scripts), "type": "ttf"}
    # The webhook guard: an address on this machine is refused unless the server allows it.
    refused = printcart.call("POST", "/fonts", 400, json=body)
    assert "Refused" in refused["error"]["url"][0], refused
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = True
    wrong = printcart.call("POST", "/fonts", 400, json=body | {"alias": "font example"})
    assert facts.postscript_name in wrong["error"]["alias"][0]
    not_a_font = printcart.call("POST", "/fonts", 400, json=body | {"url": f"{base}/notes.txt"})
    assert "url" in not_a_font["error"]
    missing = printcart.call("POST", "/fonts", 400, json=body | {"url": f"{base}/nothing.ttf"})
    assert "404" in missing["error"]["url"][0]
    before = printcart.call("GET", "/fonts/count", 200)["data"]["count"]
    font = printcart.call("POST", "/fonts", 201, json=body)["data"]
    assert (font["name"], font["type"]) == ("font example", "ttf")
    assert printcart.call("GET", "/fonts/count", 200)["data"]["count"] == before + 1
    native = client.get(f"/api/v1/fonts/{font['id']}", headers=bearer(store["secret"])).json
    assert native["family"] == "font example" and native["weight"] == 400
    served = client.get(f"/api/v1/fonts/{font['id']}/file", headers=bearer(store["secret"]))
    assert served.status_code == 200 and served.data == data


def test_the_default_library_reads_its_storages_cliparts_and_default_templates(client, printcart):
    store = _account_and_store(printcart)
    printcart.auth = basic(store["sid"], store["secret"])
    native = bearer(store["secret"])
    assert printcart.call("GET", "/storages/default", 200)["data"] == []
    default = printcart.call("GET", "/cliparts/default", 200, query={"limit": 2})["data"]
    upload = printcart.call("POST", "/cliparts", 201, data={"file": (io.BytesIO(SVG), "star.svg")})["data"]
    shapes = printcart.call("POST", "/clipart-storages", 201, json={"name": "Shapes"})["data"]
    printcart.call("POST", "/storages", 201, json={"name": "Empty"})
    for clipart in (default[0], upload):
        printcart.call(
            "PUT", "/cliparts/{clipartId}", 200, json={"storages": [shapes["id"]]}, clipartId=clipart["id"]
        )
    # A storage is a default one while it holds the default library's clipart.
    for path in ("/storages/default", "/clipart-storages/default"):
        assert [item["id"] for item in printcart.call("GET", path, 200)["data"]] == [shapes["id"]]
    filed = printcart.call(
        "GET", "/clipart-storages/{storageId}/cliparts-default", 200, storageId=shapes["id"]
    )
    assert [item["id"] for item in filed["data"]] == [default[0]["id"]]
    counted = printcart.call(
        "GET", "/clipart-storages/{storageId}/cliparts-default/count", 200, storageId=shapes["id"]
    )
    assert counted["data"]["count"] == 1
    shelves = printcart.call(
        "GET", "/clipart-storages/{clipartId}/storages-default", 200, clipartId=default[0]["id"]
    )["data"]
    assert [item["id"] for item in shelves] == [shapes["id"]]
    printcart.call("GET", "/clipart-storages/{clipartId}/storages-default", 404, clipartId=upload["id"])

    # Default templates: the one each side starts from.
    card = {"name": "Card", "dimensionUnit": "mm", "sides": [{"name": "Front", "width": 85, "height": 55}]}
    side_id = client.post("/api/v1/products", json=card, headers=native).json["sides"][0]["id"]
    for name, is_default in (("Classic", True), ("Modern", False)):
        body = {"sideId": side_id, "name": name, "isDefault": is_default}
        client.post("/api/v1/templates", json=body, headers=native)
    listed = printcart.call("GET", "/templates/template-default", 200)["data"]
    assert [(item["name"], item["is_default"]) for item in listed] == [("Classic", True)]
    assert printcart.call("GET", "/templates/default/count", 200)["data"]["count"] == 1
    public = {"X-PrintCart-Unauth-Token": store["unauth_token"]}
    assert len(printcart.call("GET", "/templates/template-default", 200, headers=public)["data"]) == 1
