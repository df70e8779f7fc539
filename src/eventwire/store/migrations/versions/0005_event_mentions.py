"""every sentence that reports an event

An event is now one occurrence per article: besides its ``evidence`` sentence it keeps every other
sentence that reports the same occurrence (the headline, a later paragraph) as ``mentions``, a
JSON list of spans. Stores written before this revision read as events without other mentions.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: SQLite and PostgreSQL add a nullable column in place (a batch
    # operation would copy and drop the table, which its foreign keys forbid)
    op.add_column("events", sa.Column("mentions", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("events", "mentions")
