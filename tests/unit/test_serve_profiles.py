"""Actor pages from the in-memory profiles are the pages the SQL path gives."""

from __future__ import annotations

import warnings
from dataclasses import replace
from pathlib import Path

import pytest
from test_serve_data import small_store
from test_store_helpers import make_record, span

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.query import edges as E  # noqa: E402
from eventwire.query import queries as Q  # noqa: E402
from eventwire.query.corrections import load_overlay  # noqa: E402
from eventwire.record import Entity, Quote, Role  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.cache import store_fingerprint  # noqa: E402
from eventwire.store.db import Store, open_store  # noqa: E402
from eventwire.store.stamp import Stamp  # noqa: E402
from eventwire.store.write import Result, write_batch  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOTE = {"author": "Ana", "reason": "same actor"}


def busy_records() -> list:  # type: ignore[type-arg]
    """30 articles: two people and an army in turns, titles, quotes, dates missing or repeated."""
    records = []
    for i in range(30):
        person = ("John Smith", "Jane Roe", "JOHN SMITH")[i % 3]
        text = f"{person} attacked the Army in Aleppo on day {i}. 'We go on,' {person} said."
        date = None if i % 7 == 0 else f"2024-0{1 + i % 6}-1{i % 3}"
        record = make_record(
            text, people=(person,), date=date, published=f"2024-0{1 + i % 5}-0{1 + i % 4}"
        )
        first = record.entities[0]
        titled = Entity(first.id, first.name, first.type, first.aliases, first.mentions,
                        [Role(("Colonel", "Minister")[i % 2], None, span(text, person))], None)  # fmt: skip
        quote = Quote(first.id, "We go on,", text.index("We"), text.index("We") + 9, "said")
        records.append(replace(record, entities=[titled, *record.entities[1:]], quotes=[quote]))
    return records


def busy_store(path: Path) -> Store:
    store = open_store(str(path))
    results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(busy_records())]
    with store.session() as session, session.begin():
        write_batch(session, results, Stamp("0", "blank", {}), fts=True)
    return store


@pytest.fixture(params=["small", "busy"])
def store(request, tmp_path: Path):  # type: ignore[no-untyped-def]
    db = (
        small_store(tmp_path / "s.db")
        if request.param == "small"
        else busy_store(tmp_path / "b.db")
    )
    yield db
    db.close()


def pages(store: Store, key: str) -> tuple[dict | None, dict | None]:
    """The page of ``key`` from SQL and from freshly read profiles."""
    with store.session() as session:
        overlay = load_overlay(session)
        table = E.load_table(session, store_fingerprint(session))
        memory = Q.get_actor(session, key, overlay, table=table)
        sql = Q.get_actor(session, key, overlay, table=replace(table, profiles=None))
    return sql, memory


def keys_of(store: Store) -> list[str]:
    with store.session() as session:
        items, _ = Q.list_actors(
            session, load_overlay(session), q=None, type_=None, limit=100, offset=0
        )
    return [item["key"] for item in items]


def comparable(page: dict | None) -> dict | None:
    """Names with equal counts may come in either order from SQL; everything else must match."""
    if page is None:
        return None
    return page | {"names": sorted(page["names"], key=lambda n: (-n["articles"], n["name"]))}


def test_every_actor_page_is_the_same_from_memory(store: Store) -> None:
    keys = keys_of(store)
    assert len(keys) >= 3
    for key in [*keys, "n:nobody", "a999"]:
        sql, memory = pages(store, key)
        assert comparable(memory) == comparable(sql), key
    busiest = pages(store, keys[0])[1]
    assert busiest is not None and busiest["events_total"] >= 1 and busiest["names"]


def test_merged_actors_gather_in_both_paths(store: Store) -> None:
    keys = keys_of(store)
    client = TestClient(create_app(store, token=TOKEN))
    merge = {"actor": keys[1], "into": keys[0]} | NOTE
    assert client.post("/api/corrections/merge", json=merge, headers=AUTH).status_code == 201
    sql, memory = pages(store, keys[0])
    assert comparable(memory) == comparable(sql)
    alone = pages(store, keys[2])[0]
    assert sql is not None and alone is not None
    assert sql["events_total"] > 0


def test_split_or_corrected_stores_take_the_sql_path(store: Store) -> None:
    from eventwire.query.profiles import usable

    with store.session() as session:
        assert usable(load_overlay(session))
    client = TestClient(create_app(store, token=TOKEN))
    key = client.get("/api/events").json()["items"][0]["key"]
    fix = {"key": key, "changes": {"type": "COERCE"}} | NOTE
    assert client.post("/api/corrections/events", json=fix, headers=AUTH).status_code == 201
    with store.session() as session:
        assert not usable(load_overlay(session))
