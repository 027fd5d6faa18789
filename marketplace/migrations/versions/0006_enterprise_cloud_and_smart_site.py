"""enterprise on_cloud and smart_site

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 12:00:00.000000

Written by hand: two enterprise columns for the pilot dashboard. Existing rows become "not on the cloud" and
"no smart site". recreate="never": plain ALTER TABLE ADD/DROP COLUMN on both databases (SQLite >= 3.35). A batch
rebuild would DROP the organisation table, which SQLite refuses (foreign keys on) once projects, users or
products point at it.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('organisation', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('on_cloud', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('smart_site', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organisation', recreate='never') as batch_op:
        batch_op.drop_column('smart_site')
        batch_op.drop_column('on_cloud')
