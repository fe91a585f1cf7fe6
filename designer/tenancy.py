"""Tenant scoping, in one place.

Every SELECT that loads a store-owned model must say which store it is for: `in_store(select(X),
store_id)`. A listener adds the `store_id = …` criterion to every store-owned entity in the
statement (joins and subqueries included) and refuses a statement that names no store, so a
query that forgets the tenant fails loudly in tests instead of leaking data in production.
Workers that sweep across stores say so explicitly with `across_stores(...)`.
"""

from typing import TypeVar

from sqlalchemy import Select, event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from designer.api.errors import NotFound
from designer.extensions import db
from designer.models import StoreOwned

_STORE = "presswork_store_id"
_ACROSS = "presswork_across_stores"

T = TypeVar("T")


class UnscopedQuery(RuntimeError):
    """A query loaded store-owned rows without naming the store."""


def in_store(statement: Select, store_id: str) -> Select:
    return statement.execution_options(**{_STORE: store_id})


def across_stores(statement: Select) -> Select:
    return statement.execution_options(**{_ACROSS: True})


def get_in_store(model: type[T], resource_id: str, store_id: str) -> T:
    """The `model` row with `resource_id` in this store.

    Raises NotFound when it does not exist or belongs to another store: the two are
    indistinguishable to the caller, as the API contract requires.
    """
    found = db.session.scalars(in_store(db.select(model).where(model.id == resource_id), store_id)).first()
    if found is None:
        raise NotFound(f"No {model.__tablename__[:-1]} with id '{resource_id}'")
    return found


def _touches_store_owned(state: ORMExecuteState) -> bool:
    return any(
        mapper.class_ is not None and issubclass(mapper.class_, StoreOwned) for mapper in state.all_mappers
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_to_store(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_relationship_load or state.is_column_load:
        return
    options = state.execution_options
    if options.get(_ACROSS) or not _touches_store_owned(state):
        return
    store_id = options.get(_STORE)
    if store_id is None:
        raise UnscopedQuery("store-owned rows queried without in_store(...) or across_stores(...)")
    state.statement = state.statement.options(
        # store_id is a closure variable: SQLAlchemy tracks it as a bound parameter, so the
        # cached statement is reused across stores with the right value each time.
        with_loader_criteria(StoreOwned, lambda cls: cls.store_id == store_id, include_aliases=True)
    )
