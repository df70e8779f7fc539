"""The actor network's edges held in memory, so that a network is counted, not joined.

A network in SQL joins every matching event to its source and target actors and groups the
pairs: on a store of 100,000 articles a month or a category takes a few hundred milliseconds,
and each new filter value pays it again. Here the same join is read once per store
fingerprint into integer columns (one row per source-target pair of an event) and a network for
any category, period, country, modality or actor is a mask and a count over them (numpy), a
few milliseconds. Filters the table does not hold (words, article, story) go to SQL as before, as does any request made while the table is missing or older than the store; the
table is then (re)built in a background thread, never more often than :data:`MIN_PAUSE`
seconds or twice its last build time apart, so a store under constant ingest is not re-read
without pause.

Answers are those of :func:`.network.network`: untouched events are counted here, events a
correction changes are read one by one with the correction applied, merges are applied before
counting. The name shown for an unresolved actor is its greatest spelling over the store.
"""

from __future__ import annotations

import gc
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from eventwire.query.corrections import Overlay
from eventwire.query.filters import EventFilter, current_versions
from eventwire.query.keys import key_of
from eventwire.query.profiles import ActorProfiles, load_profiles
from eventwire.store.schema import ActorRow, EntityRow, EventActorRow, EventRow

#: The filters a table answers; any other filter goes to SQL.
HELD = frozenset({"since", "until", "type", "country", "modality", "actor"})
MIN_PAUSE = 5.0
Pair = tuple[str, str, str, str]


class Codes:
    """Strings to small integers (first seen, first code); None is -1."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def code(self, value: str | None) -> int:
        if value is None:
            return -1
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found

    def find(self, value: str | None) -> int:
        """The code of ``value``, or -2 (matches nothing) when the table never saw it."""
        return self.index.get(value, -2) if value is not None else -1


@dataclass(frozen=True, slots=True)
class EdgeTable:
    """Every (event, source actor, target actor) triple of the store, as integer columns."""

    stamp: tuple[Any, ...]
    columns: dict[str, np.ndarray]
    dates: list[str]
    codes: dict[str, Codes]
    names: list[str]
    profiles: ActorProfiles | None = None  # actor pages' data, read in the same pass
    by_actor: ActorRows | None = None  # rows of each actor's events, for ego networks
    key_order: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    #: Every resolved actor's name by id, read with the table: pages name the actors of their
    #: networks from here instead of asking the store each time.
    actor_names: Mapping[int, str] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.columns["pk"])

    def select(self, flt: EventFilter, skip: Sequence[int], overlay: Overlay) -> np.ndarray:
        """Row numbers of events that pass ``flt`` (whose filters are all in :data:`HELD`).

        With an actor filter, only that actor's own rows (:class:`ActorRows`) are tested: an
        actor page's ego network then costs in proportion to the actor's events, where
        boolean masks over every row cost a millisecond whatever the actor.
        """
        if flt.actor and self.by_actor is not None:
            rows = self._actor_rows(flt.actor, overlay)
            passes = self._passes(flt, skip, rows)
            return rows if passes is True else rows[passes]
        keep = self.with_actor(flt.actor, overlay) if flt.actor else np.ones(self.rows, bool)
        return np.flatnonzero(keep & self._passes(flt, skip, slice(None)))

    def _passes(
        self, flt: EventFilter, skip: Sequence[int], rows: np.ndarray | slice
    ) -> np.ndarray | bool:
        """Which of ``rows`` pass the filters other than the actor (True when none is set)."""
        c = self.columns
        keep: np.ndarray | bool = True
        if flt.since:
            keep &= c["date"][rows] >= bisect_left(self.dates, flt.since)
        if flt.until:
            date = c["date"][rows]
            keep &= (date >= 0) & (date < bisect_right(self.dates, flt.until + "\uffff"))
        if flt.type:
            keep &= c["type"][rows] == self.codes["type"].find(flt.type)
        if flt.modality:
            keep &= c["modality"][rows] == self.codes["modality"].find(flt.modality)
        if flt.country:
            code = self.codes["country"].find(flt.country.upper())
            keep &= (
                (c["country"][rows] == code)
                | (c["s_country"][rows] == code)
                | (c["t_country"][rows] == code)
            )
        if skip:
            keep &= ~np.isin(c["pk"][rows], np.asarray(skip, dtype=np.int64))
        return keep

    def _actor_codes(self, key: str, overlay: Overlay) -> list[int]:
        """The key codes of actor ``key`` and of those merged into it."""
        index = self.codes["key"].index
        return [index[k] for k in overlay.merged_into(key) if k in index]

    def _actor_rows(self, key: str, overlay: Overlay) -> np.ndarray:
        """Row numbers of the events of actor ``key`` and those merged into it (by_actor set)."""
        assert self.by_actor is not None
        return self.by_actor.rows_of(self._actor_codes(key, overlay))

    def with_actor(self, key: str, overlay: Overlay) -> np.ndarray:
        """Rows of events in which actor ``key`` (or one merged into it) is source or target."""
        keep = np.zeros(self.rows, dtype=bool)
        if self.by_actor is not None:
            keep[self._actor_rows(key, overlay)] = True
            return keep
        codes = self._actor_codes(key, overlay)
        c = self.columns
        rows = np.isin(c["source"], codes) | np.isin(c["target"], codes)
        events = np.zeros(int(c["event"].max(initial=-1)) + 1, dtype=bool)
        events[c["event"][rows]] = True
        return events[c["event"]]


@dataclass(frozen=True, slots=True)
class ActorRows:
    """Per actor code, its events; per event, its rows (both as offsets into sorted arrays).

    An actor's ego network then touches only the rows of its own events, where a scan of
    every row took a few milliseconds per page on a large store.
    """

    actor_starts: np.ndarray  # actor code -> offset into ``actor_events``
    actor_events: np.ndarray  # event indices, grouped by actor code
    event_starts: np.ndarray  # event index -> offset into ``event_rows``
    event_rows: np.ndarray  # row numbers, grouped by event index

    @classmethod
    def build(
        cls, event: np.ndarray, source: np.ndarray, target: np.ndarray, keys: int
    ) -> ActorRows:
        pairs = np.unique(
            np.stack([np.concatenate([source, target]), np.concatenate([event, event])], axis=1),
            axis=0,
        )
        actor_starts = np.searchsorted(pairs[:, 0], np.arange(keys + 1))
        order = np.argsort(event, kind="stable")
        event_starts = np.searchsorted(event[order], np.arange(int(event.max(initial=-1)) + 2))
        return cls(actor_starts, pairs[:, 1].copy(), event_starts, order)

    def rows_of(self, codes: list[int]) -> np.ndarray:
        """Row numbers of every event in which one of ``codes`` takes part."""
        events = np.unique(
            np.concatenate(
                [self.actor_events[self.actor_starts[c] : self.actor_starts[c + 1]] for c in codes]
                or [np.zeros(0, np.int64)]
            )
        )
        starts, ends = self.event_starts[events], self.event_starts[events + 1]
        lengths = ends - starts
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return self.event_rows[offsets + np.arange(int(lengths.sum()))]


def holds(flt: EventFilter) -> bool:
    """True when every filter set in ``flt`` is one an edge table answers."""
    return set(flt.params()) <= HELD


def load_table(session: Session, stamp: tuple[Any, ...]) -> EdgeTable:
    """Read the store's event-actor pairs into an :class:`EdgeTable` labelled ``stamp``.

    ``stamp`` must be read before the table, so that the table is never older than its label.
    """
    codes = {name: Codes() for name in ("type", "modality", "country", "key")}
    names: dict[int, str] = {}
    raw: dict[str, list[Any]] = {name: [] for name in ("pk", "date", "s", "t")}
    coded: dict[str, list[int]] = {
        name: [] for name in ("type", "modality", "country", "s_country", "t_country")
    }
    for row in session.execute(_pairs_query()):
        _add_row(row, raw, coded, codes, names)
    dates = sorted({d for d in raw["date"] if d is not None})
    date_code = {d: i for i, d in enumerate(dates)}
    pks = np.asarray(raw["pk"], dtype=np.int64)
    columns = {
        "pk": pks,
        "event": np.unique(pks, return_inverse=True)[1].astype(np.int32).reshape(-1),
        "date": np.asarray([date_code.get(d, -1) for d in raw["date"]], dtype=np.int32),
        "source": np.asarray(raw["s"], dtype=np.int32),
        "target": np.asarray(raw["t"], dtype=np.int32),
        **{name: np.asarray(values, dtype=np.int32) for name, values in coded.items()},
    }
    shown = [names.get(i, key.split(":", 1)[-1]) for i, key in enumerate(codes["key"].values)]
    by_actor = ActorRows.build(columns["event"], columns["source"], columns["target"], len(shown))
    profiles = load_profiles(session)
    actor_names = dict(session.execute(select(ActorRow.id, ActorRow.name)).tuples().all())
    key_order = _key_order(codes["key"].values)
    return EdgeTable(
        stamp, columns, dates, codes, shown, profiles, by_actor, key_order, actor_names
    )


def _pairs_query() -> Any:
    src, tgt = aliased(EventActorRow), aliased(EventActorRow)
    se, te = aliased(EntityRow), aliased(EntityRow)
    return (
        select(
            EventRow.pk,
            EventRow.type,
            EventRow.date_value,
            EventRow.modality,
            EventRow.loc_country,
            se.actor_id,
            se.name,
            se.country,
            te.actor_id,
            te.name,
            te.country,
        )
        .select_from(EventRow)
        .join(src, and_(src.event_pk == EventRow.pk, src.side == "source"))
        .join(se, se.pk == src.entity_pk)
        .join(tgt, and_(tgt.event_pk == EventRow.pk, tgt.side == "target"))
        .join(te, te.pk == tgt.entity_pk)
        .where(current_versions())
    )


def _add_row(
    row: Any,
    raw: dict[str, list[Any]],
    coded: dict[str, list[int]],
    codes: dict[str, Codes],
    names: dict[int, str],
) -> None:
    pk, kind, date, modality, country, s_id, s_name, s_country, t_id, t_name, t_country = row
    raw["pk"].append(pk)
    raw["date"].append(date or None)
    raw["s"].append(_actor_code(s_id, s_name, codes["key"], names))
    raw["t"].append(_actor_code(t_id, t_name, codes["key"], names))
    coded["type"].append(codes["type"].code(kind))
    coded["modality"].append(codes["modality"].code(modality))
    for column, value in (("country", country), ("s_country", s_country), ("t_country", t_country)):
        coded[column].append(codes["country"].code(value))


def _actor_code(actor_id: int | None, name: str, keys: Codes, names: dict[int, str]) -> int:
    """The code of the entity's actor key; an unresolved actor keeps its greatest spelling."""
    code = keys.code(key_of(actor_id, name.lower() if actor_id is None else None))
    if actor_id is None and name > names.get(code, ""):
        names[code] = name
    return code


def count_edges(
    table: EdgeTable,
    rows: np.ndarray,
    extra: list[tuple[str, str, str, str, str]],
    overlay: Overlay,
    max_edges: int,
) -> tuple[list[tuple[str, str, int, dict[str, int]]], int, dict[str, str]]:
    """The ``max_edges`` heaviest (source, target) pairs with their per-category counts.

    ``extra`` holds (source key, target key, category, source name, target name) of corrected
    events, counted once each. Merges are applied first and self-loops dropped. Returns the
    pairs (heaviest first, ties in key order), the number of distinct pairs, and names known
    for the keys shown.
    """
    keys = list(table.codes["key"].values)
    kinds = list(table.codes["type"].values)
    source, target, kind = _selected(table, rows, overlay, keys)
    source, target, kind = _with_extra(source, target, kind, extra, keys, kinds)
    keep = source != target
    source, target, kind = source[keep], target[keep], kind[keep]
    size = max(len(keys), 1)
    order, rank = table.key_order if len(keys) == len(table.names) else _key_order(keys)
    pair = rank[source] * size + rank[target] if len(source) else np.zeros(0, np.int64)
    unique, inverse, weights = np.unique(pair, return_inverse=True, return_counts=True)
    top = np.lexsort((unique, -weights))[:max_edges]
    per_kind = _kinds_of(inverse, kind, top, kinds)
    edges = [
        (
            keys[int(order[unique[i] // size])],
            keys[int(order[unique[i] % size])],
            int(weights[i]),
            per_kind[i],
        )
        for i in top
    ]
    return edges, len(unique), _names(table, edges, extra)


def _key_order(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(codes in key order, each code's place in that order): edges tie-break by key."""
    order = np.argsort(np.asarray(keys, dtype=object), kind="stable")
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = np.arange(len(keys))
    return order, rank


def _names(
    table: EdgeTable,
    edges: list[tuple[str, str, int, dict[str, int]]],
    extra: list[tuple[str, str, str, str, str]],
) -> dict[str, str]:
    """Names at hand for the keys shown: the table's, else a corrected event's."""
    known = {s: sn for s, _t, _k, sn, _tn in extra} | {t: tn for _s, t, _k, _sn, tn in extra}
    index = table.codes["key"].index
    for source, target, _w, _k in edges:
        for key in (source, target):
            if key in index:
                known[key] = table.names[index[key]]
    return known


def _selected(
    table: EdgeTable, rows: np.ndarray, overlay: Overlay, keys: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source, target and category codes of these rows, merges applied to the keys."""
    source = table.columns["source"][rows].astype(np.int64)
    target = table.columns["target"][rows].astype(np.int64)
    kind = table.columns["type"][rows].astype(np.int64)
    if overlay.merges:
        remap = np.arange(len(keys), dtype=np.int64)
        index = {k: i for i, k in enumerate(keys)}
        for i, key in enumerate(list(keys)):
            into = overlay.actor(key)
            if into != key:
                remap[i] = _index_of(into, keys, index)
        remap = np.concatenate([remap, np.arange(len(remap), len(keys), dtype=np.int64)])
        source, target = remap[source], remap[target]
    return source, target, kind


def _index_of(key: str, keys: list[str], index: dict[str, int]) -> int:
    if key not in index:
        index[key] = len(keys)
        keys.append(key)
    return index[key]


def _with_extra(
    source: np.ndarray,
    target: np.ndarray,
    kind: np.ndarray,
    extra: list[tuple[str, str, str, str, str]],
    keys: list[str],
    kinds: list[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not extra:
        return source, target, kind
    index = {k: i for i, k in enumerate(keys)}
    kind_index = {k: i for i, k in enumerate(kinds)}
    more = [
        (_index_of(s, keys, index), _index_of(t, keys, index), _index_of(k, kinds, kind_index))
        for s, t, k, _sn, _tn in extra
    ]
    add = np.asarray(more, dtype=np.int64).reshape(-1, 3)
    return (
        np.concatenate([source, add[:, 0]]),
        np.concatenate([target, add[:, 1]]),
        np.concatenate([kind, add[:, 2]]),
    )


def _kinds_of(
    inverse: np.ndarray, kind: np.ndarray, top: np.ndarray, kinds: list[str]
) -> dict[int, dict[str, int]]:
    """Per-category counts of the top pairs (by pair index), largest first."""
    chosen = np.isin(inverse, top)
    n_kinds = max(len(kinds), 1)
    combined, counts = np.unique(inverse[chosen] * n_kinds + kind[chosen], return_counts=True)
    found: dict[int, dict[str, int]] = {int(i): {} for i in top}
    for value, n in zip(combined.tolist(), counts.tolist(), strict=True):
        found[value // n_kinds][kinds[value % n_kinds]] = n
    return {i: by_count(d) for i, d in found.items()}


def by_count(counts: dict[str, int]) -> dict[str, int]:
    """Categories by count, largest first, ties by name (the order both network paths give)."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class EdgeIndex:
    """The latest :class:`EdgeTable` of a store, rebuilt in the background when it is stale."""

    def __init__(
        self,
        sessions: Callable[[], Any],
        fingerprint: Callable[[Session], tuple[Any, ...]],
    ) -> None:
        self.sessions, self.fingerprint = sessions, fingerprint
        self._table: EdgeTable | None = None
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._next_start = 0.0

    def table(self, stamp: tuple[Any, ...]) -> EdgeTable | None:
        """The table for ``stamp`` if it is built; otherwise None, and a rebuild is started."""
        table = self._table
        if table is not None and table.stamp == stamp:
            return table
        self.refresh()
        return None

    def refresh(self) -> threading.Thread | None:
        """Start a background build unless one runs or the last one ended too recently."""
        with self._lock:
            busy = self._worker is not None and self._worker.is_alive()
            if busy or time.monotonic() < self._next_start:
                return None
            self._worker = threading.Thread(target=self.build, name="eventwire-edges", daemon=True)
            self._worker.start()
            return self._worker

    def build(self) -> EdgeTable:
        """Read the table now (in the calling thread) and keep it."""
        start = time.monotonic()
        with self.sessions() as session:
            table = load_table(session, self.fingerprint(session))
        self._table = table
        freeze_heap()
        took = time.monotonic() - start
        self._next_start = time.monotonic() + max(MIN_PAUSE, 2 * took)
        return table


def freeze_heap() -> None:
    """Keep what lives as long as the desk out of the garbage collector's later full passes.

    The edge table, profiles and cached answers are hundreds of thousands of objects. Each full
    collection walked them all and held the interpreter for 150 ms on a 100k-article store, a
    pause every request in flight waited out; frozen, a full pass takes 0.25 ms. ``gc.freeze``
    moves them to a generation no collection visits. Frozen objects are still freed when
    nothing refers to them (this data holds no reference cycles), but a frozen cycle never
    would be: garbage is therefore collected first, in one pass over what is not frozen yet,
    once per build. What is allocated later is collected as before.
    """
    gc.collect()
    gc.freeze()
