import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from designer import create_app
from designer.extensions import db


@pytest.fixture
def empty_app(app_config):
    app = create_app(app_config)
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    yield app
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        db.create_all()  # the tables the other tests of this worker find (see conftest's `schema`)
        db.engine.dispose()


def test_migrations_upgrade_an_empty_database_to_the_models(empty_app):
    with empty_app.app_context():
        upgrade(directory=os.path.join(os.path.dirname(empty_app.root_path), "migrations"))
        tables = set(inspect(db.engine).get_table_names())
        assert {"accounts", "stores", "api_tokens", "events", "idempotency_keys", "alembic_version"} <= tables
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
