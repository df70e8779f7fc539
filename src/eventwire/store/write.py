"""Writing codings: articles with all their entities, events, quotes and relations, in batches.

One writer (the ingest's main process) calls :func:`write_batch` with a batch of results. A batch
is one transaction, so an article is never half-written: after a crash the store holds whole
articles only, and a rerun skips them. Articles are keyed by content hash, so writing one twice
changes nothing; an article whose URL is already stored with another text becomes the next
version of it (``version`` + 1, ``supersedes`` = the previous id).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from eventwire.engine import Result as Result  # the engine's result type, re-exported
from eventwire.engine import input_key as input_key  # the resume key, re-exported
from eventwire.record import ArticleRecord
from eventwire.store import fts as fts_index
from eventwire.store import rows as R
from eventwire.store.schema import (
    CHILD_TABLES,
    ArticleRow,
    Coding,
    EntityRow,
    EventActorRow,
    EventRow,
    FailureRow,
    InputRow,
    QuoteRow,
    RelationRow,
    RoleRow,
)
from eventwire.store.stamp import Stamp


@dataclass(slots=True)
class WriteSummary:
    """What one batch changed."""

    written: int = 0
    skipped: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def coding_id(session: Session, stamp: Stamp) -> int:
    """The id of this stamp's ``codings`` row, created on first use."""
    found = session.scalar(select(Coding.id).where(Coding.key == stamp.key))
    if found is not None:
        return found
    row = Coding(key=stamp.key, created_at=now(), **stamp.to_dict())
    session.add(row)
    session.flush()
    return row.id


def write_batch(
    session: Session, results: Sequence[Result], stamp: Stamp, *, fts: bool
) -> WriteSummary:
    """Write a batch of results in the caller's transaction; failures go to ``failures``."""
    summary = WriteSummary()
    coding = coding_id(session, stamp)
    readable = [r for r in results if r.record.error is None]
    fresh = _new_articles(session, readable, summary)
    for result in [r for r in results if r.record.error is not None]:
        _record_failure(session, result, summary)
    versions = _versions(session, [r.record.article.url for r in fresh])
    _insert_rows(session, ArticleRow, [_article_row(result, coding, versions) for result in fresh])
    insert_codings(session, [r.record for r in fresh], fts=fts)
    _log_inputs(session, readable)
    summary.written = len(fresh)
    return summary


def _new_articles(session: Session, results: list[Result], summary: WriteSummary) -> list[Result]:
    """Results whose article id is not stored yet (and not repeated earlier in the batch)."""
    ids = {r.record.article.id for r in results}
    stored = (
        set(session.scalars(select(ArticleRow.id).where(ArticleRow.id.in_(ids)))) if ids else set()
    )
    fresh: list[Result] = []
    for result in results:
        if result.record.article.id in stored:
            summary.skipped += 1
            continue
        stored.add(result.record.article.id)
        fresh.append(result)
    return fresh


def _log_inputs(session: Session, results: list[Result]) -> None:
    """Remember every handled input (stored or duplicate), so a rerun skips it before extraction."""
    rows = {
        r.input_key: {
            "input_key": r.input_key,
            "origin": r.origin,
            "article_id": r.record.article.id,
        }
        for r in results
    }
    if not rows:
        return
    known = set(session.scalars(select(InputRow.input_key).where(InputRow.input_key.in_(rows))))
    new = [row for key, row in rows.items() if key not in known]
    if new:
        _insert_rows(session, InputRow, new)


def _record_failure(session: Session, result: Result, summary: WriteSummary) -> None:
    reason = result.record.error or "unknown error"
    summary.failed += 1
    summary.failures.append((result.origin, reason))
    known = session.scalar(select(FailureRow.id).where(FailureRow.input_key == result.input_key))
    if known is None:
        session.add(
            FailureRow(
                input_key=result.input_key, origin=result.origin, reason=reason, created_at=now()
            )
        )
        session.flush()


def _versions(session: Session, urls: Iterable[str | None]) -> dict[str, tuple[int, str]]:
    """For each stored URL among ``urls``: (highest version, id of that version)."""
    wanted = {u for u in urls if u}
    if not wanted:
        return {}
    query = select(ArticleRow.url, ArticleRow.version, ArticleRow.id).where(
        ArticleRow.url.in_(wanted)
    )
    latest: dict[str, tuple[int, str]] = {}
    for url, version, article_id in session.execute(query):
        if url not in latest or version > latest[url][0]:
            latest[url] = (version, article_id)
    return latest


def _article_row(
    result: Result, coding: int, versions: dict[str, tuple[int, str]]
) -> dict[str, Any]:
    article = result.record.article
    version, supersedes = 1, None
    if article.url and article.url in versions:
        previous_version, supersedes = versions[article.url]
        version = previous_version + 1
    if article.url:
        versions[article.url] = (version, article.id)
    row = R.article_row(article) | {
        "version": version,
        "supersedes": supersedes,
        "input_key": result.input_key,
        "origin": result.origin,
        "coding_id": coding,
        "ingested_at": now(),
    }
    return row


def insert_codings(session: Session, records: Sequence[ArticleRecord], *, fts: bool) -> None:
    """Insert the entities, roles, events, actors, quotes and relations of stored articles."""
    if not records:
        return
    entity_pks = _insert_entities(session, records)
    _insert_roles(session, records, entity_pks)
    event_pks = _insert_events(session, records)
    _insert_event_actors(session, records, entity_pks, event_pks)
    quote_pks = _insert_quotes(session, records, entity_pks)
    _insert_relations(session, records, entity_pks)
    if fts:
        _insert_search(session, records, event_pks, quote_pks)


def _insert_many(session: Session, table: Any, rows: list[dict[str, Any]], pk: Any) -> list[int]:
    """executemany INSERT ... RETURNING pk, in parameter order (Core: batched, no ORM overhead)."""
    if not rows:
        return []
    stmt = insert(table.__table__).returning(pk, sort_by_parameter_order=True)
    return list(session.connection().execute(stmt, rows).scalars())


def _insert_rows(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(table.__table__), rows)


def _insert_entities(
    session: Session, records: Sequence[ArticleRecord]
) -> dict[tuple[str, str], int]:
    keys, rows = [], []
    for record in records:
        for i, ent in enumerate(record.entities):
            keys.append((record.article.id, ent.id))
            rows.append(R.entity_row(ent, i) | {"article_id": record.article.id})
    return dict(zip(keys, _insert_many(session, EntityRow, rows, EntityRow.pk), strict=True))


def _insert_roles(
    session: Session, records: Sequence[ArticleRecord], entity_pks: dict[tuple[str, str], int]
) -> None:
    rows = []
    for record in records:
        aid = record.article.id
        for ent in record.entities:
            for i, role in enumerate(ent.roles):
                rows.append(
                    R.role_row(role, i) | {"entity_pk": entity_pks[aid, ent.id], "article_id": aid}
                )
    _insert_rows(session, RoleRow, rows)


def _insert_events(
    session: Session, records: Sequence[ArticleRecord]
) -> dict[tuple[str, str, int], int]:
    keys, rows = [], []
    for record in records:
        for i, event in enumerate(record.events):
            keys.append((record.article.id, event.id, i))
            rows.append(R.event_row(event, i) | {"article_id": record.article.id})
    return dict(zip(keys, _insert_many(session, EventRow, rows, EventRow.pk), strict=True))


def _insert_event_actors(
    session: Session,
    records: Sequence[ArticleRecord],
    entity_pks: dict[tuple[str, str], int],
    event_pks: dict[tuple[str, str, int], int],
) -> None:
    rows = []
    for record in records:
        aid = record.article.id
        for i, event in enumerate(record.events):
            sides = [("source", event.actors.source), ("target", event.actors.target)]
            for side, local_ids in sides:
                for position, local in enumerate(local_ids):
                    rows.append({
                        "event_pk": event_pks[aid, event.id, i],
                        "entity_pk": entity_pks.get((aid, local)),
                        "local_id": local,
                        "side": side,
                        "position": position,
                    })  # fmt: skip
    _insert_rows(session, EventActorRow, rows)


def _insert_quotes(
    session: Session, records: Sequence[ArticleRecord], entity_pks: dict[tuple[str, str], int]
) -> dict[tuple[str, int], int]:
    """Insert the quotes; their primary keys by (article id, position)."""
    keys, rows = [], []
    for record in records:
        aid = record.article.id
        for i, quote in enumerate(record.quotes):
            speaker_pk = entity_pks.get((aid, quote.speaker)) if quote.speaker else None
            keys.append((aid, i))
            rows.append(R.quote_row(quote, i) | {"article_id": aid, "speaker_pk": speaker_pk})
    return dict(zip(keys, _insert_many(session, QuoteRow, rows, QuoteRow.pk), strict=True))


def _insert_relations(
    session: Session, records: Sequence[ArticleRecord], entity_pks: dict[tuple[str, str], int]
) -> None:
    rows = []
    for record in records:
        aid = record.article.id
        for i, rel in enumerate(record.relations):
            rows.append(R.relation_row(rel, i) | {
                "article_id": aid,
                "subject_pk": entity_pks.get((aid, rel.subject)),
                "object_pk": entity_pks.get((aid, rel.object)),
            })  # fmt: skip
    _insert_rows(session, RelationRow, rows)


def _insert_search(
    session: Session,
    records: Sequence[ArticleRecord],
    event_pks: dict[tuple[str, str, int], int],
    quote_pks: dict[tuple[str, int], int],
) -> None:
    """Index article text, quotes and event evidence in the SQLite FTS5 tables (:mod:`.fts`)."""
    rows: dict[str, list[dict[str, Any]]] = {kind: [] for kind in fts_index.KINDS}
    for record in records:
        aid = record.article.id
        rows["article"].append({"text": record.article.text, "article_id": aid})
        for i, quote in enumerate(record.quotes):
            pk = quote_pks[aid, i]
            rows["quote"].append({"rowid": pk, "text": quote.text, "article_id": aid})
        for i, event in enumerate(record.events):
            pk = event_pks[aid, event.id, i]
            rows["event"].append({"rowid": pk, "text": event.evidence.text, "article_id": aid})
    for kind, kind_rows in rows.items():
        fts_index.insert(session, kind, kind_rows)


def delete_codings(session: Session, article_ids: Sequence[str], *, fts: bool) -> None:
    """Remove the codings (not the articles) of these articles, children first.

    Their full-text rows go first: event and quote rows are found through their events and
    quotes.
    """
    ids = list(article_ids)
    if fts:
        fts_index.delete_articles(session, ids)
    events = select(EventRow.pk).where(EventRow.article_id.in_(ids))
    session.execute(delete(EventActorRow).where(EventActorRow.event_pk.in_(events)))
    for table in CHILD_TABLES[1:]:
        session.execute(delete(table).where(table.article_id.in_(ids)))


def replace_coding(session: Session, record: ArticleRecord, stamp: Stamp, *, fts: bool) -> None:
    """Swap one article's coding for a new one in the caller's transaction (used by recode)."""
    article = record.article
    delete_codings(session, [article.id], fts=fts)
    insert_codings(session, [record], fts=fts)
    stored = session.get(ArticleRow, article.id)
    removed = (stored.removed if stored else []) + [r.to_dict() for r in article.removed]
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.id == article.id)
        .values(
            text=article.text,
            removed=removed,
            published=article.published,
            published_basis=article.published_basis,
            language=article.language,
            coding_id=coding_id(session, stamp),
        )
    )


def article_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleRow)) or 0
