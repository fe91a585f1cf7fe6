"""File storage: local files and S3-compatible object storage behave the same.

S3 is moto's server mode, a real HTTP endpoint on a free port, so boto3 runs exactly as it does
against AWS or MinIO.
"""

import io
import socket

import pytest
from PIL import Image

from designer import create_app
from designer.extensions import db
from designer.files.storage import LocalStorage, S3Storage, StoredObjectMissing, storage
from tests.factories import PASSWORD, basic

BUCKET = "presswork-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def aws_credentials(monkeypatch):
    # moto accepts any credentials; these keep boto3 from looking for real ones.
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint, aws_credentials):
    import boto3

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield BUCKET
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture(params=["local", "s3"])
def backend(request, tmp_path):
    if request.param == "local":
        return LocalStorage(str(tmp_path / "files"))
    endpoint = request.getfixturevalue("s3_endpoint")
    return S3Storage(request.getfixturevalue("s3_bucket"), endpoint, "us-east-1")


def test_saved_bytes_read_back(backend):
    backend.save("sto_1/fil_1/original.png", b"\x89PNG data", "image/png")
    assert backend.read("sto_1/fil_1/original.png") == b"\x89PNG data"
    assert backend.exists("sto_1/fil_1/original.png")


def test_saving_again_replaces(backend):
    backend.save("sto_1/fil_1/original.png", b"first", "image/png")
    backend.save("sto_1/fil_1/original.png", b"second", "image/png")
    assert backend.read("sto_1/fil_1/original.png") == b"second"


def test_missing_key_is_missing(backend):
    assert not backend.exists("sto_1/nothing")
    with pytest.raises(StoredObjectMissing):
        backend.read("sto_1/nothing")


def test_delete_removes_and_tolerates_a_missing_key(backend):
    backend.save("sto_1/fil_1/original.png", b"x", "image/png")
    backend.delete("sto_1/fil_1/original.png")
    backend.delete("sto_1/fil_1/original.png")
    assert not backend.exists("sto_1/fil_1/original.png")
    assert backend.keys() == []


def test_keys_list_by_prefix(backend):
    for key in ("sto_1/fil_1/original.png", "sto_1/fil_1/thumbnail.png", "sto_2/fil_2/original.pdf"):
        backend.save(key, b"x", "application/octet-stream")
    assert backend.keys("sto_1/") == ["sto_1/fil_1/original.png", "sto_1/fil_1/thumbnail.png"]
    assert backend.keys() == sorted(backend.keys())
    assert len(backend.keys()) == 3


def test_large_objects_round_trip(backend):
    data = bytes(range(256)) * 40_000  # 10 MB
    backend.save("sto_1/fil_big/original.tif", data, "image/tiff")
    assert backend.read("sto_1/fil_big/original.tif") == data


def test_local_storage_refuses_keys_outside_its_root(tmp_path):
    local = LocalStorage(str(tmp_path / "files"))
    with pytest.raises(ValueError):
        local.save("../escaped", b"x", "text/plain")
    with pytest.raises(ValueError):
        local.read("/etc/passwd")


def test_s3_objects_carry_their_media_type(s3_endpoint, s3_bucket):
    s3 = S3Storage(s3_bucket, s3_endpoint, "us-east-1")
    s3.save("sto_1/fil_1/original.svg", b"<svg/>", "image/svg+xml")
    head = s3.client.head_object(Bucket=s3_bucket, Key="sto_1/fil_1/original.svg")
    assert head["ContentType"] == "image/svg+xml"


@pytest.fixture
def s3_app(app_config, s3_endpoint, s3_bucket, database):
    app = create_app(
        app_config | {"S3_BUCKET": s3_bucket, "S3_ENDPOINT_URL": s3_endpoint, "S3_REGION": "us-east-1"}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _merchant(client) -> dict:
    auth = basic("s3@example.com", PASSWORD)
    client.post("/api/v1/account", json={"name": "S3", "email": "s3@example.com", "password": PASSWORD})
    store = client.post("/api/v1/stores", json={"name": "S3 store"}, headers=auth).json
    token = client.post(
        f"/api/v1/stores/{store['id']}/tokens", json={"name": "server", "scopes": ["full"]}, headers=auth
    ).json
    return {"store_id": store["id"], "bearer": {"Authorization": f"Bearer {token['token']}"}}


def test_upload_round_trip_through_the_app_on_s3(s3_app, s3_endpoint, s3_bucket):
    client = s3_app.test_client()
    merchant = _merchant(client)
    with s3_app.app_context():
        assert isinstance(storage(), S3Storage)
    image = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 200)).save(image, "JPEG")
    response = client.post(
        "/api/v1/files/upload",
        data={"file": (io.BytesIO(image.getvalue()), "photo.jpg")},
        headers=merchant["bearer"],
    )
    assert response.status_code == 201, response.json
    body = response.json
    with s3_app.app_context():
        keys = storage().keys(merchant["store_id"])
    assert keys == [
        f"{merchant['store_id']}/{body['id']}/original.jpg",
        f"{merchant['store_id']}/{body['id']}/thumbnail.jpg",
    ]
    content = client.get(body["contentUrl"], headers=merchant["bearer"])
    assert content.data == image.getvalue()
    assert client.get(body["thumbnailUrl"], headers=merchant["bearer"]).mimetype == "image/jpeg"
    refused = client.post(
        "/api/v1/files/upload", data={"file": (io.BytesIO(b""), "empty.png")}, headers=merchant["bearer"]
    )
    assert refused.status_code == 422
    assert client.delete(f"/api/v1/files/{body['id']}", headers=merchant["bearer"]).status_code == 200
    with s3_app.app_context():
        assert storage().keys(merchant["store_id"]) == []
