"""Alembic environment: migrations run against the app's own engine and models (Flask-Migrate)."""

import logging

from alembic import context
from flask import current_app

log = logging.getLogger("alembic.env")
database = current_app.extensions["migrate"].db


def _skip_empty_autogenerate(context_, revision, directives) -> None:
    # `flask db migrate` with no model changes should write no empty revision file.
    if getattr(context.config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in schema detected.")


def run_offline() -> None:
    url = database.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=database.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", _skip_empty_autogenerate)
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    options.setdefault("render_as_batch", database.engine.dialect.name == "sqlite")
    with database.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=database.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
