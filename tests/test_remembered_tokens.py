"""Each process remembers the tokens it looked up (api/auth.py), yet a change made through any
process holds from the very next request in every other one: two app instances on the same
database and Redis stand for two gunicorn workers."""

import pytest

from designer import create_app
from designer.extensions import db
from tests.factories import bearer, statements_run


@pytest.fixture
def other(app_config, app):
    """A second process: its own app (and so its own remembered tokens), the same database and Redis."""
    other_app = create_app(app_config)
    yield other_app
    with other_app.app_context():
        db.session.remove()
        db.engine.dispose()


def _remembers(app, token: str) -> bool:
    return token in app.extensions.get("remembered_tokens", {})


def test_a_token_revoked_through_one_process_is_refused_at_once_by_another_that_remembers_it(
    client, merchant, other
):
    url = f"/api/v1/stores/{merchant.store_id}"
    assert other.test_client().get(url, headers=merchant.bearer).status_code == 200
    assert _remembers(other, merchant.token)
    token_id = client.get(f"{url}/tokens", headers=merchant.basic).json["data"][0]["id"]

    assert client.delete(f"{url}/tokens/{token_id}", headers=merchant.basic).status_code == 200

    refused = other.test_client().get(url, headers=merchant.bearer)
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "unauthenticated"


def test_a_store_changed_through_one_process_is_read_afresh_by_another_that_remembers_its_token(
    client, merchant, other
):
    url = f"/api/v1/stores/{merchant.store_id}"
    browser = other.test_client()
    assert browser.get(url, headers=merchant.bearer).status_code == 200
    client.patch(url, json={"name": "Renamed"}, headers=merchant.basic)
    again = browser.get(url, headers=merchant.bearer)
    assert again.status_code == 200
    assert again.json["name"] == "Renamed"  # the token's store is remembered with it, and forgotten
    assert _remembers(other, merchant.token)  # the token is remembered again, with the new store


def test_a_remembered_token_and_its_store_cost_no_query(client, merchant, other):
    url = f"/api/v1/stores/{merchant.store_id}"
    browser = other.test_client()
    assert browser.get(url, headers=merchant.bearer).status_code == 200  # looked up, remembered
    with statements_run(other) as statements:
        again = browser.get(url, headers=merchant.bearer)
    assert again.status_code == 200
    assert again.json["id"] == merchant.store_id
    assert statements == []


def test_a_token_rotated_through_one_process_has_only_its_new_secret_working_in_another(
    client, merchant, other
):
    url = f"/api/v1/stores/{merchant.store_id}"
    browser = other.test_client()
    assert browser.get(url, headers=merchant.bearer).status_code == 200
    token_id = client.get(f"{url}/tokens", headers=merchant.basic).json["data"][0]["id"]

    rotated = client.post(f"{url}/tokens/{token_id}/rotate", headers=merchant.basic).json["token"]

    assert browser.get(url, headers=merchant.bearer).status_code == 401
    assert browser.get(url, headers=bearer(rotated)).status_code == 200


def test_a_publishable_token_renewed_through_one_process_is_refused_at_once_by_another(
    client, merchant, other
):
    url = f"/api/v1/stores/{merchant.store_id}"
    browser = other.test_client()
    assert browser.get(url, headers={"X-Publishable-Token": merchant.publishable}).status_code == 200
    assert _remembers(other, merchant.publishable)

    renewed = client.post(f"{url}/publishable-token/renew", headers=merchant.basic).json["publishableToken"]

    assert browser.get(url, headers={"X-Publishable-Token": merchant.publishable}).status_code == 401
    assert browser.get(url, headers={"X-Publishable-Token": renewed}).status_code == 200


def test_the_tokens_of_a_store_deleted_through_one_process_are_refused_at_once_by_another(
    client, merchant, other
):
    url = f"/api/v1/stores/{merchant.store_id}"
    browser = other.test_client()
    assert browser.get(url, headers=merchant.bearer).status_code == 200
    assert client.delete(url, headers=merchant.basic).status_code == 200
    assert browser.get(url, headers=merchant.bearer).status_code == 401


def test_a_stores_new_rate_limit_holds_at_once_in_another_process(client, merchant, other):
    url = f"/api/v1/stores/{merchant.store_id}"
    browser = other.test_client()
    assert browser.get(url, headers=merchant.bearer).headers["X-RateLimit-Limit"] == "1000"

    assert client.patch(url, json={"rateLimitPerMinute": 7}, headers=merchant.basic).status_code == 200

    assert browser.get(url, headers=merchant.bearer).headers["X-RateLimit-Limit"] == "7"


def test_the_processes_share_one_exact_window(client, merchant, other):
    url = f"/api/v1/stores/{merchant.store_id}"
    assert client.patch(url, json={"rateLimitPerMinute": 4}, headers=merchant.basic).status_code == 200
    clients = [client, other.test_client()]
    answers = [clients[turn % 2].get(url, headers=merchant.bearer) for turn in range(5)]
    assert [answer.headers["X-RateLimit-Remaining"] for answer in answers] == ["3", "2", "1", "0", "0"]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 200, 429]


def test_with_redis_down_a_token_cannot_be_revoked_and_keeps_working(client, merchant, app_without_redis):
    url = f"/api/v1/stores/{merchant.store_id}"
    assert client.get(url, headers=merchant.bearer).status_code == 200  # remembered by `client`'s app
    token_id = client.get(f"{url}/tokens", headers=merchant.basic).json["data"][0]["id"]

    refused = app_without_redis.test_client().delete(f"{url}/tokens/{token_id}", headers=merchant.basic)

    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "service_unavailable"
    assert client.get(url, headers=merchant.bearer).status_code == 200
    assert client.get(f"{url}/tokens", headers=merchant.basic).json["data"][0]["revokedAt"] is None


def test_with_redis_down_a_store_cannot_be_changed_and_reads_as_it_was(client, merchant, app_without_redis):
    # Every process remembers a token's store with it: a change nobody could be told of is refused.
    url = f"/api/v1/stores/{merchant.store_id}"
    assert client.get(url, headers=merchant.bearer).json["name"] != "Renamed"  # remembered by `client`'s app

    refused = app_without_redis.test_client().patch(url, json={"name": "Renamed"}, headers=merchant.basic)

    assert refused.status_code == 503
    assert refused.json["error"]["code"] == "service_unavailable"
    assert client.get(url, headers=merchant.basic).json["name"] != "Renamed"
    assert client.get(url, headers=merchant.bearer).json["name"] != "Renamed"
