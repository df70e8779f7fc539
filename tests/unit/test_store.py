"""The store: schema migrations, idempotent writes, versions, failures, round trips, FTS."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select
from test_store_helpers import make_record, records

from eventwire.errors import StoreError
from eventwire.record import ArticleRecord
from eventwire.store import fts
from eventwire.store.db import open_store, resolve_url
from eventwire.store.read import iter_records, load_record
from eventwire.store.schema import ArticleRow, EventRow, FailureRow
from eventwire.store.stamp import Stamp, current_stamp
from eventwire.store.write import Result, replace_coding, write_batch

STAMP = Stamp("0.0-test", "blank", {"verbs.tsv": "1"})


def write(store, *recs: ArticleRecord, stamp: Stamp = STAMP):  # type: ignore[no-untyped-def]
    results = [Result(f"key-{r.article.id}-{i}", f"origin{i}", r) for i, r in enumerate(recs)]
    with store.session() as session, session.begin():
        return write_batch(session, results, stamp, fts=store.has_fts)


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = open_store(str(tmp_path / "t.db"))
    yield db
    db.close()


def test_open_applies_migrations_once_with_a_message(tmp_path: Path) -> None:
    messages: list[str] = []
    open_store(str(tmp_path / "a.db"), on_migrate=messages.append).close()
    open_store(str(tmp_path / "a.db"), on_migrate=messages.append).close()
    assert len(messages) == 1
    assert "0001" in messages[0] and "\n" not in messages[0]


def test_sqlite_store_is_in_wal_mode(tmp_path: Path) -> None:
    open_store(str(tmp_path / "w.db")).close()
    mode = sqlite3.connect(tmp_path / "w.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_url_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVENTWIRE_DB", raising=False)
    assert resolve_url(None) == "sqlite:///eventwire.db"
    monkeypatch.setenv("EVENTWIRE_DB", "/data/x.db")
    assert resolve_url(None) == "sqlite:////data/x.db"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_unknown_driver_is_a_store_error() -> None:
    with pytest.raises(StoreError):
        open_store("nosuchdb://x")


def test_writing_twice_changes_nothing(store) -> None:  # type: ignore[no-untyped-def]
    rec = make_record("Rebels led by John Smith attacked the Army in Aleppo.")
    assert write(store, rec).written == 1
    second = write(store, rec, rec)
    assert (second.written, second.skipped) == (0, 2)
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticleRow)) == 1
        assert session.scalar(select(func.count()).select_from(EventRow)) == 1


def test_same_url_new_text_is_a_new_version(store) -> None:  # type: ignore[no-untyped-def]
    first = make_record("John Smith attacked the Army.", url="http://n/1")
    second = make_record("John Smith attacked the Army again.", url="http://n/1")
    write(store, first)
    write(store, second)
    with store.session() as session:
        rows = session.execute(
            select(ArticleRow.id, ArticleRow.version, ArticleRow.supersedes).order_by(
                ArticleRow.version
            )
        ).all()
    assert [(r.version, r.supersedes) for r in rows] == [(1, None), (2, first.article.id)]


def test_failures_are_recorded_with_reason_once(store) -> None:  # type: ignore[no-untyped-def]
    bad = ArticleRecord.failed("x.txt: empty article")
    summary = write(store, bad)
    write(store, bad)
    assert summary.failures == [("origin0", "x.txt: empty article")]
    with store.session() as session:
        reasons = list(session.scalars(select(FailureRow.reason)))
    assert reasons == ["x.txt: empty article"]


def test_round_trip_of_a_full_record(store) -> None:  # type: ignore[no-untyped-def]
    rec = make_record(
        "Rebels led by John Smith attacked the Army in Aleppo.",
        people=("John Smith",),
        orgs=("Rebels", "Army"),
    )
    write(store, rec)
    with store.session() as session:
        assert load_record(session, rec.article.id) == rec
        assert list(iter_records(session)) == [rec]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rec=records())
def test_round_trip_property(tmp_path_factory: pytest.TempPathFactory, rec: ArticleRecord) -> None:
    store = open_store(str(tmp_path_factory.mktemp("rt") / "p.db"))
    write(store, rec)
    with store.session() as session:
        back = load_record(session, rec.article.id)
    store.close()
    assert back == rec


def test_fts_finds_article_text_quotes_and_evidence(store) -> None:  # type: ignore[no-untyped-def]
    rec = make_record(
        "Protesters marched through Valletta on Sunday. Police watched.",
        people=("Police",),
        orgs=(),
    )
    write(store, rec)
    with store.session() as session:
        kinds = [k for k in fts.KINDS if fts.count(session, k, "valletta")]
    assert sorted(kinds) == ["article", "event"]


def test_replace_coding_swaps_events_and_stamp(store) -> None:  # type: ignore[no-untyped-def]
    rec = make_record("John Smith attacked the Army.")
    write(store, rec)
    recoded = make_record("John Smith attacked the Army.", event_type="COERCE")
    new_stamp = Stamp("0.1-test", "blank", {})
    with store.session() as session, session.begin():
        replace_coding(session, recoded, new_stamp, fts=True)
    with store.session() as session:
        assert load_record(session, rec.article.id).events[0].type == "COERCE"
        assert session.scalar(select(func.count()).select_from(EventRow)) == 1
        fts_rows = {kind: fts.indexed(session, kind) for kind in fts.KINDS}
    assert fts_rows == {"article": 1, "quote": 0, "event": 1}


def test_current_stamp_changes_with_a_user_actor_file(tmp_path: Path) -> None:
    actors = tmp_path / "actors.csv"
    actors.write_text("name,type\nFoo,ORG\n")
    before = current_stamp("blank:en", [actors])
    actors.write_text("name,type\nFoo,ORG\nBar,ORG\n")
    assert current_stamp("blank:en", [actors]).key != before.key
    assert before.eventwire_version
