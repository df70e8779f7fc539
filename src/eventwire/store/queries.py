"""Read-only queries over a store, returning plain dicts: the core of the CLI tables, the
exports, and the HTTP API.

Every list query takes ``limit``/``offset`` and returns a :class:`Page` (``items`` plus the
``total`` count matching the filters), so a web layer can paginate without its own SQL. Dates
are ISO strings compared as text (``since``/``until`` are inclusive ISO dates). An event's date
is its own date when the text gives one, else its article's publication date.

Full-text ``search`` uses the FTS5 table on SQLite and ``to_tsvector`` @@ ``plainto_tsquery``
(English configuration, GIN-indexed) on PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, false, func, select
from sqlalchemy.orm import Session, aliased

from eventwire.store import MAX_ROW_ID
from eventwire.store import fts as fts_index
from eventwire.store.db import Store
from eventwire.store.schema import (
    ActorRow,
    ArticleRow,
    EntityRow,
    EventActorRow,
    EventRow,
    QuoteRow,
    RoleRow,
    StoryRow,
)


@dataclass(slots=True)
class Page:
    """One page of results and the total number matching."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Filters of :func:`events`; every field is optional and they combine with AND."""

    actor: str | None = None  # corpus actor id or (part of) a name
    type: str | None = None  # PLOVER category
    since: str | None = None
    until: str | None = None
    country: str | None = None  # ISO alpha-3 of the event's location
    search: str | None = None  # words in the evidence sentence
    story: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _event_date() -> Any:
    return func.coalesce(EventRow.date_value, ArticleRow.published)


def _page(session: Session, query: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return list(session.execute(query.limit(limit).offset(offset))), total


def actor_ids(session: Session, actor: str) -> list[int]:
    """Actors named by id, exact name (case-insensitive), or else a name part."""
    if actor.isdigit():  # an id; one past a 64-bit row id names no actor (never an overflow)
        return [int(actor)] if int(actor) <= MAX_ROW_ID else []
    exact = list(
        session.scalars(select(ActorRow.id).where(func.lower(ActorRow.name) == actor.lower()))
    )
    if exact:
        return exact
    return list(session.scalars(select(ActorRow.id).where(ActorRow.name.ilike(f"%{actor}%"))))


def actors(store: Store, *, search: str | None = None, type: str | None = None,
           limit: int = 50, offset: int = 0) -> Page:  # fmt: skip
    """Corpus actors, most-mentioned first."""
    query = select(ActorRow).order_by(ActorRow.article_count.desc(), ActorRow.name)
    if search:
        query = query.where(ActorRow.name.ilike(f"%{search}%"))
    if type:
        query = query.where(ActorRow.type == type)
    with store.session() as session:
        rows, total = _page(session, query, limit, offset)
    return Page([_actor_dict(r[0]) for r in rows], total, limit, offset)


def _actor_dict(row: ActorRow) -> dict[str, Any]:
    return {
        "id": row.id, "name": row.name, "type": row.type, "country": row.country,
        "kb_id": row.kb_id, "aliases": row.aliases, "first_seen": row.first_seen,
        "last_seen": row.last_seen, "articles": row.article_count, "mentions": row.mention_count,
    }  # fmt: skip


def find_actor(store: Store, name: str) -> dict[str, Any] | None:
    """The best-known actor matching ``name`` (id, exact name, or name part), or None."""
    with store.session() as session:
        ids = actor_ids(session, name)
        if not ids:
            return None
        row = session.scalars(
            select(ActorRow).where(ActorRow.id.in_(ids)).order_by(ActorRow.article_count.desc())
        ).first()
        return _actor_dict(row) if row else None


def actor_profile(store: Store, actor_id: int, *, limit: int = 50) -> dict[str, Any]:
    """Roles over time, events as source and target, quotes and co-actors of one actor."""
    with store.session() as session:
        row = session.get(ActorRow, actor_id)
        if row is None:
            return {}
        return {
            "actor": _actor_dict(row),
            "roles": _roles(session, actor_id),
            "as_source": timeline(session, actor_id, side="source", limit=limit),
            "as_target": timeline(session, actor_id, side="target", limit=limit),
            "quotes": _quotes(session, actor_id, limit),
            "co_actors": _co_actors(session, actor_id, limit),
        }


def _roles(session: Session, actor_id: int) -> list[dict[str, Any]]:
    """Each title (and what it is of) with the first and last article date that gives it."""
    of_entity = aliased(EntityRow)
    query = (
        select(RoleRow.title, of_entity.name, ArticleRow.published, RoleRow.ev_text, ArticleRow.id)
        .join(EntityRow, EntityRow.pk == RoleRow.entity_pk)
        .join(ArticleRow, ArticleRow.id == RoleRow.article_id)
        .outerjoin(of_entity, and_(of_entity.article_id == RoleRow.article_id, of_entity.local_id == RoleRow.of_local))
        .where(EntityRow.actor_id == actor_id)
    )  # fmt: skip
    roles: dict[tuple[str, str | None], dict[str, Any]] = {}
    for title, of, published, evidence, article_id in session.execute(query):
        role = roles.setdefault((title.lower(), of), {
            "title": title, "of": of, "first_seen": published, "last_seen": published,
            "articles": 0, "evidence": evidence, "article_id": article_id,
        })  # fmt: skip
        role["articles"] += 1
        if published and (role["first_seen"] is None or published < role["first_seen"]):
            role["first_seen"] = published
        if published and (role["last_seen"] is None or published > role["last_seen"]):
            role["last_seen"] = published
    return sorted(roles.values(), key=lambda r: (r["first_seen"] or "", r["title"]))


def timeline(session: Session, actor_id: int, *, side: str | None = None,
             limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:  # fmt: skip
    """Events of one actor (as ``source``, ``target`` or either), newest first."""
    query = (
        select(
            EventRow, ArticleRow.published, ArticleRow.source, ArticleRow.url, EventActorRow.side
        )
        .join(EventActorRow, EventActorRow.event_pk == EventRow.pk)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(EntityRow.actor_id == actor_id)
        .order_by(_event_date().desc(), EventRow.pk)
        .limit(limit)
        .offset(offset)
    )
    if side:
        query = query.where(EventActorRow.side == side)
    rows = list(session.execute(query))
    return _with_actors(session, [_event_dict(*r[:4]) | {"side": r[4]} for r in rows])


def _event_dict(
    event: EventRow, published: str | None, source: str | None, url: str | None
) -> dict[str, Any]:
    return {
        "id": event.pk, "article_id": event.article_id, "type": event.type, "mode": event.mode,
        "cameo": event.cameo, "context": event.context, "date": event.date_value or published,
        "date_granularity": event.date_granularity if event.date_value else "publication",
        "place": event.loc_name, "country": event.loc_country, "lat": event.loc_lat,
        "lon": event.loc_lon, "modality": event.modality, "trigger": event.trigger_text,
        "evidence": event.evidence_text, "confidence": event.confidence,
        "story_id": event.story_id, "published": published, "source": source, "url": url,
    }  # fmt: skip


def _with_actors(session: Session, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``source_actors``/``target_actors`` (corpus actor id and name) to event dicts."""
    pks = [e["id"] for e in events]
    if not pks:
        return events
    query = (
        select(EventActorRow.event_pk, EventActorRow.side, ActorRow.id, func.coalesce(ActorRow.name, EntityRow.name))
        .outerjoin(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .outerjoin(ActorRow, ActorRow.id == EntityRow.actor_id)
        .where(EventActorRow.event_pk.in_(pks))
        .order_by(EventActorRow.position)
    )  # fmt: skip
    sides: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for event_pk, side, actor_id, name in session.execute(query):
        sides.setdefault((event_pk, side), []).append({"id": actor_id, "name": name})
    for event in events:
        event["source_actors"] = sides.get((event["id"], "source"), [])
        event["target_actors"] = sides.get((event["id"], "target"), [])
    return events


def _quotes(session: Session, actor_id: int, limit: int) -> list[dict[str, Any]]:
    query = (
        select(QuoteRow.text, QuoteRow.cue, ArticleRow.id, ArticleRow.published, ArticleRow.source)
        .join(EntityRow, EntityRow.pk == QuoteRow.speaker_pk)
        .join(ArticleRow, ArticleRow.id == QuoteRow.article_id)
        .where(EntityRow.actor_id == actor_id)
        .order_by(ArticleRow.published.desc())
        .limit(limit)
    )
    keys = ("text", "cue", "article_id", "published", "source")
    return [dict(zip(keys, row, strict=True)) for row in session.execute(query)]


def _co_actors(session: Session, actor_id: int, limit: int) -> list[dict[str, Any]]:
    """Actors sharing events with this one, with the number of shared events."""
    mine = (
        select(EventActorRow.event_pk)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .where(EntityRow.actor_id == actor_id)
    )
    query = (
        select(ActorRow.id, ActorRow.name, func.count(func.distinct(EventActorRow.event_pk)))
        .join(EntityRow, EntityRow.actor_id == ActorRow.id)
        .join(EventActorRow, EventActorRow.entity_pk == EntityRow.pk)
        .where(EventActorRow.event_pk.in_(mine), ActorRow.id != actor_id)
        .group_by(ActorRow.id, ActorRow.name)
        .order_by(func.count(func.distinct(EventActorRow.event_pk)).desc())
        .limit(limit)
    )
    return [{"id": i, "name": n, "events": c} for i, n, c in session.execute(query)]


def _search_clause(session: Session, words: str) -> Any:
    """A WHERE clause on events for words in the evidence sentence (FTS5 or tsvector)."""
    if session.get_bind().dialect.name == "sqlite":
        query = fts_index.query_of(words)
        return EventRow.pk.in_(fts_index.matching_rowids("event", query)) if query else false()
    if session.get_bind().dialect.name == "postgresql":
        vector = func.to_tsvector("english", EventRow.evidence_text)
        return vector.op("@@")(func.plainto_tsquery("english", words))
    return EventRow.evidence_text.ilike(f"%{words}%")


def _filtered(session: Session, where: EventFilter) -> Select[Any]:
    query = select(EventRow, ArticleRow.published, ArticleRow.source, ArticleRow.url).join(
        ArticleRow, ArticleRow.id == EventRow.article_id
    )
    if where.actor:
        ids = actor_ids(session, where.actor)
        involved = (
            select(EventActorRow.event_pk)
            .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
            .where(EntityRow.actor_id.in_(ids))
        )
        query = query.where(EventRow.pk.in_(involved))
    if where.type:
        query = query.where(EventRow.type == where.type.upper())
    if where.since:
        query = query.where(_event_date() >= where.since)
    if where.until:
        query = query.where(_event_date() <= where.until + "\uffff")
    if where.country:
        query = query.where(EventRow.loc_country == where.country.upper())
    if where.story is not None:
        query = query.where(EventRow.story_id == where.story)
    if where.search:
        query = query.where(_search_clause(session, where.search))
    return query


def events(
    store: Store, where: EventFilter | None = None, *, limit: int = 50, offset: int = 0
) -> Page:
    """Events matching the filters, newest first, with their actors and evidence."""
    where = where or EventFilter()
    with store.session() as session:
        query = _filtered(session, where).order_by(_event_date().desc(), EventRow.pk)
        rows, total = _page(session, query, limit, offset)
        items = _with_actors(session, [_event_dict(*r) for r in rows])
    return Page(items, total, limit, offset)


def stories(store: Store, *, type: str | None = None, min_articles: int = 1,
            limit: int = 50, offset: int = 0) -> Page:  # fmt: skip
    """Stories, most-reported first."""
    query = select(StoryRow).where(StoryRow.article_count >= min_articles)
    if type:
        query = query.where(StoryRow.type == type.upper())
    query = query.order_by(StoryRow.article_count.desc(), StoryRow.date_value.desc(), StoryRow.id)
    with store.session() as session:
        rows, total = _page(session, query, limit, offset)
    items = [{c.name: getattr(r[0], c.name) for c in StoryRow.__table__.columns} for r in rows]
    return Page(items, total, limit, offset)


def story(store: Store, story_id: int) -> dict[str, Any]:
    """One story with every supporting sentence (its events' evidence) and report."""
    with store.session() as session:
        row = session.get(StoryRow, story_id)
    if row is None:
        return {}
    reports = events(store, EventFilter(story=story_id), limit=1000).items
    return {c.name: getattr(row, c.name) for c in StoryRow.__table__.columns} | {"reports": reports}


def network_edges(store: Store, where: EventFilter | None = None) -> list[dict[str, Any]]:
    """Directed actor-to-actor edges (source -> target) weighted by events, with categories."""
    where = where or EventFilter()
    src_e, tgt_e = aliased(EntityRow), aliased(EntityRow)
    src_a, tgt_a = aliased(EventActorRow), aliased(EventActorRow)
    with store.session() as session:
        base = _filtered(session, where).with_only_columns(EventRow.pk, EventRow.type).subquery()
        query = (
            select(src_e.actor_id, tgt_e.actor_id, base.c.type, func.count())
            .join(src_a, src_a.event_pk == base.c.pk)
            .join(tgt_a, and_(tgt_a.event_pk == base.c.pk, tgt_a.side == "target"))
            .join(src_e, src_e.pk == src_a.entity_pk)
            .join(tgt_e, tgt_e.pk == tgt_a.entity_pk)
            .where(src_a.side == "source", src_e.actor_id.is_not(None), tgt_e.actor_id.is_not(None))
            .group_by(src_e.actor_id, tgt_e.actor_id, base.c.type)
        )  # fmt: skip
        rows = list(session.execute(query))
    edges: dict[tuple[int, int], Counter[str]] = {}
    for source, target, kind, count in rows:
        if source != target:
            edges.setdefault((source, target), Counter())[kind] += count
    return [
        {"source": s, "target": t, "weight": sum(c.values()), "types": dict(c)}
        for (s, t), c in sorted(edges.items())
    ]


def actor_nodes(store: Store, ids: set[int]) -> list[dict[str, Any]]:
    with store.session() as session:
        rows = session.scalars(select(ActorRow).where(ActorRow.id.in_(ids))) if ids else []
        return [_actor_dict(r) for r in rows]


def search(store: Store, words: str, *, limit: int = 50, offset: int = 0) -> Page:
    """Articles whose text, quotes or event evidence contain the words (newest first)."""
    with store.session() as session:
        if store.has_fts:
            query = fts_index.query_of(words)
            clause = ArticleRow.id.in_(fts_index.articles_matching_any(query)) if query else false()
        else:
            vector = func.to_tsvector("english", ArticleRow.text)
            clause = vector.op("@@")(func.plainto_tsquery("english", words))
        query = (
            select(ArticleRow.id, ArticleRow.title, ArticleRow.published, ArticleRow.source, ArticleRow.url)
            .where(clause)
            .order_by(ArticleRow.published.desc(), ArticleRow.id)
        )  # fmt: skip
        rows, total = _page(session, query, limit, offset)
    keys = ("id", "title", "published", "source", "url")
    return Page([dict(zip(keys, r, strict=True)) for r in rows], total, limit, offset)
