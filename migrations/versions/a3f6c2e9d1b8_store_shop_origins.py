"""stores: the shop's origins that may show the customer's editor in a frame

Revision ID: a3f6c2e9d1b8
Revises: d8e3f9a2b4c7
Create Date: 2026-12-05 09:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a3f6c2e9d1b8'
down_revision = 'd8e3f9a2b4c7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shop_origins', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('shop_origins')
