"""Renders: the print-ready PDF of a design (one page) or of a project (a page per side, in side
order), made by RQ workers and cached by a hash of their inputs. The same rows, queueing, sweep,
retries and status carry a design's proof (kind `proof`, rendering/proofs.py): one job pattern.

`request_render` composes each side in print mode now, in the request, because that is what
decides the bytes: the sha256 of every side's print SVG with its trim, bleed and slug is the
render's `input_hash`. The SVG refers to its photos by file id (`presswork-file:fil_…`, served to
the drawing from the store's own files): stored files never change, and the SVG stays small.
Asking again for an unchanged design finds the same render (and its file); a changed design
hashes differently and gets a new one. The database holds one render per owner,
kind and hash (a unique constraint), so however many clients ask at once, one row is created and its
job (id `render-<render id>`) is queued once, after the transaction that created it commits.

`render_job` is the job's body (worker/renders.py): in RQ's job, under the memory cap
(memory.py), `run_render` composes again, draws the PDF
(rendering/pdf.py), stores it as a File (purpose "print") under a key of its own, so running it
twice replaces the same object, marks the render done and records `design.rendered` in the same
transaction (outbox). A render keeps what the checks before print found (`checks`, from the
composition that decided its hash): warnings for the print shop, never a reason not to print.
A RenderError (the design itself cannot be printed) fails the render at once with its message;
anything else is raised for RQ to retry with back-off (RETRY), and the last attempt's error fails
the render.

`design.rendered` is one event per render: for a design `designId`, for a project `projectId`
and the `designIds` of its pages, and the file: `{id, url, sha256, sizeBytes}` (url: the render
route, which serves the PDF).

A failed render answers its reason; once FAILURE_SHOWN_S have passed (or when the caller asks
to retry) asking for it again queues a fresh attempt.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, timedelta

import redis
from flask import current_app
from rq import Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from designer import queue
from designer.composer import FILE_SCHEME, Composition
from designer.composer.checks import CHECK_CODES
from designer.designs.models import Design
from designer.designs.service import refuse_blocking
from designer.editing.service import compose_design
from designer.errors import Conflict, NotFound
from designer.events import record_event
from designer.extensions import after_commit, db
from designer.files.models import File
from designer.files.service import read_file, store_rendered
from designer.models import utcnow
from designer.products.models import Side
from designer.products.urls import endpoint_url
from designer.projects.models import Project
from designer.rendering.colour_modes import colour_settings, separation_for
from designer.rendering.memory import memory_cap
from designer.rendering.models import DONE, FAILED, PRINT, PROOF, QUEUED, RENDERING, Render
from designer.rendering.pdf import SLUG_MM, PrintPage, RenderError, render_pdf
from designer.rendering.pdfx import Identity
from designer.tenancy import across_stores, in_store

log = logging.getLogger(__name__)

JOB_TIMEOUT_S = 300
RETRY_INTERVALS_S = [10, 60, 300]
RETRY_AFTER_S = 2  # what a 202 tells a client to wait before asking again
FAILURE_SHOWN_S = 30  # a failure is answered this long before a new request retries it
MAX_WAIT_S = 10
STALE_AFTER_S = 45  # a render queued or rendering this long is checked for a lost job
_POLL_S = 0.2


@dataclass(frozen=True)
class Printed:
    """What a render of an owner prints: its pages, their designs and the hash of both."""

    pages: list[PrintPage]
    design_ids: list[str]
    input_hash: str
    compositions: list[tuple[Design, Composition]]


@dataclass(frozen=True)
class _Job:
    """How a kind of render is queued: its queue, its job, and its job id's prefix. The job's
    argument, and the rest of its id, is the render's id (a print) or its design's (a proof)."""

    queue: str
    function: str
    prefix: str


_JOBS = {
    PRINT: _Job(queue.RENDERS, "worker.renders.render", "render"),
    PROOF: _Job(queue.PROOFS, "worker.proofs.render_proof", "proof"),
}


def job_key(render: Render) -> str:
    """What the render's job is given: a proof's design id (one proof per design), else its id."""
    return render.design_id if render.kind == PROOF else render.id


def job_id(kind: str, key: str) -> str:
    """The RQ job id of a render of this kind: `render-<render id>`, `proof-<design id>`."""
    return f"{_JOBS[kind].prefix}-{key}"


def printed(owner: Design | Project) -> Printed:
    """The owner's sides composed for print, in side order, and the hash of what decides the PDF.

    Raises Conflict when there is nothing to print (no design, or every side deleted).
    """
    pages, design_ids, compositions, digest = [], [], [], hashlib.sha256()
    for design in _designs_of(owner):
        composition = compose_design(design, mode="print", linked_files=True)
        if composition is None:
            continue  # its side was deleted: nothing of it can print
        compositions.append((design, composition))
        page = print_page(design, composition)
        slug_mm = page.slug_mm
        svg = composition.svg.encode()
        digest.update(
            f"{page.width_mm!r} {page.height_mm!r} {page.bleed_mm!r} {slug_mm!r} {len(svg)}\n".encode()
        )
        digest.update(svg)
        pages.append(page)
        design_ids.append(design.id)
    if not pages:
        raise Conflict(f"'{owner.id}' has nothing to print: no design on a side that still exists")
    digest.update(colour_settings(compositions[0][0].product).encode())  # '' for RGB
    return Printed(pages, design_ids, digest.hexdigest(), compositions)


def checks_found(pages: Printed) -> list[dict]:
    """What the checks before print found on the pages (composer/checks.py): warnings for the print
    shop, each `{code, designId, layerId, message}`, in page order."""
    return [
        {"code": found.code, "designId": design.id, "layerId": found.layer_id, "message": found.message}
        for design, composition in pages.compositions
        for found in composition.problems
        if found.code in CHECK_CODES
    ]


def identity_of(owner: Design | Project, pages: Printed) -> Identity:
    """How the owner's PDF names and dates itself: the product and the owner's id, and the time its
    newest design was last changed (the same design gives the same PDF)."""
    designs = [design for design, _ in pages.compositions]
    changed = max(design.updated_at for design in designs)
    if changed.tzinfo is None:  # SQLite keeps no zone; the column is UTC
        changed = changed.replace(tzinfo=UTC)
    return Identity(f"{designs[0].product.name} – {owner.id}", changed)


def print_page(design: Design, composition: Composition) -> PrintPage:
    """The design's side as a page to draw: its print composition (composed with linked files),
    its trim and bleed, a slug when the product asks for crop marks, and the store's own files
    to serve the pictures."""
    side = design.side
    slug_mm = SLUG_MM if (design.product.personalization or {}).get("cropMarks") else 0.0
    return PrintPage(
        composition.svg,
        side.width_mm,
        side.height_mm,
        side.bleed_mm,
        assets=_stored_files(design.store_id),
        slug_mm=slug_mm,
    )


def _stored_files(store_id: str) -> Callable[[str], bytes | None]:
    """What serves a print SVG's `presswork-file:<id>` references: the store's own files, read
    from storage when the picture is drawn; anything else is not served."""

    def read(url: str) -> bytes | None:
        scheme, _, file_id = url.partition(":")
        if scheme != FILE_SCHEME:
            return None
        file = db.session.scalars(in_store(db.select(File).where(File.id == file_id), store_id)).first()
        if file is None:
            return None
        try:
            return read_file(file)
        except NotFound:
            return None

    return read


def request_render(store_id: str, owner: Design | Project, *, retry: bool = False) -> Render:
    """The render of what `owner` prints now: the existing one for these inputs, or a new one
    whose job is queued once the caller's transaction commits. A failed render is queued again
    when `retry` is set or its failure is older than FAILURE_SHOWN_S (flush, no commit).

    Raises Conflict when there is nothing to print, ValidationFailed (422) listing the blocking
    problems (an overflowing text, an empty required layer, a missing asset or glyph) that would
    print wrong: the same check as completing.
    """
    printing = printed(owner)
    refuse_blocking(printing.compositions, several=isinstance(owner, Project))
    input_hash = printing.input_hash
    render = find(store_id, owner.id, PRINT, input_hash)
    if render is None:
        render, created = create(store_id, owner, PRINT, input_hash)
        if created:
            render.checks = checks_found(printing)
            queue_after_commit(render)
    elif render.status == FAILED and (retry or _failure_is_old(render)):
        _requeue(render)
    return render


def requeue_stale_renders(stale_after_s: float = STALE_AFTER_S) -> list[str]:
    """Queue again every print render whose job was lost (see requeue_stale). Returns their ids.

    A sweep (designer/sweeps.py): the workers run it every sweep interval.
    """
    return [render.id for render in requeue_stale(PRINT, stale_after_s)]


def requeue_stale(kind: str, stale_after_s: float = STALE_AFTER_S) -> list[Render]:
    """Queue again every render of this kind queued or rendering for more than `stale_after_s`
    whose job is not actually on its way: neither waiting in its queue, nor started by a live
    worker (one that heartbeat within WORKER_TTL_S), nor scheduled or deferred. What the database
    says (`queued`) is not trusted: a worker killed just after taking the job off the queue leaves
    it in no queue and no registry, and a Redis restart without persistence forgets the job
    altogether. Returns the renders. Committed.

    A job taken off the queue an instant ago by a live worker may be queued a second time: render
    jobs are idempotent (a render already done is left as it is), so that costs a render.
    """
    cutoff = utcnow() - timedelta(seconds=stale_after_s)
    statement = db.select(Render).where(
        Render.kind == kind,
        Render.status.in_((QUEUED, RENDERING)),
        func.coalesce(Render.started_at, Render.queued_at, Render.created_at) < cutoff,
    )
    requeued = []
    for render in db.session.scalars(across_stores(statement)).all():
        job = _job_of(render)
        if job is not None and _is_on_its_way(job):
            continue
        if job is not None:
            job.delete()  # out of whatever registry holds it: the new job takes its id
        render.status, render.queued_at, render.started_at = QUEUED, utcnow(), None
        queue_after_commit(render)
        requeued.append(render)
    db.session.commit()
    if requeued:
        ids = ", ".join(render.id for render in requeued)
        log.warning("queued %d stale %s renders again: %s", len(requeued), kind, ids)
    return requeued


def latest_render(store_id: str, resource: str, owner_id: str) -> Render | None:
    """The owner's most recent print-ready PDF render (`resource` "projects" or "designs"),
    read-only (None: never asked for)."""
    column = Render.project_id if resource == "projects" else Render.design_id
    statement = (
        db.select(Render)
        .where(column == owner_id, Render.kind == PRINT)
        .order_by(Render.created_at.desc(), Render.id.desc())
    )
    return db.session.scalars(in_store(statement, store_id).limit(1)).first()


def find_render(render_id: str) -> Render | None:
    """The render with this id, whichever store's (for workers)."""
    return db.session.scalars(across_stores(db.select(Render).where(Render.id == render_id))).first()


def wait_for(render: Render, wait_s: float) -> Render:
    """Commit the caller's work (so a new render's job is queued), then hold until the render is
    done or failed, for at most `wait_s` (capped at MAX_WAIT_S) seconds. Returns it as it is then."""
    db.session.commit()
    deadline = time.monotonic() + min(max(wait_s, 0), MAX_WAIT_S)
    while render.status in (QUEUED, RENDERING) and time.monotonic() < deadline:
        time.sleep(_POLL_S)
        db.session.commit()  # a new transaction sees what the worker committed
        db.session.refresh(render)
    return render


def render_job(render_id: str) -> str | None:
    """The render job (worker/renders.py): run_render in RQ's current job, under the memory cap."""
    with running_job(render_id) as last_attempt:
        return run_render(render_id, last_attempt=last_attempt)


@contextmanager
def running_job(render_id: str) -> Iterator[bool]:
    """Inside a render job: note the render in the job's meta, cap the memory the render may take
    (RENDER_MEMORY_MB), and tell whether this is the job's last attempt (no retry left)."""
    job = get_current_job()
    if job is not None:
        job.meta["render_id"] = render_id
        job.save_meta()
    with memory_cap(current_app.config["RENDER_MEMORY_MB"]):
        yield job is None or not job.retries_left


def run_render(render_id: str, *, last_attempt: bool) -> str | None:
    """Render the PDF, store it, mark the render done and record design.rendered (committed).
    Returns the file's id; None when the render is gone or was superseded. Idempotent: a render
    already done is left as it is.

    Raises whatever other than a RenderError went wrong, for RQ to retry; on the `last_attempt`
    the render is marked failed first.
    """
    return run(find_render(render_id), _render, last_attempt=last_attempt)


def run(render: Render | None, draw: Callable[[Render], str | None], *, last_attempt: bool) -> str | None:
    """Run a render of any kind: mark it rendering, `draw` it (which stores its file, marks it
    done and commits), and fail it with the reason when the design itself cannot print or needs
    too much memory. Returns the file's id; None when there is nothing to do. Idempotent: a
    render already done is left as it is.

    Raises whatever else went wrong, for RQ to retry; on the `last_attempt` the render is marked
    failed first.
    """
    if render is None or render.status == DONE:
        return render.file_id if render is not None else None
    render.status, render.started_at, render.error = RENDERING, utcnow(), None
    render.attempts += 1
    db.session.commit()
    try:
        return draw(render)
    except (RenderError, Conflict) as error:  # the design itself cannot print: retrying changes nothing
        db.session.rollback()
        _fail(render, str(error))
        return None
    except MemoryError:
        db.session.rollback()
        _fail(render, "The design needs more memory to render than a render may use (RENDER_MEMORY_MB)")
        return None
    except Exception as error:
        db.session.rollback()
        if last_attempt:
            _fail(render, f"Rendering failed after {render.attempts} attempts: {error}")
        raise


# Internals


def _designs_of(owner: Design | Project) -> list[Design]:
    if isinstance(owner, Design):
        return [owner]
    statement = (
        in_store(db.select(Design).where(Design.project_id == owner.id), owner.store_id)
        .outerjoin(Side, Design.side_id == Side.id)
        .options(joinedload(Design.side), joinedload(Design.product))
        .order_by(Side.position, Design.created_at, Design.id)
    )
    return list(db.session.scalars(statement).unique())


def _job_of(render: Render) -> Job | None:
    try:
        return Job.fetch(job_id(render.kind, job_key(render)), connection=queue.connection())
    except NoSuchJobError:
        return None


def job_failed(render: Render) -> bool:
    """Whether RQ gave up on the render's job without the job marking the render (its time ran
    out, or its work horse was killed). Raises redis.RedisError when Redis does not answer."""
    job = _job_of(render)
    return job is not None and job.get_status() == JobStatus.FAILED


def _is_on_its_way(job: Job) -> bool:
    """Whether Redis will run the job: it waits in its queue, a live worker runs it, or it is
    scheduled (a retry's back-off) or deferred, and is where its status says."""
    connection = queue.connection()
    status = job.get_status(refresh=False)
    origin = Queue(job.origin, connection=connection)
    if status == JobStatus.QUEUED:
        return connection.lpos(origin.key, job.id) is not None
    if status == JobStatus.STARTED:
        return job.id in origin.started_job_registry and queue.worker_is_alive(connection, job.worker_name)
    if status == JobStatus.SCHEDULED:
        return job.id in origin.scheduled_job_registry
    if status == JobStatus.DEFERRED:
        return job.id in origin.deferred_job_registry
    return False  # ended (finished, failed, stopped, canceled) without marking the render


def find(store_id: str, owner_id: str, kind: str, input_hash: str) -> Render | None:
    """The store's render of this owner, kind and inputs; None when there is none."""
    statement = db.select(Render).where(
        Render.owner_id == owner_id, Render.kind == kind, Render.input_hash == input_hash
    )
    return db.session.scalars(in_store(statement, store_id)).first()


def create(store_id: str, owner: Design | Project, kind: str, input_hash: str) -> tuple[Render, bool]:
    """A new queued render of this owner, kind and inputs, and True; or, when another transaction
    created it first, that one and False (flush, no commit; nothing is queued)."""
    is_design = isinstance(owner, Design)
    render = Render(
        store_id=store_id,
        owner_id=owner.id,
        kind=kind,
        design_id=owner.id if is_design else None,
        project_id=None if is_design else owner.id,
        input_hash=input_hash,
        status=QUEUED,
        attempts=0,
        queued_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(render)
    except IntegrityError:
        # Another request created it first (and queues its job): this one only reads it.
        return find(store_id, owner.id, kind, input_hash), False
    return render, True


def _requeue(render: Render) -> None:
    # Only the request that moves it out of `failed` queues the job, however many ask at once.
    requeue = (
        update(Render)
        .where(Render.id == render.id, Render.status == FAILED)
        .values(status=QUEUED, error=None, queued_at=utcnow(), finished_at=None)
        .execution_options(synchronize_session=False)
    )
    moved = db.session.execute(in_store(requeue, render.store_id))
    db.session.refresh(render)
    if moved.rowcount == 1:
        queue_after_commit(render)


def _failure_is_old(render: Render) -> bool:
    finished = render.finished_at
    if finished is None:
        return True
    if finished.tzinfo is None:  # SQLite keeps no zone; the column is UTC
        finished = finished.replace(tzinfo=utcnow().tzinfo)
    return utcnow() - finished >= timedelta(seconds=FAILURE_SHOWN_S)


def owner_of(render: Render) -> Design | Project | None:
    """The design or project the render is of; None when it was deleted (the cascade takes the
    render too)."""
    model = Design if render.design_id else Project
    statement = db.select(model).where(model.id == render.owner_id)
    if model is Design:
        statement = statement.options(joinedload(Design.side), joinedload(Design.product))
    return db.session.scalars(in_store(statement, render.store_id)).first()


def _render(render: Render) -> str | None:
    owner = owner_of(render)
    if owner is None:
        return None
    pages = printed(owner)
    if pages.input_hash != render.input_hash:
        _fail(render, "The design changed before it was rendered; ask for its render again")
        return None
    file = store_print_pdf(render, owner, pages)
    record_event(render.store_id, "design.rendered", _rendered_event(render, pages, file))
    db.session.commit()
    return file.id


def store_print_pdf(render: Render, owner: Design | Project, pages: Printed) -> File:
    """Draw the owner's print-ready PDF of `pages` (what `printed` gave for the render's inputs),
    store it as the render's file and mark the render done with its checks (flush, no commit).
    Raises RenderError when the pages cannot be drawn."""
    product = pages.compositions[0][0].product
    pdf = render_pdf(pages.pages, identity_of(owner, pages), separation=separation_for(product))
    file = store_rendered(
        render.store_id,
        key=f"{render.store_id}/{render.id}/print.pdf",
        filename=f"{render.owner_id}.pdf",
        data=pdf,
        purpose="print",
    )
    render.file_id, render.status, render.finished_at = file.id, DONE, utcnow()
    render.checks = checks_found(pages)
    return file


def _rendered_event(render: Render, pages: Printed, file) -> dict:
    owner = {"designId": render.design_id} if render.design_id else {"projectId": render.project_id}
    url = (
        endpoint_url("api.get_design_render", design_id=render.design_id)
        if render.design_id
        else endpoint_url("api.get_project_render", project_id=render.project_id)
    )
    return {
        "renderId": render.id,
        **owner,
        "designIds": pages.design_ids,
        "pageCount": len(pages.pages),
        "file": {"id": file.id, "url": url, "sha256": file.sha256, "sizeBytes": file.size_bytes},
    }


def _fail(render: Render, reason: str) -> None:
    db.session.refresh(render)
    render.status, render.error, render.finished_at = FAILED, reason, utcnow()
    db.session.commit()


def queue_after_commit(render: Render) -> None:
    """Queue the render's job once the caller's transaction commits."""
    after_commit(_queue_renders, (render.kind, job_key(render)))


def enqueue(kind: str, key: str) -> None:
    """Queue the job of a render of this kind (see job_id), retried with back-off on failure."""
    job = _JOBS[kind]
    Queue(job.queue, connection=queue.connection()).enqueue(
        job.function,
        key,
        job_id=job_id(kind, key),
        job_timeout=JOB_TIMEOUT_S,
        retry=Retry(max=len(RETRY_INTERVALS_S), interval=RETRY_INTERVALS_S),
        result_ttl=3600,
        failure_ttl=86400,
    )


def _queue_renders(jobs: list[tuple[str, str]]) -> None:
    for kind, key in jobs:
        try:
            enqueue(kind, key)
        except redis.RedisError:
            # The render stays queued in the database; the reconciler queues it again.
            log.warning("could not queue the %s render job of %s", kind, key, exc_info=True)
