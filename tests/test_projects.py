"""Projects through /api/v1 and the dashboard: CRUD, status moves, batch, a project's designs,
events, what a publishable token may do, and tenant isolation."""

import re

import pytest

from designer.designs.models import Design
from designer.extensions import db
from designer.projects.models import Project
from designer.tenancy import across_stores
from tests.factories import dashboard_with_product, events_of, htmx, listed_ids, make_product, send_batch
from tests.factories import project_design_row as add_design

CUSTOMER = {"email": "Grace@Example.com", "name": "Grace Hopper", "externalId": "cus_42"}


def project_count(app) -> int:
    with app.app_context():
        return db.session.scalar(across_stores(db.select(db.func.count(Project.id))))


def create(client, headers: dict, product_id: str, **fields):
    return client.post("/api/v1/projects", json={"productId": product_id} | fields, headers=headers)


def created(client, merchant, product_id: str, **fields) -> dict:
    response = create(client, merchant.bearer, product_id, **fields)
    assert response.status_code == 201, response.json
    return response.json


def move(client, merchant, project_id: str, status: str):
    return client.patch(f"/api/v1/projects/{project_id}", json={"status": status}, headers=merchant.bearer)


# Create and read


def test_starting_a_project_records_it_processing_with_its_customer(app, client, merchant, product):
    response = create(
        client,
        merchant.bearer,
        product["id"],
        name="Wedding cards",
        customer=CUSTOMER,
        note="Gold foil",
        metadata={"orderRef": "A-1", "rush": True},
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["id"].startswith("prj_") and body["status"] == "processing"
    assert body["productId"] == product["id"] and body["name"] == "Wedding cards"
    assert body["customer"] == CUSTOMER | {"email": "grace@example.com"}
    assert (body["note"], body["metadata"]) == ("Gold foil", {"orderRef": "A-1", "rush": True})
    assert events_of(app, merchant.store_id, "project.created") == [{"type": "project.created", "data": body}]
    assert client.get(f"/api/v1/projects/{body['id']}", headers=merchant.bearer).json == body


def test_a_project_may_name_its_product_by_slug_and_needs_nothing_else(client, merchant, product):
    body = created(client, merchant, product["slug"])
    assert body["productId"] == product["id"]
    assert (body["name"], body["customer"], body["note"], body["metadata"]) == ("", None, "", {})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"productId": "prd_nope"}, "productId"),
        ({"productId": ""}, "productId"),
        ({"customer": {"email": "not an email"}}, "customer.email"),
        ({"customer": {"phone": "123"}}, "customer.phone"),
        ({"metadata": {"k": {"nested": 1}}}, "metadata.k"),
        ({"status": "accepted"}, "status"),
        ({"storeId": "sto_x"}, "storeId"),
        ({"id": "prj_mine"}, "id"),
        ({"createdAt": "2020-01-01T00:00:00Z"}, "createdAt"),
    ],
)
def test_starting_a_project_with_bad_input_is_refused_naming_the_field(
    app, client, merchant, product, fields, field
):
    response = create(client, merchant.bearer, product["id"], **fields)
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"].startswith(field)
    assert project_count(app) == 0


def test_another_stores_product_is_refused_as_unknown(app, client, make_merchant, merchant):
    other = make_merchant("Other")
    theirs = make_product(client, other)
    response = create(client, merchant.bearer, theirs["id"])
    assert response.status_code == 422 and response.json["error"]["field"] == "productId"
    assert project_count(app) == 0


# List and count


def test_listing_projects_filters_by_status_product_and_customer(client, merchant, product):
    mug = make_product(client, merchant, name="Mug", sides=("Wrap",))
    a = created(client, merchant, product["id"], customer=CUSTOMER)
    b = created(client, merchant, mug["id"], customer={"email": "linus@example.com", "externalId": "cus_7"})
    c = created(client, merchant, product["id"])
    assert move(client, merchant, c["id"], "reviewing").status_code == 200

    def ids(query: str) -> list[str]:
        return listed_ids(client, merchant.bearer, f"/api/v1/projects{query}")

    assert ids("?sort=asc") == [a["id"], b["id"], c["id"]]
    assert ids(f"?productId={product['id']}&sort=asc") == [a["id"], c["id"]]
    assert ids("?status=reviewing") == [c["id"]]
    assert ids("?customerEmail=GRACE@example.com") == [a["id"]]
    assert ids("?customerExternalId=cus_7") == [b["id"]]
    assert ids("?limit=1&sort=asc") == [a["id"]]
    count = client.get("/api/v1/projects/count?status=processing", headers=merchant.bearer)
    assert count.json == {"count": 2}


@pytest.mark.parametrize(("query", "field"), [("?status=done", "status"), ("?sortBy=customer", "sortBy")])
def test_a_bad_list_query_is_refused_naming_the_parameter(client, merchant, query, field):
    response = client.get(f"/api/v1/projects{query}", headers=merchant.bearer)
    assert response.status_code == 422 and response.json["error"]["field"] == field


# Update and status


def test_updating_a_project_replaces_the_fields_given_and_records_the_event(app, client, merchant, product):
    project = created(client, merchant, product["id"], customer=CUSTOMER, metadata={"a": 1})
    response = client.patch(
        f"/api/v1/projects/{project['id']}",
        json={"name": "Renamed", "customer": {"name": "G. Hopper"}, "metadata": {"b": 2}},
        headers=merchant.bearer,
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["name"] == "Renamed" and body["note"] == ""
    assert body["customer"] == {"email": None, "name": "G. Hopper", "externalId": None}
    assert body["metadata"] == {"b": 2}
    assert events_of(app, merchant.store_id, "project.updated") == [{"type": "project.updated", "data": body}]
    cleared = client.patch(
        f"/api/v1/projects/{project['id']}", json={"customer": None}, headers=merchant.bearer
    )
    assert cleared.json["customer"] is None


def test_a_project_is_reviewed_before_it_is_accepted(client, merchant, product):
    project = created(client, merchant, product["id"])["id"]
    response = move(client, merchant, project, "accepted")
    assert response.status_code == 409
    assert response.json["error"]["field"] == "status"
    assert "reviewing, trashed" in response.json["error"]["message"]
    for status in (
        "reviewing",
        "processing",
        "reviewing",
        "accepted",
        "reviewing",
        "accepted",
        "trashed",
        "processing",
    ):
        response = move(client, merchant, project, status)
        assert response.status_code == 200, (status, response.json)
        assert response.json["status"] == status


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "accepted"),
        (["trashed"], "reviewing"),
        (["trashed"], "accepted"),
    ],
)
def test_moves_the_status_diagram_does_not_have_are_refused(client, merchant, product, path, refused):
    project = created(client, merchant, product["id"])["id"]
    for status in path:
        assert move(client, merchant, project, status).status_code == 200
    response = move(client, merchant, project, refused)
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"


def test_moving_to_the_same_status_changes_nothing(app, client, merchant, product):
    project = created(client, merchant, product["id"])["id"]
    assert move(client, merchant, project, "processing").status_code == 200
    assert events_of(app, merchant.store_id, "project.updated") == []


def test_deleting_a_project_keeps_its_designs_and_records_the_event(app, client, merchant, product):
    project = created(client, merchant, product["id"])
    design_id = add_design(app, merchant.store_id, product, project_id=project["id"])
    response = client.delete(f"/api/v1/projects/{project['id']}", headers=merchant.bearer)
    assert response.status_code == 200 and response.json == {"id": project["id"], "deleted": True}
    assert client.get(f"/api/v1/projects/{project['id']}", headers=merchant.bearer).status_code == 404
    assert events_of(app, merchant.store_id, "project.deleted") == [
        {"type": "project.deleted", "data": project}
    ]
    with app.app_context():
        assert (
            db.session.scalar(across_stores(db.select(Design.project_id).where(Design.id == design_id)))
            is None
        )


# A project's designs


def test_a_projects_designs_are_listed_with_filters(app, client, merchant, product):
    project = created(client, merchant, product["id"])["id"]
    front = add_design(app, merchant.store_id, product, project_id=project)
    back = add_design(app, merchant.store_id, product, project_id=project, side=1, status="accepted")
    add_design(app, merchant.store_id, product)  # another project's

    def ids(query: str = "") -> list[str]:
        return listed_ids(client, merchant.bearer, f"/api/v1/projects/{project}/designs{query}")

    assert ids("?sort=asc") == [front, back]
    assert ids("?status=accepted") == [back]
    assert ids(f"?sideId={product['sides'][0]['id']}") == [front]
    [design] = client.get(
        f"/api/v1/projects/{project}/designs?status=accepted", headers=merchant.bearer
    ).json["data"]
    assert design["projectId"] == project and design["sideId"] == product["sides"][1]["id"]
    assert client.get("/api/v1/projects/prj_nope/designs", headers=merchant.bearer).status_code == 404


# Batch


def test_batch_start_makes_every_project_or_none(app, client, merchant, product):
    good = {"productId": product["id"]}
    response = send_batch(
        client, merchant.bearer, "POST", "projects", [good, {"productId": "prd_nope"}, good]
    )
    assert response.status_code == 422
    assert [(item["index"], item["field"]) for item in response.json["error"]["errors"]] == [
        (1, "projects.1.productId")
    ]
    assert project_count(app) == 0 and events_of(app, merchant.store_id, "project.created") == []
    response = send_batch(client, merchant.bearer, "POST", "projects", [good, good])
    assert response.status_code == 201 and len(response.json["data"]) == 2


def test_batch_update_moves_every_project_or_none(app, client, merchant, product):
    a, b = created(client, merchant, product["id"]), created(client, merchant, product["id"])
    moves = [{"id": a["id"], "status": "reviewing"}, {"id": b["id"], "status": "accepted"}]
    response = send_batch(client, merchant.bearer, "PATCH", "projects", moves)
    assert response.status_code == 422
    [error] = response.json["error"]["errors"]
    assert (error["index"], error["code"], error["field"]) == (1, "conflict", "projects.1")
    assert client.get(f"/api/v1/projects/{a['id']}", headers=merchant.bearer).json["status"] == "processing"
    assert events_of(app, merchant.store_id, "project.updated") == []
    moves = [{"id": a["id"], "status": "reviewing"}, {"id": b["id"], "note": "Call first"}]
    response = send_batch(client, merchant.bearer, "PATCH", "projects", moves)
    assert response.status_code == 200
    data = response.json["data"]
    assert [(item["status"], item["note"]) for item in data] == [
        ("reviewing", ""),
        ("processing", "Call first"),
    ]


def test_batch_delete_deletes_every_project_or_none(app, client, merchant, product):
    a = created(client, merchant, product["id"])
    response = client.post(
        "/api/v1/projects/batch-delete", json={"ids": [a["id"], "prj_nope"]}, headers=merchant.bearer
    )
    assert response.status_code == 422 and response.json["error"]["field"] == "ids.1"
    assert project_count(app) == 1
    response = client.post("/api/v1/projects/batch-delete", json={"ids": [a["id"]]}, headers=merchant.bearer)
    assert response.status_code == 200 and project_count(app) == 0


# What a publishable token may do


def test_a_customer_starts_a_project_on_a_published_product_and_reads_it_back(app, client, merchant, product):
    public = {"X-Publishable-Token": merchant.publishable}
    response = create(client, public, product["id"], customer={"email": "c@example.com"})
    assert response.status_code == 201, response.json
    project = response.json
    assert client.get(f"/api/v1/projects/{project['id']}", headers=public).json == project
    assert client.get(f"/api/v1/projects/{project['id']}/designs", headers=public).status_code == 200
    draft = make_product(client, merchant, status="draft", name="Unreleased")
    response = create(client, public, draft["id"])
    assert response.status_code == 422 and response.json["error"]["field"] == "productId"
    assert create(client, merchant.bearer, draft["id"]).status_code == 201  # the merchant may


def test_a_publishable_token_cannot_list_change_or_delete_projects(client, merchant, product):
    public = {"X-Publishable-Token": merchant.publishable}
    project = created(client, merchant, product["id"])["id"]
    responses = [
        client.get("/api/v1/projects", headers=public),
        client.get("/api/v1/projects/count", headers=public),
        client.patch(f"/api/v1/projects/{project}", json={"status": "reviewing"}, headers=public),
        client.delete(f"/api/v1/projects/{project}", headers=public),
        send_batch(client, public, "POST", "projects", [{"productId": product["id"]}]),
        client.post("/api/v1/projects/batch-delete", json={"ids": [project]}, headers=public),
    ]
    assert [response.status_code for response in responses] == [403] * 6
    assert client.post("/api/v1/projects", json={"productId": product["id"]}).status_code == 401


# Tenant isolation


def test_another_stores_projects_are_not_found_on_every_route(app, client, make_merchant, merchant, product):
    project = created(client, merchant, product["id"])
    pid = project["id"]
    other = make_merchant("Other")
    responses = {
        "get": client.get(f"/api/v1/projects/{pid}", headers=other.bearer),
        "patch": client.patch(f"/api/v1/projects/{pid}", json={"name": "X"}, headers=other.bearer),
        "delete": client.delete(f"/api/v1/projects/{pid}", headers=other.bearer),
        "designs": client.get(f"/api/v1/projects/{pid}/designs", headers=other.bearer),
        "public": client.get(f"/api/v1/projects/{pid}", headers={"X-Publishable-Token": other.publishable}),
    }
    assert {name: response.status_code for name, response in responses.items()} == dict.fromkeys(
        responses, 404
    )
    assert client.get("/api/v1/projects", headers=other.bearer).json["data"] == []
    assert client.get("/api/v1/projects/count", headers=other.bearer).json == {"count": 0}
    batch = send_batch(client, other.bearer, "PATCH", "projects", [{"id": pid, "name": "X"}])
    assert batch.status_code == 422
    assert client.get(f"/api/v1/projects/{pid}", headers=merchant.bearer).json == project


# Dashboard


@pytest.fixture
def dashboard(app):
    return dashboard_with_product(app)


def test_the_projects_page_lists_projects_by_status_and_moves_them_inline(app, dashboard):
    browser, store_id, product = dashboard
    account = browser.client
    responses = [
        htmx(browser, "post", "/api/v1/projects", store_id, {"productId": product["id"], "name": name})
        for name in ("Alpha", "Beta")
    ]
    assert [response.status_code for response in responses] == [201, 201]
    alpha = responses[0].json["id"]
    page = browser.get(f"/dashboard/stores/{store_id}/projects")
    assert page.status_code == 200 and 'aria-current="page">Projects' in page.text
    assert "Alpha" in page.text and "Beta" in page.text and "Poster" in page.text
    row = re.search(rf'<li id="project-{alpha}">.*?</li>', page.text, re.S)[0]
    assert '<option value="reviewing">' in row and '<option value="accepted">' not in row
    assert f'hx-get="/api/v1/projects/{alpha}/render?storeId={store_id}"' in row  # its PDF, on demand
    response = htmx(browser, "patch", f"/api/v1/projects/{alpha}", store_id, {"status": "reviewing"})
    assert response.status_code == 200
    assert (
        '<option value="accepted">' in response.text
        and '<option value="reviewing" selected>' in response.text
    )
    assert "Beta" in browser.get(f"/dashboard/stores/{store_id}/projects?status=&customerEmail=").text
    filtered = browser.get(f"/dashboard/stores/{store_id}/projects?status=reviewing")
    assert "Alpha" in filtered.text and "Beta" not in filtered.text
    assert account.get(f"/dashboard/stores/{store_id}/projects?status=nope").status_code == 422


def test_another_accounts_projects_page_is_a_404_page(dashboard, merchant):
    browser, _, _ = dashboard
    response = browser.client.get(
        f"/dashboard/stores/{merchant.store_id}/projects", headers={"Accept": "text/html"}
    )
    assert response.status_code == 404
