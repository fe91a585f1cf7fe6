"""orders and line items"""
# Created 2026-11-24 17:30:00.000000

import sqlalchemy as sa
from alembic import op
from table_shapes import column, create_table, drop_table, key, moment, reference, string, stored

revision, down_revision = 'c7d2e8f1a3b6', 'b5e1c3a9d2f4'

ORDERS_INDEXED = ('created_at', 'customer_email', 'customer_id', 'store_id')
LINE_ITEMS_INDEXED = ('created_at', 'order_id', 'product_id', 'project_id', 'store_id')
# The orders list's pages: a store's orders, all or of one stage or status, newest first.
ORDERS_LISTED = {
    'ix_orders_store_created_id': ['store_id', 'created_at', 'id'],
    'ix_orders_store_stage_created_id': ['store_id', 'production_stage', 'created_at', 'id'],
    'ix_orders_store_status_created_id': ['store_id', 'status', 'created_at', 'id'],
}


def upgrade():
    create_table('orders',
        key('id'), string('number', 64), string('status', 16), string('production_stage', 16),
        string('customer_id', 64, nullable=True), string('customer_email', 254, nullable=True),
        string('customer_name', 200), column('customer', sa.JSON()), column('shipping', sa.JSON()),
        column('internal_notes', sa.Text()), string('currency', 3, nullable=True),
        column('total_amount', sa.Integer(), nullable=True), column('metadata', sa.JSON()),
        moment('paid_at'), moment('shipped_at'), moment('cancelled_at'), *stored(),
        reference('store_id', 'stores', 'CASCADE'), sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('store_id', 'number', name='uq_orders_store_number'),
        indexed=ORDERS_INDEXED)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for name, columns in ORDERS_LISTED.items():
            batch_op.create_index(name, columns, unique=False)

    create_table('line_items',
        key('id'), key('order_id'), column('position', sa.Integer()), string('sku', 120),
        string('name', 200), column('quantity', sa.Integer()),
        key('product_id', nullable=True), key('project_id', nullable=True),
        column('design_ids', sa.JSON()), column('personalization', sa.JSON()), *stored(),
        reference('order_id', 'orders', 'CASCADE'), reference('product_id', 'products', 'SET NULL'),
        reference('project_id', 'projects', 'SET NULL'), reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        indexed=LINE_ITEMS_INDEXED)


def downgrade():
    drop_table('line_items', indexed=LINE_ITEMS_INDEXED)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        for name in reversed(ORDERS_LISTED):
            batch_op.drop_index(name)
    drop_table('orders', indexed=ORDERS_INDEXED)
