"""The demo store `make run` seeds: its catalog is reachable through the API like any merchant's."""

import re

from conftest import basic, bearer

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD, seed_demo
from designer.demo.orders import seed_demo_orders
from designer.extensions import db
from designer.products.models import Product
from designer.tenancy import in_store


def _seed(app) -> tuple[str, str]:
    with app.app_context():
        account, secret = seed_demo()
        return account.stores[0].id, secret


def test_demo_catalog_has_the_six_products_with_their_sides(app, client):
    store_id, secret = _seed(app)
    products = client.get("/api/v1/products?limit=100", headers=bearer(secret)).json["data"]
    by_slug = {product["slug"]: product for product in products}
    assert set(by_slug) == {
        "business-card",
        "mug-wrap",
        "t-shirt",
        "a5-flyer",
        "die-cut-sticker",
        "canvas-print",
    }

    card = client.get("/api/v1/products/business-card", headers=bearer(secret)).json
    assert [(side["name"], side["width"], side["height"], side["bleed"]) for side in card["sides"]] == [
        ("Front", 85, 55, 3),
        ("Back", 85, 55, 3),
    ]
    mug = client.get("/api/v1/products/mug-wrap", headers=bearer(secret)).json
    assert (mug["sides"][0]["width"], mug["sides"][0]["height"]) == (200, 90)
    flyer = client.get("/api/v1/products/a5-flyer", headers=bearer(secret)).json
    assert (flyer["sides"][0]["width"], flyer["sides"][0]["height"]) == (148, 210)
    sticker = client.get("/api/v1/products/die-cut-sticker", headers=bearer(secret)).json
    [front] = sticker["sides"]
    assert (front["dieLine"], front["dieLineOffset"], front["width"]) == ("contour", 3, 70)


def test_demo_shirt_and_mug_sides_show_mockups_with_a_design_area(app, client):
    _, secret = _seed(app)
    for slug, side_count in (("t-shirt", 2), ("mug-wrap", 1)):
        product = client.get(f"/api/v1/products/{slug}", headers=bearer(secret)).json
        assert len(product["sides"]) == side_count
        for side in product["sides"]:
            assert side["mockupFileId"].startswith("fil_")
            assert side["designArea"]["width"] > 0
            mockup = client.get(f"/api/v1/files/{side['mockupFileId']}/content", headers=bearer(secret))
            assert mockup.status_code == 200
            assert mockup.mimetype == "image/svg+xml"


def test_every_demo_side_has_a_default_template(app, client):
    _, secret = _seed(app)
    for product in client.get("/api/v1/products?limit=100", headers=bearer(secret)).json["data"]:
        for side in client.get(f"/api/v1/products/{product['id']}/sides", headers=bearer(secret)).json[
            "data"
        ]:
            templates = client.get(f"/api/v1/sides/{side['id']}/templates", headers=bearer(secret)).json[
                "data"
            ]
            assert [template["isDefault"] for template in templates].count(True) == 1, side["name"]


def test_demo_fonts_and_clipart_come_from_the_default_library(app, client):
    _, secret = _seed(app)
    assert client.get("/api/v1/fonts/count", headers=bearer(secret)).json["count"] > 10
    assert client.get("/api/v1/clipart/default/count", headers=bearer(secret)).json["count"] > 10


def test_seeding_again_keeps_the_catalog_and_what_the_merchant_changed(app, client):
    store_id, secret = _seed(app)
    renamed = client.patch(
        "/api/v1/products/business-card", json={"name": "Our card"}, headers=bearer(secret)
    )
    assert renamed.status_code == 200, renamed.json
    store_id_again, secret = _seed(app)
    assert store_id_again == store_id
    with app.app_context():
        products = db.session.scalars(in_store(db.select(Product), store_id)).all()
        assert len(products) == 6
        assert {product.name for product in products} >= {"Our card"}
    assert client.get("/api/v1/account", headers=basic(DEMO_EMAIL, DEMO_PASSWORD)).status_code == 200


def test_seed_demo_prints_the_customer_editor_on_the_business_card(app, client):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    [address] = re.findall(r"Customer editor +(\S+)", result.output)
    path = address.removeprefix("http://127.0.0.1:5000")
    assert path.endswith("/products/business-card")
    page = client.get(path)
    assert page.status_code == 200 and "Business card" in page.text


def test_demo_orders_show_the_flow_and_are_seeded_once(app, client):
    store_id, secret = _seed(app)
    with app.app_context():
        assert len(seed_demo_orders(store_id)) == 3
        db.session.commit()
        assert seed_demo_orders(store_id) == []  # a store with orders is left alone
    orders = client.get("/api/v1/orders?sort=asc", headers=bearer(secret)).json["data"]
    assert [(order["number"], order["status"], order["productionStage"]) for order in orders] == [
        ("1001", "paid", "queue"),
        ("1002", "in_production", "press"),
        ("1003", "pending", "queue"),
    ]
    detail = client.get(f"/api/v1/orders/{orders[0]['id']}", headers=bearer(secret)).json
    [line] = detail["lineItems"]
    names = [
        layer["text"]
        for design in line["designs"]
        for layer in design["layers"]
        if layer.get("name") == "Name"
    ]
    assert names == ["Grace Hopper"]  # the customer's own card, completed
    assert [design["status"] for design in line["designs"]] == ["processing", "processing"]
    assert line["renders"][0]["status"] == "queued"  # its print-ready PDF is on its way
