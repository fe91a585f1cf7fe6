"""The key in a design's editor link: a signature over its project's id, so the link alone opens
the editor on that project (an anonymous customer's way back to their design), and no other."""

from flask import current_app
from itsdangerous import Signer

_SALT = "presswork.editor-project"


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=_SALT)


def editor_key(project_id: str) -> str:
    """The key that opens the editor on the project `project_id`."""
    return _signer().get_signature(project_id.encode()).decode()


def key_opens(project_id: str, key: str | None) -> bool:
    """Whether `key` is the editor key of `project_id`."""
    if not key or not project_id:
        return False
    try:
        return _signer().verify_signature(project_id.encode(), key.encode())
    except UnicodeEncodeError:  # a lone surrogate in the query string
        return False
