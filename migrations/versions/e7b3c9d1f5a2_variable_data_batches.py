"""batches: a template and rows made into a design per row, a PDF per row and a merged PDF"""
# Created 2026-12-07 00:20:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'e7b3c9d1f5a2', 'b7c3e9d1f5a2'


def upgrade():
    op.create_table(
        'batches',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('template_id', sa.String(length=32), nullable=True),
        sa.Column('product_id', sa.String(length=32), nullable=True),
        sa.Column('side_id', sa.String(length=32), nullable=True),
        sa.Column('source', sa.String(length=8), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=True),
        sa.Column('columns', sa.JSON(), nullable=False),
        sa.Column('row_count', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('render_when_checked', sa.Boolean(), nullable=False),
        sa.Column('file_id', sa.String(length=32), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('render_started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('store_id', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['files.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['template_id'], ['templates.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_batches_template_id'), ['template_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batches_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_batches_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batches_created_at'), ['created_at'], unique=False)
    op.create_table(
        'batch_items',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('batch_id', sa.String(length=32), nullable=False),
        sa.Column('row', sa.Integer(), nullable=False),
        sa.Column('values', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('problems', sa.JSON(), nullable=False),
        sa.Column('design_id', sa.String(length=32), nullable=True),
        sa.Column('render_id', sa.String(length=32), nullable=True),
        sa.Column('file_id', sa.String(length=32), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('store_id', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['design_id'], ['designs.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['file_id'], ['files.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['render_id'], ['renders.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('batch_items', schema=None) as batch_op:
        batch_op.create_index('ix_batch_items_batch_row', ['batch_id', 'row'], unique=True)
        batch_op.create_index(batch_op.f('ix_batch_items_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_items_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_batch_items_created_at'), ['created_at'], unique=False)


def downgrade():
    op.drop_table('batch_items')
    op.drop_table('batches')
