"""Trends and alerts count what analysts decided at the desk: corrected categories, dates and
actors, and merged actors, as the desk shows them."""

from __future__ import annotations

from pathlib import Path

from test_trends import build_store

from eventwire.analyse import queries
from eventwire.analyse import trends as T
from eventwire.query.corrections import add_correction, event_key
from eventwire.store.db import open_store
from eventwire.store.schema import EventRow

EVENTS = [
    ("2024-03-04", "THREATEN", "Northland", "Southland", "asserted"),
    ("2024-03-12", "ASSAULT", "Northland", "Southland", "asserted"),
    ("2024-03-13", "ASSAULT", "Northland", "Southland", "asserted"),
    ("2024-04-26", "CONSULT", "Eastland", "Westland", "asserted"),
]


def _correct(db: str, kind: str, target: str, value: dict[str, object]) -> None:
    store = open_store(db)
    with store.session() as session, session.begin():
        add_correction(session, kind=kind, target=target, value=value, author="ana",
                       reason="read the article again")  # fmt: skip
    store.close()


def _key_of_event_on(db: str, day: str) -> str:
    store = open_store(db)
    with store.session() as session:
        row = session.query(EventRow).filter(EventRow.date_value == day).one()
        key = event_key(row.article_id, row.trigger_start, row.trigger_end, row.evidence_start)
    store.close()
    return key


def test_a_corrected_category_moves_the_event_in_trends(tmp_path: Path) -> None:
    db = build_store(tmp_path / "c.db", EVENTS)
    before = T.trends(db, actor="Northland", by="month").rows[0]
    assert before["ASSAULT"] == 2 and before.get("COERCE", 0) == 0
    _correct(db, "event", _key_of_event_on(db, "2024-03-13"), {"type": "COERCE"})
    after = T.trends(db, actor="Northland", by="month").rows[0]
    assert after["ASSAULT"] == 1 and after["COERCE"] == 1 and after["events"] == 3


def test_a_corrected_date_moves_the_event_to_another_period(tmp_path: Path) -> None:
    db = build_store(tmp_path / "d.db", EVENTS)
    _correct(db, "event", _key_of_event_on(db, "2024-03-12"), {"date": "2024-04-02"})
    rows = {r["period"]: r for r in T.trends(db, actor="Northland", by="month").rows}
    assert rows["2024-03-01"]["events"] == 2 and rows["2024-04-01"]["ASSAULT"] == 1


def test_corrected_actors_move_the_event_between_dyads(tmp_path: Path) -> None:
    db = build_store(tmp_path / "a.db", EVENTS)
    new_source = [{"key": "n:eastland", "name": "Eastland"}]
    _correct(db, "event", _key_of_event_on(db, "2024-03-04"), {"source": new_source})
    northland = T.dyad_series(db, "Northland", "Southland", by="month")
    assert sum(r["events"] for r in northland) == 2
    eastland = T.dyad_series(db, "Eastland", "Southland", by="month")
    assert sum(r["events"] for r in eastland) == 1


def test_a_merged_actor_counts_under_the_actor_it_was_merged_into(tmp_path: Path) -> None:
    db = build_store(tmp_path / "m.db", EVENTS)
    assert T.trends(db, actor="Northland", by="month").rows[0]["events"] == 3
    _correct(db, "merge", "n:eastland", {"into": "n:northland", "into_name": "Northland"})
    rows = T.trends(db, actor="Northland", by="month").rows
    assert [r["events"] for r in rows] == [3, 1]  # March, and Eastland's April meeting
    store = open_store(db)
    with store.session() as session:
        april = [f for f in queries.event_facts(session) if f["date"] == "2024-04-26"]
    store.close()
    assert april[0]["sources"] == ["Northland"]


def test_the_uncorrected_reading_is_still_available(tmp_path: Path) -> None:
    db = build_store(tmp_path / "u.db", EVENTS)
    _correct(db, "event", _key_of_event_on(db, "2024-03-13"), {"type": "COERCE"})
    store = open_store(db)
    with store.session() as session:
        raw = queries.event_facts(session, categories=["ASSAULT"], corrected=False)
        fixed = queries.event_facts(session, categories=["ASSAULT"])
    store.close()
    assert len(raw) == 2 and len(fixed) == 1
    assert all("_key" not in fact for fact in raw + fixed)
