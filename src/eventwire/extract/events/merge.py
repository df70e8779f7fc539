"""One event per real-world occurrence per article, with every sentence that reports it.

A news article reports its main occurrence several times: in the headline, in the lede, again
lower down, and often twice in one sentence ("attacked a market, killing 23 and wounding 41").
Coded one by one, each report is an event of its own and every count downstream (trends,
networks, alerts) is inflated. Two codings are one occurrence when:

- they have the same category, and the same modality family (a denial is not the act);
- they share an actor on one side and do not contradict on the other (a side that one leaves
  empty never contradicts, nor does a target that is only a place (a town, a region, a building;
  a state or its capital stands for its government and does count); two named, disjoint sets do:
  "police arrested A" and "police arrested B" stay two events);
- their dates do not contradict (one undated, or the same date at the coarser granularity).

The merged event keeps the fullest report as its ``evidence`` (most actors, then a date, then
the highest confidence, then the earliest), fills its empty sides (and a target that is only a
place) from the others, and its date, place and counts, takes the highest confidence, and lists the other sentences as ``mentions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from eventwire.record import Event, EventActors, Quantity, TextSpan


def _sides_agree(mine: Sequence[str], other: Sequence[str]) -> bool | None:
    """True: a shared actor; None: one side empty (no evidence either way); False: disjoint."""
    if not mine or not other:
        return None
    return bool(set(mine) & set(other))


def _dates_agree(a: Event, b: Event) -> bool:
    if a.date is None or b.date is None:
        return True
    one, two = a.date.value, b.date.value
    return one.startswith(two) or two.startswith(one)


def _negated(event: Event) -> bool:
    return event.modality == "negated"


def _people(ids: Sequence[str], places: frozenset[str]) -> list[str]:
    """The side without places: "attacked a market in Mali" names where, not whom."""
    return [i for i in ids if i not in places]


def same_occurrence(a: Event, b: Event, places: frozenset[str] = frozenset()) -> bool:
    """Whether two codings of one article report the same occurrence (see the module doc).
    ``places`` are the entity ids of places: a target that is only a place never contradicts."""
    if a.type != b.type or _negated(a) != _negated(b) or not _dates_agree(a, b):
        return False
    sources = _sides_agree(a.actors.source, b.actors.source)
    targets = _sides_agree(_people(a.actors.target, places), _people(b.actors.target, places))
    if sources is False or targets is False:
        return False
    return bool(sources or targets)


def fullness(event: Event) -> tuple[int, int, float, int]:
    """How fully a report states its occurrence: the merged event keeps the fullest one's
    evidence (most actors, then a date, then the highest confidence, then the earliest)."""
    filled = bool(event.actors.source) + bool(event.actors.target)
    return (filled, event.date is not None, event.confidence, -event.evidence.start)


def _quantities(events: Sequence[Event]) -> list[Quantity]:
    best: dict[tuple[str, str | None], Quantity] = {}
    for event in events:
        for quantity in event.quantities:
            key = (quantity.kind, quantity.of)
            if key not in best or quantity.value > best[key].value:
                best[key] = quantity
    return list(best.values())


def merge_group(events: Sequence[Event], places: frozenset[str] = frozenset()) -> Event:
    """One event from several reports of one occurrence."""
    primary = max(events, key=fullness)
    others = [e for e in events if e is not primary]
    actors = primary.actors
    if not _people(actors.target, places):
        named = next((e.actors.target for e in others if _people(e.actors.target, places)), None)
        actors = EventActors(actors.source, named or actors.target)
    if not actors.source:
        actors = EventActors(
            next((e.actors.source for e in others if e.actors.source), []), actors.target
        )
    if not actors.target:
        actors = EventActors(
            actors.source, next((e.actors.target for e in others if e.actors.target), [])
        )
    spans = {(e.evidence.start, e.evidence.end): e.evidence for e in others}
    spans.pop((primary.evidence.start, primary.evidence.end), None)
    mentions: list[TextSpan] = [spans[k] for k in sorted(spans)]
    return replace(
        primary,
        actors=actors,
        date=primary.date or next((e.date for e in others if e.date), None),
        location=primary.location or next((e.location for e in others if e.location), None),
        quantities=_quantities(events),
        confidence=max(e.confidence for e in events),
        mentions=mentions,
    )


def merge_occurrences(
    events: Sequence[Event], places: frozenset[str] = frozenset()
) -> list[tuple[Event, list[int]]]:
    """The article's events with reports of one occurrence merged, in the order of their first
    report; each with the indices (into ``events``) of the codings it merged."""
    groups: list[list[int]] = []
    for index, event in enumerate(events):
        for group in groups:
            if all(same_occurrence(events[i], event, places) for i in group):
                group.append(index)
                break
        else:
            groups.append([index])
    return [(merge_group([events[i] for i in group], places), group) for group in groups]
