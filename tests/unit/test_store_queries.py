"""The read layer over a whole store (eventwire.query.corpus), resolution, and exports, on
hand-built records (no model)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_store_helpers import make_record

from eventwire import export
from eventwire.query import corpus
from eventwire.query.filters import EventFilter
from eventwire.resolve import resolve_store
from eventwire.store.db import open_store
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

STAMP = Stamp("0.0-test", "blank", {})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = open_store(str(tmp_path_factory.mktemp("q") / "q.db"))
    records = [
        make_record("John Smith said rebels shelled the Army near Aleppo.", source="Wire A", published="2024-03-06"),
        make_record("Rebels loyal to John Smith attacked the Army at Aleppo.", source="Wire B", published="2024-03-07"),
        make_record("Jane Smith met the Army chief in Damascus.", people=("Jane Smith",), event_type="CONSULT",
                    date="2024-04-02", source="Wire A", published="2024-04-02", place="Damascus"),
    ]  # fmt: skip
    with db.session() as session, session.begin():
        write_batch(
            session, [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(records)], STAMP, fts=True
        )
    resolve_store(db)
    yield db
    db.close()


def test_actors_are_resolved_across_articles(store) -> None:  # type: ignore[no-untyped-def]
    page = corpus.actors(store)
    by_name = {a["name"]: a for a in page.items}
    assert by_name["John Smith"]["articles"] == 2
    assert by_name["Army"]["articles"] == 3
    assert "Jane Smith" in by_name  # shares a surname, never merged
    assert by_name["John Smith"]["key"].startswith("a")


def test_story_groups_two_reports_with_sources(store) -> None:  # type: ignore[no-untyped-def]
    top = corpus.stories(store, min_articles=2).items
    assert len(top) == 1
    assert (top[0]["type"], top[0]["article_count"], top[0]["source_count"]) == ("ASSAULT", 2, 2)
    assert (top[0]["first_report"], top[0]["last_report"]) == ("2024-03-06", "2024-03-07")
    assert len(corpus.story(store, top[0]["id"])["events"]) == 2


def test_event_filters(store) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session:
        john = corpus.actor_key(session, "John Smith")
    assert corpus.events(store, EventFilter(type="CONSULT")).total == 1
    assert corpus.events(store, EventFilter(since="2024-04-01")).total == 1
    assert corpus.events(store, EventFilter(until="2024-03-31")).total == 2
    assert corpus.events(store, EventFilter(actor=john)).total == 2
    assert corpus.events(store, EventFilter(q="shelled")).total == 1
    assert corpus.events(store, EventFilter(country="SYR")).total == 3


def test_pagination(store) -> None:  # type: ignore[no-untyped-def]
    first = corpus.events(store, EventFilter(), limit=2)
    second = corpus.events(store, EventFilter(), limit=2, offset=2)
    assert (first.total, len(first.items), len(second.items)) == (3, 2, 1)
    assert {e["pk"] for e in first.items}.isdisjoint(e["pk"] for e in second.items)


def test_actor_profile(store) -> None:  # type: ignore[no-untyped-def]
    profile = corpus.actor(store, "john smith")
    assert len(profile["as_source"]) == 2 and profile["as_target"] == []
    assert [n["name"] for n in profile["ego"]["nodes"] if n["key"] != profile["key"]] == ["Army"]


def test_search_finds_articles(store) -> None:  # type: ignore[no-untyped-def]
    assert {hit["kind"] for hit in corpus.search(store, "Damascus")} >= {"article"}
    assert corpus.search(store, 'quote"injection OR') == []


def test_network_export_formats(store) -> None:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    assert export.write_network(store, out, "json") == 2
    graph = json.loads(out.getvalue())
    weights = {(e["source"], e["target"]): e["weight"] for e in graph["edges"]}
    assert sorted(weights.values()) == [1, 2]
    for fmt in ("graphml", "gexf", "csv"):
        buffer = io.BytesIO()
        export.write_network(store, buffer, fmt)
        assert b"Army" in buffer.getvalue()


def test_csv_and_plover_exports(store) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    assert export.write_csv(store, out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["PLOVERType"] for r in rows} == {"ASSAULT", "CONSULT"}
    assert {r["NumArticles"] for r in rows if r["PLOVERType"] == "ASSAULT"} == {"2"}
    plover = io.StringIO()
    export.write_plover(store, plover)
    first = json.loads(plover.getvalue().splitlines()[0])
    assert {"id", "date", "actor", "recipient", "event", "text"} <= first.keys()


def test_jsonl_export_round_trips(store) -> None:  # type: ignore[no-untyped-def]
    from eventwire.record import ArticleRecord

    out = io.StringIO()
    assert export.write_jsonl(store, out) == 3
    records = [ArticleRecord.from_json(line) for line in out.getvalue().splitlines()]
    assert {r.article.source for r in records} == {"Wire A", "Wire B"}


def test_parquet_export(store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pq = pytest.importorskip(
        "pyarrow.parquet", reason="pyarrow (the parquet extra) is not installed"
    )
    path = tmp_path / "events.parquet"
    assert export.write_parquet(store, str(path)) == 3
    assert pq.read_table(path).num_rows == 3


def test_cli_commands_over_the_store(store) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from eventwire.cli import main

    db = store.url.removeprefix("sqlite:///")
    runner = CliRunner()
    actors = runner.invoke(main, ["actors", "--db", db, "--json", "--limit", "2"])
    assert actors.exit_code == 0 and json.loads(actors.stdout)["total"] >= 3
    found = runner.invoke(
        main, ["events", "--db", db, "--json", "--actor", "John Smith", "--type", "ASSAULT"]
    )
    assert json.loads(found.stdout)["total"] == 2
    assert runner.invoke(main, ["actor", "Nobody Here", "--db", db]).exit_code == 1
    assert runner.invoke(main, ["check", "--db", db]).exit_code == 0
    plover = runner.invoke(main, ["export", "--db", db, "--format", "plover"])
    assert plover.exit_code == 0 and len(plover.stdout.strip().splitlines()) == 3


def test_csv_exports_are_safe_to_open_in_a_spreadsheet(tmp_path: Path) -> None:
    """Text scraped from the web that starts like a formula is written as text (a leading ')
    in the event CSV and the network edge list, as in the desk's downloads."""
    db = open_store(str(tmp_path / "f.db"))
    record = make_record("=HYPERLINK(1): John Smith said the Army shelled Aleppo.", source="@Wire")
    with db.session() as session, session.begin():
        write_batch(session, [Result("k", "o", record)], STAMP, fts=True)
    resolve_store(db)
    out = io.StringIO()
    assert export.write_csv(db, out) == 1
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["Evidence"].startswith("'=") and row["Source"] == "'@Wire"
    assert export.cell(3) == 3 and export.cell("-5") == "'-5"
    db.close()


def test_cli_numbers_past_a_row_id_are_usage_errors_not_tracebacks(store) -> None:  # type: ignore[no-untyped-def]
    """Red team: --limit, --offset and an actor id of 20 digits overflowed SQLite (traceback)."""
    from click.testing import CliRunner

    from eventwire.cli import main

    db = store.url.removeprefix("sqlite:///")
    runner = CliRunner()
    huge = "99999999999999999999"
    for args in (["--limit", huge], ["--offset", huge], ["--limit", "-5"], ["--limit", "0"]):
        result = runner.invoke(main, ["events", "--db", db, *args])
        assert result.exit_code == 2 and "Invalid value" in result.output, args
    missing = runner.invoke(main, ["actor", huge, "--db", db])
    assert isinstance(missing.exception, SystemExit) and missing.exit_code == 1  # no such actor
