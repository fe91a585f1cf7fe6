"""The 3D model validation job: a GLB read and checked (see designer/previews3d/service.py).

`validate_model(model_id)` runs on the 'models' queue with the job id `model3d-<model id>`,
retried with back-off (10 s, 1 min) when the GLB cannot be read.
"""

from designer.previews3d.service import validate_model_job


def validate_model(model_id: str) -> str | None:
    """Validate the model's GLB and mark it active or invalid. Returns its status; None when it is gone."""
    return validate_model_job(model_id)
