"""A customer approves the proof of a project (or the merchant does, on the customer's behalf), and an
order's line prints exactly the approved PDF: a design changed afterwards needs a new approval, and
an order of an unapproved or superseded design is refused with the reason."""

import hashlib
import io
import json

import pikepdf
import pytest
from standardwebhooks import Webhook as Verifier

from designer.accounts.models import Store
from designer.extensions import db
from tests.factories import (
    LAYER,
    PASSWORD,
    WEBHOOK_CONFIG,
    basic,
    dashboard_with_product,
    error,
    events_of,
    htmx,
    make_design,
    order_body,
    register,
    run_jobs,
    run_worker,
    sign_up_to_dashboard,
    storefront,
)


@pytest.fixture
def app_config(app_config):
    return app_config | WEBHOOK_CONFIG


@pytest.fixture
def project(client, merchant, product) -> dict:
    """A two-sided business card's project: a red rectangle on the front, one on the back."""
    front = make_design(client, merchant, product)
    back = make_design(client, merchant, product, side=1, project_id=front["projectId"])
    return {"id": front["projectId"], "designIds": [front["id"], back["id"]]}


def saved(client, merchant, project: dict, app_config, redis_url) -> tuple[str, bytes]:
    """Save the project (complete it) and let a worker render its PDF: the render's id and bytes."""
    completed = client.post(f"/api/v1/projects/{project['id']}/complete", headers=merchant.bearer)
    assert completed.status_code == 200, completed.json
    asked = client.get(f"/api/v1/projects/{project['id']}/render", headers=merchant.bearer)
    assert asked.status_code == 202, asked.json
    run_worker(redis_url, app_config)
    pdf = client.get(f"/api/v1/projects/{project['id']}/render", headers=merchant.bearer)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    return asked.json["renderId"], pdf.data


def approve(client, headers: dict, project_id: str, **body):
    return client.post(f"/api/v1/projects/{project_id}/approval", json=body, headers=headers)


def require_approval(client, merchant) -> None:
    response = client.patch(
        f"/api/v1/stores/{merchant.store_id}", json={"requireApproval": True}, headers=merchant.basic
    )
    assert response.status_code == 200 and response.json["requireApproval"] is True


def order(client, merchant, project_id: str, **fields):
    return client.post(
        "/api/v1/orders", json=order_body(project_id, status="paid", **fields), headers=merchant.bearer
    )


def recolour(client, merchant, design_id: str, fill: str) -> None:
    design = client.get(f"/api/v1/designs/{design_id}", headers=merchant.bearer).json
    layer_id = design["layers"][0]["id"]
    changed = client.patch(
        f"/api/v1/designs/{design_id}/layers/{layer_id}", json={"fill": fill}, headers=merchant.bearer
    )
    assert changed.status_code == 200, changed.json


def test_a_customer_approves_a_proof_and_the_order_prints_exactly_that_file(
    app, client, merchant, project, app_config, redis_url
):
    require_approval(client, merchant)
    render_id, pdf = saved(client, merchant, project, app_config, redis_url)
    approved = approve(client, storefront(merchant), project["id"], renderId=render_id)
    assert approved.status_code == 201, approved.json
    approval = approved.json
    assert approval["sha256"] == hashlib.sha256(pdf).hexdigest() and approval["sizeBytes"] == len(pdf)
    assert (approval["approvedBy"], approval["via"], approval["onBehalfOfCustomer"]) == (
        "customer",
        "storefront_token",
        False,
    )
    assert approval["renderId"] == render_id and approval["designIds"] == project["designIds"]
    assert approval["current"] is True and approval["approvedAt"]

    created = order(client, merchant, project["id"])
    assert created.status_code == 201, created.json
    [line] = created.json["lineItems"]
    assert line["approvalId"] == approval["id"] and line["approval"]["sha256"] == approval["sha256"]
    assert line["renders"][0]["pdfUrl"] == line["printUrl"]

    # The customer goes on changing the design: the order still prints what was approved.
    recolour(client, merchant, project["designIds"][0], "#00ff00")
    printed = client.get(line["printUrl"], headers=merchant.bearer)
    assert printed.status_code == 200 and printed.mimetype == "application/pdf"
    assert (
        hashlib.sha256(printed.data).hexdigest() == approval["sha256"] == printed.headers["ETag"].strip('"')
    )
    assert len(pikepdf.open(io.BytesIO(printed.data)).pages) == 2
    detail = client.get(f"/api/v1/orders/{created.json['id']}", headers=merchant.bearer).json
    assert detail["lineItems"][0]["approval"]["sha256"] == approval["sha256"]


def test_a_design_changed_after_approval_is_refused_until_its_new_proof_is_approved(
    client, merchant, project, app_config, redis_url
):
    render_id, _ = saved(client, merchant, project, app_config, redis_url)
    first = approve(client, storefront(merchant), project["id"], renderId=render_id).json
    recolour(client, merchant, project["designIds"][1], "#0000ff")

    refused = order(client, merchant, project["id"])
    body = error(refused, 409, "conflict", "lineItems.0.projectId")
    assert "changed after its proof was approved" in body["message"] and first["id"] in body["message"]
    shown = client.get(f"/api/v1/projects/{project['id']}/approval", headers=storefront(merchant)).json
    assert shown["id"] == first["id"] and shown["current"] is False
    stale = approve(client, storefront(merchant), project["id"], renderId=render_id)
    assert "design changed" in error(stale, 409, "conflict", "renderId")["message"]

    new_render_id, pdf = saved(client, merchant, project, app_config, redis_url)
    assert new_render_id != render_id
    second = approve(client, storefront(merchant), project["id"], renderId=new_render_id).json
    assert second["id"] != first["id"] and second["sha256"] == hashlib.sha256(pdf).hexdigest()
    accepted = order(client, merchant, project["id"])
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["lineItems"][0]["approvalId"] == second["id"]


def test_an_unapproved_project_is_refused_where_the_store_requires_approval(client, merchant, project):
    unbound = order(client, merchant, project["id"], number="before")
    assert unbound.status_code == 201 and unbound.json["lineItems"][0]["approvalId"] is None
    require_approval(client, merchant)
    refused = order(client, merchant, project["id"])
    assert "no approved proof" in error(refused, 409, "conflict", "lineItems.0.projectId")["message"]
    designs_only = client.post(
        "/api/v1/orders",
        json=order_body()
        | {"lineItems": [{"sku": "card", "quantity": 1, "designIds": project["designIds"][:1]}]},
        headers=merchant.bearer,
    )
    error(designs_only, 409, "conflict", "lineItems.0.designIds")


def test_the_merchant_approves_on_the_customers_behalf_recorded_as_such(
    client, merchant, project, app_config, redis_url
):
    saved(client, merchant, project, app_config, redis_url)
    approval = approve(client, merchant.bearer, project["id"]).json
    assert (approval["approvedBy"], approval["via"], approval["onBehalfOfCustomer"]) == (
        "merchant",
        "secret_token",
        True,
    )
    assert approval["tokenId"].startswith("tok_")
    again = approve(client, merchant.basic | {"X-Store-Id": merchant.store_id}, project["id"])
    assert again.status_code == 201 and again.json["id"] == approval["id"]  # already approved: the same


def test_approving_is_refused_until_the_pdf_is_rendered_and_names_a_pdf_of_the_project(
    client, merchant, project, product
):
    unrendered = approve(client, storefront(merchant), project["id"])
    assert "not rendered yet" in error(unrendered, 409, "conflict", "renderId")["message"]
    error(
        approve(client, storefront(merchant), project["id"], renderId="rnd_nope"),
        422,
        "validation_error",
        "renderId",
    )
    never = client.get(f"/api/v1/projects/{project['id']}/approval", headers=merchant.bearer)
    assert never.status_code == 404


def test_proof_approved_is_recorded_and_delivered_to_a_webhook(
    app, client, merchant, project, app_config, redis_url, receiver
):
    render_id, _ = saved(client, merchant, project, app_config, redis_url)
    webhook = register(client, merchant, receiver.url, ["proof.approved"])
    approval = approve(client, storefront(merchant), project["id"], renderId=render_id).json
    [event] = events_of(app, merchant.store_id, "proof.approved")
    assert event["data"]["id"] == approval["id"] and event["data"]["sha256"] == approval["sha256"]
    run_jobs(app)
    [received] = receiver.received
    payload = Verifier(webhook["secret"]).verify(received.body, received.headers)
    assert payload["type"] == "proof.approved" and payload["data"]["projectId"] == project["id"]
    assert payload["data"]["approvedBy"] == "customer"


def test_the_approval_routes_and_event_are_documented(client):
    document = client.get("/api/v1/openapi.json").json
    assert {"get", "post"} <= set(document["paths"]["/api/v1/projects/{projectId}/approval"])
    assert "get" in document["paths"]["/api/v1/orders/{orderId}/line-items/{lineItemId}/pdf"]
    assert "proof.approved" in json.dumps(document["components"])  # among the webhook event types


# Dashboard


def test_the_merchant_approves_from_the_projects_page_and_the_order_page_shows_the_hash(
    app, app_config, redis_url
):
    browser, store_id, product = dashboard_with_product(app)
    account = basic("ada@example.com", PASSWORD) | {"X-Store-Id": store_id}
    design = browser.client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"], "layers": [LAYER]},
        headers=account,
    ).json
    project_id = design["projectId"]
    assert browser.client.post(f"/api/v1/projects/{project_id}/complete", headers=account).status_code == 200
    run_worker(redis_url, app_config)

    page = browser.get(f"/dashboard/stores/{store_id}/projects")
    assert "Approve for print" in page.text
    # What htmx sends for a button outside a form: an empty form body.
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    answer = htmx(browser, "post", f"/api/v1/projects/{project_id}/approval", store_id, data="", **form)
    assert answer.status_code == 201, answer.text
    assert "by the shop on the customer" in answer.text and "behalf" in answer.text
    approval = browser.client.get(f"/api/v1/projects/{project_id}/approval", headers=account).json
    assert (approval["via"], approval["onBehalfOfCustomer"]) == ("account", True) and approval["accountId"]
    assert approval["sha256"] in answer.text
    assert "Last approved" in browser.get(f"/dashboard/stores/{store_id}/projects").text

    order = browser.client.post("/api/v1/orders", json=order_body(project_id, status="paid"), headers=account)
    assert order.status_code == 201, order.json
    page = browser.get(f"/dashboard/stores/{store_id}/orders/{order.json['id']}")
    assert approval["sha256"] in page.text and "Download the approved PDF" in page.text
    assert order.json["lineItems"][0]["printUrl"].removeprefix("http://localhost").split("?")[0] in page.text


def test_the_store_settings_turn_approval_on_in_plain_words(app):
    dashboard = sign_up_to_dashboard(app)
    page = dashboard.page(f"/dashboard/stores/{dashboard.store_id}")
    assert '<option value="false" selected>The saved design' in page.text
    saved_settings = dashboard.htmx(
        "PATCH", f"/api/v1/stores/{dashboard.store_id}", {"name": "Dee's", "requireApproval": "true"}
    )
    assert saved_settings.status_code == 200, saved_settings.text
    assert '<option value="true" selected>Only proofs the customer approved' in saved_settings.text
    with app.app_context():
        assert db.session.get(Store, dashboard.store_id).require_approval is True
