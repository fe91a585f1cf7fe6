"""Browser pages: sign-up, log-in, the merchant dashboard and the editor."""

from collections.abc import Callable
from functools import wraps

from designer.extensions import db


def one_unit_of_work(view: Callable) -> Callable:
    """Runs `view` as `@operation` runs an API view: what it changed is committed when it answers
    and rolled back when it raises, so the views themselves never commit."""

    @wraps(view)
    def run(**path):
        try:
            response = view(**path)
        except Exception:
            db.session.rollback()
            raise
        db.session.commit()
        return response

    return run
