"""Event text search answers the same whichever way it walks the store.

A page of events matching a word most events contain walks events newest first and tests each
(``fts.row_matches``); a less common word walks them and probes the set of its matches; a rare
word collects its matches and sorts them. All three plans, and the total taken from the index
alone, must give the same answer, and the cost model must pick each where it is cheapest.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from test_store_helpers import make_record

from eventwire.query import events as E
from eventwire.query.corrections import load_overlay
from eventwire.query.filters import EventFilter, filtered_events
from eventwire.store import fts
from eventwire.store.db import Store, open_store
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """40 articles; 30 events mention a convoy, 10 a ceasefire; dates spread over 2024."""
    records = []
    for i in range(40):
        word = "convoy" if i % 4 else "ceasefire"
        text = f"John Smith attacked the Army near the {word} in Aleppo on day {i}. More later."
        date = f"2024-{1 + i % 12:02d}-{1 + i % 27:02d}"
        records.append(make_record(text, date=date, event_type="ASSAULT" if i % 3 else "PROTEST"))
    db = open_store(str(tmp_path_factory.mktemp("plans") / "p.db"))
    results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(records)]
    with db.session() as session, session.begin():
        write_batch(session, results, Stamp("0", "blank", {}), fts=True)
    return db


def page(
    store: Store, flt: EventFilter, plan: str, offset: int = 0, monkeypatch: Any = None
) -> tuple[list, int]:
    """One page of 7 events under ``plan`` (the cost model is bypassed)."""
    real = E._text_plan

    def forced(*args: Any, **kwargs: Any) -> tuple[int | None, str]:
        return real(*args, **kwargs)[0], plan

    monkeypatch.setattr(E, "_text_plan", forced)
    try:
        with store.session() as session:
            items, total = E.list_events(
                session, flt, load_overlay(session), limit=7, offset=offset
            )
    finally:
        monkeypatch.setattr(E, "_text_plan", real)
    return [(e["pk"], (e["date"] or {}).get("value")) for e in items], total


@pytest.mark.parametrize(
    "flt",
    [
        EventFilter(q="convoy"),
        EventFilter(q="ceasefire"),
        EventFilter(q="convoy", type="PROTEST"),
        EventFilter(q="Aleppo convoy", since="2024-03-01"),
        EventFilter(q="nowhere"),
        EventFilter(q="?!"),
    ],
)
@pytest.mark.parametrize("offset", [0, 7, 28])
def test_every_plan_gives_the_same_page_and_total(store: Store, flt, offset, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    tested = page(store, flt, "test", offset, monkeypatch)
    probed = page(store, flt, "probe", offset, monkeypatch)
    collected = page(store, flt, "collect", offset, monkeypatch)
    assert tested == probed == collected
    with store.session() as session:
        assert fts.count(session, "event", '"convoy"') == 30
    if flt == EventFilter(q="convoy") and offset == 0:
        assert tested[1] == 30 and len(tested[0]) == 7
        dates = [d for _pk, d in tested[0]]
        assert dates == sorted(dates, reverse=True)


def test_probe_plan_walks_the_date_order_instead_of_looking_matches_up(store: Store) -> None:
    """The ``+ 0`` must stop SQLite from driving the query by the matches' rowids."""
    flt = EventFilter(q="convoy")
    with store.session() as session:
        overlay = load_overlay(session)
        for plan, walks in (("probe", True), ("collect", False)):
            query = filtered_events(flt, dialect="sqlite", overlay=overlay, text_plan=plan)
            sql = query.order_by(*E.ORDER).limit(7)
            compiled = sql.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
            steps = " ".join(
                str(row[-1]) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            )
            assert ("ix_events_date_value" in steps) is walks, steps
            assert ("TEMP B-TREE FOR ORDER BY" in steps) is not walks, steps


@pytest.mark.parametrize(
    ("matches", "indexed", "wanted", "plan"),
    [
        (0, 400_000, 50, "collect"),
        (40, 400_000, 50, "collect"),  # a rare word: sort its few matches
        (18_000, 400_000, 50, "probe"),  # 4.5%: walk about 1,100 events, probe each
        (18_000, 400_000, 1_000, "probe"),
        (330_000, 400_000, 50, "test"),  # nearly every event: the first 60 walked fill the page
    ],
)
def test_cost_model_picks_the_cheapest_plan(monkeypatch, matches, indexed, wanted, plan) -> None:  # type: ignore[no-untyped-def]
    share = matches / indexed
    monkeypatch.setattr(fts, "density", lambda *_args: (matches, share))
    expected_total = 0 if matches == 0 else matches
    got = E._text_plan(None, EventFilter(q="word"), "sqlite", wanted=wanted)  # type: ignore[arg-type]
    assert got == (expected_total, plan)


def test_no_text_query_or_other_databases_collect() -> None:
    assert E._text_plan(None, EventFilter(type="PROTEST"), "sqlite", wanted=50) == (None, "collect")  # type: ignore[arg-type]
    assert E._text_plan(None, EventFilter(q="word"), "postgresql", wanted=50) == (None, "collect")  # type: ignore[arg-type]
    assert E._text_plan(None, EventFilter(q="?!"), "sqlite", wanted=50) == (0, "collect")  # type: ignore[arg-type]


def test_density_counts_matches_against_the_index(store: Store) -> None:
    with store.session() as session:
        assert fts.density(session, "event", '"convoy"') == (30, 30 / 40)
        assert fts.density(session, "event", '"nowhere"') == (0, 0.0)
