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


def bucket(facts: Iterable[dict[str, Any]], by: str) -> dict[date, list[dict[str, Any]]]:
    """Facts grouped by period start, every period from the first to the last present (sorted)."""
    groups: dict[date, list[dict[str, Any]]] = {}
    for fact in facts:
        day = parse_day(fact.get("date"))
        if day is not None:
            groups.setdefault(period_start(day, by), []).append(fact)
    if not groups:
        return {}
    return {p: groups.get(p, []) for p in periods_between(min(groups), max(groups), by)}
