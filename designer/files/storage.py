"""Where file bytes live: local files under instance/ (the default), or S3-compatible object storage.

One small interface, so the rest of Presswork never knows which: `save`, `read`, `delete`,
`exists`, `keys`. Keys are relative paths such as `sto_…/fil_…/original.jpg`. Reading a key that
holds nothing raises StoredObjectMissing, whichever the backend.

Stored bytes follow the session's transaction: `save_in_transaction` removes what it saved if the
transaction does not commit, and `delete_after_commit` removes an object only once it does.
"""

import contextlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from designer.extensions import after_commit, after_rollback

log = logging.getLogger(__name__)


class StoredObjectMissing(LookupError):
    """No object is stored under the key."""


class Storage(Protocol):
    def save(self, key: str, data: bytes, media_type: str) -> None: ...

    def read(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def exists(self, key: str) -> bool: ...

    def keys(self, prefix: str = "") -> list[str]: ...


class LocalStorage:
    """Files in a directory. Writes go to a temporary file first, so a reader never sees half a file."""

    def __init__(self, root: str):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"storage key {key!r} leaves the storage root")
        return path

    def save(self, key: str, data: bytes, media_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise StoredObjectMissing(key) from None

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        # A file's directory (`sto_…/fil_…/`) is its own, so removing it once empty races with
        # nobody; empty ones would otherwise pile up, one per deleted file.
        if path.parent != self.root.resolve():
            with contextlib.suppress(OSError):
                path.parent.rmdir()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str = "") -> list[str]:
        """Every stored key starting with `prefix`, sorted (partial writes excluded)."""
        if not self.root.is_dir():
            return []
        found = (
            path.relative_to(self.root).as_posix()
            for path in self.root.rglob("*")
            if path.is_file() and not path.name.startswith(".partial-")
        )
        return sorted(key for key in found if key.startswith(prefix))


class S3Storage:
    """Objects in an S3-compatible bucket (AWS, MinIO, Ceph, …) through boto3."""

    def __init__(self, bucket: str, endpoint_url: str | None = None, region: str | None = None):
        import boto3

        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)

    def save(self, key: str, data: bytes, media_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=media_type)

    def read(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise StoredObjectMissing(key) from None
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def keys(self, prefix: str = "") -> list[str]:
        """Every stored key starting with `prefix`, sorted."""
        found = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            found.extend(item["Key"] for item in page.get("Contents", []))
        return sorted(found)


def init_storage(app: Flask) -> None:
    """S3 when S3_BUCKET is set, else files under STORAGE_PATH (instance/files by default)."""
    if app.config.get("S3_BUCKET"):
        storage: Storage = S3Storage(
            app.config["S3_BUCKET"], app.config.get("S3_ENDPOINT_URL"), app.config.get("S3_REGION")
        )
    else:
        storage = LocalStorage(app.config.get("STORAGE_PATH") or os.path.join(app.instance_path, "files"))
    app.extensions["presswork_storage"] = storage


def storage() -> Storage:
    """The current app's storage."""
    return current_app.extensions["presswork_storage"]


def save_in_transaction(key: str, data: bytes, media_type: str) -> None:
    """Store the bytes under `key` now; they are removed again if the session's transaction does
    not commit. Raises whatever the backend raises."""
    storage().save(key, data, media_type)
    after_rollback(delete_quietly, key)


def delete_after_commit(key: str) -> None:
    """Remove the object under `key` once the session's transaction commits (kept if it does not)."""
    after_commit(delete_quietly, key)


def delete_quietly(keys: list[str]) -> None:
    """Remove these objects, logging what fails: an object left behind costs storage, not
    correctness, and a failure here must not turn a committed change into an error."""
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # noqa: BLE001
            log.warning("could not delete stored object %s", key, exc_info=True)
