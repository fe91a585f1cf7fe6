"""Categories through the API: CRUD with slugs, parents without loops, counts, batches, the
products of a category (with the public's view of them), and tenant isolation."""

import pytest

from designer.categories.models import Category
from designer.extensions import db
from designer.tenancy import in_store
from tests.factories import create_product, error
from tests.factories import storefront as public


def create_category(client, merchant, **fields) -> dict:
    response = client.post("/api/v1/categories", json={"name": "Weddings"} | fields, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def category_rows(app, store_id: str) -> int:
    with app.app_context():
        return db.session.scalar(in_store(db.select(db.func.count(Category.id)), store_id))


def test_a_category_is_created_read_updated_and_deleted(client, merchant):
    category = create_category(client, merchant, name="Wedding stationery", description="Invites and more")
    assert category["id"].startswith("cat_") and category["slug"] == "wedding-stationery"
    assert category["parentId"] is None and category["description"] == "Invites and more"
    url = f"/api/v1/categories/{category['id']}"
    assert client.get(url, headers=merchant.bearer).json == category
    renamed = client.patch(url, json={"name": "Weddings", "slug": "weddings"}, headers=merchant.bearer)
    assert (renamed.json["name"], renamed.json["slug"], renamed.json["description"]) == (
        "Weddings",
        "weddings",
        "Invites and more",
    )
    assert client.delete(url, headers=merchant.bearer).json == {"id": category["id"], "deleted": True}
    error(client.get(url, headers=merchant.bearer), 404, "not_found")


def test_category_slugs_are_unique_in_the_store(client, merchant):
    assert create_category(client, merchant, name="Mugs")["slug"] == "mugs"
    assert create_category(client, merchant, name="Mugs")["slug"] == "mugs-2"
    error(
        client.post("/api/v1/categories", json={"name": "x", "slug": "mugs"}, headers=merchant.bearer),
        409,
        "conflict",
        "slug",
    )
    error(
        client.post("/api/v1/categories", json={"name": "x", "slug": "Mugs!"}, headers=merchant.bearer),
        422,
        "validation_error",
        "slug",
    )


def test_a_parent_must_be_the_stores_and_make_no_loop(client, merchant, make_merchant):
    paper = create_category(client, merchant, name="Paper")
    cards = create_category(client, merchant, name="Cards", parentId=paper["id"])
    invites = create_category(client, merchant, name="Invites", parentId=cards["id"])
    assert invites["parentId"] == cards["id"]
    url = f"/api/v1/categories/{paper['id']}"
    error(
        client.patch(url, json={"parentId": invites["id"]}, headers=merchant.bearer),
        422,
        "validation_error",
        "parentId",
    )
    error(
        client.patch(url, json={"parentId": paper["id"]}, headers=merchant.bearer),
        422,
        "validation_error",
        "parentId",
    )
    theirs = create_category(client, make_merchant("Other"), name="Theirs")
    error(
        client.patch(url, json={"parentId": theirs["id"]}, headers=merchant.bearer),
        422,
        "validation_error",
        "parentId",
    )
    error(
        client.post(
            "/api/v1/categories", json={"name": "x", "parentId": "cat_nope"}, headers=merchant.bearer
        ),
        422,
        "validation_error",
        "parentId",
    )
    top = client.patch(f"/api/v1/categories/{cards['id']}", json={"parentId": None}, headers=merchant.bearer)
    assert top.json["parentId"] is None
    children = client.get(f"/api/v1/categories?parentId={cards['id']}", headers=merchant.bearer).json["data"]
    assert [child["name"] for child in children] == ["Invites"]


def test_deleting_a_parent_moves_its_children_to_the_top_and_keeps_the_products(client, merchant):
    paper = create_category(client, merchant, name="Paper")
    cards = create_category(client, merchant, name="Cards", parentId=paper["id"])
    product = create_product(client, merchant, categoryIds=[paper["id"], cards["id"]])
    client.delete(f"/api/v1/categories/{paper['id']}", headers=merchant.bearer)
    assert client.get(f"/api/v1/categories/{cards['id']}", headers=merchant.bearer).json["parentId"] is None
    kept = client.get(f"/api/v1/products/{product['id']}", headers=merchant.bearer).json
    assert kept["categoryIds"] == [cards["id"]]


def test_categories_list_search_sort_and_count(client, merchant):
    for name in ("Posters", "Mugs", "Cards"):
        create_category(client, merchant, name=name)
    listed = client.get("/api/v1/categories", headers=merchant.bearer).json
    assert [item["name"] for item in listed["data"]] == ["Cards", "Mugs", "Posters"]
    newest = client.get("/api/v1/categories?sortBy=createdAt&sort=desc&limit=1", headers=merchant.bearer).json
    assert newest["data"][0]["name"] == "Cards" and newest["hasMore"] is True
    assert [
        item["name"] for item in client.get("/api/v1/categories?q=MUG", headers=merchant.bearer).json["data"]
    ] == ["Mugs"]
    assert client.get("/api/v1/categories/count", headers=merchant.bearer).json == {"count": 3}
    assert client.get("/api/v1/categories/count?q=s", headers=merchant.bearer).json == {"count": 3}
    # The catalogue's shelves are public, like its published products.
    assert client.get(f"/api/v1/categories/count?storeId={merchant.store_id}").json == {"count": 3}
    assert client.get("/api/v1/categories", headers=public(merchant)).status_code == 200
    error(client.post("/api/v1/categories", json={"name": "x"}, headers=public(merchant)), 403, "forbidden")


def test_the_products_of_a_category_with_the_publics_view(client, merchant):
    mugs = create_category(client, merchant, name="Mugs")
    create_product(client, merchant, name="Enamel mug", categoryIds=[mugs["id"]])
    create_product(client, merchant, name="Draft mug", categoryIds=[mugs["id"]], status="draft")
    create_product(client, merchant, name="Poster")
    url = f"/api/v1/categories/{mugs['id']}/products"

    def names(query: str, headers: dict) -> list[str]:
        response = client.get(url + query, headers=headers)
        assert response.status_code == 200, response.json
        return sorted(item["name"] for item in response.json["data"])

    assert names("", merchant.bearer) == ["Draft mug", "Enamel mug"]
    assert names("?status=draft", merchant.bearer) == ["Draft mug"]
    assert names("", public(merchant)) == ["Enamel mug"]
    assert names(f"?storeId={merchant.store_id}", {}) == ["Enamel mug"]
    error(client.get(url + "?status=draft", headers=public(merchant)), 403, "forbidden", "status")
    error(client.get("/api/v1/categories/cat_nope/products", headers=merchant.bearer), 404, "not_found")


def test_category_batches_are_all_or_nothing(app, client, merchant, make_merchant):
    create_category(client, merchant, name="Taken", slug="taken")
    failed = client.post(
        "/api/v1/categories/batch",
        json={
            "categories": [
                {"name": "Fine"},
                {"name": "Dup", "slug": "taken"},
                {"name": "Bad", "parentId": "cat_x"},
            ]
        },
        headers=merchant.bearer,
    )
    body = error(failed, 422, "validation_error", "categories.1")
    assert [(item["index"], item["code"]) for item in body["errors"]] == [
        (1, "conflict"),
        (2, "validation_error"),
    ]
    assert category_rows(app, merchant.store_id) == 1
    created = client.post(
        "/api/v1/categories/batch",
        json={"categories": [{"name": "A"}, {"name": "B"}]},
        headers=merchant.bearer,
    )
    assert created.status_code == 201
    first, second = (item["id"] for item in created.json["data"])
    theirs = create_category(client, make_merchant("Other"), name="Theirs")
    refused = client.patch(
        "/api/v1/categories/batch",
        json={"categories": [{"id": first, "name": "A2"}, {"id": theirs["id"], "name": "Mine"}]},
        headers=merchant.bearer,
    )
    error(refused, 422, "validation_error", "categories.1")
    assert client.get(f"/api/v1/categories/{first}", headers=merchant.bearer).json["name"] == "A"
    updated = client.patch(
        "/api/v1/categories/batch",
        json={"categories": [{"id": first, "name": "A2"}, {"id": second, "parentId": first}]},
        headers=merchant.bearer,
    )
    assert [item["name"] for item in updated.json["data"]] == ["A2", "B"]
    refused = client.post(
        "/api/v1/categories/batch-delete", json={"ids": [first, theirs["id"]]}, headers=merchant.bearer
    )
    error(refused, 422, "validation_error", "ids.1")
    assert category_rows(app, merchant.store_id) == 3
    deleted = client.post(
        "/api/v1/categories/batch-delete", json={"ids": [first, second]}, headers=merchant.bearer
    )
    assert deleted.status_code == 200 and category_rows(app, merchant.store_id) == 1


@pytest.mark.parametrize("field", ["id", "storeId", "createdAt", "updatedAt"])
def test_server_fields_of_a_category_cannot_be_assigned(client, merchant, field):
    error(
        client.post("/api/v1/categories", json={"name": "x", field: "y"}, headers=merchant.bearer),
        422,
        "validation_error",
        field,
    )


def test_another_stores_category_answers_like_one_that_does_not_exist(client, merchant, make_merchant):
    other = make_merchant("Other")
    theirs = create_category(client, other, name="Theirs")
    for category_id in (theirs["id"], "cat_00000000000000000000000000"):
        for method, url, body in (
            ("GET", f"/api/v1/categories/{category_id}", None),
            ("PATCH", f"/api/v1/categories/{category_id}", {"name": "Mine"}),
            ("DELETE", f"/api/v1/categories/{category_id}", None),
            ("GET", f"/api/v1/categories/{category_id}/products", None),
        ):
            response = client.open(url, method=method, json=body, headers=merchant.bearer)
            assert error(response, 404, "not_found")["message"] == f"No category with id '{category_id}'"
    assert client.get("/api/v1/categories", headers=merchant.bearer).json["data"] == []
    assert (
        client.get(f"/api/v1/products?categoryId={theirs['id']}", headers=merchant.bearer).json["data"] == []
    )
    assert client.get(f"/api/v1/categories/{theirs['id']}", headers=other.bearer).json["name"] == "Theirs"
