"""Fonts through the API and the dashboard: upload (facts read from the file, damaged files
refused), list, default library, count, get, file, update, delete, batch delete; tenant isolation."""

import io
import re
import zlib

import brotli
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.misc import sstruct
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.sfnt import (
    woffDirectoryEntryFormat,
    woffDirectoryEntrySize,
    woffDirectoryFormat,
    woffDirectorySize,
)
from fontTools.ttLib.woff2 import woff2DirectoryFormat, woff2DirectorySize

from designer.extensions import db
from designer.files.storage import storage
from designer.library import service
from designer.library.default_library import DEFAULT_FONTS, library_root
from designer.library.models import Font
from designer.tenancy import across_stores
from tests.factories import Browser, assert_not_found, library_requests, multipart, open_dashboard, two_pages

FONTS = library_root() / "fonts"


def library_font(filename: str = "Roboto_400Regular.ttf") -> bytes:
    return (FONTS / filename).read_bytes()


def as_flavor(data: bytes, flavor: str) -> bytes:
    font = TTFont(io.BytesIO(data))
    font.flavor = flavor
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def without_table(data: bytes, tag: str) -> bytes:
    font = TTFont(io.BytesIO(data))
    del font[tag]
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def make_otf(family: str = "Test Sans", weight: int = 600, italic: bool = True) -> bytes:
    """A small CFF-flavoured OpenType font with one glyph, built here."""
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    triangle = T2CharStringPen(600, None)
    triangle.moveTo((0, 0))
    triangle.lineTo((300, 700))
    triangle.lineTo((600, 0))
    triangle.closePath()
    empty = T2CharStringPen(500, None)
    builder.setupCFF(
        "TestSans-SemiBoldItalic",
        {"FullName": f"{family} SemiBold Italic"},
        {".notdef": empty.getCharString(), "A": triangle.getCharString()},
        {},
    )
    builder.setupHorizontalMetrics({".notdef": (500, 0), "A": (600, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable(
        {
            "familyName": f"{family} SemiBold",
            "styleName": "Italic",
            "typographicFamily": family,
            "typographicSubfamily": "SemiBold Italic",
        }
    )
    builder.setupOS2(usWeightClass=weight, fsSelection=0x01 if italic else 0x40)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def upload(client, headers: dict, data: bytes, filename: str = "font.ttf", **fields):
    return client.post("/api/v1/fonts", headers=headers, **multipart({"file": (data, filename), **fields}))


def face(font: dict) -> tuple[str, int, str]:
    """A font's family, weight and style, as the API answers them."""
    return font["family"], font["weight"], font["style"]


def uploaded_font_count(app, store_id: str) -> int:
    with app.app_context():
        statement = db.select(db.func.count()).select_from(Font)
        return db.session.scalar(
            across_stores(statement.where(Font.store_id == store_id, Font.library.is_(False)))
        )


# Upload


def test_uploading_a_ttf_reads_family_style_and_weight_from_the_file(client, merchant):
    response = upload(client, merchant.bearer, library_font("Lora_700Bold_Italic.ttf"), "whatever.ttf")

    assert response.status_code == 201, response.json
    font = response.json
    assert font["id"].startswith("fnt_")
    assert (font["family"], font["style"], font["weight"]) == ("Lora", "italic", 700)
    assert font["fullName"] == "Lora Bold Italic" and font["postscriptName"] == "Lora-BoldItalic"
    assert font["format"] == "ttf" and font["library"] is False and font["licence"] == ""
    assert font["filename"] == "whatever.ttf" and font["glyphCount"] > 100
    assert font["scripts"] == ["latin", "cyrillic"]
    assert font["fileUrl"] == f"/api/v1/fonts/{font['id']}/file?storeId={merchant.store_id}"


@pytest.mark.parametrize("flavor", ["woff", "woff2"])
def test_uploading_woff_and_woff2_keeps_the_format(client, merchant, flavor):
    data = as_flavor(library_font("OpenSans_700Bold.ttf"), flavor)

    response = upload(client, merchant.bearer, data, f"open-sans.{flavor}")

    assert response.status_code == 201, response.json
    assert (response.json["format"], response.json["family"], response.json["weight"]) == (
        flavor,
        "Open Sans",
        700,
    )
    file = client.get(response.json["fileUrl"], headers=merchant.bearer)
    assert file.data == data and file.mimetype == f"font/{flavor}"


def test_uploading_a_cff_otf_reads_the_typographic_family(client, merchant):
    response = upload(client, merchant.bearer, make_otf(), "test.otf")

    assert response.status_code == 201, response.json
    assert (response.json["family"], response.json["style"], response.json["weight"]) == (
        "Test Sans",
        "italic",
        600,
    )
    assert response.json["format"] == "otf"


def test_form_fields_override_what_the_file_says(client, merchant):
    response = upload(
        client, merchant.bearer, library_font(), family="House Sans", weight="500", style="italic"
    )

    assert response.status_code == 201, response.json
    assert face(response.json) == ("House Sans", 500, "italic")


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (lambda: b"Just some text, renamed to .ttf\n" * 20, "must be a TTF, OTF, WOFF or WOFF2 font"),
        (lambda: library_font()[:40_000], "damaged or incomplete TTF"),
        (lambda: library_font()[:12], "damaged or incomplete TTF"),
        (lambda: b"wOF2" + bytes(range(256)) * 8, "damaged or incomplete WOFF2"),
        (lambda: as_flavor(library_font(), "woff2")[:5000], "damaged or incomplete WOFF2"),
        (lambda: without_table(library_font(), "cmap"), "without the tables text needs: cmap"),
        (lambda: b"ttcf" + bytes(200), "font collection"),
        (lambda: b"", "must be a TTF"),
    ],
    ids=[
        "text",
        "truncated",
        "header-only",
        "woff2-garbage",
        "woff2-truncated",
        "no-cmap",
        "collection",
        "empty",
    ],
)
def test_files_that_are_not_usable_fonts_are_refused_naming_the_file_field(
    app, client, merchant, make_data, message
):
    response = upload(client, merchant.bearer, make_data(), "font.ttf")

    assert response.status_code == 422, response.json
    assert response.json["error"]["code"] == "validation_error"
    assert response.json["error"]["field"] == "file"
    assert message in response.json["error"]["message"]
    assert uploaded_font_count(app, merchant.store_id) == 0


def woff_with_table_swapped(unpacked_bytes: int, declared_bytes: int) -> bytes:
    """A WOFF whose `cmap` points at zlib data unpacking to `unpacked_bytes`, declared as `declared_bytes`."""
    data = bytearray(as_flavor(library_font(), "woff"))
    header = sstruct.unpack(woffDirectoryFormat, bytes(data[:woffDirectorySize]))
    bomb = zlib.compress(bytes(unpacked_bytes), 9)
    for index in range(header["numTables"]):
        start = woffDirectorySize + index * woffDirectoryEntrySize
        entry = sstruct.unpack(woffDirectoryEntryFormat, bytes(data[start : start + woffDirectoryEntrySize]))
        if entry["tag"] == "cmap":
            entry.update(offset=len(data), length=len(bomb), origLength=declared_bytes)
            data[start : start + woffDirectoryEntrySize] = sstruct.pack(woffDirectoryEntryFormat, entry)
    return bytes(data + bomb)


def woff2_with_metadata(unpacked_bytes: int, declared_bytes: int) -> bytes:
    """A WOFF2 with a metadata block unpacking to `unpacked_bytes`, declared as `declared_bytes`."""
    data = bytearray(as_flavor(library_font(), "woff2"))
    header = sstruct.unpack(woff2DirectoryFormat, bytes(data[:woff2DirectorySize]))
    meta = brotli.compress(bytes(unpacked_bytes))
    header.update(metaOffset=len(data), metaLength=len(meta), metaOrigLength=declared_bytes)
    data[:woff2DirectorySize] = sstruct.pack(woff2DirectoryFormat, header)
    return bytes(data + meta)


@pytest.mark.parametrize(
    ("make_data", "message"),
    [
        (lambda: woff_with_table_swapped(2_000_000, 1000), "unpacks to more than its header declares"),
        (lambda: woff_with_table_swapped(1000, 100 * 1024 * 1024), "unpacks to more than 64 MB"),
        (lambda: woff2_with_metadata(2_000_000, 100), "unpacks to more than its header declares"),
    ],
    ids=["woff-bomb", "woff-huge-table", "woff2-metadata-bomb"],
)
def test_compressed_fonts_that_unpack_to_too_much_are_refused_before_unpacking(
    client, merchant, make_data, message
):
    response = upload(client, merchant.bearer, make_data(), "bomb.woff")

    assert response.status_code == 422
    assert response.json["error"]["field"] == "file" and message in response.json["error"]["message"]


def test_a_font_over_15_mb_is_refused(app, client, merchant):
    response = upload(client, merchant.bearer, b"\x00\x01\x00\x00" + bytes(15 * 1024 * 1024))

    assert response.status_code == 422
    assert response.json["error"]["field"] == "file" and "at most 15 MB" in response.json["error"]["message"]


def test_upload_without_a_file_names_the_file_field(client, merchant):
    response = client.post("/api/v1/fonts", headers=merchant.bearer, **multipart({"family": "X"}))

    assert response.status_code == 422 and response.json["error"]["field"] == "file"


def test_upload_as_json_is_an_unsupported_media_type(client, merchant):
    response = client.post("/api/v1/fonts", json={"family": "X"}, headers=merchant.bearer)

    assert response.status_code == 415 and response.json["error"]["field"] == "Content-Type"


@pytest.mark.parametrize("field", ["library", "licence", "storageKey", "id"])
def test_upload_refuses_fields_that_are_not_the_callers_to_set(app, client, merchant, field):
    response = upload(client, merchant.bearer, library_font(), **{field: "true"})

    assert response.status_code == 422
    assert response.json["error"]["field"] == field
    assert uploaded_font_count(app, merchant.store_id) == 0


def test_upload_refuses_an_unexpected_file_part(client, merchant):
    response = client.post(
        "/api/v1/fonts",
        headers=merchant.bearer,
        **multipart({"file": (library_font(), "a.ttf"), "extra": (b"x", "b.ttf")}),
    )

    assert response.status_code == 422 and response.json["error"]["field"] == "extra"


def test_an_uploaded_font_is_stored_and_a_rolled_back_upload_leaves_nothing(app, client, merchant):
    response = upload(client, merchant.bearer, library_font())
    with app.app_context():
        assert storage().exists(f"{merchant.store_id}/fonts/{response.json['id']}.ttf")

        font = service.create_font(merchant.store_id, filename="b.ttf", data=library_font())
        key = font.storage_key
        assert storage().exists(key)
        db.session.rollback()

        assert not storage().exists(key)
    assert uploaded_font_count(app, merchant.store_id) == 1


# Who may do what


def test_publishable_and_anonymous_callers_read_fonts_but_cannot_upload(client, merchant):
    publishable = {"X-Publishable-Token": merchant.publishable}

    assert client.get("/api/v1/fonts", headers=publishable).status_code == 200
    assert client.get(f"/api/v1/fonts?storeId={merchant.store_id}").status_code == 200
    assert upload(client, publishable, library_font()).status_code == 403
    assert upload(client, {}, library_font()).status_code == 401


def test_anonymous_readers_must_name_the_store(client, merchant):
    response = client.get("/api/v1/fonts")

    assert response.status_code == 422 and response.json["error"]["field"] == "storeId"


def test_a_read_only_token_lists_fonts_but_cannot_upload_or_delete(client, make_merchant):
    reader = make_merchant(scopes=["read"])
    font_id = client.get("/api/v1/fonts?limit=1", headers=reader.bearer).json["data"][0]["id"]

    assert upload(client, reader.bearer, library_font()).status_code == 403
    assert client.delete(f"/api/v1/fonts/{font_id}", headers=reader.bearer).status_code == 403


def test_a_library_scoped_token_may_upload(client, make_merchant):
    scoped = make_merchant(scopes=["library:write"])

    assert upload(client, scoped.bearer, library_font()).status_code == 201


def test_the_account_names_its_store_with_the_header_or_the_store_id_field(client, merchant, make_merchant):
    other = make_merchant("Other")

    with_header = upload(client, merchant.basic | {"X-Store-Id": merchant.store_id}, library_font())
    with_field = upload(client, merchant.basic, library_font(), storeId=merchant.store_id)
    without = upload(client, merchant.basic, library_font())
    not_theirs = upload(client, merchant.basic | {"X-Store-Id": other.store_id}, library_font())

    assert with_header.status_code == 201 and with_field.status_code == 201
    assert without.status_code == 422 and without.json["error"]["field"] == "storeId"
    assert not_theirs.status_code == 404


# Lists and counts


def test_lists_filter_by_family_library_script_and_text(client, merchant):
    upload(client, merchant.bearer, library_font("Lora_400Regular.ttf"))

    def families(query: str) -> list[tuple[str, bool]]:
        response = client.get(f"/api/v1/fonts?limit=100&{query}", headers=merchant.bearer)
        assert response.status_code == 200, response.json
        return sorted((font["family"], font["library"]) for font in response.json["data"])

    assert families("family=Lora") == [("Lora", False)] + [("Lora", True)] * 4
    assert families("library=false") == [("Lora", False)]
    assert {family for family, _ in families("script=devanagari")} == {"Noto Sans Devanagari"}
    assert {family for family, _ in families("q=noto")} == {
        "Noto Sans Arabic",
        "Noto Sans Devanagari",
        "Noto Sans Hebrew",
    }
    assert len(families("library=true")) == len(DEFAULT_FONTS)


def test_the_default_list_holds_only_library_fonts(client, merchant):
    upload(client, merchant.bearer, library_font())

    response = client.get("/api/v1/fonts/default?limit=100", headers=merchant.bearer)

    assert response.status_code == 200
    assert len(response.json["data"]) == len(DEFAULT_FONTS)
    assert all(font["library"] for font in response.json["data"])
    assert client.get("/api/v1/fonts/default?library=false", headers=merchant.bearer).status_code == 422


def test_lists_are_paginated_and_sortable(client, merchant):
    first, second = two_pages(client, merchant.bearer, "/api/v1/fonts?limit=10&sortBy=family&sort=asc")

    assert first["hasMore"] and len(first["data"]) == 10
    families = [font["family"] for font in first["data"] + second["data"]]
    assert families == sorted(families)
    assert not {font["id"] for font in first["data"]} & {font["id"] for font in second["data"]}
    bad = client.get("/api/v1/fonts?sortBy=size", headers=merchant.bearer)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "sortBy"


def test_counts_follow_the_filters(client, merchant):
    upload(client, merchant.bearer, library_font())

    def counted(path: str) -> int:
        response = client.get(path, headers=merchant.bearer)
        assert response.status_code == 200, response.json
        return response.json["count"]

    assert counted("/api/v1/fonts/count") == len(DEFAULT_FONTS) + 1
    assert counted("/api/v1/fonts/count?library=false") == 1
    assert counted("/api/v1/fonts/count?family=Roboto") == 5
    assert counted("/api/v1/fonts/default/count") == len(DEFAULT_FONTS)
    assert counted("/api/v1/fonts/default/count?family=Roboto") == 4


def test_unknown_list_parameters_are_refused(client, merchant):
    response = client.get("/api/v1/fonts?owner=me", headers=merchant.bearer)

    assert response.status_code == 422 and response.json["error"]["field"] == "owner"


# One font


def test_get_a_font_and_its_file(client, merchant):
    data = library_font("Pacifico_400Regular.ttf")
    font = upload(client, merchant.bearer, data).json

    got = client.get(f"/api/v1/fonts/{font['id']}", headers=merchant.bearer)
    file = client.get(f"/api/v1/fonts/{font['id']}/file", headers=merchant.bearer)

    assert got.status_code == 200 and got.json == font
    assert file.status_code == 200 and file.data == data
    assert file.mimetype == "font/ttf"
    assert "immutable" in file.headers["Cache-Control"]
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    again = client.get(
        f"/api/v1/fonts/{font['id']}/file", headers=merchant.bearer | {"If-None-Match": file.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_library_font_file_is_served_from_the_installed_library(client, merchant):
    font = client.get("/api/v1/fonts/default?family=Roboto&limit=1", headers=merchant.bearer).json["data"][0]

    response = client.get(font["fileUrl"])  # anonymous, as a browser's @font-face asks

    assert response.status_code == 200
    assert response.data == (FONTS / font["filename"]).read_bytes()


def test_update_a_font(client, merchant):
    font = upload(client, merchant.bearer, library_font()).json

    response = client.patch(
        f"/api/v1/fonts/{font['id']}", json={"family": "Brand", "weight": 300}, headers=merchant.bearer
    )

    assert response.status_code == 200, response.json
    assert face(response.json) == ("Brand", 300, "normal")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"library": False}, "library"),
        ({"storeId": "sto_x"}, "storeId"),
        ({"format": "otf"}, "format"),
        ({"weight": 0}, "weight"),
        ({"style": "oblique"}, "style"),
        ({"family": ""}, "family"),
    ],
)
def test_update_refuses_bad_and_unknown_fields(client, merchant, body, field):
    font_id = client.get("/api/v1/fonts?limit=1", headers=merchant.bearer).json["data"][0]["id"]

    response = client.patch(f"/api/v1/fonts/{font_id}", json=body, headers=merchant.bearer)

    assert response.status_code == 422 and response.json["error"]["field"] == field


def test_deleting_an_upload_removes_its_file_once_committed(app, client, merchant):
    font = upload(client, merchant.bearer, library_font()).json
    key = f"{merchant.store_id}/fonts/{font['id']}.ttf"

    response = client.delete(f"/api/v1/fonts/{font['id']}", headers=merchant.bearer)

    assert response.status_code == 200 and response.json == {"id": font["id"], "deleted": True}
    assert client.get(f"/api/v1/fonts/{font['id']}", headers=merchant.bearer).status_code == 404
    with app.app_context():
        assert not storage().exists(key)


def test_deleting_a_library_font_keeps_the_library_file(client, merchant):
    font = client.get("/api/v1/fonts/default?limit=1", headers=merchant.bearer).json["data"][0]

    assert client.delete(f"/api/v1/fonts/{font['id']}", headers=merchant.bearer).status_code == 200
    assert (FONTS / font["filename"]).is_file()


def test_an_unknown_font_is_not_found(client, merchant):
    for method, path in [
        ("get", "/api/v1/fonts/fnt_missing"),
        ("get", "/api/v1/fonts/fnt_missing/file"),
        ("patch", "/api/v1/fonts/fnt_missing"),
        ("delete", "/api/v1/fonts/fnt_missing"),
    ]:
        response = getattr(client, method)(
            path, headers=merchant.bearer, json={} if method == "patch" else None
        )
        assert response.status_code == 404, (method, path)
        assert response.json["error"]["code"] == "not_found"


# Batch delete


def test_batch_delete_removes_every_font(client, merchant):
    ids = [upload(client, merchant.bearer, library_font()).json["id"] for _ in range(2)]

    response = client.post("/api/v1/fonts/batch-delete", json={"ids": ids}, headers=merchant.bearer)

    assert response.status_code == 200, response.json
    assert response.json["data"] == [{"id": font_id, "deleted": True} for font_id in ids]
    assert client.get("/api/v1/fonts/count?library=false", headers=merchant.bearer).json["count"] == 0


def test_batch_delete_is_all_or_nothing_with_an_error_per_item(client, merchant, make_merchant):
    other = make_merchant("Other")
    mine = upload(client, merchant.bearer, library_font()).json["id"]
    theirs = upload(client, other.bearer, library_font()).json["id"]

    response = client.post(
        "/api/v1/fonts/batch-delete", json={"ids": [mine, theirs, "fnt_missing"]}, headers=merchant.bearer
    )

    assert response.status_code == 422
    error = response.json["error"]
    assert error["field"] == "ids.1" and "nothing was changed" in error["message"]
    assert [(item["field"], item["code"]) for item in error["errors"]] == [
        ("ids.1", "not_found"),
        ("ids.2", "not_found"),
    ]
    assert client.get(f"/api/v1/fonts/{mine}", headers=merchant.bearer).status_code == 200
    assert client.get(f"/api/v1/fonts/{theirs}", headers=other.bearer).status_code == 200


def test_batch_delete_needs_ids(client, merchant):
    response = client.post("/api/v1/fonts/batch-delete", json={"ids": []}, headers=merchant.bearer)

    assert response.status_code == 422 and response.json["error"]["field"] == "ids"


# Tenant isolation


def test_another_stores_font_is_not_found_on_every_route(client, merchant, make_merchant):
    other = make_merchant("Other")
    theirs = upload(client, other.bearer, library_font()).json["id"]

    assert_not_found(client, library_requests("fonts", theirs, merchant), patch={"family": "X"})
    assert client.get(f"/api/v1/fonts/{theirs}", headers=other.bearer).json["family"] == "Roboto"


def test_lists_and_counts_hold_only_the_callers_store(client, merchant, make_merchant):
    other = make_merchant("Other")
    upload(client, other.bearer, library_font())

    listed = client.get("/api/v1/fonts?library=false", headers=merchant.bearer).json
    counted = client.get("/api/v1/fonts/count?library=false", headers=merchant.bearer).json

    assert listed["data"] == [] and counted == {"count": 0}


def test_a_token_cannot_name_another_store(client, merchant, make_merchant):
    other = make_merchant("Other")

    response = client.get(f"/api/v1/fonts?storeId={other.store_id}", headers=merchant.bearer)

    assert response.status_code == 404


def test_an_idempotent_upload_replays_without_a_second_font(app, client, merchant):
    headers = merchant.bearer | {"Idempotency-Key": "font-1"}

    first = upload(client, headers, library_font())
    second = upload(client, headers, library_font())

    assert first.status_code == second.status_code == 201
    assert first.json["id"] == second.json["id"]
    assert uploaded_font_count(app, merchant.store_id) == 1


# Dashboard


@pytest.fixture
def dashboard(app) -> tuple[Browser, str]:
    """A signed-up merchant's browser on its store's fonts page, and the store's id."""
    return open_dashboard(app, "fonts")


def htmx_upload(browser: Browser, store_id: str, data: bytes, filename: str, **headers):
    return browser.client.post(
        "/api/v1/fonts",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id} | headers,
        **multipart({"file": (data, filename)}),
    )


def test_the_fonts_page_lists_the_library_with_samples_drawn_from_each_file(dashboard):
    browser, store_id = dashboard

    page = browser.get(f"/dashboard/stores/{store_id}/fonts")

    assert '<a href="/dashboard/stores/' + store_id + '/fonts" aria-current="page">Fonts</a>' in page.text
    assert f'hx-headers=\'{{"X-Store-Id": "{store_id}"}}\'' in page.text
    assert 'hx-encoding="multipart/form-data"' in page.text
    assert '<label for="font-file">Font file</label>' in page.text
    faces = re.findall(r'src: url\("(/api/v1/fonts/fnt_\w+/file\?storeId=sto_\w+)"\)', page.text)
    assert len(faces) == 20  # one page
    assert browser.client.get(faces[0]).status_code == 200  # the session's own store
    assert "Load more fonts" in page.text


def test_load_more_answers_the_next_rows_as_a_partial(dashboard):
    browser, store_id = dashboard
    page = browser.get(f"/dashboard/stores/{store_id}/fonts")
    more = re.search(r'hx-get="([^"]+)"', page.text)[1].replace("&amp;", "&")

    response = browser.client.get(more, headers={"HX-Request": "true", "X-Store-Id": store_id})

    assert response.status_code == 200
    assert response.text.count("@font-face") == len(DEFAULT_FONTS) - 20
    assert "Load more" not in response.text


def test_the_filter_shows_uploaded_fonts_only(dashboard):
    browser, store_id = dashboard
    htmx_upload(browser, store_id, library_font("Oswald_700Bold.ttf"), "oswald.ttf")

    page = browser.get(f"/dashboard/stores/{store_id}/fonts?library=false")

    assert page.text.count("@font-face") == 1 and "Oswald" in page.text
    assert '?library=false" aria-current="page">Uploaded</a>' in page.text


def test_uploading_through_the_dashboard_adds_the_row_without_a_reload(app, dashboard):
    browser, store_id = dashboard

    response = htmx_upload(browser, store_id, library_font("Oswald_700Bold.ttf"), "oswald.ttf")

    assert response.status_code == 201, response.text
    assert 'hx-swap-oob="afterbegin:#font-list"' in response.text
    assert "Oswald" in response.text and "Font “Oswald Bold” added." in response.text
    assert response.text.lstrip().startswith("<form")  # a fresh form replaces the used one
    assert uploaded_font_count(app, store_id) == 1


def test_a_bad_file_in_the_dashboard_shows_the_error_beside_the_file_field(app, dashboard):
    browser, store_id = dashboard

    response = htmx_upload(browser, store_id, b"not a font at all\n" * 10, "renamed.ttf")

    assert response.status_code == 422
    field = re.search(r'<div class="field invalid">.*?</div>', response.text, re.S)[0]
    assert 'id="font-file"' in field and 'aria-invalid="true"' in field
    assert "This field must be a TTF, OTF, WOFF or WOFF2 font" in field
    assert uploaded_font_count(app, store_id) == 0


def test_dashboard_uploads_need_the_csrf_token(app, dashboard):
    browser, store_id = dashboard

    response = htmx_upload(browser, store_id, library_font(), "a.ttf", **{"X-CSRFToken": "forged"})

    assert response.status_code == 403
    assert uploaded_font_count(app, store_id) == 0


def test_deleting_from_the_dashboard(dashboard):
    browser, store_id = dashboard
    font_id = re.search(r'id="font-(fnt_\w+)"', htmx_upload(browser, store_id, library_font(), "a.ttf").text)[
        1
    ]

    response = browser.client.delete(
        f"/api/v1/fonts/{font_id}",
        headers={"HX-Request": "true", "X-CSRFToken": browser.page_csrf, "X-Store-Id": store_id},
    )

    assert response.status_code == 200
    assert "fnt_" not in response.text


def test_another_accounts_fonts_page_is_a_404(dashboard, merchant):
    browser, _ = dashboard

    assert browser.get(f"/dashboard/stores/{merchant.store_id}/fonts").status_code == 404


def test_the_fonts_page_needs_a_login(client, merchant):
    response = client.get(f"/dashboard/stores/{merchant.store_id}/fonts")

    assert response.status_code == 302 and "/login" in response.location
