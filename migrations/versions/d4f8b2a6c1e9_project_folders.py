"""project_folders: the categories a project is filed in (PrintCart's project folders)"""
# Created 2026-12-06 21:40:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'd4f8b2a6c1e9', 'd2f6a8c1e4b7'


def upgrade():
    op.create_table(
        'project_folders',
        sa.Column('project_id', sa.String(length=32), nullable=False),
        sa.Column('category_id', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('project_id', 'category_id'),
    )


def downgrade():
    op.drop_table('project_folders')
