"""What an incremental resolution must look at again: the neighbourhood of new codings.

New entities (and the members of actors that lost entities to a recode) are the seeds. Some
actor rules are not local: a lone surname joins a full name only when exactly one full name
carries it; a new entity can bridge two existing actors; a fuzzy block past
:data:`~eventwire.resolve.actors.BLOCK_LIMIT` stops near-equal matching in the whole block.
So the neighbourhood is closed: every existing actor that shares a blocking key
(:func:`~eventwire.resolve.actors.blocking_keys`) or a near-equal name with anything in the
neighbourhood joins it, whole, until nothing new joins. Clustering that closed set with the
full rules gives what a full rebuild gives there.

(Story grouping has no such rules: it is the connected components of a pairwise relation, so
:mod:`eventwire.resolve.incremental` takes one step from the new events.)

The functions are pure, over :class:`EntityInfo`, so they are tested without a store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from eventwire.resolve.actors import (
    BLOCK_LIMIT,
    EntityInfo,
    blocking_keys,
    fuzzy_block,
    name_keys,
    near_equal,
    same_surname,
)

#: A unit of the closure: an existing actor ("a", id) or an unlinked entity ("e", pk).
Unit = tuple[str, int]


@dataclass(slots=True)
class _Index:
    """Blocking keys of the corpus: key -> units, and the candidates of the fuzzy rules."""

    units: dict[str, set[Unit]] = field(default_factory=lambda: defaultdict(set))
    keys: dict[Unit, set[str]] = field(default_factory=lambda: defaultdict(set))
    members: dict[Unit, list[int]] = field(default_factory=lambda: defaultdict(list))
    surnames: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    blocks: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    old_blocks: Counter[tuple[str, str]] = field(default_factory=Counter)


def _unit(pk: int, actor_of: Mapping[int, int | None]) -> Unit:
    actor = actor_of.get(pk)
    return ("e", pk) if actor is None else ("a", actor)


def _index(items: Sequence[EntityInfo], actor_of: Mapping[int, int | None]) -> _Index:
    index = _Index()
    old_keys: set[tuple[str, str, str]] = set()
    for item in items:
        unit = _unit(item.key, actor_of)
        index.members[unit].append(item.key)
        for key in blocking_keys(item):
            index.units[key].add(unit)
            index.keys[unit].add(key)
        for key in name_keys(item):
            _index_name(index, item, key, unit, old_keys)
    for kind, letter, _ in old_keys:
        index.old_blocks[kind, letter] += 1
    return index


def _index_name(
    index: _Index,
    item: EntityInfo,
    key: tuple[str, ...],
    unit: Unit,
    old: set[tuple[str, str, str]],
) -> None:
    """Record the candidates of the near-equal rules (full-name surnames, org blocks)."""
    if item.type == "PERSON":
        if len(key) > 1:
            index.surnames[key[0]].add(key[-1])
        return
    block = fuzzy_block(item.type, key)
    index.blocks[block].add(" ".join(key))
    if unit[0] == "a":
        old.add((*block, " ".join(key)))


def big_blocks(index: _Index) -> set[tuple[str, str]]:
    """Fuzzy blocks over the limit in the whole corpus (no near-equal matching there)."""
    return {block for block, texts in index.blocks.items() if len(texts) > BLOCK_LIMIT}


def _crossing_blocks(index: _Index) -> set[tuple[str, str]]:
    """Blocks that crossed the limit: every near-equal merge in them may come or go."""
    return {
        block
        for block, texts in index.blocks.items()
        if (len(texts) > BLOCK_LIMIT) != (index.old_blocks[block] > BLOCK_LIMIT)
    }


def _near_keys(key: str, index: _Index, big: set[tuple[str, str]]) -> Iterator[str]:
    """Keys of names near-equal to ``key`` under the fuzzy rules."""
    if key.startswith("pfs:"):
        first, _, last = key[4:].partition("|")
        for other in index.surnames.get(first, ()):
            if other != last and same_surname(last, other):
                yield f"pfs:{first}|{other}"
    elif key.startswith("o:"):
        kind, _, text = key[2:].partition(":")
        block = fuzzy_block(kind, tuple(text.split()))
        if block in big:
            return
        for other in index.blocks.get(block, ()):
            if other != text and near_equal(text, other):
                yield f"o:{kind}:{other}"


def actor_neighbourhood(
    items: Sequence[EntityInfo], actor_of: Mapping[int, int | None], seeds: Collection[int]
) -> tuple[set[int], set[tuple[str, str]]]:
    """Entity keys to cluster again around ``seeds``, and the corpus-wide big fuzzy blocks.

    ``actor_of`` maps every entity to its current actor (None when not linked yet).
    """
    index = _index(items, actor_of)
    big = big_blocks(index)
    crossing = _crossing_blocks(index)
    todo = [_unit(pk, actor_of) for pk in seeds]
    todo += [u for u, keys in index.keys.items() if any(_in_blocks(k, crossing) for k in keys)]
    seen: set[Unit] = set(todo)
    near: dict[str, list[str]] = {}
    while todo:
        unit = todo.pop()
        for key in index.keys.get(unit, ()):
            if key not in near:
                near[key] = [key, *_near_keys(key, index, big)]
            for other in (u for k in near[key] for u in index.units.get(k, ())):
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
    return {pk for unit in seen for pk in index.members.get(unit, ())}, big


def _in_blocks(key: str, blocks: set[tuple[str, str]]) -> bool:
    if not blocks or not key.startswith("o:"):
        return False
    kind, _, text = key[2:].partition(":")
    return fuzzy_block(kind, tuple(text.split())) in blocks


def reuse_ids(groups: Sequence[Sequence[int]], old: Mapping[int, int | None]) -> list[int | None]:
    """For each new group, the old id it keeps (None: a new row), so that ids stay stable.

    Larger groups choose first; each takes the old id most of its members had (the lower id
    on a tie), if no larger group took it.
    """
    order = sorted(range(len(groups)), key=lambda i: -len(groups[i]))
    taken: set[int] = set()
    out: list[int | None] = [None] * len(groups)
    for i in order:
        counts = Counter(old[k] for k in groups[i] if old.get(k) is not None)
        ranked = sorted(counts, key=lambda a: (-counts[a], a))  # type: ignore[arg-type]
        choice = next((a for a in ranked if a not in taken), None)
        if choice is not None:
            taken.add(choice)
            out[i] = choice
    return out
