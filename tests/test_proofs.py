"""The proof: completing a design queues a job that a real RQ worker (a burst worker process on
the real Redis) runs: the composer in print mode, CairoSVG, a PNG stored as a file that the
design's proof route serves."""

import io

import redis
from PIL import Image

from designer.designs.models import Design
from designer.extensions import db
from designer.files.models import File
from designer.rendering.proofs import PROOF_WIDTH_PX
from designer.tenancy import across_stores
from tests.factories import created_design as created
from tests.factories import layer_named, run_worker, storefront


def proof(client, merchant, design: dict):
    return client.get(f"/api/v1/designs/{design['id']}/proof", headers=storefront(merchant))


def test_a_completed_design_gets_a_png_proof_from_the_worker(
    app, client, merchant, design, redis_url, app_config
):
    assert proof(client, merchant, design).status_code == 404  # not completed yet
    done = client.post(f"/api/v1/designs/{design['id']}/complete", headers=storefront(merchant))
    assert done.status_code == 200, done.json
    waiting = proof(client, merchant, design)
    assert waiting.status_code == 202 and waiting.json == {"status": "queued"}

    run_worker(redis_url, app_config)

    served = proof(client, merchant, design)
    assert served.status_code == 200, served.get_data(as_text=True)[:300]
    assert served.mimetype == "image/png"
    image = Image.open(io.BytesIO(served.data))
    image.load()
    assert image.format == "PNG" and image.width == PROOF_WIDTH_PX
    # 85 × 55 mm plus 3 mm bleed each side, drawn 800 px wide.
    assert image.height == round(PROOF_WIDTH_PX * 61 / 91)
    rgb = image.convert("RGB")
    # The locked blue accent bar runs down the left edge of the trim (x 0–6 mm): 26–79 px.
    assert _near(rgb.getpixel((50, image.height // 2)), (0x0B, 0x5C, 0xAD))
    # The card is white where nothing is drawn; the Name is dark text somewhere in its box.
    assert _near(rgb.getpixel((image.width - 30, image.height - 30)), (255, 255, 255))
    name_box = (
        round(15 / 91 * 800),
        round(17 / 61 * image.height),
        round(78 / 91 * 800),
        round(26 / 61 * image.height),
    )
    darkest = [low for low, _ in rgb.crop(name_box).getextrema()]
    assert max(darkest) < 100
    with app.app_context():
        stored = db.session.scalars(across_stores(db.select(Design).where(Design.id == design["id"]))).one()
        file = db.session.scalars(across_stores(db.select(File).where(File.id == stored.proof_file_id))).one()
        assert (file.purpose, file.format, file.store_id) == ("proof", "png", merchant.store_id)


def test_completing_again_replaces_the_proof(app, client, merchant, design, redis_url, app_config):
    url = f"/api/v1/designs/{design['id']}"
    client.post(f"{url}/complete", headers=storefront(merchant))
    run_worker(redis_url, app_config)
    first = proof(client, merchant, design)
    name = layer_named(design, "Name")["id"]
    client.patch(f"{url}/layers/{name}", json={"text": "Someone Else Entirely"}, headers=storefront(merchant))
    client.post(f"{url}/complete", headers=storefront(merchant))
    assert proof(client, merchant, design).status_code == 202
    run_worker(redis_url, app_config)
    second = proof(client, merchant, design)
    assert second.status_code == 200 and second.data != first.data
    with app.app_context():
        proofs = db.session.scalars(across_stores(db.select(File).where(File.purpose == "proof"))).all()
        assert len(proofs) == 1  # the first proof's file is gone


def test_completing_a_project_renders_a_proof_per_design(client, merchant, card, redis_url, app_config):
    front = created(client, storefront(merchant), card)
    back = created(client, storefront(merchant), card, side=1, projectId=front["projectId"])
    done = client.post(f"/api/v1/projects/{front['projectId']}/complete", headers=storefront(merchant))
    assert done.status_code == 200, done.json
    run_worker(redis_url, app_config)
    for design in (front, back):
        served = proof(client, merchant, design)
        assert served.status_code == 200 and Image.open(io.BytesIO(served.data)).width == PROOF_WIDTH_PX


def test_a_proof_is_read_by_whoever_may_read_the_design(client, make_merchant, merchant, design):
    assert proof(client, merchant, design).status_code == 404
    stranger = make_merchant("Stranger")
    assert client.get(f"/api/v1/designs/{design['id']}/proof", headers=stranger.bearer).status_code == 404
    assert client.get(f"/api/v1/designs/{design['id']}/proof").status_code == 401


def _near(pixel: tuple, expected: tuple, tolerance: int = 24) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=True))


def test_asking_for_a_proof_while_redis_is_down_is_a_503_to_retry(app, client, merchant, design):
    done = client.post(f"/api/v1/designs/{design['id']}/complete", headers=storefront(merchant))
    assert done.status_code == 200, done.json
    app.extensions["redis"] = redis.Redis.from_url("redis://127.0.0.1:1/0")  # nothing listens there
    down = proof(client, merchant, design)
    assert down.status_code == 503 and down.headers["Retry-After"] == "5"
    assert down.json["error"]["code"] == "service_unavailable"
    assert "Redis" in down.json["error"]["message"]


def test_a_proof_taken_off_the_queue_by_a_worker_killed_before_starting_it_is_queued_again(
    app, client, merchant, design, redis_url, app_config
):
    from datetime import timedelta

    from rq import Queue

    from designer.models import utcnow
    from designer.rendering.models import Render
    from designer.rendering.proofs import requeue_lost_proofs
    from designer.rendering.renders import STALE_AFTER_S

    client.post(f"/api/v1/designs/{design['id']}/complete", headers=storefront(merchant))
    connection = redis.Redis.from_url(redis_url)
    proofs = Queue("proofs", connection=connection)
    # A worker on several queues pops the job (LPOP) and is killed before it marks it started.
    assert connection.lpop(proofs.key).decode() == f"proof-{design['id']}"
    assert proof(client, merchant, design).json == {"status": "queued"}  # and it would say so forever
    with app.app_context():
        assert requeue_lost_proofs() == []  # not stale yet: it may still be on its way
        earlier = utcnow() - timedelta(seconds=STALE_AFTER_S + 1)
        for render in db.session.scalars(across_stores(db.select(Render))):
            render.queued_at = earlier  # instead of waiting: the proof was queued that long ago
        db.session.commit()
        assert requeue_lost_proofs() == [design["id"]]
        assert requeue_lost_proofs() == []  # waiting in its queue now: left alone
    assert proofs.job_ids == [f"proof-{design['id']}"]

    run_worker(redis_url, app_config)

    served = proof(client, merchant, design)
    assert served.status_code == 200 and served.mimetype == "image/png"
