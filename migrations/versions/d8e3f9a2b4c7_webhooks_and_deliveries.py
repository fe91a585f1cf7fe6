"""webhooks: endpoints, deliveries and their attempts; events are marked dispatched"""
# Created 2026-11-24 17:40:00.000000

import sqlalchemy as sa
from alembic import op
from table_shapes import column, create_table, drop_table, key, moment, reference, string, stored

revision, down_revision = 'd8e3f9a2b4c7', 'c7d2e8f1a3b6'

INDEXED = {
    'webhooks': ('created_at', 'store_id'),
    'webhook_deliveries': ('created_at', 'event_id', 'next_attempt_at', 'status', 'store_id', 'webhook_id'),
    'webhook_delivery_attempts': ('delivery_id',),
}


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(moment('dispatched_at'))
        batch_op.create_index(batch_op.f('ix_events_dispatched_at'), ['dispatched_at'], unique=False)
    # Events recorded before webhooks existed had no one to go to: they count as dispatched.
    op.execute('UPDATE events SET dispatched_at = created_at')

    create_table('webhooks',
        key('id'), string('url', 2048), column('events', sa.JSON()), string('description', 255, nullable=True),
        string('secret', 64), string('previous_secret', 64, nullable=True),
        moment('previous_secret_expires_at'), column('enabled', sa.Boolean()),
        string('disabled_reason', 255, nullable=True), moment('disabled_at'), moment('failing_since'),
        *stored(),
        reference('store_id', 'stores', 'CASCADE'), sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['webhooks'])
    create_table('webhook_deliveries',
        key('id'), key('webhook_id'), key('event_id'), string('event_type', 64), string('status', 16),
        column('attempts', sa.Integer()), moment('next_attempt_at'), moment('claimed_until'),
        column('last_status_code', sa.Integer(), nullable=True),
        column('last_duration_ms', sa.Integer(), nullable=True),
        column('last_error', sa.Text(), nullable=True), moment('delivered_at'), *stored(),
        reference('event_id', 'events', 'CASCADE'), reference('store_id', 'stores', 'CASCADE'),
        reference('webhook_id', 'webhooks', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('webhook_id', 'event_id', name='uq_webhook_deliveries_event'),
        indexed=INDEXED['webhook_deliveries'])
    create_table('webhook_delivery_attempts',
        column('id', sa.Integer(), autoincrement=True), key('delivery_id'),
        column('attempt', sa.Integer()), column('status_code', sa.Integer(), nullable=True),
        column('duration_ms', sa.Integer()), column('error', sa.Text(), nullable=True),
        moment('next_attempt_at'), moment('created_at', nullable=False),
        reference('delivery_id', 'webhook_deliveries', 'CASCADE'), sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['webhook_delivery_attempts'])


def downgrade():
    for table in ('webhook_delivery_attempts', 'webhook_deliveries', 'webhooks'):
        drop_table(table, indexed=INDEXED[table])

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_dispatched_at'))
        batch_op.drop_column('dispatched_at')
