"""desk and watch tables

The desk's corrections (``desk_corrections``) and the watcher's state (``watch_sources``,
``watch_entries``) join the store's migrations; stores made before this revision may already
hold them (they used to be created on first use), so each table is created only when missing.
Also an index on ``articles.ingested_at``, which the desk reads on every request to tell
whether the store changed.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def _indexes(table: str) -> set[str]:
    return {ix["name"] for ix in sa.inspect(op.get_bind()).get_indexes(table)}


def _desk_corrections() -> None:
    op.create_table(
        "desk_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_desk_corrections_kind", "desk_corrections", ["kind"])
    op.create_index("ix_desk_corrections_target", "desk_corrections", ["target"])


def _watch_sources() -> None:
    op.create_table(
        "watch_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_checked", sa.String(length=32), nullable=True),
        sa.Column("last_success", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.String(length=32), nullable=True),
        sa.Column("failures_in_row", sa.Integer(), nullable=False),
        sa.Column("articles_last_cycle", sa.Integer(), nullable=False),
        sa.Column("articles_total", sa.Integer(), nullable=False),
        sa.Column("cycles", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("location"),
    )


def _watch_entries() -> None:
    op.create_table(
        "watch_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("first_seen", sa.String(length=32), nullable=False),
        sa.Column("last_tried", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "key"),
    )
    op.create_index("ix_watch_entries_source", "watch_entries", ["source"])
    op.create_index("ix_watch_entries_url", "watch_entries", ["url"])


_CREATORS = {
    "desk_corrections": _desk_corrections,
    "watch_sources": _watch_sources,
    "watch_entries": _watch_entries,
}


def upgrade() -> None:
    existing = _tables()
    for table, create in _CREATORS.items():
        if table not in existing:
            create()
    if "ix_articles_ingested_at" not in _indexes("articles"):
        op.create_index("ix_articles_ingested_at", "articles", ["ingested_at"])


def downgrade() -> None:
    op.drop_index("ix_articles_ingested_at", table_name="articles")
    for table in reversed(list(_CREATORS)):
        op.drop_table(table)
