"""designs and templates count their changes (version): the ETag, checked against If-Match"""
# Created 2026-12-05 09:30:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'e4a7c1d9b3f2', 'a3f6c2e9d1b8'


def upgrade():
    for table in ('designs', 'templates'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            column = sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False)
            batch_op.add_column(column)


def downgrade():
    for table in ('designs', 'templates'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
