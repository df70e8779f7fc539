"""Publication date: validation of a given date, metadata, inference rule from the text."""

from __future__ import annotations

import pytest

from eventwire.errors import InputError
from eventwire.ingest.published import (
    Published,
    infer_from_text,
    parse_date,
    publication_date,
    validate_given,
)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2023-10-25", "2023-10-25"),
        ("2023-10", "2023-10"),
        ("2023", "2023"),
        ("2024-02-29", "2024-02-29"),
        ("2023-10-25T10:00:00Z", "2023-10-25T10:00:00+00:00"),
        ("Wed, 25 Oct 2023 10:00:00 GMT", "2023-10-25T10:00:00+00:00"),
    ],
)
def test_valid_given_dates(given: str, expected: str) -> None:
    assert validate_given(given) == expected


@pytest.mark.parametrize(
    "given", ["2023-02-31", "2023-02-29", "2023-00-10", "2023-13", "05/10/2023", "soon"]
)
def test_invalid_given_dates_name_the_input_and_the_date(given: str) -> None:
    with pytest.raises(InputError) as info:
        validate_given(given, "feed.jsonl:3")
    assert info.value.source == "feed.jsonl:3" and given in info.value.problem


def test_bases_in_order_of_trust() -> None:
    text = "GENEVA, March 2, 2024 (Wire) - Talks resumed."
    assert publication_date(given="2024-03-05", metadata="2024-03-04", text=text) == Published(
        "2024-03-05", "given"
    )
    assert publication_date(given=None, metadata="2024-03-04", text=text) == Published(
        "2024-03-04", "metadata"
    )
    assert publication_date(given=None, metadata=None, text=text) == Published(
        "2024-03-02", "inferred"
    )
    assert publication_date(given="", metadata="2024-02-31", text="No dates.") == Published(
        None, "unknown"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "BEIRUT, Oct 25 (Reuters) - A strike hit. A photo taken on October 20, 2023 shows it.",
            "2023-10-25",
        ),
        ("March 3, 2024 — The council met on Friday.", "2024-03-03"),
        ("Title\n\nPublished: 12 March 2024 10:00\n\nText of the report.", "2024-03-12"),
        ("Updated on Jan. 5th, 2022\nThe vote was held on December 30, 2021.", "2022-01-05"),
        (
            "Leaders meet in this handout image released on October 25, 2023. They talked.",
            "2023-10-25",
        ),
        (
            "He spoke in 2019, pictured on 2 May 2019, and pictured on June 4, 2021, again.",
            "2021-06-04",
        ),
    ],
)
def test_inferred_dates(text: str, expected: str) -> None:
    assert infer_from_text(text) == expected


def test_dateline_beats_a_later_caption_and_published_beats_dateline() -> None:
    text = "PARIS, May 1, 2024 (Wire) - Text.\n\nIn an image taken on May 3, 2024, crowds gather."
    assert infer_from_text(text) == "2024-05-01"
    assert infer_from_text("Published May 2, 2024\n\n" + text) == "2024-05-02"


@pytest.mark.parametrize(
    "text",
    [
        "Nothing dated here at all.",
        "The election will be held on November 5, 2030, officials said on Monday.",
        "KYIV, Feb 30 (Wire) - an impossible dateline and no year anywhere.",
        "The leader addresses supporters during a rally in the capital, April 14, 2023.",
    ],
)
def test_event_dates_and_impossible_dates_are_not_publication_dates(text: str) -> None:
    assert infer_from_text(text) is None


def test_parse_date_forms() -> None:
    assert str(parse_date("25 October 2023")) == "2023-10-25"
    assert str(parse_date("Sept. 3, 2021")) == "2021-09-03"
    assert parse_date("February 30, 2023") is None
    assert parse_date("2023-02-31") is None


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("24 November 2016", "2016-11-24"),
        ("Nov 22, 2016 4:30 PM MT", "2016-11-22T16:30:00-07:00"),
        ("Nov 22, 2016 4:30 PM EST", "2016-11-22T16:30:00-05:00"),
        ("Nov 22, 2016 4:30 PM", "2016-11-22T16:30:00"),
        ("25/10/2023", "2023-10-25"),
        ("Wed, 25 Oct 2023 10:00:00 GMT", "2023-10-25T10:00:00+00:00"),
    ],
)
def test_common_written_publication_dates_are_read_as_written(written: str, iso: str) -> None:
    """Metadata from JSONL and CSV comes in many forms; the clock time stays the local one."""
    assert validate_given(written) == iso


@pytest.mark.parametrize("value", ["yesterday", "last week", "November 24", "soon"])
def test_relative_or_yearless_publication_dates_are_refused_by_name(value: str) -> None:
    with pytest.raises(InputError, match=f"{value!r} is not a date with day, month and year"):
        validate_given(value)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1630", "2301-05-02T10:00:00"])
def test_publication_years_at_the_calendar_edges_are_kept_as_given(value: str) -> None:
    """Issue 19 item 5: the caller's date is kept (the article with it); what cannot be resolved
    against it is left unresolved by the time stage (see test_time_edges)."""
    assert validate_given(value, "feed.jsonl:3") == value


def test_year_zero_is_refused_by_name() -> None:
    with pytest.raises(InputError, match="no year 0") as info:
        validate_given("0000-05", "feed.jsonl:3")
    assert info.value.source == "feed.jsonl:3"
