"""renders: print-ready PDFs of designs and projects

Revision ID: b5e1c3a9d2f4
Revises: 4ca97d713dc7
Create Date: 2026-11-24 15:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e1c3a9d2f4'
down_revision = '4ca97d713dc7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('renders',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('design_id', sa.String(length=32), nullable=True),
    sa.Column('project_id', sa.String(length=32), nullable=True),
    sa.Column('owner_id', sa.String(length=32), nullable=False),
    sa.Column('input_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('file_id', sa.String(length=32), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['design_id'], ['designs.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['files.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('owner_id', 'input_hash', name='uq_renders_owner_input')
    )
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renders_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_renders_design_id'), ['design_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renders_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renders_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_renders_store_id'), ['store_id'], unique=False)


def downgrade():
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renders_store_id'))
        batch_op.drop_index(batch_op.f('ix_renders_status'))
        batch_op.drop_index(batch_op.f('ix_renders_project_id'))
        batch_op.drop_index(batch_op.f('ix_renders_design_id'))
        batch_op.drop_index(batch_op.f('ix_renders_created_at'))

    op.drop_table('renders')
