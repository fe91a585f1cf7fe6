"""renders: print-ready PDFs of designs and projects"""
# Created 2026-11-24 15:50:00.000000

import sqlalchemy as sa
from table_shapes import column, create_table, drop_table, key, moment, reference, string, stored

revision, down_revision = 'b5e1c3a9d2f4', '4ca97d713dc7'

INDEXED = ('created_at', 'design_id', 'project_id', 'status', 'store_id')


def upgrade():
    create_table('renders',
        key('id'), key('design_id', nullable=True), key('project_id', nullable=True), key('owner_id'),
        string('input_hash', 64), string('status', 16), key('file_id', nullable=True),
        column('error', sa.Text(), nullable=True), column('attempts', sa.Integer()),
        moment('queued_at'), moment('started_at'), moment('finished_at'), *stored(),
        reference('design_id', 'designs', 'CASCADE'), reference('file_id', 'files', 'SET NULL'),
        reference('project_id', 'projects', 'CASCADE'), reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('owner_id', 'input_hash', name='uq_renders_owner_input'),
        indexed=INDEXED)


def downgrade():
    drop_table('renders', indexed=INDEXED)
