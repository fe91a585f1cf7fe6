"""Who may fetch a print-ready PDF and who may retry one: reading is a read of the design or
project (or, for an orders token, of an order that links to it); `retry=true` is a write."""

import io
from urllib.parse import urlsplit

import pikepdf
import pytest

from tests.factories import bearer, make_design, order_body, run_worker


def token(client, merchant, scopes: list[str]) -> dict:
    """Headers with a new secret token of the merchant's store holding `scopes`."""
    response = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": "+".join(scopes), "scopes": scopes},
        headers=merchant.basic,
    )
    assert response.status_code == 201, response.json
    return bearer(response.json["token"])


def render_url(kind: str, owner_id: str) -> str:
    return f"/api/v1/{kind}/{owner_id}/render"


@pytest.fixture
def design(client, merchant, product) -> dict:
    return make_design(client, merchant, product)


# retry=true


def retried(client, merchant, design: dict, scopes: list[str]):
    """The design's render asked for again (retry=true) with a token of these scopes."""
    return client.get(
        render_url("designs", design["id"]),
        query_string={"retry": "true"},
        headers=token(client, merchant, scopes),
    )


@pytest.mark.parametrize("scopes", [["read"], ["designs:read"]])
def test_a_token_that_only_reads_cannot_queue_a_retry(client, merchant, design, scopes):
    response = retried(client, merchant, design, scopes)
    assert response.status_code == 403, response.json
    error = response.json["error"]
    assert error["field"] == "retry" and "designs:write" in error["message"]


def test_a_read_only_token_still_asks_for_the_pdf_without_retry(client, merchant, design):
    response = client.get(render_url("designs", design["id"]), headers=token(client, merchant, ["read"]))
    assert response.status_code == 202 and response.json["status"] == "queued"


@pytest.mark.parametrize("scopes", [["designs:write"], ["full"]])
def test_a_token_that_writes_designs_may_retry(client, merchant, design, scopes):
    response = retried(client, merchant, design, scopes)
    assert response.status_code == 202, response.json


def test_retrying_a_project_needs_the_projects_write_scope(client, merchant, design):
    url = render_url("projects", design["projectId"])
    refused = client.get(
        url, query_string={"retry": "true"}, headers=token(client, merchant, ["projects:read"])
    )
    assert refused.status_code == 403 and "projects:write" in refused.json["error"]["message"]
    allowed = client.get(
        url, query_string={"retry": "true"}, headers=token(client, merchant, ["projects:write"])
    )
    assert allowed.status_code == 202, allowed.json


# The orders scope and the PDFs its orders link to


def ordered(client, merchant, line: dict) -> dict:
    body = order_body() | {"lineItems": [{"sku": "biz-card-100", "quantity": 100} | line]}
    response = client.post("/api/v1/orders", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def pdf_link(client, headers: dict, order: dict) -> str:
    """The path of the first PDF the order's detail links to."""
    detail = client.get(f"/api/v1/orders/{order['id']}", headers=headers)
    assert detail.status_code == 200, detail.json
    return urlsplit(detail.json["lineItems"][0]["renders"][0]["pdfUrl"]).path


@pytest.mark.parametrize("line", ["designIds", "projectId"])
def test_an_orders_token_fetches_the_pdf_its_order_links_to(
    client,
    merchant,
    product,
    redis_url,
    app_config,
    line,
):
    design = make_design(client, merchant, product)
    order = ordered(
        client,
        merchant,
        {"designIds": [design["id"]]} if line == "designIds" else {"projectId": design["projectId"]},
    )
    orders = token(client, merchant, ["orders"])
    link = pdf_link(client, orders, order)
    assert client.get(link, headers=orders).status_code == 202
    retried = client.get(link, query_string={"retry": "true"}, headers=orders)
    assert retried.status_code == 403 and retried.json["error"]["field"] == "retry"

    run_worker(redis_url, app_config)

    served = client.get(link, headers=orders)
    assert served.status_code == 200, served.get_data(as_text=True)[:300]
    assert served.mimetype == "application/pdf"
    with pikepdf.open(io.BytesIO(served.data)) as pdf:
        assert len(pdf.pages) == 1


def test_an_orders_token_cannot_fetch_the_pdf_of_a_design_no_order_names(client, merchant, product):
    ordered_design = make_design(client, merchant, product)
    ordered(client, merchant, {"designIds": [ordered_design["id"]]})
    other = make_design(client, merchant, product)
    orders = token(client, merchant, ["orders"])
    for url in (render_url("designs", other["id"]), render_url("projects", other["projectId"])):
        response = client.get(url, headers=orders)
        assert response.status_code == 403, response.json
        assert "orders scope" in response.json["error"]["message"]


def test_an_orders_token_of_another_store_cannot_fetch_an_orders_pdf(
    client, make_merchant, merchant, product
):
    design = make_design(client, merchant, product)
    order = ordered(client, merchant, {"designIds": [design["id"]]})
    link = pdf_link(client, merchant.bearer, order)
    stranger = make_merchant("Stranger")
    response = client.get(link, headers=token(client, stranger, ["orders"]))
    assert response.status_code in (403, 404), response.json
