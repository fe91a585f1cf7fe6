"""gang_sheets: press sheets made of a production stage's orders of one product (imposition)"""
# Created 2026-12-06 23:40:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'e7b3c5d9a1f4', 'd4f8b2a6c1e9'


def upgrade():
    op.create_table(
        'gang_sheets',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('product_id', sa.String(length=32), nullable=True),
        sa.Column('file_id', sa.String(length=32), nullable=True),
        sa.Column('stage', sa.String(length=16), nullable=False),
        sa.Column('layout', sa.JSON(), nullable=False),
        sa.Column('sheet_count', sa.Integer(), nullable=False),
        sa.Column('duplex', sa.Boolean(), nullable=False),
        sa.Column('order_ids', sa.JSON(), nullable=False),
        sa.Column('line_item_ids', sa.JSON(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('store_id', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['files.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('gang_sheets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gang_sheets_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gang_sheets_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_gang_sheets_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('gang_sheets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gang_sheets_created_at'))
        batch_op.drop_index(batch_op.f('ix_gang_sheets_store_id'))
        batch_op.drop_index(batch_op.f('ix_gang_sheets_product_id'))
    op.drop_table('gang_sheets')
