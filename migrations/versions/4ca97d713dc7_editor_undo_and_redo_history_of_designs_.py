"""editor: undo and redo history of designs and templates, design proofs"""
# Created 2026-11-24 14:09:11.861538

import sqlalchemy as sa
from alembic import op
from table_shapes import column, key, moment, string

revision, down_revision = '4ca97d713dc7', '7459423e3ae5'

HISTORY = ('undo_stack', 'redo_stack', 'last_edit', 'last_edit_at')


def _add_history(batch_op):
    """The edit history designs and templates both keep: the stacks, and the last edit and its time."""
    for name in ('undo_stack', 'redo_stack'):
        batch_op.add_column(column(name, sa.JSON(), server_default=sa.text("'[]'")))
    batch_op.add_column(string('last_edit', 300, nullable=True))
    batch_op.add_column(moment('last_edit_at'))


def upgrade():
    with op.batch_alter_table('designs', schema=None) as batch_op:
        batch_op.add_column(key('proof_file_id', nullable=True))
        _add_history(batch_op)
        batch_op.create_foreign_key('fk_designs_proof_file_id_files', 'files', ['proof_file_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('templates', schema=None) as batch_op:
        _add_history(batch_op)


def downgrade():
    with op.batch_alter_table('templates', schema=None) as batch_op:
        for name in reversed(HISTORY):
            batch_op.drop_column(name)

    with op.batch_alter_table('designs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_designs_proof_file_id_files', type_='foreignkey')
        for name in reversed(HISTORY):
            batch_op.drop_column(name)
        batch_op.drop_column('proof_file_id')
