"""proofs are renders: a render's kind (print, proof), one render per owner, kind and inputs"""
# Created 2026-12-06 00:30:00.000000

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'a9c4e2f7b1d5', 'e4a7c1d9b3f2'


def upgrade():
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='print', nullable=False))
        batch_op.drop_constraint('uq_renders_owner_input', type_='unique')
        batch_op.create_unique_constraint('uq_renders_owner_kind_input', ['owner_id', 'kind', 'input_hash'])


def downgrade():
    op.execute("DELETE FROM renders WHERE kind <> 'print'")
    with op.batch_alter_table('renders', schema=None) as batch_op:
        batch_op.drop_constraint('uq_renders_owner_kind_input', type_='unique')
        batch_op.create_unique_constraint('uq_renders_owner_input', ['owner_id', 'input_hash'])
        batch_op.drop_column('kind')
