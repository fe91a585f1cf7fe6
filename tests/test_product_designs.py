"""The designs of a product (PrintCart's "designs by product" and its count): filters, who may
read them, and tenant isolation. Designs are inserted directly; their own API comes with the editor."""

import pytest

from tests.factories import listed_ids, make_product
from tests.factories import project_design_row as add_design


def test_a_products_designs_are_listed_and_counted_with_filters(app, client, merchant, product):
    other_product = make_product(client, merchant, name="Mug", sides=("Wrap",))
    first = add_design(app, merchant.store_id, product)
    second = add_design(app, merchant.store_id, product, side=1, status="accepted")
    third = add_design(app, merchant.store_id, product, status="declined")
    add_design(app, merchant.store_id, other_product)

    def ids(query: str = "") -> list[str]:
        return listed_ids(client, merchant.bearer, f"/api/v1/products/{product['id']}/designs{query}")

    assert ids("?sort=asc") == [first, second, third]
    assert ids("?status=accepted") == [second]
    assert ids(f"?sideId={product['sides'][1]['id']}") == [second]
    assert ids("?limit=2") == [third, second]
    by_slug = client.get(f"/api/v1/products/{product['slug']}/designs", headers=merchant.bearer)
    assert len(by_slug.json["data"]) == 3
    design = by_slug.json["data"][0]
    assert set(design) == {
        "id",
        "productId",
        "sideId",
        "projectId",
        "templateId",
        "status",
        "layers",
        "note",
        "storeId",
        "problems",
        "canUndo",
        "canRedo",
        "editorUrl",
        "previewUrl",
        "proofUrl",
        "createdAt",
        "updatedAt",
    }
    assert design["problems"] is None  # a list does not compose each design

    def count(query: str = "") -> int:
        response = client.get(
            f"/api/v1/products/{product['id']}/designs/count{query}", headers=merchant.bearer
        )
        assert response.status_code == 200, response.json
        return response.json["count"]

    assert (count(), count("?status=declined"), count("?status=trashed")) == (3, 1, 0)


@pytest.mark.parametrize(("query", "field"), [("?status=publish", "status"), ("?sortBy=layers", "sortBy")])
def test_a_bad_query_is_refused_naming_the_parameter(client, merchant, product, query, field):
    response = client.get(f"/api/v1/products/{product['id']}/designs{query}", headers=merchant.bearer)
    assert response.status_code == 422 and response.json["error"]["field"] == field


def test_an_unknown_product_is_not_found(client, merchant):
    assert client.get("/api/v1/products/prd_nope/designs", headers=merchant.bearer).status_code == 404
    assert client.get("/api/v1/products/prd_nope/designs/count", headers=merchant.bearer).status_code == 404


def test_the_storefront_cannot_read_a_products_designs(client, merchant, product):
    public = {"X-Publishable-Token": merchant.publishable}
    for path in (
        f"/api/v1/products/{product['id']}/designs",
        f"/api/v1/products/{product['id']}/designs/count",
    ):
        assert client.get(path, headers=public).status_code == 403
        assert client.get(f"{path}?storeId={merchant.store_id}").status_code == 401


def test_the_account_reads_them_naming_its_store(app, client, merchant, product):
    add_design(app, merchant.store_id, product)
    response = client.get(
        f"/api/v1/products/{product['id']}/designs",
        headers=merchant.basic | {"X-Store-Id": merchant.store_id},
    )
    assert response.status_code == 200 and len(response.json["data"]) == 1


def test_another_stores_product_and_designs_are_not_found(app, client, make_merchant, merchant, product):
    add_design(app, merchant.store_id, product)
    other = make_merchant("Other")
    for path in (
        f"/api/v1/products/{product['id']}/designs",
        f"/api/v1/products/{product['id']}/designs/count",
    ):
        assert client.get(path, headers=other.bearer).status_code == 404


def test_a_token_without_a_designs_scope_cannot_read_them(client, merchant, product):
    token = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": "printer", "scopes": ["orders"]},
        headers=merchant.basic,
    ).json["token"]
    response = client.get(
        f"/api/v1/products/{product['id']}/designs", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
