"""Stored bytes as an HTTP response: how every file, font and clipart is served."""

import unicodedata
from urllib.parse import quote

from flask import Response, request

# Even sanitized, an SVG opened on its own is a document: nothing in it may run or load.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
PRIVATE = "private, max-age=3600"
# Library fonts and clipart never change under their id.
IMMUTABLE = "public, max-age=31536000, immutable"


def send_bytes(
    data: bytes, media_type: str, *, etag: str, filename: str | None = None, cache_control: str = PRIVATE
) -> Response:
    """`data` with its media type, never sniffed, an ETag (answering 304 to a matching
    If-None-Match) and, for SVG, a policy that lets nothing in it run."""
    response = Response(data, mimetype=media_type)
    if filename is not None:
        _set_disposition(response, filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if media_type == "image/svg+xml":
        response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Cache-Control"] = cache_control
    response.set_etag(etag)
    return response.make_conditional(request)


def _set_disposition(response: Response, filename: str) -> None:
    try:
        filename.encode("ascii")
        names = {"filename": filename}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii") or "file"
        names = {"filename": simple, "filename*": "UTF-8''" + quote(filename, safe="!#$&+-.^_`|~")}
    response.headers.set("Content-Disposition", "inline", **names)
