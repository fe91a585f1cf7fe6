"""sides: the die line printed in the CutContour spot colour (none, rectangle, contour)"""
# Created 2026-12-06 20:20:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'c3e9a5d7f1b2', 'c4e9a1f7d2b8'


def upgrade():
    with op.batch_alter_table('sides', schema=None) as batch_op:
        batch_op.add_column(sa.Column('die_line', sa.String(length=16), nullable=False, server_default='none'))
        batch_op.add_column(sa.Column('die_line_radius_mm', sa.Float(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('die_line_offset_mm', sa.Float(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('sides', schema=None) as batch_op:
        batch_op.drop_column('die_line_offset_mm')
        batch_op.drop_column('die_line_radius_mm')
        batch_op.drop_column('die_line')
