"""stores: the store's integration with its shop (shop URL, platform, image and font API keys)"""
# Created 2026-12-06 20:30:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'c3e8a5d1f7b9', 'c5e8a2d4f7b1'


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('integration', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('integration')
