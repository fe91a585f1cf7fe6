"""Clipart through the API and the dashboard: upload (SVG sanitized by preflight, PNG), batch
upload (all or nothing), lists by category, tag and library, counts, get, file, update, delete,
batch delete; single-colour SVGs are recolorable; tenant isolation on every route."""

import io
import re

import pytest
from PIL import Image

from designer.categories.models import Category
from designer.extensions import db
from designer.files.models import File
from designer.library.clipart_svg import inspect_svg
from designer.library.default_library import CLIPART_TAGS, DEFAULT_CLIPART
from designer.library.models import Clipart
from designer.tenancy import across_stores
from tests.factories import (
    STAR,
    WITH_SCRIPT,
    Browser,
    assert_not_found,
    library_requests,
    multipart,
    open_dashboard,
    two_pages,
)
from tests.factories import upload_clipart as upload

TWO_COLOURS = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20">'
    b'<rect width="20" height="20" fill="#000"/><rect x="20" width="20" height="20" fill="#ffcc00"/></svg>'
)


def png(width_px: int = 64, height_px: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width_px, height_px), (11, 92, 173, 255)).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 10, 10)).save(out, "JPEG")
    return out.getvalue()


def upload_batch(client, headers: dict, files: list[tuple[bytes, str]], field: str = "files[]", **fields):
    return client.post("/api/v1/clipart/batch", headers=headers, **multipart({field: files, **fields}))


def make_category(app, store_id: str, name: str = "Holidays") -> str:
    with app.app_context():
        category = Category(store_id=store_id, name=name, slug=name.lower())
        db.session.add(category)
        db.session.commit()
        return category.id


def uploaded_count(app, model, store_id: str) -> int:
    with app.app_context():
        statement = db.select(db.func.count()).select_from(model).where(model.store_id == store_id)
        if model is Clipart:
            statement = statement.where(Clipart.library.is_(False))
        return db.session.scalar(across_stores(statement))


# Upload


def test_uploading_a_single_colour_svg_makes_a_recolorable_clipart(client, merchant):
    response = upload(client, merchant.bearer)

    assert response.status_code == 201, response.json
    clipart = response.json
    assert clipart["id"].startswith("clp_") and clipart["fileId"].startswith("fil_")
    assert clipart["name"] == "gold star"
    assert (clipart["format"], clipart["widthPx"], clipart["heightPx"]) == ("svg", 24, 24)
    assert clipart["recolorable"] is True and clipart["color"] == "#d7263d"
    assert clipart["library"] is False and clipart["tags"] == [] and clipart["categoryIds"] == []
    assert clipart["fileUrl"] == f"/api/v1/clipart/{clipart['id']}/file?storeId={merchant.store_id}"


def test_a_clipart_in_several_colours_is_not_recolorable(client, merchant):
    response = upload(client, merchant.bearer, TWO_COLOURS, "flag.svg")

    assert response.status_code == 201
    assert response.json["recolorable"] is False and response.json["color"] is None


def test_an_uploaded_svg_is_kept_as_preflight_sanitized_it_and_served_locked_down(client, merchant):
    clipart = upload(client, merchant.bearer, WITH_SCRIPT, "dot.svg").json

    response = client.get(clipart["fileUrl"], headers=merchant.bearer)

    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<circle" in response.data
    assert b"script" not in response.data and b"onclick" not in response.data
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert clipart["recolorable"] is True and clipart["color"] == "currentColor"


def test_uploading_a_png(client, merchant):
    data = png()

    response = upload(client, merchant.bearer, data, "logo.png")

    assert response.status_code == 201, response.json
    assert (response.json["format"], response.json["widthPx"], response.json["heightPx"]) == ("png", 64, 32)
    assert response.json["recolorable"] is False
    file = client.get(response.json["fileUrl"], headers=merchant.bearer)
    assert file.data == data and file.mimetype == "image/png"
    assert "Content-Security-Policy" not in file.headers


def test_name_categories_and_tags_can_be_given_with_the_upload(app, client, merchant):
    category_id = make_category(app, merchant.store_id)

    response = upload(
        client, merchant.bearer, name="Gold star", categoryIds=[category_id], tags=["Shapes", "gold"]
    )

    assert response.status_code == 201, response.json
    assert response.json["name"] == "Gold star"
    assert response.json["categoryIds"] == [category_id]
    assert response.json["tags"] == ["shapes", "gold"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"just text, renamed\n", "star.svg", "must be an SVG or PNG image"),
        (jpeg(), "photo.jpg", "must be an SVG or PNG image"),
        (b"%PDF-1.7\n%...", "doc.png", "must be an SVG or PNG image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect', "broken.svg", "failed preflight"),
        (b"", "empty.svg", "must be an SVG or PNG image"),
    ],
    ids=["text", "jpeg", "pdf", "broken-svg", "empty"],
)
def test_files_that_are_not_svg_or_png_clipart_are_refused_naming_the_file_field(
    app, client, merchant, data, filename, message
):
    response = upload(client, merchant.bearer, data, filename)

    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "file"
    assert message in response.json["error"]["message"]
    assert uploaded_count(app, Clipart, merchant.store_id) == 0
    assert uploaded_count(app, File, merchant.store_id) == 0


def test_a_category_of_another_store_is_refused_naming_its_index(app, client, merchant, make_merchant):
    other = make_merchant("Other")
    mine, theirs = make_category(app, merchant.store_id), make_category(app, other.store_id)

    response = upload(client, merchant.bearer, categoryIds=[mine, theirs])

    assert response.status_code == 422
    assert response.json["error"]["field"] == "categoryIds.1"
    assert uploaded_count(app, Clipart, merchant.store_id) == 0
    assert uploaded_count(app, File, merchant.store_id) == 0


@pytest.mark.parametrize("field", ["library", "recolorable", "fileId", "storageKey"])
def test_upload_refuses_fields_that_are_not_the_callers_to_set(app, client, merchant, field):
    response = upload(client, merchant.bearer, **{field: "true"})

    assert response.status_code == 422 and response.json["error"]["field"] == field
    assert uploaded_count(app, Clipart, merchant.store_id) == 0


def test_upload_without_a_file_or_as_json_is_refused(client, merchant):
    missing = client.post("/api/v1/clipart", headers=merchant.bearer, **multipart({"name": "x"}))
    as_json = client.post("/api/v1/clipart", json={"name": "x"}, headers=merchant.bearer)

    assert missing.status_code == 422 and missing.json["error"]["field"] == "file"
    assert as_json.status_code == 415


def test_publishable_and_read_only_callers_cannot_upload_but_can_read(client, merchant, make_merchant):
    reader = make_merchant(scopes=["read"])
    publishable = {"X-Publishable-Token": merchant.publishable}

    assert upload(client, publishable).status_code == 403
    assert upload(client, reader.bearer).status_code == 403
    assert upload(client, {}).status_code == 401
    assert client.get("/api/v1/clipart", headers=publishable).status_code == 200
    assert client.get("/api/v1/clipart", headers=reader.bearer).status_code == 200
    assert client.get(f"/api/v1/clipart?storeId={merchant.store_id}").status_code == 200


# Batch upload


def test_batch_upload_adds_every_file(client, merchant):
    response = upload_batch(
        client, merchant.bearer, [(STAR, "star.svg"), (png(), "logo.png")], tags=["brand"]
    )

    assert response.status_code == 201, response.json
    assert [(item["name"], item["format"], item["tags"]) for item in response.json["data"]] == [
        ("star", "svg", ["brand"]),
        ("logo", "png", ["brand"]),
    ]
    assert client.get("/api/v1/clipart/count?library=false", headers=merchant.bearer).json["count"] == 2


def test_batch_upload_is_all_or_nothing_with_an_error_per_file(app, client, merchant):
    files = [(STAR, "star.svg"), (b"not an image", "notes.svg"), (TWO_COLOURS, "flag.svg"), (jpeg(), "x.jpg")]

    response = upload_batch(client, merchant.bearer, files, field="files")

    assert response.status_code == 422, response.json
    error = response.json["error"]
    assert error["field"] == "files.1" and "nothing was changed" in error["message"]
    assert [item["field"] for item in error["errors"]] == ["files.1", "files.3"]
    assert uploaded_count(app, Clipart, merchant.store_id) == 0
    assert uploaded_count(app, File, merchant.store_id) == 0


def test_batch_upload_refuses_a_category_of_another_store_once_for_all_files(
    app, client, merchant, make_merchant
):
    theirs = make_category(app, make_merchant("Other").store_id)

    response = upload_batch(client, merchant.bearer, [(STAR, "a.svg"), (STAR, "b.svg")], categoryIds=[theirs])

    assert response.status_code == 422 and response.json["error"]["field"] == "categoryIds.0"
    assert uploaded_count(app, Clipart, merchant.store_id) == 0


def test_batch_upload_refuses_more_than_twenty_files(app, client, merchant):
    response = upload_batch(client, merchant.bearer, [(STAR, f"{index}.svg") for index in range(21)])

    assert response.status_code == 422 and response.json["error"]["field"] == "files"
    assert uploaded_count(app, Clipart, merchant.store_id) == 0


def test_batch_upload_needs_files(client, merchant):
    response = client.post("/api/v1/clipart/batch", headers=merchant.bearer, **multipart({"tags": ["x"]}))

    assert response.status_code == 422 and response.json["error"]["field"] == "files"


# Lists and counts


def test_lists_filter_by_library_tag_category_and_text(app, client, merchant):
    category_id = make_category(app, merchant.store_id)
    upload(client, merchant.bearer, categoryIds=[category_id], tags=["shapes"])
    upload(client, merchant.bearer, TWO_COLOURS, "flag.svg")

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/clipart?limit=100&{query}", headers=merchant.bearer)
        assert response.status_code == 200, response.json
        return sorted(item["name"] for item in response.json["data"])

    assert names("library=false") == ["flag", "gold star"]
    assert names(f"categoryId={category_id}") == ["gold star"]
    shapes = sorted(item.name for item in DEFAULT_CLIPART if "shapes" in item.tags)
    assert names("tag=shapes") == sorted([*shapes, "gold star"])
    assert names("q=STAR") == ["Star", "gold star"]
    assert len(names("library=true")) == len(DEFAULT_CLIPART)


def test_an_unknown_category_filter_is_not_found(client, merchant):
    response = client.get("/api/v1/clipart?categoryId=cat_missing", headers=merchant.bearer)

    assert response.status_code == 404


def test_the_default_list_and_counts(client, merchant):
    upload(client, merchant.bearer)

    default = client.get("/api/v1/clipart/default?limit=100", headers=merchant.bearer).json
    nature = client.get("/api/v1/clipart/default/count?tag=nature", headers=merchant.bearer).json

    assert len(default["data"]) == len(DEFAULT_CLIPART) and all(item["library"] for item in default["data"])
    assert nature["count"] == sum("nature" in item.tags for item in DEFAULT_CLIPART)
    assert (
        client.get("/api/v1/clipart/count", headers=merchant.bearer).json["count"] == len(DEFAULT_CLIPART) + 1
    )
    assert client.get("/api/v1/clipart/default/count", headers=merchant.bearer).json["count"] == len(
        DEFAULT_CLIPART
    )
    assert set(CLIPART_TAGS) == {tag for item in default["data"] for tag in item["tags"]}


def test_lists_are_paginated(client, merchant):
    first, second = two_pages(client, merchant.bearer, "/api/v1/clipart?limit=15&sortBy=name&sort=asc")

    assert first["hasMore"] and not second["hasMore"]
    names = [item["name"] for item in first["data"] + second["data"]]
    assert names == sorted(names) and len(names) == len(DEFAULT_CLIPART)


def test_clipart_by_category(app, client, merchant):
    category_id = make_category(app, merchant.store_id)
    inside = upload(client, merchant.bearer, categoryIds=[category_id]).json
    upload(client, merchant.bearer, TWO_COLOURS, "flag.svg")

    response = client.get(f"/api/v1/categories/{category_id}/clipart", headers=merchant.bearer)

    assert response.status_code == 200, response.json
    assert [item["id"] for item in response.json["data"]] == [inside["id"]]
    assert (
        client.get("/api/v1/clipart/count?categoryId=" + category_id, headers=merchant.bearer).json["count"]
        == 1
    )


# One clipart


def test_get_a_clipart(client, merchant):
    clipart = upload(client, merchant.bearer).json

    response = client.get(f"/api/v1/clipart/{clipart['id']}", headers=merchant.bearer)

    assert response.status_code == 200 and response.json == clipart


def test_a_library_clipart_file_is_served_from_the_repository(client, merchant):
    star = next(
        item
        for item in client.get("/api/v1/clipart/default?limit=100", headers=merchant.bearer).json["data"]
        if item["name"] == "Star"
    )

    response = client.get(star["fileUrl"])  # anonymous, as an <img> asks

    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.data.startswith(b"<svg") and "immutable" in response.headers["Cache-Control"]
    assert star["recolorable"] and star["color"] == "currentColor"


def test_update_name_categories_and_tags(app, client, merchant):
    first, second = (
        make_category(app, merchant.store_id, "Holidays"),
        make_category(app, merchant.store_id, "Brand"),
    )
    clipart = upload(client, merchant.bearer, categoryIds=[first]).json

    response = client.patch(
        f"/api/v1/clipart/{clipart['id']}",
        json={"name": "Lucky star", "categoryIds": [second], "tags": ["gold"]},
        headers=merchant.bearer,
    )

    assert response.status_code == 200, response.json
    assert (response.json["name"], response.json["categoryIds"], response.json["tags"]) == (
        "Lucky star",
        [second],
        ["gold"],
    )
    cleared = client.patch(
        f"/api/v1/clipart/{clipart['id']}", json={"categoryIds": []}, headers=merchant.bearer
    )
    assert cleared.json["categoryIds"] == [] and cleared.json["name"] == "Lucky star"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"library": True}, "library"),
        ({"recolorable": True}, "recolorable"),
        ({"storages": []}, "storages"),
        ({"name": ""}, "name"),
        ({"tags": ["not a tag!"]}, "tags.0"),
        ({"categoryIds": ["cat_missing"]}, "categoryIds.0"),
    ],
)
def test_update_refuses_bad_and_unknown_fields(client, merchant, body, field):
    clipart = upload(client, merchant.bearer).json

    response = client.patch(f"/api/v1/clipart/{clipart['id']}", json=body, headers=merchant.bearer)

    assert response.status_code == 422 and response.json["error"]["field"] == field
    assert client.get(f"/api/v1/clipart/{clipart['id']}", headers=merchant.bearer).json == clipart


def test_deleting_an_upload_deletes_its_file_too(app, client, merchant):
    clipart = upload(client, merchant.bearer).json

    response = client.delete(f"/api/v1/clipart/{clipart['id']}", headers=merchant.bearer)

    assert response.status_code == 200 and response.json == {"id": clipart["id"], "deleted": True}
    assert client.get(f"/api/v1/clipart/{clipart['id']}", headers=merchant.bearer).status_code == 404
    assert uploaded_count(app, File, merchant.store_id) == 0


def test_deleting_a_library_clipart_keeps_it_for_other_stores(client, make_merchant):
    first, second = make_merchant("First"), make_merchant("Second")
    clipart = client.get("/api/v1/clipart/default?limit=1", headers=first.bearer).json["data"][0]

    assert client.delete(f"/api/v1/clipart/{clipart['id']}", headers=first.bearer).status_code == 200

    theirs = client.get("/api/v1/clipart/default?limit=100", headers=second.bearer).json["data"]
    same = next(item for item in theirs if item["name"] == clipart["name"])
    assert client.get(same["fileUrl"], headers=second.bearer).status_code == 200


# Batch delete


def test_batch_delete_is_all_or_nothing(app, client, merchant, make_merchant):
    other = make_merchant("Other")
    mine = [upload(client, merchant.bearer).json["id"] for _ in range(2)]
    theirs = upload(client, other.bearer).json["id"]

    refused = client.post(
        "/api/v1/clipart/batch-delete", json={"ids": [*mine, theirs]}, headers=merchant.bearer
    )
    done = client.post("/api/v1/clipart/batch-delete", json={"ids": mine}, headers=merchant.bearer)

    assert refused.status_code == 422
    assert [item["field"] for item in refused.json["error"]["errors"]] == ["ids.2"]
    assert done.status_code == 200 and done.json["data"] == [{"id": i, "deleted": True} for i in mine]
    assert uploaded_count(app, Clipart, merchant.store_id) == 0
    assert client.get(f"/api/v1/clipart/{theirs}", headers=other.bearer).status_code == 200


# Tenant isolation


def test_another_stores_clipart_and_categories_are_not_found_on_every_route(
    app, client, merchant, make_merchant
):
    other = make_merchant("Other")
    theirs = upload(client, other.bearer).json["id"]
    their_category = make_category(app, other.store_id)

    requests = library_requests("clipart", theirs, merchant) + [
        ("get", f"/api/v1/categories/{their_category}/clipart", merchant.bearer),
        ("get", f"/api/v1/clipart?categoryId={their_category}", merchant.bearer),
        ("get", f"/api/v1/clipart/count?categoryId={their_category}", merchant.bearer),
        ("get", "/api/v1/clipart", merchant.basic | {"X-Store-Id": other.store_id}),
    ]
    assert_not_found(client, requests, patch={"name": "X"})
    assert client.get(f"/api/v1/clipart/{theirs}", headers=other.bearer).json["name"] == "gold star"


def test_lists_and_counts_hold_only_the_callers_store(client, merchant, make_merchant):
    other = make_merchant("Other")
    upload(client, other.bearer)

    assert client.get("/api/v1/clipart?library=false", headers=merchant.bearer).json["data"] == []
    assert client.get("/api/v1/clipart/count?library=false", headers=merchant.bearer).json == {"count": 0}


# Dashboard


@pytest.fixture
def dashboard(app) -> tuple[Browser, str]:
    """A signed-up merchant's browser on its store's clipart page, and the store's id."""
    return open_dashboard(app, "clipart")


def htmx_upload(browser: Browser, store_id: str, files: list[tuple[bytes, str]]):
    return browser.client.post(
        "/api/v1/clipart/batch",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
        **multipart({"files": files}),
    )


def test_the_clipart_page_shows_thumbnails_filters_and_the_upload_form(dashboard):
    browser, store_id = dashboard

    page = browser.get(f"/dashboard/stores/{store_id}/clipart")

    assert f'href="/dashboard/stores/{store_id}/clipart" aria-current="page">Clipart</a>' in page.text
    assert (
        'hx-encoding="multipart/form-data"' in page.text and 'name="files" type="file" multiple' in page.text
    )
    thumbnails = re.findall(r'<img src="(/api/v1/clipart/clp_\w+/file\?storeId=sto_\w+)"', page.text)
    assert len(thumbnails) == 20
    assert browser.client.get(thumbnails[0]).status_code == 200
    assert f'href="/dashboard/stores/{store_id}/clipart?tag=nature"' in page.text
    assert "Load more clipart" in page.text


def test_the_tag_filter_shows_that_section_of_the_library(dashboard):
    browser, store_id = dashboard

    page = browser.get(f"/dashboard/stores/{store_id}/clipart?tag=nature")

    assert page.text.count("<img src=") == sum("nature" in item.tags for item in DEFAULT_CLIPART)
    assert '?tag=nature" aria-current="page">Nature</a>' in page.text


def test_uploading_through_the_dashboard_adds_the_rows_without_a_reload(app, dashboard):
    browser, store_id = dashboard

    response = htmx_upload(browser, store_id, [(STAR, "star.svg"), (png(), "logo.png")])

    assert response.status_code == 201, response.text
    assert 'hx-swap-oob="afterbegin:#clipart-list"' in response.text
    assert "2 clipart added." in response.text
    thumbnails = re.findall(r'<img src="([^"]+)"', response.text)
    assert len(thumbnails) == 2 and any("/api/v1/files/fil_" in src for src in thumbnails)  # the PNG's
    assert all(browser.client.get(src.replace("&amp;", "&")).status_code == 200 for src in thumbnails)
    assert uploaded_count(app, Clipart, store_id) == 2


def test_a_refused_file_in_the_dashboard_is_named_beside_the_file_field(app, dashboard):
    browser, store_id = dashboard

    response = htmx_upload(browser, store_id, [(STAR, "star.svg"), (b"plain text", "notes.svg")])

    assert response.status_code == 422
    field = re.search(r'<div class="field invalid">.*?</div>\s*</div>', response.text, re.S)[0]
    assert 'id="clipart-files"' in field and 'aria-invalid="true"' in field
    assert "notes.svg: This field must be an SVG or PNG image" in field
    assert uploaded_count(app, Clipart, store_id) == 0


def test_deleting_from_the_dashboard(app, dashboard):
    browser, store_id = dashboard
    clipart_id = re.search(r'id="clipart-(clp_\w+)"', htmx_upload(browser, store_id, [(STAR, "s.svg")]).text)[
        1
    ]

    response = browser.client.delete(
        f"/api/v1/clipart/{clipart_id}",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
    )

    assert response.status_code == 200
    assert uploaded_count(app, Clipart, store_id) == 0


def test_another_accounts_clipart_page_is_a_404(dashboard, merchant):
    browser, _ = dashboard

    assert browser.get(f"/dashboard/stores/{merchant.store_id}/clipart").status_code == 404


# Recolorable detection


def _svg(body: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>'.encode()


@pytest.mark.parametrize(
    ("body", "colors"),
    [
        ('<path d="M0 0h9v9z"/>', {"#000000"}),  # no fill at all paints black
        ('<g fill="#F00"><path d="M0 0h9v9z"/><circle r="2" style="fill: #ff0000"/></g>', {"#ff0000"}),
        (
            '<path d="M0 0h9" fill="none" stroke="currentColor"/><circle r="2" fill="currentColor"/>',
            {"currentColor"},
        ),
        ('<g style="fill:red"><rect width="2" height="2" stroke="blue"/></g>', {"#ff0000", "#0000ff"}),
        ('<rect width="2" height="2" fill="url(#shade)"/>', {"complex"}),
        ("<style>rect { fill: red }</style><rect width='2' height='2'/>", {"complex", "#000000"}),
        (
            '<defs><path fill="#123456" d="M0 0h1"/></defs><rect width="2" height="2" fill="#abcdef"/>',
            {"#abcdef"},
        ),
    ],
    ids=[
        "default-black",
        "inherited-and-styled",
        "current-color",
        "two-colours",
        "gradient",
        "style-sheet",
        "defs",
    ],
)
def test_the_colours_an_svg_paints_with(body, colors):
    facts = inspect_svg(_svg(body))

    assert set(facts.colors) == colors
    assert facts.recolorable == (len(colors) == 1 and "complex" not in colors)


def test_an_svg_size_comes_from_width_and_height_or_the_view_box():
    sized = inspect_svg(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="80" viewBox="0 0 1 1"/>'
    )
    boxed = inspect_svg(b'<svg xmlns="http://www.w3.org/2000/svg" width="50%" viewBox="0,0,300,150"/>')
    unsized = inspect_svg(b'<svg xmlns="http://www.w3.org/2000/svg"/>')

    assert (sized.width_px, sized.height_px) == (120, 80)
    assert (boxed.width_px, boxed.height_px) == (300, 150)
    assert (unsized.width_px, unsized.height_px) == (None, None)
