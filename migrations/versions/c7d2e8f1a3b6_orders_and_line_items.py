"""orders and line items

Revision ID: c7d2e8f1a3b6
Revises: b5e1c3a9d2f4
Create Date: 2026-11-24 17:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d2e8f1a3b6'
down_revision = 'b5e1c3a9d2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('orders',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('production_stage', sa.String(length=16), nullable=False),
    sa.Column('customer_id', sa.String(length=64), nullable=True),
    sa.Column('customer_email', sa.String(length=254), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('customer', sa.JSON(), nullable=False),
    sa.Column('shipping', sa.JSON(), nullable=False),
    sa.Column('internal_notes', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('total_amount', sa.Integer(), nullable=True),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('store_id', 'number', name='uq_orders_store_number')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_orders_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_customer_email'), ['customer_email'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_orders_store_created_id', ['store_id', 'created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_store_id'), ['store_id'], unique=False)
        batch_op.create_index('ix_orders_store_stage_created_id', ['store_id', 'production_stage', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_orders_store_status_created_id', ['store_id', 'status', 'created_at', 'id'], unique=False)

    op.create_table('line_items',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('order_id', sa.String(length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=120), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.String(length=32), nullable=True),
    sa.Column('project_id', sa.String(length=32), nullable=True),
    sa.Column('design_ids', sa.JSON(), nullable=False),
    sa.Column('personalization', sa.JSON(), nullable=False),
    sa.Column('store_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_line_items_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_items_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_items_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_items_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_line_items_store_id'), ['store_id'], unique=False)


def downgrade():
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_line_items_store_id'))
        batch_op.drop_index(batch_op.f('ix_line_items_project_id'))
        batch_op.drop_index(batch_op.f('ix_line_items_product_id'))
        batch_op.drop_index(batch_op.f('ix_line_items_order_id'))
        batch_op.drop_index(batch_op.f('ix_line_items_created_at'))

    op.drop_table('line_items')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_store_status_created_id')
        batch_op.drop_index('ix_orders_store_stage_created_id')
        batch_op.drop_index(batch_op.f('ix_orders_store_id'))
        batch_op.drop_index('ix_orders_store_created_id')
        batch_op.drop_index(batch_op.f('ix_orders_customer_id'))
        batch_op.drop_index(batch_op.f('ix_orders_customer_email'))
        batch_op.drop_index(batch_op.f('ix_orders_created_at'))

    op.drop_table('orders')
