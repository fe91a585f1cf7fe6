"""store_color_profile: a store's default printer profile for CMYK print-ready PDFs"""
# Created 2026-12-06 23:45:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'b7c3e9d1f5a2', 'e7b3c5d9a1f4'


def upgrade():
    with op.batch_alter_table('stores') as batch:
        batch.add_column(sa.Column('color_profile_file_id', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('stores') as batch:
        batch.drop_column('color_profile_file_id')
