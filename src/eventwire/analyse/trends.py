"""Trends: event counts per PLOVER category and conflict-cooperation intensity, per period.

Intensity uses the scale in ``data/plover_weights.yaml`` (:mod:`eventwire.analyse.scale`): each
event weighs from -10 (most conflictual) to +10 (most cooperative); a period's ``intensity`` is
the sum of its events' weights and ``mean_intensity`` their mean (None for an empty period).
Quad counts (verbal/material cooperation/conflict) come from the same file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from eventwire.analyse import queries
from eventwire.analyse.scale import QUADS, Scale, load_scale
from eventwire.analyse.series import bucket
from eventwire.record import EVENT_TYPES
from eventwire.store.db import Store


@dataclass(frozen=True, slots=True)
class TrendTable:
    """Rows (one per period) and the column order to show them in."""

    columns: list[str]
    rows: list[dict[str, Any]]
    title: str


def intensity(facts: Sequence[dict[str, Any]], scale: Scale) -> tuple[float, float | None]:
    """(sum, mean) of the events' weights; the mean is None when there are no events."""
    weights = [scale.weight(fact["type"]) for fact in facts]
    total = round(sum(weights), 2)
    return total, (round(total / len(weights), 2) if weights else None)


def _quad_counts(facts: Sequence[dict[str, Any]], scale: Scale) -> dict[str, int]:
    counts = Counter(scale.quad(fact["type"]) for fact in facts)
    return {quad: counts.get(quad, 0) for quad in QUADS}


def category_rows(facts: Sequence[dict[str, Any]], by: str, scale: Scale) -> list[dict[str, Any]]:
    """One row per period: ``period``, ``events``, counts per PLOVER category and per quad
    class, and the intensity (sum and mean)."""
    rows = []
    for period, group in bucket(facts, by).items():
        counts = Counter(fact["type"] for fact in group)
        total, mean = intensity(group, scale)
        rows.append({
            "period": period.isoformat(),
            "events": len(group),
            **{cat: counts.get(cat, 0) for cat in EVENT_TYPES},
            **_quad_counts(group, scale),
            "intensity": total,
            "mean_intensity": mean,
        })  # fmt: skip
    return rows


def dyad_rows(
    facts: Sequence[dict[str, Any]], a: str, b: str, by: str, scale: Scale
) -> list[dict[str, Any]]:
    """The rows :func:`dyad_series` returns, from facts already restricted to the dyad."""
    rows = []
    for period, group in bucket(facts, by).items():
        total, mean = intensity(group, scale)
        rows.append({
            "period": period.isoformat(),
            "events": len(group),
            "a_to_b": sum(queries.directed(f, a, b) for f in group),
            "b_to_a": sum(queries.directed(f, b, a) for f in group),
            "intensity": total,
            "mean_intensity": mean,
            **_quad_counts(group, scale),
            "categories": dict(sorted(Counter(f["type"] for f in group).items())),
            "event_ids": [f["event_id"] for f in group],
        })  # fmt: skip
    return rows


def dyad_series(
    db_url_or_session: str | Session | Store | None,
    a: str,
    b: str,
    by: str = "week",
    *,
    since: str | None = None,
    scale: Scale | None = None,
) -> list[dict[str, Any]]:
    """The conflict-cooperation series between actors ``a`` and ``b`` (either direction).

    Returns one dict per period, from the first to the last period with an event, empty
    periods included::

        {"period": "2024-03-04",          # first day of the day/week/month
         "events": 3,                     # events with a on one side and b on the other
         "a_to_b": 2, "b_to_a": 1,        # by direction (an event can count in both)
         "intensity": -18.4,              # sum of weights, -10 conflict .. +10 cooperation
         "mean_intensity": -6.13,         # mean weight, None when events == 0
         "verbal_cooperation": 0, "material_cooperation": 0,
         "verbal_conflict": 1, "material_conflict": 2,
         "categories": {"ASSAULT": 2, "THREATEN": 1},
         "event_ids": [12, 15, 40]}       # store event keys, for links to evidence

    Actors match by entity name, corpus actor name or knowledge-base id, in any case. Only
    events that happened (asserted or reported) count.
    """
    scale = scale or load_scale()
    with queries.session_scope(db_url_or_session) as session:
        facts = queries.event_facts(session, actors=(a, b), since=since)
    return dyad_rows([f for f in facts if queries.between(f, a, b)], a, b, by, scale)


def trends(
    db: str | Session | Store | None,
    *,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    country: str | None = None,
    by: str = "week",
    scale: Scale | None = None,
) -> TrendTable:
    """What ``eventwire trends`` shows: the dyad series, or category counts per period."""
    scale = scale or load_scale()
    if dyad is not None:
        rows = [_flat(row) for row in dyad_series(db, *dyad, by=by, scale=scale)]
        columns = ["period", "events", "a_to_b", "b_to_a", *QUADS, "intensity", "mean_intensity"]
        return TrendTable(columns, rows, f"{dyad[0]} - {dyad[1]} by {by}")
    with queries.session_scope(db) as session:
        facts = queries.event_facts(session, actors=(actor,) if actor else (), country=country,
                                    with_actors=False)  # fmt: skip
    rows = category_rows(facts, by, scale)
    used = [cat for cat in EVENT_TYPES if any(row[cat] for row in rows)]
    columns = ["period", "events", *used, "intensity", "mean_intensity"]
    return TrendTable(columns, rows, _title(actor, country, by))


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("categories", "event_ids")}


def _title(actor: str | None, country: str | None, by: str) -> str:
    scope = " / ".join(x for x in (actor, country) if x) or "all events"
    return f"{scope} by {by}"


def period_dates(rows: Sequence[dict[str, Any]]) -> list[date]:
    return [date.fromisoformat(row["period"]) for row in rows]
