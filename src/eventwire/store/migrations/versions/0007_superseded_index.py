"""index on superseded article versions

A re-ingested URL with new text is stored as a new version that names the one it replaces in
``articles.supersedes``. The read layer (:mod:`eventwire.query`) leaves superseded versions out
of every count, list and export, so it asks "which articles are superseded?" on every query; a
partial index over the few rows that supersede another answers that without reading the
articles table (whose rows hold the full text).

It follows 0006 (date-sanity flags on events, generic actors marked).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SUPERSEDING = sa.text("supersedes IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_articles_supersedes",
        "articles",
        ["supersedes"],
        sqlite_where=SUPERSEDING,
        postgresql_where=SUPERSEDING,
    )


def downgrade() -> None:
    op.drop_index("ix_articles_supersedes", table_name="articles")
