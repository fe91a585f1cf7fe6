"""Batches and their rows as the API and the batch.completed event show them."""

from designer.api.schemas import out_of
from designer.batches.models import (
    CHECKED,
    CHECKING,
    DONE,
    PENDING,
    READY,
    REFUSED,
    Batch,
    BatchItem,
)
from designer.batches.schemas import BatchItemOut, BatchOut, BatchProblem, BatchProgress
from designer.products.urls import endpoint_url


def batch_out(batch: Batch, progress, problems: list[tuple[BatchItem, dict]]) -> BatchOut:
    """`batch` with its `progress` (service.Progress) and its rows' `problems` ((item, problem))."""
    return out_of(
        BatchOut,
        batch,
        columns=list(batch.columns or []),
        progress=_progress(batch, progress),
        problems=[BatchProblem(row=item.row, **problem) for item, problem in problems],
        pdf_url=endpoint_url("api.get_batch_pdf", batch_id=batch.id) if batch.status == DONE else None,
    )


def item_out(item: BatchItem) -> BatchItemOut:
    return out_of(
        BatchItemOut,
        item,
        values=dict(item.values or {}),
        problems=[BatchProblem(row=item.row, **problem) for problem in item.problems or []],
        pdf_url=(
            endpoint_url("api.get_batch_item_pdf", batch_id=item.batch_id, item_id=item.id)
            if item.file_id
            else None
        ),
    )


def _progress(batch: Batch, progress) -> BatchProgress:
    counts = {
        status: progress.count(status) for status in ("pending", "refused", "ready", "rendered", "failed")
    }
    if batch.status == CHECKING:
        done, total = progress.rows - counts[PENDING], progress.rows
    else:
        total = progress.rows - counts[REFUSED]
        done = total - counts[READY] if batch.status != CHECKED else 0
    percent = 100 if batch.status == DONE else (100 * done // total if total else 0)
    return BatchProgress(rows=progress.rows, percent=percent, **counts)
