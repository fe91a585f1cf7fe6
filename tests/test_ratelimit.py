import redis as redis_lib

from tests.factories import PASSWORD, basic


def _limit_store(client, merchant, per_minute: int) -> None:
    response = client.patch(
        f"/api/v1/stores/{merchant.store_id}", json={"rateLimitPerMinute": per_minute}, headers=merchant.basic
    )
    assert response.status_code == 200


def test_every_api_response_carries_the_rate_limit_headers(client, merchant):
    for response in (
        client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.bearer),
        client.get("/api/v1/stores/sto_missing", headers=merchant.bearer),
        client.get("/api/v1/stores", headers={"Authorization": "Bearer sk_wrong"}),
    ):
        assert {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"} <= set(
            response.headers.keys()
        )
        assert "Retry-After" not in response.headers


def test_remaining_counts_down_to_a_429_with_retry_after(client, merchant):
    _limit_store(client, merchant, 3)
    url = f"/api/v1/stores/{merchant.store_id}"
    remaining = [
        int(client.get(url, headers=merchant.bearer).headers["X-RateLimit-Remaining"]) for _ in range(3)
    ]
    assert remaining == [2, 1, 0]
    limited = client.get(url, headers=merchant.bearer)
    assert limited.status_code == 429
    assert limited.json["error"]["code"] == "rate_limited"
    assert limited.json["error"]["requestId"] == limited.headers["X-Request-Id"]
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert limited.headers["X-RateLimit-Limit"] == "3"


def test_each_token_has_its_own_budget(client, merchant):
    _limit_store(client, merchant, 2)
    other = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": "second", "scopes": ["read"]},
        headers=merchant.basic,
    ).json["token"]
    url = f"/api/v1/stores/{merchant.store_id}"
    for _ in range(2):
        client.get(url, headers=merchant.bearer)
    assert client.get(url, headers=merchant.bearer).status_code == 429
    assert client.get(url, headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_pages_outside_the_api_are_not_rate_limited(client):
    assert "X-RateLimit-Limit" not in client.get("/login").headers


def test_with_redis_down_the_api_keeps_answering_and_limiting_in_memory(app_without_redis):
    client = app_without_redis.test_client()
    client.post("/api/v1/account", json={"name": "M", "email": "down@example.com", "password": PASSWORD})
    auth = basic("down@example.com", PASSWORD)
    store = client.post("/api/v1/stores", json={"name": "S", "rateLimitPerMinute": 2}, headers=auth)
    assert store.status_code == 201
    token = client.post(
        f"/api/v1/stores/{store.json['id']}/tokens", json={"name": "t", "scopes": ["full"]}, headers=auth
    )
    bearer = {"Authorization": f"Bearer {token.json['token']}"}
    url = f"/api/v1/stores/{store.json['id']}"
    first = client.get(url, headers=bearer)
    assert first.status_code == 200
    assert first.headers["X-RateLimit-Limit"] == "2"
    client.get(url, headers=bearer)
    assert client.get(url, headers=bearer).status_code == 429


def test_after_redis_drops_the_connection_and_forgets_the_script_requests_are_counted_there_again(
    app, client, merchant
):
    # As when Redis restarts: the request's own connection is closed and the script forgotten. The
    # next request opens the connection again and sends the script again, and Redis counts it
    # (not this process's memory, which would start again from nothing).
    _limit_store(client, merchant, 3)
    url = f"/api/v1/stores/{merchant.store_id}"
    assert client.get(url, headers=merchant.bearer).headers["X-RateLimit-Remaining"] == "2"
    server = redis_lib.Redis.from_url(app.config["REDIS_URL"])

    def hits_in_redis() -> int:
        return sum(server.zcard(window) for window in server.keys("presswork:rate:*"))

    before = hits_in_redis()
    server.client_kill_filter(_id=app.extensions["redis_of_thread"].client.client_id())
    server.script_flush()
    assert client.get(url, headers=merchant.bearer).headers["X-RateLimit-Remaining"] == "1"
    assert hits_in_redis() == before + 1
