"""Variable-data batches: a template and rows (a CSV or XLSX spreadsheet, or JSON) made into a
design per row by a real RQ worker process (burst, real Redis), each row checked like any design,
the bad rows listed by row, column and reason; then a PDF per row and one merged PDF, read back
with pikepdf, and `batch.completed` in the outbox."""

import csv
import io
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pikepdf
import pytest
import redis as redis_lib
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import update

from designer.batches import service
from designer.batches.models import Batch, BatchItem
from designer.extensions import db
from designer.models import utcnow
from designer.rendering.models import Render
from designer.tenancy import across_stores
from tests.factories import count, error, events_of, listening, run_worker

PHOTO_COLOURS = ((200, 40, 40), (40, 160, 60), (30, 80, 200), (220, 180, 30), (120, 40, 160))
TOO_LONG = "A name far longer than forty characters allows"


def jpeg(colour: tuple[int, int, int], size_px=(600, 600)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size_px, colour).save(output, "JPEG", quality=85)
    return output.getvalue()


@contextmanager
def photo_server():
    """Photos at http://127.0.0.1:<port>/photo-<n>.jpg (a 404 for anything else)."""
    photos = {f"/photo-{index}.jpg": jpeg(colour) for index, colour in enumerate(PHOTO_COLOURS)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            data = photos.get(self.path)
            self.send_response(200 if data else 404)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(data or b"")))
            self.end_headers()
            self.wfile.write(data or b"")

        def log_message(self, *args):
            pass

    server = listening(Handler)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def loopback_photos(monkeypatch, app):
    """Photo URLs on this machine are fetched (the worker reads WEBHOOKS_ALLOW_LOOPBACK too)."""
    monkeypatch.setenv("WEBHOOKS_ALLOW_LOOPBACK", "1")
    app.config["WEBHOOKS_ALLOW_LOOPBACK"] = True
    with photo_server() as base:
        yield base


@pytest.fixture
def card_template(client, merchant, card) -> dict:
    """A template of the demo card's front: the Classic layers (Name takes at most 40 characters) and
    a Photo frame."""
    front = card["sides"][0]
    classic = client.get(f"/api/v1/sides/{front['id']}/templates", headers=merchant.bearer).json["data"][0]
    layers = [
        *[{k: v for k, v in layer.items() if k != "id"} for layer in classic["layers"]],
        {"type": "image", "name": "Photo", "x": 62, "y": 30, "width": 18, "height": 18},
    ]
    body = {"sideId": front["id"], "name": "Staff card", "layers": layers}
    response = client.post("/api/v1/templates", json=body, headers=merchant.bearer)
    assert response.status_code == 201, response.json
    return response.json


def csv_bytes(rows: list[dict], columns: list[str]) -> bytes:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode()


def staff_rows(count_: int, photos: str) -> list[dict]:
    return [
        {
            "Name": f"Person {number:04d}",
            "Title": "Studio Manager" if number % 2 else "Printer",
            "Contact": f"+44 20 7946 {number:04d}\nperson{number}@example.com",
            "Photo": f"{photos}/photo-{number % len(PHOTO_COLOURS)}.jpg",
            "Fax": "",
        }
        for number in range(1, count_ + 1)
    ]


def upload(client, merchant, template_id: str, data: bytes, filename="staff.csv", **fields):
    return client.post(
        "/api/v1/batches/upload",
        data={"templateId": template_id, "file": (io.BytesIO(data), filename), **fields},
        headers=merchant.bearer,
        content_type="multipart/form-data",
    )


def batch_of(client, merchant, batch_id: str) -> dict:
    response = client.get(f"/api/v1/batches/{batch_id}", headers=merchant.bearer)
    assert response.status_code == 200, response.json
    return response.json


BAD_ROWS = (10, 20, 30, 40)


@pytest.mark.parametrize("rows_count", [pytest.param(1000, marks=pytest.mark.slow), 60])
def test_a_csv_becomes_designs_pdfs_and_one_merged_pdf_with_the_bad_rows_listed(
    app, client, merchant, card_template, loopback_photos, redis_url, app_config, rows_count
):
    rows = staff_rows(rows_count, loopback_photos)
    rows[9]["Name"] = TOO_LONG  # row 10
    rows[19]["Fax"] = "+44 20 7946 0000"  # row 20: the template has no Fax layer
    rows[29]["Photo"] = f"{loopback_photos}/missing.jpg"  # row 30: answered 404
    rows[39]["Photo"] = "http://169.254.169.254/latest/meta-data"  # row 40: not a public address
    data = csv_bytes(rows, ["Name", "Title", "Contact", "Photo", "Fax"])
    good = [number for number in range(1, rows_count + 1) if number not in BAD_ROWS]

    created = upload(client, merchant, card_template["id"], data, render="true")
    assert created.status_code == 201, created.json
    shown = created.json
    assert (shown["status"], shown["rowCount"], shown["source"]) == ("checking", rows_count, "csv")

    # The renders queue alone: the designs' events wait for the webhook workers (none here).
    run_worker(redis_url, app_config, timeout_s=1800, queues=("renders",))

    batch = batch_of(client, merchant, created.json["id"])
    assert batch["status"] == "done", batch
    progress = batch["progress"]
    assert (progress["rendered"], progress["refused"], progress["failed"]) == (len(good), 4, 0)
    assert progress["percent"] == 100
    problems = {problem["row"]: problem for problem in batch["problems"]}
    assert sorted(problems) == list(BAD_ROWS)
    assert problems[10]["column"] == "Name"
    assert problems[10]["reason"] == f"the text has {len(TOO_LONG)} characters; this layer takes at most 40"
    assert problems[20]["column"] == "Fax" and "no layer called 'Fax'" in problems[20]["reason"]
    assert problems[30]["column"] == "Photo" and "answered 404" in problems[30]["reason"]
    assert problems[40]["column"] == "Photo" and "Refused" in problems[40]["reason"]

    merged = client.get(batch["pdfUrl"], headers=merchant.bearer)
    assert merged.status_code == 200 and merged.mimetype == "application/pdf"
    with pikepdf.open(io.BytesIO(merged.data)) as pdf:
        assert len(pdf.pages) == len(good)
        pictures = {
            bytes(image.read_raw_bytes())
            for image in pdf.objects
            if isinstance(image, pikepdf.Stream) and image.get("/Subtype") == "/Image"
        }
        assert len(pictures) == len(PHOTO_COLOURS)  # each photo once, however many pages show it

    items = client.get(f"/api/v1/batches/{batch['id']}/items?limit=100", headers=merchant.bearer)
    assert items.status_code == 200, items.json
    by_row = {item["row"]: item for item in items.json["data"]}
    assert (by_row[1]["status"], by_row[1]["values"]["Name"]) == ("rendered", "Person 0001")
    assert by_row[10]["status"] == "refused" and by_row[10]["pdfUrl"] is None
    # Page 50 of the merged PDF is row 54 (rows 10, 20, 30 and 40 are left out): its own PDF's page,
    # drawn from its design, which holds the row's name.
    row = by_row[54]
    design = client.get(f"/api/v1/designs/{row['designId']}", headers=merchant.bearer).json
    assert "Person 0054" in [layer.get("text") for layer in design["layers"]]
    one = client.get(row["pdfUrl"], headers=merchant.bearer)
    assert one.status_code == 200 and one.mimetype == "application/pdf"
    with pikepdf.open(io.BytesIO(one.data)) as alone, pikepdf.open(io.BytesIO(merged.data)) as pdf:
        assert len(alone.pages) == 1
        drawn = alone.pages[0].obj.Contents.read_bytes()
        assert pdf.pages[49].obj.Contents.read_bytes() == drawn
        assert pdf.pages[50].obj.Contents.read_bytes() != drawn
    assert count(app, Render) == len(good)  # each row's PDF is its design's render
    [completed] = events_of(app, merchant.store_id, "batch.completed")
    assert completed["data"]["id"] == batch["id"] and completed["data"]["progress"]["rendered"] == len(good)


def test_json_rows_make_designs_that_render_when_asked(
    app, client, merchant, card_template, redis_url, app_config
):
    body = {
        "templateId": card_template["id"],
        "rows": [
            {"Name": "Ada Lovelace", "Title": "Analyst"},
            {"Name": "", "Title": "Nobody"},
            {"Name": "Grace"},
        ],
    }
    created = client.post("/api/v1/batches", json=body, headers=merchant.bearer)
    assert created.status_code == 201, created.json

    run_worker(redis_url, app_config)

    batch = batch_of(client, merchant, created.json["id"])
    assert batch["status"] == "checked", batch
    assert (batch["progress"]["ready"], batch["progress"]["refused"]) == (2, 1)
    [problem] = batch["problems"]
    assert (problem["row"], problem["column"]) == (2, "Name")
    assert batch["pdfUrl"] is None
    assert client.get(f"/api/v1/batches/{batch['id']}/pdf", headers=merchant.bearer).status_code == 409

    started = client.post(f"/api/v1/batches/{batch['id']}/render", headers=merchant.bearer)
    assert started.status_code == 202, started.json
    assert started.json["status"] == "rendering"
    run_worker(redis_url, app_config)

    batch = batch_of(client, merchant, created.json["id"])
    assert batch["status"] == "done", batch
    merged = client.get(batch["pdfUrl"], headers=merchant.bearer)
    with pikepdf.open(io.BytesIO(merged.data)) as pdf:
        assert len(pdf.pages) == 2


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_an_xlsx_uploaded_as_a_file_makes_a_batch_by_its_file_id(
    app, client, merchant, card_template, redis_url, app_config
):
    workbook = xlsx_bytes(
        [["Name", "Title"], ["Ada Lovelace", 1815], [None, None], ["Grace Hopper", "Rear admiral"]]
    )
    uploaded = client.post(
        "/api/v1/files/upload",
        data={"file": (io.BytesIO(workbook), "staff.bin"), "purpose": "rows"},
        headers=merchant.bearer,
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201, uploaded.json
    assert uploaded.json["format"] == "xlsx"  # by its content: the name says nothing
    body = {"templateId": card_template["id"], "fileId": uploaded.json["id"]}
    created = client.post("/api/v1/batches", json=body, headers=merchant.bearer)
    assert created.status_code == 201, created.json
    assert (created.json["source"], created.json["rowCount"], created.json["columns"]) == (
        "xlsx",
        2,
        ["Name", "Title"],
    )

    run_worker(redis_url, app_config, queues=("renders",))

    items = client.get(f"/api/v1/batches/{created.json['id']}/items", headers=merchant.bearer).json["data"]
    # The blank row is skipped, the rows keep their numbers in the sheet (the header is row 0).
    assert [(item["row"], item["status"], item["values"]["Title"]) for item in items] == [
        (1, "ready", "1815"),
        (3, "ready", "Rear admiral"),
    ]
    design = client.get(f"/api/v1/designs/{items[1]['designId']}", headers=merchant.bearer).json
    [name] = [layer for layer in design["layers"] if layer.get("name") == "Name"]
    assert name["text"] == "Grace Hopper"


def test_what_is_not_a_spreadsheet_or_is_too_large_is_refused_with_the_reason(
    app, client, merchant, card_template
):
    template_id = card_template["id"]
    png = upload(client, merchant, template_id, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, filename="rows.csv")
    assert "not a spreadsheet" in error(png, 422, "validation_error", "file")["message"]
    zipped = upload(client, merchant, template_id, b"PK\x03\x04" + b"\x00" * 64, filename="rows.xlsx")
    assert "not an XLSX workbook" in error(zipped, 422, "validation_error", "file")["message"]
    app.config["BATCH_MAX_ROWS"] = 3
    many = upload(client, merchant, template_id, b"Name\nA\nB\nC\nD\n")
    assert "more than 3 rows" in error(many, 422, "validation_error", "file")["message"]
    app.config["BATCH_MAX_SPREADSHEET_BYTES"] = 10
    large = upload(client, merchant, template_id, b"Name\nAda Lovelace\n")
    assert "at most" in error(large, 422, "validation_error", "file")["message"]
    header_only = client.post(
        "/api/v1/batches", json={"templateId": "tpl_nope", "rows": [{"Name": "Ada"}]}, headers=merchant.bearer
    )
    error(header_only, 422, "validation_error", "templateId")
    both = client.post(
        "/api/v1/batches",
        json={"templateId": template_id, "rows": [{"Name": "Ada"}], "fileId": "fil_x"},
        headers=merchant.bearer,
    )
    assert error(both, 422, "validation_error")["message"]
    unknown_file = client.post(
        "/api/v1/batches", json={"templateId": template_id, "fileId": "fil_nope"}, headers=merchant.bearer
    )
    error(unknown_file, 422, "validation_error", "fileId")


def test_another_store_sees_no_batch(client, merchant, make_merchant, card_template):
    created = client.post(
        "/api/v1/batches",
        json={"templateId": card_template["id"], "rows": [{"Name": "Ada"}]},
        headers=merchant.bearer,
    )
    assert created.status_code == 201, created.json
    other = make_merchant("Other")
    for path in ("", "/items", "/pdf"):
        response = client.get(f"/api/v1/batches/{created.json['id']}{path}", headers=other.bearer)
        error(response, 404, "not_found")


def test_a_batch_whose_jobs_were_lost_is_queued_again_by_the_sweep(
    app, client, merchant, card_template, redis_url, app_config
):
    body = {"templateId": card_template["id"], "rows": [{"Name": "Ada Lovelace"}, {"Name": "Grace Hopper"}]}
    created = client.post("/api/v1/batches", json=body, headers=merchant.bearer)
    assert created.status_code == 201, created.json
    redis_lib.Redis.from_url(redis_url).flushdb()  # Redis restarted without its jobs
    with app.app_context():
        assert service.requeue_stalled_batches(45) == []  # its rows moved a moment ago: not stalled
        earlier = utcnow() - timedelta(seconds=60)
        for model in (Batch, BatchItem):
            db.session.execute(across_stores(update(model).values(updated_at=earlier)))
        db.session.commit()
        assert service.requeue_stalled_batches(45) == [created.json["id"]]
        assert service.requeue_stalled_batches(45) == []  # its job is queued now

    run_worker(redis_url, app_config, queues=("renders",))

    batch = batch_of(client, merchant, created.json["id"])
    assert (batch["status"], batch["progress"]["ready"]) == ("checked", 2)
