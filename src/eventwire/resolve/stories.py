"""Stories: reports of the same real-world event, grouped across articles.

Two event reports belong to one story when they have the same category, their dates are
compatible (their intervals overlap: a day-level date inside a month-level one, the same day
for two day-level dates; an unknown date never contradicts), their places do not contradict
(different countries, or different place names within a country, do), and something
positively ties them: at least one shared actor, or the same named place when one of them
has no actors. Groups are the connected components of that relation.

The logic is pure over :class:`StoryItem` so that it runs on stored events (corpus actor ids,
PLOVER categories) and on ECB+ gold mentions (``eventwire eval corpus-events``) alike.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from eventwire.resolve.actors import Clusters, EntityInfo


@dataclass(frozen=True, slots=True)
class StoryItem:
    """One event report, reduced to what decides whether two reports are one event."""

    key: int
    category: str
    actors: frozenset[str] = frozenset()
    start: date | None = None  # date interval the report allows (inclusive)
    end: date | None = None
    place: str | None = None  # folded place name
    country: str | None = None
    extra: dict[str, object] = field(default_factory=dict, compare=False)


def interval(value: str | None, granularity: str | None) -> tuple[date | None, date | None]:
    """The dates an event date allows: a day, a whole month or year, or a ``start/end`` range."""
    if not value:
        return None, None
    if "/" in value:
        first, _, last = value.partition("/")
        return interval(first, "day")[0], interval(last, "day")[1]
    parts = value[:10].split("-")
    if not all(p.isdigit() for p in parts) or not parts[0]:
        return None, None
    year = int(parts[0])
    if granularity == "year" or len(parts) == 1:
        return date(year, 1, 1), date(year, 12, 31)
    month = int(parts[1])
    if granularity == "month" or len(parts) == 2:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date(year, month, int(parts[2]))
    return day, day


def dates_compatible(a: StoryItem, b: StoryItem) -> bool:
    if a.start is None or b.start is None or a.end is None or b.end is None:
        return True
    return a.start <= b.end and b.start <= a.end


def places_compatible(a: StoryItem, b: StoryItem) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    return not (a.place and b.place and a.place != b.place)


def tied(a: StoryItem, b: StoryItem) -> bool:
    """Positive evidence of one event: a shared actor, or one named place for an actor-less report."""
    if a.actors & b.actors:
        return True
    one_side_empty = not a.actors or not b.actors
    return one_side_empty and bool(a.place) and a.place == b.place


def same_story(a: StoryItem, b: StoryItem) -> bool:
    return (
        a.category == b.category
        and dates_compatible(a, b)
        and places_compatible(a, b)
        and tied(a, b)
    )


def group_items(items: Sequence[StoryItem]) -> list[list[int]]:
    """Connected components of :func:`same_story`; each item's ``key`` appears in one group.

    Candidates are only pairs that share a category and an actor or a place, so the work grows
    with the size of those buckets, not with the square of the corpus.
    """
    clusters = Clusters([EntityInfo(item.key, "", "") for item in items])
    for bucket in _buckets(items).values():
        for a, b in _candidate_pairs(bucket):
            if same_story(a, b):
                clusters.union(a.key, b.key)
    return clusters.components()


def _candidate_pairs(bucket: list[StoryItem]) -> Iterator[tuple[StoryItem, StoryItem]]:
    """Pairs whose dates can overlap: a sweep over dated items, undated ones against all."""
    dated = sorted((i for i in bucket if i.start and i.end), key=lambda i: i.start)  # type: ignore[arg-type, return-value]
    undated = [i for i in bucket if not (i.start and i.end)]
    active: list[StoryItem] = []
    for item in dated:
        active = [a for a in active if a.end >= item.start]  # type: ignore[operator]
        yield from ((a, item) for a in active)
        active.append(item)
    for i, item in enumerate(undated):
        yield from ((item, other) for other in undated[i + 1 :])
        yield from ((item, other) for other in dated)


def bucket_keys(item: StoryItem) -> list[tuple[str, str]]:
    """The candidate buckets of an item: its category with each actor, and with its place.

    Two items can be one story only if they share a bucket (:func:`tied` needs a shared actor
    or a shared place), so grouping and the incremental step compare only within buckets.
    """
    keys = [(item.category, f"a:{actor}") for actor in item.actors]
    if item.place:
        keys.append((item.category, f"p:{item.place}"))
    return keys


def _buckets(items: Sequence[StoryItem]) -> dict[tuple[str, str], list[StoryItem]]:
    buckets: dict[tuple[str, str], list[StoryItem]] = defaultdict(list)
    for item in items:
        for key in bucket_keys(item):
            buckets[key].append(item)
    return buckets
