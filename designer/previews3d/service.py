"""3D models, side mappings and product profiles: upload, validate (queued for a worker), find,
change and delete them. Plain functions; nothing here commits but the validation job.

A model's GLB is stored as it came, under `<store>/models3d/<model id>.glb`. Uploading it queues
its validation job (`model3d-<model id>` on the 'models' queue, worker/models3d.py) once the
upload commits; the job reads the bytes back, validates them (validation.py) and marks the model
`active` or `invalid` with the reason. A job that cannot read its model is retried with back-off;
its last attempt marks the model invalid with what went wrong.
"""

import hashlib
import logging
from datetime import timedelta
from pathlib import PurePath

import redis
from flask import current_app
from rq import Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import Select, func

from designer import queue
from designer.errors import Conflict, NotFound, ValidationFailed
from designer.extensions import after_commit, db
from designer.files.service import clean_filename, find_file, read_file
from designer.files.storage import StoredObjectMissing, save_in_transaction, storage
from designer.ids import new_id
from designer.models import utcnow
from designer.previews3d.models import (
    ACTIVE,
    INVALID,
    MODEL_MODE,
    QUEUED,
    UPLOADED,
    VALIDATING,
    Model3D,
    Profile3D,
    SideMapping,
)
from designer.previews3d.schemas import MappingPut, ModelListQuery, ModelUpdate, ProfilePut
from designer.previews3d.validation import VALIDATOR_VERSION, InvalidModel, Limits, validate_glb
from designer.products.models import Product, Side
from designer.tenancy import across_stores, in_store

log = logging.getLogger(__name__)

GLB_MEDIA_TYPE = "model/gltf-binary"
JOB_TIMEOUT_S = 120
STALE_AFTER_S = 45  # a validation queued this long is checked for a lost job (as a render)
_ON_ITS_WAY = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED)
RETRY_INTERVALS_S = [10, 60]
# What a profile's version counts: a change to any of these changes what its previews show.
_PROFILE_RENDERED = (
    "mode",
    "enabled",
    "model_id",
    "edge_style",
    "edge_color",
    "edge_depth",
    "edge_depth_unit",
)
_MAPPING_RENDERED = ("model_id", "material_name", "surface_name", "uv_region", "transform", "enabled")


# Models


def upload_model(
    store_id: str, *, filename: str, data: bytes, name: str | None = None, validate: bool = True
) -> Model3D:
    """Store a GLB and queue its validation once the caller's transaction commits (flush, no
    commit); with `validate` False it stays `uploaded` until its validation is asked for. Raises
    ValidationFailed naming `file` for an empty file."""
    if not data:
        raise ValidationFailed("Field 'file' is empty: attach the GLB model", field="file")
    filename = clean_filename(filename)
    model_id = new_id("model_3d")
    model = Model3D(
        id=model_id,
        store_id=store_id,
        name=name or PurePath(filename).stem or filename,
        filename=filename,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=f"{store_id}/models3d/{model_id}.glb",
        status=UPLOADED,
    )
    save_in_transaction(model.storage_key, data, GLB_MEDIA_TYPE)
    db.session.add(model)
    db.session.flush()
    if validate:
        _queue_validation(model)
    return model


def model_from_file(store_id: str, file_id: str, name: str, field: str) -> Model3D:
    """A model of the store's file `file_id`, a GLB uploaded with the store's files, left
    `uploaded` (flush, no commit). Raises NotFound naming `field` for no such file, and
    ValidationFailed naming it for a file that is not a .glb or is larger than a model may be."""
    file = find_file(store_id, file_id)
    if file is None:
        raise NotFound(f"Field '{field}': no uploaded file with id '{file_id}'", field=field)
    if file.format != "glb":
        raise ValidationFailed(
            f"Field '{field}': file '{file.filename}' is not a GLB model (a .glb file)", field=field
        )
    limit = _limits().max_bytes
    if file.size_bytes > limit:
        raise ValidationFailed(
            f"Field '{field}': the file is {file.size_bytes / 1048576:.1f} MB; "
            f"a model may be at most {limit / 1048576:.0f} MB",
            field=field,
        )
    return upload_model(store_id, filename=file.filename, data=read_file(file), name=name, validate=False)


def find_model(store_id: str, model_id: str) -> Model3D:
    """The store's model (not deleted). Raises NotFound otherwise (another store's too)."""
    statement = db.select(Model3D).where(Model3D.id == model_id, Model3D.deleted_at.is_(None))
    model = db.session.scalars(in_store(statement, store_id)).first()
    if model is None:
        raise NotFound(f"No 3D model with id '{model_id}'")
    return model


def models_query(store_id: str, query: ModelListQuery) -> Select:
    """A select of the store's models (not deleted), of one status when the query names it."""
    statement = db.select(Model3D).where(Model3D.deleted_at.is_(None))
    if query.status:
        statement = statement.where(Model3D.status == query.status)
    if query.search:
        statement = statement.where(Model3D.name.icontains(query.search, autoescape=True))
    return in_store(statement, store_id)


def update_model(model: Model3D, fields: ModelUpdate) -> Model3D:
    """Rename the model (flush, no commit)."""
    model.name = fields.name
    db.session.flush()
    return model


def request_validation(model: Model3D, *, reset: bool = False) -> bool:
    """Queue the model's validation once the caller's transaction commits, unless it is already
    active (and `reset` is not set) or already on its way. Returns whether a job was queued."""
    if (model.status == ACTIVE and not reset) or model.status in (QUEUED, VALIDATING):
        return False
    _queue_validation(model)
    return True


def delete_model(model: Model3D) -> None:
    """Delete the model (softly: `deleted_at`). Raises Conflict while a profile or a side's
    mapping uses it."""
    profiles = db.select(Profile3D.product_id).where(
        Profile3D.model_id == model.id, Profile3D.deleted_at.is_(None)
    )
    mappings = db.select(SideMapping.side_id).where(SideMapping.model_id == model.id)
    users = [
        *(f"product '{product_id}'" for product_id in db.session.scalars(in_store(profiles, model.store_id))),
        *(f"side '{side_id}'" for side_id in db.session.scalars(in_store(mappings, model.store_id))),
    ]
    if users:
        raise Conflict(
            f"3D model '{model.id}' is in use by {', '.join(users)}; map them to another model first"
        )
    model.deleted_at = utcnow()
    db.session.flush()


def model_glb(model: Model3D) -> bytes:
    """The model's GLB. Raises NotFound when storage no longer holds it."""
    try:
        return storage().read(model.storage_key)
    except StoredObjectMissing:
        raise NotFound(f"The GLB of 3D model '{model.id}' is missing from storage") from None


def validate_model_job(model_id: str) -> str | None:
    """The validation job (worker/models3d.py): validate the model's GLB and mark it active or
    invalid (committed). Returns its status; None when the model is gone. Idempotent: a model
    already validated is left as it is.

    Raises what kept it from reading the GLB, for RQ to retry; the last attempt marks the model
    invalid first.
    """
    statement = db.select(Model3D).where(Model3D.id == model_id, Model3D.deleted_at.is_(None))
    model = db.session.scalars(across_stores(statement)).first()
    if model is None or model.status not in (QUEUED, VALIDATING):
        return model.status if model is not None else None
    model.status = VALIDATING
    db.session.commit()
    try:
        outcome = _checked(model)
    except Exception as error:
        db.session.rollback()
        job = get_current_job()
        if job is None or not job.retries_left:
            db.session.refresh(model)
            _mark(model, (INVALID, None, f"The model could not be validated: {error}"))
            db.session.commit()
        raise
    db.session.refresh(model)
    _mark(model, outcome)
    db.session.commit()
    return model.status


def validate_now(model: Model3D) -> Model3D:
    """Validate the model's GLB in this process (for GLBs Presswork made itself, such as the demo
    mug) and mark it active or invalid (flush, no commit); its queued job then finds it done.
    Raises what kept it from reading the GLB."""
    _mark(model, _checked(model))
    db.session.flush()
    return model


def requeue_lost_validations(stale_after_s: float = STALE_AFTER_S) -> list[str]:
    """Queue again the validation of every model queued or validating for more than
    `stale_after_s` whose job is not on its way (neither waiting, running, nor scheduled for a
    retry): its enqueue failed (Redis was down), or Redis forgot it. Returns their ids. Committed.

    A sweep (designer/sweeps.py). Validation is idempotent, so a job queued twice costs a check.
    """
    cutoff = utcnow() - timedelta(seconds=stale_after_s)
    statement = db.select(Model3D).where(
        Model3D.status.in_((QUEUED, VALIDATING)),
        Model3D.deleted_at.is_(None),
        func.coalesce(Model3D.queued_at, Model3D.created_at) < cutoff,
    )
    requeued = []
    for model in db.session.scalars(across_stores(statement)).all():
        try:
            job = Job.fetch(job_id(model.id), connection=queue.connection())
        except NoSuchJobError:
            job = None
        if job is not None and job.get_status() in _ON_ITS_WAY:
            continue
        if job is not None:
            job.delete()  # the new job takes its id
        _queue_validation(model)
        requeued.append(model.id)
    db.session.commit()
    if requeued:
        log.warning("queued %d lost 3D model validations again: %s", len(requeued), ", ".join(requeued))
    return requeued


def active_model(store_id: str, model_id: str, field: str) -> Model3D:
    """The store's active model a request body names in `field`. Raises ValidationFailed naming
    it for a missing model or one that is not active."""
    try:
        model = find_model(store_id, model_id)
    except NotFound:
        raise ValidationFailed(f"Field '{field}': no 3D model with id '{model_id}'", field=field) from None
    if model.status != ACTIVE:
        raise ValidationFailed(
            f"Field '{field}': 3D model '{model_id}' is {model.status}, not active; "
            "only a validated model can be used",
            field=field,
        )
    return model


# A side's mapping


def find_mapping(store_id: str, side_id: str) -> SideMapping:
    """The side's mapping. Raises NotFound when the side has none (or is another store's)."""
    statement = db.select(SideMapping).where(SideMapping.side_id == side_id)
    mapping = db.session.scalars(in_store(statement, store_id)).first()
    if mapping is None:
        raise NotFound(f"Side '{side_id}' has no 3D mapping")
    return mapping


def put_mapping(side: Side, fields: MappingPut) -> SideMapping:
    """Map the side onto an active model, or change its mapping; its config version goes up when
    anything changed (flush, no commit). Raises ValidationFailed naming `modelId` for a model that
    is not the store's or not active, and `materialName` for a material the model does not have."""
    model = active_model(side.store_id, fields.model_id, "modelId")
    materials = (model.validation_report or {}).get("materials", [])
    if fields.material_name is not None and fields.material_name not in materials:
        raise ValidationFailed(
            f"Field 'materialName': model '{model.id}' has no material '{fields.material_name}'"
            f" (its materials: {', '.join(materials) or 'none'})",
            field="materialName",
        )
    values = {
        "model_id": model.id,
        "material_name": fields.material_name,
        "surface_name": fields.surface_name,
        "uv_region": fields.uv_region.to_json(),
        "transform": fields.transform.to_json(),
        "enabled": fields.enabled,
    }
    statement = db.select(SideMapping).where(SideMapping.side_id == side.id)
    mapping = db.session.scalars(in_store(statement, side.store_id)).first()
    if mapping is None:
        mapping = SideMapping(
            id=new_id("mapping_3d"), store_id=side.store_id, side_id=side.id, config_version=1
        )
        db.session.add(mapping)
    elif _changes(mapping, values, _MAPPING_RENDERED):
        mapping.config_version += 1
    for name, value in values.items():
        setattr(mapping, name, value)
    db.session.flush()
    return mapping


def delete_mapping(mapping: SideMapping) -> None:
    """Unmap the side (flush, no commit)."""
    db.session.delete(mapping)
    db.session.flush()


# A product's profile


def profile_of(store_id: str, product_id: str) -> Profile3D | None:
    """The product's 3D profile; None when it has none (or it was deleted)."""
    profile = _profile_row(store_id, product_id)
    return profile if profile is not None and profile.deleted_at is None else None


def find_profile(store_id: str, product_id: str) -> Profile3D:
    """The product's 3D profile. Raises NotFound when it has none (or it was deleted)."""
    profile = profile_of(store_id, product_id)
    if profile is None:
        raise NotFound(f"Product '{product_id}' has no 3D profile")
    return profile


def create_profile(product: Product, fields: ProfilePut) -> Profile3D:
    """Make the product's 3D profile (restoring a deleted one, its version bumped), as
    `put_profile` does (flush, no commit). Raises Conflict when the product has one already."""
    existing = _profile_row(product.store_id, product.id)
    if existing is not None and existing.deleted_at is None:
        raise Conflict(
            f"Product '{product.id}' has a 3D profile already ('{existing.id}'): change it instead",
            field="productId",
        )
    return put_profile(product, fields)


def put_profile(product: Product, fields: ProfilePut) -> Profile3D:
    """Make or change the product's 3D profile (restoring a deleted one); its config version goes
    up when a render-affecting field changed (flush, no commit). Raises ValidationFailed naming
    `modelId` when mode `model` names no active model of the store."""
    model_id = None
    if fields.mode == MODEL_MODE:
        if fields.model_id is None:
            raise ValidationFailed("Field 'modelId' is required with mode 'model'", field="modelId")
        model_id = active_model(product.store_id, fields.model_id, "modelId").id
    values = {
        "mode": fields.mode,
        "enabled": fields.enabled,
        "model_id": model_id,
        "edge_style": fields.edge_style,
        "edge_color": fields.edge_color.lower(),
        "edge_depth": fields.edge_depth,
        "edge_depth_unit": fields.edge_depth_unit or product.dimension_unit,
    }
    profile = _profile_row(product.store_id, product.id)
    if profile is None:
        profile = Profile3D(
            id=new_id("profile_3d"), store_id=product.store_id, product_id=product.id, config_version=1
        )
        db.session.add(profile)
    elif profile.deleted_at is not None or _changes(profile, values, _PROFILE_RENDERED):
        profile.config_version += 1
    profile.deleted_at = None
    for name, value in values.items():
        setattr(profile, name, value)
    db.session.flush()
    return profile


def delete_profile(profile: Profile3D) -> None:
    """Turn the product's 3D preview off (softly: made again, it comes back with a new version)."""
    profile.deleted_at = utcnow()
    db.session.flush()


def mappings_of(store_id: str, side_ids: list[str]) -> dict[str, SideMapping]:
    """The mappings of these sides, by side id."""
    statement = db.select(SideMapping).where(SideMapping.side_id.in_(side_ids))
    return {mapping.side_id: mapping for mapping in db.session.scalars(in_store(statement, store_id))}


# Internals


def _profile_row(store_id: str, product_id: str) -> Profile3D | None:
    statement = db.select(Profile3D).where(Profile3D.product_id == product_id)
    return db.session.scalars(in_store(statement, store_id)).first()


def _changes(row, values: dict, rendered: tuple[str, ...]) -> bool:
    return any(getattr(row, name) != values[name] for name in rendered)


def _limits() -> Limits:
    config = current_app.config
    return Limits(
        max_bytes=config.get("MODEL3D_MAX_BYTES") or Limits.max_bytes,
        max_texture_px=config.get("MODEL3D_MAX_TEXTURE_PX") or Limits.max_texture_px,
    )


def _checked(model: Model3D) -> tuple[str, dict | None, str | None]:
    """The model's status, report and error once its GLB is validated. Raises what kept it from
    reading the GLB."""
    try:
        return ACTIVE, validate_glb(storage().read(model.storage_key), _limits()), None
    except InvalidModel as error:
        return INVALID, None, str(error)


def _mark(model: Model3D, outcome: tuple[str, dict | None, str | None]) -> None:
    model.status, model.validation_report, model.validation_error = outcome
    model.validator_version, model.validated_at = VALIDATOR_VERSION, utcnow()


def _queue_validation(model: Model3D) -> None:
    model.status, model.queued_at = QUEUED, utcnow()
    model.validation_error = None
    db.session.flush()
    after_commit(_enqueue, model.id)


def job_id(model_id: str) -> str:
    return f"model3d-{model_id}"


def enqueue_validation(model_id: str) -> None:
    """Queue the model's validation job, retried with back-off on failure."""
    Queue(queue.MODELS, connection=queue.connection()).enqueue(
        "worker.models3d.validate_model",
        model_id,
        job_id=job_id(model_id),
        job_timeout=JOB_TIMEOUT_S,
        retry=Retry(max=len(RETRY_INTERVALS_S), interval=RETRY_INTERVALS_S),
        result_ttl=3600,
        failure_ttl=86400,
    )


def _enqueue(model_ids: list[str]) -> None:
    for model_id in model_ids:
        try:
            enqueue_validation(model_id)
        except redis.RedisError:
            # The model stays queued in the database; the sweep queues it again.
            log.warning("could not queue the validation of 3D model %s", model_id, exc_info=True)
