"""Batches: a template and rows of values made into one design per row, then printed.

A batch is created with its rows (JSON, or a CSV or XLSX spreadsheet: spreadsheets.py), one item
per row, and its rows are checked by workers: each row's values go into a copy of the template's
layers, a column naming a text layer setting its text and one naming an image layer its photo (a
file id, or an http(s) URL fetched as webhooks send and fonts are fetched: a public address only,
no redirects, one deadline, then preflighted as any upload), and the design is made through the
designs service (`create_design`: the template's locks, the layers' rules, the store's fonts and
files) and composed, refused if the composition has a blocking problem, as a customer's design
would be on completing it. A row with problems makes no design; each problem names its row, its
column and the reason in plain words, and the other rows go on.

Rendering (asked once the rows are checked, or at creation with `render`) prints each design as
a render does (rendering/renders.py `printed`, `render_pdf`): its PDF is a Render of the design,
so the design's own render route serves it too. The merged PDF is the rows' PDFs in row order,
their shared pictures written once (rendering/merged.py); then `batch.completed` is recorded.

The work is a few jobs on the renders queue, never one per row (RQ forks a process per job): the
rows are cut into parts of PART_ROWS, a job each, so several workers share a large batch; each job
goes through its rows in chunks of CHUNK_ROWS, committing the chunk (and so the progress the
dashboard shows) before the next. Jobs are idempotent: a row already done is skipped. The job that
finds every row of a phase done moves the batch on (an update that only one job can make).

Callers own the transaction of the request's functions (flush, no commit); the job's functions
commit.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from flask import current_app
from pydantic import ValidationError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import update

from designer import queue
from designer.batches import spreadsheets
from designer.batches.models import (
    CHECKED,
    CHECKING,
    DONE,
    FAILED,
    MERGING,
    PENDING,
    READY,
    REFUSED,
    RENDERED,
    RENDERING,
    Batch,
    BatchItem,
)
from designer.batches.present import batch_out
from designer.designs.models import Design
from designer.designs.schemas import DesignCreate
from designer.designs.service import create_design, find_design, starting_layers
from designer.errors import ApiError, Conflict, NotFound, ValidationFailed, validation_failed
from designer.events import record_event
from designer.extensions import after_commit, db
from designer.files.service import PreflightFailed, find_file, limits_from_config, read_file, store_rendered
from designer.files.service import upload_file as store_upload
from designer.models import utcnow
from designer.rendering.memory import memory_cap
from designer.rendering.merged import merged_pdf
from designer.rendering.models import DONE as RENDER_DONE
from designer.rendering.models import PRINT
from designer.rendering.pdf import RenderError
from designer.rendering.renders import create, find, printed, store_print_pdf
from designer.templates.models import Template
from designer.templates.service import find_template
from designer.tenancy import across_stores, get_in_store, in_store
from designer.webhooks.transport import get as fetch

log = logging.getLogger(__name__)

PART_ROWS = 250  # rows per job
CHECK_CHUNK_ROWS = 50  # rows checked, then committed with the progress
RENDER_CHUNK_ROWS = 25  # rows rendered, then committed with the progress
JOB_TIMEOUT_S = 1800
CHECK, RENDER = "check", "render"
_PHOTO_SCHEMES = ("http://", "https://")
_ON_ITS_WAY = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


@dataclass(frozen=True)
class Progress:
    """How far a batch is: its rows by status."""

    rows: int
    by_status: dict[str, int] = field(default_factory=dict)

    def count(self, *statuses: str) -> int:
        return sum(self.by_status.get(status, 0) for status in statuses)


# Creating


def rows_of_upload(data: bytes) -> spreadsheets.Table:
    """The rows of an uploaded spreadsheet (CSV or XLSX, by its content).

    Raises ValidationFailed naming `file` for a file over BATCH_MAX_SPREADSHEET_BYTES, or one
    spreadsheets.read_table refuses.
    """
    config = current_app.config
    limit = config["BATCH_MAX_SPREADSHEET_BYTES"]
    if len(data) > limit:
        raise ValidationFailed(
            f"Field 'file': the spreadsheet is {len(data) / 1024 / 1024:.1f} MB; "
            f"at most {limit / 1024 / 1024:.1f} MB is accepted (split it into several batches)",
            field="file",
        )
    return spreadsheets.read_table(data, max_rows=config["BATCH_MAX_ROWS"])


def rows_of_file(store_id: str, file_id: str) -> tuple[spreadsheets.Table, str]:
    """The rows of the store's spreadsheet file `file_id` (uploaded with purpose `rows`), and its name.

    Raises ValidationFailed naming `fileId` for a file that is not the store's or not a spreadsheet,
    or as rows_of_upload does (naming `fileId`).
    """
    file = find_file(store_id, file_id)
    if file is None or file.format not in spreadsheets.FORMATS:
        raise ValidationFailed(
            f"Field 'fileId': no spreadsheet (CSV or XLSX) with id '{file_id}' "
            "(upload it as a file with purpose 'rows')",
            field="fileId",
        )
    try:
        return rows_of_upload(read_file(file)), file.filename
    except ValidationFailed as error:
        message = error.message.replace("Field 'file'", "Field 'fileId'", 1)
        raise ValidationFailed(message, field="fileId") from None
    except NotFound:
        raise ValidationFailed(
            f"Field 'fileId': the file '{file_id}' is no longer stored", field="fileId"
        ) from None


def create_batch(
    store_id: str,
    template_id: str,
    rows: list[tuple[int, dict[str, str]]],
    *,
    source: str,
    columns: list[str],
    filename: str | None = None,
    render: bool = False,
) -> Batch:
    """A batch of `rows` ((row number, {column: value})) on the template `template_id`; its rows are
    checked by workers once the transaction commits, and rendered after if `render`.

    Raises ValidationFailed naming `templateId` for a template that is not the store's, and
    `rows` for none, or more than BATCH_MAX_ROWS.
    """
    template = _template_or_invalid(store_id, template_id)
    limit = current_app.config["BATCH_MAX_ROWS"]
    if not rows:
        raise ValidationFailed("Field 'rows': there is no row to make a design of", field="rows")
    if len(rows) > limit:
        raise ValidationFailed(
            f"Field 'rows': {len(rows)} rows is more than the {limit} a batch may have; "
            "split them into several batches",
            field="rows",
        )
    batch = Batch(
        store_id=store_id,
        template_id=template.id,
        product_id=template.product_id,
        side_id=template.side_id,
        source=source,
        filename=filename,
        columns=columns,
        row_count=len(rows),
        status=CHECKING,
        render_when_checked=render,
    )
    db.session.add(batch)
    db.session.flush()
    db.session.add_all(
        BatchItem(store_id=store_id, batch_id=batch.id, row=number, values=values, status=PENDING)
        for number, values in rows
    )
    db.session.flush()
    _queue_parts(batch, CHECK)
    return batch


def json_rows(rows: list[dict[str, str | int | float | None]]) -> tuple[list[tuple[int, dict]], list[str]]:
    """JSON rows as numbered rows of text values (numbered from 1), and their columns in order."""
    columns: dict[str, None] = {}
    numbered = []
    for number, row in enumerate(rows, start=1):
        values = {str(name): "" if value is None else str(value) for name, value in row.items()}
        columns.update(dict.fromkeys(values))
        numbered.append((number, values))
    return numbered, list(columns)


# Reading


def find_batch(store_id: str, batch_id: str) -> Batch:
    """The store's batch with this id. Raises NotFound otherwise."""
    return get_in_store(Batch, batch_id, store_id)


def batches_of(store_id: str, template_id: str | None = None):
    """A select of the store's batches (of one template when given)."""
    statement = in_store(db.select(Batch), store_id)
    return statement if template_id is None else statement.where(Batch.template_id == template_id)


def items_of(batch: Batch, status: str | None = None):
    """A select of the batch's items (of one status when given)."""
    statement = in_store(db.select(BatchItem).where(BatchItem.batch_id == batch.id), batch.store_id)
    return statement if status is None else statement.where(BatchItem.status == status)


def find_item(batch: Batch, item_id: str) -> BatchItem:
    """The batch's item with this id. Raises NotFound otherwise."""
    found = db.session.scalars(items_of(batch).where(BatchItem.id == item_id)).first()
    if found is None:
        raise NotFound(f"Batch '{batch.id}' has no item with id '{item_id}'")
    return found


def progress_of(batch: Batch) -> Progress:
    """The batch's rows counted by status."""
    statement = (
        db.select(BatchItem.status, db.func.count(BatchItem.id))
        .where(BatchItem.batch_id == batch.id)
        .group_by(BatchItem.status)
    )
    counts = dict(db.session.execute(in_store(statement, batch.store_id)).all())
    return Progress(batch.row_count, counts)


def problems_of(batch: Batch) -> list[tuple[BatchItem, dict]]:
    """Every problem of the batch's rows, in row order: (item, {column, reason})."""
    statement = items_of(batch).where(BatchItem.status.in_((REFUSED, FAILED))).order_by(BatchItem.row)
    return [(item, problem) for item in db.session.scalars(statement) for problem in item.problems]


def merged_file(batch: Batch) -> tuple[bytes, str, str]:
    """The merged PDF's bytes, name and SHA-256. Raises Conflict while it is not made yet."""
    if batch.status != DONE or batch.file_id is None:
        raise Conflict(f"The merged PDF of batch '{batch.id}' is not made yet: the batch is {batch.status}")
    return _stored(batch.store_id, batch.file_id, f"The merged PDF of batch '{batch.id}'")


def item_file(item: BatchItem) -> tuple[bytes, str, str]:
    """The row's PDF's bytes, name and SHA-256. Raises Conflict while it is not rendered."""
    if item.status != RENDERED or item.file_id is None:
        raise Conflict(f"Row {item.row} is {item.status}: it has no PDF")
    return _stored(item.store_id, item.file_id, f"The PDF of row {item.row}")


# Rendering


def start_render(batch: Batch) -> Batch:
    """Render the batch's designs: now when its rows are checked, as soon as they are when they are
    being checked (flush, no commit; the jobs are queued once committed). Asking again while it
    renders, or once it is done, changes nothing.

    Raises Conflict when no row made a design.
    """
    if batch.status == CHECKING:
        batch.render_when_checked = True
    elif batch.status == CHECKED:
        if progress_of(batch).count(READY) == 0:
            raise Conflict(f"No row of batch '{batch.id}' made a design: there is nothing to render")
        _begin_rendering(batch)
    db.session.flush()
    return batch


def run_part(batch_id: str, phase: str, part: int) -> None:
    """The batch job (worker/batches.py): check or render the rows of one part of the batch, a
    chunk at a time, committing each; then, if every row of the phase is done, move the batch on.
    Idempotent. Raises whatever went wrong beyond a row's own problems, for RQ to retry."""
    batch = db.session.scalars(across_stores(db.select(Batch).where(Batch.id == batch_id))).first()
    expected = CHECKING if phase == CHECK else RENDERING
    if batch is None or batch.status != expected:
        return
    with memory_cap(current_app.config["RENDER_MEMORY_MB"]):
        if phase == CHECK:
            _Checker(batch).check(_part_items(batch, part, PENDING))
        else:
            _render_items(batch, _part_items(batch, part, READY))
    _finish_phase(batch, phase)


def requeue_stalled_batches(stale_after_s: float) -> list[str]:
    """Queue again the jobs of every batch being checked or rendered whose rows have not moved for
    `stale_after_s` and none of whose jobs is on its way (queued, running, or waiting for a retry):
    a worker killed mid-part, or Redis restarted without its jobs. The parts are idempotent, so a
    part queued again only does the rows left. Returns the batches' ids. Committed.

    A sweep (designer/sweeps.py): the workers run it every sweep interval.
    """
    cutoff = utcnow() - timedelta(seconds=stale_after_s)
    moved = (
        db.select(db.func.max(BatchItem.updated_at))
        .where(BatchItem.batch_id == Batch.id)
        .correlate(Batch)
        .scalar_subquery()
    )
    statement = db.select(Batch).where(
        Batch.status.in_((CHECKING, RENDERING)), Batch.updated_at < cutoff, moved < cutoff
    )
    stalled = []
    for batch in db.session.scalars(across_stores(statement)).all():
        phase = CHECK if batch.status == CHECKING else RENDER
        jobs = [_job(batch.id, phase, part) for part in range(_parts(batch))]
        if any(job is not None and job.get_status(refresh=False) in _ON_ITS_WAY for job in jobs):
            continue
        for job in jobs:
            if job is not None:
                job.delete()  # ended without finishing the phase: the new job takes its id
        batch.updated_at = utcnow()
        _queue_parts(batch, phase)
        stalled.append(batch.id)
    db.session.commit()
    if stalled:
        log.warning("queued the jobs of %d stalled batches again: %s", len(stalled), ", ".join(stalled))
    return stalled


# Internals: checking


class _Checker:
    """Makes designs of rows: the template's layers by name, the photos fetched once per URL."""

    def __init__(self, batch: Batch):
        self.batch = batch
        self.store_id = batch.store_id
        statement = db.select(Template).where(Template.id == batch.template_id)
        template = db.session.scalars(in_store(statement, batch.store_id)).first()
        self.template = template
        self.layers = starting_layers(template.product, template) if template is not None else []
        self.by_name = {
            (layer.get("name") or "").strip().casefold(): index
            for index, layer in enumerate(self.layers)
            if layer.get("name")
        }
        self.photos: dict[str, str] = {}  # URL → file id, or the reason it was refused

    def check(self, items: list[BatchItem]) -> None:
        for start in range(0, len(items), CHECK_CHUNK_ROWS):
            chunk = items[start : start + CHECK_CHUNK_ROWS]
            self._fetch_photos(chunk)
            for item in chunk:
                self._check(item)
            db.session.commit()

    def _check(self, item: BatchItem) -> None:
        if self.template is None:
            self._refuse(item, [{"column": None, "reason": "the batch's template was deleted"}])
            return
        layers = [dict(layer) for layer in self.layers]
        columns: dict[int, str] = {}
        problems = []
        for column, value in item.values.items():
            index = self.by_name.get(column.strip().casefold())
            if index is None:
                if value.strip():
                    problems.append({"column": column, "reason": self._unknown_column(column)})
                continue
            columns[index] = column
            reason = self._fill(layers, index, value)
            if reason:
                problems.append({"column": column, "reason": reason})
        if problems:
            self._refuse(item, problems)
            return
        try:
            with db.session.begin_nested():
                made = create_design(
                    self.store_id,
                    DesignCreate(
                        product_id=self.batch.product_id,
                        side_id=self.batch.side_id,
                        template_id=self.template.id,
                        layers=layers,
                    ),
                )
                blocking = made.composition.blocking if made.composition is not None else []
                if blocking:
                    raise _Blocking(made.design, blocking)
        except _Blocking as refused:
            index_of = {layer["id"]: index for index, layer in enumerate(layers)}
            self._refuse(
                item,
                [
                    {"column": columns.get(index_of.get(problem.layer_id)), "reason": problem.message}
                    for problem in refused.problems
                ],
            )
            return
        except ValidationError as error:
            self._refuse(item, _problems_of(validation_failed(error), columns))
            return
        except ApiError as error:  # the locks, the layers' rules, the store's fonts and files
            self._refuse(item, _problems_of(error, columns))
            return
        item.design_id, item.status, item.problems = made.design.id, READY, []

    def _fill(self, layers: list[dict], index: int, value: str) -> str | None:
        layer = layers[index]
        if layer["type"] == "text":
            layer["text"] = value
            return None
        if layer["type"] != "image":
            kind = layer["type"]
            return f"the layer '{layer.get('name')}' is a {kind}; only text and image layers take values"
        photo = value.strip()
        if not photo:
            return None  # the template's picture stays
        if photo.lower().startswith(_PHOTO_SCHEMES):
            fetched = self.photos.get(photo, "")
            if not fetched.startswith("fil_"):
                return fetched or "the photo could not be fetched"
            photo = fetched
        elif not photo.startswith("fil_"):
            return f"'{_shortened(photo)}' is neither a photo's file id (fil_…) nor an http(s) URL of one"
        layer["fileId"] = photo
        return None

    def _fetch_photos(self, chunk: list[BatchItem]) -> None:
        """Fetch and store the photos the chunk's rows name by URL, each committed on its own (a
        refused upload rolls the session back)."""
        db.session.commit()
        product = self.template.product if self.template is not None else None
        for item in chunk:
            for column, value in item.values.items():
                index = self.by_name.get(column.strip().casefold())
                url = value.strip()
                if index is None or self.layers[index]["type"] != "image" or url in self.photos:
                    continue
                if url.lower().startswith(_PHOTO_SCHEMES):
                    self.photos[url] = self._fetched(url, product)

    def _fetched(self, url: str, product) -> str:
        config = current_app.config
        outcome = fetch(
            url,
            limit_bytes=limits_from_config().max_bytes,
            connect_timeout_s=config["WEBHOOK_CONNECT_TIMEOUT_S"],
            total_timeout_s=config["WEBHOOK_TIMEOUT_S"],
            allow_loopback=config["WEBHOOKS_ALLOW_LOOPBACK"],
        )
        if outcome.error is not None or outcome.status_code != 200:
            why = outcome.error or f"it answered {outcome.status_code}"
            return f"the photo at {_shortened(url)} could not be fetched ({why})"
        filename = PurePosixPath(urlsplit(url).path).name or "photo"
        try:
            file = store_upload(
                self.store_id,
                filename=filename,
                data=outcome.content,
                purpose="upload",
                uploaded_by="account",
                product=product,
            )
        except PreflightFailed as error:
            failed = [check["message"] for check in error.report["checks"] if check["status"] == "failed"]
            return f"the photo at {_shortened(url)} was refused: {'; '.join(failed) or error.message}"
        db.session.commit()
        return file.id

    def _unknown_column(self, column: str) -> str:
        names = ", ".join(f"'{layer['name']}'" for layer in self.layers if layer.get("name")) or "none"
        return f"the template has no layer called '{column}' (its layers: {names})"

    def _refuse(self, item: BatchItem, problems: list[dict]) -> None:
        item.status, item.problems = REFUSED, problems


class _Blocking(Exception):
    """A row's design has blocking problems: its savepoint is rolled back."""

    def __init__(self, design: Design, problems: list):
        super().__init__("blocking problems")
        self.design = design
        self.problems = problems


def _problems_of(error: ApiError, columns: dict[int, str]) -> list[dict]:
    """An error's problems, each with the column whose layer it names (`layers.2.text`)."""
    items = getattr(error, "errors", None) or [{"field": error.field, "message": error.message}]
    problems = []
    for item in items:
        field_name = item.get("field") or ""
        parts = field_name.split(".")
        column = None
        if len(parts) >= 2 and parts[0] == "layers" and parts[1].isdigit():
            column = columns.get(int(parts[1]))
        reason = item["message"]
        if reason.startswith("Field '") and "': " in reason:
            reason = reason.split("': ", 1)[1]
        problems.append({"column": column, "reason": reason})
    return problems


# Internals: rendering


def _render_items(batch: Batch, items: list[BatchItem]) -> None:
    for start in range(0, len(items), RENDER_CHUNK_ROWS):
        for item in items[start : start + RENDER_CHUNK_ROWS]:
            _render_item(batch, item)
        db.session.commit()


def _render_item(batch: Batch, item: BatchItem) -> None:
    try:
        design = find_design(batch.store_id, item.design_id) if item.design_id else None
    except NotFound:
        design = None
    if design is None:
        item.status, item.problems = FAILED, [{"column": None, "reason": "its design was deleted"}]
        return
    try:
        pages = printed(design)
        render = find(batch.store_id, design.id, PRINT, pages.input_hash)
        if render is None:
            render, _ = create(batch.store_id, design, PRINT, pages.input_hash)
        if render.status != RENDER_DONE or render.file_id is None:
            render.attempts += 1
            store_print_pdf(render, design, pages)
    except (RenderError, Conflict) as error:
        item.status, item.problems = (
            FAILED,
            [{"column": None, "reason": f"its PDF could not be made: {error}"}],
        )
        return
    item.render_id, item.file_id, item.status = render.id, render.file_id, RENDERED


def _finish_phase(batch: Batch, phase: str) -> None:
    """Move the batch on once no row of the phase is left: checked (then rendering, if asked), or
    merged and done. Only the job whose update moves it does what follows."""
    db.session.refresh(batch)
    left = progress_of(batch).count(PENDING if phase == CHECK else READY)
    if left:
        return
    if phase == CHECK:
        if not _move(batch, CHECKING, CHECKED):
            return
        if batch.render_when_checked and progress_of(batch).count(READY):
            _begin_rendering(batch)
        db.session.commit()
        return
    if _move(batch, RENDERING, MERGING):
        db.session.commit()
        _merge(batch)


def _move(batch: Batch, before: str, after: str) -> bool:
    moved = db.session.execute(
        in_store(
            update(Batch)
            .where(Batch.id == batch.id, Batch.status == before)
            .values(status=after)
            .execution_options(synchronize_session=False),
            batch.store_id,
        )
    )
    db.session.refresh(batch)
    return moved.rowcount == 1


def _begin_rendering(batch: Batch) -> None:
    batch.status, batch.render_started_at = RENDERING, utcnow()
    db.session.flush()
    _queue_parts(batch, RENDER)


def _merge(batch: Batch) -> None:
    statement = items_of(batch, RENDERED).order_by(BatchItem.row).with_only_columns(BatchItem.file_id)
    file_ids = list(db.session.scalars(statement))
    if not file_ids:
        batch.status, batch.error, batch.finished_at = FAILED, "No row's PDF was rendered", utcnow()
    else:
        documents = (_stored(batch.store_id, file_id, "A row's PDF")[0] for file_id in file_ids)
        merged = merged_pdf(documents)
        file = store_rendered(
            batch.store_id,
            key=f"{batch.store_id}/batches/{batch.id}/merged.pdf",
            filename=f"{batch.id}.pdf",
            data=merged,
            purpose="print",
        )
        batch.file_id, batch.status, batch.finished_at = file.id, DONE, utcnow()
    db.session.flush()
    record_event(
        batch.store_id, "batch.completed", batch_out(batch, progress_of(batch), problems_of(batch)).to_json()
    )
    db.session.commit()


# Internals: jobs and files


def _part_items(batch: Batch, part: int, status: str) -> list[BatchItem]:
    """The items of the part (its PART_ROWS rows in row order) that are in `status`."""
    statement = items_of(batch).order_by(BatchItem.row).offset(part * PART_ROWS).limit(PART_ROWS)
    return [item for item in db.session.scalars(statement) if item.status == status]


def _parts(batch: Batch) -> int:
    return -(-batch.row_count // PART_ROWS)


def _queue_parts(batch: Batch, phase: str) -> None:
    for part in range(_parts(batch)):
        after_commit(_enqueue, (batch.id, phase, part))


def _job_id(batch_id: str, phase: str, part: int) -> str:
    return f"batch-{batch_id}-{phase}-{part}"


def _job(batch_id: str, phase: str, part: int) -> Job | None:
    try:
        return Job.fetch(_job_id(batch_id, phase, part), connection=queue.connection())
    except NoSuchJobError:
        return None


def _enqueue(jobs: list[tuple[str, str, int]]) -> None:
    batches = Queue(queue.RENDERS, connection=queue.connection())
    for batch_id, phase, part in jobs:
        batches.enqueue(
            "worker.batches.run_part",
            batch_id,
            phase,
            part,
            job_id=_job_id(batch_id, phase, part),
            job_timeout=JOB_TIMEOUT_S,
            retry=Retry(max=2, interval=[10, 60]),
            result_ttl=3600,
            failure_ttl=86400,
        )


def _template_or_invalid(store_id: str, template_id: str) -> Template:
    try:
        return find_template(store_id, template_id)
    except NotFound:
        raise ValidationFailed(
            f"Field 'templateId': no template with id '{template_id}'", field="templateId"
        ) from None


def _stored(store_id: str, file_id: str, what: str) -> tuple[bytes, str, str]:
    file = find_file(store_id, file_id)
    if file is None:
        raise Conflict(f"{what} is no longer stored")
    try:
        return read_file(file), file.filename, file.sha256
    except NotFound:
        raise Conflict(f"{what} is no longer stored") from None


def _shortened(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
