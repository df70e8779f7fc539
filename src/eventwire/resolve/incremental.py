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
from datetime import timedelta
from typing import Any

from sqlalchemy import case, delete, func, or_, select, true, update
from sqlalchemy.orm import Session

from eventwire.extract.names import fold
from eventwire.resolve.actors import EntityInfo, cluster_entities
from eventwire.resolve.generic import PLACE_TYPES, context_countries, place, traits
from eventwire.resolve.neighbourhood import actor_neighbourhood, reuse_ids
from eventwire.resolve.result import ResolveSummary, event_select, totals
from eventwire.resolve.stories import StoryItem, bucket_keys, group_items, same_story
from eventwire.resolve.summaries import (
    actor_rows_of,
    aliases_text,
    decode_aliases,
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


#: What the rules see of an entity: name, aliases (JSON text), type, country, kb id, and the
#: article of a generic actor (which may stay local to it, :mod:`eventwire.resolve.generic`).
#: Entities with one signature always end in one actor (each is joined to the same first
#: holder of every key, under the same constraints), so the step clusters signatures.
Signature = tuple[str, str | None, str, str | None, str | None, str | None]
_AGENT_ARTICLE = case((EntityRow.kb_id.like("agent:%"), EntityRow.article_id), else_=None)
_SIGNATURE = (EntityRow.name, aliases_text(), EntityRow.type, EntityRow.country, EntityRow.kb_id,
              _AGENT_ARTICLE)  # fmt: skip


@dataclass(slots=True)
class _Holders:
    """The entities of one signature: the lowest pk, their actors, whether some are new."""

    first: int
    actors: set[int] = field(default_factory=set)
    new: bool = False


@dataclass(slots=True)
class ActorChanges:
    """What the actor step changed, for the story step."""

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


def _in_chunks(session: Session, query: Any, column: Any, values: Iterable[Any]) -> list[Any]:
    """Rows of ``query`` where ``column`` is one of ``values`` (IN lists of bounded length)."""
    wanted = sorted(set(values))
    out: list[Any] = []
    for start in range(0, len(wanted), _CHUNK):
        out += session.execute(query.where(column.in_(wanted[start : start + _CHUNK]))).all()
    return out


def _drop(session: Session, table: Any, ids: set[int]) -> None:
    wanted = sorted(ids)
    for start in range(0, len(wanted), _CHUNK):
        session.execute(delete(table).where(table.id.in_(wanted[start : start + _CHUNK])))


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


def _save(session: Session, table: Any, regroup: _Regroup, blank: dict[str, Any]) -> list[int]:
    """The id of every group: kept ids, and new rows (``blank``, summarised later) for the rest."""
    fresh = [i for i, gid in enumerate(regroup.ids) if gid is None]
    new_ids = dict(zip(fresh, insert_rows(session, table, [blank] * len(fresh)), strict=True))
    return [new_ids.get(i, gid) for i, gid in enumerate(regroup.ids)]  # type: ignore[misc]


# --- actors ---------------------------------------------------------------------------------


def update_actors(session: Session) -> ActorChanges:
    """Cluster new entities, and the actors they touch, again; write what changed."""
    holders = _signatures(session)
    per_actor = select(EntityRow.actor_id, func.count(func.distinct(EntityRow.article_id)))
    counts = session.execute(
        per_actor.where(EntityRow.actor_id.is_not(None)).group_by(EntityRow.actor_id)
    )
    dirty, orphans = _stale(session, ActorRow, ActorRow.article_count, dict(counts.tuples().all()))
    dirty |= {a for h in holders.values() if h.new or len(h.actors) > 1 for a in h.actors}
    seeds = {h.first for h in holders.values() if h.new or h.actors & dirty}
    if not seeds:
        _drop(session, ActorRow, orphans)
        return ActorChanges()
    contexts = _contexts(session)
    infos = {h.first: place(EntityInfo(h.first, sig[0], sig[2], decode_aliases(sig[1]), sig[3],
                                       sig[4]), sig[5] or "", contexts)
             for sig, h in holders.items()}  # fmt: skip
    actor_of = {h.first: min(h.actors, default=None) for h in holders.values()}
    area, big = actor_neighbourhood(list(infos.values()), actor_of, seeds)
    groups = cluster_entities([infos[k] for k in sorted(area)], big_blocks=big)
    regroup = _Regroup(groups, reuse_ids(groups, actor_of), {k: actor_of[k] for k in area}, dirty)
    first_of = {sig: h.first for sig, h in holders.items() if h.first in area}
    return _write_actors(session, regroup, first_of, orphans, infos)


def _contexts(session: Session) -> dict[str, str]:
    """article id -> its context country (:func:`eventwire.resolve.generic.context_countries`),
    for the articles that have generic actors."""
    size = func.json_array_length(EntityRow.mentions)
    mentions = func.sum(case((size > 1, size), else_=1))
    agents = select(EntityRow.article_id).where(EntityRow.kb_id.like("agent:%"))
    query = (
        select(EntityRow.article_id, EntityRow.country, mentions)
        .where(EntityRow.type.in_(PLACE_TYPES), EntityRow.country.is_not(None),
               EntityRow.article_id.in_(agents))
        .group_by(EntityRow.article_id, EntityRow.country)
    )  # fmt: skip
    return context_countries(session.execute(query).tuples())


def _signatures(session: Session) -> dict[Signature, _Holders]:
    """Every entity signature, with the lowest pk holding it and the actors its holders have."""
    query = select(*_SIGNATURE, EntityRow.actor_id, func.min(EntityRow.pk))
    holders: dict[Signature, _Holders] = {}
    for *sig, actor, first in session.execute(query.group_by(*_SIGNATURE, EntityRow.actor_id)):
        found = holders.setdefault(tuple(sig), _Holders(first))  # type: ignore[arg-type]
        found.first = min(found.first, first)
        if actor is None:
            found.new = True
        else:
            found.actors.add(actor)
    return holders


_BLANK_ACTOR = {"name": "", "type": "", "aliases": [], "article_count": 0, "mention_count": 0,
                "generic": False}  # fmt: skip


def _write_actors(
    session: Session,
    regroup: _Regroup,
    first_of: dict[Signature, int],
    orphans: set[int],
    infos: Mapping[int, EntityInfo],
) -> ActorChanges:
    ids = _save(session, ActorRow, regroup, _BLANK_ACTOR)
    target = {first: ids[i] for i, group in enumerate(regroup.groups) for first in group}
    losing = {old for first, old in regroup.old_of.items() if old not in (None, target[first])}
    moved = _relink(session, {sig: target[first] for sig, first in first_of.items()}, losing)
    changed = {ids[i]: regroup.groups[i] for i in regroup.changed()}
    rows = actor_rows_of(session, changed)
    for actor, row in rows.items():
        row.update(traits([infos[first] for first in changed[actor]]))
    fresh = {ids[i] for i, gid in enumerate(regroup.ids) if gid is None}
    rows = _adopt(session, ActorRow, EntityRow.actor_id, rows, fresh, orphans)
    renamed = _renamed(session, {i: row["name"] for i, row in rows.items()})
    update_rows(session, ActorRow, rows)
    _drop(session, ActorRow, regroup.dropped() | orphans)
    return ActorChanges(moved, renamed, len(rows))


def _adopt(
    session: Session,
    table: Any,
    link_column: Any,
    rows: dict[int, dict[str, Any]],
    fresh: set[int],
    orphans: set[int],
) -> dict[int, dict[str, Any]]:
    """Give a new row the id of a row left with no members that summarised the same way.

    A recode deletes an article's codings and writes them again: an actor or story of that
    article alone loses every member, and its members come back unlinked. When they come back
    the same, they take their old id back (so a recode that changes no coding moves nothing,
    and the desk's links stay). ``orphans`` loses the ids taken; returns ``rows`` re-keyed.
    """
    if not (fresh and orphans):
        return rows
    columns = [c for c in table.__table__.c if c.name != "id"]
    stored = _in_chunks(session, select(table.id, *columns), table.id, orphans)
    free: dict[str, list[int]] = defaultdict(list)
    for row in sorted(stored, key=lambda r: r[0]):
        free[_summary_key(dict(row._mapping))].append(row[0])
    adopted = {}
    for new_id in sorted(fresh & set(rows)):
        spare = free.get(_summary_key(rows[new_id]))
        if spare:
            adopted[new_id] = spare.pop(0)
    for new_id, old_id in adopted.items():
        session.execute(update(link_column.class_).where(link_column == new_id)
                        .values({link_column.key: old_id}))  # fmt: skip
    _drop(session, table, set(adopted))
    orphans -= set(adopted.values())
    return {adopted.get(i, i): row for i, row in rows.items()}


def _summary_key(row: Mapping[str, Any]) -> str:
    return repr(sorted((k, v) for k, v in row.items() if k != "id"))


def _relink(session: Session, target: dict[Signature, int], losing: set[int | None]) -> set[int]:
    """Link new entities, and the entities of ``losing`` actors whose signature moved."""
    query = select(EntityRow.pk, EntityRow.actor_id, *_SIGNATURE)
    found = session.execute(query.where(EntityRow.actor_id.is_(None))).all()
    found += _in_chunks(session, query, EntityRow.actor_id, losing)
    moved = {}
    for pk, actor, *sig in found:
        new = target.get(tuple(sig))  # type: ignore[arg-type]
        if new is not None and new != actor:
            moved[pk] = new
    link(session, EntityRow, EntityRow.pk, "actor_id", moved)
    return set(moved)


def _renamed(session: Session, names: Mapping[int, str]) -> set[int]:
    """Actors whose display name changes (story labels that name them go stale)."""
    rows = _in_chunks(session, select(ActorRow.id, ActorRow.name), ActorRow.id, names)
    return {actor for actor, name in rows if name and names[actor] != name}


# --- stories --------------------------------------------------------------------------------


def update_stories(session: Session, changes: ActorChanges) -> int:
    """Group new events, and events whose actors changed, again; write what changed."""
    events, dirty, orphans = _story_seeds(session, changes)
    if events:
        _add_neighbours(session, events)
    actors = _actor_sets(session, events)
    items = [story_item(events[pk], actors.get(pk, set())) for pk in sorted(events)]
    groups = group_items(items)
    story_of = {pk: e["story_id"] for pk, e in events.items()}
    regroup = _Regroup(groups, reuse_ids(groups, story_of), story_of, dirty)
    written = _write_stories(session, regroup, events, actors, orphans)
    relabelled = _relabel(session, changes.renamed, written | regroup.dropped())
    _drop(session, StoryRow, regroup.dropped() | orphans)
    return len(written) + relabelled


def _story_seeds(
    session: Session, changes: ActorChanges
) -> tuple[dict[int, Any], set[int], set[int]]:
    """Events to group again (new, of a stale story, or with an entity that changed actor),
    the stories that must be rewritten, and the stories left with no events."""
    per_story = select(EventRow.story_id, func.count()).where(EventRow.story_id.is_not(None))
    counts = dict(session.execute(per_story.group_by(EventRow.story_id)).tuples().all())
    dirty, orphans = _stale(session, StoryRow, StoryRow.event_count, counts)
    touched = _in_chunks(
        session, select(EventActorRow.event_pk).distinct(), EventActorRow.entity_pk, changes.moved
    )
    events = _events(session, EventRow.pk, {pk for (pk,) in touched})
    events.update(_events(session, EventRow.story_id, dirty))
    query = event_select().where(EventRow.story_id.is_(None))
    events.update({r.pk: r._mapping for r in session.execute(query)})
    dirty |= {e["story_id"] for e in events.values()} - {None}  # their labels name actors
    return events, dirty, orphans


def _events(session: Session, column: Any, values: Iterable[Any]) -> dict[int, Any]:
    rows = _in_chunks(session, event_select(), column, values)
    return {r.pk: r._mapping for r in rows}


def _actor_sets(session: Session, pks: Iterable[int]) -> dict[int, set[int]]:
    """event pk -> the corpus actors of its entities."""
    query = (
        select(EventActorRow.event_pk, EntityRow.actor_id)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .where(EntityRow.actor_id.is_not(None))
    )
    out: dict[int, set[int]] = defaultdict(set)
    for event_pk, actor in _in_chunks(session, query, EventActorRow.event_pk, pks):
        out[event_pk].add(actor)
    return out


def _items(session: Session, events: Mapping[int, Any]) -> list[StoryItem]:
    actors = _actor_sets(session, events)
    return [story_item(e, actors.get(pk, set())) for pk, e in events.items()]


def _add_neighbours(session: Session, events: dict[int, Any]) -> None:
    """Add every event that can be one story with the seeds, to a fixed point, and every
    event of their stories.

    Grouping is ordered (precise reports first, closest dates first, see
    :mod:`eventwire.resolve.stories`), so one new pair can change a choice anywhere among the
    reports linked to it: regrouping gives what a full rebuild gives only over whole connected
    sets of candidate pairs. Old stories of what is found join too, since they may split.
    """
    frontier = dict(events)
    while frontier:
        seeds = _items(session, frontier)
        buckets: dict[tuple[str, str], list[StoryItem]] = defaultdict(list)
        for seed in seeds:
            for key in bucket_keys(seed):
                buckets[key].append(seed)
        near = _dates_near(seeds)
        found = _by_actor(session, seeds, buckets, events, near)
        found |= _by_place(session, seeds, buckets, events, near)
        stories = {e["story_id"] for e in (*found.values(), *frontier.values())} - {None}
        found |= _events(session, EventRow.story_id, stories)
        frontier = {pk: row for pk, row in found.items() if pk not in events}
        events.update(frontier)


def _by_actor(
    session: Session,
    seeds: list[StoryItem],
    buckets: Mapping[tuple[str, str], list[StoryItem]],
    events: Mapping[int, Any],
    near: Any,
) -> dict[int, Any]:
    """Stored events that share an actor with a seed and are its story (the actor ties them)."""
    query = (
        select(EventActorRow.event_pk, EntityRow.actor_id)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .join(EventRow, EventRow.pk == EventActorRow.event_pk)
        .where(EventRow.type.in_({s.category for s in seeds}), near)
    )
    actors = {int(a) for s in seeds for a in s.actors}
    pairs = [(pk, a) for pk, a in _in_chunks(session, query, EntityRow.actor_id, actors)
             if pk not in events]  # fmt: skip
    rows = _events(session, EventRow.pk, {pk for pk, _ in pairs})
    joined = {}
    for pk, actor in pairs:
        item = story_item(rows[pk], {actor})
        if any(same_story(seed, item) for seed in buckets.get((item.category, f"a:{actor}"), ())):
            joined[pk] = rows[pk]
    return joined


def _dates_near(seeds: list[StoryItem], limit: int = 2000) -> Any:
    """A WHERE clause keeping events whose date may overlap a seed's (a superset).

    Day-level ISO dates are kept only on the seeds' days or in a seed's article (a vague
    report pairs with any report of its article); other dates (months, years, ranges, none)
    are left to :func:`same_story`. No filter when a seed is undated or spans many days.
    """
    articles = sorted({s.article for s in seeds if s.article is not None})
    if any(s.start is None or s.end is None for s in seeds) or len(articles) >= limit:
        return true()
    days: set[str] = set()
    for seed in seeds:
        span = (seed.end - seed.start).days  # type: ignore[operator]
        if len(days) + span >= limit:
            return true()
        days |= {(seed.start + timedelta(d)).isoformat() for d in range(span + 1)}  # type: ignore[operator]
    return or_(
        EventRow.date_value.is_(None),
        EventRow.date_granularity.is_distinct_from("day"),
        func.length(EventRow.date_value) != 10,
        EventRow.date_value.in_(sorted(days)),
        EventRow.article_id.in_(articles),
    )


def _by_place(
    session: Session,
    seeds: list[StoryItem],
    buckets: Mapping[tuple[str, str], list[StoryItem]],
    events: Mapping[int, Any],
    near: Any,
) -> dict[int, Any]:
    """Stored events named at a seed's place that are its story."""
    places = {s.place for s in seeds if s.place}
    names = select(EventRow.loc_name).distinct().where(EventRow.loc_name.is_not(None))
    spelled = [n for (n,) in session.execute(names) if fold(n) in places]
    query = event_select().where(EventRow.type.in_({s.category for s in seeds}), near)
    rows = {r.pk: r._mapping for r in _in_chunks(session, query, EventRow.loc_name, spelled)}
    rows = {pk: row for pk, row in rows.items() if pk not in events}
    joined = {}
    for item in _items(session, rows):
        bucket = buckets.get((item.category, f"p:{item.place}"), ())
        if any(same_story(seed, item) for seed in bucket):
            joined[item.key] = rows[item.key]
    return joined


_BLANK_STORY = {"type": "", "label": "", "event_count": 0, "article_count": 0, "source_count": 0}


def _write_stories(
    session: Session,
    regroup: _Regroup,
    events: Mapping[int, Any],
    actors: Mapping[int, set[int]],
    orphans: set[int],
) -> set[int]:
    """Link the regrouped events and summarise the stories that changed; their ids. A new
    story summarised like an emptied one takes its id (:func:`_adopt`)."""
    ids = _save(session, StoryRow, regroup, _BLANK_STORY)
    moved = {
        pk: ids[i] for i, group in enumerate(regroup.groups) for pk in group
        if regroup.old_of.get(pk) != ids[i]
    }  # fmt: skip
    link(session, EventRow, EventRow.pk, "story_id", moved)
    changed = {ids[i]: regroup.groups[i] for i in regroup.changed()}
    fresh = {ids[i] for i, gid in enumerate(regroup.ids) if gid is None}
    rows = _story_rows(session, changed, events, actors)
    rows = _adopt(session, StoryRow, EventRow.story_id, rows, fresh, orphans)
    update_rows(session, StoryRow, rows)
    return set(rows)


def _story_rows(
    session: Session,
    groups: Mapping[int, Sequence[int]],
    events: Mapping[int, Any],
    actors: Mapping[int, set[int]],
) -> dict[int, dict[str, Any]]:
    """story id -> its summary row, from its events."""
    pks = [pk for group in groups.values() for pk in group]
    names = dict(_in_chunks(session, select(ActorRow.id, ActorRow.name), ActorRow.id,
                            {a for pk in pks for a in actors.get(pk, ())}))  # fmt: skip
    articles = load_articles(session, {events[pk]["article_id"] for pk in pks})
    return {
        story: story_row([dict(events[pk]) for pk in group],
                         [actors.get(pk, set()) for pk in group], articles, names)
        for story, group in groups.items()
    }  # fmt: skip


def _relabel(session: Session, renamed: set[int], written: set[int]) -> int:
    """Rewrite kept stories whose label may name a renamed actor; how many."""
    if not renamed:
        return 0
    query = (
        select(EventRow.story_id).distinct()
        .join(EventActorRow, EventActorRow.event_pk == EventRow.pk)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
    )  # fmt: skip
    stories = {s for (s,) in _in_chunks(session, query, EntityRow.actor_id, renamed)}
    stories -= written | {None}
    events = _events(session, EventRow.story_id, stories)
    actors = _actor_sets(session, events)
    groups: dict[int, list[int]] = defaultdict(list)
    for pk in sorted(events):
        groups[events[pk]["story_id"]].append(pk)
    update_rows(session, StoryRow, _story_rows(session, groups, events, actors))
    return len(groups)
