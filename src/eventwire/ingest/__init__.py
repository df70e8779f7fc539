"""Ingest: from raw inputs (text, HTML, JSONL lines) to a clean, dated :class:`PreparedArticle`.

``RawArticle`` is what a reader found; ``prepare`` extracts the main text from HTML, removes
boilerplate and duplicated paragraphs, detects the language and settles the publication date.
Everything here is a pure function of the input, so it runs in any worker process.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from eventwire.record import Removed


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as a reader found it. Exactly one of ``text`` and ``html`` is set."""

    origin: str  # how to name this input in messages: a path, "path:line", or "<stdin>"
    text: str | None = None
    html: str | None = None
    id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """A cleaned article ready for the NLP pipeline; becomes ``ArticleRecord.article``."""

    origin: str
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = "en"
    published: str | None = None
    published_basis: str = "unknown"
    removed: list[Removed] = field(default_factory=list)
    given_id: str | None = None  # the caller's own id for the article (e.g. a JSONL ``id``)


def article_id(text: str) -> str:
    """Content hash of the cleaned text (first 16 hex of sha256): stable across runs."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def prepare(raw: RawArticle) -> PreparedArticle:
    """Clean and date one raw article. Raises :class:`~eventwire.errors.InputError`."""
    from eventwire.ingest.preparation import prepare_article

    return prepare_article(raw)
