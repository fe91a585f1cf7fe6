"""The files API: uploads with preflight, reading, listing, deleting; who may do what."""

import io

import pikepdf
import pytest
from PIL import Image

from designer.events import Event
from designer.extensions import db
from designer.files import service
from designer.files.models import File
from designer.files.storage import storage
from designer.products.models import Product, Side
from designer.tenancy import in_store
from tests.factories import SCRIPTED_SVG as SVG
from tests.factories import ZIP, png
from tests.factories import storefront as publishable
from tests.factories import upload_file as upload


def jpeg(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def pdf(pages: int = 1) -> bytes:
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(85 / 25.4 * 72, 55 / 25.4 * 72))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def stored_keys(app, store_id: str) -> list[str]:
    with app.app_context():
        return storage().keys(store_id)


def rows(app, model, store_id: str) -> list:
    with app.app_context():
        return db.session.scalars(in_store(db.select(model), store_id)).all()


# Uploading


@pytest.mark.parametrize(
    ("data", "filename", "format", "media_type"),
    [
        (jpeg(), "photo.jpg", "jpeg", "image/jpeg"),
        (png(), "logo.png", "png", "image/png"),
        (pdf(2), "card.pdf", "pdf", "application/pdf"),
        (SVG, "badge.svg", "svg", "image/svg+xml"),
    ],
)
def test_upload_returns_the_file_with_its_preflight_report(
    client, merchant, data, filename, format, media_type
):
    response = upload(client, merchant.bearer, data, filename)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["id"].startswith("fil_")
    assert body["format"] == format and body["mediaType"] == media_type
    assert body["preflight"]["status"] in ("passed", "warning")
    assert {"name", "status", "message"} <= set(body["preflight"]["checks"][0])
    assert body["uploadedBy"] == "secret" and body["purpose"] == "upload"
    again = client.get(f"/api/v1/files/{body['id']}", headers=merchant.bearer)
    assert again.status_code == 200 and again.json == body


def test_customer_uploads_with_the_publishable_token(client, merchant):
    response = upload(client, publishable(merchant), png(), "me.png")
    assert response.status_code == 201, response.json
    assert response.json["uploadedBy"] == "publishable"
    assert client.get(response.json["contentUrl"], headers=publishable(merchant)).status_code == 200


def test_thumbnail_is_made_once_at_upload_and_stored_beside_the_original(client, app, merchant):
    body = upload(client, merchant.bearer, jpeg(1600, 1200)).json
    keys = stored_keys(app, merchant.store_id)
    assert keys == sorted(
        [f"{merchant.store_id}/{body['id']}/original.jpg", f"{merchant.store_id}/{body['id']}/thumbnail.jpg"]
    )
    first = client.get(body["thumbnailUrl"], headers=merchant.bearer)
    second = client.get(body["thumbnailUrl"], headers=merchant.bearer)
    assert first.status_code == 200 and first.mimetype == "image/jpeg" and first.data == second.data
    assert Image.open(io.BytesIO(first.data)).size == (400, 300)
    assert stored_keys(app, merchant.store_id) == keys


def test_thumbnail_width_can_be_chosen_at_upload(client, merchant):
    body = upload(client, merchant.bearer, png(1000, 500), "wide.png", thumbnailWidthPx="200").json
    thumbnail = client.get(body["thumbnailUrl"], headers=merchant.bearer)
    assert thumbnail.mimetype == "image/png"  # it has transparency
    assert Image.open(io.BytesIO(thumbnail.data)).size == (200, 100)


def test_pdf_has_pages_and_no_thumbnail(client, merchant):
    body = upload(client, merchant.bearer, pdf(3), "flyer.pdf").json
    assert body["pageCount"] == 3 and body["preflight"]["pageSizeMm"] == {"width": 85.0, "height": 55.0}
    assert body["thumbnailUrl"] is None
    missing = client.get(f"/api/v1/files/{body['id']}/thumbnail", headers=merchant.bearer)
    assert missing.status_code == 404 and "no thumbnail" in missing.json["error"]["message"]


def test_svg_is_stored_sanitized_and_served_under_a_strict_policy(client, merchant):
    body = upload(client, merchant.bearer, SVG, "badge.svg").json
    assert body["preflight"]["status"] == "warning"
    sanitized = next(check for check in body["preflight"]["checks"] if check["name"] == "sanitized")
    assert "scripts" in sanitized["message"] and "onload" in sanitized["message"]
    content = client.get(body["contentUrl"], headers=merchant.bearer)
    assert content.status_code == 200 and content.mimetype == "image/svg+xml"
    assert b"script" not in content.data and b"onload" not in content.data and b"<rect" in content.data
    assert content.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert content.headers["Content-Disposition"] == "inline; filename=badge.svg"
    assert body["sizeBytes"] == len(content.data)
    thumbnail = client.get(body["thumbnailUrl"], headers=merchant.bearer)
    assert Image.open(io.BytesIO(thumbnail.data)).size == (400, 200)


def test_content_is_served_with_its_sniffed_type_and_revalidates(client, merchant):
    data = png()
    body = upload(client, merchant.bearer, data, "really-a-png.jpg").json
    assert body["format"] == "png" and body["preflight"]["status"] == "warning"
    content = client.get(body["contentUrl"], headers=merchant.bearer)
    assert content.data == data and content.mimetype == "image/png"
    assert "Content-Security-Policy" not in content.headers
    again = client.get(
        body["contentUrl"], headers=merchant.bearer | {"If-None-Match": content.headers["ETag"]}
    )
    assert again.status_code == 304


def test_unicode_filenames_are_kept_and_served_safely(client, merchant):
    body = upload(client, merchant.bearer, png(), "../../étiquette\x07 été.png").json
    assert body["filename"] == "étiquette été.png"
    content = client.get(body["contentUrl"], headers=merchant.bearer)
    assert content.headers["Content-Disposition"] == (
        "inline; filename=\"etiquette ete.png\"; filename*=UTF-8''%C3%A9tiquette%20%C3%A9t%C3%A9.png"
    )


# Rejections


def test_rejected_file_stores_nothing_and_its_event_outlives_the_422(client, app, merchant):
    response = upload(client, merchant.bearer, ZIP, "photo.png", purpose="design")
    assert response.status_code == 422
    error = response.json["error"]
    assert error["field"] == "file" and error["message"].startswith(
        "The file failed preflight: The file is a ZIP"
    )
    assert error["errors"] == [{"field": "file", "check": "type", "message": error["errors"][0]["message"]}]
    assert rows(app, File, merchant.store_id) == [] and stored_keys(app, merchant.store_id) == []
    (event,) = rows(app, Event, merchant.store_id)
    assert event.type == "file.preflight_failed"
    assert event.data["filename"] == "photo.png" and event.data["purpose"] == "design"
    assert event.data["reasons"] == [error["errors"][0]["message"]]
    assert event.data["preflight"]["status"] == "failed" and event.data["uploadedBy"] == "secret"


def test_rejection_with_an_idempotency_key_can_be_retried_with_a_good_file(client, app, merchant):
    headers = merchant.bearer | {"Idempotency-Key": "upload-1"}
    assert upload(client, headers, ZIP, "a.png").status_code == 422
    assert upload(client, headers, png(), "a.png").status_code == 201
    assert len(rows(app, File, merchant.store_id)) == 1


def fields_only(client, merchant, fields: dict):
    """The upload route sent `fields` as a multipart form with no file part."""
    return client.post(
        "/api/v1/files/upload", data=fields, headers=merchant.bearer, content_type="multipart/form-data"
    )


def test_missing_file_names_the_field(client, merchant):
    response = fields_only(client, merchant, {"purpose": "upload"})
    assert response.status_code == 422 and response.json["error"]["field"] == "file"


def test_file_sent_as_a_plain_field_names_the_field(client, merchant):
    response = fields_only(client, merchant, {"file": "aGVsbG8="})
    assert response.status_code == 422 and response.json["error"]["field"] == "file"
    assert "must be a file" in response.json["error"]["message"]


def test_json_body_is_unsupported(client, merchant):
    response = client.post("/api/v1/files/upload", json={"file": "aGVsbG8="}, headers=merchant.bearer)
    assert response.status_code == 415 and response.json["error"]["code"] == "unsupported_media_type"


def test_body_over_the_upload_limit_is_413_in_the_error_shape(client, app, merchant):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(client, merchant.bearer, bytes(20_000), "big.jpg")
    assert response.status_code == 413 and response.json["error"]["code"] == "payload_too_large"
    assert stored_keys(app, merchant.store_id) == []


def test_two_files_in_the_single_upload_are_refused(client, merchant):
    form = {"file": [(io.BytesIO(png()), "a.png"), (io.BytesIO(png()), "b.png")]}
    response = client.post("/api/v1/files/upload", data=form, headers=merchant.bearer)
    assert response.status_code == 422 and "batch" in response.json["error"]["message"]


@pytest.mark.parametrize("field", ["id", "preflightStatus", "format", "uploadedBy", "sha256", "storageKey"])
def test_mass_assignment_is_refused(client, app, merchant, field):
    response = upload(client, merchant.bearer, png(), "a.png", **{field: "passed"})
    assert response.status_code == 422
    assert response.json["error"]["field"] == field
    assert response.json["error"]["message"] == f"Field '{field}' is not accepted here"
    assert rows(app, File, merchant.store_id) == []


def test_a_file_under_another_field_name_is_refused(client, merchant):
    form = {"file": (io.BytesIO(png()), "a.png"), "extra": (io.BytesIO(png()), "b.png")}
    response = client.post("/api/v1/files/upload", data=form, headers=merchant.bearer)
    assert response.status_code == 422 and response.json["error"]["field"] == "extra"


def test_unknown_purpose_is_refused(client, merchant):
    response = upload(client, merchant.bearer, png(), "a.png", purpose="avatar")
    assert response.status_code == 422 and response.json["error"]["field"] == "purpose"


# Product rules


def _product(app, store_id: str, personalization: dict, slug: str = "card") -> str:
    with app.app_context():
        product = Product(store_id=store_id, slug=slug, name="Business card", personalization=personalization)
        product.sides = [Side(store_id=store_id, name="Front", width_mm=85.0, height_mm=55.0)]
        db.session.add(product)
        db.session.commit()
        return product.id


def test_product_allowed_types_are_enforced(client, app, merchant):
    product_id = _product(app, merchant.store_id, {"allowedFileTypes": ["png"]})
    refused = upload(client, publishable(merchant), jpeg(), "photo.jpg", productId=product_id)
    assert refused.status_code == 422
    assert "does not accept (allowed: png)" in refused.json["error"]["message"]
    accepted = upload(client, publishable(merchant), png(1200, 800), "photo.png", productId="card")  # by slug
    assert accepted.status_code == 201


def test_product_size_limit_and_minimum_dpi_apply(client, app, merchant):
    product_id = _product(app, merchant.store_id, {"maxUploadBytes": 5_000, "minImageDpi": 300})
    too_big = upload(client, merchant.bearer, png(2000, 2000) + bytes(0), "big.png", productId=product_id)
    assert too_big.status_code == 422 and too_big.json["error"]["errors"][0]["check"] == "size"
    small = upload(client, merchant.bearer, jpeg(400, 300), "small.jpg", productId=product_id)
    assert small.status_code == 201
    resolution = next(c for c in small.json["preflight"]["checks"] if c["name"] == "resolution")
    assert resolution["status"] == "warning" and "85×55 mm side" in resolution["message"]


def test_product_of_another_store_is_not_found(client, app, merchant, make_merchant):
    other = make_merchant("Other")
    product_id = _product(app, other.store_id, {})
    response = upload(client, merchant.bearer, png(), "a.png", productId=product_id)
    assert response.status_code == 422 and response.json["error"]["field"] == "productId"


# Who may do what


def test_publishable_token_cannot_list_count_or_delete(client, merchant):
    file_id = upload(client, merchant.bearer, png(), "a.png").json["id"]
    for method, path in (
        ("get", "/api/v1/files"),
        ("get", "/api/v1/files/count"),
        ("delete", f"/api/v1/files/{file_id}"),
    ):
        response = getattr(client, method)(path, headers=publishable(merchant))
        assert response.status_code == 403, path


def test_publishable_token_reads_merchant_assets_by_id(client, merchant):
    body = upload(client, merchant.bearer, png(), "mockup.png", purpose="mockup").json
    assert client.get(f"/api/v1/files/{body['id']}", headers=publishable(merchant)).status_code == 200
    assert client.get(body["contentUrl"], headers=publishable(merchant)).status_code == 200
    assert client.get(body["thumbnailUrl"], headers=publishable(merchant)).status_code == 200


def test_publishable_token_cannot_upload_merchant_assets(client, app, merchant):
    response = upload(client, publishable(merchant), png(), "a.png", purpose="mockup")
    assert response.status_code == 403 and response.json["error"]["field"] == "purpose"
    assert rows(app, File, merchant.store_id) == []


def test_read_token_cannot_upload_or_delete_but_can_read(client, merchant, make_merchant):
    file_id = upload(client, merchant.bearer, png(), "a.png").json["id"]
    reader = make_merchant("Reader", scopes=["read"])
    read_only = {"Authorization": f"Bearer {reader.token}"}
    assert upload(client, read_only, png(), "a.png").status_code == 403
    assert client.get("/api/v1/files", headers=read_only).status_code == 200
    orders_only = make_merchant("Orders", scopes=["orders"])
    assert upload(client, orders_only.bearer, png(), "a.png").status_code == 403
    assert client.get(f"/api/v1/files/{file_id}", headers=merchant.bearer).status_code == 200


def test_anonymous_callers_are_refused(client, merchant):
    assert upload(client, {}, png(), "a.png").status_code == 401


def test_another_stores_file_is_not_found_on_every_route(client, app, merchant, make_merchant):
    file_id = upload(client, merchant.bearer, png(), "a.png").json["id"]
    other = make_merchant("Other")
    for headers in (other.bearer, publishable(other)):
        for suffix in ("", "/content", "/thumbnail"):
            response = client.get(f"/api/v1/files/{file_id}{suffix}", headers=headers)
            assert response.status_code == 404, suffix
            assert response.json["error"]["code"] == "not_found"
    assert client.delete(f"/api/v1/files/{file_id}", headers=other.bearer).status_code == 404
    assert client.get("/api/v1/files", headers=other.bearer).json["data"] == []
    assert client.get("/api/v1/files/count", headers=other.bearer).json == {"count": 0}
    assert len(stored_keys(app, merchant.store_id)) == 2


def test_account_callers_name_their_store(client, merchant, make_merchant):
    missing = upload(client, merchant.basic, png(), "a.png")
    assert missing.status_code == 422 and missing.json["error"]["field"] == "storeId"
    body = upload(client, merchant.basic, png(), "a.png", storeId=merchant.store_id).json
    assert body["uploadedBy"] == "account"
    listed = client.get(f"/api/v1/files?storeId={merchant.store_id}", headers=merchant.basic)
    assert [item["id"] for item in listed.json["data"]] == [body["id"]]
    other = make_merchant("Other")
    assert upload(client, merchant.basic, png(), "a.png", storeId=other.store_id).status_code == 404
    assert (
        client.get(f"/api/v1/files/{body['id']}?storeId={other.store_id}", headers=merchant.basic).status_code
        == 404
    )


def test_a_token_naming_another_store_is_not_found(client, merchant, make_merchant):
    other = make_merchant("Other")
    assert upload(client, merchant.bearer, png(), "a.png", storeId=other.store_id).status_code == 404


# Listing, counting, deleting


def test_list_filters_by_purpose_and_paginates(client, merchant):
    ids = [upload(client, merchant.bearer, png(), f"{n}.png", purpose="clipart").json["id"] for n in range(3)]
    upload(client, merchant.bearer, jpeg(), "photo.jpg")
    clipart = client.get("/api/v1/files?purpose=clipart&limit=2", headers=merchant.bearer).json
    assert [item["id"] for item in clipart["data"]] == ids[::-1][:2] and clipart["hasMore"]
    rest = client.get(
        f"/api/v1/files?purpose=clipart&startingAfter={clipart['nextCursor']}", headers=merchant.bearer
    )
    assert [item["id"] for item in rest.json["data"]] == [ids[0]]
    assert client.get("/api/v1/files/count", headers=merchant.bearer).json == {"count": 4}
    assert client.get("/api/v1/files/count?format=jpeg", headers=merchant.bearer).json == {"count": 1}
    bad = client.get("/api/v1/files?purpose=avatar", headers=merchant.bearer)
    assert bad.status_code == 422 and bad.json["error"]["field"] == "purpose"


def test_delete_removes_the_row_and_the_stored_bytes(client, app, merchant):
    body = upload(client, merchant.bearer, jpeg(), "photo.jpg").json
    response = client.delete(f"/api/v1/files/{body['id']}", headers=merchant.bearer)
    assert response.status_code == 200 and response.json == {"id": body["id"], "deleted": True}
    assert client.get(f"/api/v1/files/{body['id']}", headers=merchant.bearer).status_code == 404
    assert client.get(body["contentUrl"], headers=merchant.bearer).status_code == 404
    assert stored_keys(app, merchant.store_id) == []


def test_stored_bytes_follow_the_transaction(app, merchant):
    with app.app_context():
        file = service.upload_file(
            merchant.store_id, filename="a.png", data=png(), purpose="upload", uploaded_by="secret"
        )
        assert len(storage().keys(merchant.store_id)) == 2
        db.session.rollback()  # the unit of work failed after the upload: its bytes go too
        assert storage().keys(merchant.store_id) == []
        file = service.upload_file(
            merchant.store_id, filename="a.png", data=png(), purpose="upload", uploaded_by="secret"
        )
        db.session.commit()
        service.delete_file(service.get_file(merchant.store_id, file.id))
        db.session.rollback()  # a delete that did not commit keeps the bytes
        assert service.read_file(service.get_file(merchant.store_id, file.id)) == png()
        service.delete_file(service.get_file(merchant.store_id, file.id))
        db.session.commit()
        assert storage().keys(merchant.store_id) == []


def test_missing_bytes_are_not_found_rather_than_an_error(client, app, merchant):
    body = upload(client, merchant.bearer, png(), "a.png").json
    with app.app_context():
        storage().delete(f"{merchant.store_id}/{body['id']}/original.png")
    response = client.get(body["contentUrl"], headers=merchant.bearer)
    assert response.status_code == 404 and "missing from storage" in response.json["error"]["message"]


# Batch


def test_batch_upload_stores_every_file(client, merchant):
    form = {"files[]": [(io.BytesIO(png()), "a.png"), (io.BytesIO(jpeg()), "b.jpg")], "purpose": "clipart"}
    response = client.post("/api/v1/files/upload/batch", data=form, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    assert [item["filename"] for item in response.json["data"]] == ["a.png", "b.jpg"]
    assert {item["purpose"] for item in response.json["data"]} == {"clipart"}


def test_batch_upload_is_all_or_nothing(client, app, merchant):
    form = {"files[]": [(io.BytesIO(png()), "a.png"), (io.BytesIO(ZIP), "b.png"), (io.BytesIO(b""), "c.png")]}
    response = client.post("/api/v1/files/upload/batch", data=form, headers=merchant.bearer)
    assert response.status_code == 422
    error = response.json["error"]
    assert error["field"] == "files.1" and error["message"].startswith("2 of 3 files failed preflight")
    assert [(item["index"], item["check"]) for item in error["errors"]] == [(1, "type"), (2, "type")]
    assert rows(app, File, merchant.store_id) == [] and stored_keys(app, merchant.store_id) == []
    events = rows(app, Event, merchant.store_id)
    assert sorted(event.data["filename"] for event in events) == ["b.png", "c.png"]


def test_batch_upload_needs_files(client, merchant):
    response = client.post(
        "/api/v1/files/upload/batch",
        data={"purpose": "upload"},
        headers=merchant.bearer,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and response.json["error"]["field"] == "files[]"


def test_files_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {
        "/api/v1/files/upload",
        "/api/v1/files/upload/batch",
        "/api/v1/files",
        "/api/v1/files/count",
        "/api/v1/files/{fileId}",
        "/api/v1/files/{fileId}/content",
        "/api/v1/files/{fileId}/thumbnail",
    } <= set(paths)
    assert paths["/api/v1/files/upload"]["post"]["tags"] == ["Files"]


# A filename that is not UTF-8


def raw_upload(client, headers: dict, filename: bytes, data: bytes, fields: dict | None = None):
    """A multipart upload written byte by byte, so the filename goes as the client encoded it."""
    boundary = b"presswork-boundary"
    body = b""
    for name, value in (fields or {}).items():
        body += b"--" + boundary + b"\r\nContent-Disposition: form-data; "
        body += b'name="' + name.encode() + b'"\r\n\r\n'
        body += value.encode() + b"\r\n"
    body += b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="' + filename
    body += b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + data + b"\r\n--" + boundary + b"--\r\n"
    return client.post(
        "/api/v1/files/upload",
        data=body,
        headers=headers | {"Content-Type": f"multipart/form-data; boundary={boundary.decode()}"},
    )


def test_a_filename_sent_in_latin_1_is_accepted_and_kept_readable(client, merchant):
    response = raw_upload(client, merchant.bearer, "café.png".encode("latin-1"), png())
    assert response.status_code == 201, response.json
    assert response.json["filename"] == "café.png"


def test_a_latin_1_filename_keeps_the_other_fields_of_the_form(client, merchant):
    response = raw_upload(
        client, merchant.bearer, "Grüße.png".encode("cp1252"), png(), fields={"purpose": "mockup"}
    )
    assert response.status_code == 201, response.json
    assert response.json["filename"] == "Grüße.png" and response.json["purpose"] == "mockup"


def test_a_utf_8_filename_is_read_as_utf_8(client, merchant):
    response = raw_upload(client, merchant.bearer, "名刺.png".encode(), png())
    assert response.status_code == 201, response.json
    assert response.json["filename"] == "名刺.png"
