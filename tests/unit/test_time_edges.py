"""Event-date reading at the edges: 24-hour clock times with a zone, and publication dates at
the ends of the calendar (issue 15 and issue 19 item 5)."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.extract.time import find_matches, find_times, resolve

PUBLISHED = date(2023, 10, 25)


@pytest.mark.parametrize("clock", ["1630 EST", "0900 GMT", "2359 hrs", "1415 UTC", "0700 BST"])
def test_a_24_hour_clock_time_with_a_zone_is_a_clock_not_a_year(clock: str) -> None:
    found = find_matches(f"The convoy was hit at {clock} near the border.")
    assert [(m.rule.name, m.match.group()) for m in found] == [("clock", clock)]


def test_a_clock_time_before_a_weekday_keeps_its_hour() -> None:
    (found,) = find_times("The convoy was hit at 1630 EST on Monday.", PUBLISHED)
    assert (found.value, found.timex) == ("2023-10-23", "2023-10-23T16:30")


def test_a_year_alone_is_still_a_year() -> None:
    (found,) = find_times("The bridge was built in 1630 by the town.", PUBLISHED)
    assert (found.value, found.granularity) == ("1630", "year")


def test_four_digits_that_are_no_clock_time_stay_a_year() -> None:
    """2460 is no time of day, so "2460 EST" is not taken for a clock."""
    assert all(m.rule.name != "clock" for m in find_matches("about 2460 EST customers"))


@pytest.mark.parametrize("published", [date(9999, 12, 31), date(1, 1, 1)])
@pytest.mark.parametrize(
    "text",
    [
        "tomorrow",
        "last week",
        "next month",
        "this weekend",
        "Q4",
        "the past three months",
        "next year",
        "in April",
        "on Wednesday",
        "since last week",
        "three days ago",
    ],
)
def test_relative_dates_at_the_calendar_edges_resolve_or_stay_unresolved(
    published: date, text: str
) -> None:
    """Before, these raised OverflowError or ValueError and lost the whole run's records."""
    found = resolve(text, published)
    assert found is not None
    for part in (found.value or "").split("/"):
        assert not part or (len(part.split("-")[0]) == 4 and part[:4] != "0000")


def test_a_whole_text_against_year_9999_keeps_what_it_can() -> None:
    found = find_times("He left yesterday; they meet tomorrow.", date(9999, 12, 31))
    assert [(t.text, t.value) for t in found] == [
        ("yesterday", "9999-12-30"),
        ("tomorrow", None),
    ]
