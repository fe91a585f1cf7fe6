"""The headers every response carries so a browser refuses what Presswork's pages never do.

Every HTML page gets a Content-Security-Policy: scripts only from this origin's files (no inline
script, no event-handler attribute, no eval: htmx is configured not to evaluate either, see
templates/base.html), no plugins, no <base>, forms posting only here, and no framing. Styles may
be inline: the pages, htmx's indicator styles and the editor's drawing carry style attributes, and
CSS cannot run script. Pictures may be data: or blob: URIs (the preview embeds its images).

A page is framed by no one (frame-ancestors 'none' and X-Frame-Options: DENY), except a
customer's editor page, which a store's own shop may embed: its view calls `allow_framing_by`
with the store's shop origins, and the page then names them in frame-ancestors instead
(X-Frame-Options cannot name an origin, so it is left out there; every browser that honours
frame-ancestors ignores it anyway).

The API reference pages may also start web workers from blob: URLs (`allow_blob_workers`: the
reference UI's search index runs in one), a script it already carries, not one from elsewhere.

A response that sets its own policy (a stored SVG served under a sandbox) keeps it.
"""

from collections.abc import Iterable

from flask import Flask, Response, g

_POLICY = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)
REFERRER_POLICY = "strict-origin-when-cross-origin"


def init_security_headers(app: Flask) -> None:
    """Add the headers to every response the app sends."""
    app.after_request(_add_headers)


def allow_framing_by(origins: Iterable[str]) -> None:
    """Let the page this request answers be framed by this site and `origins` (already validated
    https or http origins: scheme, host, optional port)."""
    g.frame_ancestors = tuple(origins)


def allow_blob_workers() -> None:
    """Let the page this request answers start web workers from blob: URLs (the API reference's
    search runs in one); every other page starts none."""
    g.blob_workers = True


def content_security_policy(frame_ancestors: Iterable[str] | None = None, blob_workers: bool = False) -> str:
    """The policy of an HTML page: framed by no one, or by this site and `frame_ancestors`; with
    `blob_workers`, it may start workers from blob: URLs (others start them from script-src's
    own origin only)."""
    if frame_ancestors is None:
        framing = "frame-ancestors 'none'"
    else:
        framing = " ".join(("frame-ancestors 'self'", *frame_ancestors))
    workers = ("worker-src 'self' blob:",) if blob_workers else ()
    return "; ".join((*_POLICY, *workers, framing))


def _add_headers(response: Response) -> Response:
    headers = response.headers
    if "X-Content-Type-Options" not in headers:  # a download sets its own
        headers.add("X-Content-Type-Options", "nosniff")
    headers.add("Referrer-Policy", REFERRER_POLICY)  # only here
    if response.mimetype != "text/html" or "Content-Security-Policy" in headers:
        return response
    frame_ancestors = g.get("frame_ancestors")
    headers["Content-Security-Policy"] = content_security_policy(
        frame_ancestors, g.get("blob_workers", False)
    )
    if frame_ancestors is None:
        headers["X-Frame-Options"] = "DENY"
    return response
