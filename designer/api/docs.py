"""The API's description of itself: the OpenAPI document, its reference page, and health."""

from flask import Blueprint, current_app, render_template, url_for
from redis import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from designer import queue
from designer.api.auth import ANYONE
from designer.api.blueprint import api
from designer.api.openapi import document
from designer.api.operations import operation
from designer.api.respond import respond
from designer.api.schemas import Schema
from designer.extensions import db
from designer.security_headers import allow_blob_workers

blueprint = Blueprint("docs", __name__)


def cached_document() -> dict:
    if "openapi" not in current_app.extensions:
        current_app.extensions["openapi"] = document(current_app)
    return current_app.extensions["openapi"]


@api.get("/openapi.json")
@operation("The OpenAPI 3.1 document of this API", resource=None, auth=ANYONE, tag="Meta")
def openapi_document(caller):
    return respond(cached_document())


class Health(Schema):
    status: str
    database: bool
    redis: bool
    # Live workers: those that heartbeat within WORKER_TTL_S (a dead worker's key outlives it).
    workers: int
    # Live workers per queue (renders, proofs, webhooks): 0 means that work waits.
    queues: dict[str, int]


@api.get("/health")
@operation(
    "Whether the database and Redis answer, and the live workers of each queue",
    resource=None,
    auth=ANYONE,
    response=Health,
    tag="Meta",
)
def get_health(caller):
    try:
        db.session.execute(text("SELECT 1"))
        database = True
    except SQLAlchemyError:
        db.session.rollback()
        database = False
    try:
        live = queue.live_workers(queue.connection())
        redis_ok = True
    except RedisError:
        live, redis_ok = [], False
    per_queue = {name: sum(name in worker.queue_names() for worker in live) for name in queue.QUEUES}
    healthy = database and redis_ok
    return respond(
        Health(
            status="ok" if healthy else "degraded",
            database=database,
            redis=redis_ok,
            workers=len(live),
            queues=per_queue,
        ),
        status=200 if healthy else 503,
    )


@blueprint.get("/api/docs")
def reference():
    """The API's reference for a person, drawn in the browser from the OpenAPI document."""
    return reference_page("Presswork API reference", url_for("api.openapi_document"))


def reference_page(title: str, spec_url: str) -> str:
    """The reference page of the OpenAPI document at `spec_url`: Redoc, served from static/vendor
    (no CDN), renders it. Its search runs in a worker Redoc makes from a blob: URL, which this
    page's policy allows."""
    allow_blob_workers()
    return render_template("api/docs.html", title=title, spec_url=spec_url)
