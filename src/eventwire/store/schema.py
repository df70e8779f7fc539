"""The store's tables: one SQLAlchemy 2 schema for SQLite and PostgreSQL.

Rows mirror :class:`~eventwire.record.ArticleRecord` closely so that a record survives a
round trip through the store. Record-local ids (``e1``, ``v1``) are kept beside the corpus-wide
integer keys, because the record format refers to entities by their local ids. Small nested
lists that are never queried on their own (aliases, mentions, quantities, context codes) are
JSON columns; everything queries filter or join on is a column with an index.

The schema is created and changed only by the Alembic migrations in
``eventwire/store/migrations``; these classes describe it for the ORM and queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every eventwire table."""


class Coding(Base):
    """A coding stamp: the eventwire, model and dictionary versions one coding was made with."""

    __tablename__ = "codings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    eventwire_version: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(200))
    dictionaries: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(32))


class ArticleRow(Base):
    """One version of one article. ``id`` is the content hash; same URL + new text = new version."""

    __tablename__ = "articles"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    published: Mapped[str | None] = mapped_column(String(40), index=True)
    published_basis: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    removed: Mapped[list[Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supersedes: Mapped[str | None] = mapped_column(String(64))
    input_key: Mapped[str | None] = mapped_column(String(32), index=True)
    origin: Mapped[str | None] = mapped_column(Text)
    coding_id: Mapped[int | None] = mapped_column(ForeignKey("codings.id"), index=True)
    ingested_at: Mapped[str] = mapped_column(String(32), index=True)


class EntityRow(Base):
    """An entity as one article names it; ``actor_id`` links it to its corpus actor."""

    __tablename__ = "entities"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    local_id: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    mentions: Mapped[list[Any]] = mapped_column(JSON)
    country: Mapped[str | None] = mapped_column(String(8))
    kb_id: Mapped[str | None] = mapped_column(String(200))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"), index=True)


class RoleRow(Base):
    """A title the text gives an entity ("deputy leader" of another entity), with its evidence."""

    __tablename__ = "roles"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_pk: Mapped[int] = mapped_column(ForeignKey("entities.pk"), index=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    of_local: Mapped[str | None] = mapped_column(String(32))
    ev_start: Mapped[int] = mapped_column(Integer)
    ev_end: Mapped[int] = mapped_column(Integer)
    ev_text: Mapped[str] = mapped_column(Text)


class EventRow(Base):
    """One coded event with its trigger, evidence sentence, date and place, flattened."""

    __tablename__ = "events"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    local_id: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16), index=True)
    mode: Mapped[str | None] = mapped_column(String(40))
    context: Mapped[list[str]] = mapped_column(JSON)
    cameo: Mapped[str | None] = mapped_column(String(8))
    trigger_start: Mapped[int] = mapped_column(Integer)
    trigger_end: Mapped[int] = mapped_column(Integer)
    trigger_text: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    evidence_text: Mapped[str] = mapped_column(Text)
    date_value: Mapped[str | None] = mapped_column(String(40), index=True)
    date_granularity: Mapped[str | None] = mapped_column(String(8))
    date_text: Mapped[str | None] = mapped_column(Text)
    date_basis: Mapped[str | None] = mapped_column(String(16))
    loc_name: Mapped[str | None] = mapped_column(Text)
    loc_entity: Mapped[str | None] = mapped_column(String(32))
    loc_country: Mapped[str | None] = mapped_column(String(8), index=True)
    loc_lat: Mapped[float | None] = mapped_column(Float)
    loc_lon: Mapped[float | None] = mapped_column(Float)
    modality: Mapped[str] = mapped_column(String(16))
    attributed_to: Mapped[str | None] = mapped_column(String(32))
    quantities: Mapped[list[Any]] = mapped_column(JSON)
    confidence: Mapped[float] = mapped_column(Float)
    mentions: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    #: Why the date is doubtful (eventwire.extract.datecheck); trends and charts skip these.
    date_flag: Mapped[str | None] = mapped_column(String(24), nullable=True)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id"), index=True)


class EventActorRow(Base):
    """One actor of one event, as source or target; ``entity_pk`` joins it to the corpus actor."""

    __tablename__ = "event_actors"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_pk: Mapped[int] = mapped_column(ForeignKey("events.pk"), index=True)
    entity_pk: Mapped[int | None] = mapped_column(ForeignKey("entities.pk"), index=True)
    local_id: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(8))
    position: Mapped[int] = mapped_column(Integer)


class QuoteRow(Base):
    """A quotation and its speaker (record-local id and entity key)."""

    __tablename__ = "quotes"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(String(32))
    speaker_pk: Mapped[int | None] = mapped_column(ForeignKey("entities.pk"), index=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    cue: Mapped[str | None] = mapped_column(String(80))


class RelationRow(Base):
    """A relation between two entities of one article (leader_of, member_of, ...)."""

    __tablename__ = "relations"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(32))
    predicate: Mapped[str] = mapped_column(String(40))
    object: Mapped[str] = mapped_column(String(32))
    subject_pk: Mapped[int | None] = mapped_column(ForeignKey("entities.pk"), index=True)
    object_pk: Mapped[int | None] = mapped_column(ForeignKey("entities.pk"), index=True)
    ev_start: Mapped[int] = mapped_column(Integer)
    ev_end: Mapped[int] = mapped_column(Integer)
    ev_text: Mapped[str] = mapped_column(Text)


class FailureRow(Base):
    """An input that could not be read or coded, with the reason: never silently dropped."""

    __tablename__ = "failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    input_key: Mapped[str] = mapped_column(String(32), unique=True)
    origin: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


class InputRow(Base):
    """An input already handled (stored, or a duplicate of a stored article): the resume log."""

    __tablename__ = "inputs"
    input_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    origin: Mapped[str] = mapped_column(Text)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id"), index=True)


class ActorRow(Base):
    """A corpus actor: one person or organisation across articles (built by eventwire.resolve)."""

    __tablename__ = "actors"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, index=True)
    type: Mapped[str] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(8))
    kb_id: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    first_seen: Mapped[str | None] = mapped_column(String(40))
    last_seen: Mapped[str | None] = mapped_column(String(40))
    article_count: Mapped[int] = mapped_column(Integer)
    mention_count: Mapped[int] = mapped_column(Integer)
    #: A generic class ("officials", "the army" of no known country), local to one article:
    #: lists, networks and exports hide these by default (eventwire.resolve.generic).
    generic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StoryRow(Base):
    """Reports of one real-world event across articles (built by eventwire.resolve)."""

    __tablename__ = "stories"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    label: Mapped[str] = mapped_column(Text)
    date_value: Mapped[str | None] = mapped_column(String(40), index=True)
    date_granularity: Mapped[str | None] = mapped_column(String(8))
    place: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    event_count: Mapped[int] = mapped_column(Integer)
    article_count: Mapped[int] = mapped_column(Integer, index=True)
    source_count: Mapped[int] = mapped_column(Integer)
    first_report: Mapped[str | None] = mapped_column(String(40))
    last_report: Mapped[str | None] = mapped_column(String(40))


class CorrectionRow(Base):
    """An analyst's correction made at the desk: what it changes (``kind``, ``target``,
    ``value``), who, when and why. Kept apart from the codings, which ``recode`` replaces; see
    :mod:`eventwire.query.corrections` for how corrections are keyed and applied."""

    __tablename__ = "desk_corrections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    target: Mapped[str] = mapped_column(Text, index=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32))


class SourceHealth(Base):
    """One source ``eventwire watch`` reads: HTTP cache validators and how its cycles went."""

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


class SeenEntry(Base):
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


Index("ix_events_type_date", EventRow.type, EventRow.date_value)
# An unresolved entity reads as actor "n:<lower-cased name>" (eventwire.query.keys): its actor
# page and the actor list look entities up by that expression.
Index(
    "ix_entities_unresolved_name",
    func.lower(EntityRow.name),
    sqlite_where=EntityRow.actor_id.is_(None),
    postgresql_where=EntityRow.actor_id.is_(None),
)
Index("ix_event_actors_entity_side", EventActorRow.entity_pk, EventActorRow.side)
# The read layer leaves superseded article versions out of every query (eventwire.query.filters).
Index(
    "ix_articles_supersedes",
    ArticleRow.supersedes,
    sqlite_where=ArticleRow.supersedes.is_not(None),
    postgresql_where=ArticleRow.supersedes.is_not(None),
)

#: Tables in the order rows must be deleted (children first).
CHILD_TABLES = (EventActorRow, RoleRow, QuoteRow, RelationRow, EventRow, EntityRow)
