"""3d models, side mappings and product profiles"""
# Created 2026-12-06 20:30:27.835124

import sqlalchemy as sa
from alembic import op

revision, down_revision = 'c3d5a7e9f1b2', 'c3e8a5d1f7b9'


def upgrade():
    op.create_table('models_3d',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('validation_error', sa.Text(), nullable=True),
    sa.Column('validation_report', sa.JSON(), nullable=True),
    sa.Column('validator_version', sa.String(length=32), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('validated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('models_3d', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_models_3d_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_models_3d_deleted_at'), ['deleted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_models_3d_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_models_3d_store_id'), ['store_id'], unique=False)

    op.create_table('product_3d_profiles',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('product_id', sa.String(length=32), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('model_id', sa.String(length=32), nullable=True),
    sa.Column('edge_style', sa.String(length=16), nullable=False),
    sa.Column('edge_color', sa.String(length=16), nullable=False),
    sa.Column('edge_depth', sa.Float(), nullable=False),
    sa.Column('edge_depth_unit', sa.String(length=8), nullable=False),
    sa.Column('config_version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('store_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['model_id'], ['models_3d.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('product_3d_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_3d_profiles_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_3d_profiles_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_3d_profiles_product_id'), ['product_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_product_3d_profiles_store_id'), ['store_id'], unique=False)

    op.create_table('side_3d_mappings',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('side_id', sa.String(length=32), nullable=False),
    sa.Column('model_id', sa.String(length=32), nullable=False),
    sa.Column('material_name', sa.String(length=255), nullable=True),
    sa.Column('surface_name', sa.String(length=255), nullable=True),
    sa.Column('uv_region', sa.JSON(), nullable=False),
    sa.Column('transform', sa.JSON(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('config_version', sa.Integer(), nullable=False),
    sa.Column('store_id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['model_id'], ['models_3d.id'], ),
    sa.ForeignKeyConstraint(['side_id'], ['sides.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['store_id'], ['stores.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('side_3d_mappings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_side_3d_mappings_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_side_3d_mappings_model_id'), ['model_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_side_3d_mappings_side_id'), ['side_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_side_3d_mappings_store_id'), ['store_id'], unique=False)



def downgrade():
    with op.batch_alter_table('side_3d_mappings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_side_3d_mappings_store_id'))
        batch_op.drop_index(batch_op.f('ix_side_3d_mappings_side_id'))
        batch_op.drop_index(batch_op.f('ix_side_3d_mappings_model_id'))
        batch_op.drop_index(batch_op.f('ix_side_3d_mappings_created_at'))

    op.drop_table('side_3d_mappings')
    with op.batch_alter_table('product_3d_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_3d_profiles_store_id'))
        batch_op.drop_index(batch_op.f('ix_product_3d_profiles_product_id'))
        batch_op.drop_index(batch_op.f('ix_product_3d_profiles_model_id'))
        batch_op.drop_index(batch_op.f('ix_product_3d_profiles_created_at'))

    op.drop_table('product_3d_profiles')
    with op.batch_alter_table('models_3d', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_models_3d_store_id'))
        batch_op.drop_index(batch_op.f('ix_models_3d_status'))
        batch_op.drop_index(batch_op.f('ix_models_3d_deleted_at'))
        batch_op.drop_index(batch_op.f('ix_models_3d_created_at'))

    op.drop_table('models_3d')
