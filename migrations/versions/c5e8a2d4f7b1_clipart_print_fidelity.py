"""clipart: the uploaded original, how far its print differs from a browser's drawing, and the
merchant's choice to print it as a raster"""
# Created 2026-12-06 20:30:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'c5e8a2d4f7b1', 'c3e9a5d7f1b2'


def upgrade():
    with op.batch_alter_table('clipart', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_key', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('print_differing', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('print_warning', sa.String(length=1000), nullable=True))
        batch_op.add_column(
            sa.Column('print_as_raster', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade():
    with op.batch_alter_table('clipart', schema=None) as batch_op:
        batch_op.drop_column('print_as_raster')
        batch_op.drop_column('print_warning')
        batch_op.drop_column('print_differing')
        batch_op.drop_column('original_key')
