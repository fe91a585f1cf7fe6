"""Templates through /api/v1 and the dashboard: CRUD, duplicate, batch, the lists by side and by
product, the one default per side, events, who may read and write, and tenant isolation."""

import io
import re

import pytest

from designer.extensions import db
from designer.templates.models import Template
from designer.tenancy import across_stores, in_store
from tests.factories import (
    a_font_id,
    dashboard_with_product,
    events_of,
    htmx,
    listed_ids,
    make_product,
    send_batch,
    two_pages,
)

SHAPE = {"type": "shape", "shape": "rect", "width": 20, "height": 10, "fill": "#112233"}


# Helpers


def template_count(app) -> int:
    with app.app_context():
        return db.session.scalar(across_stores(db.select(db.func.count(Template.id))))


@pytest.fixture
def side_id(product):
    return product["sides"][0]["id"]


def create(client, merchant, side_id: str, **fields):
    return client.post(
        "/api/v1/templates", json={"sideId": side_id, "name": "Classic"} | fields, headers=merchant.bearer
    )


def created(client, merchant, side_id: str, **fields) -> dict:
    response = create(client, merchant, side_id, **fields)
    assert response.status_code == 201, response.json
    return response.json


# Create


def test_creating_a_template_puts_it_on_the_sides_product_and_records_the_event(
    app, client, merchant, product
):
    side = product["sides"][1]
    font_id = a_font_id(app, merchant.store_id)
    text = {"type": "text", "name": "Name", "text": "Your name", "fontId": font_id, "width": 60, "height": 8}
    response = create(client, merchant, side["id"], layers=[text, SHAPE], isDefault=True, status="draft")
    assert response.status_code == 201, response.json
    body = response.json
    assert body["id"].startswith("tpl_")
    assert body["productId"] == product["id"] and body["sideId"] == side["id"]
    assert (body["name"], body["status"], body["isDefault"]) == ("Classic", "draft", True)
    assert [layer["type"] for layer in body["layers"]] == ["text", "shape"]
    assert all(layer["id"].startswith("lyr_") for layer in body["layers"])
    assert body["layers"][0]["fontId"] == font_id and body["layers"][0]["name"] == "Name"
    assert events_of(app, merchant.store_id, "template.created") == [
        {"type": "template.created", "data": body}
    ]
    assert client.get(f"/api/v1/templates/{body['id']}", headers=merchant.bearer).json == body


def test_a_template_starts_blank_published_and_not_default(client, merchant, side_id):
    body = created(client, merchant, side_id)
    assert (body["layers"], body["status"], body["isDefault"]) == ([], "publish", False)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sideId": "sid_unknown"}, "sideId"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"status": "archived"}, "status"),
        ({"layers": [SHAPE | {"opacity": 3}]}, "layers.0.opacity"),
        (
            {"layers": [SHAPE, {"type": "clipart", "clipartId": "clp_nope", "width": 1, "height": 1}]},
            "layers.1.clipartId",
        ),
        ({"layers": "none"}, "layers"),
    ],
)
def test_creating_a_template_with_bad_input_is_refused_naming_the_field(
    app, client, merchant, side_id, fields, field
):
    response = create(client, merchant, side_id, **fields)
    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_error"
    assert response.json["error"]["field"] == field
    assert template_count(app) == 0 and events_of(app, merchant.store_id, "template.created") == []


@pytest.mark.parametrize(
    "field", ["storeId", "id", "productId", "createdAt", "updatedAt"], ids=lambda field: field
)
def test_a_client_cannot_set_the_store_ids_or_timestamps_of_a_template(app, client, merchant, side_id, field):
    response = create(client, merchant, side_id, **{field: "tpl_mine" if field == "id" else "x"})
    assert response.status_code == 422
    assert response.json["error"]["field"] == field
    assert template_count(app) == 0


def test_another_stores_side_and_fonts_are_refused_as_unknown(app, client, make_merchant, merchant, side_id):
    other = make_merchant("Other")
    other_side = make_product(client, other)["sides"][0]["id"]
    response = create(client, merchant, other_side)
    assert response.status_code == 422 and response.json["error"]["field"] == "sideId"
    assert (
        response.json["error"]["message"] == f"Field 'sideId': no side with id '{other_side}' in this store"
    )
    their_font = a_font_id(app, other.store_id)
    text = {"type": "text", "fontId": their_font, "width": 10, "height": 5}
    response = create(client, merchant, side_id, layers=[text])
    assert response.status_code == 422 and response.json["error"]["field"] == "layers.0.fontId"
    assert template_count(app) == 0


def test_a_repeated_layer_id_is_refused(client, merchant, side_id):
    response = create(client, merchant, side_id, layers=[SHAPE | {"id": "lyr_a"}, SHAPE | {"id": "lyr_a"}])
    assert response.status_code == 422 and response.json["error"]["field"] == "layers.1.id"


# Read and list


def test_listing_templates_filters_by_product_side_status_and_default(client, merchant, product):
    front, back = (side["id"] for side in product["sides"])
    other_product = make_product(client, merchant, name="Mug", sides=("Wrap",))
    a = created(client, merchant, front, name="A", isDefault=True)
    b = created(client, merchant, back, name="B", status="draft")
    c = created(client, merchant, other_product["sides"][0]["id"], name="C")

    def ids(query: str) -> list[str]:
        return listed_ids(client, merchant.bearer, f"/api/v1/templates{query}")

    assert ids("") == [c["id"], b["id"], a["id"]]
    assert ids(f"?productId={product['id']}&sort=asc") == [a["id"], b["id"]]
    assert ids(f"?sideId={back}") == [b["id"]]
    assert ids("?status=draft") == [b["id"]]
    assert ids("?isDefault=true") == [a["id"]]
    assert ids("?sortBy=name&sort=asc") == [a["id"], b["id"], c["id"]]
    count = client.get(f"/api/v1/templates/count?productId={product['id']}", headers=merchant.bearer)
    assert count.json == {"count": 2}


def test_templates_are_listed_a_page_at_a_time(client, merchant, side_id):
    made = [created(client, merchant, side_id, name=f"T{n}")["id"] for n in range(3)]
    first, rest = two_pages(client, merchant.bearer, "/api/v1/templates?limit=2&sort=asc")
    assert [item["id"] for item in first["data"]] == made[:2] and first["hasMore"] is True
    assert [item["id"] for item in rest["data"]] == made[2:] and rest["hasMore"] is False


@pytest.mark.parametrize(
    ("query", "field"), [("?sortBy=layers", "sortBy"), ("?limit=0", "limit"), ("?status=old", "status")]
)
def test_a_bad_list_query_is_refused_naming_the_parameter(client, merchant, query, field):
    response = client.get(f"/api/v1/templates{query}", headers=merchant.bearer)
    assert response.status_code == 422 and response.json["error"]["field"] == field


def test_the_templates_of_a_side_and_of_a_product_by_id_or_slug(client, merchant, product):
    front, back = (side["id"] for side in product["sides"])
    a = created(client, merchant, front)
    b = created(client, merchant, back)
    by_side = client.get(f"/api/v1/sides/{front}/templates", headers=merchant.bearer)
    assert [item["id"] for item in by_side.json["data"]] == [a["id"]]
    for key in (product["id"], product["slug"]):
        by_product = client.get(f"/api/v1/products/{key}/templates?sort=asc", headers=merchant.bearer)
        assert [item["id"] for item in by_product.json["data"]] == [a["id"], b["id"]]
    filtered = client.get(
        f"/api/v1/products/{product['id']}/templates?sideId={back}", headers=merchant.bearer
    )
    assert [item["id"] for item in filtered.json["data"]] == [b["id"]]
    assert client.get("/api/v1/sides/sid_nope/templates", headers=merchant.bearer).status_code == 404
    assert client.get("/api/v1/products/nope/templates", headers=merchant.bearer).status_code == 404


# Update, default, duplicate, delete


def test_updating_a_template_changes_what_was_given_and_records_the_event(app, client, merchant, side_id):
    template = created(client, merchant, side_id, layers=[SHAPE])
    response = client.patch(
        f"/api/v1/templates/{template['id']}",
        json={"name": "Modern", "layers": [SHAPE, SHAPE | {"shape": "ellipse"}]},
        headers=merchant.bearer,
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["name"] == "Modern" and body["status"] == "publish"
    assert [layer["shape"] for layer in body["layers"]] == ["rect", "ellipse"]
    assert events_of(app, merchant.store_id, "template.updated") == [
        {"type": "template.updated", "data": body}
    ]


def test_an_update_that_changes_nothing_records_no_event(app, client, merchant, side_id):
    template = created(client, merchant, side_id)
    for body in ({}, {"name": "Classic"}):
        response = client.patch(f"/api/v1/templates/{template['id']}", json=body, headers=merchant.bearer)
        assert response.status_code == 200
    assert events_of(app, merchant.store_id, "template.updated") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"layers": [SHAPE | {"width": 0}]}, "layers.0.width"),
        ({"sideId": "sid_x"}, "sideId"),
        ({"productId": "prd_x"}, "productId"),
        ({"storeId": "sto_x"}, "storeId"),
        ({"createdAt": "2020-01-01T00:00:00Z"}, "createdAt"),
    ],
)
def test_a_bad_update_is_refused_and_changes_nothing(app, client, merchant, side_id, body, field):
    template = created(client, merchant, side_id)
    response = client.patch(f"/api/v1/templates/{template['id']}", json=body, headers=merchant.bearer)
    assert response.status_code == 422 and response.json["error"]["field"] == field
    assert client.get(f"/api/v1/templates/{template['id']}", headers=merchant.bearer).json == template


def test_making_a_template_the_default_unsets_the_sides_other_default(app, client, merchant, product):
    front, back = (side["id"] for side in product["sides"])
    first = created(client, merchant, front, isDefault=True)
    other_side = created(client, merchant, back, isDefault=True)
    second = created(client, merchant, front)
    response = client.patch(
        f"/api/v1/templates/{second['id']}", json={"isDefault": True}, headers=merchant.bearer
    )
    assert response.status_code == 200 and response.json["isDefault"] is True

    def is_default(template_id: str) -> bool:
        return client.get(f"/api/v1/templates/{template_id}", headers=merchant.bearer).json["isDefault"]

    assert (is_default(first["id"]), is_default(second["id"]), is_default(other_side["id"])) == (
        False,
        True,
        True,
    )
    updated = {
        event["data"]["id"]: event["data"] for event in events_of(app, merchant.store_id, "template.updated")
    }
    assert set(updated) == {first["id"], second["id"]}
    assert updated[first["id"]]["isDefault"] is False
    third = created(client, merchant, front, isDefault=True)
    assert (is_default(second["id"]), is_default(third["id"])) == (False, True)


def test_a_trashed_template_is_never_the_default(client, merchant, side_id):
    template = created(client, merchant, side_id, isDefault=True)
    trashed = client.patch(
        f"/api/v1/templates/{template['id']}", json={"status": "trashed"}, headers=merchant.bearer
    )
    assert (trashed.json["status"], trashed.json["isDefault"]) == ("trashed", False)
    response = client.patch(
        f"/api/v1/templates/{template['id']}", json={"isDefault": True}, headers=merchant.bearer
    )
    assert response.status_code == 422 and response.json["error"]["field"] == "isDefault"


def test_duplicating_a_template_copies_its_layers_to_the_same_or_another_side(app, client, merchant, product):
    front, back = (side["id"] for side in product["sides"])
    original = created(client, merchant, front, layers=[SHAPE | {"id": "lyr_logo"}], isDefault=True)
    response = client.post(f"/api/v1/templates/{original['id']}/duplicate", json={}, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    copy = response.json
    assert copy["id"] != original["id"] and copy["name"] == "Classic (copy)"
    assert (copy["sideId"], copy["isDefault"], copy["layers"]) == (front, False, original["layers"])
    moved = client.post(
        f"/api/v1/templates/{original['id']}/duplicate",
        json={"sideId": back, "name": "Back"},
        headers=merchant.bearer,
    ).json
    assert (moved["sideId"], moved["name"], moved["layers"][0]["id"]) == (back, "Back", "lyr_logo")
    assert {copy["id"], moved["id"]} <= {
        event["data"]["id"] for event in events_of(app, merchant.store_id, "template.created")
    }


def test_deleting_a_template_records_the_event_with_what_it_was(app, client, merchant, side_id):
    template = created(client, merchant, side_id)
    response = client.delete(f"/api/v1/templates/{template['id']}", headers=merchant.bearer)
    assert response.status_code == 200 and response.json == {"id": template["id"], "deleted": True}
    assert client.get(f"/api/v1/templates/{template['id']}", headers=merchant.bearer).status_code == 404
    assert events_of(app, merchant.store_id, "template.deleted") == [
        {"type": "template.deleted", "data": template}
    ]
    assert client.delete(f"/api/v1/templates/{template['id']}", headers=merchant.bearer).status_code == 404


# Batch


def test_batch_create_makes_every_template_or_none(app, client, merchant, side_id):
    good = {"sideId": side_id, "name": "Good"}
    unknown_clipart = {"type": "clipart", "clipartId": "clp_nope", "width": 1, "height": 1}
    response = send_batch(
        client,
        merchant.bearer,
        "POST",
        "templates",
        [good, good | {"sideId": "sid_nope"}, good, good | {"layers": [unknown_clipart]}],
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["field"] == "templates.1.sideId"
    assert [(item["index"], item["field"]) for item in error["errors"]] == [
        (1, "templates.1.sideId"),
        (3, "templates.3.layers.0.clipartId"),
    ]
    assert "'layers.0.clipartId'" in error["errors"][1]["message"]
    assert template_count(app) == 0 and events_of(app, merchant.store_id, "template.created") == []
    malformed = send_batch(
        client, merchant.bearer, "POST", "templates", [good, good | {"layers": [SHAPE | {"z": -1}]}]
    )
    assert malformed.status_code == 422 and malformed.json["error"]["field"] == "templates.1.layers.0.z"
    response = send_batch(client, merchant.bearer, "POST", "templates", [good, good])
    assert response.status_code == 201 and len(response.json["data"]) == 2
    assert len(events_of(app, merchant.store_id, "template.created")) == 2


def test_batch_update_changes_every_template_or_none(app, client, make_merchant, merchant, side_id):
    a, b = created(client, merchant, side_id, name="A"), created(client, merchant, side_id, name="B")
    other = make_merchant("Other")
    theirs = created(client, other, make_product(client, other)["sides"][0]["id"])
    changes = [{"id": a["id"], "name": "A2"}, {"id": theirs["id"], "name": "Mine now"}]
    response = send_batch(client, merchant.bearer, "PATCH", "templates", changes)
    assert response.status_code == 422
    assert [(item["index"], item["code"]) for item in response.json["error"]["errors"]] == [(1, "not_found")]
    assert client.get(f"/api/v1/templates/{a['id']}", headers=merchant.bearer).json["name"] == "A"
    assert client.get(f"/api/v1/templates/{theirs['id']}", headers=other.bearer).json["name"] == "Classic"
    changes = [{"id": a["id"], "name": "A2"}, {"id": b["id"], "status": "draft"}]
    response = send_batch(client, merchant.bearer, "PATCH", "templates", changes)
    assert response.status_code == 200
    data = response.json["data"]
    assert [(item["name"], item["status"]) for item in data] == [("A2", "publish"), ("B", "draft")]


def test_batch_update_refuses_fields_a_client_may_not_set(client, merchant, side_id):
    template = created(client, merchant, side_id)
    response = send_batch(
        client, merchant.bearer, "PATCH", "templates", [{"id": template["id"], "storeId": "sto_x"}]
    )
    assert response.status_code == 422 and response.json["error"]["field"] == "templates.0.storeId"


def test_batch_delete_deletes_every_template_or_none(app, client, merchant, side_id):
    a, b = created(client, merchant, side_id), created(client, merchant, side_id)
    response = client.post(
        "/api/v1/templates/batch-delete", json={"ids": [a["id"], "tpl_nope"]}, headers=merchant.bearer
    )
    assert response.status_code == 422 and response.json["error"]["field"] == "ids.1"
    assert template_count(app) == 2
    response = client.post(
        "/api/v1/templates/batch-delete", json={"ids": [a["id"], b["id"]]}, headers=merchant.bearer
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json["data"]] == [a["id"], b["id"]]
    assert template_count(app) == 0
    assert len(events_of(app, merchant.store_id, "template.deleted")) == 2


# Who may do what


def test_the_storefront_reads_only_published_templates_of_published_products(client, merchant, product):
    front = product["sides"][0]["id"]
    published = created(client, merchant, front, name="Published")
    draft = created(client, merchant, front, name="Draft", status="draft")
    hidden_product = make_product(client, merchant, status="draft", name="Secret")
    hidden = created(client, merchant, hidden_product["sides"][0]["id"])
    public = {"X-Publishable-Token": merchant.publishable}

    listed = client.get("/api/v1/templates", headers=public)
    assert listed.status_code == 200 and [item["id"] for item in listed.json["data"]] == [published["id"]]
    assert client.get("/api/v1/templates/count", headers=public).json == {"count": 1}
    assert client.get(f"/api/v1/templates/{published['id']}", headers=public).status_code == 200
    for template in (draft, hidden):
        assert client.get(f"/api/v1/templates/{template['id']}", headers=public).status_code == 404
    assert [
        item["id"] for item in client.get(f"/api/v1/sides/{front}/templates", headers=public).json["data"]
    ] == [published["id"]]
    assert client.get(f"/api/v1/products/{hidden_product['id']}/templates", headers=public).status_code == 404
    hidden_side = hidden_product["sides"][0]["id"]
    assert client.get(f"/api/v1/sides/{hidden_side}/templates", headers=public).status_code == 404
    anonymous = client.get(f"/api/v1/products/{product['slug']}/templates?storeId={merchant.store_id}")
    assert [item["id"] for item in anonymous.json["data"]] == [published["id"]]
    assert client.get("/api/v1/templates").json["error"]["field"] == "storeId"


def test_the_storefront_cannot_write_templates(client, merchant, side_id):
    public = {"X-Publishable-Token": merchant.publishable}
    template = created(client, merchant, side_id)
    writes = [
        client.post("/api/v1/templates", json={"sideId": side_id, "name": "X"}, headers=public),
        client.patch(f"/api/v1/templates/{template['id']}", json={"name": "X"}, headers=public),
        client.delete(f"/api/v1/templates/{template['id']}", headers=public),
        client.post(f"/api/v1/templates/{template['id']}/duplicate", json={}, headers=public),
        client.post("/api/v1/templates/batch-delete", json={"ids": [template["id"]]}, headers=public),
    ]
    assert [response.status_code for response in writes] == [403] * 5
    assert client.post("/api/v1/templates", json={"sideId": side_id, "name": "X"}).status_code == 401


def test_a_read_only_token_reads_but_cannot_write(client, make_merchant, merchant, side_id):
    template = created(client, merchant, side_id)
    response = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": "ro", "scopes": ["read"]},
        headers=merchant.basic,
    )
    read_only = {"Authorization": f"Bearer {response.json['token']}"}
    assert client.get(f"/api/v1/templates/{template['id']}", headers=read_only).status_code == 200
    assert (
        client.patch(f"/api/v1/templates/{template['id']}", json={"name": "X"}, headers=read_only).status_code
        == 403
    )


def test_the_account_names_its_store_with_the_header(client, make_merchant, merchant, side_id):
    template = created(client, merchant, side_id)
    account = merchant.basic | {"X-Store-Id": merchant.store_id}
    assert client.get(f"/api/v1/templates/{template['id']}", headers=account).status_code == 200
    response = client.post(
        "/api/v1/templates", json={"sideId": side_id, "name": "Via account"}, headers=account
    )
    assert response.status_code == 201
    other = make_merchant("Other")
    assert (
        client.get("/api/v1/templates", headers=merchant.basic | {"X-Store-Id": other.store_id}).status_code
        == 404
    )
    assert client.get("/api/v1/templates", headers=merchant.basic).json["error"]["field"] == "storeId"


def test_another_stores_templates_are_not_found_on_every_route(app, client, make_merchant, merchant, product):
    side = product["sides"][0]["id"]
    template = created(client, merchant, side)
    other = make_merchant("Other")
    tid = template["id"]
    responses = {
        "get": client.get(f"/api/v1/templates/{tid}", headers=other.bearer),
        "patch": client.patch(f"/api/v1/templates/{tid}", json={"name": "X"}, headers=other.bearer),
        "delete": client.delete(f"/api/v1/templates/{tid}", headers=other.bearer),
        "duplicate": client.post(f"/api/v1/templates/{tid}/duplicate", json={}, headers=other.bearer),
        "side": client.get(f"/api/v1/sides/{side}/templates", headers=other.bearer),
        "product": client.get(f"/api/v1/products/{product['id']}/templates", headers=other.bearer),
        "public": client.get(f"/api/v1/templates/{tid}", headers={"X-Publishable-Token": other.publishable}),
    }
    assert {name: response.status_code for name, response in responses.items()} == dict.fromkeys(
        responses, 404
    )
    assert responses["get"].json["error"]["message"] == f"No template with id '{tid}'"
    assert client.get("/api/v1/templates", headers=other.bearer).json["data"] == []
    assert client.get("/api/v1/templates/count", headers=other.bearer).json == {"count": 0}
    response = client.post("/api/v1/templates/batch-delete", json={"ids": [tid]}, headers=other.bearer)
    assert response.status_code == 422
    assert client.get(f"/api/v1/templates/{tid}", headers=merchant.bearer).json == template
    assert events_of(app, other.store_id, "template.updated") == []


def test_a_template_id_holding_a_nul_is_simply_not_found(client, merchant):
    response = client.get("/api/v1/templates/tpl_%00", headers={"X-Publishable-Token": merchant.publishable})
    assert response.status_code == 404


# Dashboard


@pytest.fixture
def dashboard(app):
    return dashboard_with_product(app)


def test_the_templates_page_lists_templates_with_a_product_filter(client, dashboard):
    browser, store_id, product = dashboard
    page = browser.get(f"/dashboard/stores/{store_id}/templates")
    assert page.status_code == 200
    assert 'aria-current="page">Templates' in page.text
    assert f'value="{product["sides"][0]["id"]}"' in page.text  # the side to create a template for
    assert "No templates yet" in page.text
    assert f'<option value="{product["id"]}"' in page.text


def test_creating_a_template_from_the_dashboard_imports_a_layers_file(app, dashboard):
    browser, store_id, product = dashboard
    side_id = product["sides"][0]["id"]
    layers = io.BytesIO(b'[{"type": "shape", "shape": "ellipse", "width": 30, "height": 30}]')
    response = htmx(
        browser,
        "post",
        "/api/v1/templates",
        store_id,
        {"name": "Circle", "sideId": side_id, "status": "draft", "layers": (layers, "layers.json")},
    )
    assert response.status_code == 201, response.text
    assert "Template “Circle” created with 1 layer." in response.text
    assert 'hx-swap-oob="afterbegin:#template-list"' in response.text
    page = browser.get(f"/dashboard/stores/{store_id}/templates")
    assert "Circle" in page.text and "Poster › Front" in page.text
    with app.app_context():
        [template] = db.session.scalars(in_store(db.select(Template), store_id)).all()
        assert template.layers[0]["shape"] == "ellipse" and template.status == "draft"


def test_a_bad_layers_file_comes_back_beside_its_field(app, dashboard):
    browser, store_id, product = dashboard
    bad = io.BytesIO(b'[{"type": "shape", "shape": "star", "width": 30, "height": 30}]')
    response = htmx(
        browser,
        "post",
        "/api/v1/templates",
        store_id,
        {"name": "Star", "sideId": product["sides"][0]["id"], "layers": (bad, "layers.json")},
    )
    assert response.status_code == 422
    assert re.search(r'<p class="error" id="template-layers-note">[^<]*ellipse', response.text)
    assert 'value="Star"' in response.text  # what was typed stays
    assert template_count(app) == 0


def test_a_template_without_a_side_shows_the_error_beside_the_side_select(app, dashboard):
    browser, store_id, product = dashboard
    response = htmx(browser, "post", "/api/v1/templates", store_id, {"name": "No side", "sideId": ""})
    assert response.status_code == 422
    assert 'id="template-sideId-note"' in response.text
    assert f'value="{product["sides"][0]["id"]}"' in response.text  # the choices are there again
    assert template_count(app) == 0


def test_dashboard_template_actions_need_the_csrf_token(app, dashboard):
    browser, store_id, product = dashboard
    response = htmx(
        browser,
        "post",
        "/api/v1/templates",
        store_id,
        {"name": "X", "sideId": product["sides"][0]["id"]},
        **{"X-CSRFToken": "forged"},
    )
    assert response.status_code == 403
    assert template_count(app) == 0


def test_making_a_template_the_default_from_the_dashboard_updates_both_rows(dashboard):
    browser, store_id, product = dashboard
    side_id = product["sides"][0]["id"]
    ids = []
    for name, is_default in (("First", "true"), ("Second", "")):
        response = htmx(
            browser,
            "post",
            "/api/v1/templates",
            store_id,
            {"name": name, "sideId": side_id, "isDefault": is_default},
        )
        assert response.status_code == 201, response.text
        ids.append(re.search(r'id="template-(tpl_\w+)"', response.text)[1])
    response = htmx(browser, "patch", f"/api/v1/templates/{ids[1]}", store_id, {"isDefault": "true"})
    assert response.status_code == 200
    assert re.search(rf'<li id="template-{ids[1]}">', response.text)
    assert re.search(rf'<li id="template-{ids[0]}" hx-swap-oob="true">', response.text)
    response = htmx(browser, "delete", f"/api/v1/templates/{ids[0]}", store_id)
    assert response.status_code == 200 and "<li" not in response.text


def test_another_accounts_templates_page_is_a_404_page(client, dashboard, merchant):
    browser, _, _ = dashboard
    response = browser.client.get(
        f"/dashboard/stores/{merchant.store_id}/templates", headers={"Accept": "text/html"}
    )
    assert response.status_code == 404


def test_the_templates_page_loads_more_templates_through_the_api_list(dashboard):
    browser, store_id, product = dashboard
    side_id = product["sides"][0]["id"]
    for name in ("One", "Two", "Three"):
        response = htmx(browser, "post", "/api/v1/templates", store_id, {"name": name, "sideId": side_id})
        assert response.status_code == 201
    page = browser.get(f"/dashboard/stores/{store_id}/templates?limit=2&productId={product['id']}")
    assert "Three" in page.text and "Two" in page.text and "One" not in page.text
    more = re.search(r'hx-get="(/api/v1/templates\?[^"]+)"', page.text)[1].replace("&amp;", "&")
    assert f"productId={product['id']}" in more
    response = htmx(browser, "get", more, store_id)
    assert response.status_code == 200
    assert "One" in response.text and "Two" not in response.text and "Load more" not in response.text


def test_the_filter_forms_all_choice_filters_nothing(dashboard):
    browser, store_id, product = dashboard
    response = htmx(
        browser, "post", "/api/v1/templates", store_id, {"name": "Kept", "sideId": product["sides"][0]["id"]}
    )
    assert response.status_code == 201
    page = browser.get(f"/dashboard/stores/{store_id}/templates?productId=&status=")
    assert page.status_code == 200 and "Kept" in page.text
    other = browser.get(f"/dashboard/stores/{store_id}/templates?productId=prd_other")
    assert "Kept" not in other.text and "No templates match." in other.text
