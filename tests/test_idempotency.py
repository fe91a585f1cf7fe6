import io
import threading

from designer.accounts.models import Store
from designer.api.idempotency import IdempotencyKey
from designer.extensions import db
from tests.factories import PASSWORD, basic


def _stores(app) -> int:
    with app.app_context():
        return db.session.query(Store).count()


def test_same_key_and_body_replays_the_first_response(client, app, merchant):
    headers = merchant.basic | {"Idempotency-Key": "create-shop-1"}
    first = client.post("/api/v1/stores", json={"name": "Shop"}, headers=headers)
    again = client.post("/api/v1/stores", json={"name": "Shop"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _stores(app) == 2  # the merchant fixture's store and this one


def test_same_key_with_another_body_is_a_conflict(client, app, merchant):
    headers = merchant.basic | {"Idempotency-Key": "create-shop-2"}
    client.post("/api/v1/stores", json={"name": "Shop"}, headers=headers)
    other = client.post("/api/v1/stores", json={"name": "Another shop"}, headers=headers)
    assert other.status_code == 409
    assert other.json["error"]["code"] == "conflict"
    assert other.json["error"]["field"] == "Idempotency-Key"
    assert _stores(app) == 2


def test_keys_belong_to_their_caller(client, app, make_merchant):
    first, second = make_merchant(), make_merchant()
    a = client.post("/api/v1/stores", json={"name": "A"}, headers=first.basic | {"Idempotency-Key": "k"})
    b = client.post("/api/v1/stores", json={"name": "A"}, headers=second.basic | {"Idempotency-Key": "k"})
    assert a.status_code == b.status_code == 201
    assert a.json["id"] != b.json["id"]


def test_a_refused_request_does_not_use_up_its_key(client, app, merchant):
    headers = merchant.basic | {"Idempotency-Key": "fix-and-retry"}
    refused = client.post("/api/v1/stores", json={"name": ""}, headers=headers)
    assert refused.status_code == 422
    fixed = client.post("/api/v1/stores", json={"name": "Fixed"}, headers=headers)
    assert fixed.status_code == 201


def test_an_unreasonable_key_is_refused_naming_the_header(client, merchant):
    response = client.post(
        "/api/v1/stores", json={"name": "Shop"}, headers=merchant.basic | {"Idempotency-Key": "k" * 256}
    )
    assert response.status_code == 422
    assert response.json["error"]["field"] == "Idempotency-Key"


def test_twenty_concurrent_duplicates_create_one_resource(app, merchant):
    headers = basic(merchant.email, PASSWORD) | {"Idempotency-Key": "burst"}
    results = []
    start = threading.Barrier(20)

    def post() -> None:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/stores", json={"name": "Burst"}, headers=headers)
        results.append((response.status_code, response.json.get("id")))

    threads = [threading.Thread(target=post) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in results] == [201] * 20
    assert len({store_id for _, store_id in results}) == 1
    assert _stores(app) == 2


def test_a_replayed_token_creation_never_shows_or_stores_the_secret_again(client, app, merchant):
    headers = merchant.basic | {"Idempotency-Key": "token-once"}
    url = f"/api/v1/stores/{merchant.store_id}/tokens"
    first = client.post(url, json={"name": "Shop", "scopes": ["read"]}, headers=headers)
    again = client.post(url, json={"name": "Shop", "scopes": ["read"]}, headers=headers)
    assert first.json["token"].startswith("sk_")
    assert again.status_code == 201
    assert again.json["token"] is None
    assert again.json["id"] == first.json["id"]
    with app.app_context():
        stored = db.session.scalars(db.select(IdempotencyKey.response_body)).all()
    assert stored and not any(first.json["token"] in body for body in stored)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), "#0b5cad").save(out, "PNG")
    return out.getvalue()


def _upload(client, merchant, data: bytes):
    # The test client, like most HTTP clients, draws a new random multipart boundary each time.
    return client.post(
        "/api/v1/files/upload",
        data={"file": (io.BytesIO(data), "logo.png")},
        headers=merchant.bearer | {"Idempotency-Key": "upload-logo"},
    )


def test_a_multipart_retry_with_a_new_boundary_replays_the_upload(client, merchant):
    png = _png()
    first = _upload(client, merchant, png)
    again = _upload(client, merchant, png)
    assert first.status_code == again.status_code == 201, again.json
    assert again.headers["Idempotent-Replayed"] == "true" and again.json["id"] == first.json["id"]
    other = _upload(client, merchant, png + b"\0")
    assert other.status_code == 409 and other.json["error"]["field"] == "Idempotency-Key"
