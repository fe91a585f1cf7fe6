"""catalog: products, sides, categories, templates, projects, designs, fonts, clipart, files"""
# Created 2026-11-24 12:56:02.085504

import sqlalchemy as sa
from alembic import op
from table_shapes import column, create_table, drop_table, key, reference, string, stored

revision, down_revision = '7459423e3ae5', 'f39fd62ff15e'

# The columns of each table that get a plain index, made in this order and dropped in the reverse.
INDEXED = {
    'categories': ('created_at', 'parent_id', 'store_id'),
    'files': ('created_at', 'purpose', 'sha256', 'store_id'),
    'fonts': ('created_at', 'family', 'library', 'store_id'),
    'clipart': ('created_at', 'library', 'name', 'store_id'),
    'products': ('created_at', 'name', 'parent_id', 'status', 'store_id'),
    'projects': ('created_at', 'product_id', 'status', 'store_id'),
    'sides': ('created_at', 'product_id', 'store_id'),
    'templates': ('created_at', 'product_id', 'side_id', 'status', 'store_id'),
    'designs': ('created_at', 'product_id', 'project_id', 'side_id', 'status', 'store_id'),
}


def _link_table(name, left, left_table, right, right_table):
    """A many-to-many table: a pair of ids, both kept only while their rows are."""
    op.create_table(name,
        key(left), key(right),
        reference(right, right_table, 'CASCADE'), reference(left, left_table, 'CASCADE'),
        sa.PrimaryKeyConstraint(left, right))


def upgrade():
    create_table('categories',
        key('id'), string('name', 200), string('slug', 120), column('description', sa.Text()),
        key('parent_id', nullable=True), *stored(),
        reference('parent_id', 'categories', 'SET NULL'), reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('store_id', 'slug'),
        indexed=INDEXED['categories'])
    create_table('files',
        key('id'), string('purpose', 32), string('filename', 255), string('format', 16),
        string('media_type', 100), column('size_bytes', sa.BigInteger()), string('sha256', 64),
        string('storage_key', 255), string('thumbnail_key', 255, nullable=True),
        column('width_px', sa.Integer(), nullable=True), column('height_px', sa.Integer(), nullable=True),
        column('page_count', sa.Integer(), nullable=True),
        string('preflight_status', 16), column('preflight', sa.JSON()), string('uploaded_by', 16), *stored(),
        reference('store_id', 'stores', 'CASCADE'), sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['files'])
    create_table('fonts',
        key('id'), string('family', 200), string('style', 16), column('weight', sa.Integer()),
        string('format', 8), column('size_bytes', sa.BigInteger()), string('storage_key', 255),
        column('library', sa.Boolean()), string('licence', 64), string('full_name', 200),
        string('postscript_name', 200), column('glyph_count', sa.Integer()), column('scripts', sa.JSON()),
        string('filename', 255), *stored(),
        reference('store_id', 'stores', 'CASCADE'), sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['fonts'])
    create_table('clipart',
        key('id'), string('name', 200), string('format', 8), string('storage_key', 255),
        string('thumbnail_key', 255, nullable=True),
        column('width_px', sa.Integer(), nullable=True), column('height_px', sa.Integer(), nullable=True),
        column('recolorable', sa.Boolean()), string('color', 16, nullable=True),
        column('size_bytes', sa.BigInteger()), column('tags', sa.JSON()), column('library', sa.Boolean()),
        key('file_id', nullable=True), *stored(),
        reference('file_id', 'files', 'SET NULL'), reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['clipart'])
    create_table('products',
        key('id'), string('slug', 120), string('name', 200), column('description', sa.Text()),
        string('status', 16), string('type', 16), key('parent_id', nullable=True), string('dimension_unit', 8),
        column('dpi', sa.Integer()), column('personalization', sa.JSON()), column('metadata', sa.JSON()),
        key('image_file_id', nullable=True), *stored(),
        reference('image_file_id', 'files', 'SET NULL'), reference('parent_id', 'products', 'CASCADE'),
        reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('store_id', 'slug'),
        indexed=INDEXED['products'])
    _link_table('clipart_categories', 'clipart_id', 'clipart', 'category_id', 'categories')
    _link_table('product_categories', 'product_id', 'products', 'category_id', 'categories')
    create_table('projects',
        key('id'), key('product_id', nullable=True), string('name', 200), string('status', 16),
        column('customer', sa.JSON()), column('note', sa.Text()), column('metadata', sa.JSON()), *stored(),
        reference('product_id', 'products', 'SET NULL'), reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['projects'])
    create_table('sides',
        key('id'), key('product_id'), string('name', 200), column('position', sa.Integer()),
        string('status', 16),
        *(column(name, sa.Float()) for name in ('width_mm', 'height_mm', 'bleed_mm', 'safe_zone_mm')),
        column('show_safe_zone', sa.Boolean()), column('show_cut_line', sa.Boolean()),
        column('cut_line_mm', sa.Float()),
        string('background_type', 16), string('background_color', 9, nullable=True),
        key('background_file_id', nullable=True), column('background_printed', sa.Boolean()),
        key('overlay_file_id', nullable=True), column('show_overlay', sa.Boolean()),
        column('overlay_printed', sa.Boolean()), key('mockup_file_id', nullable=True),
        column('design_area', sa.JSON(), nullable=True), column('scale', sa.Float()), *stored(),
        *(reference(name, 'files', 'SET NULL') for name in ('background_file_id', 'mockup_file_id', 'overlay_file_id')),
        reference('product_id', 'products', 'CASCADE'), reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['sides'])
    create_table('templates',
        key('id'), key('product_id'), key('side_id'), string('name', 200), string('status', 16),
        column('is_default', sa.Boolean()), column('layers', sa.JSON()), *stored(),
        reference('product_id', 'products', 'CASCADE'), reference('side_id', 'sides', 'CASCADE'),
        reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['templates'])
    with op.batch_alter_table('templates', schema=None) as batch_op:
        batch_op.create_index('uq_templates_default_per_side', ['side_id'], unique=True, sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    create_table('designs',
        key('id'), *(key(name, nullable=True) for name in ('product_id', 'side_id', 'project_id', 'template_id')),
        string('status', 16), column('layers', sa.JSON()), column('note', sa.Text()), *stored(),
        reference('product_id', 'products', 'SET NULL'), reference('project_id', 'projects', 'SET NULL'),
        reference('side_id', 'sides', 'SET NULL'), reference('store_id', 'stores', 'CASCADE'),
        reference('template_id', 'templates', 'SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        indexed=INDEXED['designs'])


def downgrade():
    drop_table('designs', indexed=INDEXED['designs'])
    with op.batch_alter_table('templates', schema=None) as batch_op:
        batch_op.drop_index('uq_templates_default_per_side', sqlite_where=sa.text('is_default'), postgresql_where=sa.text('is_default'))
    for table in ('templates', 'sides', 'projects'):
        drop_table(table, indexed=INDEXED[table])
    op.drop_table('product_categories')
    op.drop_table('clipart_categories')
    for table in ('products', 'clipart', 'fonts', 'files', 'categories'):
        drop_table(table, indexed=INDEXED[table])
