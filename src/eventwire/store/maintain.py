"""Keeping a store right: ``recode`` after dictionaries or the model change, ``check`` integrity.

Recode re-extracts the stored (cleaned) text of every article whose coding stamp differs from
the current one. The old coding stays until the new one is written: each batch swaps codings in
one transaction, and an article whose re-extraction fails keeps its old coding (the failure is
recorded). Check looks for what should never happen: orphan rows, dangling references, articles
without a stamp, a search index out of step with the tables, pages SQLite finds damaged, and
codings left unresolved (a resolution killed halfway rolls back whole, leaving the new codings
unlinked until the next run resolves them). It reads only a file that already is a store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from eventwire.engine import EngineOptions, run
from eventwire.extract.datecheck import start_day
from eventwire.ingest import RawArticle
from eventwire.store import fts as fts_index
from eventwire.store.db import Store
from eventwire.store.schema import (
    ArticleRow,
    Coding,
    EntityRow,
    EventActorRow,
    EventRow,
    QuoteRow,
    RelationRow,
    RoleRow,
)
from eventwire.store.stamp import Stamp, current_stamp
from eventwire.store.write import Result, replace_coding, write_batch


@dataclass(slots=True)
class RecodeSummary:
    stale: int = 0
    recoded: int = 0
    failed: int = 0


def stale_ids(session: Session, stamp: Stamp) -> list[str]:
    """Articles coded under another stamp (or none)."""
    current = session.scalar(select(Coding.id).where(Coding.key == stamp.key))
    query = select(ArticleRow.id)
    if current is not None:
        query = query.where(ArticleRow.coding_id.is_(None) | (ArticleRow.coding_id != current))
    return list(session.scalars(query.order_by(ArticleRow.id)))


def _raws(store: Store, ids: list[str], chunk: int = 200) -> Iterator[RawArticle]:
    """Stored articles as inputs again: their cleaned text and metadata, their own id."""
    for start in range(0, len(ids), chunk):
        with store.session() as session:
            rows = session.scalars(
                select(ArticleRow).where(ArticleRow.id.in_(ids[start : start + chunk]))
            )
            for row in rows:
                yield RawArticle(
                    origin=f"article:{row.id}", text=row.text, id=row.id, title=row.title,
                    url=row.url, source=row.source, published=row.published,
                )  # fmt: skip


def recode(
    store: Store,
    options: EngineOptions,
    *,
    progress: Callable[[RecodeSummary], None] | None = None,
) -> RecodeSummary:
    """Re-extract every article whose stamp is not the current one."""
    stamp = current_stamp(options.model, options.actors)
    with store.session() as session:
        ids = stale_ids(session, stamp)
    summary = RecodeSummary(stale=len(ids))
    for results in run(_raws(store, ids), options):
        _swap(store, results, stamp, summary)
        if progress is not None:
            progress(summary)
    return summary


def _swap(store: Store, results: list[Result], stamp: Stamp, summary: RecodeSummary) -> None:
    """Replace codings of the successful results; record the failures, keep their old coding."""
    with store.session() as session, session.begin():
        failed = [r for r in results if r.record.error is not None]
        if failed:
            write_batch(session, failed, stamp, fts=store.has_fts)
        for result in results:
            if result.record.error is not None:
                continue
            stored_id = result.origin.removeprefix("article:")
            record = result.record
            if record.article.id != stored_id:  # keep the stored identity of the article
                record = replace(record, article=replace(record.article, id=stored_id))
            replace_coding(session, record, stamp, fts=store.has_fts)
        summary.recoded += len(results) - len(failed)
        summary.failed += len(failed)


@dataclass(frozen=True, slots=True)
class Check:
    """One integrity check: ``problems`` rows found where zero are expected."""

    name: str
    problems: int
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.problems == 0


def _count(session: Session, query) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _orphans(session: Session) -> list[Check]:
    articles = select(ArticleRow.id)
    checks = [
        Check(f"{table.__tablename__} without their article",
              _count(session, select(table.pk).where(table.article_id.not_in(articles))))
        for table in (EntityRow, RoleRow, EventRow, QuoteRow, RelationRow)
    ]  # fmt: skip
    dangling_events = select(EventActorRow.pk).where(
        EventActorRow.event_pk.not_in(select(EventRow.pk))
    )
    checks.append(Check("event actors without their event", _count(session, dangling_events)))
    no_entity = select(EventActorRow.pk).where(
        EventActorRow.entity_pk.is_not(None), EventActorRow.entity_pk.not_in(select(EntityRow.pk))
    )
    checks.append(Check("event actors pointing at a missing entity", _count(session, no_entity)))
    unstamped = select(ArticleRow.id).where(ArticleRow.coding_id.is_(None))
    checks.append(Check("articles without a coding stamp", _count(session, unstamped)))
    return checks


def _fts(session: Session) -> list[Check]:
    """The FTS5 tables hold exactly one row per article, quote and event."""
    checks = []
    for kind, table in (("article", ArticleRow), ("quote", QuoteRow), ("event", EventRow)):
        indexed = fts_index.indexed(session, kind)
        stored = session.scalar(select(func.count()).select_from(table)) or 0
        checks.append(
            Check(
                f"search index in step for {kind}s",
                abs(indexed - stored),
                f"{indexed} indexed, {stored} stored",
            )
        )
    return checks


def pending_resolution(session: Session) -> tuple[int, int]:
    """Entities with no corpus actor and events with no story: codings resolution has not
    linked yet (written with ``--no-resolve``, or by a run killed before it resolved)."""
    entities = select(EntityRow.pk).where(EntityRow.actor_id.is_(None))
    events = select(EventRow.pk).where(EventRow.story_id.is_(None))
    return _count(session, entities), _count(session, events)


def has_pending_resolution(store: Store) -> bool:
    """Whether an earlier run left codings unresolved (killed during resolution, or
    ``--no-resolve``): ``ingest``, ``recode`` and ``watch`` then resolve even when they wrote
    nothing new."""
    with store.session() as session:
        return any(pending_resolution(session))


def _pending(session: Session) -> Check:
    entities, events = pending_resolution(session)
    detail = f"{entities} entities and {events} events not linked: run `eventwire resolve`"
    return Check("resolution up to date", entities + events, detail)


def _integrity(session: Session) -> Check:
    """SQLite's own check of every page, index and constraint ("ok" when sound)."""
    try:
        lines = [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
    except DBAPIError as exc:  # damage that stops the check itself
        return Check("SQLite integrity check", 1, str(exc.orig))
    problems = [line for line in lines if line != "ok"]
    return Check("SQLite integrity check", len(problems), "; ".join(problems[:3]))


def check(store: Store) -> list[Check]:
    """Every integrity check; all ``ok`` on a healthy store. A SQLite file that fails its own
    integrity check gets no other check: their queries would read the damaged pages."""
    with store.session() as session:
        checks = [_integrity(session)] if store.dialect == "sqlite" else []
        if checks and not checks[0].ok:
            return checks
        checks += _orphans(session)
        if store.has_fts:
            checks.extend(_fts(session))
    return checks


def warnings(store: Store) -> list[Check]:
    """Checks of what is incomplete rather than broken: codings left unresolved. The next
    ingest, recode or ``eventwire resolve`` finishes them, so they do not fail ``check``."""
    with store.session() as session:
        return [_pending(session)]


@dataclass(frozen=True, slots=True)
class StorySpan:
    """The story whose events' dates lie furthest apart, and how far (first to last start)."""

    story: int
    days: int
    first: str
    last: str


def widest_story(store: Store) -> StorySpan | None:
    """The widest story span (None when no story has two dated events): a story should hold
    reports of one occurrence, so a span of years says grouping went wrong."""
    start = func.substr(EventRow.date_value, 1, 10)
    query = (
        select(EventRow.story_id, func.min(start), func.max(start))
        .where(EventRow.story_id.is_not(None), EventRow.date_value.is_not(None))
        .group_by(EventRow.story_id)
        .having(func.min(start) != func.max(start))
    )
    widest: StorySpan | None = None
    with store.session() as session:
        for story, first, last in session.execute(query):
            days = _days(first, last)
            if days is not None and (widest is None or days > widest.days):
                widest = StorySpan(story, days, first, last)
    return widest


def _days(first: str, last: str) -> int | None:
    """Days between two date starts ("2024", "2024-05", "2024-05-10")."""
    a, b = start_day(first), start_day(last)
    return (b - a).days if isinstance(a, date) and isinstance(b, date) else None


def not_a_store(url: str) -> str | None:
    """Why the SQLite file at ``url`` is not a store (missing, empty, another file, or a
    database without eventwire's tables), or None when it is one (or is not a SQLite URL).

    Read-only: unlike opening a store, this never creates or migrates anything.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    path = Path(parsed.database)
    if parsed.database == ":memory:":
        return None
    if not path.is_file():
        from eventwire.store.db import ENV_VAR

        return (
            f"no store at {path}: give --db (or set ${ENV_VAR}); `eventwire ingest` creates a store"
        )
    if path.stat().st_size == 0:
        return f"{path} is an empty file, not a store"
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        return f"{path} is not a store ({exc})"
    if not {"alembic_version", "articles"} <= tables:
        return f"{path} is a SQLite database but not an eventwire store"
    return None


def counts(store: Store) -> dict[str, int]:
    """Rows per table, for ``eventwire check`` and the benchmarks."""
    from eventwire.store.schema import Base

    with store.session() as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }
