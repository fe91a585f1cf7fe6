"""The batch job: one part of a variable-data batch, its rows checked or rendered (see
designer/batches/service.py).

`run_part(batch_id, phase, part)` runs on the 'renders' queue with the job id
`batch-<batch id>-<phase>-<part>`; RQ retries it (10 s, then 1 min), and it skips the rows a
previous attempt finished.
"""

from designer.batches.service import run_part as run_batch_part


def run_part(batch_id: str, phase: str, part: int) -> None:
    """Check or render the part's rows, a chunk at a time; move the batch on when all are done."""
    run_batch_part(batch_id, phase, part)
