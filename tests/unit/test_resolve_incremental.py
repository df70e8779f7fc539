"""Incremental resolution: the same partitions as a full rebuild, stable ids (no model).

The property: resolve store A, add B and resolve incrementally, and the entities are grouped
into actors, and the events into stories, exactly as a full resolve of A+B groups them.
Partitions are compared, never ids.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from eventwire.record import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    EventActors,
    EventDate,
    Location,
    TextSpan,
)
from eventwire.resolve import actors as actors_module
from eventwire.resolve import neighbourhood as neighbourhood_module
from eventwire.resolve import resolve_store
from eventwire.resolve.actors import EntityInfo, cluster_entities
from eventwire.resolve.neighbourhood import actor_neighbourhood, reuse_ids
from eventwire.store.db import open_store
from eventwire.store.schema import ActorRow, EntityRow, EventRow, StoryRow
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, replace_coding, write_batch

STAMP = Stamp("0.0-test", "blank", {"verbs.tsv": "1"})
FIRST = ["Omar", "Lena", "Omar", "Karim", "Ana"]
LAST = ["Haddad", "Hadad", "Novak", "Petrova", "Rahman", "Castillo"]
ORGS = ["Northern Front", "Northern Fronts", "River Council", "UN", "Rivers Council", "Army"]
PLACES = ["Aleppo", "Homs", "Gaza", None]
TYPES = ["ASSAULT", "CONSULT", "PROTEST"]


# --- generated records ------------------------------------------------------------------------


def _entity(rng: random.Random, i: int) -> Entity:
    roll = rng.random()
    if roll < 0.4:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        kind, aliases = "PERSON", [name]
    elif roll < 0.55:
        name = rng.choice(LAST)  # a lone surname
        kind, aliases = "PERSON", [name]
    else:
        name = rng.choice(ORGS)
        kind, aliases = "ORG", [name] + (["UN"] if name == "River Council" else [])
    country = rng.choice([None, None, "SYR", "LBN"])
    kb_id = "org:un" if name == "UN" else None
    return Entity(f"e{i}", name, kind, aliases=aliases, country=country, kb_id=kb_id,
                  mentions=[TextSpan(0, 1, "x")] * rng.randint(1, 3))  # fmt: skip


def _event(rng: random.Random, i: int, entities: Sequence[Entity]) -> Event:
    ids = [e.id for e in rng.sample(list(entities), k=min(len(entities), rng.randint(0, 2)))]
    day = rng.randint(1, 6)
    place = rng.choice(PLACES)
    return Event(
        id=f"v{i}", type=rng.choice(TYPES), trigger=TextSpan(0, 1, "x"),
        evidence=TextSpan(0, 1, "x"), actors=EventActors(ids[:1], ids[1:]),
        date=EventDate(f"2024-03-0{day}", "day", None, "explicit") if day < 6 else None,
        location=Location(place, None, "SYR") if place else None,
    )  # fmt: skip


def generated(rng: random.Random, n: int, offset: int = 0) -> list[ArticleRecord]:
    """Small records whose names collide on purpose: shared and lone surnames, near-equal names."""
    out = []
    for k in range(offset, offset + n):
        entities = [_entity(rng, i) for i in range(1, rng.randint(2, 5))]
        events = [_event(rng, i, entities) for i in range(1, rng.randint(1, 3))]
        article = Article(id=f"{k:016x}", text=f"article {k}", source=f"S{k % 3}",
                          published=f"2024-03-{1 + k % 9:02d}", published_basis="given")  # fmt: skip
        out.append(ArticleRecord(article=article, entities=entities, events=events))
    return out


# --- store helpers ----------------------------------------------------------------------------


def write(store, records: Iterable[ArticleRecord]) -> None:  # type: ignore[no-untyped-def]
    results = [Result(r.article.id, r.article.id, r) for r in records]
    with store.session() as session, session.begin():
        write_batch(session, results, STAMP, fts=store.has_fts)


def partitions(store) -> tuple[set[frozenset[str]], set[frozenset[str]]]:  # type: ignore[no-untyped-def]
    """Entities by actor and events by story, each named by (article, local id)."""
    out = []
    with store.session() as session:
        for table, group in ((EntityRow, EntityRow.actor_id), (EventRow, EventRow.story_id)):
            by: dict[object, set[str]] = defaultdict(set)
            for aid, local, gid in session.execute(select(table.article_id, table.local_id, group)):
                assert gid is not None, "every coding is linked after resolution"
                by[gid].add(f"{aid}:{local}")
            out.append({frozenset(v) for v in by.values()})
    return out[0], out[1]


def rows(store, table) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Summary rows without ids, sorted: what the desk shows of actors or stories."""
    columns = [c for c in table.__table__.c if c.name != "id"]
    with store.session() as session:
        cleaned = [dict(r._mapping) for r in session.execute(select(*columns))]
    return sorted(cleaned, key=repr)


@pytest.fixture()
def stores(tmp_path: Path):  # type: ignore[no-untyped-def]
    pair = open_store(str(tmp_path / "inc.db")), open_store(str(tmp_path / "full.db"))
    yield pair
    for store in pair:
        store.close()


# --- store-level properties -------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_incremental_after_ingest_equals_full_rebuild(stores, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    first, second = generated(rng, 25), generated(rng, 8, offset=25)
    incremental, full = stores
    write(incremental, first)
    resolve_store(incremental, full=True)
    write(incremental, second)
    summary = resolve_store(incremental)
    write(full, first + second)
    resolve_store(full, full=True)
    assert not summary.full
    assert partitions(incremental) == partitions(full)
    assert rows(incremental, ActorRow) == rows(full, ActorRow)
    assert rows(incremental, StoryRow) == rows(full, StoryRow)


@pytest.mark.parametrize("seed", range(3))
def test_incremental_after_recode_equals_full_rebuild(stores, seed: int) -> None:  # type: ignore[no-untyped-def]
    """A recode deletes an article's codings and writes new ones: actors and stories that lost
    members are regrouped (they may split), like a full rebuild."""
    rng = random.Random(seed)
    records = generated(rng, 25)
    recoded = [ArticleRecord(article=r.article, entities=fresh.entities, events=fresh.events)
               for r, fresh in zip(records[:5], generated(rng, 5, offset=100), strict=True)]  # fmt: skip
    incremental, full = stores
    for store in stores:
        write(store, records)
        resolve_store(store, full=True)
        with store.session() as session, session.begin():
            for record in recoded:
                replace_coding(session, record, STAMP, fts=store.has_fts)
    resolve_store(incremental)
    resolve_store(full, full=True)
    assert partitions(incremental) == partitions(full)
    assert rows(incremental, ActorRow) == rows(full, ActorRow)
    assert rows(incremental, StoryRow) == rows(full, StoryRow)


def test_untouched_actors_keep_their_ids(stores) -> None:  # type: ignore[no-untyped-def]
    store, _ = stores
    write(store, generated(random.Random(1), 20))
    resolve_store(store, full=True)
    with store.session() as session:
        before = dict(session.execute(select(EntityRow.pk, EntityRow.actor_id)).tuples().all())
    write(store, generated(random.Random(2), 3, offset=20))
    summary = resolve_store(store)
    with store.session() as session:
        after = dict(session.execute(select(EntityRow.pk, EntityRow.actor_id)).tuples().all())
    kept = sum(after[pk] == actor for pk, actor in before.items())
    assert kept == len(before)  # generated names only join, never split, existing actors
    assert 0 < summary.changed_actors < summary.actors


def test_nothing_new_changes_nothing(stores) -> None:  # type: ignore[no-untyped-def]
    store, _ = stores
    write(store, generated(random.Random(3), 10))
    resolve_store(store, full=True)
    before = partitions(store), rows(store, ActorRow), rows(store, StoryRow)
    summary = resolve_store(store)
    assert (summary.changed_actors, summary.changed_stories) == (0, 0)
    assert (partitions(store), rows(store, ActorRow), rows(store, StoryRow)) == before


def test_first_incremental_resolve_of_a_fresh_store_is_a_full_one(stores) -> None:  # type: ignore[no-untyped-def]
    incremental, full = stores
    records = generated(random.Random(4), 15)
    write(incremental, records)
    write(full, records)
    assert resolve_store(incremental).full
    resolve_store(full, full=True)
    assert partitions(incremental) == partitions(full)
    with incremental.session() as session:
        assert session.scalar(select(func.count()).select_from(ActorRow)) > 0


# --- pure properties ---------------------------------------------------------------------------


def _partition(groups: Iterable[Iterable[int]]) -> set[frozenset[int]]:
    return {frozenset(g) for g in groups}


_names = st.sampled_from(["Omar Haddad", "Omar Hadad", "Haddad", "Lena Haddad", "Lena Novak",
                          "Novak", "Ana Novakova", "Ana Novakowa"])  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(_names, st.sampled_from([None, "SYR", "LBN"])), min_size=1, max_size=14),
    st.integers(0, 13),
)
def test_person_neighbourhood_regroups_like_a_full_run(
    people: list[tuple[str, str | None]], cut: int
) -> None:
    """Lone surnames, near-equal surnames and country clashes: the non-local person rules."""
    items = [EntityInfo(k, name, "PERSON", (name,), country) for k, (name, country) in enumerate(people)]  # fmt: skip
    assert _regrouped(items, cut) == _partition(cluster_entities(items))


def _regrouped(items: list[EntityInfo], cut: int) -> set[frozenset[int]]:
    """Cluster items[:cut] in full, then items[cut:] incrementally: the resulting partition."""
    old = {k: i for i, g in enumerate(cluster_entities(items[:cut])) for k in g}
    actor_of = {item.key: old.get(item.key) for item in items}
    area, big = actor_neighbourhood(items, actor_of, {item.key for item in items[cut:]})
    regrouped = cluster_entities([i for i in items if i.key in area], big_blocks=big)
    outside: dict[int | None, list[int]] = defaultdict(list)
    for key, actor in actor_of.items():
        if key not in area:
            outside[actor].append(key)
    return _partition([*regrouped, *outside.values()])


_orgs = st.sampled_from(["Northern Front", "Northern Fronts", "Northern Council", "UN",
                         "United Nations", "Nile Basin Union", "Nile Basin Unions"])  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_orgs, st.sampled_from([None, "SYR"]), st.sampled_from([None, "org:un"])),
        min_size=1,
        max_size=12,
    ),
    st.integers(0, 11),
)
def test_organisation_neighbourhood_regroups_like_a_full_run(
    orgs: list[tuple[str, str | None, str | None]], cut: int
) -> None:
    """Equal and near-equal keys, kb ids, and a fuzzy block that crosses the size limit."""
    items = [EntityInfo(k, name, "ORG", (name,), country, kb)
             for k, (name, country, kb) in enumerate(orgs)]  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actors_module, "BLOCK_LIMIT", 2)
        patch.setattr(neighbourhood_module, "BLOCK_LIMIT", 2)
        assert _regrouped(items, cut) == _partition(cluster_entities(items))


def test_a_block_over_the_limit_undoes_its_near_equal_merges(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(actors_module, "BLOCK_LIMIT", 2)
    monkeypatch.setattr(neighbourhood_module, "BLOCK_LIMIT", 2)
    items = [EntityInfo(1, "Northern Front", "ORG"), EntityInfo(2, "Northern Fronts", "ORG"),
             EntityInfo(3, "Northern Council", "ORG")]  # fmt: skip
    assert _regrouped(items, 2) == {frozenset({1}), frozenset({2}), frozenset({3})}


def test_a_new_full_name_takes_back_a_lone_surname() -> None:
    """'Haddad' joined the only Haddad; a second full name makes it ambiguous again."""
    items = [EntityInfo(1, "Omar Haddad", "PERSON"), EntityInfo(2, "Haddad", "PERSON"),
             EntityInfo(3, "Lena Haddad", "PERSON")]  # fmt: skip
    area, _ = actor_neighbourhood(items, {1: 10, 2: 10, 3: None}, {3})
    assert area == {1, 2, 3}


def test_unrelated_actors_stay_outside_the_neighbourhood() -> None:
    items = [EntityInfo(1, "Omar Haddad", "PERSON"), EntityInfo(2, "River Council", "ORG"),
             EntityInfo(3, "Omar Haddadi", "PERSON")]  # fmt: skip
    area, _ = actor_neighbourhood(items, {1: 10, 2: 11, 3: None}, {3})
    assert area == {1, 3}  # near-equal surname, same first name: reached; the council is not


def test_a_bridge_brings_in_both_actors() -> None:
    items = [EntityInfo(1, "UN", "ORG", (), None, "org:un"), EntityInfo(2, "River Council", "ORG"),
             EntityInfo(3, "River Council", "ORG", ("UN",))]  # fmt: skip
    area, _ = actor_neighbourhood(items, {1: 10, 2: 11, 3: None}, {3})
    assert area == {1, 2, 3}


def test_reuse_ids_keeps_the_majority_id_and_gives_splits_new_ones() -> None:
    old = {1: 7, 2: 7, 3: 7, 4: 8, 5: None}
    assert reuse_ids([[1, 2], [3], [4, 5]], old) == [7, None, 8]
    assert reuse_ids([[1, 2, 3, 4]], old) == [7]  # a merge keeps the larger actor's id
    assert reuse_ids([[5]], old) == [None]
