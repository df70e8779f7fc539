"""Event text search answers the same whichever way it walks the store.

A page of events matching a word most events contain walks events newest first and tests each
(``fts.row_matches``); a rarer word collects its matches and sorts them. Both plans, and the
total taken from the index alone, must give the same answer as each other.
"""

from __future__ import annotations

import pytest
from test_store_helpers import make_record

from eventwire.serve import events as E
from eventwire.serve.corrections import load_overlay
from eventwire.serve.filters import EventFilter
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


def page(store: Store, flt: EventFilter, dense: float, offset: int = 0) -> tuple[list, int]:
    saved = E.DENSE_TEXT
    E.DENSE_TEXT = dense
    try:
        with store.session() as session:
            items, total = E.list_events(
                session, flt, load_overlay(session), limit=7, offset=offset
            )
    finally:
        E.DENSE_TEXT = saved
    return [(e["pk"], (e["date"] or {}).get("value")) for e in items], total


@pytest.mark.parametrize(
    "flt",
    [
        EventFilter(q="convoy"),
        EventFilter(q="ceasefire"),
        EventFilter(q="convoy", type="PROTEST"),
        EventFilter(q="Aleppo convoy", since="2024-03-01"),
        EventFilter(q="nowhere"),
    ],
)
@pytest.mark.parametrize("offset", [0, 7, 28])
def test_walking_and_collecting_give_the_same_page_and_total(store: Store, flt, offset) -> None:  # type: ignore[no-untyped-def]
    walked = page(store, flt, dense=0.0, offset=offset)  # always walk and test
    collected = page(store, flt, dense=2.0, offset=offset)  # never
    assert walked == collected
    with store.session() as session:
        assert fts.count(session, "event", '"convoy"') == 30
    if flt == EventFilter(q="convoy") and offset == 0:
        assert walked[1] == 30 and len(walked[0]) == 7
        dates = [d for _pk, d in walked[0]]
        assert dates == sorted(dates, reverse=True)


def test_density_counts_matches_against_the_index(store: Store) -> None:
    with store.session() as session:
        assert fts.density(session, "event", '"convoy"') == (30, 30 / 40)
        assert fts.density(session, "event", '"nowhere"') == (0, 0.0)
