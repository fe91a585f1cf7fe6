"""Idempotency-Key on POST: the same key and body replay the first response for 24 hours
(without the secrets it held, which are shown once).

A key is claimed by inserting its row in a transaction of its own, so of concurrent duplicates
exactly one runs the operation; the others wait for its response and replay it. The response is
stored in the operation's own transaction, so a crash never leaves a resource without its key.
"""

import hashlib
import json
import time
from datetime import datetime, timedelta

from flask import Response, current_app, request
from pydantic import BaseModel
from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from designer.api.errors import Conflict, ValidationFailed
from designer.extensions import db
from designer.models import utcnow

HEADER = "Idempotency-Key"
_WAIT_FOR_FIRST_S = 10.0


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    response_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


def requested_key() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise ValidationFailed(f"Header '{HEADER}' must be 1 to 255 printable characters", field=HEADER)
    return key


def _fingerprint() -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}?{request.query_string.decode()}\n".encode())
    if request.mimetype == "multipart/form-data":
        # Clients pick a new random boundary for each attempt: the parts, not the raw bytes, say
        # whether a retry is the same request.
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"{name}={value}\n".encode())
        for name, part in sorted(
            request.files.items(multi=True), key=lambda item: (item[0], item[1].filename)
        ):
            digest.update(f"{name}:{part.filename}:".encode())
            part.stream.seek(0)  # the operation may have read it already
            digest.update(hashlib.sha256(part.stream.read()).digest())
            part.stream.seek(0)
    else:
        digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def claim(owner: str, key: str) -> Response | IdempotencyKey:
    """Claim `key` for this request, or answer with the response of the request that has it.

    Returns the claimed row (the operation should run) or a replayed Response.
    Raises Conflict when the key was used with another request, or its first use is still running.
    """
    fingerprint = _fingerprint()
    ttl = timedelta(seconds=current_app.config["IDEMPOTENCY_TTL_S"])
    deadline = time.monotonic() + _WAIT_FOR_FIRST_S
    while True:
        row = IdempotencyKey(owner=owner, key=key, fingerprint=fingerprint)
        db.session.add(row)
        try:
            db.session.commit()
            return row
        except IntegrityError:
            db.session.rollback()
        first = db.session.scalars(
            db.select(IdempotencyKey).where(IdempotencyKey.owner == owner, IdempotencyKey.key == key)
        ).first()
        if first is None:
            continue  # released between our insert and our read: try again
        if first.created_at.replace(tzinfo=None) < (utcnow() - ttl).replace(tzinfo=None):
            db.session.delete(first)
            db.session.commit()
            continue
        if first.fingerprint != fingerprint:
            raise Conflict(f"This {HEADER} was already used with a different request", field=HEADER)
        if first.status_code is not None:
            return _replay(first)
        if time.monotonic() > deadline:
            raise Conflict(f"A request with this {HEADER} is still being processed", field=HEADER)
        db.session.rollback()
        time.sleep(0.05)


def settle(row: IdempotencyKey, response: Response, schema: type[BaseModel] | None) -> None:
    """Keep a successful response for replay (in the operation's transaction); free the key otherwise.

    Only successes are kept, so a client can correct a refused request and retry with its key.
    Secrets in the response (fields marked `x-secret`, like a new token's) are kept as null: a
    secret is shown once, and is never stored in clear, not even here.
    """
    if not (200 <= response.status_code < 300 and response.is_json):
        db.session.delete(row)
        return
    body = response.get_json()
    for field in secret_fields(schema):
        if isinstance(body, dict) and field in body:
            body[field] = None
    row.status_code = response.status_code
    row.response_body = json.dumps(body)


def secret_fields(schema: type[BaseModel] | None) -> list[str]:
    if schema is None:
        return []
    return [
        field.alias or name
        for name, field in schema.model_fields.items()
        if isinstance(field.json_schema_extra, dict) and field.json_schema_extra.get("x-secret")
    ]


def _replay(row: IdempotencyKey) -> Response:
    response = current_app.response_class(
        row.response_body, status=row.status_code, mimetype="application/json"
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response
