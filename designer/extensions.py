"""Flask extensions, created unbound here and bound to the app in create_app(); the work that
follows the session's transaction (`after_commit`, `after_rollback`); and whether a transaction
has anything to commit (`has_work`)."""

from collections.abc import Callable
from typing import Any

from flask import current_app, request, session
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import event
from sqlalchemy.orm import DeclarativeBase, Session


class Base(DeclarativeBase):
    pass


class _LoginManager(LoginManager):
    def _update_remember_cookie(self, response):
        # An empty session that nothing wrote to (a request without the cookie, an API client's)
        # has no remember cookie to set or clear: Flask-Login would only read it, which costs the
        # answer a Vary on a cookie the request did not send.
        if not session and not session.modified:
            return response
        return super()._update_remember_cookie(response)


class _CSRFProtect(CSRFProtect):
    def protect(self, apply_exemptions=False):
        # Only writes are checked: the method first, before the exempt views and blueprints are
        # looked up, as they would be on every request.
        if request.method in current_app.config["WTF_CSRF_METHODS"]:
            super().protect(apply_exemptions)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = _LoginManager()
csrf = _CSRFProtect()
htmx = Htmx()


# Work that follows the transaction

_COMMITTED = "presswork_after_commit"
_ROLLED_BACK = "presswork_after_rollback"
_WROTE = "presswork_wrote"


def has_work() -> bool:
    """Whether committing the session's transaction would change anything: rows were written or
    are waiting to be, or work waits for the commit. A transaction that only read needs none, and
    a request that never used the session has none to ask (and does not make one to ask it)."""
    if not db.session.registry.has():
        return False
    session = db.session
    return bool(
        session.info.get(_WROTE)
        or session.info.get(_COMMITTED)
        or session.new
        or session.dirty
        or session.deleted
    )


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state) -> None:
    # Anything but a select (an UPDATE, a DELETE, text SQL) may write.
    if not state.is_select:
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context) -> None:
    session.info[_WROTE] = True


def after_commit(run: Callable[[list[Any]], None], item: Any) -> None:
    """Hand `item` to `run` once the session's outermost transaction commits; nothing happens if
    it does not. `run` is called once per commit with every item the transaction handed it, in
    order (one Redis round trip for a batch). `run` handles its own failures: the commit stands."""
    _pending(_COMMITTED, run).append(item)


def after_rollback(run: Callable[[list[Any]], None], item: Any) -> None:
    """Hand `item` to `run` if the session's outermost transaction ends without committing (rolled
    back, or the session closed); nothing happens once it commits."""
    _pending(_ROLLED_BACK, run).append(item)


def _pending(name: str, run: Callable[[list[Any]], None]) -> list[Any]:
    return db.session.info.setdefault(name, {}).setdefault(run, [])


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    session.info.pop(_ROLLED_BACK, None)
    for run, items in session.info.pop(_COMMITTED, {}).items():
        run(items)


@event.listens_for(Session, "after_transaction_end")
def _run_after_rollback(session: Session, transaction) -> None:
    # Only the outermost transaction is the unit of work. After a commit the lists are gone
    # (above); what is left was rolled back, or the session was closed without committing.
    if transaction.parent is not None:
        return
    session.info.pop(_WROTE, None)
    session.info.pop(_COMMITTED, None)
    for run, items in session.info.pop(_ROLLED_BACK, {}).items():
        run(items)
