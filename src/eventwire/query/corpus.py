"""Whole-store entry points of the read layer, for the command line and exports.

Each call opens one session, loads the analysts' corrections once and asks the same queries
the desk asks (:mod:`.events`, :mod:`.queries`, :mod:`.network`), so ``eventwire events
--json``, ``eventwire export`` and ``/api/events`` give the same events in the same JSON shape
for the same filters.

The desk's actor, story and network modules (and numpy, which their in-memory tables use) are
imported by the calls that need them: ``eventwire events`` should start in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventwire.query.corrections import Overlay, load_overlay
from eventwire.query.events import affected_pks, list_events, load_by_pks, serialize
from eventwire.query.filters import EventFilter, filtered_events
from eventwire.query.keys import is_key, name_key
from eventwire.store import MAX_ROW_ID
from eventwire.store.db import Store
from eventwire.store.schema import ActorRow, EventRow

#: Events read per statement while streaming an export.
BATCH = 500


@dataclass(slots=True)
class Page:
    """One page of results and the total number matching."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
        }


@contextmanager
def view(store: Store) -> Iterator[tuple[Session, Overlay]]:
    """A read session and the corrections to apply, loaded once for the whole call."""
    with store.session() as session:
        yield session, load_overlay(session)


def actor_key(session: Session, text: str) -> str:
    """The actor key a user means by ``text``: a key as is, a number as a corpus actor id, a
    corpus actor's name (case-insensitive), else the unresolved name's key."""
    text = text.strip()
    if is_key(text):
        return text
    if text.isdigit():
        return f"a{text}" if int(text) <= MAX_ROW_ID else "a0"
    found = session.scalar(
        select(ActorRow.id)
        .where(func.lower(ActorRow.name) == text.lower())
        .order_by(ActorRow.article_count.desc(), ActorRow.id)
        .limit(1)
    )
    return f"a{found}" if found is not None else name_key(text)


def events(store: Store, flt: EventFilter, *, limit: int = 50, offset: int = 0) -> Page:
    """Events matching ``flt``, newest first, corrections applied (the desk's event list)."""
    with view(store) as (session, overlay):
        items, total = list_events(session, flt, overlay, limit=limit, offset=offset)
    return Page(items, total, limit, offset)


def iter_events(store: Store, flt: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """Every event matching ``flt``, corrections applied: untouched events in id order, then the
    events a correction changes (matched on their corrected values). Streams in batches, so an
    export holds one batch at a time."""
    flt = flt or EventFilter()
    with view(store) as (session, overlay):
        dialect = session.get_bind().dialect.name
        skip = affected_pks(session, overlay)
        query = filtered_events(flt, dialect=dialect, overlay=overlay)
        if skip:
            query = query.where(EventRow.pk.not_in(skip))
        last = 0
        while True:
            rows = session.execute(
                query.where(EventRow.pk > last).order_by(EventRow.pk).limit(BATCH)
            ).all()
            if not rows:
                break
            yield from serialize(session, rows, overlay)
            last = rows[-1].pk
        yield from sorted(load_by_pks(session, skip, flt, overlay), key=lambda e: e["pk"])


def actors(
    store: Store, *, q: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0
) -> Page:  # noqa: A002
    """Actors by number of articles, merges folded in (the desk's actor list)."""
    from eventwire.query import queries as Q

    with view(store) as (session, overlay):
        items, total = Q.list_actors(session, overlay, q=q, type_=type, limit=limit, offset=offset)
    return Page(items, total, limit, offset)


def actor(store: Store, text: str) -> dict[str, Any] | None:
    """One actor's profile (names, roles, events as source and target, quotes, ego network),
    found by key, id or name; None when nothing matches."""
    from eventwire.query import queries as Q

    with view(store) as (session, overlay):
        return Q.get_actor(session, actor_key(session, text), overlay)


def stories(
    store: Store,
    *,
    type: str | None = None,
    min_articles: int = 1,
    limit: int = 50,
    offset: int = 0,
) -> Page:  # noqa: A002
    """Stories, most recently reported first, reported by at least ``min_articles`` articles."""
    from eventwire.query import queries as Q

    with store.session() as session:
        items, total = Q.list_stories(
            session, type_=type, min_articles=min_articles, limit=limit, offset=offset
        )
    return Page(items, total, limit, offset)


def story(store: Store, story_id: int) -> dict[str, Any] | None:
    from eventwire.query import queries as Q

    with view(store) as (session, overlay):
        return Q.get_story(session, story_id, overlay)


def network(store: Store, flt: EventFilter, *, max_edges: int = 1000) -> dict[str, Any]:
    """The actor network (nodes with weighted degree, heaviest directed edges, categories)."""
    from eventwire.query.network import network as network_graph

    with view(store) as (session, overlay):
        return network_graph(session, flt, overlay, max_edges=max_edges)


def search(store: Store, words: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Articles, quotes and event sentences that contain the words, best first."""
    from eventwire.query import queries as Q

    with store.session() as session:
        return Q.search(session, words, limit=limit)
