"""A shop that embeds the editor (designer/web/shop.py): the return URL and reference it gives are
checked against the store's shop origins and rules, refused with a plain page otherwise, never
followed elsewhere; Save's answer carries the message for the shop's exact origin and the way back."""

import html
import json
import re
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import pytest

from designer.cli import DEMO_EMAIL, DEMO_PASSWORD
from tests.factories import FORM_CSRF, HTML, basic
from tests.test_editor import get_page, started_design_id

SHOP = "https://shop.example"
RETURN_URL = "https://shop.example/cards/classic?colour=blue"


@pytest.fixture
def shop(client, demo) -> dict:
    """The demo store with https://shop.example and a local shop named as its shop origins."""
    named = client.patch(
        f"/api/v1/stores/{demo['store_id']}",
        json={"shopOrigins": [SHOP, "http://127.0.0.1:8001"]},
        headers=basic(DEMO_EMAIL, DEMO_PASSWORD),
    )
    assert named.status_code == 200, named.text
    return demo


def product_page(store_id: str, **query) -> str:
    path = f"/editor/stores/{store_id}/products/business-card"
    return f"{path}?{urlencode(query)}" if query else path


def personalize_from_shop(client, store_id: str, **query):
    """Open the product's editor page with the shop's query and press "Personalize" (the form
    posts to the page's own address, query and all)."""
    page = get_page(client, product_page(store_id, **query))
    assert page.status_code == 200, page.text
    token = FORM_CSRF.search(page.text)[1]
    return client.post(product_page(store_id, **query), data={"csrf_token": token}, headers={"Accept": HTML})


def from_shop(client, store_id: str, **query) -> str:
    """The design a customer starts from the shop's page, by personalize_from_shop."""
    return started_design_id(personalize_from_shop(client, store_id, **query))


def save(client, demo, design_id: str):
    """Press Save in the editor on `design_id`: (the project's id, the answer htmx gets)."""
    page = get_page(client, f"/editor/designs/{design_id}")
    project_id = re.search(r'hx-post="/api/v1/projects/(prj_\w+)/complete"', page.text)[1]
    saved = client.post(
        f"/api/v1/projects/{project_id}/complete",
        headers={"HX-Request": "true", "X-Publishable-Token": demo["publishable"]},
    )
    assert saved.status_code == 200, saved.text
    return project_id, saved


def told_to_shop(answer) -> tuple[str, dict, str]:
    """What Save's answer tells the shop: (the origin, the message, the link back)."""
    found = re.search(
        r'<p class="shop-return" data-shop-origin="([^"]*)" data-shop-message=\'([^\']*)\'>\s*'
        r'<a href="([^"]*)" target="_top">Back to the shop</a>',
        answer.text,
    )
    assert found, answer.text
    return found[1], json.loads(html.unescape(found[2])), html.unescape(found[3])


def test_save_tells_the_shop_the_project_its_designs_and_its_reference(client, shop):
    design_id = from_shop(client, shop["store_id"], returnUrl=RETURN_URL, ref="line-7")
    project_id, saved = save(client, shop, design_id)
    origin, message, back = told_to_shop(saved)

    assert origin == SHOP
    designs = client.get(
        f"/api/v1/projects/{project_id}/designs", headers={"Authorization": f"Bearer {shop['secret']}"}
    ).json["data"]
    assert len(designs) == 2 and design_id in {design["id"] for design in designs}
    assert message == {
        "type": "presswork.saved",
        "projectId": project_id,
        "ref": "line-7",
        "designs": [
            {"id": design["id"], "previewUrl": f"http://localhost/api/v1/designs/{design['id']}/preview"}
            for design in message["designs"]
        ],
    }
    assert {design["id"] for design in message["designs"]} == {design["id"] for design in designs}

    parts = urlsplit(back)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://shop.example/cards/classic"
    query = parse_qsl(parts.query)
    assert query[:3] == [("colour", "blue"), ("projectId", project_id), ("ref", "line-7")]
    assert [value for name, value in query if name == "designId"] == [d["id"] for d in message["designs"]]
    assert [value for name, value in query if name == "previewUrl"] == [
        d["previewUrl"] for d in message["designs"]
    ]


def test_the_json_answer_and_a_save_without_a_shop_say_nothing_to_a_shop(client, shop):
    design_id = started_design_id(personalize_from_shop(client, shop["store_id"]))
    _, saved = save(client, shop, design_id)
    assert "Saved." in saved.text
    assert "shop-return" not in saved.text and "Back to the shop" not in saved.text

    shop_design = started_design_id(personalize_from_shop(client, shop["store_id"], returnUrl=RETURN_URL))
    page = get_page(client, f"/editor/designs/{shop_design}")
    project_id = re.search(r'hx-post="/api/v1/projects/(prj_\w+)/complete"', page.text)[1]
    as_json = client.post(
        f"/api/v1/projects/{project_id}/complete", headers={"X-Publishable-Token": shop["publishable"]}
    )
    assert as_json.status_code == 200
    assert set(as_json.json) == {"project", "designs"}


def test_the_editor_page_shop_script_is_loaded_for_customers(client, shop):
    design_id = started_design_id(personalize_from_shop(client, shop["store_id"], returnUrl=RETURN_URL))
    page = get_page(client, f"/editor/designs/{design_id}")
    assert '<script src="/static/js/shop.js" defer></script>' in page.text
    example = client.get("/static/examples/shop.html")
    assert example.status_code == 200
    example.close()


def test_a_shop_reopening_a_project_gives_its_return_on_the_design_page(client, shop):
    design_id = started_design_id(personalize_from_shop(client, shop["store_id"]))
    query = urlencode({"returnUrl": "http://127.0.0.1:8001/shop.html", "ref": "gid://shop/Line/9"})
    assert get_page(client, f"/editor/designs/{design_id}?{query}").status_code == 200
    _, saved = save(client, shop, design_id)
    origin, message, back = told_to_shop(saved)
    assert origin == "http://127.0.0.1:8001"
    assert message["ref"] == "gid://shop/Line/9"
    assert back.startswith("http://127.0.0.1:8001/shop.html?projectId=")


def test_a_return_on_the_default_port_is_the_shops_origin(client, shop):
    design_id = started_design_id(
        personalize_from_shop(client, shop["store_id"], returnUrl="HTTPS://Shop.Example:443/cart")
    )
    origin, message, back = told_to_shop(save(client, shop, design_id)[1])
    assert origin == SHOP
    assert message["ref"] is None
    assert back.startswith("https://Shop.Example:443/cart?projectId=")
    assert "ref" not in parse_qs(urlsplit(back).query)


@pytest.mark.parametrize(
    "return_url",
    [
        "https://evil.example/cards",
        "https://shop.example.evil.example/cards",
        "https://shop.example@evil.example/cards",
        "https://evil.example@shop.example/cards",
        "https://shop.example\\@evil.example/cards",
        "//evil.example/cards",
        "/cards",
        "javascript:alert(document.domain)//https://shop.example",
        "data:text/html,<script>alert(1)</script>",
        "http://shop.example/cards",  # the shop is https only
        "https://shop.example:8443/cards",
        "https://shop.example:0/cards",
        "https://shop.example/cards\nLocation: https://evil.example",
        "https://shop.example/ca rds",
        'https://shop.example/"><script>alert(1)</script>',
        "https://shop.example/" + "a" * 500,
        "",
    ],
)
def test_a_return_url_off_the_shops_origins_is_refused_with_a_plain_page(client, shop, return_url):
    for refused in (
        get_page(client, product_page(shop["store_id"], returnUrl=return_url)),
        personalize_from_shop_refused(client, shop["store_id"], returnUrl=return_url),
    ):
        assert refused.status_code == 422
        assert "Location" not in refused.headers
        assert "returnUrl must be a page on one of the store&#39;s shop addresses" in refused.text
        assert "evil.example" not in refused.text and "<script>alert" not in refused.text


def personalize_from_shop_refused(client, store_id: str, **query):
    """Press "Personalize" on a page opened without the shop's query, then post with it."""
    token = FORM_CSRF.search(get_page(client, product_page(store_id)).text)[1]
    return client.post(product_page(store_id, **query), data={"csrf_token": token}, headers={"Accept": HTML})


@pytest.mark.parametrize(
    "ref", ["", "line 7", "<script>alert(1)</script>", "line-7&projectId=prj_x", "ü", "a" * 65]
)
def test_a_bad_reference_is_refused_with_a_plain_page(client, shop, ref):
    refused = get_page(client, product_page(shop["store_id"], returnUrl=RETURN_URL, ref=ref))
    assert refused.status_code == 422
    assert "The shop&#39;s ref must be 1 to 64 letters, digits, or - _ . : /" in refused.text
    assert "<script>alert" not in refused.text


def test_a_reference_without_a_return_url_is_refused(client, shop):
    refused = get_page(client, product_page(shop["store_id"], ref="line-7"))
    assert refused.status_code == 422
    assert "give that too" in refused.text


def test_no_return_url_is_allowed_while_the_store_names_no_shop(client, demo):
    refused = get_page(client, product_page(demo["store_id"], returnUrl=RETURN_URL))
    assert refused.status_code == 422
    assert "shop addresses" in refused.text


def test_a_bad_return_on_the_design_page_is_refused_and_a_later_save_tells_no_shop(client, shop):
    design_id = started_design_id(personalize_from_shop(client, shop["store_id"]))
    query = urlencode({"returnUrl": "https://evil.example/"})
    assert get_page(client, f"/editor/designs/{design_id}?{query}").status_code == 422
    _, saved = save(client, shop, design_id)
    assert "shop-return" not in saved.text


def test_only_the_latest_projects_keep_their_return(client, shop):
    from designer.web.shop import MAX_REMEMBERED

    started = [
        from_shop(client, shop["store_id"], returnUrl=RETURN_URL, ref=f"line-{n}")
        for n in range(MAX_REMEMBERED + 1)
    ]
    assert "shop-return" not in save(client, shop, started[0])[1].text
    assert told_to_shop(save(client, shop, started[-1])[1])[1]["ref"] == f"line-{MAX_REMEMBERED}"
