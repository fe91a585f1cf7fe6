def test_merchant_can_read_own_store_with_secret_token(client, merchant):
    response = client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.bearer)
    assert response.status_code == 200
    assert response.json["id"] == merchant.store_id
