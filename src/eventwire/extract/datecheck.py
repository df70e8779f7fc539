"""Date sanity: event dates a chart should not trust, flagged on the event, never dropped.

A wrong date stretches every aggregate over time: one event dated 1630 (a clock time read as a
year) gives a monthly trends table of four centuries. The record keeps such events, with the
date it found and the evidence for it, and says in ``Event.date_flag`` why the date is doubtful,
so that trends and charts can leave flagged events out by default while a reader still sees them.

The flags, the first that applies:

* ``published-before-1900`` / ``published-after-ingest``: the article's publication date, which
  relative dates are resolved against, is before 1900 or after the day the article was coded;
* ``before-1900``: the event date starts before 1900 (news coded here reports recent events);
* ``after-ingest``: the event date starts after the day the article was coded;
* ``after-publication``: an asserted or reported (past) event dated after its article's
  publication day. Future and hypothetical events may lie ahead, and are not flagged.

Only the start of a date counts: "2024-05" in an article of 10 May 2024 may be any day of May.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from eventwire.record import ArticleRecord, Event

EARLIEST = date(1900, 1, 1)
#: Modalities that state the event happened: its date cannot be after the report.
PAST_MODALITIES = frozenset({"asserted", "reported"})


def start_day(value: str | None) -> date | None:
    """The first day a date value allows ("2024", "2024-05", "2024-05-10", "a/b" ranges)."""
    if not value:
        return None
    parts = value.partition("/")[0][:10].split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4:
        return None
    try:
        numbers = [int(p) for p in parts]
        return date(numbers[0], *(numbers[1:3] + [1, 1])[:2])
    except ValueError:
        return None


def published_flag(published: date | None, today: date) -> str | None:
    """Why a publication date is doubtful, if it is."""
    if published is None:
        return None
    if published < EARLIEST:
        return "published-before-1900"
    if published > today:
        return "published-after-ingest"
    return None


def event_date_flag(event: Event, published: date | None, today: date) -> str | None:
    """Why an event's date is doubtful (see the module docstring), or None."""
    flag = published_flag(published, today)
    if flag is not None:
        return flag
    start = start_day(event.date.value) if event.date else None
    if start is None:
        return None
    if start < EARLIEST:
        return "before-1900"
    if start > today:
        return "after-ingest"
    if published is not None and event.modality in PAST_MODALITIES and start > published:
        return "after-publication"
    return None


def flag_dates(record: ArticleRecord, today: date | None = None) -> ArticleRecord:
    """The record with ``date_flag`` set on each event; ``today`` defaults to today (UTC)."""
    today = today or datetime.now(UTC).date()
    published = start_day(record.article.published)
    events = [
        replace(event, date_flag=event_date_flag(event, published, today))
        for event in record.events
    ]
    return replace(record, events=events)
