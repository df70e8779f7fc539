"""Corpus truth (#16): the command line, the exports and the desk's API read one layer and give
the same answer; read commands refuse a store that is not there; filters are checked alike;
superseded article versions never count."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_serve_data import small_store
from test_store_helpers import make_record

from eventwire.cli import main
from eventwire.store.db import open_store
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

STAMP = Stamp("0.0-test", "blank", {})
TOKEN = "t0ken-for-tests"


def _cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def corrected(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The desk's small store with an event correction (category, date, target) and a merge,
    made through the API as an analyst would."""
    pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette prefers httpx2; httpx works
        from fastapi.testclient import TestClient

    from eventwire.serve.app import create_app

    store = small_store(tmp_path / "truth.db")
    client = TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    key = client.get("/api/events", params={"q": "shelled"}).json()["items"][0]["key"]
    fix = {"key": key, "changes": {"type": "COERCE", "date": "2024-03-03", "target": ["Ministry"]},
           "author": "Ana", "reason": "misread trigger"}  # fmt: skip
    assert client.post("/api/corrections/events", json=fix, headers=auth).status_code == 201
    merge = {"actor": "n:rebels", "into": "n:protesters", "author": "Ana", "reason": "same group"}
    assert client.post("/api/corrections/merge", json=merge, headers=auth).status_code == 201
    yield store, client, store.url.removeprefix("sqlite:///")
    store.close()


FILTERS = [
    {},
    {"type": "COERCE"},
    {"type": "ASSAULT"},
    {"since": "2024-03-03", "until": "2024-03-31"},
    {"actor": "n:protesters"},
    {"country": "SYR"},
]


@pytest.mark.parametrize("flt", FILTERS)
def test_cli_export_and_api_give_the_same_events(corrected, flt: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """One question, three doors: `events --json`, `export --format events` and /api/events."""
    _store, client, db = corrected
    args = [f"--{k}={v}" for k, v in flt.items()]
    code, out, _ = _cli("events", "--db", db, "--json", "--limit", "200", *args)
    assert code == 0
    listed = json.loads(out)
    code, exported, _ = _cli("export", "--db", db, "--format", "events", *args)
    assert code == 0
    exported_events = [json.loads(line) for line in exported.splitlines()]
    answer = client.get("/api/events", params={**flt, "per_page": 200}).json()

    def by_key(events: list[dict]) -> dict[str, dict]:
        return {e["key"]: e for e in events}

    assert listed["total"] == answer["total"] == len(exported_events)
    assert by_key(listed["items"]) == by_key(answer["items"]) == by_key(exported_events)


def test_every_door_applies_the_corrections(corrected) -> None:  # type: ignore[no-untyped-def]
    """Before the read layer, the CLI, `export` and `network` ignored analysts' corrections."""
    _store, _client, db = corrected
    coerce = json.loads(_cli("events", "--db", db, "--json", "--type", "coerce")[1])
    assert coerce["total"] == 1
    [event] = coerce["items"]
    assert event["original_type"] == "ASSAULT" and event["corrections"][0]["author"] == "Ana"
    assert [a["name"] for a in event["actors"]["target"]] == ["Ministry"]
    csv_out = _cli("export", "--db", db, "--format", "csv", "--type", "COERCE")[1]
    assert csv_out.count("\n") == 2 and "Ministry" in csv_out
    graph = json.loads(_cli("network", "--db", db, "--format", "json")[1])
    nodes = {n["id"] for n in graph["nodes"]}
    assert "n:protesters" in nodes and "n:rebels" not in nodes  # the merge holds
    keys = {a["key"] for a in json.loads(_cli("actors", "--db", db, "--json")[1])["items"]}
    assert "n:rebels" not in keys and "n:protesters" in keys


READ_COMMANDS = [
    ["events"],
    ["actors"],
    ["actor", "Army"],
    ["stories"],
    ["network"],
    ["export"],
    ["check"],
    ["resolve"],
    ["trends"],
    ["alerts"],
    ["corrections"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: c[0])
def test_read_commands_refuse_a_store_that_does_not_exist(tmp_path: Path, command) -> None:  # type: ignore[no-untyped-def]
    """A mistyped --db used to create an empty store and print empty results with exit 0."""
    missing = tmp_path / "typo.db"
    code, _out, err = _cli(*command, "--db", str(missing))
    assert code == 2
    assert err.count("\n") == 1 and "no store at" in err and "Traceback" not in err
    assert not missing.exists()


def test_an_empty_file_never_silently_becomes_a_store(tmp_path: Path) -> None:
    """A read command refuses a 0-byte file; `ingest` makes a store of it and says so (a first
    open killed before its schema was committed leaves such a file)."""
    empty = tmp_path / "empty.db"
    empty.touch()
    code, _out, err = _cli("events", "--db", str(empty))
    assert code == 2 and "empty file, not a store" in err
    assert empty.stat().st_size == 0
    told: list[str] = []
    open_store(str(empty), on_migrate=told.append).close()
    assert told and "applying 0001" in told[0]


def test_a_damaged_store_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a SQLite database " * 200)
    code, _out, err = _cli("events", "--db", str(bad))
    assert code == 1
    assert err.strip().count("\n") == 0 and "not a database" in err and "Traceback" not in err


def test_a_full_disk_mid_command_is_one_line(tmp_path: Path) -> None:
    """SQLite's own "database or disk is full", met while a command writes: a store capped at
    its current size takes no more pages."""
    db = tmp_path / "full.db"
    store = open_store(str(db))
    from sqlalchemy import event, text

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    store.engine.dispose()
    big = make_record("John Smith said the Army shelled Aleppo. " + "More words here. " * 4000)
    with pytest.raises(Exception) as caught, store.session() as session, session.begin():
        session.execute(text("SELECT 1"))
        write_batch(session, [Result("k", "o", big)], STAMP, fts=True)
    store.close()
    from eventwire.cli import _store_failure

    line = _store_failure(caught.value)
    assert line is not None and "full" in line and "\n" not in line


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--type", "FOO"], "type"),
        (["--since", "2024-13-01"], "since"),
        (["--since", "0000-00-00"], "since"),
        (["--until", "2024-02-30"], "until"),
        (["--since", "last week"], "since"),
        (["--country", "Syria!"], "country"),
        (["--limit", "-5"], "limit"),
    ],
)
def test_cli_filters_are_checked_like_the_apis(tmp_path: Path, args, problem: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "f.db"
    open_store(str(db)).close()
    for command in ("events", "network", "export"):
        code, _out, err = _cli(command, "--db", str(db), *args)
        if problem == "limit" and command != "events":
            continue
        assert code == 2 and problem in err, (command, args, err)


def test_the_api_refuses_impossible_dates_too(corrected) -> None:  # type: ignore[no-untyped-def]
    _store, client, _db = corrected
    for since in ("2024-13-01", "0000-00-00", "2024-02-30"):
        answer = client.get("/api/events", params={"since": since})
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_filter"


def test_superseded_article_versions_never_count(tmp_path: Path) -> None:
    """A re-ingested URL with new text is a new version; the old one's events are not counted
    in lists, exports, the network or trends."""
    from eventwire.analyse.queries import event_facts
    from eventwire.query import corpus
    from eventwire.query.filters import EventFilter

    store = open_store(str(tmp_path / "v.db"))
    url = "https://example.org/story"
    first = make_record("John Smith said the Army shelled Aleppo.", url=url)
    second = make_record("John Smith said the Army attacked Aleppo at dawn.", url=url)
    for i, record in enumerate((first, second)):
        with store.session() as session, session.begin():
            write_batch(session, [Result(f"k{i}", f"o{i}", record)], STAMP, fts=True)
    page = corpus.events(store, EventFilter())
    assert page.total == 1 and page.items[0]["article"]["id"] == second.article.id
    assert [e["pk"] for e in corpus.iter_events(store)] == [page.items[0]["pk"]]
    assert sum(e["weight"] for e in corpus.network(store, EventFilter())["edges"]) == 1
    with store.session() as session:
        assert [f["article_id"] for f in event_facts(session)] == [second.article.id]
    store.close()


def test_recode_progress_shows_a_rate(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`recode` progress always showed 0.0/s: it has no rate of its own, so the bar measures it."""
    from eventwire.cli.corpus import _Bar

    bar = _Bar("recode")
    assert bar.describe(10, 1, None, elapsed=4.0) == "recode: 10 articles, 2.5/s, 1 failed"
    assert bar.describe(3, 0, 7.25, elapsed=4.0) == "recode: 3 articles, 7.2/s, 0 failed"


def test_sane_dates_leave_out_impossible_event_dates(tmp_path: Path) -> None:
    """The hook for trends and charts (#16 finding 5): events the text dates before 1900 or
    after their article was stored are left out when asked; undated events stay."""
    from eventwire.query import corpus
    from eventwire.query.filters import EventFilter

    store = open_store(str(tmp_path / "d.db"))
    records = [
        make_record("John Smith said the Army shelled Aleppo.", date="1630-03-05"),
        make_record("John Smith said the Army attacked Aleppo.", date="2024-03-05"),
        make_record("John Smith said the Army hit Aleppo.", date="2999-01-01"),
        make_record("John Smith said the Army left Aleppo.", date=None),
    ]
    with store.session() as session, session.begin():
        results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(records)]
        write_batch(session, results, STAMP, fts=True)
    every = corpus.events(store, EventFilter())
    sane = corpus.events(store, EventFilter(sane_dates=True))
    assert every.total == 4
    assert sorted((e["date"] or {}).get("value") or "" for e in sane.items) == ["", "2024-03-05"]
    assert sum(1 for _ in corpus.iter_events(store, EventFilter(sane_dates=True))) == 2
    store.close()


def test_flagged_dates_stay_out_of_charts_and_trends_by_default(tmp_path: Path) -> None:
    """An event the extraction flagged (``date_flag``: here a past event dated after its
    article) is kept in the store and in plain lists, and left out of charts and trends."""
    from dataclasses import replace

    from eventwire.analyse.trends import trends
    from eventwire.query import corpus
    from eventwire.query.filters import EventFilter

    store = open_store(str(tmp_path / "f.db"))
    plain = make_record("John Smith said the Army attacked Aleppo.", date="2024-03-05")
    odd = make_record("John Smith said the Army shelled Aleppo.", date="2024-03-06")
    odd = replace(odd, events=[replace(e, date_flag="after-publication") for e in odd.events])
    with store.session() as session, session.begin():
        results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate((plain, odd))]
        write_batch(session, results, STAMP, fts=True)
    assert corpus.events(store, EventFilter()).total == 2
    assert corpus.events(store, EventFilter(sane_dates=True)).total == 1
    table = trends(store, by="month")
    assert sum(row["events"] for row in table.rows) == 1
    store.close()
