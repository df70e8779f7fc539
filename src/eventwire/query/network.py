"""Aggregates over events: the actor network, events over time, the most active actors.

Aggregation runs in SQL over every event a correction does not touch; the few events a
correction changes are read one by one with the correction applied and added back, so the
totals an analyst sees always reflect their corrections.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from eventwire.query.corrections import Overlay
from eventwire.query.edges import EdgeTable, by_count, count_edges, holds
from eventwire.query.events import affected_pks, load_by_pks
from eventwire.query.filters import EventFilter, where_clauses
from eventwire.query.keys import key_expr, key_of, key_parts
from eventwire.store.schema import ActorRow, ArticleRow, EntityRow, EventActorRow, EventRow


def _clauses(session: Session, flt: EventFilter, overlay: Overlay, skip: list[int]) -> list[Any]:
    dialect = session.get_bind().dialect.name
    clauses = where_clauses(flt, dialect=dialect, overlay=overlay)
    if skip:
        clauses.append(EventRow.pk.not_in(skip))
    return clauses


Edge = tuple[str, str, str, int, str, str]


def _edge_rows(session: Session, flt: EventFilter, overlay: Overlay, skip: list[int]) -> list[Edge]:
    """(source key, target key, category, events, source name, target name), untouched events."""
    src, tgt = aliased(EventActorRow), aliased(EventActorRow)
    se, te = aliased(EntityRow), aliased(EntityRow)
    country = flt.country.upper() if flt.country else None
    scoped = EventFilter(**{**flt.params(), "country": None}) if country else flt
    clauses = _clauses(session, scoped, overlay, skip)
    if country:
        clauses.append(
            or_(EventRow.loc_country == country, se.country == country, te.country == country)
        )
    s_id, s_low = key_parts(se)
    t_id, t_low = key_parts(te)
    query = (
        select(
            s_id,
            s_low,
            t_id,
            t_low,
            EventRow.type,
            func.count(),
            func.max(se.name),
            func.max(te.name),
        )
        .select_from(EventRow)
        .join(src, and_(src.event_pk == EventRow.pk, src.side == "source"))
        .join(se, se.pk == src.entity_pk)
        .join(tgt, and_(tgt.event_pk == EventRow.pk, tgt.side == "target"))
        .join(te, te.pk == tgt.entity_pk)
        .where(*clauses)
        .group_by(s_id, s_low, t_id, t_low, EventRow.type)
    )
    return [
        (key_of(a, b), key_of(c, d), kind, n, sn, tn)
        for a, b, c, d, kind, n, sn, tn in session.execute(query)
    ]


def _corrected_edges(
    session: Session, flt: EventFilter, overlay: Overlay, pks: list[int]
) -> list[Edge]:
    edges = []
    for event in load_by_pks(session, pks, flt, overlay):
        for s in event["actors"].get("source", []):
            for t in event["actors"].get("target", []):
                if s["key"] and t["key"]:
                    edges.append((s["key"], t["key"], event["type"], 1, s["name"], t["name"]))
    return edges


@lru_cache(maxsize=1)
def _actor_names_query() -> Any:
    """Built once: every page with actors on it asks it."""
    ids = bindparam("ids", expanding=True)
    return select(ActorRow.id, ActorRow.name).where(ActorRow.id.in_(ids))


def display_names(
    session: Session,
    keys: set[str],
    overlay: Overlay,
    known: dict[str, str] | None = None,
    actors: Mapping[int, str] | None = None,
) -> dict[str, str]:
    """A name to show for each actor key.

    ``known``: names already at hand for ``n:`` keys; ``actors``: resolved actors' names by id
    when at hand (an up-to-date edge table's, :attr:`.edges.EdgeTable.actor_names`), so only
    the others are read from the store.
    """
    names = {k: v for k, v in (known or {}).items() if k in keys and k.startswith("n:")}
    names.update({k: overlay.names[k] for k in keys if k in overlay.names})
    ids = [int(k[1:]) for k in keys if k.startswith("a") and k[1:].isdigit()]
    if actors is not None:
        names.update({f"a{i}": actors[i] for i in ids if i in actors})
        ids = [i for i in ids if i not in actors]
    if ids:
        rows = session.connection().execute(_actor_names_query(), {"ids": ids}).all()
        names.update({f"a{i}": n for i, n in rows})
    lowered = [k[2:] for k in keys if k.startswith("n:") and k not in names]
    if lowered:
        query = (
            select(func.lower(EntityRow.name), func.max(EntityRow.name))
            .where(EntityRow.actor_id.is_(None), func.lower(EntityRow.name).in_(lowered))
            .group_by(func.lower(EntityRow.name))
        )
        names.update({f"n:{low}": name for low, name in session.execute(query)})
    return {k: names.get(k, k.split(":", 1)[-1]) for k in keys}


def network(
    session: Session,
    flt: EventFilter,
    overlay: Overlay,
    *,
    max_edges: int = 150,
    table: EdgeTable | None = None,
) -> dict[str, Any]:
    """Actors as nodes and events as weighted, directed edges (source -> target).

    The ``max_edges`` heaviest pairs are kept (ties in key order); each edge's categories are
    listed by count, ties by name.

    With an up-to-date ``table`` (see :mod:`.edges`) and filters it holds, untouched events
    are counted in memory; otherwise in SQL. Both give the same graph.
    """
    skip = affected_pks(session, overlay)
    corrected = _corrected_edges(session, flt, overlay, skip)
    if table is not None and holds(flt):
        extra = [(s, t, kind, sn, tn) for s, t, kind, _n, sn, tn in corrected]
        counted, total, known = count_edges(
            table, table.select(flt, skip, overlay), extra, overlay, max_edges
        )
        top = [((s, t), w) for s, t, w, _kinds in counted]
        kinds = {(s, t): k for s, t, _w, k in counted}
        return _graph(session, top, kinds, known, overlay, total, table.actor_names)
    weights, kinds, known = _aggregate(_edge_rows(session, flt, overlay, skip) + corrected, overlay)
    top = heapq.nsmallest(max_edges, weights.items(), key=lambda item: (-item[1], item[0]))
    sorted_kinds = {pair: by_count(kinds[pair]) for pair, _ in top}
    return _graph(session, top, sorted_kinds, known, overlay, len(weights))


def _graph(
    session: Session,
    top: list[tuple[tuple[str, str], int]],
    kinds: dict[tuple[str, str], dict[str, int]],
    known: dict[str, str],
    overlay: Overlay,
    total: int,
    actors: Mapping[int, str] | None = None,
) -> dict[str, Any]:
    """Nodes (with their weighted degree) and edges of the heaviest pairs, names resolved."""
    keys = {k for pair, _ in top for k in pair}
    names = display_names(session, keys, overlay, known, actors)
    degree: Counter[str] = Counter()
    for (s, t), w in top:
        degree[s] += w
        degree[t] += w
    nodes = [{"key": k, "name": names[k], "weight": degree[k]} for k in sorted(keys)]
    edges = [{"source": s, "target": t, "weight": w, "types": kinds[s, t]} for (s, t), w in top]
    return {"nodes": nodes, "edges": edges, "total_edges": total}


def _aggregate(
    rows: list[Edge], overlay: Overlay
) -> tuple[Counter[tuple[str, str]], dict[tuple[str, str], dict[str, int]], dict[str, str]]:
    """Edge weights, per-category counts and names, with merges applied (self-loops dropped)."""
    weights: Counter[tuple[str, str]] = Counter()
    kinds: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    known: dict[str, str] = {}
    remap = overlay.actor if overlay.merges else None
    for s, t, kind, n, s_name, t_name in rows:
        known.setdefault(s, s_name)
        known.setdefault(t, t_name)
        pair = (remap(s), remap(t)) if remap else (s, t)
        if pair[0] != pair[1]:
            weights[pair] += n
            counts = kinds[pair]
            counts[kind] = counts.get(kind, 0) + n
    return weights, kinds, known


def edge_events(
    session: Session,
    source: str,
    target: str,
    flt: EventFilter,
    overlay: Overlay,
    *,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The events behind one edge (source acted on target), with their evidence sentences."""
    from eventwire.query.events import list_events

    scoped = EventFilter(**{**flt.params(), "actor": source})
    events, _total = list_events(session, scoped, overlay, limit=2000)
    found = [
        e
        for e in events
        if any(a["key"] == source for a in e["actors"].get("source", []))
        and any(a["key"] == target for a in e["actors"].get("target", []))
    ]
    return found[:limit]


def _month(column: Any) -> Any:
    """YYYY-MM of an ISO date column (positions inlined, so GROUP BY matches on PostgreSQL)."""
    return func.substr(column, literal_column("1"), literal_column("7"))


def events_over_time(
    session: Session, flt: EventFilter, overlay: Overlay
) -> list[tuple[str, str, int]]:
    """(YYYY-MM, category, events) by the event's date, or its article's date when undated.

    Dated events are counted from the events table alone: its (type, date) index covers the
    query, and the test on the date is written so that SQLite scans that index rather than
    looking each row up through the date index. Only undated events are joined to articles.
    """
    skip = affected_pks(session, overlay)
    clauses = _clauses(session, flt, overlay, skip)
    dated = (
        select(_month(EventRow.date_value), EventRow.type, func.count())
        .where(*clauses, func.coalesce(EventRow.date_value, "") != "")
        .group_by(_month(EventRow.date_value), EventRow.type)
    )
    undated = (
        select(_month(ArticleRow.published), EventRow.type, func.count())
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(*clauses, EventRow.date_value.is_(None), ArticleRow.published.is_not(None))
        .group_by(_month(ArticleRow.published), EventRow.type)
    )
    counts: Counter[tuple[str, str]] = Counter()
    for query in (dated, undated):
        for month, kind, n in session.execute(query):
            counts[month, kind] += n
    for event in load_by_pks(session, skip, flt, overlay):
        value = (event["date"] or {}).get("value") or event["article"]["published"]
        if value:
            counts[value[:7], event["type"]] += 1
    return sorted((m, t, n) for (m, t), n in counts.items())


def top_actors(session: Session, overlay: Overlay, *, limit: int = 10) -> list[dict[str, Any]]:
    """The actors that take part in most events, as source or target."""
    key = key_expr()
    query = (
        select(key, func.count(), func.max(EntityRow.name))
        .select_from(EventActorRow)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .group_by(key)
        .order_by(func.count().desc())
        .limit(limit * 3)
    )
    counts: Counter[str] = Counter()
    known: dict[str, str] = {}
    for k, n, name in session.execute(query):
        counts[overlay.actor(k)] += n
        known.setdefault(k, name)
    top = counts.most_common(limit)
    names = display_names(session, {k for k, _ in top}, overlay, known)
    return [{"key": k, "name": names[k], "events": n} for k, n in top]
