"""The columns every owner of editable layers has (a design, a template): its undo and redo history,
what its last change touched, and the version counting its changes."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import JSON, DateTime, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column


class Historied:
    """Layers with an undo and a redo history (see history.py): earlier layer lists, newest last."""

    # Whether the layers are a merchant's to author (a template): composed for them, their problems
    # also warn of character limits their boxes cannot hold (composer.compose's `for_merchant`).
    authored_by_merchant: ClassVar[bool] = False

    undo_stack: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    redo_stack: Mapped[list] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    # What the last change touched ("lyr_…:text,fontSize") and when: a change of the same fields of
    # the same layer soon after is part of the same undo step.
    last_edit: Mapped[str | None] = mapped_column(String(300), nullable=True)
    last_edit_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Counts the changes: one more at every change of the layers (and, for a design, of its note
    # or status). The API's ETag is made of it, and If-Match is checked against it.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
