"""review: normalised text and the index of the request path's address check

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 12:00:00.000000

Written by hand. Posting a review now checks only the reviews it can form a pattern with (reviews.arrival):
its product close in time (ix_review_product_created, from 0003), other enterprises on the same address close in
time (ix_review_ip_enterprise_created: the poster's own reviews are skipped as an index range, however many), and
near copies of its text, compared in the normalised form stored here so no post normalises thousands of texts
again. No index on created_at alone: with stale statistics PostgreSQL chose it for the address check, which then
read every review of the month. Existing rows get their normalised text from the function the flag rules use.
recreate="never": plain ALTER TABLE ADD/DROP COLUMN on both databases (see 0006).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from reviews.duplicates import normalise

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('review', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('text_normalised', sa.Text(), nullable=False, server_default=''))
    review = sa.table('review', sa.column('id', sa.Integer()), sa.column('text', sa.String()),
                      sa.column('text_normalised', sa.Text()))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(review.c.id, review.c.text).where(review.c.id > last).order_by(review.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            review.update().where(review.c.id == sa.bindparam('row_id')).values(text_normalised=sa.bindparam('key')),
            [{'row_id': row_id, 'key': normalise(text or '')} for row_id, text in rows],
        )
        last = rows[-1][0]
    op.create_index('ix_review_ip_enterprise_created', 'review', ['ip', 'enterprise_id', 'created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_review_ip_enterprise_created', table_name='review')
    with op.batch_alter_table('review', recreate='never') as batch_op:
        batch_op.drop_column('text_normalised')
