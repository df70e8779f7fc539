"""Events as the desk shows them: rows joined to their actors and article, corrections applied.

Queries here are read-only and written against the store's SQLAlchemy models; the JSON shape
is the record format's event plus corpus fields (``pk``, ``key``, the article, actor keys) and
``corrections`` (the analyst notes that changed it, empty when none did).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, tuple_
from sqlalchemy.orm import Session

from eventwire.query.corrections import Overlay, event_key
from eventwire.query.filters import (
    EventFilter,
    TextPlan,
    filtered_events,
    matches_after_correction,
)
from eventwire.query.keys import key_expr
from eventwire.store import fts as fts_index
from eventwire.store.schema import ActorRow, ArticleRow, EntityRow, EventActorRow, EventRow


@lru_cache(maxsize=1)
def _actors_query() -> Any:
    """Built once: every list of events asks it, and building it cost more than running it."""
    return (
        select(
            EventActorRow.event_pk,
            EventActorRow.side,
            EventActorRow.local_id,
            key_expr(),
            func.coalesce(ActorRow.name, EntityRow.name),
        )
        .outerjoin(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .outerjoin(ActorRow, ActorRow.id == EntityRow.actor_id)
        .where(EventActorRow.event_pk.in_(bindparam("pks", expanding=True)))
        .order_by(EventActorRow.event_pk, EventActorRow.side, EventActorRow.position)
    )


def _actors_of(session: Session, pks: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """Each event's actors: side, record-local id, actor key and display name."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = session.connection().execute(_actors_query(), {"pks": list(pks)}).all()
    for pk, side, local, key, name in rows:
        found[pk].append({"side": side, "local": local, "key": key, "name": name or local})
    return found


def _names_of(session: Session, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """Entities by (article id, local id): their key and name (for ``attributed_to``)."""
    if not pairs:
        return {}
    query = select(EntityRow.article_id, EntityRow.local_id, key_expr(), EntityRow.name).where(
        tuple_(EntityRow.article_id, EntityRow.local_id).in_(list(pairs))
    )
    return {(a, loc): {"key": k, "name": n} for a, loc, k, n in session.execute(query)}


def _base(row: dict[str, Any]) -> dict[str, Any]:
    """An event row of :func:`filtered_events` (as a dict of its columns) as the desk's event."""
    date = None
    if row["date_value"]:
        date = {
            "value": row["date_value"],
            "granularity": row["date_granularity"],
            "text": row["date_text"],
            "basis": row["date_basis"],
        }
    location = None
    if row["loc_name"] or row["loc_lat"] is not None:
        location = {
            "name": row["loc_name"],
            "country": row["loc_country"],
            "lat": row["loc_lat"],
            "lon": row["loc_lon"],
        }
    trigger = (row["trigger_start"], row["trigger_end"])
    return {
        "pk": row["pk"],
        "id": row["local_id"],
        "key": event_key(row["article_id"], *trigger, row["evidence_start"]),
        "article": {
            "id": row["article_id"],
            "title": row["title"],
            "published": row["published"],
            "source": row["source"],
            "url": row["url"],
        },
        "type": row["type"],
        "mode": row["mode"],
        "context": row["context"],
        "cameo": row["cameo"],
        "trigger": {"start": trigger[0], "end": trigger[1], "text": row["trigger_text"]},
        "evidence": {
            "start": row["evidence_start"],
            "end": row["evidence_end"],
            "text": row["evidence_text"],
        },
        "date": date,
        "location": location,
        "modality": row["modality"],
        "quantities": row["quantities"],
        "confidence": row["confidence"],
        "story_id": row["story_id"],
    }


def _with_actors(
    event: dict[str, Any], actors: list[dict[str, Any]], overlay: Overlay
) -> dict[str, Any]:
    aid = event["article"]["id"]
    sides: dict[str, list[dict[str, Any]]] = {"source": [], "target": []}
    for actor in actors:
        key = overlay.actor(actor["key"], aid) if actor["key"] else None
        name = overlay.names.get(key, actor["name"]) if key else actor["name"]
        sides.setdefault(actor["side"], []).append(
            {"key": key, "name": name, "local": actor["local"]}
        )
    event["actors"] = sides
    return event


def _corrected(event: dict[str, Any], overlay: Overlay) -> dict[str, Any]:
    change = overlay.events.get(event["key"])
    event["corrections"] = overlay.event_notes.get(event["key"], [])
    if not change:
        return event
    if "type" in change:
        event["original_type"] = event["type"]
        event["type"] = change["type"]
    if "date" in change:
        event["date"] = {
            "value": change["date"],
            "granularity": "day",
            "text": None,
            "basis": "corrected",
        }
    for side in ("source", "target"):
        if side in change:
            event["actors"][side] = [
                {"key": a["key"], "name": a["name"], "local": None} for a in change[side]
            ]
    return event


def serialize(session: Session, rows: Sequence[Any], overlay: Overlay) -> list[dict[str, Any]]:
    """Event dicts for result rows of :func:`filtered_events`, corrections applied.

    Each row is read once into a dict of its columns: reading a SQLAlchemy row's columns as
    attributes cost three quarters of building the events.
    """
    if not rows:
        return []
    fields = rows[0]._fields
    plain = [dict(zip(fields, row, strict=True)) for row in rows]
    actors = _actors_of(session, [r["pk"] for r in plain])
    pairs = {(r["article_id"], r["attributed_to"]) for r in plain if r["attributed_to"]}
    names = _names_of(session, pairs)
    out = []
    for row in plain:
        event = _with_actors(_base(row), actors.get(row["pk"], []), overlay)
        claimant = row["attributed_to"]
        event["attributed_to"] = names.get((row["article_id"], claimant)) if claimant else None
        out.append(_corrected(event, overlay))
    return out


ORDER = (EventRow.date_value.desc().nulls_last(), EventRow.pk.desc())


def list_events(
    session: Session, flt: EventFilter, overlay: Overlay, *, limit: int, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """One page of filtered events (newest first) and the total number that match.

    Events a correction changes are matched on their corrected values: they are left out of
    the SQL query and checked one by one, then merged into the page in order.
    """
    dialect = session.get_bind().dialect.name
    matches, plan = _text_plan(session, flt, dialect, wanted=offset + limit)
    if matches == 0:
        return [], 0  # no event's sentence has the words, corrected or not
    query = filtered_events(flt, dialect=dialect, overlay=overlay)
    listing = (
        filtered_events(flt, dialect=dialect, overlay=overlay, text_plan=plan)
        if plan != "collect"
        else query
    )
    connection = session.connection()  # Core statements: the ORM session only added cost
    skip = affected_pks(session, overlay)
    if skip:
        query = query.where(EventRow.pk.not_in(skip))
        listing = listing.where(EventRow.pk.not_in(skip))
    if matches is not None and not skip and set(flt.params()) == {"q"}:
        total = matches  # every indexed sentence is one stored event
    else:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if not skip:
        rows = connection.execute(listing.order_by(*ORDER).limit(limit).offset(offset)).all()
        return serialize(session, rows, overlay), total
    extra = load_by_pks(session, skip, flt, overlay)
    rows = connection.execute(listing.order_by(*ORDER).limit(offset + limit)).all()
    merged = sorted(serialize(session, rows, overlay) + extra, key=_newest_first)
    return merged[offset : offset + limit], total + len(extra)


#: Relative cost (microseconds on the 100k-article benchmark store) of each way to page a text
#: query's events newest first (see :func:`eventwire.query.filters.where_clauses`): per
#: matching event to collect and sort it; per matching event to build the probe set; per event
#: walked when probing; per event walked when testing each against the index.
COLLECT_PER_MATCH = 2.0
PROBE_PER_MATCH = 0.15
PROBE_PER_WALKED = 0.1
TEST_PER_WALKED = 7.5


def _text_plan(
    session: Session, flt: EventFilter, dialect: str, *, wanted: int
) -> tuple[int | None, TextPlan]:
    """(matching events or None when not known, the cheapest plan) for ``flt.q``.

    A walk in date order stops once ``wanted`` events matched; if matches are spread evenly,
    it passes ``wanted / share`` events (other filters can only make that more).
    """
    if not flt.q or dialect != "sqlite":
        return None, "collect"
    query = fts_index.query_of(flt.q)
    if query is None:
        return 0, "collect"
    matches, share = fts_index.density(session, "event", query)
    if matches == 0:
        return 0, "collect"
    walked = wanted / share
    costs: dict[TextPlan, float] = {
        "collect": matches * COLLECT_PER_MATCH,
        "probe": matches * PROBE_PER_MATCH + walked * PROBE_PER_WALKED,
        "test": walked * TEST_PER_WALKED,
    }
    return matches, min(costs, key=costs.__getitem__)


def _newest_first(event: dict[str, Any]) -> tuple[int, str, int]:
    value = (event.get("date") or {}).get("value")
    return (value is None, _inverted(value or ""), -event["pk"])


def _inverted(value: str) -> str:
    """A string that sorts in the reverse order of ``value`` (for descending ISO dates)."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in value) + chr(0x10FFFF)


def article_events(session: Session, article_id: str, overlay: Overlay) -> list[dict[str, Any]]:
    """Every event of one article in text order, corrections applied (no count, no paging)."""
    rows = session.connection().execute(_article_query(), {"article": article_id}).all()
    return serialize(session, rows, overlay)


@lru_cache(maxsize=1)
def _article_query() -> Any:
    """Built once (the filter on one article does not depend on corrections)."""
    query = filtered_events(EventFilter(), dialect="any", overlay=Overlay())
    query = query.where(EventRow.article_id == bindparam("article"))
    return query.order_by(EventRow.trigger_start, EventRow.pk)


@lru_cache(maxsize=1)
def _by_pks_query() -> Any:
    query = filtered_events(EventFilter(), dialect="any", overlay=Overlay())
    return query.where(EventRow.pk.in_(bindparam("pks", expanding=True)))


def events_by_pks(session: Session, pks: Sequence[int], overlay: Overlay) -> list[dict[str, Any]]:
    """These events in the order given, corrections applied (an actor page's latest events)."""
    rows = session.connection().execute(_by_pks_query(), {"pks": list(pks)}).all()
    place = {pk: i for i, pk in enumerate(pks)}
    return sorted(serialize(session, rows, overlay), key=lambda e: place[e["pk"]])


def get_event(session: Session, pk: int, overlay: Overlay) -> dict[str, Any] | None:
    dialect = session.get_bind().dialect.name
    query = filtered_events(EventFilter(), dialect=dialect, overlay=overlay)
    rows = session.execute(query.where(EventRow.pk == pk)).all()
    return serialize(session, rows, overlay)[0] if rows else None


def _key_clause(key: str) -> Any:
    article_id, trigger, evidence_start = key.rsplit(":", 2)
    start, end = trigger.split("-")
    return and_(
        EventRow.article_id == article_id,
        EventRow.trigger_start == int(start),
        EventRow.trigger_end == int(end),
        EventRow.evidence_start == int(evidence_start),
    )


def affected_pks(session: Session, overlay: Overlay) -> list[int]:
    """Events whose reading a correction changes: corrected events and events in split articles."""
    clauses = [_key_clause(k) for k in overlay.events if _well_formed(k)]
    split_articles = {article for (_key, article) in overlay.splits}
    if split_articles:
        clauses.append(EventRow.article_id.in_(split_articles))
    if not clauses:
        return []
    return list(session.scalars(select(EventRow.pk).where(or_(*clauses))))


def _well_formed(key: str) -> bool:
    parts = key.rsplit(":", 2)
    return (
        len(parts) == 3
        and parts[2].isdigit()
        and len(parts[1].split("-")) == 2
        and all(p.isdigit() for p in parts[1].split("-"))
    )


def event_by_key(session: Session, key: str, overlay: Overlay) -> dict[str, Any] | None:
    """The event with this stable key, or None (also for a malformed key)."""
    if not _well_formed(key):
        return None
    pk = session.scalar(select(EventRow.pk).where(_key_clause(key)).limit(1))
    return get_event(session, pk, overlay) if pk is not None else None


def load_by_pks(
    session: Session, pks: Sequence[int], flt: EventFilter, overlay: Overlay
) -> list[dict[str, Any]]:
    """These events, if they pass the SQL-side filters and, once corrected, the rest."""
    if not pks:
        return []
    loose = EventFilter(
        country=flt.country,
        actor=None,
        q=flt.q,
        modality=flt.modality,
        article=flt.article,
        story=flt.story,
    )
    dialect = session.get_bind().dialect.name
    query = filtered_events(loose, dialect=dialect, overlay=overlay).where(EventRow.pk.in_(pks))
    events = serialize(session, session.execute(query).all(), overlay)
    return [e for e in events if matches_after_correction(e, flt)]


def article_titles(session: Session, ids: Sequence[str]) -> dict[str, str | None]:
    query = select(ArticleRow.id, ArticleRow.title).where(ArticleRow.id.in_(list(ids)))
    return dict(session.execute(query).tuples().all())
