"""The dashboard's Files page: listing a store's files, uploading through htmx (the new row, or the
form again with every reason preflight refused the file), and another account's store."""

import re

import pytest
from markupsafe import escape

from designer.files.models import File
from tests.factories import SCRIPTED_SVG as SVG
from tests.factories import ZIP, Browser, count, multipart, open_dashboard, png

MOCKUP = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
    b'<rect width="400" height="300" fill="#eee"/></svg>'
)


@pytest.fixture
def dashboard(app) -> tuple[Browser, str]:
    """A signed-up merchant's browser with a store, on its Files page (holding the page's CSRF token)."""
    return open_dashboard(app, "files")


def htmx_upload(browser: Browser, store_id: str, data: bytes, filename: str, purpose: str = "mockup"):
    return browser.client.post(
        "/api/v1/files/upload",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
        **multipart({"file": (data, filename), "purpose": purpose}),
    )


def test_the_files_page_lists_the_stores_files_newest_first_with_an_upload_form(dashboard):
    browser, store_id = dashboard
    assert htmx_upload(browser, store_id, png(), "first.png", "background").status_code == 201
    assert htmx_upload(browser, store_id, MOCKUP, "second.svg").status_code == 201

    page = browser.get(f"/dashboard/stores/{store_id}/files")

    assert '<a href="/dashboard/stores/' + store_id + '/files" aria-current="page">Files</a>' in page.text
    nav = page.text[page.text.index('aria-label="Store sections"') :]
    assert nav.index(">Clipart<") < nav.index(">Files<") < nav.index(">Projects<")
    assert f'hx-headers=\'{{"X-Store-Id": "{store_id}"}}\'' in page.text
    assert 'hx-encoding="multipart/form-data"' in page.text
    assert '<label for="file-file">Image, PDF or colour profile</label>' in page.text
    assert '<label for="file-purpose">Used as</label>' in page.text
    assert page.text.index("second.svg") < page.text.index("first.png")
    assert "Mockup" in page.text and "Background" in page.text and "400×300 px" in page.text
    thumbnails = re.findall(r'<img src="(/api/v1/files/fil_\w+/thumbnail\?storeId=sto_\w+)"', page.text)
    assert len(thumbnails) == 2
    assert browser.client.get(thumbnails[0]).status_code == 200  # the session's own store

    mockups = browser.get(f"/dashboard/stores/{store_id}/files?purpose=mockup")
    assert "second.svg" in mockups.text and "first.png" not in mockups.text
    assert '?purpose=mockup" aria-current="page">Mockup</a>' in mockups.text


def test_load_more_answers_the_next_rows_as_a_partial(dashboard):
    browser, store_id = dashboard
    for index in range(3):
        assert htmx_upload(browser, store_id, png(), f"image-{index}.png").status_code == 201
    page = browser.get(f"/dashboard/stores/{store_id}/files?limit=2")
    assert "Load more files" in page.text and "image-0.png" not in page.text
    more = re.search(r'hx-get="([^"]+)"', page.text)[1].replace("&amp;", "&")

    response = browser.client.get(more, headers={"HX-Request": "true", "X-Store-Id": store_id})

    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "image-0.png" in response.text and "Load more" not in response.text


def test_an_htmx_upload_answers_the_new_row_with_its_preflight_warnings(app, dashboard):
    browser, store_id = dashboard

    response = htmx_upload(browser, store_id, SVG, "badge.svg")

    assert response.status_code == 201, response.text
    assert response.text.lstrip().startswith("<form")  # a fresh form replaces the used one
    assert '<option value="mockup" selected>' in response.text  # keeping the purpose
    assert 'hx-swap-oob="afterbegin:#file-list"' in response.text
    assert re.search(r'<li id="file-fil_\w+">', response.text)
    assert "badge.svg" in response.text and "preflight: " in response.text and "Warning: " in response.text
    assert "uploaded with preflight warnings" in response.text
    assert count(app, File) == 1


def test_a_refused_file_re_renders_the_form_with_every_reason(app, client, merchant, dashboard):
    browser, store_id = dashboard
    reasons = client.post(
        "/api/v1/files/upload", headers=merchant.bearer, **multipart({"file": (ZIP, "archive.png")})
    ).json["error"]["errors"]

    response = htmx_upload(browser, store_id, ZIP, "archive.png")

    assert response.status_code == 422
    assert response.text.lstrip().startswith("<form") and 'aria-invalid="true"' in response.text
    assert reasons and all(str(escape(reason["message"])) in response.text for reason in reasons)
    assert count(app, File) == 0


def test_an_upload_without_a_file_says_so_beside_the_file_field(dashboard):
    browser, store_id = dashboard
    response = browser.client.post(
        "/api/v1/files/upload",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
        **multipart({"purpose": "mockup"}),
    )

    assert response.status_code == 422
    assert 'id="file-file-note"' in response.text and "is required" in response.text


def test_deleting_a_file_through_htmx_removes_it(app, dashboard):
    browser, store_id = dashboard
    created = htmx_upload(browser, store_id, png(), "gone.png")
    file_id = re.search(r'id="file-(fil_\w+)"', created.text)[1]
    assert f'hx-delete="/api/v1/files/{file_id}"' in created.text

    response = browser.client.delete(
        f"/api/v1/files/{file_id}",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
    )

    assert response.status_code == 200 and response.mimetype == "text/html"
    assert count(app, File) == 0


def test_another_accounts_store_is_a_404_page(dashboard, merchant):
    browser, _ = dashboard

    response = browser.client.get(
        f"/dashboard/stores/{merchant.store_id}/files", headers={"Accept": "text/html"}
    )

    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "<h1>Not found</h1>" in response.text


def test_the_side_editor_links_to_the_files_page(app, dashboard):
    browser, store_id = dashboard
    product = browser.client.post(
        "/api/v1/products",
        json={"name": "Mug", "dimensionUnit": "mm"},
        headers={"X-Store-Id": store_id, "X-CSRFToken": browser.page_csrf},
    )
    assert product.status_code == 201, product.text
    side = browser.client.post(
        f"/api/v1/products/{product.json['id']}/sides",
        json={"name": "Front", "width": 90, "height": 50},
        headers={"X-Store-Id": store_id, "X-CSRFToken": browser.page_csrf},
    )
    assert side.status_code == 201, side.text

    page = browser.get(f"/dashboard/stores/{store_id}/products/{product.json['id']}/sides/{side.json['id']}")

    assert page.status_code == 200, page.text
    assert f'href="/dashboard/stores/{store_id}/files?purpose=mockup">Upload a mockup' in page.text
