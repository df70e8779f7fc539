"""Stories: reports of the same real-world event, grouped across articles.

Two event reports can be one story when they have the same category, their places do not
contradict (different countries, or different place names within a country, do), something
positively ties them (a shared actor, or the same named place when one of them has no actors),
and their dates fit (issue 16: stories chained reports from 1987 to 2016 through undated ones):

* a *precise* report has a date interval no longer than its category's window
  (:data:`WINDOW_DAYS`: a day, a short range). Precise reports pair when their intervals
  overlap, and a story of them never spans more than the window (the latest start minus the
  earliest end): the same kind of event a year later is another story;
* a *vague* report (undated, or dated only by a month or year) is placed by its *context*: its
  own interval narrowed to the window before its article's publication. It joins at most one
  story of precise reports, one whose dates its context overlaps, or one with a report of its
  own article; so it never bridges two dated stories. An undated report with no article date
  joins a dated story only through a report of its own article;
* vague reports left over group with each other: reports of one article, reports whose
  contexts overlap (within the window again), or reports with no date context at all.

Grouping runs in a canonical order (``StoryItem.order``, then dates), never in write order, so
the same reports give the same stories whatever order they were stored in.

The logic is pure over :class:`StoryItem` so that it runs on stored events (corpus actor ids,
PLOVER categories) and on ECB+ gold mentions (``eventwire eval corpus-events``) alike.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from eventwire.resolve.actors import Clusters, EntityInfo

#: How far apart (days) the dates of one occurrence's reports may lie, by PLOVER category:
#: a protest, attack or meeting happens within days; mobilisations, sanctions, aid and
#: coercion campaigns run for weeks. Also the window before publication an undated report
#: is read in.
DEFAULT_WINDOW = 7
WINDOW_DAYS = {"MOBILIZE": 31, "SANCTION": 31, "AID": 31, "COERCE": 31, "COOPERATE": 31}


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
    article: str | None = None  # the article (document) that reports it
    published: date | None = None  # that article's publication day: an undated report's context
    order: str = ""  # a canonical sort key (article and local id), not a write-order id


def window(category: str) -> int:
    return WINDOW_DAYS.get(category, DEFAULT_WINDOW)


def precise(item: StoryItem) -> bool:
    """Dated to within its category's window: such a report pins the occurrence down."""
    if item.start is None or item.end is None:
        return False
    return (item.end - item.start).days < window(item.category)


def context(item: StoryItem) -> tuple[date, date] | None:
    """The dates a report allows: its own interval, narrowed to the window before its
    article's publication when they overlap; the window alone for an undated report."""
    own = (item.start, item.end) if item.start and item.end else None
    if item.published is None:
        return own
    try:
        start = item.published - timedelta(days=window(item.category))
    except OverflowError:  # a publication date at the calendar's start (0001-01-01)
        start = date.min
    before = (start, item.published)
    if own is None:
        return before
    narrowed = (max(own[0], before[0]), min(own[1], before[1]))
    return narrowed if narrowed[0] <= narrowed[1] else own


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


def dates(item: StoryItem) -> tuple[date, date] | None:
    """The interval grouping compares: a precise report's own, a vague one's context."""
    if precise(item):
        return item.start, item.end  # type: ignore[return-value]
    return context(item)


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def dates_compatible(a: StoryItem, b: StoryItem) -> bool:
    """Whether two reports' dates let them be one occurrence (see the module docstring)."""
    both = precise(a) and precise(b)
    if not both and a.article is not None and a.article == b.article:
        return True  # a vague report and another of its article: the article's context
    da, db = dates(a), dates(b)
    if da is None and db is None:
        return True  # two reports with no date context at all (neither is precise)
    return _overlap(da, db)


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
    """Stories over the items; each item's ``key`` appears in one group.

    Candidates are only pairs that share a category and an actor or a place, so the work grows
    with the size of those buckets, not with the square of the corpus. Precise reports group
    first, then each vague report joins at most one of their stories, then the vague reports
    left over group with each other (see the module docstring).
    """
    spans = _Spans(items)
    found = {}
    for bucket in _buckets(items).values():
        for a, b in _candidate_pairs(bucket):
            if (a.key, b.key) not in found and (b.key, a.key) not in found and same_story(a, b):
                found[a.key, b.key] = _pair(a, b)
    pairs = list(found.values())
    exact = sorted((p for p in pairs if precise(p[1]) and precise(p[2])), key=_pair_order)
    for _, a, b in exact:
        spans.union(a, b)
    joined = _attach_vague(pairs, spans)
    leftover = sorted((p for p in pairs if not (precise(p[1]) or precise(p[2]))
                       and p[1].key not in joined and p[2].key not in joined), key=_pair_order)  # fmt: skip
    for _, a, b in leftover:
        spans.union(a, b)
    return spans.components()


def _rank(item: StoryItem) -> tuple[str, int]:
    return item.order, item.key


def _pair(a: StoryItem, b: StoryItem) -> tuple[int, StoryItem, StoryItem]:
    """A candidate pair, its items in canonical order, with how far apart their dates lie."""
    first, second = sorted((a, b), key=_rank)
    ca, cb = dates(first), dates(second)
    gap = abs((ca[0] - cb[0]).days) + abs((ca[1] - cb[1]).days) if ca and cb else 1 << 30
    return gap, first, second


def _pair_order(
    pair: tuple[int, StoryItem, StoryItem],
) -> tuple[int, tuple[str, int], tuple[str, int]]:
    """Closest dates first, then canonical keys: never the order items were stored in."""
    gap, a, b = pair
    return gap, _rank(a), _rank(b)


def _attach_vague(pairs: Iterable[tuple[int, StoryItem, StoryItem]], spans: _Spans) -> set[int]:
    """Each vague report joins the story of its closest precise partner (one story at most)."""
    partners: dict[int, list[tuple[int, tuple[str, int], StoryItem, StoryItem]]] = defaultdict(list)
    for gap, a, b in pairs:
        if precise(a) != precise(b):
            vague, sure = (b, a) if precise(a) else (a, b)
            same_article = vague.article is not None and vague.article == sure.article
            partners[vague.key].append((-1 if same_article else gap, _rank(sure), vague, sure))
    for options in partners.values():
        _, _, vague, sure = min(options, key=lambda o: (o[0], o[1]))
        spans.union(vague, sure)
    return set(partners)


@dataclass(slots=True)
class _Span:
    """The dates a story's reports share: the latest start and the earliest end."""

    latest_start: date | None
    earliest_end: date | None


class _Spans:
    """Union-find over reports that refuses a story whose dates spread past the window."""

    def __init__(self, items: Sequence[StoryItem]) -> None:
        self.clusters = Clusters([EntityInfo(item.key, "", "") for item in items])
        self.spans: dict[int, _Span] = {}
        for item in items:
            self.spans[item.key] = _Span(*(dates(item) or (None, None)))

    def union(self, a: StoryItem, b: StoryItem) -> bool:
        ra, rb = self.clusters.find(a.key), self.clusters.find(b.key)
        if ra == rb:
            return True
        sa, sb = self.spans[ra], self.spans[rb]
        starts = [d for d in (sa.latest_start, sb.latest_start) if d]
        ends = [d for d in (sa.earliest_end, sb.earliest_end) if d]
        merged = _Span(max(starts, default=None), min(ends, default=None))
        latest, earliest = merged.latest_start, merged.earliest_end
        if latest and earliest and (latest - earliest).days > window(a.category):
            return False
        self.clusters.union(ra, rb)
        self.spans[self.clusters.find(ra)] = merged
        return True

    def components(self) -> list[list[int]]:
        return self.clusters.components()


def _candidate_pairs(bucket: list[StoryItem]) -> Iterator[tuple[StoryItem, StoryItem]]:
    """Pairs whose dates can fit: a sweep over placed items, items with no date context
    against all, and a vague report with the other reports of its article."""
    spans = {item.key: dates(item) for item in bucket}
    placed = sorted((i for i in bucket if spans[i.key]), key=lambda i: spans[i.key][0])  # type: ignore[index]
    loose = [i for i in bucket if not spans[i.key]]
    active: list[StoryItem] = []
    for item in placed:
        begin = spans[item.key][0]  # type: ignore[index]
        active = [a for a in active if spans[a.key][1] >= begin]  # type: ignore[index]
        yield from ((a, item) for a in active)
        active.append(item)
    for i, item in enumerate(loose):
        yield from ((item, other) for other in loose[i + 1 :])
        yield from ((item, other) for other in placed)
    by_article: dict[str, list[StoryItem]] = defaultdict(list)
    for item in bucket:
        if item.article is not None:
            by_article[item.article].append(item)
    for members in by_article.values():
        for i, a in enumerate(members):
            yield from ((a, b) for b in members[i + 1 :] if not (precise(a) and precise(b)))


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
