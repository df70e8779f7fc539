"""Time expressions: detection and normalisation against the publication date (no model)."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from spacy.tokens import Doc

from eventwire.extract import ensure_extensions
from eventwire.extract.time import TimeStage, resolve, times_in, vocabulary
from eventwire.ingest import PreparedArticle

PUB = date(2023, 10, 25)  # a Wednesday

ensure_extensions()


def make_doc(text: str, published: str | None = "2023-10-25") -> Doc:
    doc = spacy.blank("en")(text)
    doc._.ew_meta = PreparedArticle(origin="test", id="x", text=text, published=published)
    return TimeStage()(doc)


def values(text: str, published: str | None = "2023-10-25") -> dict[str, str | None]:
    return {t.text: t.value for t in make_doc(text, published)._.ew_times}


@pytest.mark.parametrize(
    ("text", "tense", "value"),
    [
        ("Wednesday", None, "2023-10-25"),  # the publication weekday is that day
        ("Monday", None, "2023-10-23"),
        ("Thursday", None, "2023-10-26"),  # the day after publication: tomorrow
        ("Thursday", "past", "2023-10-19"),
        ("Tuesday", None, "2023-10-24"),
        ("Monday", "future", "2023-10-30"),
        ("Wednesday", "future", "2023-10-25"),
        ("last Wednesday", None, "2023-10-18"),
        ("next Friday", None, "2023-10-27"),
    ],
)
def test_weekday_past_and_future(text: str, tense: str | None, value: str) -> None:
    result = resolve(text, PUB, tense=tense)
    assert (result.value, result.granularity, result.basis) == (value, "day", "relative")


def test_future_sentence_in_a_doc_reads_the_next_weekday() -> None:
    found = values("The ministers will meet on Monday. They met on Tuesday.")
    assert found == {"Monday": "2023-10-30", "Tuesday": "2023-10-24"}


@pytest.mark.parametrize(
    ("text", "value"),
    [("in September", "2023-09"), ("in April", "2023-04"), ("in October", "2023-10")],
)
def test_month_without_year_is_the_latest_on_or_before_publication(text: str, value: str) -> None:
    result = resolve(text, PUB, tense="past")
    assert (result.value, result.granularity) == (value, "month")


def test_early_and_late_month_keep_month_granularity() -> None:
    for text in ("late August", "in early August", "mid-August"):
        result = resolve(text, PUB)
        assert (result.value, result.granularity) == ("2023-08", "month"), text


def test_years_and_decades() -> None:
    assert resolve("in 2014", PUB).value == "2014"
    assert resolve("in 2014", PUB).granularity == "year"
    assert resolve("in 2014", None).value == "2014"  # absolute: no publication date needed
    assert resolve("the 1990s", PUB).value == "1990/1999"
    assert resolve("last year", PUB).value == "2022"


def test_last_week_is_the_previous_iso_week() -> None:
    result = resolve("last week", PUB)
    assert (result.value, result.granularity, result.timex) == (
        "2023-10-16/2023-10-22",
        "range",
        "2023-W42",
    )


def test_the_last_weeks_is_a_range_ending_at_publication() -> None:
    result = resolve("the last weeks", PUB)
    assert result.granularity == "range"
    start, end = result.value.split("/")
    assert end == "2023-10-25"
    assert start == f"2023-10-{25 - 7 * vocabulary()['vague_count']:02d}"
    assert resolve("the past three days", PUB).value == "2023-10-22/2023-10-25"


def test_since_a_day_is_a_range_to_publication() -> None:
    result = resolve("since October 7", PUB)
    assert (result.value, result.granularity) == ("2023-10-07/2023-10-25", "range")
    doc = make_doc("Rockets have been fired since October 7.")
    assert [(t.text, t.value) for t in doc._.ew_times] == [
        ("since October 7", "2023-10-07/2023-10-25")
    ]


def test_relative_expressions_need_a_publication_date() -> None:
    for text in ("Wednesday", "October 7", "last week", "two days ago", "late August"):
        assert resolve(text, None).value is None, text
    assert values("He spoke on Wednesday.", published=None) == {"Wednesday": None}


def test_explicit_dates_in_several_formats() -> None:
    for text in ("October 7, 2023", "7 October 2023", "Oct. 7, 2023", "2023-10-07", "10/7/2023"):
        result = resolve(text, None)
        assert (result.value, result.basis) == ("2023-10-07", "explicit"), text
    assert resolve("March 1996", None).value == "1996-03"


def test_relative_days() -> None:
    assert resolve("yesterday", PUB).value == "2023-10-24"
    assert resolve("two days ago", PUB).value == "2023-10-23"
    assert resolve("overnight", PUB).value == "2023-10-25"
    assert resolve("earlier this month", PUB).value == "2023-10"


def test_durations_and_sets_are_not_dates() -> None:
    for text, timex in [("for three years", "P3Y"), ("daily", "P1D"), ("two weeks", "P2W")]:
        result = resolve(text, PUB)
        assert (result.value, result.granularity, result.timex) == (None, None, timex), text


def test_ages_and_plain_numbers_are_not_times() -> None:
    assert values("A 6-year-old boy and 44 others.") == {}


def test_times_in_selects_by_offsets() -> None:
    doc = make_doc("They met on Monday. Rockets fell on Tuesday.")
    second = doc.text.index("Rockets")
    assert [t.text for t in times_in(doc, second, len(doc.text))] == ["Tuesday"]


def test_spacy_date_entities_are_kept_when_no_rule_matches() -> None:
    doc = spacy.blank("en")("It happened on Christmas Day there, aged 65.")
    start, end = doc.text.index("Christmas"), doc.text.index(" there")
    age = doc.text.index("65")
    doc.ents = [doc.char_span(start, end, label="DATE"), doc.char_span(age, age + 2, label="DATE")]
    doc._.ew_meta = PreparedArticle(origin="t", id="x", text=doc.text, published="2023-10-25")
    found = [(t.text, t.value) for t in TimeStage()(doc)._.ew_times]
    assert found == [("Christmas Day", None)]  # kept, unresolved; the bare number is dropped


def test_a_bare_weekday_the_day_after_publication_is_tomorrow() -> None:
    monday = date(2000, 1, 10)
    assert resolve("Tuesday", monday).value == "2000-01-11"
    assert resolve("Tuesday", monday, tense="past").value == "2000-01-04"
    assert resolve("Friday night", monday).value == "2000-01-07"


def test_bare_plural_units_are_unspecified_durations() -> None:
    assert resolve("years", date(2000, 1, 10)).timex == "PXY"
    assert resolve("the weeks ahead", date(2000, 1, 10)).timex == "PXW"
    assert resolve("the first hours", date(2000, 1, 10)).value is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("BAMAKO, Aug 18, 2024 (Wire) - Gunmen attacked", "2024-08-18"),
        ("talks on Jan 9, 2025 in Doha", "2025-01-09"),
        ("the vote on 18 Aug 2024", "2024-08-18"),
        ("a raid on Sept. 3", "2023-09-03"),
        ("fighting since Dec 1, 2022", "2022-12-01/2023-10-25"),
    ],
)
def test_abbreviated_months_with_a_day_need_no_dot(text: str, value: str) -> None:
    assert value in values(text).values()


def test_an_abbreviation_without_a_day_is_not_a_month() -> None:
    assert values("Jan Smith and Mar Ivanios met.") == {}
