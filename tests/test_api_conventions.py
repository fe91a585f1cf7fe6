"""The API's conventions: one error body for every failure, request ids, input validation that
never answers 500 nor writes anything, cursor lists, counts, batches and the OpenAPI document."""

import re

import pytest
from sqlalchemy import text

from designer.accounts import service
from designer.accounts.models import Account
from designer.api.openapi import api_operations
from designer.api.operations import operation
from designer.extensions import db
from tests.factories import PASSWORD, bearer

_REQUEST_ID = re.compile(r"^req_[0-9A-Z]{26}$")


def _error(response, status: int, code: str, field=None) -> dict:
    """The contract's error body, with its request id echoed in X-Request-Id and Vary set."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    assert set(response.json) == {"error"}
    error = response.json["error"]
    assert {"code", "message", "field", "requestId"} <= set(error)
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert _REQUEST_ID.match(error["requestId"])
    assert response.headers["X-Request-Id"] == error["requestId"]
    # The same routes answer htmx with partials, so caches must keep the two apart.
    assert {"accept", "hx-request"} <= {header.lower() for header in response.vary}
    if field is not None:
        assert error["field"] == field, error
    return error


def _rows(app) -> dict[str, int]:
    """How many rows each table holds."""
    with app.app_context():
        return {
            table.name: db.session.execute(text(f"SELECT count(*) FROM {table.name}")).scalar()
            for table in db.metadata.sorted_tables
        }


def _state(client, merchant) -> dict:
    """What the merchant can see of their account, stores and tokens."""
    tokens = client.get(f"/api/v1/stores/{merchant.store_id}/tokens?limit=100", headers=merchant.basic)
    return {
        "account": client.get("/api/v1/account", headers=merchant.basic).json,
        "stores": client.get("/api/v1/stores?limit=100", headers=merchant.basic).json,
        "tokens": [{k: v for k, v in t.items() if k != "lastUsedAt"} for t in tokens.json["data"]],
    }


def _token_ids(client, merchant) -> list[str]:
    listed = client.get(f"/api/v1/stores/{merchant.store_id}/tokens?limit=100", headers=merchant.basic)
    return [token["id"] for token in listed.json["data"]]


def _create_token(client, merchant, name: str, scopes=("read",)) -> dict:
    created = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": name, "scopes": list(scopes)},
        headers=merchant.basic,
    )
    assert created.status_code == 201, created.json
    return created.json


# The error body, code by code


def test_401_has_the_error_body(client):
    _error(client.get("/api/v1/stores"), 401, "unauthenticated")


def test_403_has_the_error_body(client, merchant):
    _error(
        client.get("/api/v1/account", headers={"X-Publishable-Token": merchant.publishable}), 403, "forbidden"
    )


def test_404_for_an_unknown_id_has_the_error_body(client, merchant):
    _error(client.get("/api/v1/stores/sto_missing", headers=merchant.basic), 404, "not_found")


@pytest.mark.parametrize("accept", ["application/json", "text/html", "*/*"])
def test_404_for_an_unknown_api_path_is_json_even_for_a_browser(client, accept):
    _error(client.get("/api/v1/no-such-thing", headers={"Accept": accept}), 404, "not_found")
    _error(client.post("/api/v1/no-such-thing", headers={"Accept": accept}), 404, "not_found")


def test_405_has_the_error_body_and_says_which_methods_are_allowed(client, merchant):
    response = client.put("/api/v1/stores", json={"name": "x"}, headers=merchant.basic)
    _error(response, 405, "method_not_allowed")
    assert {"GET", "POST"} <= {method.strip() for method in response.headers["Allow"].split(",")}


def test_409_for_a_duplicate_email_names_the_email_and_writes_nothing(app, client, merchant):
    before = _rows(app)
    response = client.post(
        "/api/v1/account", json={"name": "Twin", "email": merchant.email.upper(), "password": PASSWORD}
    )
    _error(response, 409, "conflict", field="email")
    assert _rows(app) == before


def test_409_for_changing_to_a_taken_email_changes_nothing(client, make_merchant):
    first, second = make_merchant(), make_merchant()
    before = _state(client, second)
    response = client.patch(
        "/api/v1/account", json={"name": "Renamed", "email": first.email}, headers=second.basic
    )
    _error(response, 409, "conflict", field="email")
    assert _state(client, second) == before


def test_413_for_a_json_body_larger_than_max_json_bytes(app, client, merchant):
    before = _rows(app)
    limit = app.config["MAX_JSON_BYTES"]
    body = b'{"name": "' + b"x" * limit + b'"}'
    response = client.post(
        "/api/v1/stores", data=body, content_type="application/json", headers=merchant.basic
    )
    _error(response, 413, "payload_too_large", field="body")
    assert _rows(app) == before


def test_413_for_a_body_larger_than_max_content_length(app, client, merchant):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    body = b"name=" + b"x" * 2048
    response = client.post(
        "/api/v1/stores", data=body, content_type="application/x-www-form-urlencoded", headers=merchant.basic
    )
    _error(response, 413, "payload_too_large")


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None])
def test_415_for_a_body_that_is_not_json(app, client, merchant, content_type):
    before = _rows(app)
    headers = merchant.basic | ({"Content-Type": content_type} if content_type else {})
    response = client.post("/api/v1/stores", data=b'{"name": "x"}', headers=headers)
    _error(response, 415, "unsupported_media_type", field="Content-Type")
    assert _rows(app) == before


def test_422_names_the_field(client, merchant):
    error = _error(
        client.post("/api/v1/stores", json={"name": ""}, headers=merchant.basic), 422, "validation_error"
    )
    assert error["field"] == "name"
    assert "'name'" in error["message"]
    assert error["errors"][0]["field"] == "name"


@pytest.fixture
def exploding_route(app):
    """An operation that writes a store and then fails unexpectedly (before any request is served)."""

    @operation("Fail after a write (test)", resource=None, auth=("account",))
    def get_exploding(caller):
        service.create_store(db.session.get(Account, caller.account_id), "Half-made")
        raise RuntimeError("database password is hunter2")

    app.add_url_rule("/api/v1/exploding", "get_exploding", get_exploding)
    return "/api/v1/exploding"


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_an_unexpected_failure_is_a_500_error_body_with_no_detail_and_no_write(
    exploding_route, app, client, make_merchant, accept
):
    merchant = make_merchant()
    before = _rows(app)
    response = client.get(exploding_route, headers=merchant.basic | {"Accept": accept})
    error = _error(response, 500, "internal_error")
    assert "hunter2" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert error["field"] is None
    assert _rows(app) == before


# Request ids


def test_every_success_carries_a_request_id(client, merchant):
    ids = set()
    for response in (
        client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.bearer),
        client.get("/api/v1/openapi.json"),
        client.post("/api/v1/stores", json={"name": "Another"}, headers=merchant.basic),
    ):
        assert response.status_code in (200, 201)
        assert _REQUEST_ID.match(response.headers["X-Request-Id"])
        ids.add(response.headers["X-Request-Id"])
    assert len(ids) == 3


@pytest.mark.parametrize("path", ["/login", "/signup", "/api/docs", "/no-such-page", "/dashboard/"])
def test_html_pages_and_their_errors_carry_a_request_id(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert _REQUEST_ID.match(response.headers["X-Request-Id"])


# Bad input, everywhere a body is read


def _body_operations(app):
    """(method, rule, operation) for every /api/v1 route that reads a body."""
    return [(method, rule, spec) for _, method, spec, rule in api_operations(app) if spec and spec.body]


def _auth_for(spec, merchant) -> dict:
    if "account" in spec.auth:
        return merchant.basic
    if "secret" in spec.auth:
        return merchant.bearer
    if "publishable" in spec.auth:
        return {"X-Publishable-Token": merchant.publishable}
    return {}


def _url_for(rule, merchant, token_id: str) -> str:
    return rule.rule.replace("<store_id>", merchant.store_id).replace("<token_id>", token_id)


_MALFORMED_BODIES = {
    "truncated JSON": (b'{"name": ', "application/json", 422, "body"),
    "an array": (b'[{"name": "x"}]', "application/json", 422, "body"),
    "a string": (b'"name"', "application/json", 422, "body"),
    "a number": (b"42", "application/json", 422, "body"),
    "null": (b"null", "application/json", 422, "body"),
    "nothing": (b"", "application/json", 422, "body"),
    "trailing garbage": (b'{"name": "x"} and more', "application/json", 422, "body"),
    "not UTF-8": (b"\xff\xfe{\x00}", "application/json", 422, "body"),
    "a Latin-1 byte in a string": (b'{"name": "caf\xe9"}', "application/json", 422, "body"),
    "a lone surrogate": (b'{"name": "\\ud800"}', "application/json", 422, "body"),
    "deep nesting": (b"[" * 5000 + b"]" * 5000, "application/json", 422, "body"),
    "NaN": (b'{"name": NaN}', "application/json", 422, None),
    "text/plain": (b'{"name": "x"}', "text/plain", 415, "Content-Type"),
    "no content type": (b'{"name": "x"}', None, 415, "Content-Type"),
}


@pytest.mark.parametrize("case", list(_MALFORMED_BODIES))
def test_a_malformed_body_is_refused_on_every_route_that_reads_one(app, client, merchant, case):
    raw, content_type, status, field = _MALFORMED_BODIES[case]
    token_id = _token_ids(client, merchant)[0]
    before, rows = _state(client, merchant), _rows(app)
    operations = _body_operations(app)
    assert len(operations) >= 5
    for method, rule, spec in operations:
        headers = _auth_for(spec, merchant) | ({"Content-Type": content_type} if content_type else {})
        response = client.open(_url_for(rule, merchant, token_id), method=method, data=raw, headers=headers)
        code = {415: "unsupported_media_type", 422: "validation_error"}[status]
        _error(response, status, code, field=field)
    assert _rows(app) == rows
    assert _state(client, merchant) == before


def test_an_unknown_field_is_refused_by_name_on_every_route_that_reads_a_body(app, client, merchant):
    token_id = _token_ids(client, merchant)[0]
    before, rows = _state(client, merchant), _rows(app)
    for method, rule, spec in _body_operations(app):
        response = client.open(
            _url_for(rule, merchant, token_id),
            method=method,
            json={"surelyNotAField": 1},
            headers=_auth_for(spec, merchant),
        )
        error = _error(response, 422, "validation_error")
        assert "surelyNotAField" in {item["field"] for item in error["errors"]}, rule.rule
    assert _rows(app) == rows
    assert _state(client, merchant) == before


_STORE = "/api/v1/stores/{store}"
_TOKENS = "/api/v1/stores/{store}/tokens"
_REVOKE = "/api/v1/stores/{store}/tokens/revoke"

_INVALID = [
    ("POST", "/api/v1/stores", {"name": 5}, "name"),
    ("POST", "/api/v1/stores", {"name": ["Shop"]}, "name"),
    ("POST", "/api/v1/stores", {"name": None}, "name"),
    ("POST", "/api/v1/stores", {"name": "   "}, "name"),
    ("POST", "/api/v1/stores", {"name": "x" * 201}, "name"),
    ("POST", "/api/v1/stores", {"name": "Nul\u0000Shop"}, "name"),
    ("POST", "/api/v1/stores", {}, "name"),
    ("POST", "/api/v1/stores", {"name": "Shop", "rateLimitPerMinute": "10"}, "rateLimitPerMinute"),
    ("POST", "/api/v1/stores", {"name": "Shop", "rateLimitPerMinute": 0}, "rateLimitPerMinute"),
    ("POST", "/api/v1/stores", {"name": "Shop", "rateLimitPerMinute": -1}, "rateLimitPerMinute"),
    ("POST", "/api/v1/stores", {"name": "Shop", "rateLimitPerMinute": 1.5}, "rateLimitPerMinute"),
    ("POST", "/api/v1/stores", {"name": "Shop", "rateLimitPerMinute": True}, "rateLimitPerMinute"),
    ("POST", "/api/v1/stores", {"name": "Shop", "rateLimitPerMinute": 10**30}, "rateLimitPerMinute"),
    ("POST", "/api/v1/stores", {"name": "Shop", "rateLimit": 10}, "rateLimit"),
    ("PATCH", _STORE, {"name": 5}, "name"),
    ("PATCH", _STORE, {"rateLimitPerMinute": "10"}, "rateLimitPerMinute"),
    ("PATCH", _STORE, {"name": "Renamed", "publishableToken": "pk_mine"}, "publishableToken"),
    ("PATCH", _STORE, {"name": "Renamed", "id": "sto_other"}, "id"),
    ("PATCH", _STORE, {"name": "Nul\u0000Shop"}, "name"),
    ("POST", _TOKENS, {"name": "ci"}, "scopes"),
    ("POST", _TOKENS, {"name": "ci", "scopes": "full"}, "scopes"),
    ("POST", _TOKENS, {"name": "ci", "scopes": []}, "scopes"),
    ("POST", _TOKENS, {"name": "ci", "scopes": ["root"]}, "scopes.0"),
    ("POST", _TOKENS, {"name": "ci", "scopes": ["full"], "token": "sk_chosen"}, "token"),
    ("POST", _TOKENS, {"name": 7, "scopes": ["full"]}, "name"),
    ("POST", _REVOKE, {"ids": "tok_x"}, "ids"),
    ("POST", _REVOKE, {"ids": []}, "ids"),
    ("POST", _REVOKE, {"ids": [5]}, "ids.0"),
    ("POST", _REVOKE, {"ids": ["t" * 65]}, "ids.0"),
    ("POST", _REVOKE, {"ids": ["tok_x"] * 101}, "ids"),
    ("PATCH", "/api/v1/account", {"email": "not-an-email"}, "email"),
    ("PATCH", "/api/v1/account", {"email": 5}, "email"),
    ("PATCH", "/api/v1/account", {"name": "Renamed", "id": "acc_other"}, "id"),
    ("PATCH", "/api/v1/account", {"password": "x" * 257}, "password"),
    ("PATCH", "/api/v1/account", {"name": "Nul\u0000Name"}, "name"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), _INVALID)
def test_invalid_input_is_a_422_naming_the_field_and_changes_nothing(
    app, client, merchant, method, path, body, field
):
    before, rows = _state(client, merchant), _rows(app)
    response = client.open(
        path.format(store=merchant.store_id), method=method, json=body, headers=merchant.basic
    )
    _error(response, 422, "validation_error", field=field)
    assert _rows(app) == rows
    assert _state(client, merchant) == before


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "email": "not-an-email", "password": PASSWORD},
        {"name": "x", "email": 5, "password": PASSWORD},
        {"name": "x", "password": PASSWORD},
        {"name": "x", "email": "nul\u0000@example.com", "password": PASSWORD},
    ],
)
def test_an_account_with_a_bad_email_is_refused_naming_the_email(app, client, body):
    before = _rows(app)
    _error(client.post("/api/v1/account", json=body), 422, "validation_error", field="email")
    assert _rows(app) == before


# Lists: limits, cursors, sorting


def _list_paths(merchant) -> list[str]:
    return ["/api/v1/stores", f"/api/v1/stores/{merchant.store_id}/tokens"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("limit=101", "limit"),
        (f"limit={10**30}", "limit"),
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("limit=1.5", "limit"),
        ("limit=%00", "limit"),
        ("startingAfter=tok_does_not_exist", "startingAfter"),
        ("startingAfter=" + "x" * 10_000, "startingAfter"),
        ("startingAfter=%00", "startingAfter"),
        ("startingAfter=abc%00def", "startingAfter"),
        ("startingAfter=%FF%FE", "startingAfter"),
        ("sort=sideways", "sort"),
        ("sortBy=secretHash", "sortBy"),
        ("sortBy=%00", "sortBy"),
        ("surelyNotAParameter=1", "surelyNotAParameter"),
    ],
)
def test_absurd_limits_and_cursors_are_a_422_naming_the_parameter(client, merchant, query, field):
    for path in _list_paths(merchant):
        _error(client.get(f"{path}?{query}", headers=merchant.basic), 422, "validation_error", field=field)


@pytest.mark.parametrize("limit", [1, 100])
def test_the_limit_bounds_themselves_are_accepted(client, merchant, limit):
    for path in _list_paths(merchant):
        response = client.get(f"{path}?limit={limit}", headers=merchant.basic)
        assert response.status_code == 200
        assert len(response.json["data"]) <= limit


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stores/" + "x" * 10_000,
        "/api/v1/stores/%00",
        "/api/v1/stores/sto_%00",
        "/api/v1/stores/%FF%FE",
        "/api/v1/stores/{store}/tokens/%00/rotate",
        "/api/v1/stores/{store}/tokens/" + "t" * 5_000 + "/rotate",
    ],
)
def test_an_absurd_id_in_the_path_is_a_404(client, merchant, path):
    method = "POST" if path.endswith("/rotate") else "GET"
    response = client.open(path.format(store=merchant.store_id), method=method, headers=merchant.basic)
    _error(response, 404, "not_found")


def _pages(client, url: str, headers: dict, limit: int, between=lambda: None, max_pages: int = 100):
    """Every page of a list, calling `between()` before fetching each next page."""
    pages, cursor = [], None
    for _ in range(max_pages):
        query = f"limit={limit}" + (f"&startingAfter={cursor}" if cursor else "")
        response = client.get(f"{url}{'&' if '?' in url else '?'}{query}", headers=headers)
        assert response.status_code == 200, response.json
        page = response.json
        assert len(page["data"]) <= limit
        pages.append(page)
        if not page["hasMore"]:
            assert page["nextCursor"] is None
            return pages
        assert page["nextCursor"] == page["data"][-1]["id"]
        cursor = page["nextCursor"]
        between()
    raise AssertionError("the list never ended")


@pytest.mark.parametrize(
    ("sort", "sort_by"), [("desc", "createdAt"), ("asc", "createdAt"), ("asc", "name"), ("desc", "name")]
)
def test_paging_while_tokens_are_created_sees_every_original_exactly_once(client, merchant, sort, sort_by):
    originals = set(_token_ids(client, merchant))
    for number in range(25):
        originals.add(_create_token(client, merchant, f"token{number:02d}")["id"])
    created = iter(range(100))

    def create_more():
        number = next(created)
        # One that sorts before the originals and one after, by name and by date alike.
        _create_token(client, merchant, f"anew{number:02d}")
        _create_token(client, merchant, f"zznew{number:02d}")

    url = f"/api/v1/stores/{merchant.store_id}/tokens?sort={sort}&sortBy={sort_by}"
    pages = _pages(client, url, merchant.basic, 7, between=create_more)
    seen = [item for page in pages for item in page["data"]]
    seen_ids = [item["id"] for item in seen]
    assert len(seen_ids) == len(set(seen_ids)), "an item was repeated"
    assert originals <= set(seen_ids)
    assert len(originals) == 26  # the merchant's own token and the 25 made here
    keys = [item[sort_by] for item in seen]
    assert keys == sorted(keys, reverse=sort == "desc")


def test_tokens_sort_by_name_and_by_creation_both_ways(client, merchant):
    for name in ("charlie", "alpha", "bravo"):
        _create_token(client, merchant, name)
    url = f"/api/v1/stores/{merchant.store_id}/tokens"

    def names(query: str) -> list[str]:
        return [token["name"] for token in client.get(f"{url}?{query}", headers=merchant.basic).json["data"]]

    assert names("sortBy=name&sort=asc") == ["alpha", "bravo", "charlie", "server"]
    assert names("sortBy=name&sort=desc") == ["server", "charlie", "bravo", "alpha"]
    assert names("sortBy=createdAt&sort=asc") == ["server", "charlie", "alpha", "bravo"]
    assert names("") == ["bravo", "alpha", "charlie", "server"]  # newest first by default


def test_stores_sort_by_name_and_page_through_every_store_once(client, merchant):
    for name in ("Mugs", "Cards", "Posters", "Labels", "Shirts"):
        client.post("/api/v1/stores", json={"name": name}, headers=merchant.basic)
    pages = _pages(client, "/api/v1/stores?sortBy=name&sort=asc", merchant.basic, 2)
    names = [store["name"] for page in pages for store in page["data"]]
    assert names == sorted(["Mugs", "Cards", "Posters", "Labels", "Shirts", "Merchant's store"])
    assert len(pages) == 3


# Counts


def test_counts_match_the_list(client, make_merchant):
    ann, bob = make_merchant(), make_merchant()
    for name in ("Second", "Third"):
        client.post("/api/v1/stores", json={"name": name}, headers=ann.basic)
    assert client.get("/api/v1/stores/count", headers=ann.basic).json == {"count": 3}
    assert len(client.get("/api/v1/stores?limit=100", headers=ann.basic).json["data"]) == 3
    assert client.get("/api/v1/stores/count", headers=bob.basic).json == {"count": 1}
    assert client.get("/api/v1/stores/count", headers=ann.bearer).json == {"count": 1}


# Batches


def test_a_batch_revoke_with_one_unknown_id_revokes_nothing_and_reports_each_failure(app, client, merchant):
    first, second = _create_token(client, merchant, "first"), _create_token(client, merchant, "second")
    before = _state(client, merchant)
    response = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens/revoke",
        json={"ids": [first["id"], "tok_unknown", second["id"], "tok_also_unknown"]},
        headers=merchant.basic,
    )
    error = _error(response, 422, "validation_error")
    assert [(item["index"], item["code"]) for item in error["errors"]] == [(1, "not_found"), (3, "not_found")]
    assert [item["field"] for item in error["errors"]] == ["ids.1", "ids.3"]
    assert error["field"] == "ids.1"
    assert "tok_unknown" in error["errors"][0]["message"]
    assert _state(client, merchant) == before
    for token in (first, second):
        assert (
            client.get(f"/api/v1/stores/{merchant.store_id}", headers=bearer(token["token"])).status_code
            == 200
        )


def test_a_batch_revoke_of_known_ids_revokes_them_all(client, merchant):
    first, second = _create_token(client, merchant, "first"), _create_token(client, merchant, "second")
    response = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens/revoke",
        json={"ids": [first["id"], second["id"], first["id"]]},
        headers=merchant.basic,
    )
    assert response.status_code == 200
    assert {token["id"] for token in response.json["data"]} == {first["id"], second["id"]}
    assert all(token["revokedAt"] for token in response.json["data"])
    for token in (first, second):
        status = client.get(f"/api/v1/stores/{merchant.store_id}", headers=bearer(token["token"])).status_code
        assert status == 401
    assert client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.bearer).status_code == 200


# OpenAPI


_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _openapi_path(rule: str) -> str:
    """/stores/<store_id> → /stores/{storeId}"""

    def camel(match: re.Match) -> str:
        head, *rest = match.group(1).split("_")
        return "{" + head + "".join(word[:1].upper() + word[1:] for word in rest) + "}"

    return _PARAMETER.sub(camel, rule)


def _missing_from(doc: dict, app) -> list[str]:
    """Each registered /api/v1 route and method the document does not describe."""
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = _openapi_path(rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation_doc = doc["paths"].get(path, {}).get(method.lower())
            if operation_doc is None:
                missing.append(f"{method} {path}")
                continue
            declared = {p["name"] for p in operation_doc.get("parameters", []) if p["in"] == "path"}
            if declared != set(re.findall(r"{(\w+)}", path)):
                missing.append(f"{method} {path} (path parameters {sorted(declared)})")
    return missing


def test_the_openapi_document_is_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json["openapi"] == "3.1.0"
    assert response.json["info"]["title"]


def test_every_registered_api_route_is_in_the_openapi_document(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert _missing_from(doc, app) == []
    assert "/api/v1/stores/{storeId}/tokens/{tokenId}/rotate" in doc["paths"]


def test_the_openapi_document_declares_the_files_routes_answer_with(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]

    def content(path: str, status: str) -> dict:
        return paths[path]["get"]["responses"][status]["content"]

    binary = {"schema": {"type": "string", "format": "binary"}}
    assert content("/api/v1/designs/{designId}/render", "200") == {"application/pdf": binary}
    assert list(content("/api/v1/designs/{designId}/render", "202")) == ["application/json"]
    assert content("/api/v1/projects/{projectId}/render", "200") == {"application/pdf": binary}
    assert content("/api/v1/designs/{designId}/proof", "200") == {"image/png": binary}
    assert content("/api/v1/files/{fileId}/content", "200") == {"*/*": binary}


def test_a_route_left_out_of_the_openapi_document_is_caught(app, client):
    app.add_url_rule("/api/v1/undocumented/<thing_id>", "undocumented", lambda thing_id: "")
    doc = client.get("/api/v1/openapi.json").json
    assert _missing_from(doc, app) == ["GET /api/v1/undocumented/{thingId}"]


def test_the_openapi_document_describes_no_route_that_does_not_exist(app, client):
    doc = client.get("/api/v1/openapi.json").json
    routes = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods
    }
    for path, operations in doc["paths"].items():
        for method in operations:
            assert (path, method) in routes


def test_the_openapi_document_is_generated_from_the_validating_schemas(client):
    doc = client.get("/api/v1/openapi.json").json
    schemas = doc["components"]["schemas"]
    create = doc["paths"]["/api/v1/stores"]["post"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    store_create = schemas[ref.rsplit("/", 1)[1]]
    assert store_create["required"] == ["name"]
    assert store_create["additionalProperties"] is False
    assert "rateLimitPerMinute" in store_create["properties"]
    for responses in (op["responses"] for ops in doc["paths"].values() for op in ops.values()):
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert (
                    response["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Error"
                )
    for path in doc["paths"].values():
        for operation_doc in path.values():
            for media_type, content in (operation_doc.get("requestBody") or {}).get("content", {}).items():
                schema = content["schema"]
                if media_type == "multipart/form-data":  # the form's fields, then its file field
                    schema, files = schema["allOf"]
                    assert files["required"] and files["properties"]
                assert schema["$ref"].rsplit("/", 1)[1] in schemas


@pytest.mark.parametrize(
    ("page_path", "document_path"), [("/api/docs", "/api/v1/openapi.json"), ("/v1/docs", "/v1/openapi.json")]
)
def test_the_reference_pages_draw_their_document_from_this_host_alone(client, page_path, document_path):
    """Each reference page (drawn in the browser: test_api_reference_browser.py) loads its
    script from static/, names its dialect's document, and may start only blob: workers besides."""
    response = client.get(page_path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    loaded = re.findall(r"<(script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*[\"']?([^\"' >]+)", page)
    assert ("script", "/static/vendor/redoc/redoc.standalone.js") in loaded
    for tag, url in loaded:
        assert not re.match(r"(https?:)?//", url, re.IGNORECASE), f"<{tag}> loads {url}"
    assert f'spec-url="{document_path}"' in page
    assert client.get(document_path).status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "worker-src 'self' blob:" in policy and "script-src 'self';" in policy
    assert "worker-src" not in client.get("/login").headers["Content-Security-Policy"]
