"""Tenant isolation: another store's ids answer exactly like ids that do not exist, and no query
for store-owned rows runs without naming its store."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from designer.accounts import service
from designer.accounts.models import ApiToken, Store
from designer.api.auth import Caller
from designer.api.errors import NotFound
from designer.api.openapi import api_operations
from designer.api.pagination import count
from designer.extensions import db
from designer.tenancy import UnscopedQuery, across_stores, get_in_store, in_store
from tests.factories import bearer

MISSING_STORE = "sto_00000000000000000000000000"
MISSING_TOKEN = "tok_00000000000000000000000000"

# A valid body for each operation that takes one, so the request reaches the store lookup.
_BODIES = {
    "api.update_store": lambda other: {"name": "Taken over"},
    "api.create_token": lambda other: {"name": "Backdoor", "scopes": ["full"]},
    "api.revoke_tokens": lambda other: {"ids": [other.token_id]},
}


class Tenant:
    """A merchant, plus the id of a second token in its store."""

    def __init__(self, client, merchant):
        self.merchant = merchant
        created = client.post(
            f"/api/v1/stores/{merchant.store_id}/tokens",
            json={"name": "ci", "scopes": ["read"]},
            headers=merchant.basic,
        )
        assert created.status_code == 201
        self.token_id = created.json["id"]
        self.token = created.json["token"]


@pytest.fixture
def tenants(client, make_merchant):
    return Tenant(client, make_merchant("Ann")), Tenant(client, make_merchant("Bob"))


def _routes_on_a_store_or_token(app):
    """(method, rule, operation) for every /api/v1 route whose path names a store or a token."""
    routes = []
    for _, method, spec, rule in api_operations(app):
        if {"store_id", "token_id"} & set(rule.arguments):
            routes.append((method, rule, spec))
    return routes


def _url(rule, store_id: str, token_id: str) -> str:
    return rule.rule.replace("<store_id>", store_id).replace("<token_id>", token_id)


def _call(client, method, rule, store_id, token_id, headers, other):
    body = _BODIES.get(rule.endpoint)
    return client.open(
        _url(rule, store_id, token_id),
        method=method,
        headers=headers,
        json=body(other) if body else None,
    )


def _shape(response, *ids: str) -> dict:
    """The error without what legitimately differs: the id it names and the request id."""
    error = dict(response.json["error"])
    for value in ids:
        error["message"] = error["message"].replace(value, "<id>")
    error.pop("requestId")
    return error


def _snapshot(client, tenant: Tenant) -> dict:
    """What the owner sees of their store and tokens (and whether their token still works)."""
    merchant = tenant.merchant
    store = client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.basic)
    listed = client.get(f"/api/v1/stores/{merchant.store_id}/tokens?limit=100", headers=merchant.basic)
    works = client.get(f"/api/v1/stores/{merchant.store_id}", headers=bearer(tenant.token)).status_code
    # lastUsedAt moves with the owner's own calls, this snapshot's included.
    tokens = [{k: v for k, v in token.items() if k != "lastUsedAt"} for token in listed.json["data"]]
    return {"store": store.json, "tokens": tokens, "second token works": works}


def test_every_store_or_token_route_is_covered_and_has_a_sample_body(app):
    routes = _routes_on_a_store_or_token(app)
    assert len(routes) >= 10
    for method, rule, spec in routes:
        assert spec is not None, f"{method} {rule.rule} is not declared with @operation"
        if spec.body is not None:
            assert rule.endpoint in _BODIES, f"add a valid sample body for {rule.endpoint} to _BODIES"


def test_another_merchants_store_and_token_ids_answer_404_like_ids_that_do_not_exist(app, client, tenants):
    ann, bob = tenants
    before = _snapshot(client, bob)
    for method, rule, _ in _routes_on_a_store_or_token(app):
        cases = [(bob.merchant.store_id, bob.token_id)]
        if "token_id" in rule.arguments:
            cases.append((ann.merchant.store_id, bob.token_id))  # own store, someone else's token
        for store_id, token_id in cases:
            foreign = _call(client, method, rule, store_id, token_id, ann.merchant.basic, bob)
            missing_store = MISSING_STORE if store_id != ann.merchant.store_id else store_id
            missing = _call(client, method, rule, missing_store, MISSING_TOKEN, ann.merchant.basic, bob)
            where = f"{method} {_url(rule, store_id, token_id)}"
            assert foreign.status_code == 404, where
            assert foreign.json["error"]["code"] == "not_found", where
            assert missing.status_code == 404, where
            assert _shape(foreign, store_id, token_id) == _shape(missing, missing_store, MISSING_TOKEN), where
    assert _snapshot(client, bob) == before


def test_a_bearer_or_publishable_token_cannot_reach_another_store(app, client, tenants):
    ann, bob = tenants
    credentials = {
        "secret": ann.merchant.bearer,
        "publishable": {"X-Publishable-Token": ann.merchant.publishable},
    }
    before = _snapshot(client, bob)
    tried = 0
    for method, rule, spec in _routes_on_a_store_or_token(app):
        for kind, headers in credentials.items():
            if kind not in spec.auth:
                continue
            foreign = _call(client, method, rule, bob.merchant.store_id, bob.token_id, headers, bob)
            missing = _call(client, method, rule, MISSING_STORE, MISSING_TOKEN, headers, bob)
            where = f"{kind}: {method} {rule.rule}"
            assert foreign.status_code == 404, where
            assert foreign.json["error"]["code"] == "not_found", where
            assert _shape(foreign, bob.merchant.store_id, bob.token_id) == _shape(
                missing, MISSING_STORE, MISSING_TOKEN
            ), where
            tried += 1
    assert tried >= 2  # GET /stores/{storeId} takes both kinds
    assert _snapshot(client, bob) == before


def test_a_token_lists_only_its_own_store(client, tenants):
    ann, bob = tenants
    listed = client.get("/api/v1/stores", headers=ann.merchant.bearer)
    assert [store["id"] for store in listed.json["data"]] == [ann.merchant.store_id]
    counted = client.get("/api/v1/stores/count", headers=ann.merchant.bearer)
    assert counted.json == {"count": 1}


def test_an_account_lists_and_counts_only_its_own_stores(client, tenants):
    ann, bob = tenants
    client.post("/api/v1/stores", json={"name": "Ann's second shop"}, headers=ann.merchant.basic)
    listed = client.get("/api/v1/stores", headers=ann.merchant.basic).json["data"]
    assert bob.merchant.store_id not in {store["id"] for store in listed}
    assert len(listed) == 2
    assert client.get("/api/v1/stores/count", headers=ann.merchant.basic).json == {"count": 2}


def test_another_tenants_id_as_a_cursor_is_refused_like_an_unknown_one(client, tenants):
    ann, bob = tenants
    for path, foreign_id in (
        ("/api/v1/stores", bob.merchant.store_id),
        (f"/api/v1/stores/{ann.merchant.store_id}/tokens", bob.token_id),
    ):
        foreign = client.get(f"{path}?startingAfter={foreign_id}", headers=ann.merchant.basic)
        unknown = client.get(f"{path}?startingAfter=xyz_unknown", headers=ann.merchant.basic)
        assert foreign.status_code == unknown.status_code == 422
        assert foreign.json["error"]["field"] == "startingAfter"
        assert _shape(foreign) == _shape(unknown)


def test_revoking_someone_elses_token_in_a_batch_revokes_nothing(client, tenants):
    ann, bob = tenants
    response = client.post(
        f"/api/v1/stores/{ann.merchant.store_id}/tokens/revoke",
        json={"ids": [ann.token_id, bob.token_id]},
        headers=ann.merchant.basic,
    )
    assert response.status_code == 422
    [failure] = response.json["error"]["errors"]
    assert (failure["index"], failure["code"]) == (1, "not_found")
    assert failure["message"] == f"No api token with id '{bob.token_id}'"  # as for any unknown id
    assert client.get(f"/api/v1/stores/{ann.merchant.store_id}", headers=bearer(ann.token)).status_code == 200
    assert client.get(f"/api/v1/stores/{bob.merchant.store_id}", headers=bearer(bob.token)).status_code == 200


# The scoping listener itself


@pytest.fixture
def two_stores(app, tenants):
    """Ann's and Bob's store ids; Ann's store has 2 tokens, Bob's 2 plus 3 more."""
    ann, bob = tenants
    with app.app_context():
        store = db.session.get(Store, bob.merchant.store_id)
        for number in range(3):
            service.create_token(store, f"extra {number}", ["read"])
        db.session.commit()
    return ann.merchant.store_id, bob.merchant.store_id


def _unscoped_statements():
    tokens = aliased(ApiToken)
    return {
        "entity": select(ApiToken),
        "column": select(ApiToken.name),
        "count of ids": select(func.count(ApiToken.id)),
        "count(*) from the table": select(func.count()).select_from(ApiToken),
        "join": select(Store).join(ApiToken, ApiToken.store_id == Store.id),
        "subquery": select(Store).where(Store.id.in_(select(ApiToken.store_id))),
        "correlated exists": select(Store).where(
            select(ApiToken.id).where(ApiToken.store_id == Store.id).exists()
        ),
        "alias": select(tokens),
        "update": db.update(ApiToken).values(name="renamed"),
        "delete": db.delete(ApiToken),
    }


@pytest.mark.parametrize("kind", list(_unscoped_statements()))
def test_a_store_owned_query_without_in_store_raises_unscoped_query(app, two_stores, kind):
    with app.app_context(), pytest.raises(UnscopedQuery):
        db.session.execute(_unscoped_statements()[kind])


def test_a_legacy_query_count_without_in_store_raises_unscoped_query(app, two_stores):
    with app.app_context(), pytest.raises(UnscopedQuery):
        db.session.query(ApiToken).count()


def test_get_by_primary_key_without_a_store_raises_unscoped_query(app, tenants):
    ann, _ = tenants
    with app.app_context(), pytest.raises(UnscopedQuery):
        db.session.get(ApiToken, ann.token_id)


def test_in_store_never_returns_another_stores_rows(app, two_stores):
    ann, bob = two_stores
    with app.app_context():
        rows = db.session.scalars(in_store(select(ApiToken), ann)).all()
        assert len(rows) == 2
        assert {row.store_id for row in rows} == {ann}
        assert set(db.session.scalars(in_store(select(ApiToken.store_id), ann))) == {ann}
        assert len(db.session.scalars(in_store(select(ApiToken), bob)).all()) == 5


def test_in_store_counts_only_that_stores_rows(app, two_stores):
    ann, bob = two_stores
    with app.app_context():
        assert count(in_store(select(ApiToken), ann), ApiToken) == 2
        assert count(in_store(select(ApiToken), bob), ApiToken) == 5
        assert db.session.scalar(in_store(select(func.count(ApiToken.id)), ann)) == 2
        assert db.session.scalar(in_store(select(func.count()).select_from(ApiToken), ann)) == 2


def test_in_store_scopes_joins_subqueries_and_aliases(app, two_stores):
    ann, bob = two_stores
    with app.app_context():
        joined = db.session.scalars(
            in_store(select(Store.id).join(ApiToken, ApiToken.store_id == Store.id), ann)
        ).all()
        assert joined == [ann, ann]
        owning = db.session.scalars(
            in_store(select(Store.id).where(Store.id.in_(select(ApiToken.store_id))), ann)
        ).all()
        assert owning == [ann]
        tokens = aliased(ApiToken)
        assert {row.store_id for row in db.session.scalars(in_store(select(tokens), ann))} == {ann}


def test_in_store_updates_and_deletes_only_that_stores_rows(app, two_stores):
    ann, bob = two_stores
    with app.app_context():
        db.session.execute(in_store(db.update(ApiToken).values(name="renamed"), ann))
        db.session.execute(in_store(db.delete(ApiToken).where(ApiToken.name == "renamed"), ann))
        db.session.commit()
        assert count(in_store(select(ApiToken), ann), ApiToken) == 0
        assert count(in_store(select(ApiToken), bob), ApiToken) == 5
        names = set(db.session.scalars(in_store(select(ApiToken.name), bob)))
        assert "renamed" not in names


def test_the_scope_of_a_cached_statement_follows_each_call(app, two_stores):
    ann, bob = two_stores
    with app.app_context():
        for store_id, expected in ((ann, 2), (bob, 5), (ann, 2)):
            assert len(db.session.scalars(in_store(select(ApiToken), store_id)).all()) == expected


def test_get_in_store_answers_not_found_for_another_stores_row(app, tenants):
    ann, bob = tenants
    with app.app_context():
        assert get_in_store(ApiToken, ann.token_id, ann.merchant.store_id).id == ann.token_id
        with pytest.raises(NotFound) as foreign:
            get_in_store(ApiToken, bob.token_id, ann.merchant.store_id)
        with pytest.raises(NotFound) as missing:
            get_in_store(ApiToken, MISSING_TOKEN, ann.merchant.store_id)
        assert foreign.value.message.replace(bob.token_id, "<id>") == missing.value.message.replace(
            MISSING_TOKEN, "<id>"
        )


@pytest.mark.parametrize("kind", ["account", "secret", "publishable"])
def test_a_caller_reaches_its_own_store_and_no_other(app, tenants, kind):
    ann, bob = tenants
    with app.test_request_context():
        caller = Caller(
            kind,
            account_id=ann.merchant.account_id if kind == "account" else None,
            store_id=None if kind == "account" else ann.merchant.store_id,
        )
        assert caller.store(ann.merchant.store_id).id == ann.merchant.store_id
        messages = []
        for other in (bob.merchant.store_id, MISSING_STORE, "sto_\x00"):
            with pytest.raises(NotFound) as refused:
                caller.store(other)
            messages.append(refused.value.message.replace(other, "<id>"))
        assert len(set(messages)) == 1


def test_across_stores_is_the_explicit_way_to_sweep_every_store(app, two_stores):
    with app.app_context():
        assert len(db.session.scalars(across_stores(select(ApiToken))).all()) == 7
