"""One event per occurrence: which codings merge, and what the merged event keeps."""

from __future__ import annotations

from eventwire.extract.events.merge import merge_occurrences, same_occurrence
from eventwire.record import Event, EventActors, EventDate, Quantity, TextSpan


def _event(
    kind: str,
    start: int,
    source: list[str],
    target: list[str],
    *,
    date: str | None = None,
    modality: str = "asserted",
    quantities: list[Quantity] | None = None,
    confidence: float = 0.5,
) -> Event:
    return Event(
        id=f"v{start}",
        type=kind,
        trigger=TextSpan(start, start + 3, "hit"),
        evidence=TextSpan(start, start + 20, "a sentence"),
        actors=EventActors(source, target),
        date=EventDate(date, "day", None, "explicit") if date else None,
        modality=modality,
        quantities=quantities or [],
        confidence=confidence,
    )


def test_headline_lede_and_body_of_one_attack_are_one_event() -> None:
    headline = _event("ASSAULT", 0, ["e1"], [], confidence=0.7)
    lede = _event(
        "ASSAULT",
        50,
        ["e1"],
        ["e2"],
        date="2024-08-17",
        quantities=[Quantity("killed", 23, "23 civilians")],
    )
    wounding = _event("ASSAULT", 50, ["e1"], [], quantities=[Quantity("wounded", 41, "41 others")])
    [(event, members)] = merge_occurrences([headline, lede, wounding])
    assert members == [0, 1, 2]
    assert event.evidence == lede.evidence  # the fullest report
    assert event.actors == EventActors(["e1"], ["e2"])
    assert event.date == lede.date and event.confidence == 0.7
    assert {(q.kind, q.value) for q in event.quantities} == {("killed", 23), ("wounded", 41)}
    assert event.mentions == [headline.evidence]  # the same sentence is not listed twice


def test_named_disjoint_targets_are_two_occurrences() -> None:
    one = _event("COERCE", 0, ["police"], ["e1"])
    two = _event("COERCE", 30, ["police"], ["e2"])
    assert not same_occurrence(one, two)
    assert len(merge_occurrences([one, two])) == 2


def test_no_shared_actor_contradicting_dates_denial_or_category_keep_events_apart() -> None:
    base = _event("ASSAULT", 0, ["e1"], [], date="2024-08-17")
    assert not same_occurrence(base, _event("ASSAULT", 30, [], []))  # nothing shared
    assert not same_occurrence(base, _event("ASSAULT", 30, ["e1"], [], date="2024-08-19"))
    assert not same_occurrence(base, _event("ASSAULT", 30, ["e1"], [], modality="negated"))
    assert not same_occurrence(base, _event("COERCE", 30, ["e1"], []))
    assert same_occurrence(base, _event("ASSAULT", 30, ["e1"], [], date="2024-08"))


def test_a_target_that_is_only_a_place_does_not_keep_reports_apart() -> None:
    attacked = _event("ASSAULT", 0, ["gunmen"], ["mali"])
    killing = _event("ASSAULT", 0, ["gunmen"], ["civilians"], date="2024-08-17")
    assert not same_occurrence(attacked, killing)
    places = frozenset({"mali"})
    assert same_occurrence(attacked, killing, places)
    [(event, _)] = merge_occurrences([attacked, killing], places)
    assert event.actors.target == ["civilians"]
