"""Conditional changes: the ETag of a resource that counts its changes, and If-Match checked
against it, so a client changing what it read is refused once someone else changed it first."""

from flask import request

from designer.api.errors import PreconditionFailed

IF_MATCH = "If-Match"


def etag_of(version: int) -> str:
    """The ETag (quoted, strong) of the version `version` of a resource."""
    return f'"v{version}"'


def check_if_match(current: str, noun: str) -> None:
    """Nothing when the request sends no If-Match, or one naming `current` (an ETag from
    etag_of) or `*`.

    Raises PreconditionFailed naming the If-Match header otherwise; a weak ETag (W/"…") never
    matches, as a change needs the exact version.
    """
    if IF_MATCH not in request.headers:
        return
    sent = request.if_match
    if sent.contains(current.strip('"')):
        return
    raise PreconditionFailed(
        f"Header '{IF_MATCH}': the {noun} has changed since {request.headers[IF_MATCH].strip()[:100]}; "
        f"it is now {current}. Read it again, and send its new ETag",
        field=IF_MATCH,
    )
