"""Products through the API: creation with sides, slugs, id-or-slug addressing, who sees what,
filters, updates, personalization rules, variants, deletion, batches, events, references to other
rows (and other stores), and the dashboard's product pages through the test client."""

import re

import pytest
from werkzeug.datastructures import MultiDict

from designer.extensions import db
from designer.library.models import Font
from designer.products.models import Product, Side
from designer.tenancy import in_store
from tests.factories import CARD_FRONT, Dashboard, add_file, create_product, error, sign_up_to_dashboard
from tests.factories import design_row as add_design
from tests.factories import event_pairs as events_of
from tests.factories import storefront as public

# Helpers


def add_font(app, store_id: str, family: str = "Inter") -> str:
    with app.app_context():
        font = Font(store_id=store_id, family=family, format="ttf", size_bytes=10, storage_key="x.ttf")
        db.session.add(font)
        db.session.commit()
        return font.id


def product_rows(app, store_id: str) -> int:
    with app.app_context():
        return db.session.scalar(in_store(db.select(db.func.count(Product.id)), store_id))


# Creating


def test_a_product_is_created_with_its_sides_in_one_call(client, merchant):
    product = create_product(
        client,
        merchant,
        name="Business card",
        sides=[CARD_FRONT, {"name": "Back", "width": 85, "height": 55, "bleed": 3}],
    )
    assert re.fullmatch(r"prd_[0-9A-Z]{26}", product["id"])
    assert product["slug"] == "business-card"
    assert (
        product["editorUrl"] == f"http://localhost/editor/stores/{merchant.store_id}/products/business-card"
    )
    assert product["status"] == "publish" and product["type"] == "simple" and product["dpi"] == 300
    front, back = product["sides"]
    assert re.fullmatch(r"sid_[0-9A-Z]{26}", front["id"])
    assert (front["name"], front["position"], back["name"], back["position"]) == ("Front", 0, "Back", 1)
    assert (front["width"], front["height"], front["bleed"], front["safeZone"]) == (85, 55, 3, 4)
    assert front["productId"] == product["id"] and front["dimensionUnit"] == "mm"
    assert product["personalization"]["enableDesign"] is True
    assert product["personalization"]["allowedFileTypes"] == [
        "jpg",
        "png",
        "pdf",
        "svg",
        "webp",
        "tiff",
        "gif",
    ]
    fetched = client.get(f"/api/v1/products/{product['id']}", headers=merchant.bearer)
    assert fetched.status_code == 200 and fetched.json == product


def test_sizes_are_given_in_the_product_unit_and_kept_in_millimetres(app, client, merchant):
    product = create_product(
        client,
        merchant,
        dimensionUnit="inch",
        sides=[{"name": "Front", "width": 3.5, "height": 2, "bleed": 0.125, "safeZone": 0.25}],
    )
    side = product["sides"][0]
    assert (side["width"], side["height"], side["bleed"], side["safeZone"]) == (3.5, 2, 0.125, 0.25)
    with app.app_context():
        row = db.session.scalars(in_store(db.select(Side), merchant.store_id)).one()
        assert (row.width_mm, row.height_mm, row.bleed_mm) == pytest.approx((88.9, 50.8, 3.175))

    changed = client.patch(
        f"/api/v1/products/{product['id']}", json={"dimensionUnit": "cm"}, headers=merchant.bearer
    )
    assert changed.status_code == 200
    side = changed.json["sides"][0]
    assert (side["width"], side["height"], side["dimensionUnit"]) == (8.89, 5.08, "cm")


def test_the_dimension_unit_is_required_and_must_be_known(client, merchant):
    error(
        client.post("/api/v1/products", json={"name": "Mug"}, headers=merchant.bearer),
        422,
        "validation_error",
        "dimensionUnit",
    )
    response = client.post(
        "/api/v1/products", json={"name": "Mug", "dimensionUnit": "pt"}, headers=merchant.bearer
    )
    error(response, 422, "validation_error", "dimensionUnit")


def test_the_slug_comes_from_the_name_and_is_made_unique_in_the_store(client, merchant, make_merchant):
    assert create_product(client, merchant, name="Café Mug 11oz!")["slug"] == "cafe-mug-11oz"
    assert create_product(client, merchant, name="Café Mug 11oz")["slug"] == "cafe-mug-11oz-2"
    assert create_product(client, merchant, name="cafe mug 11oz")["slug"] == "cafe-mug-11oz-3"
    assert create_product(client, merchant, name="★★★")["slug"] == "item"
    assert create_product(client, merchant, name="Count")["slug"] == "count-2"
    other = make_merchant("Other")
    assert create_product(client, other, name="Café Mug 11oz")["slug"] == "cafe-mug-11oz"


def test_a_given_slug_is_checked(client, merchant):
    create_product(client, merchant, name="Mug", slug="the-mug")
    taken = client.post(
        "/api/v1/products",
        json={"name": "Mug 2", "slug": "the-mug", "dimensionUnit": "mm"},
        headers=merchant.bearer,
    )
    error(taken, 409, "conflict", "slug")
    for slug in ("The-Mug", "mug_1", "-mug", "mug--1", "", "prd_01"):
        bad = client.post(
            "/api/v1/products",
            json={"name": "Mug", "slug": slug, "dimensionUnit": "mm"},
            headers=merchant.bearer,
        )
        error(bad, 422, "validation_error", "slug")
    reserved = client.post(
        "/api/v1/products",
        json={"name": "Mug", "slug": "batch", "dimensionUnit": "mm"},
        headers=merchant.bearer,
    )
    error(reserved, 422, "validation_error", "slug")


def test_a_product_is_found_by_id_or_by_slug(client, merchant):
    product = create_product(client, merchant, name="Poster A2")
    by_slug = client.get("/api/v1/products/poster-a2", headers=merchant.bearer)
    assert by_slug.status_code == 200 and by_slug.json["id"] == product["id"]
    error(client.get("/api/v1/products/poster-a3", headers=merchant.bearer), 404, "not_found")
    error(
        client.get("/api/v1/products/prd_00000000000000000000000000", headers=merchant.bearer),
        404,
        "not_found",
    )


# Who sees what


def test_the_public_sees_published_products_and_sides_only(client, merchant):
    published = create_product(
        client, merchant, name="Shown", sides=[CARD_FRONT, {**CARD_FRONT, "name": "Back", "status": "draft"}]
    )
    draft = create_product(client, merchant, name="Hidden", status="draft")
    create_product(client, merchant, name="Binned", status="trashed")

    for headers, url in (
        ({}, f"/api/v1/products?storeId={merchant.store_id}"),
        (public(merchant), "/api/v1/products"),
    ):
        listed = client.get(url, headers=headers)
        assert listed.status_code == 200, listed.json
        assert [item["name"] for item in listed.json["data"]] == ["Shown"]
        assert [side["name"] for side in listed.json["data"][0]["sides"]] == ["Front"]

    assert client.get(f"/api/v1/products/shown?storeId={merchant.store_id}").status_code == 200
    error(client.get(f"/api/v1/products/{draft['id']}?storeId={merchant.store_id}"), 404, "not_found")
    error(client.get(f"/api/v1/products/{draft['id']}", headers=public(merchant)), 404, "not_found")
    assert client.get(f"/api/v1/products/{published['id']}/sides/count", headers=public(merchant)).json == {
        "count": 1
    }
    count = client.get(f"/api/v1/products/count?storeId={merchant.store_id}")
    assert count.json == {"count": 1}

    everything = client.get("/api/v1/products", headers=merchant.bearer)
    assert sorted(item["name"] for item in everything.json["data"]) == ["Binned", "Hidden", "Shown"]
    assert client.get("/api/v1/products/count", headers=merchant.bearer).json == {"count": 3}
    shown = client.get(f"/api/v1/products/{published['id']}", headers=merchant.bearer).json
    assert [side["name"] for side in shown["sides"]] == ["Front", "Back"]
    assert client.get(f"/api/v1/products/{draft['id']}", headers=merchant.bearer).status_code == 200


def test_the_public_asking_for_drafts_is_refused_naming_status(client, merchant):
    for status in ("draft", "trashed"):
        error(
            client.get(f"/api/v1/products?status={status}", headers=public(merchant)),
            403,
            "forbidden",
            "status",
        )
        error(
            client.get(f"/api/v1/products?storeId={merchant.store_id}&status={status}"),
            403,
            "forbidden",
            "status",
        )
    assert client.get("/api/v1/products?status=publish", headers=public(merchant)).status_code == 200


def test_an_anonymous_caller_must_name_an_existing_store(client, merchant):
    error(client.get("/api/v1/products"), 422, "validation_error", "storeId")
    error(client.get("/api/v1/products?storeId=sto_nope"), 404, "not_found")
    error(client.get("/api/v1/products?storeId=sto_%00"), 422, "validation_error", "storeId")
    error(client.get("/api/v1/products", headers={"X-Store-Id": "sto_\x7f"}), 404, "not_found")


def test_writes_need_a_secret_token_or_the_account(client, merchant):
    body = {"name": "Mug", "dimensionUnit": "mm"}
    error(client.post(f"/api/v1/products?storeId={merchant.store_id}", json=body), 401, "unauthenticated")
    error(client.post("/api/v1/products", json=body, headers=public(merchant)), 403, "forbidden")


def test_a_read_only_token_reads_but_cannot_write(client, merchant, make_merchant):
    reader = make_merchant("Reader", scopes=["read"])
    assert client.get("/api/v1/products", headers=reader.bearer).status_code == 200
    refused = client.post(
        "/api/v1/products", json={"name": "Mug", "dimensionUnit": "mm"}, headers=reader.bearer
    )
    error(refused, 403, "forbidden")


def test_the_account_names_its_store_with_a_header_or_a_parameter(client, merchant, make_merchant):
    body = {"name": "Mug", "dimensionUnit": "mm"}
    error(
        client.post("/api/v1/products", json=body, headers=merchant.basic), 422, "validation_error", "storeId"
    )
    by_header = client.post(
        "/api/v1/products", json=body, headers=merchant.basic | {"X-Store-Id": merchant.store_id}
    )
    assert by_header.status_code == 201
    by_query = client.get(f"/api/v1/products?storeId={merchant.store_id}", headers=merchant.basic)
    assert [item["id"] for item in by_query.json["data"]] == [by_header.json["id"]]
    other = make_merchant("Other")
    error(client.get(f"/api/v1/products?storeId={other.store_id}", headers=merchant.basic), 404, "not_found")
    # A token belongs to one store: naming another is a 404 too.
    error(client.get(f"/api/v1/products?storeId={other.store_id}", headers=merchant.bearer), 404, "not_found")


def test_storeid_in_a_body_is_refused_by_name(client, merchant):
    body = {"name": "Mug", "dimensionUnit": "mm", "storeId": merchant.store_id}
    error(
        client.post("/api/v1/products", json=body, headers=merchant.bearer),
        422,
        "validation_error",
        "storeId",
    )


# Lists and filters


def test_products_filter_by_status_text_type_parent_and_category(client, merchant):
    category = client.post("/api/v1/categories", json={"name": "Mugs"}, headers=merchant.bearer).json
    mug = create_product(client, merchant, name="Enamel mug", categoryIds=[category["id"]])
    create_product(client, merchant, name="Poster", status="draft")
    shirt = create_product(client, merchant, name="T-shirt", type="variant")
    option = create_product(client, merchant, name="T-shirt red", type="variant_option", parentId=shirt["id"])

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/products?{query}", headers=merchant.bearer)
        assert response.status_code == 200, response.json
        return sorted(item["name"] for item in response.json["data"])

    assert names("status=draft") == ["Poster"]
    assert names("q=MUG") == ["Enamel mug"]
    assert names("q=t-shirt") == ["T-shirt", "T-shirt red"]
    assert names("q=%25") == []  # a LIKE wildcard is searched for, not obeyed
    assert names("type=variant") == ["T-shirt"]
    assert names(f"parentId={shirt['id']}") == ["T-shirt red"]
    assert names(f"categoryId={category['id']}") == ["Enamel mug"]
    assert names("status=&q=") == ["Enamel mug", "Poster", "T-shirt", "T-shirt red"]
    counted = client.get(
        f"/api/v1/products/count?type=variant_option&parentId={shirt['id']}", headers=merchant.bearer
    )
    assert counted.json == {"count": 1}
    assert option["parentId"] == shirt["id"] and mug["categories"][0]["name"] == "Mugs"
    error(
        client.get("/api/v1/products?status=gone", headers=merchant.bearer), 422, "validation_error", "status"
    )


def test_products_page_through_every_product_once(client, merchant):
    ids = {create_product(client, merchant, name=f"Card {index}")["id"] for index in range(5)}
    seen, cursor = [], None
    for _ in range(5):
        url = "/api/v1/products?limit=2&sortBy=name&sort=asc" + (f"&startingAfter={cursor}" if cursor else "")
        page = client.get(url, headers=merchant.bearer).json
        seen += [item["id"] for item in page["data"]]
        cursor = page["nextCursor"]
        if not page["hasMore"]:
            break
    assert len(seen) == 5 and set(seen) == ids
    error(
        client.get("/api/v1/products?sortBy=price", headers=merchant.bearer),
        422,
        "validation_error",
        "sortBy",
    )
    error(
        client.get("/api/v1/products?startingAfter=prd_x", headers=merchant.bearer), 422, "validation_error"
    )


# Updating


def test_a_patch_changes_only_what_it_names(client, merchant):
    product = create_product(client, merchant, name="Mug", description="Enamel", metadata={"sku": "MUG-1"})
    changed = client.patch(
        f"/api/v1/products/{product['slug']}",
        json={"name": "Big mug", "status": "draft"},
        headers=merchant.bearer,
    )
    assert changed.status_code == 200
    body = changed.json
    assert (body["name"], body["status"], body["description"], body["slug"]) == (
        "Big mug",
        "draft",
        "Enamel",
        "mug",
    )
    assert body["metadata"] == {"sku": "MUG-1"}
    renamed = client.patch(
        f"/api/v1/products/{product['id']}", json={"slug": "big-mug"}, headers=merchant.bearer
    )
    assert renamed.json["slug"] == "big-mug" and renamed.json["editorUrl"].endswith(
        f"/editor/stores/{merchant.store_id}/products/big-mug"
    )


def test_a_patch_to_a_taken_slug_is_a_409(client, merchant):
    create_product(client, merchant, name="Mug")
    poster = create_product(client, merchant, name="Poster")
    error(
        client.patch(f"/api/v1/products/{poster['id']}", json={"slug": "mug"}, headers=merchant.bearer),
        409,
        "conflict",
        "slug",
    )
    same = client.patch(f"/api/v1/products/{poster['id']}", json={"slug": "poster"}, headers=merchant.bearer)
    assert same.status_code == 200


def test_sides_are_not_changed_through_the_product(client, merchant):
    product = create_product(client, merchant, sides=[CARD_FRONT])
    response = client.patch(f"/api/v1/products/{product['id']}", json={"sides": []}, headers=merchant.bearer)
    error(response, 422, "validation_error", "sides")


def test_personalization_rules_are_merged_and_checked(app, client, merchant, make_merchant):
    font_id = add_font(app, merchant.store_id)
    product = create_product(
        client,
        merchant,
        personalization={"maxFiles": 3, "allowedColors": ["#FF0000", "#ff0000"], "allowedFontIds": [font_id]},
    )
    rules = product["personalization"]
    assert (rules["maxFiles"], rules["allowedColors"], rules["allowedFontIds"]) == (3, ["#ff0000"], [font_id])

    changed = client.patch(
        f"/api/v1/products/{product['id']}",
        json={
            "personalization": {"enableUpload": False, "layerRules": [{"layerName": "Name", "maxChars": 20}]}
        },
        headers=merchant.bearer,
    )
    rules = changed.json["personalization"]
    assert (rules["enableUpload"], rules["maxFiles"], rules["allowedFontIds"]) == (False, 3, [font_id])
    assert rules["layerRules"] == [
        {"layerId": None, "layerName": "Name", "maxChars": 20, "required": False, "locked": False}
    ]

    own = client.patch(
        f"/api/v1/products/{product['id']}/personalization",
        json={"minImageDpi": 300},
        headers=merchant.bearer,
    )
    assert own.json["personalization"]["minImageDpi"] == 300
    assert own.json["personalization"]["enableUpload"] is False

    other_font = add_font(app, make_merchant("Other").store_id)
    for body, field in (
        ({"personalization": {"allowedFontIds": ["fnt_nope"]}}, "personalization.allowedFontIds.0"),
        ({"personalization": {"allowedFontIds": [font_id, other_font]}}, "personalization.allowedFontIds.1"),
        ({"personalization": {"allowedColors": ["red"]}}, "personalization.allowedColors.0"),
        ({"personalization": {"allowedFileTypes": []}}, "personalization.allowedFileTypes"),
        ({"personalization": {"allowedFileTypes": ["exe"]}}, "personalization.allowedFileTypes.0"),
        ({"personalization": {"maxFiles": 0}}, "personalization.maxFiles"),
        ({"personalization": {"layerRules": [{"maxChars": 3}]}}, "personalization.layerRules.0"),
        (
            {"personalization": {"layerRules": [{"layerId": "a", "layerName": "b"}]}},
            "personalization.layerRules.0",
        ),
        (
            {"personalization": {"layerRules": [{"layerName": "a"}, {"layerName": "a"}]}},
            "personalization.layerRules",
        ),
        ({"personalization": {"surely": 1}}, "personalization.surely"),
    ):
        response = client.patch(f"/api/v1/products/{product['id']}", json=body, headers=merchant.bearer)
        error(response, 422, "validation_error", field)
    own_route = client.patch(
        f"/api/v1/products/{product['id']}/personalization",
        json={"allowedFontIds": ["fnt_nope"]},
        headers=merchant.bearer,
    )
    error(own_route, 422, "validation_error", "allowedFontIds.0")
    assert (
        client.get(f"/api/v1/products/{product['id']}", headers=merchant.bearer).json["personalization"]
        == (own.json["personalization"])
    )


def test_metadata_is_a_small_flat_object(client, merchant):
    for metadata, field in (
        ({"k" * 41: 1}, "metadata"),
        ({"nested": {"a": 1}}, "metadata.nested"),
        ({str(index): index for index in range(51)}, "metadata"),
        (["sku"], "metadata"),
    ):
        response = client.post(
            "/api/v1/products",
            json={"name": "Mug", "dimensionUnit": "mm", "metadata": metadata},
            headers=merchant.bearer,
        )
        body = error(response, 422, "validation_error")
        assert body["field"].startswith(field), body


# Variants


def test_a_variant_option_needs_a_variant_parent_of_the_same_store(client, merchant, make_merchant):
    shirt = create_product(client, merchant, name="Shirt", type="variant")
    mug = create_product(client, merchant, name="Mug")
    foreign = create_product(client, make_merchant("Other"), name="Their shirt", type="variant")
    for body in (
        {"type": "variant_option"},
        {"type": "variant_option", "parentId": mug["id"]},
        {"type": "variant_option", "parentId": foreign["id"]},
        {"type": "variant_option", "parentId": "prd_nope"},
        {"type": "simple", "parentId": shirt["id"]},
    ):
        response = client.post(
            "/api/v1/products", json={"name": "Option", "dimensionUnit": "mm"} | body, headers=merchant.bearer
        )
        error(response, 422, "validation_error", "parentId")
    option = create_product(client, merchant, name="Shirt red", type="variant_option", parentId=shirt["id"])
    assert option["parentId"] == shirt["id"]
    error(
        client.patch(f"/api/v1/products/{shirt['id']}", json={"type": "simple"}, headers=merchant.bearer),
        409,
        "conflict",
        "type",
    )
    self_parent = client.patch(
        f"/api/v1/products/{shirt['id']}",
        json={"type": "variant_option", "parentId": shirt["id"]},
        headers=merchant.bearer,
    )
    error(self_parent, 409, "conflict", "type")
    lonely = create_product(client, merchant, name="Lonely", type="variant")
    own_parent = client.patch(
        f"/api/v1/products/{lonely['id']}",
        json={"type": "variant_option", "parentId": lonely["id"]},
        headers=merchant.bearer,
    )
    error(own_parent, 422, "validation_error", "parentId")
    simple = client.patch(
        f"/api/v1/products/{option['id']}", json={"type": "simple"}, headers=merchant.bearer
    )
    assert simple.json["parentId"] is None and simple.json["type"] == "simple"


def test_deleting_a_variant_deletes_its_options_and_says_so(app, client, merchant):
    shirt = create_product(client, merchant, name="Shirt", type="variant")
    option = create_product(
        client, merchant, name="Shirt red", type="variant_option", parentId=shirt["id"], sides=[CARD_FRONT]
    )
    response = client.delete(f"/api/v1/products/{shirt['id']}", headers=merchant.bearer)
    assert response.status_code == 200 and response.json == {"id": shirt["id"], "deleted": True}
    assert product_rows(app, merchant.store_id) == 0
    deleted = [
        (kind, data["id"]) for kind, data in events_of(app, merchant.store_id) if kind.endswith(".deleted")
    ]
    assert deleted == [
        ("side.deleted", option["sides"][0]["id"]),
        ("product.deleted", option["id"]),
        ("product.deleted", shirt["id"]),
    ]


# References to other rows


def test_references_must_be_the_stores_own(app, client, merchant, make_merchant):
    other = make_merchant("Other")
    their_category = client.post("/api/v1/categories", json={"name": "Theirs"}, headers=other.bearer).json
    their_image = add_file(app, other.store_id)
    my_pdf = add_file(app, merchant.store_id, format="pdf")
    for body, field in (
        ({"categoryIds": [their_category["id"]]}, "categoryIds.0"),
        ({"categoryIds": ["cat_nope"]}, "categoryIds.0"),
        ({"imageFileId": their_image}, "imageFileId"),
        ({"imageFileId": my_pdf}, "imageFileId"),
        ({"sides": [{**CARD_FRONT, "mockupFileId": their_image}]}, "sides.0.mockupFileId"),
        (
            {
                "sides": [
                    CARD_FRONT,
                    {**CARD_FRONT, "backgroundType": "image", "backgroundFileId": their_image},
                ]
            },
            "sides.1.backgroundFileId",
        ),
        ({"sides": [{**CARD_FRONT, "overlayFileId": their_image}]}, "sides.0.overlayFileId"),
    ):
        response = client.post(
            "/api/v1/products", json={"name": "Mug", "dimensionUnit": "mm"} | body, headers=merchant.bearer
        )
        error(response, 422, "validation_error", field)
    assert product_rows(app, merchant.store_id) == 0
    mine = add_file(app, merchant.store_id)
    product = create_product(client, merchant, imageFileId=mine)
    assert product["imageFileId"] == mine
    cleared = client.patch(
        f"/api/v1/products/{product['id']}", json={"imageFileId": None}, headers=merchant.bearer
    )
    assert cleared.json["imageFileId"] is None


@pytest.mark.parametrize(
    "field", ["id", "storeId", "createdAt", "updatedAt", "editorUrl", "store_id", "categories"]
)
def test_server_fields_cannot_be_assigned(client, merchant, field):
    body = {"name": "Mug", "dimensionUnit": "mm", field: "x"}
    error(client.post("/api/v1/products", json=body, headers=merchant.bearer), 422, "validation_error", field)
    product = create_product(client, merchant)
    patched = client.patch(f"/api/v1/products/{product['id']}", json={field: "x"}, headers=merchant.bearer)
    error(patched, 422, "validation_error", field)
    side = client.post(
        "/api/v1/products",
        json={"name": "Mug", "dimensionUnit": "mm", "sides": [{**CARD_FRONT, field: "x"}]},
        headers=merchant.bearer,
    )
    error(side, 422, "validation_error", f"sides.0.{field}")


# Deleting


def test_a_deleted_product_is_gone_with_its_sides(app, client, merchant):
    product = create_product(client, merchant, sides=[CARD_FRONT])
    assert client.delete(f"/api/v1/products/{product['slug']}", headers=merchant.bearer).json == {
        "id": product["id"],
        "deleted": True,
    }
    error(client.get(f"/api/v1/products/{product['id']}", headers=merchant.bearer), 404, "not_found")
    error(client.get(f"/api/v1/sides/{product['sides'][0]['id']}", headers=merchant.bearer), 404, "not_found")
    error(client.delete(f"/api/v1/products/{product['id']}", headers=merchant.bearer), 404, "not_found")


def test_a_product_with_designs_is_not_deleted_but_can_be_trashed(app, client, merchant):
    product = create_product(client, merchant, sides=[CARD_FRONT])
    add_design(app, merchant.store_id, product["id"], product["sides"][0]["id"])
    error(client.delete(f"/api/v1/products/{product['id']}", headers=merchant.bearer), 409, "conflict", "id")
    assert product_rows(app, merchant.store_id) == 1
    trashed = client.patch(
        f"/api/v1/products/{product['id']}", json={"status": "trashed"}, headers=merchant.bearer
    )
    assert trashed.json["status"] == "trashed"
    error(client.get(f"/api/v1/products/{product['id']}", headers=public(merchant)), 404, "not_found")


# Batches


def test_a_batch_create_is_all_or_nothing_and_reports_each_failure(app, client, merchant):
    create_product(client, merchant, name="Taken", slug="taken")
    response = client.post(
        "/api/v1/products/batch",
        json={
            "products": [
                {"name": "Good", "dimensionUnit": "mm", "sides": [CARD_FRONT]},
                {"name": "Bad side", "dimensionUnit": "mm", "sides": [{**CARD_FRONT, "safeZone": 30}]},
                {"name": "Good too", "dimensionUnit": "cm"},
                {"name": "Taken", "slug": "taken", "dimensionUnit": "mm"},
            ]
        },
        headers=merchant.bearer,
    )
    body = error(response, 422, "validation_error", "products.1.sides.0.safeZone")
    assert [(item["index"], item["code"]) for item in body["errors"]] == [
        (1, "validation_error"),
        (3, "conflict"),
    ]
    assert "sides.0.safeZone" in body["errors"][0]["message"]
    assert product_rows(app, merchant.store_id) == 1
    assert events_of(app, merchant.store_id, "side.") == []

    created = client.post(
        "/api/v1/products/batch",
        json={"products": [{"name": "Mug", "dimensionUnit": "mm"}, {"name": "Mug", "dimensionUnit": "mm"}]},
        headers=merchant.bearer,
    )
    assert created.status_code == 201
    assert [item["slug"] for item in created.json["data"]] == ["mug", "mug-2"]


def test_a_batch_update_is_all_or_nothing(app, client, merchant, make_merchant):
    mug = create_product(client, merchant, name="Mug")
    poster = create_product(client, merchant, name="Poster")
    theirs = create_product(client, make_merchant("Other"), name="Theirs")
    response = client.patch(
        "/api/v1/products/batch",
        json={"products": [{"id": mug["id"], "name": "Renamed"}, {"id": theirs["id"], "name": "Mine now"}]},
        headers=merchant.bearer,
    )
    body = error(response, 422, "validation_error", "products.1")
    assert body["errors"][0]["code"] == "not_found"
    assert client.get(f"/api/v1/products/{mug['id']}", headers=merchant.bearer).json["name"] == "Mug"
    updated = client.patch(
        "/api/v1/products/batch",
        json={"products": [{"id": mug["id"], "status": "draft"}, {"id": poster["slug"], "status": "draft"}]},
        headers=merchant.bearer,
    )
    assert [item["status"] for item in updated.json["data"]] == ["draft", "draft"]


def test_a_batch_delete_is_all_or_nothing(app, client, merchant):
    mug = create_product(client, merchant, name="Mug")
    poster = create_product(client, merchant, name="Poster")
    response = client.post(
        "/api/v1/products/batch-delete", json={"ids": [mug["id"], "prd_nope"]}, headers=merchant.bearer
    )
    body = error(response, 422, "validation_error", "ids.1")
    assert body["errors"] == [
        {"index": 1, "code": "not_found", "field": "ids.1", "message": body["errors"][0]["message"]}
    ]
    assert product_rows(app, merchant.store_id) == 2
    deleted = client.post(
        "/api/v1/products/batch-delete", json={"ids": [mug["id"], poster["slug"]]}, headers=merchant.bearer
    )
    assert deleted.status_code == 200
    assert deleted.json["data"] == [{"id": mug["id"], "deleted": True}, {"id": poster["id"], "deleted": True}]
    assert product_rows(app, merchant.store_id) == 0


def test_batch_bodies_are_bounded(client, merchant):
    error(
        client.post("/api/v1/products/batch", json={"products": []}, headers=merchant.bearer),
        422,
        "validation_error",
        "products",
    )
    many = {"products": [{"name": "x", "dimensionUnit": "mm"}] * 101}
    error(
        client.post("/api/v1/products/batch", json=many, headers=merchant.bearer),
        422,
        "validation_error",
        "products",
    )
    error(
        client.post("/api/v1/products/batch-delete", json={"ids": []}, headers=merchant.bearer),
        422,
        "validation_error",
        "ids",
    )


# Events


def test_product_events_carry_the_product_as_the_api_shows_it(app, client, merchant):
    product = create_product(client, merchant, sides=[CARD_FRONT])
    client.patch(f"/api/v1/products/{product['id']}", json={"name": "Renamed"}, headers=merchant.bearer)
    client.patch(
        f"/api/v1/products/{product['id']}", json={"name": "Renamed"}, headers=merchant.bearer
    )  # no change
    updated = client.get(f"/api/v1/products/{product['id']}", headers=merchant.bearer).json
    client.delete(f"/api/v1/products/{product['id']}", headers=merchant.bearer)
    events = events_of(app, merchant.store_id)
    assert [kind for kind, _ in events] == [
        "side.created",
        "product.created",
        "product.updated",
        "side.deleted",
        "product.deleted",
    ]
    assert events[1][1] == product
    assert events[0][1] == product["sides"][0]
    assert events[2][1] == updated
    assert events[4][1] == updated


def test_a_failed_create_records_no_event(app, client, merchant):
    response = client.post(
        "/api/v1/products",
        json={"name": "Mug", "dimensionUnit": "mm", "sides": [CARD_FRONT, {**CARD_FRONT, "bleed": 80}]},
        headers=merchant.bearer,
    )
    error(response, 422, "validation_error", "sides.1.bleed")
    assert events_of(app, merchant.store_id) == []


def test_an_idempotency_key_replays_the_creation(app, client, merchant):
    headers = merchant.bearer | {"Idempotency-Key": "create-mug-1"}
    body = {"name": "Mug", "dimensionUnit": "mm", "sides": [CARD_FRONT]}
    first = client.post("/api/v1/products", json=body, headers=headers)
    again = client.post("/api/v1/products", json=body, headers=headers)
    assert first.status_code == again.status_code == 201 and first.json == again.json
    assert product_rows(app, merchant.store_id) == 1


# Tenant isolation


def _product_routes(product_id: str, side_id: str) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"/api/v1/products/{product_id}", None),
        ("PATCH", f"/api/v1/products/{product_id}", {"name": "Mine now"}),
        ("PATCH", f"/api/v1/products/{product_id}/personalization", {"maxFiles": 2}),
        ("DELETE", f"/api/v1/products/{product_id}", None),
        ("GET", f"/api/v1/products/{product_id}/sides", None),
        ("GET", f"/api/v1/products/{product_id}/sides/count", None),
        ("POST", f"/api/v1/products/{product_id}/sides", CARD_FRONT),
        ("POST", f"/api/v1/products/{product_id}/sides/reorder", {"sideIds": [side_id]}),
    ]


def test_another_stores_product_answers_like_one_that_does_not_exist(app, client, merchant, make_merchant):
    other = make_merchant("Other")
    theirs = create_product(client, other, name="Theirs", sides=[CARD_FRONT])
    before = client.get(f"/api/v1/products/{theirs['id']}", headers=other.bearer).json
    missing = "prd_00000000000000000000000000"
    for headers in (merchant.bearer, merchant.basic | {"X-Store-Id": merchant.store_id}, public(merchant)):
        for (method, url, body), (_, missing_url, _) in zip(
            _product_routes(theirs["id"], theirs["sides"][0]["id"]),
            _product_routes(missing, theirs["sides"][0]["id"]),
            strict=True,
        ):
            response = client.open(url, method=method, json=body, headers=headers)
            if "X-Publishable-Token" in headers and method != "GET":
                error(response, 403, "forbidden")
                continue
            error(response, 404, "not_found")
            absent = client.open(missing_url, method=method, json=body, headers=headers)
            assert response.json["error"]["message"].replace(theirs["id"], "<id>") == absent.json["error"][
                "message"
            ].replace(missing, "<id>")
    by_slug = client.get(f"/api/v1/products/{theirs['slug']}", headers=merchant.bearer)
    error(by_slug, 404, "not_found")
    assert client.get(f"/api/v1/products/{theirs['id']}", headers=other.bearer).json == before
    assert client.get("/api/v1/products", headers=merchant.bearer).json["data"] == []
    assert events_of(app, merchant.store_id) == []


def test_a_batch_naming_another_stores_product_changes_nothing(app, client, merchant, make_merchant):
    other = make_merchant("Other")
    theirs = create_product(client, other, name="Theirs")
    response = client.post(
        "/api/v1/products/batch-delete", json={"ids": [theirs["id"]]}, headers=merchant.bearer
    )
    error(response, 422, "validation_error", "ids.0")
    assert product_rows(app, other.store_id) == 1


# The dashboard (test client; the browser walk is in test_products_browser.py)


@pytest.fixture
def dashboard(app) -> Dashboard:
    return sign_up_to_dashboard(app)


def test_the_products_page_lists_filters_and_creates_products(dashboard):
    store_id = dashboard.store_id
    page = dashboard.page(f"/dashboard/stores/{store_id}/products")
    assert page.status_code == 200
    assert f'"X-Store-Id": "{store_id}"' in page.text
    assert "No products yet" in page.text

    created = dashboard.htmx(
        "POST", "/api/v1/products", {"name": "Wedding invite", "dimensionUnit": "inch", "status": "draft"}
    )
    assert created.status_code == 201 and created.mimetype == "text/html"
    assert 'hx-swap-oob="afterbegin:#product-rows"' in created.text and "Wedding invite" in created.text
    assert "Add its sides" in created.text

    dashboard.htmx("POST", "/api/v1/products", {"name": "Poster", "dimensionUnit": "mm", "status": "publish"})
    filtered = dashboard.htmx("GET", "/api/v1/products?q=wedd&status=")
    assert filtered.status_code == 200 and "Wedding invite" in filtered.text and "Poster" not in filtered.text
    drafts = dashboard.htmx("GET", "/api/v1/products?status=draft")
    assert "Wedding invite" in drafts.text and "Poster" not in drafts.text
    paged = dashboard.htmx("GET", "/api/v1/products?limit=1&sortBy=name&sort=asc")
    assert "Load more products" in paged.text and "startingAfter=" in paged.text

    reloaded = dashboard.page(f"/dashboard/stores/{store_id}/products?q=post")
    assert "Poster" in reloaded.text and "Wedding invite" not in reloaded.text


def test_the_new_product_form_comes_back_with_inline_errors(dashboard):
    response = dashboard.htmx(
        "POST", "/api/v1/products", {"name": "", "dimensionUnit": "mm", "slug": "Bad Slug"}
    )
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert 'aria-invalid="true"' in response.text
    assert 'id="new-product-name-note"' in response.text and 'id="new-product-slug-note"' in response.text
    assert 'value="Bad Slug"' in response.text
    dashboard.htmx("POST", "/api/v1/products", {"name": "Mug", "dimensionUnit": "mm", "slug": "mug"})
    taken = dashboard.htmx("POST", "/api/v1/products", {"name": "Mug", "dimensionUnit": "mm", "slug": "mug"})
    assert taken.status_code == 409 and taken.json["error"]["field"] == "slug"


def test_the_product_page_edits_details_rules_and_adds_sides(app, dashboard):
    store_id = dashboard.store_id
    product = dashboard.htmx("POST", "/api/v1/products", {"name": "Card", "dimensionUnit": "mm"}, csrf=True)
    with app.app_context():
        product_id = db.session.scalars(in_store(db.select(Product.id), store_id)).one()
    page = dashboard.page(f"/dashboard/stores/{store_id}/products/{product_id}")
    assert page.status_code == 200 and product.status_code == 201
    assert "No sides yet" in page.text and 'aria-current="page"' in page.text

    def new_side(safe_zone: str):
        side = {"name": "Front", "width": "85", "height": "55", "bleed": "3", "safeZone": safe_zone}
        return dashboard.htmx("POST", f"/api/v1/products/{product_id}/sides", side)

    bad = new_side("30")
    assert bad.status_code == 422 and 'id="new-side-safeZone-note"' in bad.text
    assert "leaves no room" in bad.text and 'value="30"' in bad.text
    good = new_side("4")
    assert good.status_code == 201 and 'hx-swap-oob="beforeend:#side-rows"' in good.text
    assert "85 × 55 mm" in good.text

    saved = dashboard.htmx(
        "PATCH",
        f"/api/v1/products/{product_id}",
        {
            "name": "Card deluxe",
            "slug": "card",
            "status": "draft",
            "dimensionUnit": "mm",
            "dpi": "600",
            "type": "simple",
            "parentId": "",
            "categoryIds": "",
        },
    )
    assert saved.status_code == 200 and "Saved." in saved.text and "Card deluxe" in saved.text
    invalid = dashboard.htmx("PATCH", f"/api/v1/products/{product_id}", {"name": "Card", "dpi": "10"})
    assert invalid.status_code == 422 and 'id="product-dpi-note"' in invalid.text

    rules = dashboard.htmx(
        "PATCH",
        f"/api/v1/products/{product_id}/personalization",
        MultiDict(
            [
                ("enableDesign", "true"),
                ("enableDesign", "false"),
                ("enableUpload", "false"),
                ("allowedFileTypes", ""),
                ("allowedFileTypes", "png"),
                ("allowedFileTypes", "pdf"),
                ("maxFiles", "2"),
                ("maxUploadBytes", "1000"),
                ("minImageDpi", "200"),
                ("maxTotalInk", "280"),
                ("allowedColors", "#FF0000, #00aa00"),
                ("allowedFontIds", ""),
            ]
        ),
    )
    assert rules.status_code == 200 and "Saved." in rules.text
    with app.app_context():
        stored = db.session.scalars(in_store(db.select(Product), store_id)).one().personalization
    assert stored["enableDesign"] is True and stored["enableUpload"] is False
    assert stored["allowedFileTypes"] == ["png", "pdf"] and stored["allowedColors"] == ["#ff0000", "#00aa00"]
    assert stored["maxTotalInk"] == 280 and 'name="maxTotalInk" type="number"' in rules.text
    none_ticked = dashboard.htmx(
        "PATCH", f"/api/v1/products/{product_id}/personalization", {"allowedFileTypes": ""}
    )
    assert none_ticked.status_code == 422 and 'id="rules-types-note"' in none_ticked.text


def test_dashboard_actions_need_the_csrf_token_and_the_stores_owner(dashboard, client, merchant):
    refused = dashboard.htmx("POST", "/api/v1/products", {"name": "Mug", "dimensionUnit": "mm"}, csrf=False)
    assert refused.status_code == 403
    not_mine = dashboard.htmx(
        "POST", "/api/v1/products", {"name": "Mug", "dimensionUnit": "mm"}, store_id=merchant.store_id
    )
    assert not_mine.status_code == 404
    assert client.get("/api/v1/products", headers=merchant.bearer).json["data"] == []
    other_page = dashboard.page(f"/dashboard/stores/{merchant.store_id}/products")
    assert other_page.status_code == 404


def test_the_categories_page_creates_renames_and_deletes_inline(dashboard):
    store_id = dashboard.store_id
    page = dashboard.page(f"/dashboard/stores/{store_id}/categories")
    assert page.status_code == 200 and "No categories yet" in page.text
    created = dashboard.htmx("POST", "/api/v1/categories", {"name": "Wedding"})
    assert created.status_code == 201 and 'hx-swap-oob="beforeend:#category-rows"' in created.text
    category_id = re.search(r'id="category-(cat_[0-9A-Z]+)"', created.text)[1]
    renamed = dashboard.htmx(
        "PATCH", f"/api/v1/categories/{category_id}", {"name": "Weddings", "slug": "weddings"}
    )
    assert (
        renamed.status_code == 200
        and f'id="category-{category_id}-name" hx-swap-oob="innerHTML">Weddings' in renamed.text
    )
    bad = dashboard.htmx(
        "PATCH", f"/api/v1/categories/{category_id}", {"name": "Weddings", "slug": "No Good"}
    )
    assert bad.status_code == 422 and f'id="category-{category_id}-edit-slug-note"' in bad.text
    gone = dashboard.htmx("DELETE", f"/api/v1/categories/{category_id}")
    assert (
        gone.status_code == 200
        and "Weddings" not in dashboard.page(f"/dashboard/stores/{store_id}/categories").text
    )


def test_deleting_from_the_product_page_goes_back_to_the_list(app, dashboard):
    store_id = dashboard.store_id
    created = dashboard.htmx("POST", "/api/v1/products", {"name": "Card", "dimensionUnit": "mm"})
    product_id = re.search(r"/products/(prd_[0-9A-Z]+)", created.text)[1]
    page = dashboard.page(f"/dashboard/stores/{store_id}/products/{product_id}")
    assert 'hx-delete="/api/v1/products/' in page.text and "js/presswork.js" in page.text
    deleted = dashboard.htmx("DELETE", f"/api/v1/products/{product_id}")
    assert deleted.status_code == 200
    assert deleted.headers["HX-Redirect"] == f"/dashboard/stores/{store_id}/products"
    assert dashboard.page(f"/dashboard/stores/{store_id}/products/{product_id}").status_code == 404
