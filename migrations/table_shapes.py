"""The column and table shapes the revisions in versions/ share.

alembic.ini puts this folder on sys.path (prepend_sys_path), so a revision imports it as
`table_shapes`. A revision that has run on a production database must keep producing the same
schema: change a shape here only in a way that leaves every existing revision's tables as they are.
"""

import sqlalchemy as sa
from alembic import op


def column(name: str, type_, nullable: bool = False, **options) -> sa.Column:
    """A column that must hold a value unless `nullable` says otherwise."""
    return sa.Column(name, type_, nullable=nullable, **options)


def key(name: str, nullable: bool = False) -> sa.Column:
    """A row id, or a reference to one (the ids are 32 characters)."""
    return sa.Column(name, sa.String(length=32), nullable=nullable)


def string(name: str, length: int, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(length=length), nullable=nullable)


def moment(name: str, nullable: bool = True) -> sa.Column:
    """A time with its zone; most are empty until the thing they record happens."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def stamps() -> list[sa.Column]:
    """When a row was made and last changed."""
    return [moment("created_at", nullable=False), moment("updated_at", nullable=False)]


def stored() -> list[sa.Column]:
    """The columns a store's own rows end with: the store, then their stamps."""
    return [key("store_id"), *stamps()]


def reference(column: str, table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    """`column` holds the id of a row of `table`; `ondelete` says what becomes of it when that row goes."""
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], ondelete=ondelete)


def create_table(name: str, *elements, indexed: tuple[str, ...] = ()) -> None:
    """Create the table, then the plain index `ix_<table>_<column>` on each column named in `indexed`."""
    op.create_table(name, *elements)
    if indexed:
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in indexed:
                batch_op.create_index(batch_op.f(f"ix_{name}_{column}"), [column], unique=False)


def drop_table(name: str, indexed: tuple[str, ...] = ()) -> None:
    """Undo `create_table`: its plain indexes, last made first, then the table."""
    if indexed:
        with op.batch_alter_table(name, schema=None) as batch_op:
            for column in reversed(indexed):
                batch_op.drop_index(batch_op.f(f"ix_{name}_{column}"))
    op.drop_table(name)
