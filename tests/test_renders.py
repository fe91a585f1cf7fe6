"""Print-ready PDFs through the API: asking for a design's or a project's render queues one job,
a real RQ worker process (burst, real Redis) renders it, and the route serves the PDF, read back
here with pikepdf."""

import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pikepdf
import pytest
import redis as redis_lib
from PIL import Image
from rq import Queue, Worker
from rq.utils import utcformat

from designer import sweeps
from designer.events import Event
from designer.extensions import db
from designer.files.models import File
from designer.models import utcnow
from designer.rendering import renders
from designer.rendering.models import Render
from designer.rendering.pdf import RenderError
from designer.tenancy import across_stores
from designer.units import MM_PER_POINT
from tests.factories import created_design as created
from tests.factories import layer_named, run_worker, storefront

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The demo business card: 85 × 55 mm, 3 mm bleed on every edge.
TRIM_MM, BLEED_MM = (85, 55), 3
BOXES = ("MediaBox", "BleedBox", "TrimBox")


def render_of(client, headers: dict, design: dict, **query):
    return client.get(f"/api/v1/designs/{design['id']}/render", headers=headers, query_string=query)


def pages_of(pdf_bytes: bytes) -> list[dict]:
    """Each page's MediaBox, BleedBox and TrimBox in mm, read back with pikepdf."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        return [{name: box_mm(page.obj[f"/{name}"]) for name in BOXES} for page in pdf.pages]


def box_mm(box) -> list[float]:
    return [round(float(value) * MM_PER_POINT, 2) for value in box]


def renders_in(app) -> list[Render]:
    with app.app_context():
        return list(db.session.scalars(across_stores(db.select(Render).order_by(Render.created_at))))


def one(model, row_id: str):
    return db.session.scalars(across_stores(db.select(model).where(model.id == row_id))).one()


def assert_print_ready(page: dict) -> None:
    width_mm, height_mm = TRIM_MM
    media = [0, 0, width_mm + 2 * BLEED_MM, height_mm + 2 * BLEED_MM]
    assert page["MediaBox"] == page["BleedBox"] == media
    assert page["TrimBox"] == [BLEED_MM, BLEED_MM, width_mm + BLEED_MM, height_mm + BLEED_MM]


def test_a_design_is_rendered_by_the_worker_and_served_as_a_pdf(
    app, client, merchant, design, redis_url, app_config
):
    waiting = render_of(client, merchant.bearer, design)
    assert waiting.status_code == 202, waiting.json
    assert waiting.json["status"] == "queued" and waiting.json["renderId"].startswith("rnd_")
    assert waiting.headers["Retry-After"] == str(renders.RETRY_AFTER_S)

    run_worker(redis_url, app_config)

    served = render_of(client, merchant.bearer, design)
    assert served.status_code == 200, served.get_data(as_text=True)[:300]
    assert served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["ETag"] == f'"{hashlib.sha256(served.data).hexdigest()}"'
    [page] = pages_of(served.data)
    assert_print_ready(page)
    with app.app_context():
        [render] = db.session.scalars(across_stores(db.select(Render))).all()
        assert (render.status, render.attempts, render.error) == ("done", 1, None)
        file = one(File, render.file_id)
        assert (file.purpose, file.format, file.store_id) == ("print", "pdf", merchant.store_id)
        [rendered] = db.session.scalars(
            across_stores(db.select(Event).where(Event.type == "design.rendered"))
        )
        assert rendered.data["designId"] == design["id"] and rendered.data["renderId"] == render.id
        assert rendered.data["file"]["sha256"] == hashlib.sha256(served.data).hexdigest()
        assert rendered.data["file"]["url"].endswith(f"/api/v1/designs/{design['id']}/render")


@pytest.fixture
def business_card(card) -> dict:
    return card


def test_a_project_is_one_pdf_with_a_page_per_side_in_side_order(
    app, client, merchant, business_card, redis_url, app_config
):
    # The back is designed first: the pages still follow the sides' order.
    back = created(client, storefront(merchant), business_card, side=1)
    front = created(client, storefront(merchant), business_card, side=0, projectId=back["projectId"])
    url = f"/api/v1/projects/{back['projectId']}/render"
    assert client.get(url, headers=storefront(merchant)).status_code == 202

    run_worker(redis_url, app_config)

    served = client.get(url, headers=storefront(merchant))
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    pages = pages_of(served.data)
    assert len(pages) == 2
    for page in pages:
        assert_print_ready(page)
    with app.app_context():
        [rendered] = db.session.scalars(
            across_stores(db.select(Event).where(Event.type == "design.rendered"))
        )
        assert rendered.data["projectId"] == back["projectId"]
        assert rendered.data["designIds"] == [front["id"], back["id"]]
        assert rendered.data["pageCount"] == 2


def test_a_product_asking_for_crop_marks_gets_them_in_a_slug_and_a_new_render(
    client,
    merchant,
    card,
    design,
    redis_url,
    app_config,
):
    first = render_of(client, merchant.bearer, design).json["renderId"]
    asked = client.patch(
        f"/api/v1/products/{card['id']}/personalization", json={"cropMarks": True}, headers=merchant.bearer
    )
    assert asked.status_code == 200 and asked.json["personalization"]["cropMarks"] is True
    marked = render_of(client, merchant.bearer, design)
    assert marked.json["renderId"] != first  # what prints changed, so the render is another

    run_worker(redis_url, app_config)

    [page] = pages_of(render_of(client, merchant.bearer, design).data)
    slug_mm = 10
    width_mm, height_mm = TRIM_MM
    outer = [0, 0, width_mm + 2 * (BLEED_MM + slug_mm), height_mm + 2 * (BLEED_MM + slug_mm)]
    assert page["MediaBox"] == outer
    assert page["BleedBox"] == [slug_mm, slug_mm, outer[2] - slug_mm, outer[3] - slug_mm]
    inset = slug_mm + BLEED_MM
    assert page["TrimBox"] == [inset, inset, outer[2] - inset, outer[3] - inset]


def test_many_requests_for_the_same_render_queue_one_job(app, client, merchant, design, redis_url):
    first = render_of(client, merchant.bearer, design)
    second = render_of(client, storefront(merchant), design)
    assert first.status_code == second.status_code == 202
    assert first.json["renderId"] == second.json["renderId"]
    render_id = first.json["renderId"]
    with app.app_context():
        queued = Queue("renders", connection=app.extensions["redis"])
        assert queued.job_ids == [f"render-{render_id}"]
    assert len(renders_in(app)) == 1


def test_a_changed_design_gets_a_new_render_and_an_unchanged_one_keeps_its_file(
    app, client, merchant, design, redis_url, app_config
):
    render_of(client, merchant.bearer, design)
    run_worker(redis_url, app_config)
    first = render_of(client, merchant.bearer, design)
    assert first.status_code == 200
    assert render_of(client, merchant.bearer, design).headers["ETag"] == first.headers["ETag"]

    name = layer_named(design, "Name")["id"]
    changed = client.patch(
        f"/api/v1/designs/{design['id']}/layers/{name}",
        json={"text": "Someone Else"},
        headers=storefront(merchant),
    )
    assert changed.status_code == 200, changed.json
    waiting = render_of(client, merchant.bearer, design)
    assert waiting.status_code == 202
    run_worker(redis_url, app_config)
    second = render_of(client, merchant.bearer, design)
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert [render.status for render in renders_in(app)] == ["done", "done"]


def test_the_same_design_renders_to_the_same_bytes(app, client, merchant, design, redis_url, app_config):
    render_of(client, merchant.bearer, design)
    run_worker(redis_url, app_config)
    first = render_of(client, merchant.bearer, design)
    with app.app_context():
        db.session.execute(
            across_stores(db.delete(Render))
        )  # forget the cached render: the next GET renders again
        db.session.commit()
    assert render_of(client, merchant.bearer, design).status_code == 202
    run_worker(redis_url, app_config)
    second = render_of(client, merchant.bearer, design)
    assert second.status_code == 200 and second.data == first.data


def test_a_render_that_cannot_be_drawn_fails_with_its_reason_and_can_be_tried_again(
    app, client, merchant, design, monkeypatch
):
    render_id = render_of(client, merchant.bearer, design).json["renderId"]

    def broken(pages, identity):
        raise RenderError("Page 1: a picture cannot be read")

    monkeypatch.setattr(renders, "render_pdf", broken)
    with app.app_context():
        assert renders.run_render(render_id, last_attempt=False) is None  # no retry: it would fail again
    failed = render_of(client, merchant.bearer, design)
    assert failed.status_code == 409
    error = failed.json["error"]
    assert error["code"] == "conflict" and "a picture cannot be read" in error["message"]
    assert (error["status"], error["renderId"]) == ("failed", render_id)
    assert failed.headers["Retry-After"] == str(renders.FAILURE_SHOWN_S)
    # Asked again soon, it is still the failure: clients polling do not start attempt after attempt.
    assert render_of(client, merchant.bearer, design).status_code == 409

    with app.app_context():
        Queue("renders", connection=app.extensions["redis"]).empty()
        render = one(Render, render_id)
        render.finished_at = utcnow() - timedelta(seconds=renders.FAILURE_SHOWN_S + 1)
        db.session.commit()
    again = render_of(client, merchant.bearer, design)
    assert again.status_code == 202 and again.json == {
        "status": "queued",
        "renderId": render_id,
        "retryAfter": renders.RETRY_AFTER_S,
        "error": None,
        "checks": [],
    }
    with app.app_context():
        assert Queue("renders", connection=app.extensions["redis"]).job_ids == [f"render-{render_id}"]


def test_a_render_over_its_memory_cap_fails_with_the_reason_and_the_worker_goes_on(
    client,
    merchant,
    card,
    redis_url,
    app_config,
):
    poster = created(client, storefront(merchant), card, side=1)  # the back: a photo across it
    photo = upload_png(client, merchant, 3000, 2000)  # a PNG is decoded: 24 MB of pixels
    layer = {"type": "image", "name": "Photo", "fileId": photo, "x": -3, "y": -3, "width": 91, "height": 61}
    added = client.post(f"/api/v1/designs/{poster['id']}/layers", json=layer, headers=storefront(merchant))
    assert added.status_code == 201, added.json
    render_id = render_of(client, merchant.bearer, poster).json["renderId"]
    env = dict(
        os.environ,
        REDIS_URL=redis_url,
        DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"],
        RENDER_MEMORY_MB="4",
    )
    worker = subprocess.run([sys.executable, "-m", "worker", "--burst"], cwd=ROOT, env=env, timeout=120)
    assert worker.returncode == 0  # the worker survived the render that did not

    failed = render_of(client, merchant.bearer, poster)
    assert failed.status_code == 409 and "more memory" in failed.json["error"]["message"]
    assert failed.json["error"]["renderId"] == render_id
    render_of(client, merchant.bearer, poster, retry="true")
    run_worker(redis_url, app_config)  # with the default cap it renders
    assert render_of(client, merchant.bearer, poster).status_code == 200


def upload_png(client, merchant, width_px: int, height_px: int) -> str:
    png = io.BytesIO()
    # One colour: many pixels in few bytes (a large upload would be spooled to a file by the test client).
    Image.new("RGB", (width_px, height_px), (30, 90, 160)).save(png, "PNG")
    form = {"file": (io.BytesIO(png.getvalue()), "photo.png")}
    uploaded = client.post("/api/v1/files/upload", data=form, headers=merchant.bearer)
    assert uploaded.status_code == 201, uploaded.json
    return uploaded.json["id"]


def test_try_again_queues_a_failed_render_at_once(app, client, merchant, design, monkeypatch):
    render_id = render_of(client, merchant.bearer, design).json["renderId"]

    def too_large(pages, identity, separation=None):
        raise RenderError("too large")

    monkeypatch.setattr(renders, "render_pdf", too_large)
    with app.app_context():
        renders.run_render(render_id, last_attempt=True)
    assert render_of(client, merchant.bearer, design).status_code == 409
    assert render_of(client, merchant.bearer, design, retry="true").status_code == 202


def test_the_last_failed_attempt_marks_the_render_failed(app, client, merchant, design, monkeypatch):
    render_id = render_of(client, merchant.bearer, design).json["renderId"]

    def storage_down(*args, **kwargs):
        raise OSError("storage is unreachable")

    monkeypatch.setattr(renders, "store_rendered", storage_down)
    with app.app_context():
        with pytest.raises(OSError):
            renders.run_render(render_id, last_attempt=False)  # RQ retries it
        assert one(Render, render_id).status == "rendering"
        with pytest.raises(OSError):
            renders.run_render(render_id, last_attempt=True)
        render = one(Render, render_id)
        assert render.status == "failed" and "storage is unreachable" in render.error
        assert render.attempts == 2


def test_a_design_with_a_blocking_problem_is_not_rendered(app, client, merchant, design):
    name = layer_named(design, "Name")
    client.patch(
        f"/api/v1/designs/{design['id']}/layers/{name['id']}", json={"text": ""}, headers=storefront(merchant)
    )
    refused = render_of(client, merchant.bearer, design)
    assert refused.status_code == 422
    error = refused.json["error"]
    assert error["code"] == "validation_error" and error["field"] == "layers.1"
    assert [(item["layerId"], item["code"]) for item in error["errors"]] == [(name["id"], "required_empty")]
    assert renders_in(app) == []  # nothing queued


def test_another_stores_caller_and_anonymous_callers_get_no_render(client, make_merchant, merchant, design):
    stranger = make_merchant("Stranger")
    assert render_of(client, stranger.bearer, design).status_code == 404
    assert render_of(client, storefront(stranger), design).status_code == 404
    assert render_of(client, {}, design).status_code == 401
    project = client.get(f"/api/v1/projects/{design['projectId']}/render", headers=stranger.bearer)
    assert project.status_code == 404


def test_wait_holds_the_request_until_the_worker_is_done(
    app, client, merchant, design, redis_url, app_config
):
    assert render_of(client, storefront(merchant), design).status_code == 202
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    worker = subprocess.Popen(
        [sys.executable, "-m", "worker", "--queues", "renders", "--burst"], cwd=ROOT, env=env
    )
    try:
        # Held from when the worker listens (its start-up, seconds on a loaded machine, is not the render's).
        connection = redis_lib.Redis.from_url(redis_url)
        deadline = time.monotonic() + 60
        while not Worker.all(connection=connection) and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        served = render_of(client, storefront(merchant), design, wait=10)
        assert served.status_code == 200, served.get_data(as_text=True)[:300]
        assert served.mimetype == "application/pdf"
    finally:
        worker.wait(timeout=120)
    too_long = render_of(client, storefront(merchant), design, wait=60)
    assert too_long.status_code == 422 and too_long.json["error"]["field"] == "wait"


def test_htmx_gets_a_fragment_that_polls_until_the_download_link_shows(
    client, merchant, design, redis_url, app_config
):
    htmx = merchant.bearer | {"HX-Request": "true"}
    pending = render_of(client, htmx, design)
    assert pending.status_code == 200 and pending.mimetype == "text/html"
    html = pending.get_data(as_text=True)
    url = f"/api/v1/designs/{design['id']}/render"
    assert f'hx-get="http://localhost{url}"' in html
    assert 'hx-trigger="load delay:1s"' in html and 'hx-swap="outerHTML"' in html
    assert '<progress aria-label="Rendering the print-ready PDF">' in html and 'role="status"' in html

    run_worker(redis_url, app_config)

    done = render_of(client, htmx, design).get_data(as_text=True)
    assert "hx-get" not in done and f'href="http://localhost{url}"' in done and "Download" in done


# Lost jobs


def asked_for(app, client, merchant, design: dict) -> tuple[str, Queue]:
    """Ask for the design's PDF: the render's id, and the renders queue its job was put in."""
    render_id = render_of(client, merchant.bearer, design).json["renderId"]
    return render_id, Queue("renders", connection=app.extensions["redis"])


def assert_queued_again_once_stale(app, render_id: str, renders_queue: Queue) -> None:
    """Once the render looks stale, the sweep queues it again, and its job alone waits in the queue."""
    backdate(app, renders.STALE_AFTER_S + 1)
    with app.app_context():
        assert renders.requeue_stale_renders() == [render_id]
        assert renders_queue.job_ids == [f"render-{render_id}"]


def backdate(app, seconds: float) -> None:
    """Make every unfinished render look as old as `seconds` (instead of waiting)."""
    with app.app_context():
        for render in db.session.scalars(across_stores(db.select(Render))):
            if render.status in ("queued", "rendering"):
                earlier = utcnow() - timedelta(seconds=seconds)
                render.queued_at = earlier
                render.started_at = earlier if render.started_at else None
        db.session.commit()


def test_a_stale_render_whose_job_is_gone_is_queued_again(app, client, merchant, design, redis_url):
    render_id = render_of(client, merchant.bearer, design).json["renderId"]
    with app.app_context():
        Queue("renders", connection=app.extensions["redis"]).empty()  # Redis lost the job
        assert renders.requeue_stale_renders() == []  # not stale yet: it may still be on its way
    backdate(app, renders.STALE_AFTER_S + 1)
    with app.app_context():
        assert renders.requeue_stale_renders() == [render_id]
        assert Queue("renders", connection=app.extensions["redis"]).job_ids == [f"render-{render_id}"]
        # A render whose job waits in the queue is left alone, however old.
        assert renders.requeue_stale_renders() == []


def test_renders_survive_a_worker_killed_mid_batch(app, client, merchant, card, redis_url, app_config):
    designs = [created(client, storefront(merchant), card) for _ in range(6)]
    for number, each in enumerate(designs):  # each prints something different: six renders
        name = layer_named(each, "Name")["id"]
        url = f"/api/v1/designs/{each['id']}/layers/{name}"
        assert (
            client.patch(url, json={"text": f"Person {number}"}, headers=storefront(merchant)).status_code
            == 200
        )
        assert render_of(client, merchant.bearer, each).status_code == 202
    env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"])
    # A session of its own, so the kill takes the worker and the work horse it forks for a job.
    doomed = subprocess.Popen([sys.executable, "-m", "worker"], cwd=ROOT, env=env, start_new_session=True)
    try:
        statuses = _statuses_once_one_is_rendering(app, doomed)
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=30)
    assert "rendering" in statuses
    # Redis expires a dead worker's key within 70 s of its last heartbeat, a render is
    # reconsidered once stale, and the fleet sweeps every 30 s: all three are made so here
    # instead of waited for. The next worker's sweep queues the dead worker's render again.
    connection = redis_lib.Redis.from_url(redis_url)
    for key in connection.keys("rq:worker:*"):
        connection.delete(key)
    connection.delete(sweeps.LOCK)
    backdate(app, renders.STALE_AFTER_S + 1)

    run_worker(redis_url, app_config)

    with app.app_context():
        done = db.session.scalars(across_stores(db.select(Render))).all()
        assert sorted(render.status for render in done) == ["done"] * 6
        storage = app.extensions["presswork_storage"]
        for render in done:
            file = one(File, render.file_id)
            assert hashlib.sha256(storage.read(file.storage_key)).hexdigest() == file.sha256
    for each in designs:
        served = render_of(client, merchant.bearer, each)
        assert served.status_code == 200 and len(pages_of(served.data)) == 1


def _statuses_once_one_is_rendering(app, worker: subprocess.Popen, timeout_s: float = 60) -> list[str]:
    """Poll the renders until one is being rendered (and another is done), then return them all."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and worker.poll() is None:
        with app.app_context():
            statuses = [render.status for render in db.session.scalars(across_stores(db.select(Render)))]
            db.session.remove()
        if "rendering" in statuses and "done" in statuses:
            return statuses
        time.sleep(0.005)
    return statuses


def test_a_render_taken_off_the_queue_by_a_worker_killed_before_starting_it_is_queued_again(
    app, client, merchant, design, redis_url, app_config
):
    render_id, renders_queue = asked_for(app, client, merchant, design)
    connection = renders_queue.connection
    with app.app_context():
        # What a worker serving several queues does first (LPOP), and then it is killed: the job
        # is in no queue and no registry, its status still `queued`.
        assert connection.lpop(renders_queue.key).decode() == f"render-{render_id}"
        assert renders_queue.job_ids == [] and renders_queue.started_job_registry.get_job_ids() == []
        assert renders_queue.fetch_job(f"render-{render_id}").get_status() == "queued"
    assert_queued_again_once_stale(app, render_id, renders_queue)

    run_worker(redis_url, app_config)

    served = render_of(client, merchant.bearer, design)
    assert served.status_code == 200 and len(pages_of(served.data)) == 1


def test_a_render_stuck_where_a_single_queue_worker_left_it_is_queued_again(
    app, client, merchant, design, redis_url, app_config
):
    render_id, renders_queue = asked_for(app, client, merchant, design)
    connection = renders_queue.connection
    with app.app_context():
        # A worker on the renders queue alone moves the job to RQ's intermediate list, then dies.
        job, _ = Queue.dequeue_any([renders_queue], None, connection=connection)
        assert job.id == f"render-{render_id}" and renders_queue.job_ids == []
    assert_queued_again_once_stale(app, render_id, renders_queue)

    run_worker(redis_url, app_config)

    assert render_of(client, merchant.bearer, design).status_code == 200


def test_a_render_started_by_a_worker_silent_past_its_ttl_is_queued_again(
    app, client, merchant, design, redis_url
):
    render_id, renders_queue = asked_for(app, client, merchant, design)
    connection = renders_queue.connection
    with app.app_context():
        job, _ = Queue.dequeue_any([renders_queue], None, connection=connection)
        # A worker that started it and then went silent 80 s ago: its key has not expired yet.
        dead = Worker(["renders"], connection=connection, name="dead-worker")
        dead.register_birth()
        dead.prepare_execution(job)  # what the worker does before forking the work horse
        dead.prepare_job_execution(job)
        connection.hset(dead.key, "last_heartbeat", utcformat(utcnow() - timedelta(seconds=80)))
        assert renders_queue.fetch_job(job.id).get_status() == "started"
        assert job.id in renders_queue.started_job_registry
    assert_queued_again_once_stale(app, render_id, renders_queue)
