"""Slugs: the readable, unique-per-store names products and categories are also addressed by
(and searched by, with their names)."""

import re
import unicodedata

from sqlalchemy import or_

from designer.errors import Conflict, ValidationFailed
from designer.extensions import db
from designer.tenancy import in_store

MAX_LENGTH = 120
# These follow /products/ and /categories/ as routes of their own, so no slug may take them.
RESERVED = frozenset({"count", "batch", "batch-delete"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by single hyphens ("Café Mug 11oz" → "cafe-mug-11oz").

    Text with nothing left (all symbols, or a script with no ASCII form) gives "item".
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:MAX_LENGTH].rstrip("-") or "item"


def name_or_slug_contains(model, text: str):
    """The condition that a `model` row's name (in any case) or slug contains `text`."""
    text = text.strip().lower()
    return or_(
        db.func.lower(model.name).contains(text, autoescape=True), model.slug.contains(text, autoescape=True)
    )


def unique_slug(model, store_id: str, name: str, exclude_id: str | None = None) -> str:
    """A slug for `name` that no other `model` row of the store has: the name's, or it with -2, -3…"""
    base = slugify(name)
    taken = _taken(model, store_id, base, exclude_id)
    if base not in taken and base not in RESERVED:
        return base
    number = 2
    while True:
        suffix = f"-{number}"
        candidate = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def check_slug(model, store_id: str, slug: str, field: str, exclude_id: str | None = None) -> str:
    """`slug` if the store may use it for a `model` row.

    Raises ValidationFailed naming `field` for a reserved slug, Conflict naming it for one taken.
    """
    if slug in RESERVED:
        raise ValidationFailed(
            f"Field '{field}': '{slug}' is reserved (it names a route); choose another", field=field
        )
    statement = db.select(model.id).where(model.slug == slug)
    if exclude_id is not None:
        statement = statement.where(model.id != exclude_id)
    if db.session.scalars(in_store(statement, store_id)).first() is not None:
        noun = "category" if model.__tablename__ == "categories" else "product"
        raise Conflict(f"Another {noun} of this store has the slug '{slug}'", field=field)
    return slug


def _taken(model, store_id: str, base: str, exclude_id: str | None) -> set[str]:
    statement = db.select(model.slug).where(
        (model.slug == base) | model.slug.startswith(base + "-", autoescape=True)
    )
    if exclude_id is not None:
        statement = statement.where(model.id != exclude_id)
    return set(db.session.scalars(in_store(statement, store_id)))
