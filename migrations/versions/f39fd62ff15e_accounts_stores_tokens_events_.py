"""accounts, stores, tokens, events, idempotency keys"""
# Created 2026-11-24 09:09:57.715389

import sqlalchemy as sa
from table_shapes import column, create_table, drop_table, key, moment, reference, stamps, string, stored

revision, down_revision = 'f39fd62ff15e', None


def upgrade():
    create_table('accounts',
        key('id'), string('name', 200), string('email', 320), string('password_hash', 256), *stamps(),
        sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('email'),
        indexed=('created_at',))
    create_table('idempotency_keys',
        column('id', sa.Integer(), autoincrement=True),
        string('owner', 64), string('key', 255), string('fingerprint', 64),
        column('status_code', sa.Integer(), nullable=True),
        column('response_body', sa.Text(), nullable=True),
        moment('created_at', nullable=False),
        sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('owner', 'key'),
        indexed=('created_at',))
    create_table('stores',
        key('id'), key('account_id'), string('name', 200), string('publishable_token', 64),
        column('rate_limit_per_minute', sa.Integer(), nullable=True), *stamps(),
        reference('account_id', 'accounts', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('publishable_token'),
        indexed=('account_id', 'created_at'))
    create_table('api_tokens',
        key('id'), string('name', 200), column('scopes', sa.JSON()),
        string('secret_hash', 64), string('secret_hint', 8), moment('last_used_at'), moment('revoked_at'),
        *stored(),
        reference('store_id', 'stores', 'CASCADE'),
        sa.PrimaryKeyConstraint('id'), sa.UniqueConstraint('secret_hash'),
        indexed=('created_at', 'store_id'))
    create_table('events',
        key('id'), string('type', 64), column('data', sa.JSON()),
        moment('created_at', nullable=False), key('store_id'),
        reference('store_id', 'stores', 'CASCADE'), sa.PrimaryKeyConstraint('id'),
        indexed=('created_at', 'store_id', 'type'))


def downgrade():
    drop_table('events', indexed=('created_at', 'store_id', 'type'))
    drop_table('api_tokens', indexed=('created_at', 'store_id'))
    drop_table('stores', indexed=('account_id', 'created_at'))
    drop_table('idempotency_keys', indexed=('created_at',))
    drop_table('accounts', indexed=('created_at',))
