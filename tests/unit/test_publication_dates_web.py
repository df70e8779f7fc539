"""Publication dates as pages and feeds write them (issue 15): the date at the place of
publication, date lines near the top, timelines and far-past dates in the body.

Pages and texts here are written for these tests."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from eventwire.ingest import RawArticle, prepare
from eventwire.ingest.published import (
    infer_from_text,
    local_day,
    page_date,
    publication_date,
    validate_given,
)

BODY = "".join(
    f"<p>{p}</p>"
    for p in [
        "The city council approved the new budget late in the evening after a long debate "
        "about the cost of repairing the harbour wall and the schools.",
        "The mayor said the vote showed the council could agree on hard choices, while the "
        "opposition said the plan left the poorest districts behind.",
        "The budget takes effect next month and will be reviewed by the regional auditor "
        "before the end of the year, officials said.",
    ]
)


def _page(head: str) -> str:
    return f"<html><head><title>Council approves budget</title>{head}</head><body><article>{BODY}</article></body></html>"


def test_a_stamp_with_its_own_offset_gives_the_local_date() -> None:
    """Two stamps of one moment: UTC says the 25th, the page's own zone the 26th (09:00 in
    Tokyo). The date is the one where the page was published."""
    tree = lxml_html.document_fromstring(
        _page(
            '<meta property="article:published_time" content="2023-10-25T23:30:00Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2023-10-26T08:30:00+09:00"}</script>'
        )
    )
    assert page_date(tree, "2023-10-25") == "2023-10-26T08:30:00+09:00"


def test_a_page_published_in_its_evening_keeps_its_day() -> None:
    page = _page('<meta property="article:published_time" content="2016-11-22T22:30:00-07:00">')
    prepared = prepare(RawArticle(origin="p.html", html=page))
    assert (prepared.published, prepared.published_basis) == ("2016-11-22", "metadata")


def test_a_stamp_far_from_htmldates_reading_is_not_taken() -> None:
    tree = lxml_html.document_fromstring(
        _page('<meta name="pubdate" content="2012-05-10T14:29:05+01:00">')
    )
    assert page_date(tree, "2026-04-24") == "2026-04-24"


def test_an_early_utc_stamp_is_the_evening_before_when_the_text_says_so() -> None:
    text = "Residents gathered in the square on Nov. 19, 2019, to protest the budget."
    assert local_day("2019-11-20T04:26:47+00:00", text) == "2019-11-19"


@pytest.mark.parametrize(
    ("stamp", "text", "day"),
    [
        # the text names the stamp's own day too: nothing says it is the evening before
        ("2019-11-20T04:26:47+00:00", "On Nov. 19, 2019 and Nov. 20, 2019 ...", "2019-11-20"),
        # later in the day in UTC: the same date nearly everywhere
        ("2019-11-20T14:26:47+00:00", "Residents gathered on Nov. 19, 2019.", "2019-11-20"),
        # a stamp with its own offset is already local
        ("2019-11-20T04:26:47+09:00", "Residents gathered on Nov. 19, 2019.", "2019-11-20"),
        ("2019-11-20", "Residents gathered on Nov. 19, 2019.", "2019-11-20"),
    ],
)
def test_other_stamps_keep_their_day(stamp: str, text: str, day: str) -> None:
    assert local_day(stamp, text) == day


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Council approves budget\nJuly 08, 2012\nThe council voted.", "2012-07-08"),
        ("Council approves budget\nWEDNESDAY, MARCH 4, 2009, 10: 53 AM\nIt voted.", "2009-03-04"),
        ("Council approves budget\nNovember 28th, 2005, 09:11 GMT\nIt voted.", "2005-11-28"),
    ],
)
def test_a_date_line_near_the_top_is_the_publication_date(text: str, day: str) -> None:
    assert infer_from_text(text) == day


def test_a_date_line_deep_in_the_text_is_not() -> None:
    lines = [f"Paragraph {n} of the report about the budget." for n in range(8)]
    assert infer_from_text("\n".join([*lines, "July 08, 2012", "The end."])) is None


def test_a_timeline_in_the_body_never_sets_the_publication_date() -> None:
    text = (
        "How the harbour grew\n\n"
        "May 1, 1863 - The first wall is built by the town.\n\n"
        "1901: A railway reaches the quay.\n\n"
        "1958: The wall is raised after a storm."
    )
    assert infer_from_text(text) is None


@pytest.mark.parametrize("year", ["1299", "2450"])
def test_a_body_date_outside_the_years_of_news_is_not_taken(year: str) -> None:
    assert infer_from_text(f"HARBOURTOWN, May 1, {year} - The wall was built.") is None


def test_a_dateline_is_still_read() -> None:
    assert infer_from_text("HARBOURTOWN, May 1, 2024 - The wall was built.") == "2024-05-01"


@pytest.mark.parametrize(
    ("given", "iso"),
    [
        ("24 November 2016", "2016-11-24"),
        ("Nov 22, 2016 4:30 PM MT", "2016-11-22T16:30:00-07:00"),
        ("Tue, 22 Nov 2016 16:30:00 -0700", "2016-11-22T16:30:00-07:00"),
        ("Wednesday, March 4, 2009, 10:53 AM", "2009-03-04T10:53:00"),
    ],
)
def test_written_dates_in_metadata_keep_their_clock_and_zone(given: str, iso: str) -> None:
    assert validate_given(given) == iso
    prepared = prepare(
        RawArticle(origin="feed.jsonl:1", text="The council voted.", published=given)
    )
    assert prepared.published == iso


def test_a_page_dated_only_in_its_byline_takes_that_date() -> None:
    """The byline is removed from the body as furniture but still dates the page."""
    page = (
        "<html><head><title>Council approves budget</title></head><body><article>"
        "<div class='byline'>By Ana Example | March 3, 2024</div>"
        f"{BODY}</article></body></html>"
    )
    prepared = prepare(RawArticle(origin="p.html", html=page))
    assert prepared.published == "2024-03-03"
    assert "Ana Example" not in prepared.text
    assert ("byline", "By Ana Example | March 3, 2024") in [
        (r.reason, r.text) for r in prepared.removed
    ]


def test_a_byline_date_is_read_when_the_metadata_has_none() -> None:
    found = publication_date(
        given=None,
        metadata=None,
        text="The council voted on the budget.",
        bylines=["By Ana Example | Published 5:45 AM PST Nov. 19, 2019"],
    )
    assert (found.value, found.basis) == ("2019-11-19", "inferred")
