"""Rows of the ``actors`` and ``stories`` tables, summarised from their members.

Shared by the full rebuild and the incremental step so that an actor or story summarised by
either has the same name, counts, dates and label.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Text, bindparam, case, cast, func, insert, select, update
from sqlalchemy.orm import Session

from eventwire.extract.datecheck import start_day
from eventwire.extract.names import fold
from eventwire.resolve.actors import actor_name, best_name, most_common
from eventwire.resolve.stories import StoryItem, interval
from eventwire.store.schema import ArticleRow, EntityRow

#: article id -> (published, source)
Articles = Mapping[str, tuple[str | None, str | None]]

_GRANULARITY_RANK = {"day": 0, "range": 1, "month": 2, "year": 3}


def load_articles(session: Session, ids: set[str] | None = None) -> dict[str, tuple[Any, Any]]:
    """article id -> (published, source), for all articles or only ``ids``."""
    query = select(ArticleRow.id, ArticleRow.published, ArticleRow.source)
    if ids is None:
        return {aid: (published, source) for aid, published, source in session.execute(query)}
    out: dict[str, tuple[Any, Any]] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        chunk = query.where(ArticleRow.id.in_(wanted[start : start + 500]))
        out.update({aid: (p, s) for aid, p, s in session.execute(chunk)})
    return out


def actor_row(members: list[dict[str, Any]], articles: Articles) -> dict[str, Any]:
    """Summary of one actor: display name, commonest type/country/kb id, aliases, counts, dates."""
    names = [m["name"] for m in members]
    aliases = Counter(a for m in members for a in [m["name"], *(m["aliases"] or [])])
    dates = sorted(
        d for d in (articles.get(m["article_id"], (None, None))[0] for m in members) if d
    )
    return {
        "name": actor_name(names),
        "type": most_common(m["type"] for m in members),
        "country": most_common(m["country"] for m in members),
        "kb_id": most_common(m["kb_id"] for m in members),
        "aliases": top_aliases(aliases),
        "first_seen": dates[0] if dates else None,
        "last_seen": dates[-1] if dates else None,
        "article_count": len({m["article_id"] for m in members}),
        "mention_count": sum(max(len(m["mentions"] or []), 1) for m in members),
    }


def top_aliases(counts: Counter[str], limit: int = 50) -> list[str]:
    """The commonest aliases; ties by spelling, never by which member was stored first."""
    return sorted(counts, key=lambda a: (-counts[a], a))[:limit]


def aliases_text() -> Any:
    """The aliases column as its JSON text: comparable and groupable on SQLite and PostgreSQL."""
    return cast(EntityRow.aliases, Text)


def decode_aliases(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text) or ()) if text else ()


def actor_rows_of(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """:func:`actor_row` of linked actors, aggregated in the database (no entity is loaded).

    The same summary as :func:`actor_row`: ties in type and aliases go by spelling.
    """
    wanted = sorted(ids)
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        combos: dict[int, list[Any]] = defaultdict(list)
        for row in session.execute(_combos_query(chunk)):
            combos[row.actor_id].append(row)
        for row in session.execute(_article_query(chunk)):
            out[row.actor_id] = _summary(combos[row.actor_id], row)
    return out


_GROUP = (EntityRow.actor_id, EntityRow.name, EntityRow.type, EntityRow.country, EntityRow.kb_id)


def _combos_query(ids: list[int]) -> Any:
    size = func.json_array_length(EntityRow.mentions)
    mentions = case((size > 1, size), else_=1)
    return (
        select(*_GROUP, aliases_text().label("aliases"), func.count().label("n"),
               func.min(EntityRow.pk).label("first"), func.sum(mentions).label("mentions"))
        .where(EntityRow.actor_id.in_(ids))
        .group_by(*_GROUP, aliases_text())
    )  # fmt: skip


def _article_query(ids: list[int]) -> Any:
    published = func.nullif(ArticleRow.published, "")
    return (
        select(EntityRow.actor_id, func.count(func.distinct(EntityRow.article_id)).label("articles"),
               func.min(published).label("first_seen"), func.max(published).label("last_seen"))
        .outerjoin(ArticleRow, ArticleRow.id == EntityRow.article_id)
        .where(EntityRow.actor_id.in_(ids))
        .group_by(EntityRow.actor_id)
    )  # fmt: skip


def _summary(combos: list[Any], articles: Any) -> dict[str, Any]:
    combos = sorted(combos, key=lambda c: c.first)
    names: Counter[str] = Counter()
    aliases: Counter[str] = Counter()
    types: Counter[str] = Counter()
    countries: Counter[str] = Counter()
    kb_ids: Counter[str] = Counter()
    for c in combos:
        names[c.name] += c.n
        for alias in (c.name, *decode_aliases(c.aliases)):
            aliases[alias] += c.n
        types[c.type] += c.n
        countries[c.country] += c.n if c.country else 0
        kb_ids[c.kb_id] += c.n if c.kb_id else 0
    return {
        "name": best_name(names),
        "type": _top(types),
        "country": _top(countries),
        "kb_id": _top(kb_ids),
        "aliases": top_aliases(aliases),
        "first_seen": articles.first_seen,
        "last_seen": articles.last_seen,
        "article_count": articles.articles,
        "mention_count": int(sum(c.mentions for c in combos)),
    }


def _top(counts: Counter[str]) -> str | None:
    """:func:`most_common` from counts (None and zero counts ignored)."""
    present = [v for v in counts if v and counts[v]]
    return max(present, key=lambda v: (counts[v], v)) if present else None


def story_item(event: Mapping[str, Any], actors: set[int]) -> StoryItem:
    """What story grouping compares of one stored event (its corpus actors as labels)."""
    start, end = interval(event["date_value"], event["date_granularity"])
    place = fold(event["loc_name"]) if event["loc_name"] else None
    return StoryItem(
        key=event["pk"], category=event["type"], actors=frozenset(str(a) for a in actors),
        start=start, end=end, place=place, country=event["loc_country"],
        article=event["article_id"], published=start_day(event["published"]),
        order=f"{event['article_id']}:{event['local_id']}",
    )  # fmt: skip


def story_row(
    events: list[dict[str, Any]],
    actor_sets: list[set[int]],
    articles: Articles,
    names: Mapping[int, str],
) -> dict[str, Any]:
    """Summary of one story: its most precise date, commonest place, reports and sources."""
    dated = sorted(
        (e for e in events if e["date_value"]),
        key=lambda e: (_GRANULARITY_RANK.get(e["date_granularity"] or "", 9), e["date_value"]),
    )
    article_ids = {e["article_id"] for e in events}
    reports = sorted(d for d in (articles.get(a, (None, None))[0] for a in article_ids) if d)
    sources = {articles.get(a, (None, None))[1] for a in article_ids} - {None}
    counts = Counter(a for s in actor_sets for a in s)
    top = sorted(counts, key=lambda a: (-counts[a], names[a], a))[:3]  # ties: by name, not id
    place = most_common(e["loc_name"] for e in events)
    label = events[0]["type"] + ": " + (" / ".join(names[a] for a in top) or "unknown actors")
    return {
        "type": events[0]["type"],
        "label": label + (f" in {place}" if place else ""),
        "date_value": dated[0]["date_value"] if dated else None,
        "date_granularity": dated[0]["date_granularity"] if dated else None,
        "place": place,
        "country": most_common(e["loc_country"] for e in events),
        "event_count": len(events),
        "article_count": len(article_ids),
        "source_count": len(sources),
        "first_report": reports[0] if reports else None,
        "last_report": reports[-1] if reports else None,
    }


def insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> list[int]:
    """INSERT many rows and return their ids in order.

    Core executemany on the connection: the ORM's bulk INSERT ... RETURNING re-sorted every
    returned batch against all earlier ones, which made a 20k-article rebuild spend minutes there.
    """
    if not rows:
        return []
    stmt = insert(table.__table__).returning(table.id, sort_by_parameter_order=True)
    return list(session.connection().execute(stmt, rows).scalars())


def update_rows(session: Session, table: Any, rows: Mapping[int, dict[str, Any]]) -> None:
    """UPDATE many rows by id with the same set of columns (executemany)."""
    if not rows:
        return
    columns = next(iter(rows.values())).keys()
    stmt = (
        update(table.__table__)
        .where(table.id == bindparam("row_id"))
        .values({c: bindparam(f"v_{c}") for c in columns})
    )
    params = [{"row_id": k} | {f"v_{c}": v[c] for c in columns} for k, v in rows.items()]
    session.connection().execute(stmt, params)


def link(session: Session, table: Any, pk: Any, column: str, mapping: Mapping[int, Any]) -> None:
    """Set ``column`` for many rows at once (executemany UPDATE by primary key)."""
    if not mapping:
        return
    stmt = update(table).where(pk == bindparam("row_pk")).values({column: bindparam("value")})
    session.connection().execute(stmt, [{"row_pk": k, "value": v} for k, v in mapping.items()])
