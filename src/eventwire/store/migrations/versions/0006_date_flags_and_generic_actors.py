"""date sanity flags on events; generic actors marked

``events.date_flag`` says why an event's date is doubtful (before 1900, after the ingest, an
asserted past event after its article's publication: eventwire.extract.datecheck); trends and
charts leave flagged events out by default. Events already stored are flagged here from their
stored dates, with the day they were ingested as the ingest date. ``actors.generic`` marks
article-local generic actors ("officials", "the army" of no known country) so that lists,
networks and exports can hide them; it is set by the next resolution.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: The same rules as eventwire.extract.datecheck, on ISO text (the first 10 characters of a
#: date value are its start; "2024-05" sorts before "2024-05-10", as its first day does).
BACKFILL = """
UPDATE events SET date_flag = (
  SELECT CASE
    WHEN a.published IS NOT NULL AND a.published != '' AND substr(a.published, 1, 4) < '1900'
      THEN 'published-before-1900'
    WHEN a.published IS NOT NULL AND substr(a.published, 1, 10) > substr(a.ingested_at, 1, 10)
      THEN 'published-after-ingest'
    WHEN events.date_value IS NULL THEN NULL
    WHEN substr(events.date_value, 1, 4) < '1900' THEN 'before-1900'
    WHEN substr(events.date_value, 1, 10) > substr(a.ingested_at, 1, 10) THEN 'after-ingest'
    WHEN events.modality IN ('asserted', 'reported') AND a.published IS NOT NULL
         AND a.published != ''
         AND substr(events.date_value, 1, 10) > substr(a.published, 1, 10)
      THEN 'after-publication'
  END
  FROM articles a WHERE a.id = events.article_id
)
"""


def upgrade() -> None:
    # plain ADD COLUMNs: both dialects add them in place (a batch copy is forbidden by the
    # foreign keys, see 0005)
    op.add_column("events", sa.Column("date_flag", sa.String(24), nullable=True))
    op.add_column(
        "actors", sa.Column("generic", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_column("actors", "generic")
    op.drop_column("events", "date_flag")
