"""index on unresolved entity names

An entity not yet linked to a corpus actor reads as the actor ``n:<lower-cased name>``; the
desk's actor pages and actor list look such entities up by ``lower(name)``. A partial expression
index over exactly those entities turns a scan of every entity into an index lookup (on a
100k-article store, an unresolved actor page went from about 600 ms to 30-45 ms).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UNRESOLVED = sa.text("actor_id IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_entities_unresolved_name",
        "entities",
        [sa.text("lower(name)")],
        sqlite_where=UNRESOLVED,
        postgresql_where=UNRESOLVED,
    )


def downgrade() -> None:
    op.drop_index("ix_entities_unresolved_name", table_name="entities")
