"""Time-series reads for the desk's charts: events per day and category, and the dense window.

Charts need a real time axis: counts per *day* (the desk bins them into weeks or months), so
gaps stay gaps instead of being squeezed out as they are in a list of months that hold events.
An event counts on its own date when the text gives a day, else on its article's publication
date (the rule of ``eventwire trends``, :mod:`eventwire.analyse.queries`, so that the trends
chart and the command agree; a month-only date drawn on the 1st would invent a day). Dates the
read layer flags as implausible (:func:`eventwire.query.filters.sane_date`) are left out unless
the caller's filter says otherwise.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any, Literal

from sqlalchemy import and_, case, func, literal_column, not_, or_, select
from sqlalchemy.orm import Session

from eventwire.query.corrections import Overlay
from eventwire.query.events import affected_pks, load_by_pks
from eventwire.query.filters import EventFilter, where_clauses
from eventwire.store.schema import ArticleRow, EntityRow, EventActorRow, EventRow

#: Modalities of events that happened (as in :mod:`eventwire.analyse.queries`): the trends
#: chart leaves out negated, hypothetical and future events, like ``eventwire trends``.
HAPPENED = ("asserted", "reported")
#: How many months the default window spans, ending with the latest month that holds events.
DENSE_MONTHS = 12


def _day(column: Any) -> Any:
    """The first ten characters of an ISO date column: its day (or a shorter partial date)."""
    return func.substr(column, literal_column("1"), literal_column("10"))


def as_day(value: str) -> str | None:
    """An ISO day for a full or partial ISO date (a month or year counts on its first day)."""
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day).isoformat()
    except (ValueError, IndexError):
        return None


def effective_date() -> Any:
    """SQL: the date an event counts on: its own when the text gives a day, else its article's
    publication date (the charts' rule; needs ``ArticleRow`` joined)."""
    own_day = and_(func.coalesce(EventRow.date_value, "") != "", EventRow.date_granularity == "day")
    return case((own_day, EventRow.date_value), else_=ArticleRow.published)


def in_window(since: str | None, until: str | None) -> list[Any]:
    """SQL conditions: the event's effective date lies in the window (undated events count on
    their article's date, so a window does not drop them)."""
    clauses = []
    if since:
        clauses.append(effective_date() >= since)
    if until:
        clauses.append(effective_date() <= until + "\uffff")
    return clauses


def charted(flt: EventFilter) -> EventFilter:
    """The filter a chart reads: suspect dates left out unless the caller chose otherwise."""
    return flt if flt.sane_dates is not None else replace(flt, sane_dates=True)


Role = Literal["source", "target"]


def role_clause(key: str, role: Role, overlay: Overlay) -> Any:
    """Events in which actor ``key`` (after merges and splits) takes part as ``role``."""
    from eventwire.query.queries import entity_clause

    entities = select(EntityRow.pk).where(entity_clause(key, overlay))
    sides = select(EventActorRow.event_pk).where(
        EventActorRow.side == role, EventActorRow.entity_pk.in_(entities)
    )
    return EventRow.pk.in_(sides)


def daily_counts(
    session: Session,
    flt: EventFilter,
    overlay: Overlay,
    role: Role | None = None,
    *,
    happened: bool = False,
    dyad: str | None = None,
) -> list[tuple[str, str, int]]:
    """(YYYY-MM-DD, category, events), sorted; corrected events counted as corrected.

    With ``role`` (and an actor in ``flt``), only events in which that actor is the source
    (or the target): the actor page's timeline. ``happened`` keeps the HAPPENED modalities.
    ``dyad`` (another actor key, with an actor in ``flt``): events between the two, either way.
    """
    flt = charted(flt)
    skip = affected_pks(session, overlay)
    clauses = where_clauses(flt, dialect=session.get_bind().dialect.name, overlay=overlay)
    if skip:
        clauses.append(EventRow.pk.not_in(skip))
    if role and flt.actor:
        clauses.append(role_clause(flt.actor, role, overlay))
    if happened:
        clauses.append(EventRow.modality.in_(HAPPENED))
    if dyad and flt.actor:
        one, other = flt.actor, dyad
        clauses.append(
            or_(
                and_(role_clause(one, "source", overlay), role_clause(other, "target", overlay)),
                and_(role_clause(other, "source", overlay), role_clause(one, "target", overlay)),
            )
        )
    has_day = and_(func.coalesce(EventRow.date_value, "") != "", EventRow.date_granularity == "day")
    dated = (
        select(_day(EventRow.date_value), EventRow.type, func.count())
        .where(*clauses, has_day)
        .group_by(_day(EventRow.date_value), EventRow.type)
    )
    undated = (
        select(_day(ArticleRow.published), EventRow.type, func.count())
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(*clauses, not_(has_day), ArticleRow.published.is_not(None))
        .group_by(_day(ArticleRow.published), EventRow.type)
    )
    counts: Counter[tuple[str, str]] = Counter()
    for query in (dated, undated):
        for value, kind, n in session.execute(query):
            if value and (day := as_day(value)):
                counts[day, kind] += n
    for event in load_by_pks(session, skip, flt, overlay):
        if role and flt.actor not in {a["key"] for a in event["actors"].get(role, [])}:
            continue
        if happened and event.get("modality") not in HAPPENED:
            continue
        if dyad and flt.actor and not _between(event, flt.actor, dyad):
            continue
        own = event["date"] or {}
        value = (own.get("granularity") == "day" and own.get("value")) or event["article"][
            "published"
        ]
        if value and (day := as_day(value)):
            counts[day, event["type"]] += 1
    return sorted((d, t, n) for (d, t), n in counts.items())


def _between(event: dict[str, Any], one: str, other: str) -> bool:
    """Whether a (corrected) event goes from one of the two actors to the other."""
    sides = {
        side: {a["key"] for a in event["actors"].get(side, [])} for side in ("source", "target")
    }
    return (one in sides["source"] and other in sides["target"]) or (
        other in sides["source"] and one in sides["target"]
    )


def dense_window(days: list[str], months: int = DENSE_MONTHS) -> tuple[str, str] | None:
    """(first day, last day) of the ``months`` calendar months ending with the latest event.

    A store that spans decades (archives, a misread year) would otherwise draw its recent
    months as a sliver at the right edge; None when there are no dated events.
    """
    if not days:
        return None
    last = date.fromisoformat(max(days))
    index = last.year * 12 + last.month - 1 - (months - 1)
    first = date(index // 12, index % 12 + 1, 1)
    return first.isoformat(), last.isoformat()
