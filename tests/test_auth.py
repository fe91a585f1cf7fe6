"""Authentication and authorization: secret tokens (Bearer), account credentials (Basic and the
dashboard session) and publishable tokens, their scopes, revocation, rotation and renewal."""

import base64
import re
import time

import pytest
from sqlalchemy import text

from designer.api.operations import operation
from designer.api.respond import respond
from designer.extensions import csrf, db
from tests.factories import PASSWORD, basic, bearer


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    assert response.json["error"]["code"] == code
    assert response.json["error"]["requestId"] == response.headers["X-Request-Id"]
    return response.json["error"]


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _new_token(client, merchant, scopes: list[str], name: str = "extra") -> dict:
    created = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": name, "scopes": scopes},
        headers=merchant.basic,
    )
    assert created.status_code == 201, created.json
    return created.json


# No or malformed credentials


def test_a_protected_route_without_credentials_answers_401_with_a_challenge(client, merchant):
    response = client.get(f"/api/v1/stores/{merchant.store_id}")
    _error(response, 401, "unauthenticated")
    assert "Bearer" in response.headers["WWW-Authenticate"]
    assert "Basic" in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Token sk_abc",
        "Digest username=someone",
        "Bearer",
        "Bearer ",
        "Bearer pk_not_a_secret_token",
        "Bearer sk_",
        "Basic",
        "Basic !!!not-base64!!!",
        "Basic " + _b64(b"no-colon-here"),
        "Basic " + _b64(b"\xff\xfe:not-utf-8"),
        "Basic caf\xe9",  # a latin-1 byte where base64 belongs
        "Basic " + _b64(b"someone@example.com:pass") + "#",
    ],
)
def test_a_malformed_authorization_header_answers_401(client, merchant, authorization):
    response = client.get("/api/v1/stores", headers={"Authorization": authorization})
    _error(response, 401, "unauthenticated")


def test_an_unknown_secret_token_answers_401(client, merchant):
    response = client.get(f"/api/v1/stores/{merchant.store_id}", headers=bearer("sk_" + "x" * 43))
    _error(response, 401, "unauthenticated")


def test_the_bearer_scheme_is_case_insensitive(client, merchant):
    response = client.get(
        f"/api/v1/stores/{merchant.store_id}", headers={"Authorization": f"bearer {merchant.token}"}
    )
    assert response.status_code == 200


# Secret tokens: revoke, rotate, other stores


def test_a_revoked_token_answers_401(client, merchant):
    token = _new_token(client, merchant, ["full"])
    url = f"/api/v1/stores/{merchant.store_id}"
    assert client.get(url, headers=bearer(token["token"])).status_code == 200
    revoked = client.delete(f"{url}/tokens/{token['id']}", headers=merchant.basic)
    assert revoked.status_code == 200
    assert revoked.json["revokedAt"] is not None
    _error(client.get(url, headers=bearer(token["token"])), 401, "unauthenticated")
    assert client.get(url, headers=merchant.bearer).status_code == 200  # the others keep working


def test_a_revoked_token_cannot_be_brought_back_by_rotating_it(client, merchant):
    token = _new_token(client, merchant, ["full"])
    base = f"/api/v1/stores/{merchant.store_id}/tokens/{token['id']}"
    client.delete(base, headers=merchant.basic)
    _error(client.post(f"{base}/rotate", headers=merchant.basic), 409, "conflict")
    _error(
        client.get(f"/api/v1/stores/{merchant.store_id}", headers=bearer(token["token"])),
        401,
        "unauthenticated",
    )


def test_a_rotated_token_keeps_its_id_and_scopes_and_only_the_new_secret_works(client, merchant):
    token = _new_token(client, merchant, ["read"])
    rotated = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens/{token['id']}/rotate", headers=merchant.basic
    )
    assert rotated.status_code == 200
    assert rotated.json["id"] == token["id"]
    assert rotated.json["scopes"] == ["read"]
    assert rotated.json["token"].startswith("sk_")
    assert rotated.json["token"] != token["token"]
    url = f"/api/v1/stores/{merchant.store_id}"
    _error(client.get(url, headers=bearer(token["token"])), 401, "unauthenticated")
    assert client.get(url, headers=bearer(rotated.json["token"])).status_code == 200


def test_the_tokens_of_a_deleted_store_answer_401(client, merchant):
    deleted = client.delete(f"/api/v1/stores/{merchant.store_id}", headers=merchant.basic)
    assert deleted.status_code == 200
    _error(client.get("/api/v1/stores", headers=merchant.bearer), 401, "unauthenticated")
    _error(
        client.get("/api/v1/stores", headers={"X-Publishable-Token": merchant.publishable}),
        401,
        "unauthenticated",
    )


def test_a_token_of_another_store_answers_404_on_that_stores_id(client, make_merchant):
    mine, theirs = make_merchant(), make_merchant()
    response = client.get(f"/api/v1/stores/{theirs.store_id}", headers=mine.bearer)
    assert _error(response, 404, "not_found")["message"] == f"No store with id '{theirs.store_id}'"


def test_a_secret_token_is_shown_once_and_never_listed(client, merchant):
    token = _new_token(client, merchant, ["full"])
    listed = client.get(f"/api/v1/stores/{merchant.store_id}/tokens", headers=merchant.basic)
    assert token["token"] not in listed.get_data(as_text=True)
    [row] = [item for item in listed.json["data"] if item["id"] == token["id"]]
    assert "token" not in row
    assert row["hint"] == "sk_…" + token["token"][-4:]


def test_secret_tokens_are_stored_only_as_hashes(app, client, merchant):
    token = _new_token(client, merchant, ["full"])
    secrets = [merchant.token, token["token"]]
    with app.app_context():
        rows = db.session.execute(text("SELECT * FROM api_tokens")).mappings().all()
        assert len(rows) == 2
        for row in rows:
            for column, value in row.items():
                for secret in secrets:
                    assert secret not in str(value), f"api_tokens.{column} holds a secret"
                    assert secret.removeprefix("sk_") not in str(value), f"api_tokens.{column}"
        # Nor anywhere else in the database.
        for table in db.metadata.sorted_tables:
            dump = str(db.session.execute(text(f"SELECT * FROM {table.name}")).all())
            for secret in secrets:
                assert secret.removeprefix("sk_") not in dump, f"{table.name} holds a secret"


# Scopes


@pytest.fixture
def product_routes(app):
    """A read and a write operation on `products` open to secret tokens, to exercise scopes.

    Registered on this test's app before it serves a request, so take this fixture before any
    fixture that calls the API (use make_merchant in the test body).
    """

    @operation("Read products (scope probe)", resource="products", auth=("secret",))
    def get_scope_probe(caller):
        return respond({"read": True})

    @operation("Write products (scope probe)", resource="products", auth=("secret",))
    def create_scope_probe(caller):
        return respond({"written": True}, status=201)

    csrf.exempt(create_scope_probe)  # as the api blueprint is: secret tokens carry no CSRF token
    app.add_url_rule("/api/v1/scope-probe", "get_scope_probe", get_scope_probe, methods=["GET"])
    app.add_url_rule("/api/v1/scope-probe", "create_scope_probe", create_scope_probe, methods=["POST"])
    return "/api/v1/scope-probe"


@pytest.mark.parametrize(
    ("scopes", "may_read", "may_write"),
    [
        (["full"], True, True),
        (["read"], True, False),
        (["orders"], False, False),
        (["products:read"], True, False),
        (["products:write"], True, True),
        (["orders:write", "designs:read"], False, False),
    ],
)
def test_a_secret_tokens_scopes_decide_what_it_may_read_and_write(
    product_routes, client, make_merchant, scopes, may_read, may_write
):
    merchant = make_merchant(scopes=scopes)
    read = client.get(product_routes, headers=merchant.bearer)
    write = client.post(product_routes, headers=merchant.bearer)
    assert read.status_code == (200 if may_read else 403)
    assert write.status_code == (201 if may_write else 403)
    for response in (read, write):
        if response.status_code == 403:
            assert "scopes do not allow" in _error(response, 403, "forbidden")["message"]


def test_a_read_only_token_cannot_write(client, make_merchant):
    merchant = make_merchant(scopes=["read"])
    response = client.patch(
        f"/api/v1/stores/{merchant.store_id}", json={"name": "Renamed"}, headers=merchant.bearer
    )
    _error(response, 403, "forbidden")
    assert client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.basic).json["name"] != "Renamed"


def test_an_orders_token_cannot_read_the_store(client, make_merchant):
    merchant = make_merchant(scopes=["orders"])
    response = client.get(f"/api/v1/stores/{merchant.store_id}", headers=merchant.bearer)
    assert "scopes do not allow read access to stores" in _error(response, 403, "forbidden")["message"]
    _error(client.get("/api/v1/stores", headers=merchant.bearer), 403, "forbidden")


def test_a_secret_token_cannot_manage_tokens(client, merchant):
    response = client.post(
        f"/api/v1/stores/{merchant.store_id}/tokens",
        json={"name": "escalated", "scopes": ["full"]},
        headers=merchant.bearer,
    )
    _error(response, 403, "forbidden")


# Basic


def test_basic_credentials_with_the_wrong_password_answer_401(client, merchant):
    response = client.get("/api/v1/account", headers=basic(merchant.email, PASSWORD + "x"))
    wrong_password = _error(response, 401, "unauthenticated")
    unknown = _error(
        client.get("/api/v1/account", headers=basic("nobody@example.com", PASSWORD)), 401, "unauthenticated"
    )
    assert wrong_password["message"] == unknown["message"]  # no hint about which accounts exist


def test_basic_credentials_accept_the_email_in_any_case(client, merchant):
    response = client.get("/api/v1/account", headers=basic(merchant.email.upper(), PASSWORD))
    assert response.status_code == 200
    assert response.json["email"] == merchant.email


def test_a_password_may_contain_a_colon(client):
    password = "Pa:ss-w0rd:"
    client.post("/api/v1/account", json={"name": "Colon", "email": "colon@example.com", "password": password})
    assert client.get("/api/v1/account", headers=basic("colon@example.com", password)).status_code == 200


def test_basic_credentials_with_a_nul_character_answer_401(client, merchant):
    auth = {"Authorization": "Basic " + _b64(f"{merchant.email}\x00:{PASSWORD}".encode())}
    _error(client.get("/api/v1/account", headers=auth), 401, "unauthenticated")


# Publishable tokens


def test_a_publishable_token_reads_its_store(client, merchant):
    response = client.get(
        f"/api/v1/stores/{merchant.store_id}", headers={"X-Publishable-Token": merchant.publishable}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/account"),
        ("GET", "/api/v1/stores"),
        ("GET", "/api/v1/stores/count"),
        ("GET", "/api/v1/stores/{store}/tokens"),
        ("POST", "/api/v1/stores/{store}/tokens"),
        ("PATCH", "/api/v1/stores/{store}"),
        ("POST", "/api/v1/stores/{store}/publishable-token/renew"),
    ],
)
def test_a_publishable_token_on_a_secret_or_account_route_answers_403(client, merchant, method, path):
    response = client.open(
        path.format(store=merchant.store_id),
        method=method,
        json={"name": "x", "scopes": ["full"]} if method != "GET" else None,
        headers={"X-Publishable-Token": merchant.publishable},
    )
    _error(response, 403, "forbidden")


@pytest.mark.parametrize("value", ["pk_unknown", "", "sk_looks_secret", "pk_\x00"])
def test_an_unknown_publishable_token_answers_401(client, merchant, value):
    response = client.get(f"/api/v1/stores/{merchant.store_id}", headers={"X-Publishable-Token": value})
    _error(response, 401, "unauthenticated")


def test_renewing_the_publishable_token_makes_the_old_one_answer_401(client, merchant):
    url = f"/api/v1/stores/{merchant.store_id}"
    renewed = client.post(f"{url}/publishable-token/renew", headers=merchant.basic)
    assert renewed.status_code == 200
    new = renewed.json["publishableToken"]
    assert new.startswith("pk_") and new != merchant.publishable
    _error(client.get(url, headers={"X-Publishable-Token": merchant.publishable}), 401, "unauthenticated")
    assert client.get(url, headers={"X-Publishable-Token": new}).status_code == 200
    shown = client.get(f"{url}/publishable-token", headers=merchant.basic)
    assert shown.json == {"publishableToken": new}


# The dashboard session


def _log_in(client, email: str) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/login").get_data(as_text=True)
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page).group(0)
    csrf = re.search(r'value="([^"]+)"', field).group(1)
    logged_in = client.post("/login", data={"csrf_token": csrf, "email": email, "password": PASSWORD})
    assert logged_in.status_code == 302
    return csrf


def test_a_dashboard_session_reads_freely_but_writes_only_with_its_csrf_token(app, merchant):
    browser = app.test_client()
    csrf = _log_in(browser, merchant.email)
    assert browser.get("/api/v1/account").json["email"] == merchant.email
    refused = browser.post("/api/v1/stores", json={"name": "Forged"})
    assert "CSRF" in _error(refused, 403, "forbidden")["message"]
    created = browser.post("/api/v1/stores", json={"name": "Mine"}, headers={"X-CSRFToken": csrf})
    assert created.status_code == 201
    names = [store["name"] for store in browser.get("/api/v1/stores").json["data"]]
    assert "Forged" not in names and "Mine" in names


# Password policy


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("Sh0rt-x", "at least 8 characters"),
        ("lower-case-1", "an upper-case letter"),
        ("UPPER-CASE-1", "a lower-case letter"),
        ("No-digits-here", "a digit"),
        ("NoSymbols123", "a symbol"),
        ("Spaces Are Not 5ymbols", "a symbol"),
        ("", "at least 8 characters"),
    ],
)
def test_each_missing_password_rule_is_a_422_naming_the_password(app, client, password, missing):
    response = client.post(
        "/api/v1/account", json={"name": "Weak", "email": "weak@example.com", "password": password}
    )
    error = _error(response, 422, "validation_error")
    assert error["field"] == "password"
    assert missing in error["message"]
    with app.app_context():
        assert db.session.execute(text("SELECT count(*) FROM accounts")).scalar() == 0


@pytest.mark.parametrize("password", ["lower-case-1", "NoSymbols123"])
def test_changing_to_a_weak_password_is_refused_and_the_old_one_keeps_working(client, merchant, password):
    response = client.patch("/api/v1/account", json={"password": password}, headers=merchant.basic)
    assert _error(response, 422, "validation_error")["field"] == "password"
    assert client.get("/api/v1/account", headers=merchant.basic).status_code == 200
    _error(client.get("/api/v1/account", headers=basic(merchant.email, password)), 401, "unauthenticated")


def test_a_password_that_meets_every_rule_is_accepted_and_can_be_changed(client, merchant):
    changed = client.patch("/api/v1/account", json={"password": "N3w-passphrase"}, headers=merchant.basic)
    assert changed.status_code == 200
    _error(client.get("/api/v1/account", headers=merchant.basic), 401, "unauthenticated")
    assert client.get("/api/v1/account", headers=basic(merchant.email, "N3w-passphrase")).status_code == 200


# Log-in limits


def _login_page_csrf(client) -> str:
    field = re.search(r'<input[^>]*name="csrf_token"[^>]*>', client.get("/login").text).group(0)
    return re.search(r'value="([^"]+)"', field).group(1)


def _try_log_in(client, csrf: str, email: str, password: str):
    return client.post("/login", data={"csrf_token": csrf, "email": email, "password": password})


def test_a_sixth_log_in_after_five_wrong_passwords_is_refused_with_429_even_with_the_right_password(
    app, merchant
):
    browser = app.test_client()
    csrf = _login_page_csrf(browser)
    for _ in range(5):
        assert _try_log_in(browser, csrf, merchant.email, "Wr0ng-password").status_code == 401

    refused = _try_log_in(browser, csrf, merchant.email, PASSWORD)

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Too many wrong passwords for this email address. Try again in 15 minutes." in refused.text
    assert 'name="email"' in refused.text  # the log-in page again, with the message
    assert browser.get("/dashboard/").status_code == 302  # and no session


def test_looking_at_the_log_in_page_with_head_is_no_attempt(app, merchant):
    browser = app.test_client()
    for _ in range(60):  # more than the limit per address
        assert browser.head("/login").status_code == 200
    csrf = _login_page_csrf(browser)
    assert _try_log_in(browser, csrf, merchant.email, PASSWORD).status_code == 302


def test_a_refused_email_reads_the_same_whether_or_not_it_has_an_account(app, merchant):
    browser = app.test_client()
    csrf = _login_page_csrf(browser)
    answers = []
    for email in (merchant.email, "nobody-here@example.com"):
        for _ in range(5):
            _try_log_in(browser, csrf, email, "Wr0ng-password")
        answer = _try_log_in(browser, csrf, email, "Wr0ng-password")
        answers.append((answer.status_code, re.search(r'id="login-error">([^<]*)<', answer.text).group(1)))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_wrong_passwords_for_one_email_leave_another_email_free_to_log_in(app, make_merchant):
    guessed, other = make_merchant("Guessed"), make_merchant("Other")
    browser = app.test_client()
    csrf = _login_page_csrf(browser)
    for _ in range(6):
        _try_log_in(browser, csrf, guessed.email, "Wr0ng-password")

    logged_in = _try_log_in(browser, csrf, other.email, PASSWORD)

    assert logged_in.status_code == 302
    assert logged_in.headers["Location"].endswith("/dashboard/")


def test_the_right_password_works_again_once_the_window_has_passed(app, merchant):
    app.config["LOGIN_WINDOW_S"] = 1
    browser = app.test_client()
    csrf = _login_page_csrf(browser)
    for _ in range(5):
        _try_log_in(browser, csrf, merchant.email, "Wr0ng-password")
    assert _try_log_in(browser, csrf, merchant.email, PASSWORD).status_code == 429
    keys = app.extensions["redis"].keys("presswork:login-failures:email:*")

    # The window's end is Redis's to decide (the count expires): wait on that, not on a clock.
    redis = app.extensions["redis"]
    deadline = time.monotonic() + 10
    while any(redis.exists(key) for key in keys) and time.monotonic() < deadline:
        time.sleep(0.05)

    assert _try_log_in(browser, csrf, merchant.email, PASSWORD).status_code == 302


def test_failures_from_one_address_are_limited_more_loosely_across_emails(app):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 8
    browser = app.test_client()
    csrf = _login_page_csrf(browser)
    statuses = [
        _try_log_in(browser, csrf, f"guess{number}@example.com", "Wr0ng-password").status_code
        for number in range(9)
    ]
    assert statuses == [401] * 8 + [429]
    refused = _try_log_in(browser, csrf, "yet-another@example.com", "Wr0ng-password")
    assert "Too many wrong passwords from your network." in refused.text


def test_wrong_basic_passwords_count_with_the_log_in_forms_and_are_refused_with_429(client, merchant):
    for _ in range(5):
        assert (
            client.get("/api/v1/stores", headers=basic(merchant.email, "Wr0ng-password")).status_code == 401
        )

    refused = client.get("/api/v1/stores", headers=merchant.basic)

    error = _error(refused, 429, "rate_limited")
    assert error["message"].startswith("Too many wrong passwords for this email address.")
    assert "Retry-After" in refused.headers


def test_the_remember_cookie_is_secure_http_only_and_same_site_in_production_config(monkeypatch, tmp_path):
    from designer import config

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    production = config.from_environment(str(tmp_path))

    assert production["REMEMBER_COOKIE_SECURE"] is True
    assert production["REMEMBER_COOKIE_HTTPONLY"] is True
    assert production["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_behind_https_the_session_cookie_is_partitioned_so_a_shops_frame_keeps_its_own(
    monkeypatch, tmp_path, app_config
):
    from designer import config, create_app

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    production = config.from_environment(str(tmp_path))
    assert production["SESSION_COOKIE_SAMESITE"] == "None"
    assert production["SESSION_COOKIE_PARTITIONED"] is True
    monkeypatch.delenv("SESSION_COOKIE_SECURE")
    assert config.from_environment(str(tmp_path))["SESSION_COOKIE_SAMESITE"] == "Lax"

    app = create_app(app_config | config.session_cookie(secure=True))
    client = app.test_client()
    page = client.get("/login")
    cookie = page.headers["Set-Cookie"]
    assert "Secure" in cookie and "SameSite=None" in cookie and "Partitioned" in cookie
    assert "HttpOnly" in cookie


def test_keep_me_logged_in_sets_a_remember_cookie_with_secure_and_same_site(
    app_config, merchant, monkeypatch
):
    from designer import create_app

    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    production = create_app(app_config)
    browser = production.test_client()
    csrf = _login_page_csrf(browser)
    logged_in = browser.post(
        "/login", data={"csrf_token": csrf, "email": merchant.email, "password": PASSWORD, "remember": "1"}
    )
    with production.app_context():
        db.engine.dispose()
    cookie = next(
        value for value in logged_in.headers.getlist("Set-Cookie") if value.startswith("remember_token=")
    )
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
