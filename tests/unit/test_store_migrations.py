"""The store's Alembic migrations: they build exactly the schema the ORM describes, and a store
made before a revision upgrades in place without losing rows."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Index, create_engine, select

from eventwire.store.db import make_engine, open_store
from eventwire.store.migrate import alembic_config, current_revision, upgrade
from eventwire.store.schema import Base, CorrectionRow, SeenEntry, SourceHealth

FTS_PREFIX = "fts_"  # SQLite's FTS5 tables and their shadow tables live outside the ORM


def _drift(db: Path) -> list[object]:
    """Differences between the migrated database and the ORM schema. SQLAlchemy cannot reflect
    expression indexes on SQLite, so those are compared by name and SQL text instead."""
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression")
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    diffs = [d for d in diffs if not _fts_table(d) and not _expression_index(d)]
    return diffs + _expression_index_drift(db)


def _fts_table(diff: object) -> bool:
    return diff[0] == "remove_table" and diff[1].name.startswith(FTS_PREFIX)  # type: ignore[index]


def _expression_index(diff: object) -> bool:
    return diff[0] == "add_index" and _is_expression(diff[1])  # type: ignore[index]


def _is_expression(index: Index) -> bool:
    return any(not isinstance(e, Column) for e in index.expressions)


def _expression_index_drift(db: Path) -> list[object]:
    """Expression indexes the ORM declares that the database lacks (or has with other SQL)."""
    with sqlite3.connect(db) as connection:
        found = dict(connection.execute("SELECT name, sql FROM sqlite_master WHERE type='index'"))
    drift: list[object] = []
    for table in Base.metadata.tables.values():
        for index in table.indexes:
            if not _is_expression(index):
                continue
            sql = " ".join((found.get(index.name) or "").lower().split())
            where = index.dialect_options["sqlite"]["where"]
            condition = str(where).lower().replace(f"{table.name}.", "")
            expected = ["lower(name)", f"where {condition}"] if where is not None else ["lower("]
            if not sql or not all(part in sql for part in expected):
                drift.append(("expression index", index.name, sql))
    return drift


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
    assert (
        current_revision(store.engine)
        == ScriptDirectory.from_config(alembic_config()).get_current_head()
    )
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
    assert messages and "0002" in messages[0] and "0001 " not in messages[0]
    with store.session() as session:
        assert session.scalar(select(CorrectionRow.reason)) == "same person"
        assert session.scalar(select(SeenEntry.id)) is None  # created by the migration
    assert upgrade(store.engine) == []
    store.close()
    assert _drift(db) == []


def test_unresolved_actor_lookups_use_the_name_index(tmp_path: Path) -> None:
    """An unresolved actor's page finds its entities through the partial expression index."""
    from eventwire.query.keys import key_where
    from eventwire.store.schema import EntityRow

    store = open_store(str(tmp_path / "s.db"))
    query = select(EntityRow.pk).where(key_where("n:northland"))
    sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
        )
    store.close()
    assert "ix_entities_unresolved_name" in plan


def test_a_migration_that_stops_halfway_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Migrations run in one transaction, DDL included: a run that dies after creating some
    tables (a kill during the first open of a store) leaves an empty file that opens cleanly.
    Python's sqlite3 module commits each CREATE on its own unless the engine begins
    transactions itself (eventwire.store.db)."""
    from alembic import command

    real = command.upgrade

    def dies_after_0002(config, revision):  # type: ignore[no-untyped-def]
        real(config, "0002")
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(command, "upgrade", dies_after_0002)
    db = tmp_path / "half.db"
    with pytest.raises(KeyboardInterrupt):
        open_store(str(db))
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT name FROM sqlite_master").fetchall() == []
    monkeypatch.setattr(command, "upgrade", real)
    store = open_store(str(db))
    assert (
        current_revision(store.engine)
        == ScriptDirectory.from_config(alembic_config()).get_current_head()
    )
    store.close()


def _quoted_records() -> list:  # type: ignore[type-arg]
    from dataclasses import replace

    from test_store_helpers import make_record

    from eventwire.record import Quote

    said = "Protesters marched through Valletta on Sunday. 'We want water,' a farmer said."
    quoted = make_record(said, people=("Protesters",), orgs=())
    quote = Quote(None, "We want water,", said.index("We"), said.index("We") + 14, "said")
    other = make_record("John Smith attacked the Army in Aleppo on Monday.")
    return [replace(quoted, quotes=[quote]), other]


def test_search_tables_per_kind_are_built_from_the_stored_rows(tmp_path: Path) -> None:
    """0004 splits the one FTS5 table into one per kind, filled from articles, quotes and
    events; going back to 0003 rebuilds the shared table from the same rows."""
    from eventwire.store import fts, maintain
    from eventwire.store.stamp import Stamp
    from eventwire.store.write import Result, write_batch

    db = tmp_path / "s.db"
    store = open_store(str(db))
    results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(_quoted_records())]
    with store.session() as session, session.begin():
        write_batch(session, results, Stamp("0", "blank", {}), fts=True)
    store.close()
    engine = _downgraded(db, "0003")
    with sqlite3.connect(db) as connection:
        kinds = connection.execute("SELECT kind, count(*) FROM search_fts GROUP BY kind")
        assert dict(kinds.fetchall()) == {"article": 2, "event": 2, "quote": 1}
        assert not connection.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'fts_%'"
        ).fetchall()
    assert upgrade(engine) == [
        "0004 (full-text search table per kind)",
        "0005 (every sentence that reports an event)",
        "0006 (date sanity flags on events; generic actors marked)",
        "0007 (index on superseded article versions)",
    ]
    engine.dispose()
    store = open_store(str(db))
    with store.session() as session:
        assert {k: fts.indexed(session, k) for k in fts.KINDS} == {
            "article": 2,
            "quote": 1,
            "event": 2,
        }
        assert fts.count(session, "quote", '"water"') == 1
        assert fts.count(session, "event", '"valletta"') == 1
        assert fts.count(session, "event", '"water"') == 0  # the quote is not an event's sentence
    assert all(check.ok for check in maintain.check(store))
    store.close()
    assert _drift(db) == []


def test_event_mentions_column_is_added_and_read_back(tmp_path: Path) -> None:
    """0005 adds ``events.mentions``; a store from before it reads as events without mentions,
    and a merged event's other sentences survive a store round trip."""
    from dataclasses import replace

    from eventwire.record import TextSpan
    from eventwire.store.read import load_record
    from eventwire.store.stamp import Stamp
    from eventwire.store.write import Result, write_batch

    db = tmp_path / "m.db"
    store = open_store(str(db))
    record = _quoted_records()[0]
    extra = TextSpan(0, 5, record.article.text[:5])
    record = replace(record, events=[replace(e, mentions=[extra]) for e in record.events])
    with store.session() as session, session.begin():
        write_batch(session, [Result("k0", "o0", record)], Stamp("0", "blank", {}), fts=True)
    with store.session() as session:
        back = load_record(session, record.article.id)
    store.close()
    assert back is not None and back.events and back.events[0].mentions == [extra]
    engine = _downgraded(db, "0004")
    with sqlite3.connect(db) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(events)")}
    assert "mentions" not in columns
    assert upgrade(engine) == [
        "0005 (every sentence that reports an event)",
        "0006 (date sanity flags on events; generic actors marked)",
        "0007 (index on superseded article versions)",
    ]
    engine.dispose()


def _downgraded(db: Path, revision: str):  # noqa: ANN202
    """An engine on ``db`` after Alembic took it down to ``revision``."""
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    return engine
