"""Cursor pagination: stable under concurrent inserts, as fast on page 1,000 as on page 1."""

from flask import url_for
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from designer.api.errors import ValidationFailed
from designer.api.schemas import ListQuery
from designer.extensions import db


def paginate(
    statement: Select, model, query: ListQuery, sortable: dict[str, InstrumentedAttribute]
) -> tuple[list, bool, str | None]:
    """One page of `statement`, ordered by the query's sortBy then id, after its cursor.

    Returns (rows, has_more, next_cursor). Raises ValidationFailed naming `sortBy` for a column
    that is not sortable and `startingAfter` for a cursor that is not in the list.
    """
    column = sortable.get(query.sort_by)
    if column is None:
        raise ValidationFailed(f"Field 'sortBy' must be one of: {', '.join(sortable)}", field="sortBy")
    descending = query.sort == "desc"
    if query.starting_after is not None:
        cursor = db.session.execute(
            statement.with_only_columns(column, model.id).where(model.id == query.starting_after)
        ).first()
        if cursor is None:
            raise ValidationFailed(
                "Field 'startingAfter' is not the id of an item in this list", field="startingAfter"
            )
        value, cursor_id = cursor
        after = (column < value) if descending else (column > value)
        tie = (model.id < cursor_id) if descending else (model.id > cursor_id)
        # The OR alone is no index range to SQLite or PostgreSQL: they would walk the index from
        # the list's start, so a deep page would cost all the rows before it. The redundant bound
        # is a range an index on (store_id, column, id) answers; the OR then only settles ties.
        bound = (column <= value) if descending else (column >= value)
        statement = statement.where(bound, or_(after, and_(column == value, tie)))
    order = (column.desc(), model.id.desc()) if descending else (column.asc(), model.id.asc())
    rows = list(db.session.scalars(statement.order_by(*order).limit(query.limit + 1)))
    has_more = len(rows) > query.limit
    rows = rows[: query.limit]
    return rows, has_more, rows[-1].id if has_more else None


def count(statement: Select, model) -> int:
    """How many rows `statement` selects (counting the model's ids keeps tenant scoping on)."""
    return db.session.scalar(statement.with_only_columns(db.func.count(model.id)).order_by(None))


def page_filters(query: BaseModel) -> dict:
    """The query without its cursor, as URL parameters: what a "load more" button asks again."""
    values = query.model_dump(by_alias=True, exclude_none=True, exclude={"starting_after"})
    return {name: str(value).lower() if isinstance(value, bool) else value for name, value in values.items()}


def more_url(endpoint: str, query: BaseModel, cursor: str | None, **path) -> str | None:
    """The URL of the page after `cursor` of the same list, or None on the last page."""
    return url_for(endpoint, **path, **page_filters(query), startingAfter=cursor) if cursor else None
