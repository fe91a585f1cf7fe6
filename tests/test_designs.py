"""Designs through /api/v1: starting one from a template, reading, changing, deleting, listing,
completing (with its blocking problems), the editor link, the editor's start, events, who may do
what, mass assignment and tenant isolation."""

import pytest

from designer.designs.editor_keys import editor_key, key_opens
from designer.designs.models import Design
from designer.designs.service import start_personalization
from designer.extensions import db
from designer.products.service import find_product
from designer.projects.models import Project
from designer.tenancy import across_stores
from tests.factories import create_design as create
from tests.factories import created_design as created
from tests.factories import events_of, layer_named, listed_ids, make_product, storefront

# Helpers


def design_count(app) -> int:
    with app.app_context():
        return db.session.scalar(across_stores(db.select(db.func.count(Design.id))))


# Create


def test_a_customer_starts_a_design_from_the_sides_default_template(app, client, merchant, card):
    body = created(client, storefront(merchant), card)
    front = card["sides"][0]
    assert body["id"].startswith("des_") and body["storeId"] == merchant.store_id
    assert (body["productId"], body["sideId"], body["status"]) == (card["id"], front["id"], "processing")
    template = client.get(f"/api/v1/sides/{front['id']}/templates", headers=merchant.bearer).json["data"][0]
    assert body["templateId"] == template["id"]
    assert body["layers"] == template["layers"]
    assert [layer["name"] for layer in body["layers"]] == ["Accent bar", "Name", "Title", "Contact"]
    assert body["problems"] == [] and (body["canUndo"], body["canRedo"]) == (False, False)
    assert body["projectId"].startswith("prj_")  # a project is started for it
    assert body["editorUrl"] == (
        f"http://localhost/editor/designs/{body['id']}?key={_key(app, body['projectId'])}"
    )
    assert body["previewUrl"] == f"http://localhost/api/v1/designs/{body['id']}/preview"
    assert body["proofUrl"] == f"http://localhost/api/v1/designs/{body['id']}/proof"
    assert events_of(app, merchant.store_id, "design.created") == [{"type": "design.created", "data": body}]
    assert [event["data"]["id"] for event in events_of(app, merchant.store_id, "project.created")] == [
        body["projectId"]
    ]
    read = client.get(f"/api/v1/designs/{body['id']}", headers=storefront(merchant))
    assert read.status_code == 200 and read.json == body


def _key(app, project_id: str) -> str:
    with app.test_request_context():
        return editor_key(project_id)


def test_a_design_joins_a_given_project_with_a_chosen_template_and_layers(app, client, merchant, card):
    project = client.post("/api/v1/projects", json={"productId": card["id"]}, headers=merchant.bearer).json
    back = card["sides"][1]
    template = client.post(
        "/api/v1/templates",
        json={"sideId": back["id"], "name": "Plain", "layers": []},
        headers=merchant.bearer,
    ).json
    rect = {"type": "shape", "shape": "ellipse", "x": 5, "y": 5, "width": 10, "height": 10, "fill": "#ff0000"}
    body = created(
        client,
        merchant.bearer,
        card,
        side=1,
        projectId=project["id"],
        templateId=template["id"],
        layers=[rect],
    )
    assert (body["projectId"], body["templateId"]) == (project["id"], template["id"])
    assert [layer["shape"] for layer in body["layers"]] == ["ellipse"]
    assert body["layers"][0]["id"].startswith("lyr_") and body["layers"][0]["z"] == 0
    again = create(client, merchant.bearer, card, side=1, projectId=project["id"])
    assert again.status_code == 409 and again.json["error"]["field"] == "sideId"


def test_a_side_without_a_template_starts_blank(client, merchant):
    product = make_product(client, merchant)
    assert created(client, merchant.bearer, product)["layers"] == []


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"productId": "prd_nope"}, 422, "productId"),
        ({"sideId": "sid_nope"}, 422, "sideId"),
        ({"templateId": "tpl_nope"}, 422, "templateId"),
        ({"projectId": "prj_nope"}, 422, "projectId"),
        ({"layers": [{"type": "shape", "shape": "rect", "width": 0, "height": 1}]}, 422, "layers.0.width"),
        (
            {"layers": [{"type": "clipart", "clipartId": "clp_x", "width": 1, "height": 1}]},
            422,
            "layers.0.clipartId",
        ),
        ({"storeId": "sto_other"}, 422, "storeId"),
        ({"id": "des_mine"}, 422, "id"),
        ({"status": "accepted"}, 422, "status"),
        ({"createdAt": "2020-01-01T00:00:00Z"}, 422, "createdAt"),
        ({"proofFileId": "fil_x"}, 422, "proofFileId"),
    ],
)
def test_a_bad_create_is_refused_naming_the_field_and_creates_nothing(
    app, client, merchant, card, fields, status, field
):
    # A product without templates: the layers given are the design's whole start.
    blank = make_product(client, merchant, name="Blank")
    before = design_count(app)
    response = create(client, merchant.bearer, blank, **fields)
    assert response.status_code == status, response.json
    assert response.json["error"]["field"] == field
    assert design_count(app) == before


def test_the_side_and_template_must_be_the_products(client, merchant, card):
    other = make_product(client, merchant, name="Flyer", sides=("Only",))
    wrong_side = create(client, merchant.bearer, card, sideId=other["sides"][0]["id"])
    assert wrong_side.status_code == 422 and wrong_side.json["error"]["field"] == "sideId"
    back_template = client.get(f"/api/v1/sides/{card['sides'][1]['id']}/templates", headers=merchant.bearer)
    wrong_template = create(client, merchant.bearer, card, templateId=back_template.json["data"][0]["id"])
    assert wrong_template.status_code == 422 and wrong_template.json["error"]["field"] == "templateId"
    other_project = client.post("/api/v1/projects", json={"productId": other["id"]}, headers=merchant.bearer)
    wrong_project = create(client, merchant.bearer, card, projectId=other_project.json["id"])
    assert wrong_project.status_code == 422 and wrong_project.json["error"]["field"] == "projectId"


def test_a_storefront_sees_only_published_products_sides_and_templates(client, merchant, card):
    draft = make_product(client, merchant, status="draft")
    refused = create(client, storefront(merchant), draft)
    assert refused.status_code == 422 and refused.json["error"]["field"] == "productId"
    assert create(client, merchant.bearer, draft).status_code == 201  # the merchant may
    side = card["sides"][0]
    draft_template = client.post(
        "/api/v1/templates",
        json={"sideId": side["id"], "name": "Draft", "status": "draft"},
        headers=merchant.bearer,
    ).json
    hidden = create(client, storefront(merchant), card, templateId=draft_template["id"])
    assert hidden.status_code == 422 and hidden.json["error"]["field"] == "templateId"
    client.patch(f"/api/v1/sides/{side['id']}", json={"status": "draft"}, headers=merchant.bearer)
    unpublished = create(client, storefront(merchant), card)
    assert unpublished.status_code == 422 and unpublished.json["error"]["field"] == "sideId"


def test_idempotency_key_replays_the_creation(app, client, merchant, card):
    headers = storefront(merchant) | {"Idempotency-Key": "start-1"}
    first = create(client, headers, card)
    second = create(client, headers, card)
    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert design_count(app) == 1
    different = create(client, headers, card, side=1)
    assert different.status_code == 409


# Read, update, delete


def test_the_merchant_updates_note_status_and_layers_and_each_change_is_an_event(app, client, merchant, card):
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}"
    noted = client.patch(url, json={"note": "Matte please"}, headers=storefront(merchant))
    assert noted.status_code == 200 and noted.json["note"] == "Matte please"
    refused = client.patch(url, json={"status": "accepted"}, headers=storefront(merchant))
    assert refused.status_code == 403 and refused.json["error"]["field"] == "status"
    layers = [
        *design["layers"],
        {"type": "shape", "shape": "line", "width": 20, "height": 1, "stroke": "#000000"},
    ]
    replaced = client.patch(url, json={"layers": layers}, headers=storefront(merchant))
    assert replaced.status_code == 200, replaced.json
    assert len(replaced.json["layers"]) == 5 and replaced.json["canUndo"] is True
    accepted = client.patch(url, json={"status": "accepted"}, headers=merchant.bearer)
    assert accepted.json["status"] == "accepted"
    updates = events_of(app, merchant.store_id, "design.updated")
    assert [event["data"]["note"] for event in updates] == ["Matte please"] * 3
    assert updates[-1]["data"] == accepted.json
    unchanged = client.patch(url, json={"note": "Matte please"}, headers=merchant.bearer)
    assert unchanged.status_code == 200
    assert len(events_of(app, merchant.store_id, "design.updated")) == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"storeId": "sto_x"}, "storeId"),
        ({"productId": "prd_x"}, "productId"),
        ({"projectId": "prj_x"}, "projectId"),
        ({"id": "des_x"}, "id"),
        ({"updatedAt": "2020-01-01T00:00:00Z"}, "updatedAt"),
        ({"status": "done"}, "status"),
        ({"layers": {"text": "x"}}, "layers"),
        ({"note": 5}, "note"),
    ],
)
def test_mass_assignment_and_bad_fields_are_refused_by_name(client, merchant, card, body, field):
    design = created(client, merchant.bearer, card)
    response = client.patch(f"/api/v1/designs/{design['id']}", json=body, headers=merchant.bearer)
    assert response.status_code == 422 and response.json["error"]["field"] == field
    assert client.get(f"/api/v1/designs/{design['id']}", headers=merchant.bearer).json == design


def test_an_accepted_design_is_frozen_until_the_merchant_reopens_it(client, merchant, card):
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}"
    client.patch(url, json={"status": "accepted"}, headers=merchant.bearer)
    name = layer_named(design, "Name")["id"]
    frozen = client.patch(f"{url}/layers/{name}", json={"text": "Late change"}, headers=storefront(merchant))
    assert frozen.status_code == 409 and frozen.json["error"]["field"] == "status"
    assert client.post(f"{url}/undo", headers=storefront(merchant)).status_code == 409
    client.patch(url, json={"status": "processing"}, headers=merchant.bearer)
    assert (
        client.patch(f"{url}/layers/{name}", json={"text": "Now"}, headers=storefront(merchant)).status_code
        == 200
    )


def test_delete_is_the_merchants_and_records_the_event(app, client, merchant, card):
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}"
    assert client.delete(url, headers=storefront(merchant)).status_code == 403
    deleted = client.delete(url, headers=merchant.bearer)
    assert deleted.status_code == 200 and deleted.json == {"id": design["id"], "deleted": True}
    assert client.get(url, headers=merchant.bearer).status_code == 404
    [event] = events_of(app, merchant.store_id, "design.deleted")
    assert event["data"]["id"] == design["id"] and event["data"]["problems"] is None


# Lists


def test_designs_are_listed_and_counted_with_filters_by_the_merchant_only(client, merchant, card):
    front = created(client, merchant.bearer, card)
    back = created(client, merchant.bearer, card, side=1, projectId=front["projectId"])
    other = created(client, merchant.bearer, card)
    client.patch(f"/api/v1/designs/{other['id']}", json={"status": "declined"}, headers=merchant.bearer)

    def ids(query: str = "") -> list[str]:
        return listed_ids(client, merchant.bearer, f"/api/v1/designs{query}")

    assert ids("?sort=asc") == [front["id"], back["id"], other["id"]]
    assert ids(f"?projectId={front['projectId']}&sort=asc") == [front["id"], back["id"]]
    assert ids(f"?sideId={card['sides'][1]['id']}") == [back["id"]]
    assert ids("?status=declined") == [other["id"]]
    assert ids(f"?productId={card['id']}&limit=1") == [other["id"]]
    assert ids(f"?templateId={front['templateId']}&sort=asc") == [front["id"], other["id"]]
    listed = client.get("/api/v1/designs", headers=merchant.bearer).json["data"][0]
    assert listed["problems"] is None  # lists do not compose
    count = client.get(f"/api/v1/designs/count?projectId={front['projectId']}", headers=merchant.bearer)
    assert count.json == {"count": 2}
    for path in ("/api/v1/designs", "/api/v1/designs/count"):
        assert client.get(path, headers=storefront(merchant)).status_code == 403
        assert client.get(path).status_code == 401
    bad = client.get("/api/v1/designs?status=publish", headers=merchant.bearer)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "status"


# Who may do what


def test_anonymous_callers_can_do_nothing(client, merchant, card):
    design = created(client, merchant.bearer, card)
    url = f"/api/v1/designs/{design['id']}"
    assert create(client, {}, card).status_code == 401
    for method, path in (
        ("get", url),
        ("patch", url),
        ("post", f"{url}/complete"),
        ("get", f"{url}/preview?storeId={card['id']}"),
        ("post", f"{url}/undo"),
    ):
        assert getattr(client, method)(path, json={}).status_code == 401


def test_a_secret_token_needs_the_designs_scope(client, make_merchant, card, merchant):
    design = created(client, merchant.bearer, card)
    reader = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": "reader", "scopes": ["designs:read"]},
        headers=merchant.basic,
    ).json["token"]
    headers = {"Authorization": f"Bearer {reader}"}
    assert client.get(f"/api/v1/designs/{design['id']}", headers=headers).status_code == 200
    assert (
        client.patch(f"/api/v1/designs/{design['id']}", json={"note": "x"}, headers=headers).status_code
        == 403
    )
    assert create(client, headers, card).status_code == 403


def test_another_stores_designs_do_not_exist(client, make_merchant, card, merchant):
    design = created(client, storefront(merchant), card)
    stranger = make_merchant("Stranger")
    url = f"/api/v1/designs/{design['id']}"
    layer = design["layers"][1]["id"]
    for headers in (
        stranger.bearer,
        storefront(stranger),
        stranger.basic | {"X-Store-Id": stranger.store_id},
    ):
        assert client.get(url, headers=headers).status_code == 404
        assert client.patch(url, json={"note": "mine"}, headers=headers).status_code == 404
        assert client.patch(f"{url}/layers/{layer}", json={"text": "x"}, headers=headers).status_code == 404
        assert client.post(f"{url}/complete", headers=headers).status_code == 404
        assert client.get(f"{url}/preview", headers=headers).status_code == 404
    assert client.delete(url, headers=stranger.bearer).status_code == 404
    assert client.get("/api/v1/designs", headers=stranger.bearer).json["data"] == []
    # Another store's product, side, template or project cannot be named either.
    stranger_product = make_product(client, stranger)
    named = create(client, merchant.bearer, stranger_product)
    assert named.status_code == 422 and named.json["error"]["field"] == "productId"
    stolen_project = create(client, stranger.bearer, stranger_product, projectId=design["projectId"])
    assert stolen_project.status_code == 422 and stolen_project.json["error"]["field"] == "projectId"
    account_elsewhere = client.get(url, headers=merchant.basic | {"X-Store-Id": stranger.store_id})
    assert account_elsewhere.status_code == 404
    assert client.get(url, headers=merchant.basic | {"X-Store-Id": merchant.store_id}).status_code == 200


# Preview


def test_the_preview_is_the_composers_svg_in_either_mode(client, merchant, card):
    design = created(client, storefront(merchant), card)
    url = f"/api/v1/designs/{design['id']}/preview"
    preview = client.get(url, headers=storefront(merchant))
    assert preview.status_code == 200 and preview.mimetype == "image/svg+xml"
    svg = preview.get_data(as_text=True)
    assert svg.startswith("<svg") and 'data-mode="preview"' in svg
    assert all(f'data-layer-id="{layer["id"]}"' in svg for layer in design["layers"])
    assert "default-src 'none'" in preview.headers["Content-Security-Policy"]
    printed = client.get(f"{url}?mode=print", headers=storefront(merchant))
    assert 'data-mode="print"' in printed.get_data(as_text=True)
    again = client.get(url, headers=storefront(merchant) | {"If-None-Match": preview.headers["ETag"]})
    assert again.status_code == 304
    bad = client.get(f"{url}?mode=pdf", headers=storefront(merchant))
    assert bad.status_code == 422 and bad.json["error"]["field"] == "mode"


# Completing


def test_completing_with_an_empty_required_layer_is_a_422_listing_the_reasons(app, client, merchant, card):
    design = created(client, storefront(merchant), card)
    name = layer_named(design, "Name")
    emptied = client.patch(
        f"/api/v1/designs/{design['id']}/layers/{name['id']}", json={"text": ""}, headers=storefront(merchant)
    )
    blocking = [problem for problem in emptied.json["problems"] if problem["blocking"]]
    assert [(problem["layerId"], problem["code"]) for problem in blocking] == [(name["id"], "required_empty")]
    refused = client.post(f"/api/v1/designs/{design['id']}/complete", headers=storefront(merchant))
    assert refused.status_code == 422
    error = refused.json["error"]
    assert error["code"] == "validation_error" and error["field"] == "layers.1"
    assert [(item["layerId"], item["code"]) for item in error["errors"]] == [(name["id"], "required_empty")]
    assert "Name" in error["message"]
    assert events_of(app, merchant.store_id, "design.completed") == []


def test_completing_a_good_design_records_the_event(app, client, merchant, card):
    design = created(client, storefront(merchant), card)
    done = client.post(f"/api/v1/designs/{design['id']}/complete", headers=storefront(merchant))
    assert done.status_code == 200, done.json
    assert done.json["id"] == design["id"] and done.json["problems"] == []
    [event] = events_of(app, merchant.store_id, "design.completed")
    assert event["data"] == done.json


def test_completing_a_project_is_all_or_nothing(app, client, merchant, card):
    with app.test_request_context():
        product = find_product(merchant.store_id, card["id"])
        project_id = start_personalization(merchant.store_id, product).id
        db.session.commit()
    designs = client.get(f"/api/v1/projects/{project_id}/designs?sort=asc", headers=storefront(merchant)).json
    front, back = designs["data"]
    company = layer_named(back, "Company")
    # The back's Company is not required: emptying the front's required Name blocks the project.
    name = layer_named(front, "Name")
    client.patch(
        f"/api/v1/designs/{front['id']}/layers/{name['id']}", json={"text": " "}, headers=storefront(merchant)
    )
    refused = client.post(f"/api/v1/projects/{project_id}/complete", headers=storefront(merchant))
    assert refused.status_code == 422
    assert [(item["designId"], item["code"]) for item in refused.json["error"]["errors"]] == [
        (front["id"], "required_empty")
    ]
    assert events_of(app, merchant.store_id, "design.completed") == []
    client.patch(
        f"/api/v1/designs/{front['id']}/layers/{name['id']}",
        json={"text": "Grace"},
        headers=storefront(merchant),
    )
    done = client.post(f"/api/v1/projects/{project_id}/complete", headers=storefront(merchant))
    assert done.status_code == 200, done.json
    assert done.json["project"]["status"] == "reviewing"
    assert [item["id"] for item in done.json["designs"]] == [front["id"], back["id"]]
    assert company["id"] in {layer["id"] for layer in done.json["designs"][1]["layers"]}
    completed = events_of(app, merchant.store_id, "design.completed")
    assert [event["data"]["id"] for event in completed] == [front["id"], back["id"]]
    assert events_of(app, merchant.store_id, "project.updated")[-1]["data"]["status"] == "reviewing"
    empty = client.post("/api/v1/projects", json={"productId": card["id"]}, headers=merchant.bearer).json
    nothing = client.post(f"/api/v1/projects/{empty['id']}/complete", headers=merchant.bearer)
    assert nothing.status_code == 409


# The editor's start and its links


def test_starting_a_personalization_makes_a_project_and_a_design_per_published_side(
    app, client, merchant, card
):
    back = card["sides"][1]
    other = client.post(
        "/api/v1/templates", json={"sideId": back["id"], "name": "Blank back"}, headers=merchant.bearer
    ).json
    with app.test_request_context():
        product = find_product(merchant.store_id, card["id"])
        project = start_personalization(
            merchant.store_id, product, {back["id"]: other["id"]}, customer={"email": "Ada@Example.com"}
        )
        db.session.commit()
        project_id = project.id
    with app.app_context():
        stored = db.session.scalars(across_stores(db.select(Project).where(Project.id == project_id))).one()
        assert stored.customer == {"email": "ada@example.com", "name": None, "externalId": None}
    designs = client.get(f"/api/v1/projects/{project_id}/designs?sort=asc", headers=merchant.bearer).json[
        "data"
    ]
    assert [design["sideId"] for design in designs] == [side["id"] for side in card["sides"]]
    assert designs[1]["templateId"] == other["id"] and designs[1]["layers"] == []
    assert len(events_of(app, merchant.store_id, "design.created")) == 2
    with app.test_request_context(), pytest.raises(Exception) as refused:
        start_personalization(
            merchant.store_id, find_product(merchant.store_id, card["id"]), {back["id"]: "tpl_x"}
        )
    assert refused.value.field == f"templateIds.{back['id']}"
    with app.test_request_context(), pytest.raises(Exception) as refused:
        start_personalization(
            merchant.store_id, find_product(merchant.store_id, card["id"]), {"sid_x": other["id"]}
        )
    assert refused.value.field == "templateIds.sid_x"


def test_the_editor_key_opens_its_project_only(app):
    with app.test_request_context():
        key = editor_key("prj_one")
        assert key_opens("prj_one", key)
        assert not key_opens("prj_two", key)
        assert not key_opens("prj_one", key[:-1] + ("A" if key[-1] != "A" else "B"))
        assert not key_opens("prj_one", None) and not key_opens("prj_one", "")
        assert not key_opens("prj_one", "\udc80")


def test_the_product_editor_url_names_the_store_and_the_slug(client, merchant, card):
    assert card["editorUrl"] == f"http://localhost/editor/stores/{merchant.store_id}/products/business-card"
