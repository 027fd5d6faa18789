"""organisation: index on updated_at

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 12:00:00.000000

Written by hand. Every catalogue, search and recommendations page reads max(organisation.updated_at) as part of
the page-cache stamp (marketplace.page_cache); without an index that was a scan of every organisation on every
request (half a millisecond of database time at 2,000 organisations), with it one index entry.
"""

from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_organisation_updated_at', 'organisation', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_organisation_updated_at', table_name='organisation')
