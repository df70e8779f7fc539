"""The store's Alembic migrations: they build exactly the schema the ORM describes, and a store
made before a revision upgrades in place without losing rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select

from eventwire.store.db import make_engine, open_store
from eventwire.store.migrate import alembic_config, current_revision, upgrade
from eventwire.store.schema import Base, CorrectionRow, SeenEntry, SourceHealth

FTS_PREFIX = "search_fts"  # SQLite's FTS5 table and its shadow tables live outside the ORM


def _drift(db: Path) -> list[object]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    return [d for d in diffs if not (d[0] == "remove_table" and d[1].name.startswith(FTS_PREFIX))]


def _to_revision(db: Path, revision: str) -> None:
    engine = make_engine(f"sqlite:///{db}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_migrations_build_the_schema_the_orm_describes(tmp_path: Path) -> None:
    open_store(str(tmp_path / "s.db")).close()
    assert _drift(tmp_path / "s.db") == []


def test_desk_and_watch_tables_come_from_the_migrations(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "s.db"))
    with store.session() as session, session.begin():
        session.add(CorrectionRow(kind="event", target="a:1-2:0", value={"type": "AID"},
                                  author="x", reason="y", created_at="2026-01-01"))  # fmt: skip
        session.add(SourceHealth(location="feed.xml", kind="feed", failures_in_row=0,
                                 articles_last_cycle=0, articles_total=0, cycles=1))  # fmt: skip
        session.add(SeenEntry(source="feed.xml", key="k", status="ingested", attempts=1,
                              first_seen="2026-01-01", last_tried="2026-01-01"))  # fmt: skip
    with store.session() as session:
        assert session.scalar(select(CorrectionRow.value)) == {"type": "AID"}
        assert session.scalar(select(SourceHealth.cycles)) == 1
    assert current_revision(store.engine) == "0002"
    store.close()


def test_a_store_whose_desk_tables_predate_their_migration_upgrades_keeping_rows(
    tmp_path: Path,
) -> None:
    """Before 0002 the desk and the watcher created their tables on first use."""
    db = tmp_path / "old.db"
    _to_revision(db, "0001")
    engine = create_engine(f"sqlite:///{db}")
    CorrectionRow.__table__.create(engine)
    SourceHealth.__table__.create(engine)
    engine.dispose()
    with sqlite3.connect(db) as connection:
        connection.execute(
            "INSERT INTO desk_corrections (kind, target, value, author, reason, created_at) "
            "VALUES ('merge', 'p:a', '{}', 'ana', 'same person', '2026-01-01')"
        )
    messages: list[str] = []
    store = open_store(str(db), on_migrate=messages.append)
    assert messages and "0002" in messages[0] and "0001" not in messages[0]
    with store.session() as session:
        assert session.scalar(select(CorrectionRow.reason)) == "same person"
        assert session.scalar(select(SeenEntry.id)) is None  # created by the migration
    assert upgrade(store.engine) == []
    store.close()
    assert _drift(db) == []
