"""Lists narrowed to a date window: the actors most active in it, the stories dated in it.

The desk's actors and stories pages list the whole store; an analyst watching a period wants
who was active *then* and what happened *then*, with the window kept in the URL like every
other view's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventwire.query.corrections import Overlay
from eventwire.query.filters import EventFilter, where_clauses
from eventwire.query.keys import key_expr
from eventwire.query.network import display_names
from eventwire.query.queries import STORY_KEYS
from eventwire.query.series import in_window
from eventwire.store.schema import ArticleRow, EntityRow, EventActorRow, EventRow, StoryRow


def active_actors(
    session: Session, flt: EventFilter, overlay: Overlay, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Actors by the events they take part in (as source or target) under ``flt``, merges
    folded in, most active first (ties by key). The window (``since``/``until``) holds events
    by their effective date (:func:`.series.in_window`): undated events by their article's."""
    key = key_expr()
    bare = replace(flt, since=None, until=None)
    clauses = where_clauses(bare, dialect=session.get_bind().dialect.name, overlay=overlay)
    clauses += in_window(flt.since, flt.until)
    query = (
        select(key, func.count(func.distinct(EventRow.pk)), func.max(EntityRow.name))
        .select_from(EventActorRow)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .join(EventRow, EventRow.pk == EventActorRow.event_pk)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(*clauses)
        .group_by(key)
    )
    counts: Counter[str] = Counter()
    known: dict[str, str] = {}
    for k, n, name in session.execute(query):
        counts[overlay.actor(k)] += n
        known.setdefault(k, name)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    page = ranked[offset : offset + limit]
    names = display_names(session, {k for k, _ in page}, overlay, known)
    return [{"key": k, "name": names[k], "events": n} for k, n in page], len(ranked)


def stories_between(
    session: Session, since: str | None, until: str | None, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """Stories whose date falls in the window (ISO prefixes compare as dates), latest first."""
    query = select(*(getattr(StoryRow, k) for k in STORY_KEYS))
    if since:
        query = query.where(StoryRow.date_value >= since)
    if until:
        query = query.where(StoryRow.date_value <= until + "\uffff")
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (StoryRow.date_value.desc(), StoryRow.id.desc())
    rows = session.execute(query.order_by(*order).limit(limit).offset(offset))
    return [dict(zip(STORY_KEYS, row, strict=True)) for row in rows], total
