"""Corpus actors: the same person or organisation across articles becomes one actor.

Entities are compared by name keys (:func:`eventwire.extract.names.core_tokens`: folded,
honorifics and particles dropped), never by surface strings. The rules, in order:

* entities with the same knowledge-base id are one actor;
* persons: full names (two or more tokens) meet when their first names are equal and their
  surnames equal or near-equal (rapidfuzz, for transliterations such as Gaddafi/Qaddafi). Two
  people who share a surname but not a first name are never merged. A lone surname joins a
  full name only when exactly one full name in the corpus carries that surname;
* organisations, places and groups: equal keys of any name or alias, or near-equal keys
  (rapidfuzz token ratio) of the same type and first letter;
* never merged: different types, different countries, or different knowledge-base ids;
* always merged: entities alike in name, aliases, type, country and knowledge-base id.

The function is pure over :class:`EntityInfo` items so that it is tested without a store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from eventwire.extract.names import core_tokens

SURNAME_SIMILARITY = 85.0
ORG_SIMILARITY = 93.0
#: Near-equal organisation keys are compared pairwise only within blocks (type, first letter)
#: of at most this many distinct keys; larger blocks rely on equal keys alone.
BLOCK_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """What resolution needs of one stored entity."""

    key: int  # the entity's row id (or any unique id)
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    kb_id: str | None = None
    #: The article a generic actor is local to (:mod:`eventwire.resolve.generic`), else None.
    scope: str | None = None


def is_agent(item: EntityInfo) -> bool:
    """A generic actor ("police", "officials"): merged only by :func:`_kb_key`, never by name."""
    return bool(item.kb_id) and item.kb_id.startswith("agent:")  # type: ignore[union-attr]


def agent_phrase(item: EntityInfo) -> str:
    """The phrase an agent was matched by ("government" in "Japanese government")."""
    return min((a.lower() for a in item.aliases), default=item.name.lower())


def _canonical(item: EntityInfo) -> tuple[object, ...]:
    """A sort key from what the rules read: clustering in this order, not in row order,
    makes actors the same whatever order the articles were stored in."""
    return (item.name, item.aliases, item.type, item.country or "", item.kb_id or "",
            item.scope or "", item.key)  # fmt: skip


@dataclass(slots=True)
class _Group:
    """A union-find root's constraints: countries and kb ids seen in the group."""

    countries: set[str] = field(default_factory=set)
    kb_ids: set[str] = field(default_factory=set)


class Clusters:
    """Union-find over entity keys that refuses merges joining different countries or kb ids."""

    def __init__(self, items: Sequence[EntityInfo]) -> None:
        self.parent = {item.key: item.key for item in items}
        self.groups = {
            item.key: _Group({item.country} - {None}, {item.kb_id} - {None})  # type: ignore[arg-type]
            for item in items
        }

    def find(self, key: int) -> int:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: int, b: int) -> bool:
        """Merge the groups of a and b unless their constraints clash; True when merged."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ga, gb = self.groups[ra], self.groups[rb]
        if _clash(ga.countries, gb.countries) or _clash(ga.kb_ids, gb.kb_ids):
            return False
        self.parent[rb] = ra
        ga.countries |= gb.countries
        ga.kb_ids |= gb.kb_ids
        return True

    def components(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for key in self.parent:
            out[self.find(key)].append(key)
        return list(out.values())


def _clash(a: set[str], b: set[str]) -> bool:
    return bool(a) and bool(b) and not (a & b)


def _names(item: EntityInfo) -> list[tuple[str, ...]]:
    keys = {core_tokens(n) for n in (item.name, *item.aliases)}
    return [k for k in keys if k]


def cluster_entities(
    items: Sequence[EntityInfo], *, big_blocks: Collection[tuple[str, str]] = ()
) -> list[list[int]]:
    """Groups of entity keys that name the same corpus actor.

    Entities alike in everything the rules read (:func:`signature`) are one actor: only the
    first of them is clustered and the others follow it. (Clustered one by one, two
    "Army (LBN)" could both be refused by an earlier "Army (SYR)" and stay apart.)
    ``big_blocks`` names fuzzy blocks (:func:`fuzzy_block`) that are over :data:`BLOCK_LIMIT`
    in the whole corpus: the incremental step clusters a part of the corpus and must skip
    the same blocks a full rebuild skips.
    """
    firsts: dict[tuple[object, ...], int] = {}
    followers: dict[int, list[int]] = defaultdict(list)
    items = sorted(items, key=_canonical)
    for item in items:
        first = firsts.setdefault(signature(item), item.key)
        followers[first].append(item.key)
    leaders = [item for item in items if followers.get(item.key)]
    groups = _cluster(leaders, set(big_blocks))
    return [[key for leader in group for key in followers[leader]] for group in groups]


def signature(item: EntityInfo) -> tuple[object, ...]:
    """Everything the rules read of an entity (its key aside)."""
    return item.name, item.aliases, item.type, item.country, item.kb_id, item.scope


def _cluster(items: Sequence[EntityInfo], big_blocks: set[tuple[str, str]]) -> list[list[int]]:
    clusters = Clusters(items)
    _by_kb_id(items, clusters)
    persons = [i for i in items if i.type == "PERSON"]
    _persons(persons, clusters)
    _others([i for i in items if i.type != "PERSON"], clusters, big_blocks)
    return clusters.components()


def fuzzy_block(kind: str, key: tuple[str, ...]) -> tuple[str, str]:
    """The block in which a non-person name key is compared with near-equal keys."""
    return kind, " ".join(key)[:1]


def name_keys(item: EntityInfo) -> list[tuple[str, ...]]:
    """The entity's name keys (name and aliases, honorifics and particles dropped); none for
    a generic actor, which no name rule joins."""
    return [] if is_agent(item) else _names(item)


def blocking_keys(item: EntityInfo) -> set[str]:
    """Keys two entities share whenever an exact rule may join them (or may keep them apart).

    ``kb:`` knowledge-base key; ``pfs:first|surname`` a person's full name; ``ps:surname``
    every person carrying that surname, full or lone (the lone-surname rule counts them all);
    ``o:TYPE:key`` an organisation, place or group key. Near-equal names (fuzzy rules) are
    found separately, pairwise, by :mod:`eventwire.resolve.neighbourhood`.
    """
    keys: set[str] = set()
    kb = _kb_key(item)
    if kb:
        keys.add("kb:" + kb)
    if is_agent(item):
        return keys
    names = _names(item)
    if item.type != "PERSON":
        return keys | {f"o:{item.type}:{' '.join(k)}" for k in names}
    full = [k for k in names if len(k) > 1]
    for key in full:
        keys |= {f"pfs:{key[0]}|{key[-1]}", f"ps:{key[-1]}"}
    if not full:
        keys |= {f"ps:{k[0]}" for k in names}
    return keys


def _kb_key(item: EntityInfo) -> str | None:
    """The knowledge-base key two entities must share to merge.

    Generic actors ("police", "troops": kb ids ``agent:SECTOR``) name a kind of actor, not one
    actor, so they merge only with the same phrase in the same country, and within their
    article when they are local to it (:mod:`eventwire.resolve.generic`).
    """
    if not is_agent(item):
        return item.kb_id
    return f"{item.kb_id}|{item.country or ''}|{agent_phrase(item)}|{item.scope or ''}"


def _by_kb_id(items: Iterable[EntityInfo], clusters: Clusters) -> None:
    first: dict[str, int] = {}
    for item in items:
        key = _kb_key(item)
        if key:
            clusters.union(first.setdefault(key, item.key), item.key)


def _persons(items: Sequence[EntityInfo], clusters: Clusters) -> None:
    """Full names by first name then surname; lone surnames only when unambiguous. A generic
    actor typed PERSON ("the judge", "a minister") has no name keys: no name rule joins it."""
    full: dict[tuple[str, ...], list[int]] = defaultdict(list)
    lone: list[tuple[str, int]] = []
    for item in items:
        keys = name_keys(item)
        long_keys = [k for k in keys if len(k) > 1]
        for key in long_keys:
            full[key].append(item.key)
        if not long_keys and keys:
            lone.append((keys[0][0], item.key))
    for members in full.values():
        for other in members[1:]:
            clusters.union(members[0], other)
    _join_full_names(full, clusters)
    _join_lone_surnames(full, lone, clusters)


def _join_full_names(full: dict[tuple[str, ...], list[int]], clusters: Clusters) -> None:
    """Same first name, and the same or a near-same surname: one person."""
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key in full:
        by_first[key[0]].append(key)
    for keys in by_first.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if same_surname(a[-1], b[-1]):
                    clusters.union(full[a][0], full[b][0])


def same_surname(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= SURNAME_SIMILARITY


def _join_lone_surnames(
    full: dict[tuple[str, ...], list[int]], lone: list[tuple[str, int]], clusters: Clusters
) -> None:
    """'Smith' joins 'John Smith' only if no other Smith with another first name exists."""
    people_by_surname: dict[str, set[int]] = defaultdict(set)
    for key, members in full.items():
        people_by_surname[key[-1]].add(clusters.find(members[0]))
    for name, entity_key in lone:
        people = people_by_surname.get(name, set())
        if len(people) == 1:
            clusters.union(next(iter(people)), entity_key)
    # lone surnames that stay apart still meet each other
    first: dict[str, int] = {}
    for name, entity_key in lone:
        if len(people_by_surname.get(name, ())) != 1:
            clusters.union(first.setdefault(name, entity_key), entity_key)


def _others(
    items: Sequence[EntityInfo], clusters: Clusters, big_blocks: set[tuple[str, str]]
) -> None:
    """Organisations, places, groups: equal keys of any alias, then near-equal keys."""
    by_key: dict[tuple[str, tuple[str, ...]], int] = {}
    for item in items:
        for key in name_keys(item):
            clusters.union(by_key.setdefault((item.type, key), item.key), item.key)
    blocks: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for (kind, key), entity_key in by_key.items():
        blocks[fuzzy_block(kind, key)].append((" ".join(key), entity_key))
    for block, members in blocks.items():
        if block not in big_blocks:
            _fuzzy_block(members, clusters)


def _fuzzy_block(members: list[tuple[str, int]], clusters: Clusters) -> None:
    if len(members) > BLOCK_LIMIT:  # too many for pairwise comparison; equal keys joined
        return
    for i, (a, ka) in enumerate(members):
        for b, kb in members[i + 1 :]:
            if near_equal(a, b):
                clusters.union(ka, kb)


def near_equal(a: str, b: str) -> bool:
    """Two organisation keys (joined tokens) close enough to name one actor."""
    return min(len(a), len(b)) >= 5 and fuzz.token_sort_ratio(a, b) >= ORG_SIMILARITY


def actor_name(names: Iterable[str]) -> str:
    """The display name of an actor: its most frequent name, the longer one on a tie."""
    return best_name(Counter(names))


def best_name(counts: Mapping[str, int]) -> str:
    """:func:`actor_name` from counts already made."""
    return max(counts, key=lambda n: (counts[n], len(n), n))


def most_common(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    return max(counts, key=lambda v: (counts[v], v)) if counts else None
