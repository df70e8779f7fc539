"""The in-memory network edge table answers exactly what the SQL network does, and stays fresh."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from sqlalchemy import text  # noqa: E402

from eventwire.query import edges as E  # noqa: E402
from eventwire.query.corrections import load_overlay  # noqa: E402
from eventwire.query.filters import EventFilter  # noqa: E402
from eventwire.query.network import network  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.cache import store_fingerprint  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

TOKEN = "t0ken-for-tests"
FILTERS = [
    EventFilter(),
    EventFilter(type="ASSAULT"),
    EventFilter(type="PROTEST"),
    EventFilter(since="2024-04"),
    EventFilter(until="2024-03"),
    EventFilter(since="2024-03", until="2024-03"),
    EventFilter(country="syr"),
    EventFilter(modality="asserted"),
    EventFilter(type="EXPLODE"),
    EventFilter(actor="n:army"),
    EventFilter(actor="n:rebels", type="ASSAULT"),
    EventFilter(actor="n:army", since="2024-03", until="2024-04"),
    EventFilter(actor="n:army", country="syr", modality="asserted"),
    EventFilter(actor="n:nobody"),
]


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "desk.db")
    yield db
    db.close()


def both(store, flt: EventFilter, max_edges: int = 150) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """The network of ``flt`` counted in SQL and from a freshly read edge table."""
    with store.session() as session:
        overlay = load_overlay(session)
        table = E.load_table(session, store_fingerprint(session))
        sql = network(session, flt, overlay, max_edges=max_edges)
        memory = network(session, flt, overlay, max_edges=max_edges, table=table)
    return sql, memory


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f.params()))
def test_table_and_sql_give_the_same_network(store, flt: EventFilter) -> None:  # type: ignore[no-untyped-def]
    sql, memory = both(store, flt)
    assert memory == sql


def test_filters_select_different_networks(store) -> None:  # type: ignore[no-untyped-def]
    everything, _ = both(store, EventFilter())
    assaults, _ = both(store, EventFilter(type="ASSAULT"))
    nothing, _ = both(store, EventFilter(type="EXPLODE"))
    assert everything["edges"] and nothing == {"nodes": [], "edges": [], "total_edges": 0}
    assert {t for e in assaults["edges"] for t in e["types"]} == {"ASSAULT"}
    assert assaults["total_edges"] < everything["total_edges"]


def test_cut_keeps_the_heaviest_pairs_in_key_order(store) -> None:  # type: ignore[no-untyped-def]
    sql, memory = both(store, EventFilter(), max_edges=2)
    assert memory == sql and len(memory["edges"]) == 2
    ranked = [(-e["weight"], e["source"], e["target"]) for e in memory["edges"]]
    assert ranked == sorted(ranked)


def test_corrections_and_merges_apply_in_both_paths(store) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(store, token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    key = client.get("/api/events", params={"q": "shelled"}).json()["items"][0]["key"]
    fix = {"key": key, "changes": {"type": "COERCE", "target": ["Ministry"]}}
    note = {"author": "Ana", "reason": "misread"}
    assert client.post("/api/corrections/events", json=fix | note, headers=auth).status_code == 201
    merge = {"actor": "n:rebels", "into": "n:protesters"} | note
    assert client.post("/api/corrections/merge", json=merge, headers=auth).status_code == 201
    for flt in (
        EventFilter(),
        EventFilter(type="COERCE"),
        EventFilter(type="ASSAULT"),
        EventFilter(actor="n:protesters"),
        EventFilter(actor="n:ministry"),
    ):
        sql, memory = both(store, flt)
        assert memory == sql
    pairs = {(e["source"], e["target"]) for e in both(store, EventFilter())[1]["edges"]}
    assert ("n:army", "n:ministry") in pairs and not any("n:rebels" in p for p in pairs)


def test_only_held_filters_use_the_table() -> None:
    assert E.holds(EventFilter(type="AID", since="2024", country="SYR", modality="asserted"))
    assert E.holds(EventFilter(actor="n:army"))
    assert not E.holds(EventFilter(q="shelled"))
    assert not E.holds(EventFilter(story=3))


def test_index_serves_a_table_only_for_its_stamp(store) -> None:  # type: ignore[no-untyped-def]
    index = E.EdgeIndex(store.session, store_fingerprint)
    with store.session() as session:
        stamp = store_fingerprint(session)
    worker = index.refresh()
    assert worker is not None
    worker.join(timeout=30)
    table = index.table(stamp)
    assert table is not None and table.rows > 0
    assert index.table((*stamp[:-1], "changed")) is None  # stale: SQL until rebuilt
    assert index.refresh() is None  # rebuilt at most every MIN_PAUSE seconds


def test_warm_app_builds_the_table_and_answers_like_a_cold_one(store) -> None:  # type: ignore[no-untyped-def]
    warm = create_app(store, warm=True)
    assert warm.state.warmed.wait(timeout=30)
    cold = TestClient(create_app(store))
    for params in ({}, {"type": "ASSAULT"}, {"since": "2024-04"}, {"actor": "n:army"}, {"q": "x"}):
        answer = TestClient(warm).get("/api/network", params=params)
        assert answer.status_code == 200
        assert answer.json() == cold.get("/api/network", params=params).json()
    assert warm.state.edges.table(warm.state.freshness.stamp(store.session)) is not None
    warm.state.warm_thread.join(timeout=60)


def test_actor_rows_select_the_rows_a_scan_selects(store) -> None:  # type: ignore[no-untyped-def]
    """The per-actor row index marks exactly the rows of each actor's events."""
    from dataclasses import replace

    with store.session() as session:
        overlay = load_overlay(session)
        table = E.load_table(session, store_fingerprint(session))
    scanned = replace(table, by_actor=None)
    assert table.by_actor is not None
    for key in [*table.codes["key"].values, "n:nobody"]:
        indexed, scan = table.with_actor(key, overlay), scanned.with_actor(key, overlay)
        assert indexed.tolist() == scan.tolist(), key
    assert any(table.with_actor(k, overlay).any() for k in table.codes["key"].values)


def test_table_names_resolved_actors_without_asking_the_store(store) -> None:  # type: ignore[no-untyped-def]
    """After resolution, networks and actor pages name actors from the table's copy of the
    actors' names: the same names as the store gives, and no query for them."""
    from sqlalchemy import event

    from eventwire.query import queries as Q
    from eventwire.query.network import display_names
    from eventwire.resolve import resolve_store

    resolve_store(store)
    with store.session() as session:
        overlay = load_overlay(session)
        table = E.load_table(session, store_fingerprint(session))
        stored = dict(session.execute(text("SELECT id, name FROM actors")).tuples().all())
        assert table.actor_names == stored and stored
        keys = {f"a{i}" for i in stored} | {"a999999"}
        from_sql = display_names(session, keys, overlay)
        statements: list[str] = []

        def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(store.engine, "before_cursor_execute", seen)
        try:
            from_table = display_names(session, keys, overlay, actors=table.actor_names)
            asked = list(statements)
            sql_net = network(session, EventFilter(), overlay)
            statements.clear()
            memory_net = network(session, EventFilter(), overlay, table=table)
            net_statements = list(statements)
        finally:
            event.remove(store.engine, "before_cursor_execute", seen)
        assert from_table == from_sql
        assert asked == ["SELECT actors.id, actors.name \nFROM actors \nWHERE actors.id IN (?)"]
        assert memory_net == sql_net and any(n["key"].startswith("a") for n in memory_net["nodes"])
        assert not any("FROM actors" in s for s in net_statements)
        key = next(n["key"] for n in memory_net["nodes"] if n["key"].startswith("a"))
        page = Q.get_actor(session, key, overlay, table=table)
        assert page is not None and page["name"] == stored[int(key[1:])]


def test_built_tables_are_frozen_out_of_full_collections(store) -> None:  # type: ignore[no-untyped-def]
    """A rebuilt table (after an ingest) is kept out of the collector's full passes like the
    first: otherwise each full pass walks it again, pausing every request."""
    import gc

    gc.unfreeze()
    try:
        index = E.EdgeIndex(store.session, store_fingerprint)
        table = index.build()
        assert gc.get_freeze_count() > len(table.names)
        assert all(obj is not table for obj in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
