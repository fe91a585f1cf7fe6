"""stores: the shop's origins that may show the customer's editor in a frame"""
# Created 2026-12-05 09:40:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'a3f6c2e9d1b8', 'd8e3f9a2b4c7'


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shop_origins', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('shop_origins')
