"""Incremental resolution: link new codings without rebuilding every actor and story.

What is new is read off the store itself, so that any writer (ingest, recode, a new version of
an article) is covered without bookkeeping: entities with no ``actor_id`` and events with no
``story_id`` are new; an actor or story whose stored article or event count no longer matches
its linked rows lost members to a recode (codings are always replaced article by article).
The neighbourhood of those (:mod:`eventwire.resolve.neighbourhood`) is clustered again with the
same rules as a full rebuild; only actors and stories whose members, or whose summary, change
are rewritten. An actor or story keeps its id when most of its members stay together, so the
desk's links and actor keys (``a<id>``) survive an ingest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eventwire.resolve.actors import cluster_entities
from eventwire.resolve.corpus import (
    ENTITY_COLUMNS,
    EVENT_COLUMNS,
    ResolveSummary,
    entity_info,
    totals,
)
from eventwire.resolve.neighbourhood import actor_neighbourhood, reuse_ids, story_neighbourhood
from eventwire.resolve.stories import group_items
from eventwire.resolve.summaries import (
    actor_row,
    insert_rows,
    link,
    load_articles,
    story_item,
    story_row,
    update_rows,
)
from eventwire.store.db import Store
from eventwire.store.schema import ActorRow, EntityRow, EventActorRow, EventRow, StoryRow

_CHUNK = 500


@dataclass(slots=True)
class ActorChanges:
    """What the actor step changed, for the story step."""

    entity_actor: dict[int, int]  # every linked entity -> its actor, after the step
    moved: set[int] = field(default_factory=set)  # entities whose actor changed (or new)
    renamed: set[int] = field(default_factory=set)  # kept actors whose display name changed
    written: int = 0


@dataclass(slots=True)
class _Regroup:
    """New groups over a neighbourhood, matched to the old ids they keep."""

    groups: list[list[int]]
    ids: list[int | None]
    old_of: dict[int, int | None]  # member key -> old id
    dirty: set[int]  # old ids whose rows are stale even with the same members

    def changed(self) -> list[int]:
        """Indexes of groups whose row must be written (new, other members, or stale)."""
        before: dict[int, set[int]] = defaultdict(set)
        for key, old in self.old_of.items():
            if old is not None:
                before[old].add(key)
        return [
            i
            for i, (group, gid) in enumerate(zip(self.groups, self.ids, strict=True))
            if gid is None or gid in self.dirty or before[gid] != set(group)
        ]

    def dropped(self) -> set[int]:
        """Old ids no group keeps: their rows go."""
        return {o for o in self.old_of.values() if o is not None} - set(self.ids)  # type: ignore[arg-type]


def resolve_incremental(store: Store) -> ResolveSummary:
    """Resolve what is not linked yet, and what it touches, in one transaction."""
    with store.session() as session, session.begin():
        changes = update_actors(session)
        written = update_stories(session, changes)
        actors, stories = totals(session)
    return ResolveSummary(actors, stories, changes.written, written, full=False)


# --- actors ---------------------------------------------------------------------------------


def update_actors(session: Session) -> ActorChanges:
    """Cluster new entities, and the actors they touch, again; write what changed."""
    rows = session.execute(select(
        EntityRow.pk, EntityRow.article_id, EntityRow.name, EntityRow.type, EntityRow.aliases,
        EntityRow.country, EntityRow.kb_id, EntityRow.actor_id,
    )).all()  # fmt: skip
    actor_of = {r.pk: r.actor_id for r in rows}
    dirty, orphans = _stale(session, ActorRow, ActorRow.article_count, _articles_per_actor(rows))
    seeds = {r.pk for r in rows if r.actor_id is None or r.actor_id in dirty}
    current = {pk: a for pk, a in actor_of.items() if a is not None}
    if not seeds:
        _drop(session, ActorRow, orphans)
        return ActorChanges(current)
    infos = [entity_info(r._mapping) for r in rows]
    area, big = actor_neighbourhood(infos, actor_of, seeds)
    chosen = sorted((i for i in infos if i.key in area), key=lambda i: i.key)
    groups = cluster_entities(chosen, big_blocks=big)
    regroup = _Regroup(groups, reuse_ids(groups, actor_of), {k: actor_of[k] for k in area}, dirty)
    return _write_actors(session, regroup, current, orphans)


def _articles_per_actor(rows: Sequence[Any]) -> dict[int, int]:
    articles: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        if row.actor_id is not None:
            articles[row.actor_id].add(row.article_id)
    return {actor: len(ids) for actor, ids in articles.items()}


def _stale(
    session: Session, table: Any, count_column: Any, actual: Mapping[int, int]
) -> tuple[set[int], set[int]]:
    """Rows whose stored count differs from their linked rows (dirty), and rows with none.

    Codings are deleted article by article (recode), so a row that lost members always shows
    a smaller article or event count.
    """
    dirty, orphans = set(), set()
    for row_id, count in session.execute(select(table.id, count_column)):
        if row_id not in actual:
            orphans.add(row_id)
        elif actual[row_id] != count:
            dirty.add(row_id)
    return dirty, orphans


def _write_actors(
    session: Session, regroup: _Regroup, current: dict[int, int], orphans: set[int]
) -> ActorChanges:
    changed = regroup.changed()
    members = _entity_rows(session, {pk for i in changed for pk in regroup.groups[i]})
    articles = load_articles(session, {m["article_id"] for m in members.values()})
    rows = {i: actor_row([members[pk] for pk in regroup.groups[i]], articles) for i in changed}
    renamed = _renamed(session, {regroup.ids[i]: rows[i]["name"] for i in rows})
    ids = _save(session, ActorRow, regroup, rows)
    moved = {
        pk: ids[i] for i, group in enumerate(regroup.groups) for pk in group
        if regroup.old_of.get(pk) != ids[i]
    }  # fmt: skip
    link(session, EntityRow, EntityRow.pk, "actor_id", moved)
    _drop(session, ActorRow, regroup.dropped() | orphans)
    current.update(moved)
    return ActorChanges(current, set(moved), renamed, len(rows))


def _renamed(session: Session, names: Mapping[int | None, str]) -> set[int]:
    """Kept actors whose display name changes (story labels that name them go stale)."""
    kept = sorted(i for i in names if i is not None)
    out: set[int] = set()
    for start in range(0, len(kept), _CHUNK):
        query = select(ActorRow.id, ActorRow.name).where(
            ActorRow.id.in_(kept[start : start + _CHUNK])
        )
        out |= {actor for actor, name in session.execute(query) if names[actor] != name}
    return out


def _save(
    session: Session, table: Any, regroup: _Regroup, rows: Mapping[int, dict[str, Any]]
) -> list[int]:
    """Insert new rows, update kept ones; the id of every group (old ones unchanged)."""
    fresh = [i for i in rows if regroup.ids[i] is None]
    new_ids = dict(zip(fresh, insert_rows(session, table, [rows[i] for i in fresh]), strict=True))
    kept = {regroup.ids[i]: rows[i] for i in rows if regroup.ids[i] is not None}
    update_rows(session, table, kept)  # type: ignore[arg-type]
    return [new_ids.get(i, gid) for i, gid in enumerate(regroup.ids)]  # type: ignore[misc]


def _entity_rows(session: Session, pks: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Full entity rows (with mentions) for the actors being written."""
    wanted = sorted(pks)
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(*ENTITY_COLUMNS).where(EntityRow.pk.in_(wanted[start : start + _CHUNK]))
        out.update({r.pk: dict(r._mapping) for r in session.execute(query)})
    return out


def _drop(session: Session, table: Any, ids: set[int]) -> None:
    wanted = sorted(ids)
    for start in range(0, len(wanted), _CHUNK):
        session.execute(delete(table).where(table.id.in_(wanted[start : start + _CHUNK])))


# --- stories --------------------------------------------------------------------------------


def update_stories(session: Session, changes: ActorChanges) -> int:
    """Group new events, and events whose actors changed, again; write what changed."""
    events = {r.pk: r._mapping for r in session.execute(select(*EVENT_COLUMNS, EventRow.story_id))}
    actors, touched = _event_actors(session, changes)
    story_of = {pk: e["story_id"] for pk, e in events.items()}
    counts: dict[int, int] = defaultdict(int)
    for story in story_of.values():
        if story is not None:
            counts[story] += 1
    dirty, orphans = _stale(session, StoryRow, StoryRow.event_count, counts)
    dirty |= {s for pk in touched if (s := story_of.get(pk)) is not None}  # labels name actors
    seeds = {pk for pk, s in story_of.items() if s is None or s in dirty} | (touched & set(events))
    items = [story_item(e, actors.get(pk, set())) for pk, e in events.items()]
    area = story_neighbourhood(items, story_of, seeds) if seeds else set()
    groups = group_items(sorted((i for i in items if i.key in area), key=lambda i: i.key))
    regroup = _Regroup(groups, reuse_ids(groups, story_of), {k: story_of[k] for k in area}, dirty)
    relabel = _relabelled(story_of, actors, changes.renamed, regroup)
    return _write_stories(session, regroup, events, actors, relabel, orphans)


def _event_actors(session: Session, changes: ActorChanges) -> tuple[dict[int, set[int]], set[int]]:
    """event pk -> its corpus actors; and the events with an entity that changed actor."""
    actors: dict[int, set[int]] = defaultdict(set)
    touched: set[int] = set()
    query = select(EventActorRow.event_pk, EventActorRow.entity_pk)
    for event_pk, entity_pk in session.execute(query):
        if entity_pk in changes.entity_actor:
            actors[event_pk].add(changes.entity_actor[entity_pk])
        if entity_pk in changes.moved:
            touched.add(event_pk)
    return actors, touched


def _relabelled(
    story_of: Mapping[int, int | None],
    actors: Mapping[int, set[int]],
    renamed: set[int],
    regroup: _Regroup,
) -> dict[int, list[int]]:
    """Stories kept as they are whose label may name a renamed actor: id -> their events."""
    if not renamed:
        return {}
    rewritten = {regroup.ids[i] for i in regroup.changed()} | regroup.dropped()
    stale = {story_of.get(pk) for pk, ids in actors.items() if ids & renamed}
    stale -= rewritten | {None}
    members: dict[int, list[int]] = defaultdict(list)
    for pk, story in story_of.items():
        if story in stale:
            members[story].append(pk)
    return dict(members)


def _write_stories(
    session: Session,
    regroup: _Regroup,
    events: Mapping[int, Mapping[str, Any]],
    actors: Mapping[int, set[int]],
    relabel: dict[int, list[int]],
    orphans: set[int],
) -> int:
    wanted = {i: regroup.groups[i] for i in regroup.changed()}
    groups = [*wanted.values(), *relabel.values()]
    names = _actor_names(session, {a for g in groups for pk in g for a in actors.get(pk, ())})
    articles = load_articles(session, {events[pk]["article_id"] for g in groups for pk in g})

    def summary(group: Sequence[int]) -> dict[str, Any]:
        rows = [dict(events[pk]) for pk in group]
        return story_row(rows, [actors.get(pk, set()) for pk in group], articles, names)

    ids = _save(session, StoryRow, regroup, {i: summary(g) for i, g in wanted.items()})
    update_rows(session, StoryRow, {s: summary(g) for s, g in relabel.items()})
    moved = {
        pk: ids[i] for i, group in enumerate(regroup.groups) for pk in group
        if regroup.old_of.get(pk) != ids[i]
    }  # fmt: skip
    link(session, EventRow, EventRow.pk, "story_id", moved)
    _drop(session, StoryRow, regroup.dropped() | orphans)
    return len(wanted) + len(relabel)


def _actor_names(session: Session, ids: set[int]) -> dict[int, str]:
    wanted = sorted(ids)
    out: dict[int, str] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = select(ActorRow.id, ActorRow.name).where(
            ActorRow.id.in_(wanted[start : start + _CHUNK])
        )
        out.update(dict(session.execute(query).tuples().all()))
    return out
