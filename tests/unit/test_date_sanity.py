"""Date sanity (issue 16, finding 5): doubtful event and publication dates are flagged on the
event record, stored, read back, and flagged in stores written before the flag existed."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from test_store_helpers import make_record

from eventwire.extract.datecheck import event_date_flag, flag_dates, start_day
from eventwire.record import ArticleRecord, Event, EventDate, TextSpan
from eventwire.schema import validate
from eventwire.store.db import open_store
from eventwire.store.read import load_record
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

TODAY = date(2026, 12, 8)


def _event(value: str | None, modality: str = "asserted", granularity: str = "day") -> Event:
    when = EventDate(value, granularity, None, "explicit") if value else None
    return Event("v1", "PROTEST", TextSpan(0, 1, "x"), TextSpan(0, 1, "x"), date=when,
                 modality=modality)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "modality", "published", "expected"),
    [
        ("2024-05-09", "asserted", date(2024, 5, 10), None),
        ("2024-05", "asserted", date(2024, 5, 10), None),  # any day of May
        ("1630-05-01", "asserted", date(2024, 5, 10), "before-1900"),
        ("1863", "reported", date(2024, 5, 10), "before-1900"),
        ("2031-01-01", "future", date(2024, 5, 10), "after-ingest"),
        ("2024-05-12", "asserted", date(2024, 5, 10), "after-publication"),
        ("2024-05-12", "reported", date(2024, 5, 10), "after-publication"),
        ("2024-05-12", "future", date(2024, 5, 10), None),  # an announced event may lie ahead
        ("2024-05-12", "hypothetical", date(2024, 5, 10), None),
        ("2024-05-01/2024-05-20", "asserted", date(2024, 5, 10), None),
        ("2024-05-09", "asserted", date(1850, 1, 1), "published-before-1900"),
        (None, "asserted", date(2099, 1, 1), "published-after-ingest"),
        (None, "asserted", date(2024, 5, 10), None),
    ],
)
def test_event_date_flag(value, modality, published, expected) -> None:  # type: ignore[no-untyped-def]
    assert event_date_flag(_event(value, modality), published, TODAY) == expected


def test_start_day_reads_every_granularity_and_refuses_junk() -> None:
    assert start_day("2024") == date(2024, 1, 1)
    assert start_day("2024-02") == date(2024, 2, 1)
    assert start_day("2024-02-29T10:00") == date(2024, 2, 29)
    assert start_day("2024-02-30") is None
    assert start_day("soon") is None and start_day(None) is None


def _record(event_date: str, published: str = "2024-03-07") -> ArticleRecord:
    text = "John Smith attacked the Army in Aleppo. More followed."
    return make_record(text, date=event_date, published=published)


def test_flagged_record_validates_and_survives_the_store(tmp_path: Path) -> None:
    record = flag_dates(_record("1630-03-05"), TODAY)
    assert record.events[0].date_flag == "before-1900"
    validate(record.to_dict())
    assert ArticleRecord.from_dict(record.to_dict()) == record
    store = open_store(str(tmp_path / "s.db"))
    with store.session() as session, session.begin():
        write_batch(session, [Result("k", "o", record)], Stamp("0", "blank", {}), fts=True)
    with store.session() as session:
        back = load_record(session, record.article.id)
    store.close()
    assert back is not None and back.events[0].date_flag == "before-1900"


def test_unknown_flag_is_refused_by_the_schema() -> None:
    import jsonschema

    record = _record("2024-03-05")
    bad = replace(record, events=[replace(record.events[0], date_flag="odd")])
    with pytest.raises(jsonschema.ValidationError):
        validate(bad.to_dict())


def test_migration_flags_events_already_stored(tmp_path: Path) -> None:
    """A store coded before the flag existed gets its doubtful dates flagged on upgrade."""
    from alembic import command

    from eventwire.store.db import make_engine
    from eventwire.store.migrate import alembic_config, upgrade

    db = tmp_path / "old.db"
    store = open_store(str(db))
    records = [_record("1863-03-05"), _record("2024-03-09"), _record("2024-03-05")]
    records = [
        replace(r, article=replace(r.article, id=f"{i:016x}")) for i, r in enumerate(records)
    ]
    with store.session() as session, session.begin():
        results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(records)]
        write_batch(session, results, Stamp("0", "blank", {}), fts=True)
    store.close()
    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    upgrade(engine)
    engine.dispose()
    with sqlite3.connect(db) as connection:
        flags = dict(connection.execute("SELECT article_id, date_flag FROM events"))
    assert flags == {
        f"{0:016x}": "before-1900",
        f"{1:016x}": "after-publication",
        f"{2:016x}": None,
    }
