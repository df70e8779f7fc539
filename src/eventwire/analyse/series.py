"""Time buckets and series: from dated event facts to one row per period, gaps filled with zeros.

A period is named by its first day (ISO date): a day, the Monday of an ISO week, or the first of
a month. Filling gaps matters: change detection reads a quiet period as a zero, not as missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

PERIODS = ("day", "week", "month")


def parse_day(value: str | None) -> date | None:
    """The date of an ISO date or datetime string; None for partial dates ("2024-03", "2024")."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def period_start(day: date, by: str) -> date:
    """The first day of the period (``day``, ``week`` from Monday, ``month``) holding ``day``."""
    if by == "day":
        return day
    if by == "week":
        return day - timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {by!r}: expected one of {', '.join(PERIODS)}")


def next_period(start: date, by: str) -> date:
    if by == "day":
        return start + timedelta(days=1)
    if by == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def periods_between(first: date, last: date, by: str) -> Iterator[date]:
    """Every period start from the period of ``first`` to that of ``last``, inclusive."""
    current, end = period_start(first, by), period_start(last, by)
    while current <= end:
        yield current
        current = next_period(current, by)


def bucket(
    facts: Iterable[dict[str, Any]], by: str, *, span: tuple[date, date] | None = None
) -> dict[date, list[dict[str, Any]]]:
    """Facts grouped by period start, every period filled (sorted).

    The periods run from the first to the last fact, or over ``span`` (first day, last day)
    when given, so that a series can start before its first event (a baseline of zeros).
    """
    groups: dict[date, list[dict[str, Any]]] = {}
    for fact in facts:
        day = parse_day(fact.get("date"))
        if day is not None:
            groups.setdefault(period_start(day, by), []).append(fact)
    if span is None and not groups:
        return {}
    first, last = span if span is not None else (min(groups), max(groups))
    if groups:
        first, last = min(first, min(groups)), max(last, max(groups))
    return {p: groups.get(p, []) for p in periods_between(first, last, by)}


def date_span(facts: Iterable[dict[str, Any]]) -> tuple[date, date] | None:
    """(first day, last day) over the facts' dates, or None when none is dated."""
    days = [d for d in (parse_day(f.get("date")) for f in facts) if d is not None]
    return (min(days), max(days)) if days else None
