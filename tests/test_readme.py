"""The README's curl session works as written, against a real server."""

import os
import re
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

README = Path(__file__).resolve().parent.parent / "README.md"


def _curl_session() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## A session with curl", 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_the_readme_curl_session_works_as_written(live_server):
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _curl_session()],
        env=dict(os.environ, BASE=live_server),
        capture_output=True,
        text=True,
        timeout=60,
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
