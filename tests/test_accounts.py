def test_tokens_can_be_listed_by_status(client, merchant):
    url = f"/api/v1/stores/{merchant.store_id}/tokens"
    spare = client.post(url, json={"name": "spare", "scopes": ["read"]}, headers=merchant.basic).json
    client.delete(f"{url}/{spare['id']}", headers=merchant.basic)
    active = client.get(f"{url}?status=active", headers=merchant.basic).json["data"]
    revoked = client.get(f"{url}?status=revoked", headers=merchant.basic).json["data"]
    assert [token["name"] for token in active] == ["server"]
    assert [token["id"] for token in revoked] == [spare["id"]]
    wrong = client.get(f"{url}?status=expired", headers=merchant.basic)
    assert wrong.status_code == 422 and wrong.json["error"]["field"] == "status"


def test_the_account_can_be_read_and_renamed(client, merchant):
    account = client.get("/api/v1/account", headers=merchant.basic)
    assert account.status_code == 200
    assert account.json["email"] == merchant.email
    assert "password" not in str(account.json).lower()
    renamed = client.patch("/api/v1/account", json={"name": "Ada Prints Ltd"}, headers=merchant.basic)
    assert renamed.status_code == 200 and renamed.json["name"] == "Ada Prints Ltd"


def test_an_account_owns_several_stores_and_updates_and_deletes_them(client, merchant):
    second = client.post("/api/v1/stores", json={"name": "Second"}, headers=merchant.basic).json
    listed = client.get("/api/v1/stores?sort=asc", headers=merchant.basic).json["data"]
    assert [store["id"] for store in listed] == [merchant.store_id, second["id"]]
    patched = client.patch(
        f"/api/v1/stores/{second['id']}",
        json={"name": "Renamed", "rateLimitPerMinute": 50},
        headers=merchant.basic,
    )
    assert (patched.json["name"], patched.json["rateLimitPerMinute"]) == ("Renamed", 50)
    assert client.delete(f"/api/v1/stores/{second['id']}", headers=merchant.basic).json == {
        "id": second["id"],
        "deleted": True,
    }
    assert client.get(f"/api/v1/stores/{second['id']}", headers=merchant.basic).status_code == 404
    assert client.get("/api/v1/stores/count", headers=merchant.basic).json == {"count": 1}


def test_the_publishable_token_is_shown_to_the_account(client, merchant):
    response = client.get(f"/api/v1/stores/{merchant.store_id}/publishable-token", headers=merchant.basic)
    assert response.json == {"publishableToken": merchant.publishable}
