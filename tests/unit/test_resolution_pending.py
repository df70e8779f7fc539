"""Issue 19 item 4: a resolution killed halfway is finished by the next run, and `check`
reports pending resolution, runs SQLite's integrity check, and refuses a file that is not a
store (no model: codings are written directly, the ingest runs a blank pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_store_helpers import make_record

from eventwire.cli import main
from eventwire.resolve import incremental, resolve_store
from eventwire.store.db import open_store
from eventwire.store.maintain import pending_resolution
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

STAMP = Stamp("0", "blank", {})


def _write(store, *texts: str, date: str = "2024-03-05") -> None:  # type: ignore[no-untyped-def]
    records = [make_record(t, date=date) for t in texts]
    with store.session() as session, session.begin():
        write_batch(session, [Result(r.article.id, r.article.id, r) for r in records], STAMP,
                    fts=store.has_fts)  # fmt: skip


def _pending(db: Path) -> tuple[int, int]:
    store = open_store(str(db))
    with store.session() as session:
        found = pending_resolution(session)
    store.close()
    return found


@pytest.fixture()
def killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A resolved store, then new codings whose resolution died halfway (after the actors)."""
    db = tmp_path / "s.db"
    store = open_store(str(db))
    _write(store, "John Smith attacked the Army in Aleppo.", "John Smith met the Army in Aleppo.")
    resolve_store(store)

    def die(*args: object) -> None:
        raise KeyboardInterrupt  # what a SIGKILL looks like to the transaction: it never commits

    monkeypatch.setattr(incremental, "update_stories", die)
    _write(store, "John Smith attacked the Army in Aleppo at noon.")
    with pytest.raises(KeyboardInterrupt):
        resolve_store(store)
    store.close()
    monkeypatch.undo()
    assert _pending(db) == (2, 1), "the killed resolution left its codings unlinked"
    return db


def test_a_rerun_that_writes_nothing_still_resolves(killed: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Title\n\nRebels attacked a town on Tuesday.\n")
    args = ["ingest", str(inputs), "--db", str(killed), "--model", "blank:en"]
    first = CliRunner().invoke(main, [*args, "--no-resolve"])
    assert first.exit_code == 0, first.output
    assert _pending(killed) >= (2, 1)
    again = CliRunner().invoke(main, args)  # writes nothing new: every input is done
    assert again.exit_code == 0, again.output
    assert "resolved" in again.output
    assert _pending(killed) == (0, 0)


def test_check_reports_pending_resolution_until_resolved(killed: Path) -> None:
    out = CliRunner().invoke(main, ["check", "--db", str(killed)])
    assert out.exit_code == 0, "incomplete, not broken: the next run resolves"
    assert "WARN resolution up to date (3) 2 entities and 1 events not linked" in out.output
    assert "ok   SQLite integrity check" in out.output
    assert CliRunner().invoke(main, ["resolve", "--db", str(killed)]).exit_code == 0
    out = CliRunner().invoke(main, ["check", "--db", str(killed)])
    assert out.exit_code == 0, out.output
    assert "ok   resolution up to date" in out.output


def test_check_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    text = tmp_path / "notes.db"
    text.write_text("not a database at all " * 100)
    missing = tmp_path / "missing.db"
    for path, reason in ((empty, "empty file"), (text, "not a store"), (missing, "no store at")):
        out = CliRunner().invoke(main, ["check", "--db", str(path)])
        assert out.exit_code == 2, out.output
        assert reason in out.output
    assert empty.stat().st_size == 0 and not missing.exists(), "check created a store"


def test_check_finds_a_damaged_page(tmp_path: Path) -> None:
    """Zeroed bytes inside an index page: SQLite's integrity check names the damage."""
    import sqlite3

    db = tmp_path / "s.db"
    store = open_store(str(db))
    _write(store, *(f"John Smith number {i} attacked the Army in Aleppo." for i in range(40)))
    store.close()
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_events_article_id'"
        ).fetchone()[0]
    with db.open("r+b") as handle:  # scramble the index's cells, keep its page header
        handle.seek((root - 1) * page_size + 100)
        handle.write(b"\xff" * (page_size - 200))
    out = CliRunner().invoke(main, ["check", "--db", str(db)])
    assert out.exit_code == 1
    assert "FAIL SQLite integrity check" in out.output


def test_check_reports_the_widest_story_span(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    store = open_store(str(db))
    _write(store, "John Smith attacked the Army in Aleppo.", date="2024-03")
    _write(store, "John Smith attacked the Army in Aleppo again.", date="2024-03-05")
    resolve_store(store)
    store.close()
    out = CliRunner().invoke(main, ["check", "--db", str(db)])
    assert out.exit_code == 0, out.output
    assert "info widest story span: 4 days" in out.output
    assert "2024-03 to 2024-03-05" in out.output


def test_a_watch_cycle_that_writes_nothing_still_resolves(killed: Path) -> None:
    """`watch` finishes a resolution an earlier run left pending, like `ingest` does."""
    from eventwire.analyse.watch import store_ingest

    store = open_store(str(killed))
    try:
        summary = store_ingest(store)([])
    finally:
        store.close()
    assert not summary.written
    assert _pending(killed) == (0, 0)
