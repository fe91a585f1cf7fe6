"""stores: the store's brand colours and logo, for its customer pages"""
# Created 2026-12-06 06:20:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'b7d4f1e8c2a6', 'a9c4e2f7b1d5'


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('brand_colors', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('logo_file_id', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('logo_file_id')
        batch_op.drop_column('brand_colors')
