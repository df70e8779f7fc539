"""Full-text search on SQLite: one FTS5 table per kind of text (articles, quotes, events).

Each table indexes one kind: ``fts_article`` the article text, ``fts_quote`` quotations,
``fts_event`` the sentence that supports each event. Event and quote rows take the event's or
quote's primary key as their rowid, so a search joins to its rows without reading anything
back from the index. (Until migration 0004 all three kinds shared one table with a ``kind``
column; every filtered search then read the stored row of each match to check its kind: half
a second for a common word on a 100,000-article store, against about 10 ms now.)

PostgreSQL stores have no such tables: they search with ``to_tsvector`` indexes instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Integer, String, bindparam, column, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

KINDS = ("article", "quote", "event")
#: Terms of a search kept (the rest are ignored): a pasted paragraph stays a cheap query.
MAX_TERMS = 20
_WORD_CHAR = re.compile(r"\w")
#: Kinds whose rowid is the primary key of their row (events.pk, quotes.pk).
KEYED = ("quote", "event")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_of(words: str) -> str | None:
    """What someone typed as an FTS5 query, or None when it has no word to look for.

    Each whitespace-separated term is quoted, so operator characters and SQL are text, not
    syntax, and every term is required; a term FTS5 splits into words (``U.S.``,
    ``cease-fire``) is a phrase: those words in that order. Only the first :data:`MAX_TERMS`
    terms count. The desk and the ``eventwire query`` commands both search this way.
    """
    words = _CONTROL.sub(" ", words)  # a NUL ends an FTS5 string: "a\x00b" is two words
    terms = [term for term in words.split() if _WORD_CHAR.search(term)][:MAX_TERMS]
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms) or None


def table(kind: str) -> str:
    """The FTS5 table of ``kind`` (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(f"no full-text table for {kind!r}; kinds are {', '.join(KINDS)}")
    return f"fts_{kind}"


def insert(session: Session, kind: str, rows: Sequence[dict[str, Any]]) -> None:
    """Index ``rows`` (``text``, ``article_id`` and, for events and quotes, ``rowid``)."""
    if not rows:
        return
    if kind in KEYED:
        sql = f"INSERT INTO {table(kind)}(rowid, text, article_id) VALUES (:rowid, :text, :article_id)"
    else:
        sql = f"INSERT INTO {table(kind)}(text, article_id) VALUES (:text, :article_id)"
    session.execute(text(sql), list(rows))


def delete_articles(session: Session, article_ids: Iterable[str]) -> None:
    """Remove every indexed text of these articles (before their events and quotes are deleted)."""
    ids = list(article_ids)
    if not ids:
        return
    sources = {"event": "SELECT pk FROM events", "quote": "SELECT pk FROM quotes"}
    for kind in KINDS:
        if kind in KEYED:
            where = f"rowid IN ({sources[kind]} WHERE article_id IN :ids)"
        else:
            where = "article_id IN :ids"
        stmt = text(f"DELETE FROM {table(kind)} WHERE {where}")
        session.execute(stmt.bindparams(bindparam("ids", expanding=True)), {"ids": ids})


def matching_rowids(kind: str, query: str) -> TextClause:
    """``SELECT rowid`` of the rows of ``kind`` that match an FTS5 ``query`` (one column ``rowid``)."""
    name = table(kind)
    stmt = text(f"SELECT rowid FROM {name} WHERE {name} MATCH :q").bindparams(q=query)
    return stmt.columns(column("rowid", Integer))


def matching_articles(kind: str, query: str) -> TextClause:
    """``SELECT article_id`` of the rows of ``kind`` that match (one column ``article_id``)."""
    name = table(kind)
    stmt = text(f"SELECT article_id FROM {name} WHERE {name} MATCH :q").bindparams(q=query)
    return stmt.columns(column("article_id", String))


def articles_matching_any(query: str) -> TextClause:
    """``SELECT article_id`` of articles whose text, a quote or an event's sentence matches."""
    parts = [f"SELECT article_id FROM {table(k)} WHERE {table(k)} MATCH :q" for k in KINDS]
    stmt = text(" UNION ".join(parts)).bindparams(q=query)
    return stmt.columns(column("article_id", String))


def row_matches(kind: str, query: str, key: str) -> TextClause:
    """``EXISTS``: the row whose primary key is the SQL column ``key`` matches ``query``.

    For pages of a common word's matches in some other order (events newest first): the
    database walks its order and tests rows one by one, stopping at the page's end, instead
    of collecting every match first (a third of the events of a large store for "group").
    Slow when few rows match: use it only for dense matches (:func:`density`).
    """
    name = table(kind)
    sql = f"EXISTS (SELECT 1 FROM {name} WHERE {name} MATCH :fts_q AND {name}.rowid = {key})"
    return text(sql).bindparams(fts_q=query)


def density(session: Session, kind: str, query: str) -> tuple[int, float]:
    """(matches, matches per indexed row) of ``query`` in a keyed kind, from the index alone.

    The share is estimated against the largest rowid (keys are allocated in order, so it
    counts deleted rows too and errs low).
    """
    matches = count(session, kind, query)
    top = session.execute(text(f"SELECT max(rowid) FROM {table(kind)}")).scalar() or 0
    return matches, (matches / top if top else 0.0)


def count(session: Session, kind: str, query: str) -> int:
    """How many rows of ``kind`` match: cheap, from the index alone."""
    name = table(kind)
    sql = text(f"SELECT count(*) FROM {name} WHERE {name} MATCH :q")
    return int(session.execute(sql, {"q": query}).scalar() or 0)


def indexed(session: Session, kind: str) -> int:
    """Rows in the index of ``kind`` (for the integrity check)."""
    return int(session.execute(text(f"SELECT count(*) FROM {table(kind)}")).scalar() or 0)


#: Matches of each kind that compete for the best ranks: the newest this many (highest rowid).
#: Ranking every match of a common word (a third of a large store) took a third of a second.
RANK_CANDIDATES = 2000


def ranked(session: Session, query: str, *, limit: int) -> list[tuple[str, int, str, float]]:
    """The ``limit`` best matches over all kinds: (kind, rowid, article id, bm25 rank).

    Each kind ranks its newest :data:`RANK_CANDIDATES` matches (FTS5's ``rank``, lower is
    better); the kinds' best are merged by that score. Scores from different tables rest on
    different word statistics, so the merge is approximate across kinds.
    """
    hits: list[tuple[str, int, str, float]] = []
    for kind in KINDS:
        name = table(kind)
        sql = text(
            f"SELECT rowid, article_id, r FROM (SELECT rowid, article_id, rank AS r FROM {name} "
            f"WHERE {name} MATCH :q ORDER BY rowid DESC LIMIT :c) ORDER BY r LIMIT :n"
        )
        params = {"q": query, "c": RANK_CANDIDATES, "n": limit}
        hits += [(kind, r, a, s) for r, a, s in session.execute(sql, params)]
    return sorted(hits, key=lambda hit: hit[3])[:limit]


def snippets(
    session: Session, kind: str, query: str, rowids: Sequence[int], marks: tuple[str, str]
) -> dict[int, str]:
    """FTS5 snippets (about 16 tokens, matches between ``marks``) of these rows, by rowid."""
    if not rowids:
        return {}
    name = table(kind)
    sql = text(
        f"SELECT rowid, snippet({name}, 0, :o, :c, '…', 16) FROM {name} "
        f"WHERE {name} MATCH :q AND rowid IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    params = {"q": query, "o": marks[0], "c": marks[1], "ids": list(rowids)}
    return {rowid: snip for rowid, snip in session.execute(sql, params)}
