"""`flask install-library`: add the default library's fonts and clipart to existing stores.

New stores get it when they are created; this is for stores made before the library grew, or
to bring back default items a merchant deleted.
"""

import click
from flask import Flask

from designer.accounts.models import Store
from designer.extensions import db
from designer.library.service import install_default_library, library_fonts


def install_library(store_ids: list[str] | None = None) -> dict[str, tuple[int, int]]:
    """Install the default library into these stores (every store when None), one commit per
    store. Returns, per store id, how many fonts and clipart were added.

    Raises click.ClickException for a store id that does not exist.
    """
    statement = db.select(Store.id).order_by(Store.created_at)
    if store_ids:
        statement = statement.where(Store.id.in_(store_ids))
    found = list(db.session.scalars(statement))
    missing = sorted(set(store_ids or ()) - set(found))
    if missing:
        raise click.ClickException(f"No store with id {', '.join(missing)}")
    added = {}
    for store_id in found:
        added[store_id] = install_default_library(store_id)
        db.session.commit()
    return added


def register(app: Flask) -> None:
    @app.cli.command("install-library")
    @click.option("--store", "store_ids", multiple=True, help="Only this store (repeatable); default: all")
    def install_library_command(store_ids: tuple[str, ...]) -> None:
        """Add the default fonts and clipart that stores do not have yet."""
        if not library_fonts():
            click.echo("warning: no default font is installed; run `make install` first", err=True)
        added = install_library(list(store_ids) or None)
        fonts = sum(font_count for font_count, _ in added.values())
        clipart = sum(clipart_count for _, clipart_count in added.values())
        click.echo(f"{len(added)} stores: {fonts} fonts and {clipart} clipart added")
