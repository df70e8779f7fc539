"""Run resolution over a store: the ``actors`` and ``stories`` tables from the codings.

Resolution is a whole-corpus step (DESIGN.md: everything that needs the whole corpus happens
after the per-article step, against the store). By default it is incremental
(:mod:`eventwire.resolve.incremental`): only codings not yet linked, and the actors and stories
they touch, are resolved again. ``full=True`` rebuilds both tables from scratch, in one
transaction. Either way individual codings are never changed beyond their ``actor_id`` /
``story_id`` links.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from eventwire.resolve.actors import EntityInfo, cluster_entities
from eventwire.resolve.generic import PLACE_TYPES, context_countries, place, traits
from eventwire.resolve.incremental import resolve_incremental
from eventwire.resolve.result import ResolveSummary, event_select
from eventwire.resolve.stories import group_items
from eventwire.resolve.summaries import (
    Articles,
    actor_row,
    insert_rows,
    link,
    load_articles,
    story_item,
    story_row,
)
from eventwire.store.db import Store
from eventwire.store.schema import ActorRow, EntityRow, EventActorRow, EventRow, StoryRow

ENTITY_COLUMNS = (
    EntityRow.pk, EntityRow.article_id, EntityRow.name, EntityRow.type, EntityRow.aliases,
    EntityRow.mentions, EntityRow.country, EntityRow.kb_id,
)  # fmt: skip


def resolve_store(store: Store, *, full: bool = False) -> ResolveSummary:
    """Resolve new codings against the corpus; ``full=True`` rebuilds everything instead.

    A store that has no actors yet is always rebuilt in full: there are no ids to keep, and
    one pass over everything is cheaper than a neighbourhood that is the whole corpus.
    """
    if not full and _has_actors(store):
        return resolve_incremental(store)
    with store.session() as session, session.begin():
        articles = load_articles(session)
        entity_actor, names = _resolve_actors(session, articles)
        stories = _resolve_stories(session, articles, entity_actor, names)
    return ResolveSummary(len(names), stories, len(names), stories, full=True)


def _has_actors(store: Store) -> bool:
    with store.session() as session:
        return session.scalar(select(ActorRow.id).limit(1)) is not None


def entity_info(row: dict[str, Any]) -> EntityInfo:
    return EntityInfo(
        row["pk"], row["name"], row["type"], tuple(row["aliases"] or ()), row["country"],
        row["kb_id"],
    )  # fmt: skip


def _resolve_actors(session: Session, articles: Articles) -> tuple[dict[int, int], dict[int, str]]:
    """Cluster entities, write ``actors``; returns entity pk -> actor id and actor id -> name."""
    session.execute(update(EventRow).values(story_id=None))
    session.execute(update(EntityRow).values(actor_id=None))
    session.execute(delete(StoryRow))
    session.execute(delete(ActorRow))
    rows = [dict(r._mapping) for r in session.execute(select(*ENTITY_COLUMNS))]
    by_pk = {r["pk"]: r for r in rows}
    contexts = context_countries(
        (r["article_id"], r["country"], len(r["mentions"] or ())) for r in rows
        if r["type"] in PLACE_TYPES
    )  # fmt: skip
    infos = {r["pk"]: place(entity_info(r), r["article_id"], contexts) for r in rows}
    groups = cluster_entities(list(infos.values()))
    actor_rows = [
        actor_row([by_pk[pk] for pk in group], articles) | traits([infos[pk] for pk in group])
        for group in groups
    ]
    ids = insert_rows(session, ActorRow, actor_rows)
    entity_actor = {
        pk: actor_id for group, actor_id in zip(groups, ids, strict=True) for pk in group
    }
    link(session, EntityRow, EntityRow.pk, "actor_id", entity_actor)
    names = {actor_id: row["name"] for actor_id, row in zip(ids, actor_rows, strict=True)}
    return entity_actor, names


def event_actor_sets(session: Session, entity_actor: dict[int, int]) -> dict[int, set[int]]:
    """event pk -> the corpus actors of its entities."""
    actors: dict[int, set[int]] = defaultdict(set)
    for event_pk, entity_pk in session.execute(
        select(EventActorRow.event_pk, EventActorRow.entity_pk)
    ):
        if entity_pk in entity_actor:
            actors[event_pk].add(entity_actor[entity_pk])
    return actors


def _resolve_stories(
    session: Session, articles: Articles, entity_actor: dict[int, int], names: dict[int, str]
) -> int:
    events = [dict(r._mapping) for r in session.execute(event_select())]
    actors = event_actor_sets(session, entity_actor)
    by_pk = {e["pk"]: e for e in events}
    groups = group_items([story_item(e, actors.get(e["pk"], set())) for e in events])
    rows = [
        story_row([by_pk[pk] for pk in g], [actors.get(pk, set()) for pk in g], articles, names)
        for g in groups
    ]
    ids = insert_rows(session, StoryRow, rows)
    story_of = {pk: sid for g, sid in zip(groups, ids, strict=True) for pk in g}
    link(session, EventRow, EventRow.pk, "story_id", story_of)
    return len(ids)
