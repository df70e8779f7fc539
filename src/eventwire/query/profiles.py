"""Actor pages from memory: every actor's events, names, roles and quotes, read once per store.

An actor page in SQL gathers everything about one actor: on a store of 100,000 articles the
busiest actor takes part in 150,000 events and is named 80,000 times, and its page took half a
second (its events counted and sorted, its names grouped), while the server made everyone else
wait. Built beside the network's edge table (:mod:`.edges`), with the same freshness, this
index holds per actor key: its events in the desk's order (newest first), its names with
counts and first and last dates, its first roles and its latest quotes. A page is then a few
array slices and one query for the events it shows.

Answers are those of the SQL path (:func:`.queries.get_actor`), merges included (an actor's
page gathers the actors merged into it). Stores with split corrections or corrected events
take the SQL path, which applies them.
"""

from __future__ import annotations

import heapq
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from eventwire.query.corrections import Overlay
from eventwire.query.keys import key_of
from eventwire.store.schema import ArticleRow, EntityRow, EventActorRow, EventRow, QuoteRow, RoleRow

#: What an actor page shows, here and in SQL (:mod:`.queries`): names (most used first), roles
#: (oldest first), quotes (newest first); and the keys of each row.
NAMES, ROLES, QUOTES = 50, 200, 100
NAME_KEYS = ("name", "articles", "first_seen", "last_seen")
ROLE_KEYS = ("title", "of", "published", "article_id", "article_title", "evidence")
QUOTE_KEYS = ("text", "cue", "start", "article_id", "article_title", "published")
Row = tuple[Any, ...]
#: Rows are read in chunks: buffering the 800,000 event-actor rows of a large store at once
#: took more memory than the profiles themselves.
STREAM = {"yield_per": 20_000}


@dataclass(frozen=True, slots=True)
class ActorProfiles:
    """Per actor key (an integer code): events, names, roles and quotes."""

    codes: dict[str, int]
    starts: np.ndarray  # code -> offset of its events in ``ranks`` (length codes + 1)
    ranks: np.ndarray  # event ranks per code, ascending: rank 0 is the newest event
    rank_pk: np.ndarray  # rank -> event pk
    names: dict[int, list[Row]]  # (name, entity rows, first published, last published)
    roles: dict[int, list[Row]]  # (sort key, ROLE_KEYS values) oldest first, at most ROLES
    quotes: dict[int, list[Row]]  # (sort key, QUOTE_KEYS values) newest first, at most QUOTES

    def codes_of(self, key: str, overlay: Overlay) -> list[int]:
        """Codes of actor ``key`` and of every actor merged into it that the store names."""
        return [self.codes[k] for k in overlay.merged_into(key) if k in self.codes]

    def events(self, codes: list[int], limit: int) -> tuple[list[int], int]:
        """The newest ``limit`` event pks of these actors, newest first, and how many they have."""
        parts = [self.ranks[self.starts[c] : self.starts[c + 1]] for c in codes]
        ranks = np.unique(np.concatenate(parts)) if len(parts) > 1 else (parts or [_EMPTY])[0]
        return self.rank_pk[ranks[:limit]].tolist(), int(len(ranks))

    def names_of(self, codes: list[int]) -> list[dict[str, Any]]:
        merged: dict[str, list[Any]] = {}
        for code in codes:
            for name, count, first, last in self.names.get(code, []):
                seen = merged.setdefault(name, [0, first, last])
                seen[0] += count
                seen[1] = _least(seen[1], first)
                seen[2] = _greatest(seen[2], last)
        ordered = sorted(merged.items(), key=lambda item: (-item[1][0], item[0]))[:NAMES]
        return [dict(zip(NAME_KEYS, (name, *seen), strict=True)) for name, seen in ordered]

    def roles_of(self, codes: list[int]) -> list[dict[str, Any]]:
        return _merged((self.roles.get(c, []) for c in codes), ROLES, ROLE_KEYS)

    def quotes_of(self, codes: list[int]) -> list[dict[str, Any]]:
        return _merged((self.quotes.get(c, []) for c in codes), QUOTES, QUOTE_KEYS)


_EMPTY = np.zeros(0, dtype=np.int64)


def usable(overlay: Overlay) -> bool:
    """True when no correction changes what the index holds (splits or corrected events)."""
    return not overlay.splits and not overlay.events


def _least(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _greatest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def _merged(groups: Iterable[list[Row]], limit: int, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The first ``limit`` rows of these groups in their sort order, as dicts of ``keys``
    (a busy actor has thousands of name and role rows; only the first few are shown)."""
    rows = heapq.nsmallest(limit, (row for group in groups for row in group), key=itemgetter(0))
    return [dict(zip(keys, row[1], strict=True)) for row in rows]


def load_profiles(session: Session) -> ActorProfiles:
    """Read every actor's events, names, roles and quotes (one pass over each table)."""
    codes: dict[str, int] = {}
    pairs, rank_pk = _event_index(session, codes)
    names = _names(session, codes)
    roles = _kept(_roles(session, codes), ROLES)
    quotes = _kept(_quotes(session, codes), QUOTES)
    # Offsets once every code is known (names, roles and quotes add actors without events).
    starts = np.searchsorted(pairs[:, 0], np.arange(len(codes) + 1)).astype(np.int64)
    return ActorProfiles(codes, starts, pairs[:, 1].copy(), rank_pk, names, roles, quotes)


def _code(codes: dict[str, int], actor_id: int | None, lowered: str | None) -> int:
    return codes.setdefault(key_of(actor_id, lowered), len(codes))


def _lowered() -> Any:
    """``lower(name)`` as the store computes it (SQLite lowers ASCII only), for keys."""
    return func.lower(EntityRow.name)


def _event_index(session: Session, codes: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(actor code, event rank) pairs, sorted and unique, and the event pk of each rank.

    Rank 0 is the newest event in the desk's order (date descending, missing dates last).
    """
    order = (EventRow.date_value.desc().nulls_last(), EventRow.pk.desc())
    rank_pk = np.asarray(session.scalars(select(EventRow.pk).order_by(*order)).all(), np.int64)
    query = select(EventActorRow.event_pk, EntityRow.actor_id, _lowered()).join(
        EntityRow, EntityRow.pk == EventActorRow.entity_pk
    )
    pks, actors = array("q"), array("q")
    for pk, actor_id, lowered in session.execute(query, execution_options=STREAM):
        pks.append(pk)
        actors.append(_code(codes, actor_id, None if actor_id is not None else lowered))
    by_pk = np.argsort(rank_pk)
    ranks = by_pk[np.searchsorted(rank_pk[by_pk], np.frombuffer(pks, dtype=np.int64))]
    pairs = np.stack([np.frombuffer(actors, dtype=np.int64), ranks], axis=1)
    return np.unique(pairs.reshape(-1, 2), axis=0), rank_pk


def _names(session: Session, codes: dict[str, int]) -> dict[int, list[Row]]:
    lowered = _lowered()
    query = (
        select(
            EntityRow.actor_id,
            lowered,
            EntityRow.name,
            func.count(),
            func.min(ArticleRow.published),
            func.max(ArticleRow.published),
        )
        .join(ArticleRow, ArticleRow.id == EntityRow.article_id)
        .group_by(EntityRow.actor_id, lowered, EntityRow.name)
    )
    names: dict[int, list[Row]] = defaultdict(list)
    for actor_id, low, name, count, first, last in session.execute(query, execution_options=STREAM):
        code = _code(codes, actor_id, None if actor_id is not None else low)
        names[code].append((name, count, first, last))
    return dict(names)


def role_columns() -> tuple[Any, ...]:
    """The columns of :data:`ROLE_KEYS`: a role, the entity it is held in, its article."""
    other = aliased(EntityRow)
    of = (
        select(other.name)
        .where(other.article_id == RoleRow.article_id, other.local_id == RoleRow.of_local)
        .limit(1)
        .scalar_subquery()
    )
    return RoleRow.title, of, ArticleRow.published, ArticleRow.id, ArticleRow.title, RoleRow.ev_text


def quote_columns() -> tuple[Any, ...]:
    """The columns of :data:`QUOTE_KEYS`: a quotation and its article."""
    return (
        QuoteRow.text,
        QuoteRow.cue,
        QuoteRow.start,
        ArticleRow.id,
        ArticleRow.title,
        ArticleRow.published,
    )


def _roles(session: Session, codes: dict[str, int]) -> dict[int, list[Row]]:
    query = (
        select(EntityRow.actor_id, _lowered(), RoleRow.pk, *role_columns())
        .join(EntityRow, EntityRow.pk == RoleRow.entity_pk)
        .join(ArticleRow, ArticleRow.id == RoleRow.article_id)
    )
    return _by_actor(session, codes, query, _role_order)


def _quotes(session: Session, codes: dict[str, int]) -> dict[int, list[Row]]:
    query = (
        select(EntityRow.actor_id, _lowered(), QuoteRow.pk, *quote_columns())
        .join(EntityRow, EntityRow.pk == QuoteRow.speaker_pk)
        .join(ArticleRow, ArticleRow.id == QuoteRow.article_id)
    )
    return _by_actor(session, codes, query, _quote_order)


def _by_actor(
    session: Session, codes: dict[str, int], query: Any, order: Any
) -> dict[int, list[Row]]:
    """Rows of ``query`` (actor id, lowered name, pk, values...) by actor code, each as
    (``order(values, pk)``, values)."""
    grouped: dict[int, list[Row]] = defaultdict(list)
    for actor_id, low, pk, *values in session.execute(query, execution_options=STREAM):
        code = _code(codes, actor_id, None if actor_id is not None else low)
        grouped[code].append((order(values, pk), tuple(values)))
    return grouped


_ROLE_PUBLISHED = ROLE_KEYS.index("published")
_QUOTE_PUBLISHED = QUOTE_KEYS.index("published")


def _role_order(values: list[Any], pk: int) -> Row:
    """Oldest first, missing dates first (SQL's ascending order), then by row."""
    published = values[_ROLE_PUBLISHED]
    return (published is not None, published or "", pk)


def _quote_order(values: list[Any], pk: int) -> Row:
    """Newest first, missing dates last (SQL's descending order), then oldest row first."""
    published = values[_QUOTE_PUBLISHED]
    return (published is None, _descending(published or ""), pk)


def _descending(value: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse order."""
    return tuple(-ord(ch) for ch in value) + (1,)


def _kept(groups: dict[int, list[Row]], limit: int) -> dict[int, list[Row]]:
    """Each group sorted by its key, cut to ``limit`` (a merge of groups re-sorts and cuts)."""
    return {code: sorted(rows, key=lambda row: row[0])[:limit] for code, rows in groups.items()}
