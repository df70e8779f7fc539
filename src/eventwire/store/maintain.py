"""Keeping a store right: ``recode`` after dictionaries or the model change, ``check`` integrity.

Recode re-extracts the stored (cleaned) text of every article whose coding stamp differs from
the current one. The old coding stays until the new one is written: each batch swaps codings in
one transaction, and an article whose re-extraction fails keeps its old coding (the failure is
recorded). Check looks for what should never happen: orphan rows, dangling references, articles
without a stamp, and a search index out of step with the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventwire.engine import EngineOptions, run
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


def check(store: Store) -> list[Check]:
    """Every integrity check; all ``ok`` on a healthy store."""
    with store.session() as session:
        checks = _orphans(session)
        if store.has_fts:
            checks.extend(_fts(session))
    return checks


def counts(store: Store) -> dict[str, int]:
    """Rows per table, for ``eventwire check`` and the benchmarks."""
    from eventwire.store.schema import Base

    with store.session() as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()
        }
