"""Tenant scoping, in one place.

Every SELECT, UPDATE or DELETE that touches a store-owned table must say which store it is for:
`in_store(select(X), store_id)`. A listener adds the `store_id = …` criterion to every
store-owned entity in the statement (joins and subqueries included) and refuses a statement that
names no store, so a query that forgets the tenant fails loudly in tests instead of leaking data
in production. Workers that sweep across stores say so explicitly with `across_stores(...)`.
`narrowed` then keeps the store's rows that match the filters a list was given.
"""

import functools
import re
from typing import TypeVar

from sqlalchemy import Executable, event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql.util import find_tables

from designer.errors import NotFound
from designer.extensions import db
from designer.models import StoreOwned

_STORE = "presswork_store_id"
_ACROSS = "presswork_across_stores"

T = TypeVar("T")
Statement = TypeVar("Statement", bound=Executable)


class UnscopedQuery(RuntimeError):
    """A query loaded store-owned rows without naming the store."""


def in_store(statement: Statement, store_id: str) -> Statement:
    """`statement` (a select, update or delete) restricted to the rows of one store."""
    return statement.execution_options(**{_STORE: store_id})


def narrowed(statement: Statement, model: type, **values) -> Statement:
    """`statement` keeping the `model` rows whose column of each name equals its value, for the
    values given (None: any)."""
    for name, value in values.items():
        if value is not None:
            statement = statement.where(getattr(model, name) == value)
    return statement


def across_stores(statement: Statement) -> Statement:
    """`statement` allowed to touch every store's rows: for workers that sweep, never for requests."""
    return statement.execution_options(**{_ACROSS: True})


def get_in_store(model: type[T], resource_id: str, store_id: str) -> T:
    """The `model` row with `resource_id` in this store.

    Raises NotFound when it does not exist or belongs to another store: the two are
    indistinguishable to the caller, as the API contract requires.
    """
    found = db.session.scalars(in_store(db.select(model).where(model.id == resource_id), store_id)).first()
    if found is None:
        raise NotFound(f"No {_noun(model)} with id '{resource_id}'")
    return found


def _noun(model: type) -> str:
    """`ApiToken` → "api token": what the API calls a row of `model` in messages."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", model.__name__).lower()


def _touches_store_owned(state: ORMExecuteState) -> bool:
    # The statement's top-level entities are not enough: a table reached only through a join, a
    # subquery or select_from() must be scoped (or refused) too, so look at every table in it.
    owned = _store_owned_tables(len(db.Model.registry.mappers))
    tables = find_tables(state.statement, check_columns=True, include_joins=True, include_crud=True)
    return any(table in owned for table in tables)


@functools.cache
def _store_owned_tables(mapper_count: int) -> frozenset:
    # Keyed by how many models are mapped, so a model imported later is seen, and the scan runs
    # once per schema rather than once per query.
    return frozenset(
        mapper.local_table for mapper in db.Model.registry.mappers if issubclass(mapper.class_, StoreOwned)
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_to_store(state: ORMExecuteState) -> None:
    if state.is_relationship_load or state.is_column_load:
        return
    if not (state.is_select or state.is_update or state.is_delete):
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
