"""Orders through /api/v1 and the dashboard: the order flow from checkout to shipping, status and
production-stage moves, filters and cursor pagination, idempotent creation, the events each change
records in its own transaction, and tenant isolation."""

from datetime import UTC, datetime, timedelta

import pytest

from designer.events import Event
from designer.extensions import db
from designer.orders.models import Order
from designer.tenancy import across_stores, in_store
from tests.factories import (
    CUSTOMER,
    LAYER,
    PASSWORD,
    SHIPPING,
    basic,
    dashboard_with_product,
    htmx,
    make_design,
    order_body,
)


@pytest.fixture
def project(client, merchant, product) -> dict:
    """A customer's project with a design on each side of the business card."""
    front = make_design(client, merchant, product)
    back = make_design(client, merchant, product, side=1, project_id=front["projectId"])
    return {"id": front["projectId"], "designIds": [front["id"], back["id"]]}


def create(client, merchant, body: dict, **headers):
    return client.post("/api/v1/orders", json=body, headers=merchant.bearer | headers)


def created(client, merchant, body: dict) -> dict:
    response = create(client, merchant, body)
    assert response.status_code == 201, response.json
    return response.json


def patch(client, merchant, order_id: str, **fields):
    return client.patch(f"/api/v1/orders/{order_id}", json=fields, headers=merchant.bearer)


def patched(client, merchant, order_id: str, **fields) -> dict:
    response = patch(client, merchant, order_id, **fields)
    assert response.status_code == 200, response.json
    return response.json


def order_events(app, store_id: str) -> list[dict]:
    with app.app_context():
        statement = in_store(db.select(Event).order_by(Event.created_at, Event.id), store_id)
        return [
            {"type": event.type, "data": event.data}
            for event in db.session.scalars(statement)
            if event.type.startswith(("order.", "production."))
        ]


# The whole flow


def test_an_order_is_created_paid_and_followed_through_production_to_shipping(app, client, merchant, project):
    order = created(client, merchant, order_body(project["id"], status="paid", number="1001"))
    assert order["id"].startswith("ord_") and order["number"] == "1001"
    assert (order["status"], order["productionStage"]) == ("paid", "queue")
    assert order["customer"] == CUSTOMER | {"email": "grace@example.com"}
    assert order["shipping"]["country"] == "US" and order["paidAt"]
    assert order["nextStatuses"] == ["in_production", "cancelled"]
    [line] = order["lineItems"]
    assert line["id"].startswith("itm_") and (line["sku"], line["quantity"]) == ("biz-card-100", 100)
    assert line["projectId"] == project["id"] and line["designIds"] == project["designIds"]
    assert [design["id"] for design in line["designs"]] == project["designIds"]
    assert line["designs"][0]["layers"][0]["type"] == "shape"
    assert line["designs"][0]["proofUrl"].endswith(f"/api/v1/designs/{project['designIds'][0]}/proof")
    assert line["renders"] == [
        {
            "ownerId": project["id"],
            "status": "none",
            "renderId": None,
            "pdfUrl": f"http://localhost/api/v1/projects/{project['id']}/render",
            "error": None,
            "checks": [],
        }
    ]
    [event] = order_events(app, merchant.store_id)
    assert event["type"] == "order.created"
    assert event["data"]["orderId"] == order["id"] and event["data"]["customerId"] == "cus_42"
    assert event["data"]["status"] == "paid" and event["data"]["designIds"] == project["designIds"]
    assert event["data"]["lineItems"] == [
        {
            "id": line["id"],
            "sku": "biz-card-100",
            "quantity": 100,
            "productId": line["productId"],
            "projectId": project["id"],
            "designIds": project["designIds"],
            "approvalId": None,
            "personalization": {"name": "Grace", "finish": "matte"},
        }
    ]

    pressed = patched(client, merchant, order["id"], productionStage="press")
    assert (pressed["status"], pressed["productionStage"]) == ("in_production", "press")
    patched(client, merchant, order["id"], productionStage="finishing")
    shipped = patched(
        client,
        merchant,
        order["id"],
        productionStage="done",
        status="shipped",
        shipping=SHIPPING | {"carrier": "UPS", "trackingNumber": "1Z999"},
    )
    assert (shipped["status"], shipped["productionStage"]) == ("shipped", "done")
    assert shipped["shipping"]["trackingNumber"] == "1Z999" and shipped["shippedAt"]
    assert shipped["nextStatuses"] == []

    events = order_events(app, merchant.store_id)
    assert [event["type"] for event in events] == [
        "order.created",
        "production.status_changed",
        "order.updated",
        "production.status_changed",
        "production.status_changed",
        "order.updated",
    ]
    moves = [(e["data"]["from"], e["data"]["to"]) for e in events if e["type"] == "production.status_changed"]
    assert moves == [("queue", "press"), ("press", "finishing"), ("finishing", "done")]
    assert events[2]["data"]["changes"] == ["status"] and events[2]["data"]["previousStatus"] == "paid"
    assert events[5]["data"]["changes"] == ["status", "shipping"]
    assert client.get(f"/api/v1/orders/{order['id']}", headers=merchant.bearer).json == shipped


def test_a_pending_order_emits_order_created_only_when_it_is_first_paid(app, client, merchant, project):
    order = created(client, merchant, order_body(project["id"]))
    assert order["status"] == "pending" and order["paidAt"] is None
    assert order_events(app, merchant.store_id) == []
    patched(client, merchant, order["id"], internalNotes="Call before printing")
    assert [e["type"] for e in order_events(app, merchant.store_id)] == ["order.updated"]
    paid = patched(client, merchant, order["id"], status="paid")
    events = order_events(app, merchant.store_id)
    assert [e["type"] for e in events] == ["order.updated", "order.created", "order.updated"]
    assert events[1]["data"]["status"] == "paid" and events[1]["data"]["lineItems"][0]["quantity"] == 100
    assert paid["internalNotes"] == "Call before printing"


def test_a_line_item_may_name_designs_without_a_project_or_nothing_at_all(client, merchant, product):
    design = make_design(client, merchant, product)
    body = {
        "lineItems": [
            {"sku": "card", "quantity": 1, "designIds": [design["id"]]},
            {"sku": "gift-box", "quantity": 2},
        ]
    }
    order = created(client, merchant, body)
    designed, plain = order["lineItems"]
    assert designed["projectId"] is None and designed["productId"] == product["id"]
    assert [render["ownerId"] for render in designed["renders"]] == [design["id"]]
    assert designed["renders"][0]["pdfUrl"].endswith(f"/api/v1/designs/{design['id']}/render")
    assert (plain["designIds"], plain["designs"], plain["renders"], plain["productId"]) == ([], [], [], None)
    assert order["customer"] == {"id": None, "email": None, "name": None, "phone": None}


def test_the_render_state_of_a_line_shows_once_its_pdf_is_asked_for(client, merchant, project):
    order = created(client, merchant, order_body(project["id"], status="paid"))
    asked = client.get(f"/api/v1/projects/{project['id']}/render", headers=merchant.bearer)
    assert asked.status_code == 202, asked.json
    line = client.get(f"/api/v1/orders/{order['id']}", headers=merchant.bearer).json["lineItems"][0]
    assert line["renders"][0]["status"] == asked.json["status"]
    assert line["renders"][0]["renderId"] == asked.json["renderId"]


# Transitions


@pytest.mark.parametrize(
    ("path", "refused", "reason"),
    [
        ([], "in_production", "A pending order cannot become in_production (it may become: paid, cancelled)"),
        ([], "shipped", "A pending order cannot become shipped"),
        (["paid"], "pending", "A paid order cannot become pending"),
        (["paid"], "shipped", "A paid order cannot become shipped"),
        (["paid", "in_production"], "paid", "An in_production order"),
        (["cancelled"], "paid", "A cancelled order cannot become paid (cancelled is final)"),
        (["paid", "cancelled"], "in_production", "A cancelled order cannot become in_production"),
    ],
)
def test_an_illegal_status_move_is_a_409_with_the_reason_and_changes_nothing(
    app, client, merchant, project, path, refused, reason
):
    order = created(client, merchant, order_body(project["id"]))
    for status in path:
        patched(client, merchant, order["id"], status=status)
    before = client.get(f"/api/v1/orders/{order['id']}", headers=merchant.bearer).json
    events = order_events(app, merchant.store_id)
    response = patch(client, merchant, order["id"], status=refused, internalNotes="should not stick")
    assert response.status_code == 409, response.json
    error = response.json["error"]
    assert (error["code"], error["field"]) == ("conflict", "status")
    assert (
        reason.replace("An in_production", "A in_production") in error["message"]
        or reason in error["message"]
    )
    assert client.get(f"/api/v1/orders/{order['id']}", headers=merchant.bearer).json == before
    assert order_events(app, merchant.store_id) == events


def test_an_order_ships_only_once_production_is_done(client, merchant, project):
    order = created(client, merchant, order_body(project["id"], status="paid"))
    patched(client, merchant, order["id"], status="in_production")
    response = patch(client, merchant, order["id"], status="shipped")
    assert response.status_code == 409
    assert "cannot ship before production is done (its stage is queue)" in response.json["error"]["message"]
    patched(client, merchant, order["id"], productionStage="done")
    assert patched(client, merchant, order["id"], status="shipped")["status"] == "shipped"


@pytest.mark.parametrize(("path", "reason"), [([], "not paid yet"), (["cancelled"], "it is cancelled")])
def test_the_production_stage_moves_only_while_the_order_is_in_work(client, merchant, project, path, reason):
    order = created(client, merchant, order_body(project["id"]))
    for status in path:
        patched(client, merchant, order["id"], status=status)
    response = patch(client, merchant, order["id"], productionStage="press")
    assert response.status_code == 409
    assert (response.json["error"]["field"], reason in response.json["error"]["message"]) == (
        "productionStage",
        True,
    )


def test_a_stage_may_go_back_and_setting_the_same_values_records_nothing(app, client, merchant, project):
    order = created(client, merchant, order_body(project["id"], status="paid"))
    patched(client, merchant, order["id"], productionStage="finishing")
    back = patched(client, merchant, order["id"], productionStage="press")
    assert (back["status"], back["productionStage"]) == ("in_production", "press")
    count = len(order_events(app, merchant.store_id))
    patched(client, merchant, order["id"], productionStage="press", status="in_production", internalNotes="")
    assert len(order_events(app, merchant.store_id)) == count


def test_an_order_in_production_may_be_cancelled(client, merchant, project):
    order = created(client, merchant, order_body(project["id"], status="paid"))
    patched(client, merchant, order["id"], productionStage="press")
    cancelled = patched(client, merchant, order["id"], status="cancelled")
    assert cancelled["status"] == "cancelled" and cancelled["cancelledAt"]


# Validation of what an order refers to


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": 0}, "lineItems.0.quantity"),
        ({"quantity": "5"}, "lineItems.0.quantity"),
        ({"sku": ""}, "lineItems.0.sku"),
        ({"projectId": "prj_nope"}, "lineItems.0.projectId"),
        ({"designIds": ["des_nope"]}, "lineItems.0.designIds.0"),
        ({"productId": "prd_nope"}, "lineItems.0.productId"),
        ({"personalization": {"nested": {"a": 1}}}, "lineItems.0.personalization.nested"),
    ],
)
def test_a_bad_line_item_is_a_422_naming_its_field(client, merchant, line, field):
    body = {"lineItems": [{"sku": "card", "quantity": 1} | line]}
    response = create(client, merchant, body)
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"].startswith(field)


def test_an_order_needs_line_items_and_refuses_fields_it_does_not_know(client, merchant):
    assert create(client, merchant, {"lineItems": []}).json["error"]["field"] == "lineItems"
    response = create(client, merchant, {"lineItems": [{"sku": "a", "quantity": 1}], "status": "shipped"})
    assert response.json["error"]["field"] == "status"
    response = create(client, merchant, {"lineItems": [{"sku": "a", "quantity": 1}], "id": "ord_mine"})
    assert response.json["error"]["field"] == "id"


def test_designs_named_with_a_project_must_be_that_projects(client, merchant, product, project):
    stranger = make_design(client, merchant, product)
    body = {
        "lineItems": [
            {"sku": "card", "quantity": 1, "projectId": project["id"], "designIds": [stranger["id"]]}
        ]
    }
    response = create(client, merchant, body)
    assert response.status_code == 422
    assert response.json["error"]["field"] == "lineItems.0.designIds"
    assert "is not a design of project" in response.json["error"]["message"]


def test_an_order_number_is_unique_in_its_store(client, merchant, make_merchant):
    created(client, merchant, {"number": "A-1", "lineItems": [{"sku": "a", "quantity": 1}]})
    again = create(client, merchant, {"number": "A-1", "lineItems": [{"sku": "a", "quantity": 1}]})
    assert (again.status_code, again.json["error"]["field"]) == (409, "number")
    other = make_merchant("Other")
    assert (
        created(client, other, {"number": "A-1", "lineItems": [{"sku": "a", "quantity": 1}]})["number"]
        == "A-1"
    )


# Idempotency and the outbox


def test_creating_an_order_twice_with_one_idempotency_key_creates_it_once(app, client, merchant, project):
    body = order_body(project["id"], status="paid")
    first = create(client, merchant, body, **{"Idempotency-Key": "checkout-77"})
    again = create(client, merchant, body, **{"Idempotency-Key": "checkout-77"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json["id"] == first.json["id"]
    with app.app_context():
        assert db.session.scalar(across_stores(db.select(db.func.count(Order.id)))) == 1
    assert [e["type"] for e in order_events(app, merchant.store_id)] == ["order.created"]
    other = create(client, merchant, body, **{"Idempotency-Key": "checkout-78"})
    assert other.status_code == 201 and other.json["id"] != first.json["id"]


def test_a_change_that_fails_after_its_event_was_recorded_writes_neither(
    app, client, merchant, project, monkeypatch
):
    order = created(client, merchant, order_body(project["id"]))

    def explode(order):
        raise RuntimeError("the response could not be made")

    monkeypatch.setattr("designer.orders.routes.order_detail", explode)
    response = patch(client, merchant, order["id"], status="paid", productionStage="queue")
    assert response.status_code == 500
    assert order_events(app, merchant.store_id) == []
    with app.app_context():
        statement = across_stores(db.select(Order.status).where(Order.id == order["id"]))
        assert db.session.scalar(statement) == "pending"
    response = create(client, merchant, order_body(project["id"], status="paid"))
    assert response.status_code == 500
    assert order_events(app, merchant.store_id) == []
    with app.app_context():
        assert db.session.scalar(across_stores(db.select(db.func.count(Order.id)))) == 1


# Lists


def seed_orders(app, store_id: str, count: int) -> list[str]:
    """Orders made straight in the database, a minute apart (oldest first), alternating status."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    ids = []
    with app.app_context():
        for index in range(count):
            order = Order(
                store_id=store_id,
                number=f"N{index:03d}",
                status=("pending", "paid", "in_production")[index % 3],
                production_stage="press" if index % 3 == 2 else "queue",
                customer_email=f"c{index % 4}@example.com",
                customer_id=f"cus_{index % 4}",
                customer_name=f"Customer {index % 4}",
                customer={"email": f"c{index % 4}@example.com"},
                created_at=start + timedelta(minutes=index),
            )
            db.session.add(order)
            db.session.flush()
            ids.append(order.id)
        db.session.commit()
    return ids


def list_orders(client, merchant, **params) -> dict:
    response = client.get("/api/v1/orders", query_string=params, headers=merchant.bearer)
    assert response.status_code == 200, response.json
    return response.json


def test_the_order_list_pages_through_every_order_newest_first(app, client, merchant):
    ids = seed_orders(app, merchant.store_id, 25)
    seen, cursor = [], None
    while True:
        page = list_orders(client, merchant, limit=10, **({"startingAfter": cursor} if cursor else {}))
        seen += [order["id"] for order in page["data"]]
        cursor = page["nextCursor"]
        assert page["hasMore"] == (cursor is not None)
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    oldest_first = list_orders(client, merchant, limit=100, sort="asc")
    assert [order["id"] for order in oldest_first["data"]] == ids
    bad = client.get("/api/v1/orders?startingAfter=ord_nope", headers=merchant.bearer)
    assert bad.json["error"]["field"] == "startingAfter"


def test_orders_created_at_the_same_moment_are_paged_without_loss_or_repeat(app, client, merchant):
    ids = seed_orders(app, merchant.store_id, 9)
    with app.app_context():
        moment = datetime(2026, 1, 1, tzinfo=UTC)
        db.session.execute(in_store(db.update(Order).values(created_at=moment), merchant.store_id))
        db.session.commit()
    for sort in ("desc", "asc"):
        seen, cursor = [], None
        while True:
            page = list_orders(
                client, merchant, limit=2, sort=sort, **({"startingAfter": cursor} if cursor else {})
            )
            seen += [order["id"] for order in page["data"]]
            if not (cursor := page["nextCursor"]):
                break
        assert seen == sorted(ids, reverse=sort == "desc")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "paid"}, [i for i in range(12) if i % 3 == 1]),
        ({"productionStage": "press"}, [i for i in range(12) if i % 3 == 2]),
        ({"customer": "c1@example.com"}, [1, 5, 9]),
        ({"customer": "C1@Example.com"}, [1, 5, 9]),
        ({"customer": "cus_2"}, [2, 6, 10]),
        ({"createdAfter": "2026-01-01T00:05:00Z", "createdBefore": "2026-01-01T00:08:00Z"}, [5, 6, 7]),
        ({"createdAfter": "2026-01-01T00:10:00"}, [10, 11]),
        ({"q": "n01"}, [10, 11]),
        ({"q": "customer 3"}, [3, 7, 11]),
        ({"q": "c0@"}, [0, 4, 8]),
        ({"q": "%"}, []),
        ({"status": "paid", "customer": "cus_1"}, [1]),
    ],
)
def test_orders_are_filtered(app, client, merchant, params, expected):
    ids = seed_orders(app, merchant.store_id, 12)
    page = list_orders(client, merchant, limit=100, sort="asc", **params)
    assert [order["id"] for order in page["data"]] == [ids[i] for i in expected]
    counted = client.get("/api/v1/orders/count", query_string=params, headers=merchant.bearer)
    assert counted.json == {"count": len(expected)}


def test_orders_are_filtered_by_the_product_of_a_line(client, merchant, product, project, make_merchant):
    mine = created(client, merchant, order_body(project["id"]))
    created(client, merchant, {"lineItems": [{"sku": "plain", "quantity": 1}]})
    for ref in (product["id"], product["slug"]):
        assert [o["id"] for o in list_orders(client, merchant, productId=ref)["data"]] == [mine["id"]]
    assert list_orders(client, merchant, productId="prd_nope")["data"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "lost"},
        {"productionStage": "oven"},
        {"createdAfter": "yesterday"},
        {"limit": 0},
        {"sortBy": "sku"},
    ],
)
def test_a_bad_filter_is_a_422_naming_it(client, merchant, params):
    response = client.get("/api/v1/orders", query_string=params, headers=merchant.bearer)
    assert response.status_code == 422
    assert response.json["error"]["field"] == next(iter(params))


# Who may see and change orders


def test_another_stores_orders_do_not_exist_for_a_merchant(app, client, merchant, make_merchant, project):
    order = created(client, merchant, order_body(project["id"], status="paid"))
    other = make_merchant("Other")
    assert client.get(f"/api/v1/orders/{order['id']}", headers=other.bearer).status_code == 404
    assert patch(client, other, order["id"], status="cancelled").status_code == 404
    assert list_orders(client, other)["data"] == []
    assert client.get("/api/v1/orders/count", headers=other.bearer).json == {"count": 0}
    # Nor may another store's order point at this store's project.
    response = create(client, other, order_body(project["id"]))
    assert (response.status_code, response.json["error"]["field"]) == (422, "lineItems.0.projectId")
    assert order_events(app, other.store_id) == []


def test_an_orders_token_runs_the_flow_and_a_products_token_may_not(client, make_merchant):
    orders_only = make_merchant("Orders", scopes=["orders"])
    order = created(client, orders_only, {"lineItems": [{"sku": "a", "quantity": 1}], "status": "paid"})
    assert patched(client, orders_only, order["id"], productionStage="press")["status"] == "in_production"
    products = make_merchant("Products", scopes=["products:write"])
    assert client.get("/api/v1/orders", headers=products.bearer).status_code == 403
    publishable = {"X-Publishable-Token": orders_only.publishable}
    response = client.post(
        "/api/v1/orders", json={"lineItems": [{"sku": "a", "quantity": 1}]}, headers=publishable
    )
    assert response.status_code in (401, 403)
    assert client.get("/api/v1/orders", headers=publishable).status_code in (401, 403)


def test_the_account_names_the_store_of_its_orders(client, merchant):
    response = client.get("/api/v1/orders", headers=merchant.basic)
    assert (response.status_code, response.json["error"]["field"]) == (422, "storeId")
    response = client.get("/api/v1/orders", headers=merchant.basic | {"X-Store-Id": merchant.store_id})
    assert response.status_code == 200


def test_the_orders_operations_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/orders"])
    assert {"get", "patch"} <= set(paths["/api/v1/orders/{orderId}"])
    assert "get" in paths["/api/v1/orders/count"]


# Dashboard


@pytest.fixture
def dashboard(app):
    """A merchant in the browser with an order: a paid one for two posters, personalized."""
    browser, store_id, product = dashboard_with_product(app)

    account = basic("ada@example.com", PASSWORD) | {"X-Store-Id": store_id}
    design = browser.client.post(
        "/api/v1/designs",
        json={"productId": product["id"], "sideId": product["sides"][0]["id"], "layers": [LAYER]},
        headers=account,
    ).json
    body = order_body(design["projectId"], status="paid", number="P-7")
    order = browser.client.post("/api/v1/orders", json=body, headers=account)
    assert order.status_code == 201, order.json
    return browser, store_id, order.json


def test_the_orders_page_lists_orders_and_filters_them_with_htmx(dashboard):
    browser, store_id, order = dashboard
    page = browser.get(f"/dashboard/stores/{store_id}/orders")
    assert page.status_code == 200
    assert 'aria-current="page">Orders' in page.text and "Order P-7" in page.text
    rows = htmx(browser, "get", "/api/v1/orders?status=shipped", store_id)
    assert rows.status_code == 200 and "No orders match." in rows.text and "P-7" not in rows.text
    rows = htmx(browser, "get", "/api/v1/orders?q=p-7&status=", store_id)
    assert f'id="row-{order["id"]}"' in rows.text
    filtered = browser.get(f"/dashboard/stores/{store_id}/orders?status=pending")
    assert "No orders match." in filtered.text


def test_the_order_page_shows_proofs_pdf_and_moves_the_order_in_one_click(app, dashboard):
    browser, store_id, order = dashboard
    page = browser.get(f"/dashboard/stores/{store_id}/orders/{order['id']}")
    assert page.status_code == 200
    assert "Order P-7" in page.text and "Preview of Front" in page.text
    assert f"/api/v1/projects/{order['lineItems'][0]['projectId']}/render" in page.text
    assert "Render the print-ready PDF" in page.text
    panel = htmx(
        browser, "patch", f"/api/v1/orders/{order['id']}", store_id, data={"productionStage": "press"}
    )
    assert panel.status_code == 200, panel.text
    assert 'id="order-panel"' in panel.text and 'id="stage-press" aria-pressed="true"' in panel.text
    assert "in production" in panel.text
    notes = htmx(browser, "patch", f"/api/v1/orders/{order['id']}", store_id, data={"internalNotes": "Rush"})
    assert ">Rush</textarea>" in notes.text
    # The render slot asks the render route, which answers with the polling fragment.
    status = htmx(browser, "get", f"/api/v1/projects/{order['lineItems'][0]['projectId']}/render", store_id)
    assert status.status_code == 200 and 'class="render pending"' in status.text
    page = browser.get(f"/dashboard/stores/{store_id}/orders/{order['id']}")
    assert 'class="render pending"' in page.text


def test_the_production_board_moves_a_card_one_stage_per_click(dashboard):
    browser, store_id, order = dashboard
    page = browser.get(f"/dashboard/stores/{store_id}/production")
    assert page.status_code == 200 and 'aria-current="page">Production' in page.text
    assert page.text.index(f'id="card-{order["id"]}"') > page.text.index('id="stage-queue"')
    assert page.text.index(f'id="card-{order["id"]}"') < page.text.index('id="stage-press"')
    board = htmx(
        browser,
        "patch",
        f"/api/v1/orders/{order['id']}",
        store_id,
        data={"productionStage": "press"},
        **{"HX-Target": "board"},
    )
    assert board.status_code == 200
    assert board.text.index(f'id="card-{order["id"]}"') > board.text.index('id="stage-press"')
    assert board.text.index(f'id="card-{order["id"]}"') < board.text.index('id="stage-finishing"')
    assert f'id="next-{order["id"]}"' in board.text and f'id="back-{order["id"]}"' in board.text


def test_another_accounts_order_page_is_a_404(app, client, dashboard, merchant):
    browser, store_id, order = dashboard
    assert browser.get(f"/dashboard/stores/{merchant.store_id}/orders").status_code == 404
    assert browser.get(f"/dashboard/stores/{store_id}/orders/ord_nope").status_code == 404


# Tracking links


@pytest.mark.parametrize(
    "tracking_url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//carrier.example/track/1",
        "carrier.example/track/1",
        "https://",
        "ftp://carrier.example/track/1",
        "https://carrier.example/track/1\nnext",
    ],
)
def test_a_tracking_url_that_is_not_an_http_address_is_a_422_naming_it(
    client, merchant, project, tracking_url
):
    shipping = SHIPPING | {"trackingNumber": "1Z999", "trackingUrl": tracking_url}
    refused = create(client, merchant, order_body(project["id"], shipping=shipping))
    assert refused.status_code == 422, refused.json
    assert refused.json["error"]["field"] == "shipping.trackingUrl"
    assert "http or https URL" in refused.json["error"]["message"]

    order = created(client, merchant, order_body(project["id"]))
    refused = patch(client, merchant, order["id"], shipping=shipping)
    assert refused.status_code == 422 and refused.json["error"]["field"] == "shipping.trackingUrl"


def test_an_http_tracking_url_is_kept_and_linked_on_the_order_page(dashboard):

    browser, store_id, order = dashboard
    url = "https://carrier.example/track?n=1Z999&lang=en"
    shipping = SHIPPING | {"trackingNumber": "1Z999", "trackingUrl": url}
    account = basic("ada@example.com", PASSWORD) | {"X-Store-Id": store_id}
    saved = browser.client.patch(
        f"/api/v1/orders/{order['id']}", json={"shipping": shipping}, headers=account
    )
    assert saved.status_code == 200 and saved.json["shipping"]["trackingUrl"] == url, saved.json
    page = browser.get(f"/dashboard/stores/{store_id}/orders/{order['id']}")
    assert '<a href="https://carrier.example/track?n=1Z999&amp;lang=en"' in page.text


def test_a_script_tracking_url_stored_before_validation_is_shown_but_not_linked(app, dashboard):
    browser, store_id, order = dashboard
    with app.app_context():
        stored = db.session.scalars(in_store(db.select(Order).where(Order.id == order["id"]), store_id)).one()
        stored.shipping = SHIPPING | {"trackingNumber": "1Z999", "trackingUrl": " JavaScript:alert(1)"}
        db.session.commit()
    page = browser.get(f"/dashboard/stores/{store_id}/orders/{order['id']}")
    assert "1Z999" in page.text
    assert "javascript:" not in page.text.lower()
