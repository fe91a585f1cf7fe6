"""The README's curl session works as written, against a real server."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
import redis
from rq import Worker

README = Path(__file__).resolve().parent.parent / "README.md"


def _curl_session(heading: str = "## A session with curl") -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


@pytest.fixture
def worker(app_config):
    """A worker per queue beside the server, as `make run` starts them, listening before the
    session begins."""
    env = dict(
        os.environ, REDIS_URL=app_config["REDIS_URL"], DATABASE_URL=app_config["SQLALCHEMY_DATABASE_URI"]
    )
    queues = ("renders", "proofs", "webhooks")
    processes = [
        subprocess.Popen([sys.executable, "-m", "worker", "--queues", queue], cwd=README.parent, env=env)
        for queue in queues
    ]
    connection = redis.Redis.from_url(app_config["REDIS_URL"])
    deadline = time.monotonic() + 60
    while Worker.count(connection=connection) < len(queues):
        assert time.monotonic() < deadline, "the workers did not start"
        time.sleep(0.1)
    yield
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


def test_the_readme_curl_session_works_as_written(live_server, worker):
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _curl_session()],
        env=dict(os.environ, BASE=live_server),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout
    assert "HTTP/1.1 200" in output
    assert re.search(r"X-Request-Id: req_\w+", output)
    assert "X-RateLimit-Remaining:" in output
    assert '"code":"validation_error"' in output and '"field":"rateLimitPerMinute"' in output
    assert '"hasMore":false' in output
    assert '"code":"forbidden"' in output
    assert '"slug":"business-card"' in output and '"editorUrl"' in output
    assert '"field":"safeZone"' in output
    assert '"isDefault":true' in output
    assert '"preflight":{' in output and '"status":"warning"' in output
    assert "200 application/pdf" in output  # the saved design's print-ready PDF
    with pikepdf.open("/tmp/presswork-card.pdf") as pdf:
        assert len(pdf.pages) == 1 and "/TrimBox" in pdf.pages[0].obj
    assert '"status":"shipped"' in output and '"productionStage":"done"' in output
    assert '"code":"conflict"' in output and '"field":"status"' in output
    assert '"eventType":"order.created"' in output and '"webhookId":"whk_' in output


def test_the_readme_printcart_session_works_as_written(live_server):
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _curl_session("## Coming from PrintCart")],
        env=dict(os.environ, BASE=live_server),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout
    assert '"message":"Created successfully"' in output and '"note":"First card"' in output
    assert '"type":"textbox"' in output and '"fontFamily":"Roboto"' in output
    assert '"fontSize":13.92' in output  # 58 px at 300 dpi, in points, through the native API
    assert '"layers.0.flipX"' in output
    assert '"per_page":1' in output
    assert '"name":"Business card"' in output
