"""Event filters shared by the API, the pages and exports: one dataclass, one SQL translation.

Every filter value reaches SQL as a bound parameter (never spliced into the statement), and
full-text queries are reduced to quoted terms before they reach FTS5
(:func:`eventwire.store.fts.query_of`), so operator characters in a search box are text, not
syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, and_, false, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from eventwire.extract import datecheck
from eventwire.query.corrections import Overlay
from eventwire.query.keys import is_key, key_where
from eventwire.record import EVENT_TYPES, MODALITIES
from eventwire.store import fts as fts_index
from eventwire.store.schema import ArticleRow, EntityRow, EventActorRow, EventRow

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What an analyst narrowed the events to; every field is optional."""

    since: str | None = None
    until: str | None = None
    type: str | None = None
    country: str | None = None
    actor: str | None = None
    q: str | None = None
    modality: str | None = None
    article: str | None = None
    story: int | None = None
    #: True: leave out events whose dates are flagged as implausible (``events.date_flag``:
    #: before 1900, after the ingest, a past event dated after its article; clock times and
    #: timeline lines read as years once gave events in 1630). Charts turn it on by default.
    sane_dates: bool | None = None

    def params(self) -> dict[str, Any]:
        """The non-empty filters, for links and export URLs."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in (None, "")
        }


class FilterError(ValueError):
    """A filter value that cannot be meant (an unknown category, an impossible date, ...).

    ``field`` names the filter; the message says what is expected. The desk answers it with a
    400 and the command line with a usage error (exit 2): both check filters here.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field} {message}")
        self.field = field


_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_COUNTRY = re.compile(r"^[A-Za-z]{2,3}$")


def checked_date(value: str | None, name: str) -> str | None:
    """An ISO day, month or year that exists in the calendar (years 1-9999), else FilterError.

    ``2024-13-01``, ``2024-02-30`` and ``0000-00-00`` match the shape of a date but name none;
    compared as text they would silently select everything or nothing.
    """
    if value in (None, ""):
        return None
    found = _PARTIAL_DATE.match(value)
    if not found:
        raise FilterError(name, "must look like 2024-03-05, 2024-03 or 2024")
    year, month, day = found.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise FilterError(name, f"is not a date in the calendar: {value!r}") from None
    return value


def checked_filter(
    *,
    since: str | None = None,
    until: str | None = None,
    type: str | None = None,  # noqa: A002
    country: str | None = None,
    actor: str | None = None,
    q: str | None = None,
    modality: str | None = None,
    article: str | None = None,
    story: int | None = None,
) -> EventFilter:
    """An :class:`EventFilter` from user input, every value checked (FilterError if not).

    Categories and countries are matched in upper case; ``actor`` must already be an actor
    key (see :func:`eventwire.query.keys.is_key`; the command line turns names into keys).
    """
    kind = type.upper() if type else None
    if kind and kind not in EVENT_TYPES:
        raise FilterError("type", f"must be one of {', '.join(EVENT_TYPES)}")
    if modality and modality not in MODALITIES:
        raise FilterError("modality", f"must be one of {', '.join(MODALITIES)}")
    if actor and not is_key(actor):
        raise FilterError("actor", "must be an actor key such as a12 or n:hamas")
    if country and not _COUNTRY.match(country):
        raise FilterError("country", "must look like an ISO 3166 code such as SYR")
    return EventFilter(
        since=checked_date(since, "since"),
        until=checked_date(until, "until"),
        type=kind,
        country=country.upper() if country else None,
        actor=actor or None,
        q=q or None,
        modality=modality or None,
        article=article or None,
        story=story,
    )


def superseded_articles() -> Select[Any]:
    """Ids of article versions a later version replaces (a re-ingested URL with new text).

    Served by the partial index ``ix_articles_supersedes`` (store migration 0007): the articles
    table itself is never read for it.
    """
    return select(ArticleRow.supersedes).where(ArticleRow.supersedes.is_not(None))


def current_versions() -> ColumnElement[bool]:
    """Events of current article versions only: a superseded version never counts."""
    return EventRow.article_id.not_in(superseded_articles())


#: The earliest own date of an event taken as plausible, as an ISO prefix ("1900"): the same
#: bound the extraction's date flags use.
EARLIEST = f"{datecheck.EARLIEST.year:04d}"


def sane_date() -> ColumnElement[bool]:
    """Events whose dates are plausible: no ``date_flag`` (event or publication dates before
    1900 or after the ingest, asserted past events dated after their article;
    :mod:`eventwire.extract.datecheck`, stored by migration 0006, which flags older codings too),
    and, for codings written without the flag, an own date (if any) between 1900 and the day the
    article was stored (ISO strings compare as dates; a year or month by its prefix). The
    article's date is a correlated subquery: callers need not join articles."""
    article = ArticleRow.__table__.alias("dated_article")
    stored = (
        select(func.substr(article.c.ingested_at, 1, 10))
        .where(article.c.id == EventRow.article_id)
        .correlate(EventRow)
        .scalar_subquery()
    )
    return and_(
        EventRow.date_flag.is_(None),
        or_(
            EventRow.date_value.is_(None),
            and_(EventRow.date_value >= EARLIEST, EventRow.date_value <= stored),
        ),
    )


def search_match(q: str, *, dialect: str, kind: str, column_: Any) -> ColumnElement[bool]:
    """A clause: rows of ``kind`` whose text matches ``q`` (FTS5 on SQLite, tsvector elsewhere).

    On SQLite ``column_`` is the key the kind's full-text table (:mod:`eventwire.store.fts`)
    refers to: ``EventRow.pk`` or ``QuoteRow.pk`` (the tables' rowids), or ``ArticleRow.id``.
    Elsewhere ``column_`` is the text column, matched directly.
    """
    query = fts_index.query_of(q)
    if query is None:
        return false()
    if dialect == "sqlite":
        if kind in fts_index.KEYED:
            return column_.in_(fts_index.matching_rowids(kind, query))
        return column_.in_(fts_index.matching_articles(kind, query))
    vector = func.to_tsvector("english", column_)
    return vector.op("@@")(func.plainto_tsquery("english", " ".join(_WORD.findall(q))))


def actor_clause(key: str, overlay: Overlay) -> ColumnElement[bool]:
    """Events in which actor ``key`` (or an actor merged into it) takes part."""
    wheres = [w for k in overlay.merged_into(key) if (w := key_where(k)) is not None]
    if not wheres:
        return false()
    members = (
        select(EventActorRow.event_pk)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .where(or_(*wheres))
    )
    return EventRow.pk.in_(members)


#: How a text query reaches SQLite (see :func:`where_clauses`).
TextPlan = Literal["collect", "probe", "test"]


def where_clauses(
    flt: EventFilter, *, dialect: str, overlay: Overlay, text_plan: TextPlan = "collect"
) -> list[Any]:
    """SQL conditions on ``EventRow`` (joined to ``ArticleRow``) for this filter.

    ``text_plan`` says how SQLite meets a text query (elsewhere it is ignored):

    - ``collect``: look up every matching event, then sort them for the page; cheapest when
      few events match;
    - ``probe``: walk events in the page's order and probe the set of matches, built once
      (the ``+ 0`` keeps the planner from looking the matches up one by one instead);
    - ``test``: walk and test each event against the index
      (:func:`eventwire.store.fts.row_matches`); cheapest for a word most events contain.
    """
    clauses: list[Any] = [current_versions()]
    if flt.since:
        clauses.append(EventRow.date_value >= flt.since)
    if flt.until:
        clauses.append(EventRow.date_value <= flt.until + "\uffff")
    if flt.type:
        clauses.append(EventRow.type == flt.type)
    if flt.country:
        clauses.append(EventRow.loc_country == flt.country.upper())
    if flt.modality:
        clauses.append(EventRow.modality == flt.modality)
    if flt.article:
        clauses.append(EventRow.article_id == flt.article)
    if flt.story is not None:
        clauses.append(EventRow.story_id == flt.story)
    if flt.sane_dates:
        clauses.append(sane_date())
    if flt.actor:
        clauses.append(actor_clause(flt.actor, overlay))
    if flt.q and text_plan != "collect" and dialect == "sqlite":
        query = fts_index.query_of(flt.q)
        if query is None:
            clauses.append(false())
        elif text_plan == "test":
            clauses.append(fts_index.row_matches("event", query, "events.pk"))
        else:
            clauses.append((EventRow.pk + 0).in_(fts_index.matching_rowids("event", query)))
    elif flt.q:
        clauses.append(
            search_match(
                flt.q,
                dialect=dialect,
                kind="event",
                column_=EventRow.pk if dialect == "sqlite" else EventRow.evidence_text,
            )
        )
    return clauses


def filtered_events(
    flt: EventFilter, *, dialect: str, overlay: Overlay, text_plan: TextPlan = "collect"
) -> Select[Any]:
    """SELECT events' columns with their article's title, date and source, filtered.

    Plain columns, not ORM objects: pages list up to hundreds of events, and building an
    ORM instance per row cost more than the query.
    """
    columns = (
        *EventRow.__table__.columns,
        ArticleRow.title,
        ArticleRow.published,
        ArticleRow.source,
        ArticleRow.url,
    )
    query = select(*columns).join(ArticleRow, ArticleRow.id == EventRow.article_id)
    clauses = where_clauses(flt, dialect=dialect, overlay=overlay, text_plan=text_plan)
    return query.where(and_(*clauses))


def matches_after_correction(event: dict[str, Any], flt: EventFilter) -> bool:
    """Whether a corrected event still passes the filters a correction can change."""
    if flt.type and event["type"] != flt.type:
        return False
    if flt.actor and flt.actor not in {a["key"] for side in event["actors"].values() for a in side}:
        return False
    value = (event.get("date") or {}).get("value")
    if flt.since and (value is None or value < flt.since):
        return False
    return not (flt.until and (value is None or value > flt.until + "\uffff"))
