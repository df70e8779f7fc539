"""The events a careful reader writes down for the reference article (read from ../shared).

Given the publication date explicitly so that these checks do not depend on date inference.
"""

from __future__ import annotations

import pytest

import eventwire
from eventwire.record import ArticleRecord, Event

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def record(seed_text: str, nlp) -> ArticleRecord:  # noqa: ANN001
    return eventwire.read(seed_text, published="2023-10-25", nlp=nlp)


def ids_named(record: ArticleRecord, word: str, *, person: bool = False) -> set[str]:
    return {
        e.id
        for e in record.entities
        if word.lower() in e.name.lower() and (not person or e.type == "PERSON")
    }


def of_type(record: ArticleRecord, kind: str) -> list[Event]:
    return [e for e in record.events if e.type == kind]


def dated(event: Event, value: str) -> bool:
    return event.date is not None and event.date.value == value


def actors(event: Event) -> set[str]:
    return set(event.actors.source) | set(event.actors.target)


def describe(events: list[Event]) -> list[tuple]:
    return [
        (e.trigger.text, e.date and e.date.value, e.actors.source, e.actors.target) for e in events
    ]


def test_todays_meeting_has_host_and_both_visitors(record: ArticleRecord) -> None:
    host = ids_named(record, "Nasrallah", person=True)
    arouri = ids_named(record, "Arouri", person=True)
    nakhalah = ids_named(record, "Nakhalah", person=True)
    found = [
        e
        for e in of_type(record, "CONSULT")
        if dated(e, "2023-10-25")
        and host & actors(e)
        and arouri & actors(e)
        and nakhalah & actors(e)
    ]
    assert found, describe(of_type(record, "CONSULT"))


def test_agreement_to_continue_coordination(record: ArticleRecord) -> None:
    agreements = [e for e in of_type(record, "AGREE") if "coordination" in e.evidence.text]
    assert agreements, describe(of_type(record, "AGREE"))
    assert any(e.modality == "asserted" for e in agreements)
    continued = [
        e
        for e in record.events
        if e.type == "COOPERATE" and "continue coordination" in e.evidence.text
    ]
    assert all(e.modality == "future" for e in continued)


def test_hamas_attack_on_israel_is_dated_october_7(record: ArticleRecord) -> None:
    hamas, israel = ids_named(record, "Hamas"), ids_named(record, "Israel")
    assert any(
        dated(e, "2023-10-07") and hamas & set(e.actors.source) and israel & set(e.actors.target)
        for e in of_type(record, "ASSAULT")
    ), describe(of_type(record, "ASSAULT"))


def test_hezbollah_first_fire_is_october_8_not_publication_day(record: ArticleRecord) -> None:
    hezbollah = ids_named(record, "Hezbollah")
    assaults = of_type(record, "ASSAULT")
    assert any(dated(e, "2023-10-08") and hezbollah & set(e.actors.source) for e in assaults)
    assert not any(dated(e, "2023-10-25") and "October 8" in e.evidence.text for e in assaults)


def test_earlier_meetings_keep_month_granularity(record: ArticleRecord) -> None:
    consults = of_type(record, "CONSULT")
    months = {(e.date.value, e.date.granularity) for e in consults if e.date}
    assert ("2023-09", "month") in months, describe(consults)
    assert ("2023-04", "month") in months, describe(consults)


def test_late_august_warning_is_a_threat_not_an_assault(record: ArticleRecord) -> None:
    threats = [e for e in of_type(record, "THREATEN") if "late August" in e.evidence.text]
    assert threats and all(dated(e, "2023-08") for e in threats), describe(threats)
    assert not [e for e in of_type(record, "ASSAULT") if "late August" in e.evidence.text]


def test_every_event_points_to_its_sentence(record: ArticleRecord) -> None:
    text = record.article.text
    for event in record.events:
        assert text[event.evidence.start : event.evidence.end] == event.evidence.text
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text
        assert event.evidence.start <= event.trigger.start < event.evidence.end
        assert 0.0 <= event.confidence <= 1.0
        assert event.actors.source or event.actors.target
