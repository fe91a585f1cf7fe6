"""Sides through the API: creation on a product, the geometry rules (each a 422 naming its field),
backgrounds, overlays and mockups with their design area, order, who sees what, updates that are
checked as a whole, deletion, batches, events and tenant isolation; and the side editor page."""

import re

import pytest

from designer.extensions import db
from designer.products.models import Side
from designer.tenancy import in_store
from tests.factories import CARD_FRONT, Dashboard, add_file, create_product, error, sign_up_to_dashboard
from tests.factories import design_row as add_design
from tests.factories import event_pairs as events_of
from tests.factories import storefront as public


def add_side(client, merchant, product_id: str, **fields) -> dict:
    body = CARD_FRONT | fields
    response = client.post(f"/api/v1/products/{product_id}/sides", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def side_rows(app, store_id: str) -> int:
    with app.app_context():
        return db.session.scalar(in_store(db.select(db.func.count(Side.id)), store_id))


@pytest.fixture
def dashboard(app) -> Dashboard:
    return sign_up_to_dashboard(app)


@pytest.fixture
def card(client, merchant) -> dict:
    return create_product(client, merchant, name="Business card")


# Creating


def test_a_side_is_added_to_a_product_by_path_or_by_product_id(client, merchant, card):
    front = add_side(client, merchant, card["id"], name="Front")
    assert re.fullmatch(r"sid_[0-9A-Z]{26}", front["id"]) and front["productId"] == card["id"]
    back = client.post(
        "/api/v1/sides",
        json=CARD_FRONT | {"name": "Back", "productId": card["slug"]},
        headers=merchant.bearer,
    )
    assert back.status_code == 201 and back.json["position"] == 1
    assert client.get(f"/api/v1/sides/{front['id']}", headers=merchant.bearer).json == front
    listed = client.get(f"/api/v1/products/{card['id']}/sides", headers=merchant.bearer).json
    assert [side["name"] for side in listed["data"]] == ["Front", "Back"]
    assert client.get(f"/api/v1/products/{card['id']}/sides/count", headers=merchant.bearer).json == {
        "count": 2
    }
    product = client.get(f"/api/v1/products/{card['id']}", headers=merchant.bearer).json
    assert [side["id"] for side in product["sides"]] == [front["id"], back.json["id"]]


def test_a_side_with_every_option_comes_back_as_given(app, client, merchant, card):
    mockup = add_file(app, merchant.store_id, width_px=2000, height_px=1500)
    background = add_file(app, merchant.store_id, format="jpeg", purpose="background")
    overlay = add_file(app, merchant.store_id, format="svg", purpose="overlay")
    fields = {
        "name": "Front",
        "position": 4,
        "status": "draft",
        "width": 85,
        "height": 55,
        "bleed": 3,
        "safeZone": 4,
        "showSafeZone": False,
        "showCutLine": True,
        "cutLineMargin": 1.5,
        "backgroundType": "image",
        "backgroundColor": "#ABCDEF",
        "backgroundFileId": background,
        "backgroundPrinted": False,
        "overlayFileId": overlay,
        "showOverlay": False,
        "overlayPrinted": True,
        "mockupFileId": mockup,
        "designArea": {"x": 100, "y": 200.5, "width": 850, "height": 550},
        "scale": 0.5,
    }
    side = add_side(client, merchant, card["id"], **fields)
    assert {key: side[key] for key in fields} == fields | {"backgroundColor": "#abcdef"}


def test_a_side_of_an_unknown_or_foreign_product_names_productid(client, merchant, make_merchant):
    theirs = create_product(client, make_merchant("Other"), name="Theirs")
    for product_id in ("prd_nope", theirs["id"], theirs["slug"]):
        response = client.post(
            "/api/v1/sides", json=CARD_FRONT | {"productId": product_id}, headers=merchant.bearer
        )
        error(response, 422, "validation_error", "productId")
    error(
        client.post("/api/v1/sides", json=CARD_FRONT, headers=merchant.bearer),
        422,
        "validation_error",
        "productId",
    )


_GEOMETRY = [
    ({"width": 0}, "width"),
    ({"width": -5}, "width"),
    ({"height": "55"}, "height"),
    ({"width": 0.5}, "width"),
    ({"width": 6000}, "width"),
    ({"height": 5001}, "height"),
    ({"bleed": -1}, "bleed"),
    ({"bleed": 51}, "bleed"),
    ({"safeZone": -1}, "safeZone"),
    ({"safeZone": 27.5}, "safeZone"),
    ({"safeZone": 30}, "safeZone"),
    ({"cutLineMargin": 4}, "cutLineMargin"),
    ({"cutLineMargin": -0.5}, "cutLineMargin"),
    ({"scale": 0}, "scale"),
    ({"scale": 101}, "scale"),
    ({"position": -1}, "position"),
    ({"status": "hidden"}, "status"),
    ({"backgroundType": "color"}, "backgroundColor"),
    ({"backgroundType": "color", "backgroundColor": "red"}, "backgroundColor"),
    ({"backgroundType": "image"}, "backgroundFileId"),
    ({"backgroundType": "gradient"}, "backgroundType"),
    ({"designArea": {"x": 0, "y": 0, "width": 10, "height": 10}}, "designArea"),
    ({"designArea": {"x": -1, "y": 0, "width": 10, "height": 10}}, "designArea.x"),
    ({"designArea": {"x": 0, "y": 0, "width": 0, "height": 10}}, "designArea.width"),
    ({"designArea": "0,0,10,10"}, "designArea.x"),  # a form's "x, y, width, height"; JSON sends an object
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
]


@pytest.mark.parametrize(("fields", "field"), _GEOMETRY)
def test_a_side_that_cannot_be_printed_is_a_422_naming_the_field(app, client, merchant, card, fields, field):
    response = client.post(
        f"/api/v1/products/{card['id']}/sides", json=CARD_FRONT | fields, headers=merchant.bearer
    )
    error(response, 422, "validation_error", field)
    assert side_rows(app, merchant.store_id) == 0


def test_limits_are_stated_in_the_products_unit(client, merchant):
    poster = create_product(client, merchant, name="Poster", dimensionUnit="inch")
    response = client.post(
        f"/api/v1/products/{poster['id']}/sides",
        json={"name": "Front", "width": 200, "height": 10, "bleed": 3},
        headers=merchant.bearer,
    )
    body = error(response, 422, "validation_error", "width")
    assert "196.8504 inch" in body["message"]


def test_the_design_area_must_lie_inside_its_mockup(app, client, merchant, card, make_merchant):
    mockup = add_file(app, merchant.store_id, width_px=1000, height_px=800)
    inside = {"x": 100, "y": 100, "width": 900, "height": 700}
    assert (
        add_side(client, merchant, card["id"], mockupFileId=mockup, designArea=inside)["designArea"] == inside
    )
    for area in (
        {"x": 101, "y": 100, "width": 900, "height": 10},
        {"x": 0, "y": 1, "width": 10, "height": 800},
    ):
        response = client.post(
            f"/api/v1/products/{card['id']}/sides",
            json=CARD_FRONT | {"mockupFileId": mockup, "designArea": area},
            headers=merchant.bearer,
        )
        body = error(response, 422, "validation_error", "designArea")
        assert "mockup" in body["message"]
    pdf = add_file(app, merchant.store_id, format="pdf")
    theirs = add_file(app, make_merchant("Other").store_id)
    for file_id in (pdf, theirs, "fil_nope"):
        response = client.post(
            f"/api/v1/products/{card['id']}/sides",
            json=CARD_FRONT | {"mockupFileId": file_id},
            headers=merchant.bearer,
        )
        error(response, 422, "validation_error", "mockupFileId")


# Updating


def test_a_patch_is_checked_as_a_whole_and_blames_the_field_it_changed(client, merchant, card):
    side = add_side(client, merchant, card["id"], width=85, height=55, safeZone=10, bleed=3, cutLineMargin=2)
    url = f"/api/v1/sides/{side['id']}"
    error(client.patch(url, json={"height": 20}, headers=merchant.bearer), 422, "validation_error", "height")
    error(
        client.patch(url, json={"safeZone": 28}, headers=merchant.bearer), 422, "validation_error", "safeZone"
    )
    error(client.patch(url, json={"bleed": 1}, headers=merchant.bearer), 422, "validation_error", "bleed")
    error(
        client.patch(url, json={"backgroundType": "color"}, headers=merchant.bearer),
        422,
        "validation_error",
        "backgroundColor",
    )
    changed = client.patch(url, json={"height": 25, "safeZone": 5, "name": "Face"}, headers=merchant.bearer)
    assert changed.status_code == 200
    assert (
        changed.json["height"],
        changed.json["safeZone"],
        changed.json["width"],
        changed.json["name"],
    ) == (25, 5, 85, "Face")
    error(
        client.patch(url, json={"productId": "prd_x"}, headers=merchant.bearer),
        422,
        "validation_error",
        "productId",
    )
    error(client.patch(url, json={"width": None}, headers=merchant.bearer), 422, "validation_error", "width")


def test_null_clears_a_reference_and_the_mockup_goes_with_its_design_area(app, client, merchant, card):
    mockup = add_file(app, merchant.store_id)
    side = add_side(
        client,
        merchant,
        card["id"],
        mockupFileId=mockup,
        designArea={"x": 0, "y": 0, "width": 10, "height": 10},
    )
    url = f"/api/v1/sides/{side['id']}"
    error(
        client.patch(url, json={"mockupFileId": None}, headers=merchant.bearer),
        422,
        "validation_error",
        "designArea",
    )
    cleared = client.patch(url, json={"mockupFileId": None, "designArea": None}, headers=merchant.bearer)
    assert (cleared.json["mockupFileId"], cleared.json["designArea"]) == (None, None)


def test_sides_are_put_in_a_new_order(client, merchant, card):
    front, back, inside = (
        add_side(client, merchant, card["id"], name=name) for name in ("Front", "Back", "Inside")
    )
    url = f"/api/v1/products/{card['id']}/sides/reorder"
    ordered = client.post(
        url, json={"sideIds": [inside["id"], front["id"], back["id"]]}, headers=merchant.bearer
    )
    assert [(side["name"], side["position"]) for side in ordered.json["data"]] == [
        ("Inside", 0),
        ("Front", 1),
        ("Back", 2),
    ]
    product = client.get(f"/api/v1/products/{card['id']}", headers=merchant.bearer).json
    assert [side["name"] for side in product["sides"]] == ["Inside", "Front", "Back"]
    error(
        client.post(url, json={"sideIds": [front["id"]]}, headers=merchant.bearer),
        422,
        "validation_error",
        "sideIds",
    )
    twice = {"sideIds": [front["id"], front["id"], back["id"]]}
    error(client.post(url, json=twice, headers=merchant.bearer), 422, "validation_error", "sideIds")
    error(
        client.post(url, json={"sideIds": [front["id"], "sid_x"]}, headers=merchant.bearer),
        422,
        "validation_error",
        "sideIds.1",
    )
    moved = client.patch(f"/api/v1/sides/{back['id']}", json={"position": 0}, headers=merchant.bearer)
    assert moved.json["position"] == 0


# Reading


def test_sides_list_and_count_with_filters_and_the_public_sees_published_ones(client, merchant):
    shown = create_product(
        client, merchant, name="Shown", sides=[CARD_FRONT, CARD_FRONT | {"name": "Back", "status": "draft"}]
    )
    create_product(client, merchant, name="Hidden", status="draft", sides=[CARD_FRONT])

    def names(url: str, headers: dict) -> list[str]:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json
        return [side["name"] for side in response.json["data"]]

    assert sorted(names("/api/v1/sides", merchant.bearer)) == ["Back", "Front", "Front"]
    assert names(f"/api/v1/sides?productId={shown['id']}", merchant.bearer) == ["Front", "Back"]
    assert names("/api/v1/sides?status=draft", merchant.bearer) == ["Back"]
    assert names("/api/v1/sides", public(merchant)) == ["Front"]
    assert names(f"/api/v1/sides?storeId={merchant.store_id}", {}) == ["Front"]
    assert client.get("/api/v1/sides/count", headers=merchant.bearer).json == {"count": 3}
    assert client.get("/api/v1/sides/count?status=publish", headers=merchant.bearer).json == {"count": 2}
    assert client.get("/api/v1/sides/count", headers=public(merchant)).json == {"count": 1}
    draft_side = shown["sides"][1]["id"]
    error(client.get(f"/api/v1/sides/{draft_side}", headers=public(merchant)), 404, "not_found")
    assert client.get(f"/api/v1/sides/{draft_side}", headers=merchant.bearer).status_code == 200
    paged = client.get("/api/v1/sides?limit=1&sortBy=name&sort=desc", headers=merchant.bearer).json
    assert paged["hasMore"] is True and paged["data"][0]["name"] == "Front"
    error(
        client.get("/api/v1/sides?sortBy=width", headers=merchant.bearer), 422, "validation_error", "sortBy"
    )


# Deleting


def test_a_side_is_deleted_unless_designs_were_made_on_it(app, client, merchant, card):
    kept = add_side(client, merchant, card["id"], name="Front")
    gone = add_side(client, merchant, card["id"], name="Back")
    add_design(app, merchant.store_id, card["id"], kept["id"])
    error(client.delete(f"/api/v1/sides/{kept['id']}", headers=merchant.bearer), 409, "conflict", "id")
    assert client.delete(f"/api/v1/sides/{gone['id']}", headers=merchant.bearer).json == {
        "id": gone["id"],
        "deleted": True,
    }
    error(client.get(f"/api/v1/sides/{gone['id']}", headers=merchant.bearer), 404, "not_found")
    assert side_rows(app, merchant.store_id) == 1


# Batches


def test_side_batches_are_all_or_nothing(app, client, merchant, card):
    response = client.post(
        "/api/v1/sides/batch",
        json={
            "sides": [
                CARD_FRONT | {"productId": card["id"]},
                CARD_FRONT | {"productId": card["id"], "safeZone": 40},
            ]
        },
        headers=merchant.bearer,
    )
    body = error(response, 422, "validation_error", "sides.1.safeZone")
    assert body["errors"][0]["index"] == 1 and "safeZone" in body["errors"][0]["message"]
    assert side_rows(app, merchant.store_id) == 0

    created = client.post(
        "/api/v1/sides/batch",
        json={
            "sides": [
                CARD_FRONT | {"productId": card["id"]},
                CARD_FRONT | {"productId": card["id"], "name": "Back"},
            ]
        },
        headers=merchant.bearer,
    )
    assert created.status_code == 201
    front, back = created.json["data"]
    assert (front["position"], back["position"]) == (0, 1)

    failed = client.patch(
        "/api/v1/sides/batch",
        json={"sides": [{"id": front["id"], "bleed": 5}, {"id": back["id"], "bleed": 99}]},
        headers=merchant.bearer,
    )
    error(failed, 422, "validation_error", "sides.1.bleed")
    assert client.get(f"/api/v1/sides/{front['id']}", headers=merchant.bearer).json["bleed"] == 3
    updated = client.patch(
        "/api/v1/sides/batch",
        json={"sides": [{"id": front["id"], "bleed": 5}, {"id": back["id"], "bleed": 2}]},
        headers=merchant.bearer,
    )
    assert [side["bleed"] for side in updated.json["data"]] == [5, 2]

    refused = client.post(
        "/api/v1/sides/batch-delete", json={"ids": [front["id"], "sid_nope"]}, headers=merchant.bearer
    )
    error(refused, 422, "validation_error", "ids.1")
    assert side_rows(app, merchant.store_id) == 2
    deleted = client.post(
        "/api/v1/sides/batch-delete", json={"ids": [front["id"], back["id"]]}, headers=merchant.bearer
    )
    assert [item["id"] for item in deleted.json["data"]] == [front["id"], back["id"]]
    assert side_rows(app, merchant.store_id) == 0


# Events


def test_side_events_carry_the_side_as_the_api_shows_it(app, client, merchant, card):
    side = add_side(client, merchant, card["id"])
    changed = client.patch(f"/api/v1/sides/{side['id']}", json={"bleed": 2}, headers=merchant.bearer).json
    client.patch(
        f"/api/v1/sides/{side['id']}", json={"bleed": 2}, headers=merchant.bearer
    )  # no change, no event
    client.delete(f"/api/v1/sides/{side['id']}", headers=merchant.bearer)
    assert events_of(app, merchant.store_id, "side.") == [
        ("side.created", side),
        ("side.updated", changed),
        ("side.deleted", changed),
    ]


# Tenant isolation


def test_another_stores_side_answers_like_one_that_does_not_exist(app, client, merchant, make_merchant):
    other = make_merchant("Other")
    theirs = create_product(client, other, name="Theirs", sides=[CARD_FRONT])["sides"][0]
    missing = "sid_00000000000000000000000000"
    for side_id in (theirs["id"], missing):
        for method, url, body in (
            ("GET", f"/api/v1/sides/{side_id}", None),
            ("PATCH", f"/api/v1/sides/{side_id}", {"name": "Mine"}),
            ("DELETE", f"/api/v1/sides/{side_id}", None),
        ):
            response = client.open(url, method=method, json=body, headers=merchant.bearer)
            body = error(response, 404, "not_found")
            assert body["message"] == f"No side with id '{side_id}'"
        batch = client.patch(
            "/api/v1/sides/batch", json={"sides": [{"id": side_id, "bleed": 1}]}, headers=merchant.bearer
        )
        error(batch, 422, "validation_error", "sides.0")
    assert client.get("/api/v1/sides", headers=merchant.bearer).json["data"] == []
    assert (
        client.get(f"/api/v1/sides?productId={theirs['productId']}", headers=merchant.bearer).json["data"]
        == []
    )
    assert client.get(f"/api/v1/sides/{theirs['id']}", headers=other.bearer).json == theirs


# The side editor page


def test_the_side_editor_draws_the_side_and_redraws_it_on_save(app, dashboard):
    store_id = dashboard.store_id
    product = dashboard.htmx("POST", "/api/v1/products", {"name": "Card", "dimensionUnit": "mm"})
    assert product.status_code == 201
    product_id = re.search(r"/products/(prd_[0-9A-Z]+)", product.text)[1]
    created = dashboard.htmx(
        "POST",
        f"/api/v1/products/{product_id}/sides",
        {"name": "Front", "width": "85", "height": "55", "bleed": "3", "safeZone": "4"},
    )
    side_id = re.search(r"/sides/(sid_[0-9A-Z]+)", created.text)[1]
    page = dashboard.page(f"/dashboard/stores/{store_id}/products/{product_id}/sides/{side_id}")
    assert page.status_code == 200
    assert 'data-width-mm="85"' in page.text and "Trim 85 × 55 mm, bleed 3 mm on each edge" in page.text
    assert '<label for="side-safeZone">Safe zone (mm)</label>' in page.text

    bad = dashboard.htmx(
        "PATCH",
        f"/api/v1/sides/{side_id}",
        {"name": "Front", "width": "85", "height": "55", "safeZone": "30"},
    )
    assert bad.status_code == 422 and 'id="side-safeZone-note"' in bad.text and "side-diagram" not in bad.text
    saved = dashboard.htmx(
        "PATCH",
        f"/api/v1/sides/{side_id}",
        {
            "name": "Face",
            "width": "90",
            "height": "50",
            "bleed": "2",
            "safeZone": "5",
            "showCutLine": "false",
            "cutLineMargin": "0",
        },
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    assert 'id="side-diagram" class="side-diagram-box" hx-swap-oob="true"' in saved.text
    assert 'data-width-mm="90"' in saved.text and 'data-part="cut-line"' not in saved.text
    assert '<span id="side-title-name" hx-swap-oob="innerHTML">Face</span>' in saved.text

    elsewhere = dashboard.page(f"/dashboard/stores/{store_id}/products/prd_other/sides/{side_id}")
    assert elsewhere.status_code == 404


def test_the_side_editor_shows_the_mockup_with_its_design_area(app, dashboard):
    store_id = dashboard.store_id
    mockup = add_file(app, store_id, width_px=1000, height_px=1000)
    product = dashboard.htmx("POST", "/api/v1/products", {"name": "Shirt", "dimensionUnit": "cm"})
    product_id = re.search(r"/products/(prd_[0-9A-Z]+)", product.text)[1]
    created = dashboard.htmx(
        "POST", f"/api/v1/products/{product_id}/sides", {"name": "Front", "width": "30", "height": "40"}
    )
    side_id = re.search(r"/sides/(sid_[0-9A-Z]+)", created.text)[1]
    saved = dashboard.htmx(
        "PATCH",
        f"/api/v1/sides/{side_id}",
        {"mockupFileId": mockup, "designArea": "250, 200, 500, 600", "width": "30"},
    )
    assert saved.status_code == 200, saved.text
    assert f"/api/v1/files/{mockup}/content?storeId={store_id}" in saved.text
    assert 'data-part="design-area" x="250" y="200" width="500" height="600"' in saved.text
    outside = dashboard.htmx("PATCH", f"/api/v1/sides/{side_id}", {"designArea": "600, 200, 500, 600"})
    assert outside.status_code == 422 and 'id="side-designArea-note"' in outside.text
