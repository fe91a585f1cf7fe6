"""Undo and redo for the layers of a design or a template.

Each keeps two stacks of earlier layer lists (newest last, at most MAX_STEPS each): a change
pushes the layers it replaces onto the undo stack and empties the redo stack; undo moves the
current layers to the redo stack and brings back the last undone state, redo the reverse.

Typing a name is one step, not one per keystroke: a change of the same fields of the same layer
(`edit`, e.g. "lyr_…:text") within COALESCE_SECONDS of the last one joins the last step.

These only move layer lists between the columns (and count the change in `version`); the
callers check, flush and record events.
"""

from datetime import timedelta

from designer.editing.models import Historied
from designer.errors import Conflict
from designer.models import utcnow

MAX_STEPS = 50
COALESCE_SECONDS = 2.0


def record(owner: Historied, before: list[dict], edit: str | None = None) -> None:
    """Note that `owner.layers` is about to change from `before`.

    `edit` names what the change touches (a layer and its fields); None for a change that is
    always a step of its own (a layer added or deleted, the whole list replaced, a reset).
    """
    now = utcnow()
    continues = (
        edit is not None
        and owner.last_edit == edit
        and owner.last_edit_at is not None
        and now - _aware(owner.last_edit_at) <= timedelta(seconds=COALESCE_SECONDS)
    )
    if not continues:
        owner.undo_stack = [*(owner.undo_stack or []), before][-MAX_STEPS:]
        if owner.redo_stack:
            owner.redo_stack = []
    owner.last_edit = edit
    owner.last_edit_at = now
    changed(owner)


def undo(owner: Historied) -> None:
    """Bring back the layers before the last change. Raises Conflict when there is none."""
    if not owner.undo_stack:
        raise Conflict("Nothing to undo", field="undo")
    *earlier, previous = owner.undo_stack
    owner.redo_stack = [*(owner.redo_stack or []), owner.layers][-MAX_STEPS:]
    owner.undo_stack = earlier
    _restore(owner, previous)


def redo(owner: Historied) -> None:
    """Make the last undone change again. Raises Conflict when there is none."""
    if not owner.redo_stack:
        raise Conflict("Nothing to redo", field="redo")
    *earlier, following = owner.redo_stack
    owner.undo_stack = [*(owner.undo_stack or []), owner.layers][-MAX_STEPS:]
    owner.redo_stack = earlier
    _restore(owner, following)


def can_undo(owner: Historied) -> bool:
    return bool(owner.undo_stack)


def can_redo(owner: Historied) -> bool:
    return bool(owner.redo_stack)


def changed(owner: Historied) -> None:
    """Count a change of the owner: its ETag changes with it, and an If-Match naming the one
    before is refused."""
    owner.version = (owner.version or 1) + 1


def _restore(owner: Historied, layers: list[dict]) -> None:
    owner.layers = layers
    changed(owner)
    # The next edit starts a step of its own.
    owner.last_edit = None
    owner.last_edit_at = None


def _aware(moment):
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
