"""renders: the checks before print each render found (art that stops at the trim, text too
small, hairlines, too much ink), for the print shop"""
# Created 2026-12-06 20:40:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'c4e9a1f7d2b8', 'b7d4f1e8c2a6'


def upgrade():
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checks', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.drop_column('checks')
