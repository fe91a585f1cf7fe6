"""approvals: a project's print-ready PDF approved for print; the line item bound to one; the store's
requireApproval"""
# Created 2026-12-06 21:40:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'd2f6a8c1e4b7', 'c3d5a7e9f1b2'


def upgrade():
    op.create_table(
        'approvals',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('project_id', sa.String(length=32), nullable=True),
        sa.Column('render_id', sa.String(length=32), nullable=True),
        sa.Column('file_id', sa.String(length=32), nullable=True),
        sa.Column('input_hash', sa.String(length=64), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('design_ids', sa.JSON(), nullable=False),
        sa.Column('checks', sa.JSON(), nullable=False),
        sa.Column('approved_by', sa.String(length=16), nullable=False),
        sa.Column('via', sa.String(length=24), nullable=False),
        sa.Column('account_id', sa.String(length=32), nullable=True),
        sa.Column('token_id', sa.String(length=32), nullable=True),
        sa.Column('approved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('store_id', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['files.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['render_id'], ['renders.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_approvals_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approvals_store_id'), ['store_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_approvals_created_at'), ['created_at'], unique=False)
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_id', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(
            'fk_line_items_approval_id_approvals', 'approvals', ['approval_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.add_column(sa.Column('require_approval', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('stores', schema=None) as batch_op:
        batch_op.drop_column('require_approval')
    with op.batch_alter_table('line_items', schema=None) as batch_op:
        batch_op.drop_constraint('fk_line_items_approval_id_approvals', type_='foreignkey')
        batch_op.drop_column('approval_id')
    with op.batch_alter_table('approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_approvals_created_at'))
        batch_op.drop_index(batch_op.f('ix_approvals_store_id'))
        batch_op.drop_index(batch_op.f('ix_approvals_project_id'))
    op.drop_table('approvals')
