"""Read-only queries behind the desk: articles, actors, stories, quotes, search, the map.

Written against the store's SQLAlchemy models (:mod:`eventwire.store.schema`); nothing here
writes. Events and the network live in :mod:`.events` and :mod:`.network`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, false, func, or_, select
from sqlalchemy.orm import Session

from eventwire.query.corrections import Overlay
from eventwire.query.edges import EdgeTable
from eventwire.query.events import article_events, article_titles, events_by_pks, list_events
from eventwire.query.filters import EventFilter, search_match, where_clauses
from eventwire.query.keys import key_expr, key_where
from eventwire.query.network import display_names, network
from eventwire.query.profiles import (
    NAME_KEYS,
    NAMES,
    QUOTE_KEYS,
    QUOTES,
    ROLE_KEYS,
    ROLES,
    ActorProfiles,
    quote_columns,
    role_columns,
    usable,
)
from eventwire.store import fts as fts_index
from eventwire.store.read import load_record
from eventwire.store.schema import (
    ActorRow,
    ArticleRow,
    EntityRow,
    EventRow,
    QuoteRow,
    RoleRow,
    StoryRow,
)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def is_resolved(session: Session) -> bool:
    """True once cross-article resolution has built corpus actors (``eventwire ingest`` does)."""
    return session.scalar(select(ActorRow.id).limit(1)) is not None


def counts(session: Session) -> dict[str, int]:
    """How much the store holds."""

    def count(column: Any) -> int:
        return int(session.scalar(select(func.count(column))) or 0)

    if is_resolved(session):
        actors = session.scalar(select(func.count(ActorRow.id)))
    else:
        actors = session.scalar(select(func.count(func.distinct(key_expr()))))
    return {
        "articles": count(ArticleRow.id),
        "events": count(EventRow.pk),
        "actors": int(actors or 0),
        "stories": count(StoryRow.id),
        "quotes": count(QuoteRow.pk),
    }


# --- articles -----------------------------------------------------------------------------


def list_articles(
    session: Session,
    *,
    q: str | None,
    source: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict], int]:
    """A page of articles, newest first, optionally matching a full-text query."""
    clauses: list[Any] = []
    if q:
        clauses.append(
            search_match(
                q,
                dialect=dialect_of(session),
                kind="article",
                column_=ArticleRow.id if dialect_of(session) == "sqlite" else ArticleRow.text,
            )
        )
    if source:
        clauses.append(ArticleRow.source == source)
    if since:
        clauses.append(ArticleRow.published >= since)
    if until:
        clauses.append(ArticleRow.published <= until + "\uffff")
    columns = (
        ArticleRow.id,
        ArticleRow.title,
        ArticleRow.source,
        ArticleRow.published,
        ArticleRow.url,
    )
    query = select(*columns).where(*clauses)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(ArticleRow.published.desc(), ArticleRow.id).limit(limit).offset(offset)
    )
    keys = ("id", "title", "source", "published", "url")
    return [dict(zip(keys, row, strict=True)) for row in rows], total


@lru_cache(maxsize=1)
def _entity_keys() -> Any:
    """Built once: an article's entities' local ids and actor keys."""
    return select(EntityRow.local_id, key_expr()).where(
        EntityRow.article_id == bindparam("article")
    )


def get_article(session: Session, article_id: str, overlay: Overlay) -> dict[str, Any] | None:
    """The stored record of one article, with its events as the desk shows them."""
    record = load_record(session, article_id, events=False)  # listed below, desk-shaped
    if record is None:
        return None
    events = article_events(session, article_id, overlay)
    keys = dict(session.connection().execute(_entity_keys(), {"article": article_id}).all())
    data = record.to_dict()
    for entity in data["entities"]:
        entity["key"] = (
            overlay.actor(keys[entity["id"]], article_id) if entity["id"] in keys else None
        )
    data["events"] = events
    return data


# --- actors -------------------------------------------------------------------------------


def entity_clause(key: str, overlay: Overlay) -> Any:
    """Entities that read as actor ``key`` after merges and splits."""
    split_into = [(orig, art) for (orig, art), new in overlay.splits.items() if new == key]
    wheres = [
        and_(w, EntityRow.article_id == art)
        for orig, art in split_into
        if (w := key_where(orig)) is not None
    ]
    for member in overlay.merged_into(key):
        where = key_where(member)
        if where is None:
            continue
        moved = [art for (orig, art) in overlay.splits if orig == member]
        wheres.append(and_(where, EntityRow.article_id.not_in(moved)) if moved else where)
    return or_(*wheres) if wheres else false()


def list_actors(
    session: Session,
    overlay: Overlay,
    *,
    q: str | None,
    type_: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Actors by number of articles that name them (corrections: merged keys fold in).

    On a resolved store this reads the ``actors`` table; before resolution it groups entities
    by name.
    """
    if is_resolved(session):
        rows, total = _resolved_actors(session, q=q, type_=type_, limit=limit, offset=offset)
    else:
        rows, total = _entity_actors(session, q=q, type_=type_, limit=limit, offset=offset)
    known = {k: name for k, _t, _n, name in rows}
    names = display_names(session, {overlay.actor(k) for k, _t, _n, _m in rows}, overlay, known)
    items = [
        {
            "key": overlay.actor(k),
            "name": names[overlay.actor(k)],
            "type": t,
            "articles": n,
            "merged": overlay.actor(k) != k,
        }
        for k, t, n, _name in rows
    ]
    return items, total


def _resolved_actors(
    session: Session, *, q: str | None, type_: str | None, limit: int, offset: int
) -> tuple[list[tuple[str, str, int, str | None]], int]:
    clauses = []
    if q:
        clauses.append(func.lower(ActorRow.name).contains(q.lower(), autoescape=True))
    if type_:
        clauses.append(ActorRow.type == type_)
    total = session.scalar(select(func.count(ActorRow.id)).where(*clauses)) or 0
    query = (
        select(ActorRow.id, ActorRow.type, ActorRow.article_count)
        .where(*clauses)
        .order_by(ActorRow.article_count.desc(), ActorRow.id)
        .limit(limit)
        .offset(offset)
    )
    return [(f"a{i}", t, n, None) for i, t, n in session.execute(query)], total


def _entity_actors(
    session: Session, *, q: str | None, type_: str | None, limit: int, offset: int
) -> tuple[list[tuple[str, str, int, str | None]], int]:
    key = key_expr()
    clauses = []
    if q:
        clauses.append(func.lower(EntityRow.name).contains(q.lower(), autoescape=True))
    if type_:
        clauses.append(EntityRow.type == type_)
    articles = func.count(func.distinct(EntityRow.article_id))
    query = (
        select(key, func.max(EntityRow.type), articles, func.max(EntityRow.name))
        .where(*clauses)
        .group_by(key)
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(articles.desc(), key).limit(limit).offset(offset))
    return [tuple(row) for row in rows], total  # type: ignore[misc]


def _names(session: Session, clause: Any) -> list[dict[str, Any]]:
    query = (
        select(
            EntityRow.name,
            func.count(),
            func.min(ArticleRow.published),
            func.max(ArticleRow.published),
        )
        .join(ArticleRow, ArticleRow.id == EntityRow.article_id)
        .where(clause)
        .group_by(EntityRow.name)
        .order_by(func.count().desc(), EntityRow.name)
        .limit(NAMES)
    )
    return [dict(zip(NAME_KEYS, row, strict=True)) for row in session.execute(query)]


def _roles(session: Session, clause: Any) -> list[dict[str, Any]]:
    """Titles the texts give the actor, oldest first, with the entity they hold them in."""
    holder = select(EntityRow.pk).where(clause)
    query = (
        select(*role_columns())
        .join(ArticleRow, ArticleRow.id == RoleRow.article_id)
        .where(RoleRow.entity_pk.in_(holder))
        .order_by(ArticleRow.published, RoleRow.pk)
        .limit(ROLES)
    )
    return [dict(zip(ROLE_KEYS, row, strict=True)) for row in session.execute(query)]


def _quotes_by(session: Session, clause: Any) -> list[dict[str, Any]]:
    speakers = select(EntityRow.pk).where(clause)
    query = (
        select(*quote_columns())
        .join(ArticleRow, ArticleRow.id == QuoteRow.article_id)
        .where(QuoteRow.speaker_pk.in_(speakers))
        .order_by(ArticleRow.published.desc(), QuoteRow.pk)
        .limit(QUOTES)
    )
    return [dict(zip(QUOTE_KEYS, row, strict=True)) for row in session.execute(query)]


#: Events an actor page lists (newest first, split into as source and as target); the page
#: links to all of them in the event table, paged. Listing 200 made a busy actor's page cost
#: four times as much for rows below the fold; at 60, reading and shaping the events was
#: still two thirds of a cold actor page (the largest cold answer under load).
ACTOR_EVENTS = 30


def get_actor(
    session: Session, key: str, overlay: Overlay, *, table: EdgeTable | None = None
) -> dict[str, Any] | None:
    """Names, roles over time, latest events as source and as target, quotes, ego network.

    ``events_total`` counts all the actor's events. ``table``: the network edge table
    (:mod:`.edges`), when up to date: the ego network is counted from it, and the rest read
    from its actor profiles (:mod:`.profiles`) unless corrections rule them out.
    """
    key = overlay.actor(key)
    profiles = table.profiles if table is not None and usable(overlay) else None
    parts = _profile_parts(session, key, overlay, profiles) if profiles else None
    if parts is None:
        parts = _sql_parts(session, key, overlay)
    if parts is None:
        return None
    names, roles, quotes, events, total = parts
    actors = table.actor_names if table is not None else None
    name = display_names(session, {key}, overlay, {key: names[0]["name"]}, actors)[key]
    ego = network(session, EventFilter(actor=key), overlay, max_edges=60, table=table)
    ego_edges = [e for e in ego["edges"] if key in (e["source"], e["target"])]
    ego_keys = {k for e in ego_edges for k in (e["source"], e["target"])} | {key}
    return {
        "key": key,
        "name": name,
        "names": names,
        "roles": roles,
        "events_total": total,
        "as_source": [e for e in events if any(a["key"] == key for a in e["actors"]["source"])],
        "as_target": [e for e in events if any(a["key"] == key for a in e["actors"]["target"])],
        "quotes": quotes,
        "ego": {
            "nodes": [n for n in ego["nodes"] if n["key"] in ego_keys]
            or [{"key": key, "name": name, "weight": 0}],
            "edges": ego_edges,
        },
    }


ActorParts = tuple[
    list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], int
]


def _sql_parts(session: Session, key: str, overlay: Overlay) -> ActorParts | None:
    """Names, roles, quotes, latest events and their total, read from the store."""
    clause = entity_clause(key, overlay)
    names = _names(session, clause)
    if not names:
        return None
    events, total = list_events(session, EventFilter(actor=key), overlay, limit=ACTOR_EVENTS)
    return names, _roles(session, clause), _quotes_by(session, clause), events, total


def _profile_parts(
    session: Session, key: str, overlay: Overlay, profiles: ActorProfiles
) -> ActorParts | None:
    """The same parts from the in-memory profiles; only the listed events are read."""
    codes = profiles.codes_of(key, overlay)
    names = profiles.names_of(codes)
    if not names:
        return None
    pks, total = profiles.events(codes, ACTOR_EVENTS)
    events = events_by_pks(session, pks, overlay)
    return names, profiles.roles_of(codes), profiles.quotes_of(codes), events, total


# --- stories, quotes, search, map ---------------------------------------------------------

STORY_KEYS = (
    "id",
    "type",
    "label",
    "date_value",
    "date_granularity",
    "place",
    "country",
    "event_count",
    "article_count",
    "source_count",
    "first_report",
    "last_report",
)


def list_stories(
    session: Session, *, type_: str | None, limit: int, offset: int, min_articles: int = 1
) -> tuple[list[dict[str, Any]], int]:
    """Stories (one real-world event across articles), most recently reported first."""
    query = select(*(getattr(StoryRow, k) for k in STORY_KEYS))
    if min_articles > 1:
        query = query.where(StoryRow.article_count >= min_articles)
    if type_:
        query = query.where(StoryRow.type == type_)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (StoryRow.last_report.desc(), StoryRow.id.desc())
    rows = session.execute(query.order_by(*order).limit(limit).offset(offset))
    return [dict(zip(STORY_KEYS, row, strict=True)) for row in rows], total


def get_story(session: Session, story_id: int, overlay: Overlay) -> dict[str, Any] | None:
    row = session.get(StoryRow, story_id)
    if row is None:
        return None
    story = {k: getattr(row, k) for k in STORY_KEYS}
    story["events"], _ = list_events(session, EventFilter(story=story_id), overlay, limit=500)
    return story


def list_quotes(
    session: Session,
    overlay: Overlay,
    *,
    speaker: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Quotations with their speaker and article, newest first."""
    clauses: list[Any] = []
    if speaker:
        clauses.append(
            QuoteRow.speaker_pk.in_(select(EntityRow.pk).where(entity_clause(speaker, overlay)))
        )
    if q:
        sqlite = dialect_of(session) == "sqlite"
        clauses.append(
            search_match(
                q,
                dialect=dialect_of(session),
                kind="quote",
                column_=QuoteRow.pk if sqlite else QuoteRow.text,
            )
        )
    query = (
        select(
            QuoteRow.text,
            QuoteRow.cue,
            ArticleRow.id,
            ArticleRow.title,
            ArticleRow.published,
            EntityRow.name,
            key_expr(),
        )
        .join(ArticleRow, ArticleRow.id == QuoteRow.article_id)
        .outerjoin(EntityRow, EntityRow.pk == QuoteRow.speaker_pk)
        .where(*clauses)
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(ArticleRow.published.desc(), QuoteRow.pk).limit(limit).offset(offset)
    )
    items = [
        {
            "text": t,
            "cue": c,
            "article_id": a,
            "article_title": title,
            "published": p,
            "speaker": {"name": n, "key": overlay.actor(k, a)} if n else None,
        }
        for t, c, a, title, p, n, k in rows
    ]
    return items, total


MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"


def search(session: Session, q: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Full-text search over article text, quotes and event evidence, best matches first.

    On SQLite the best matches are ranked among the newest matches of each kind (see
    :func:`eventwire.store.fts.ranked`), so a common word costs milliseconds, not a ranking of
    every match.
    """
    query = fts_index.query_of(q)
    if query is None:
        return []
    if dialect_of(session) != "sqlite":
        return _search_portable(session, q, limit=limit)
    best = fts_index.ranked(session, query, limit=limit)
    snips: dict[tuple[str, int], str] = {}
    for kind in fts_index.KINDS:
        rowids = [rowid for k, rowid, _a, _r in best if k == kind]
        found = fts_index.snippets(session, kind, query, rowids, (MARK_OPEN, MARK_CLOSE))
        snips.update({(kind, rowid): snip for rowid, snip in found.items()})
    refs = _quote_refs(session, [rowid for k, rowid, _a, _r in best if k == "quote"])
    hits = [
        {
            "kind": kind,
            "ref": {"article": article_id, "quote": refs.get(rowid)}.get(kind, str(rowid)),
            "article_id": article_id,
            "snippet": snips.get((kind, rowid), ""),
        }
        for kind, rowid, article_id, _rank in best
    ]
    titles = article_titles(session, list({h["article_id"] for h in hits}))
    for hit in hits:
        hit["article_title"] = titles.get(hit["article_id"])
    return hits


def _quote_refs(session: Session, pks: list[int]) -> dict[int, str]:
    """Quotes' references as the record has them: ``<article id>:<position>``, by primary key."""
    if not pks:
        return {}
    rows = session.execute(
        select(QuoteRow.pk, QuoteRow.article_id, QuoteRow.position).where(QuoteRow.pk.in_(pks))
    )
    return {pk: f"{article_id}:{position}" for pk, article_id, position in rows}


def _search_portable(session: Session, q: str, *, limit: int) -> list[dict[str, Any]]:
    match = search_match(q, dialect=dialect_of(session), kind="article", column_=ArticleRow.text)
    rows = session.execute(
        select(ArticleRow.id, ArticleRow.title, func.substr(ArticleRow.text, 1, 200))
        .where(match)
        .limit(limit)
    )
    return [
        {"kind": "article", "ref": a, "article_id": a, "article_title": t, "snippet": s}
        for a, t, s in rows
    ]


def map_points(
    session: Session, flt: EventFilter, overlay: Overlay, *, limit: int = 5000
) -> list[dict[str, Any]]:
    """Geolocated events (one point each), newest first."""
    clauses = where_clauses(flt, dialect=dialect_of(session), overlay=overlay)
    query = (
        select(
            EventRow.pk,
            EventRow.article_id,
            EventRow.type,
            EventRow.loc_name,
            EventRow.loc_country,
            EventRow.loc_lat,
            EventRow.loc_lon,
            EventRow.date_value,
            EventRow.evidence_text,
        )
        .where(EventRow.loc_lat.is_not(None), EventRow.loc_lon.is_not(None), *clauses)
        .order_by(EventRow.date_value.desc())
        .limit(limit)
    )
    keys = ("pk", "article_id", "type", "place", "country", "lat", "lon", "date", "evidence")
    points = [dict(zip(keys, row, strict=True)) for row in session.execute(query)]
    fixed = {e["pk"]: e["type"] for e in _corrected_types(session, overlay, points)}
    for point in points:
        point["type"] = fixed.get(point["pk"], point["type"])
    return points


def _corrected_types(session: Session, overlay: Overlay, points: list[dict]) -> list[dict]:
    from eventwire.query.events import affected_pks, get_event

    wanted = set(affected_pks(session, overlay)) & {p["pk"] for p in points}
    return [e for pk in wanted if (e := get_event(session, pk, overlay)) is not None]
