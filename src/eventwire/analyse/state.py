"""The watcher's own tables: per-source health and the feed entries and files already seen.

The tables (:class:`eventwire.store.schema.SourceHealth` and :class:`~eventwire.store.schema.SeenEntry`)
are part of the store's schema and created by its migrations.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from eventwire.store.schema import SeenEntry, SourceHealth


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def source_row(session: Session, location: str, kind: str) -> SourceHealth:
    """The health row of a source, created (unsaved until commit) on first sight."""
    row = session.scalar(select(SourceHealth).where(SourceHealth.location == location))
    if row is None:
        row = SourceHealth(location=location, kind=kind, failures_in_row=0,
                           articles_last_cycle=0, articles_total=0, cycles=0)  # fmt: skip
        session.add(row)
    return row


def record_success(row: SourceHealth, articles: int, *, at: str) -> None:
    row.last_checked = row.last_success = at
    row.failures_in_row = 0
    row.articles_last_cycle = articles
    row.articles_total += articles
    row.cycles += 1


def record_failure(row: SourceHealth, error: str, *, at: str) -> None:
    row.last_checked = row.last_error_at = at
    row.last_error = error
    row.failures_in_row += 1
    row.articles_last_cycle = 0
    row.cycles += 1


def seen_entries(session: Session, source: str) -> dict[str, SeenEntry]:
    """Entries of one source by key."""
    rows = session.scalars(select(SeenEntry).where(SeenEntry.source == source))
    return {row.key: row for row in rows}


def ingested_urls(session: Session, urls: list[str]) -> set[str]:
    """Which of these URLs any source has already ingested (a story in two feeds is read once)."""
    if not urls:
        return set()
    query = select(SeenEntry.url).where(SeenEntry.url.in_(urls), SeenEntry.status == "ingested")
    return {url for url in session.scalars(query) if url}


def mark(session: Session, source: str, key: str, url: str | None, *, error: str | None,
         at: str, permanent: bool = False) -> None:  # fmt: skip
    """Record one attempt at an entry: ``ingested`` without error, else ``failed``, or
    ``refused`` for an error that trying again cannot change (never tried again)."""
    status = ("refused" if permanent else "failed") if error else "ingested"
    query = select(SeenEntry).where(SeenEntry.source == source, SeenEntry.key == key)
    known = session.scalar(query)
    if known is None:
        session.add(SeenEntry(source=source, key=key, url=url, status=status, attempts=1,
                              last_error=error, first_seen=at, last_tried=at))  # fmt: skip
        return
    known.status, known.last_error, known.last_tried = status, error, at
    known.attempts += 1
    known.url = url or known.url


def health(session: Session) -> list[dict[str, object]]:
    """Every source's health as plain dicts (for ``watch`` status, the desk, monitoring)."""
    rows = session.scalars(select(SourceHealth).order_by(SourceHealth.location))
    columns = [c.name for c in SourceHealth.__table__.columns if c.name not in ("id",)]
    return [{name: getattr(row, name) for name in columns} for row in rows]
