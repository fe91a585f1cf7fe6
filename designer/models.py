"""Columns shared by every model: a prefixed id, timestamps, and the store a row belongs to."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class StoreOwned:
    """A row that belongs to one store. Queries on it must say which store (see tenancy.py)."""

    @declared_attr
    def store_id(cls) -> Mapped[str]:
        return mapped_column(String(32), ForeignKey("stores.id", ondelete="CASCADE"), index=True)
