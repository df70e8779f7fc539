"""The watcher's own tables: per-source health and the feed entries and files already seen.

They live beside the store's tables in the same database, declared on their own metadata and
created on first use (``CREATE TABLE IF NOT EXISTS``), so the watcher needs no store migration.
They are candidates for a store migration once the schema settles.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class WatchBase(DeclarativeBase):
    """Declarative base of the watcher's tables (kept apart from the store's migrations)."""


class SourceHealth(WatchBase):
    """One watched source: HTTP cache validators and how its last cycles went."""

    __tablename__ = "watch_sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_checked: Mapped[str | None] = mapped_column(String(32))
    last_success: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[str | None] = mapped_column(String(32))
    failures_in_row: Mapped[int] = mapped_column(Integer, default=0)
    articles_last_cycle: Mapped[int] = mapped_column(Integer, default=0)
    articles_total: Mapped[int] = mapped_column(Integer, default=0)
    cycles: Mapped[int] = mapped_column(Integer, default=0)


class SeenEntry(WatchBase):
    """A feed entry or file the watcher has handled (or tried to, ``attempts`` times)."""

    __tablename__ = "watch_entries"
    __table_args__ = (UniqueConstraint("source", "key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    key: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    status: Mapped[str] = mapped_column(String(16))  # ingested | failed
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_error: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[str] = mapped_column(String(32))
    last_tried: Mapped[str] = mapped_column(String(32))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def ensure_tables(engine: Engine) -> None:
    """Create the watcher's tables when missing (never touches the store's own tables)."""
    WatchBase.metadata.create_all(engine, checkfirst=True)


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
         at: str) -> None:  # fmt: skip
    """Record one attempt at an entry: ``ingested`` without error, else ``failed``."""
    status = "failed" if error else "ingested"
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
