"""Run resolution over a store: rebuild the ``actors`` and ``stories`` tables from the codings.

Resolution is a whole-corpus step (DESIGN.md: everything that needs the whole corpus happens
after the per-article step, against the store). It is rebuilt from scratch each time, in one
transaction, so it always reflects every stored article; individual codings are never changed
beyond their ``actor_id`` / ``story_id`` links.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from eventwire.extract.names import fold
from eventwire.resolve.actors import EntityInfo, actor_name, cluster_entities, most_common
from eventwire.resolve.stories import StoryItem, group_items, interval
from eventwire.store.db import Store
from eventwire.store.schema import (
    ActorRow,
    ArticleRow,
    EntityRow,
    EventActorRow,
    EventRow,
    StoryRow,
)


@dataclass(frozen=True, slots=True)
class ResolveSummary:
    actors: int
    stories: int


def resolve_store(store: Store) -> ResolveSummary:
    """Rebuild corpus actors and stories for the whole store."""
    with store.session() as session, session.begin():
        articles = _articles(session)
        entity_actor, names = _resolve_actors(session, articles)
        stories = _resolve_stories(session, articles, entity_actor, names)
    return ResolveSummary(actors=len(names), stories=stories)


def _articles(session: Session) -> dict[str, tuple[str | None, str | None]]:
    """article id -> (published, source)."""
    rows = session.execute(select(ArticleRow.id, ArticleRow.published, ArticleRow.source))
    return {aid: (published, source) for aid, published, source in rows}


def _resolve_actors(
    session: Session, articles: dict[str, tuple[str | None, str | None]]
) -> tuple[dict[int, int], dict[int, str]]:
    """Cluster entities, write ``actors``; returns entity pk -> actor id and actor id -> name."""
    session.execute(update(EventRow).values(story_id=None))
    session.execute(update(EntityRow).values(actor_id=None))
    session.execute(delete(StoryRow))
    session.execute(delete(ActorRow))
    rows = [dict(r._mapping) for r in session.execute(select(
        EntityRow.pk, EntityRow.article_id, EntityRow.name, EntityRow.type, EntityRow.aliases,
        EntityRow.mentions, EntityRow.country, EntityRow.kb_id,
    ))]  # fmt: skip
    by_pk = {r["pk"]: r for r in rows}
    infos = [
        EntityInfo(
            r["pk"], r["name"], r["type"], tuple(r["aliases"] or ()), r["country"], r["kb_id"]
        )
        for r in rows
    ]
    groups = cluster_entities(infos)
    actor_rows = [_actor_row([by_pk[pk] for pk in group], articles) for group in groups]
    ids = (
        list(
            session.scalars(
                insert(ActorRow).returning(ActorRow.id, sort_by_parameter_order=True), actor_rows
            )
        )
        if actor_rows
        else []
    )
    entity_actor = {
        pk: actor_id for group, actor_id in zip(groups, ids, strict=True) for pk in group
    }
    _link(session, EntityRow, EntityRow.pk, "actor_id", entity_actor)
    names = {actor_id: row["name"] for actor_id, row in zip(ids, actor_rows, strict=True)}
    return entity_actor, names


def _actor_row(
    members: list[dict[str, Any]], articles: dict[str, tuple[str | None, str | None]]
) -> dict[str, Any]:
    names = [m["name"] for m in members]
    aliases = Counter(a for m in members for a in [m["name"], *(m["aliases"] or [])])
    dates = sorted(
        d for d in (articles.get(m["article_id"], (None, None))[0] for m in members) if d
    )
    return {
        "name": actor_name(names),
        "type": Counter(m["type"] for m in members).most_common(1)[0][0],
        "country": most_common(m["country"] for m in members),
        "kb_id": most_common(m["kb_id"] for m in members),
        "aliases": [a for a, _ in aliases.most_common(50)],
        "first_seen": dates[0] if dates else None,
        "last_seen": dates[-1] if dates else None,
        "article_count": len({m["article_id"] for m in members}),
        "mention_count": sum(max(len(m["mentions"] or []), 1) for m in members),
    }


def _link(session: Session, table: Any, pk: Any, column: str, mapping: dict[int, int]) -> None:
    """Set ``column`` for many rows at once (executemany UPDATE by primary key)."""
    if not mapping:
        return
    stmt = update(table).where(pk == bindparam("row_pk")).values({column: bindparam("value")})
    session.connection().execute(stmt, [{"row_pk": k, "value": v} for k, v in mapping.items()])


def _resolve_stories(
    session: Session,
    articles: dict[str, tuple[str | None, str | None]],
    entity_actor: dict[int, int],
    names: dict[int, str],
) -> int:
    events = [dict(r._mapping) for r in session.execute(select(
        EventRow.pk, EventRow.article_id, EventRow.type, EventRow.date_value,
        EventRow.date_granularity, EventRow.loc_name, EventRow.loc_country,
    ))]  # fmt: skip
    actors: dict[int, set[int]] = defaultdict(set)
    for event_pk, entity_pk in session.execute(
        select(EventActorRow.event_pk, EventActorRow.entity_pk)
    ):
        if entity_pk in entity_actor:
            actors[event_pk].add(entity_actor[entity_pk])
    items = [_story_item(e, actors.get(e["pk"], set())) for e in events]
    by_pk = {e["pk"]: e for e in events}
    groups = group_items(items)
    rows = [
        _story_row([by_pk[pk] for pk in g], [actors.get(pk, set()) for pk in g], articles, names)
        for g in groups
    ]
    ids = (
        list(
            session.scalars(
                insert(StoryRow).returning(StoryRow.id, sort_by_parameter_order=True), rows
            )
        )
        if rows
        else []
    )
    _link(
        session,
        EventRow,
        EventRow.pk,
        "story_id",
        {pk: sid for g, sid in zip(groups, ids, strict=True) for pk in g},
    )
    return len(ids)


def _story_item(event: dict[str, Any], actors: set[int]) -> StoryItem:
    start, end = interval(event["date_value"], event["date_granularity"])
    place = fold(event["loc_name"]) if event["loc_name"] else None
    return StoryItem(
        key=event["pk"], category=event["type"], actors=frozenset(str(a) for a in actors),
        start=start, end=end, place=place, country=event["loc_country"],
    )  # fmt: skip


_GRANULARITY_RANK = {"day": 0, "range": 1, "month": 2, "year": 3}


def _story_row(
    events: list[dict[str, Any]],
    actor_sets: list[set[int]],
    articles: dict[str, tuple[str | None, str | None]],
    names: dict[int, str],
) -> dict[str, Any]:
    """Summary of one story: its most precise date, commonest place, reports and sources."""
    dated = sorted(
        (e for e in events if e["date_value"]),
        key=lambda e: _GRANULARITY_RANK.get(e["date_granularity"] or "", 9),
    )
    article_ids = {e["article_id"] for e in events}
    reports = sorted(d for d in (articles.get(a, (None, None))[0] for a in article_ids) if d)
    sources = {articles.get(a, (None, None))[1] for a in article_ids} - {None}
    top = Counter(a for s in actor_sets for a in s).most_common(3)
    place = most_common(e["loc_name"] for e in events)
    label = events[0]["type"] + ": " + (" / ".join(names[a] for a, _ in top) or "unknown actors")
    return {
        "type": events[0]["type"],
        "label": label + (f" in {place}" if place else ""),
        "date_value": dated[0]["date_value"] if dated else None,
        "date_granularity": dated[0]["date_granularity"] if dated else None,
        "place": place,
        "country": most_common(e["loc_country"] for e in events),
        "event_count": len(events),
        "article_count": len(article_ids),
        "source_count": len(sources),
        "first_report": reports[0] if reports else None,
        "last_report": reports[-1] if reports else None,
    }
