"""Turn a RawArticle into a PreparedArticle: main text, cleaning, language, publication date.

The order matters: the caller's date is validated first (a bad date is the caller's error, found
before any work); HTML gives the main text and metadata; the publication date is inferred from
the text *before* cleaning (captions that cleaning drops carry dates); the language is detected on
the cleaned text, which is also what the NLP stages see and what the article id hashes.
``removed`` lists what the page's markup showed to be furniture (and what the extractor left
out), then what the text cleaning removed.

Limits: the cleaned text may hold at most :data:`MAX_ARTICLE_CHARS` characters (spaCy's default
``max_length``); a longer input is not one news article and is refused with an InputError.
"""

from __future__ import annotations

from dataclasses import dataclass

from eventwire.errors import InputError
from eventwire.ingest import PreparedArticle, RawArticle, article_id
from eventwire.ingest.clean import clean_text
from eventwire.ingest.html import extract_html
from eventwire.ingest.language import check_english
from eventwire.ingest.published import publication_date, validate_given
from eventwire.record import Removed

MAX_ARTICLE_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class _Body:
    """The article's text before cleaning, with what the page's metadata adds."""

    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    removed: tuple[Removed, ...] = ()  # what the page's markup showed to be furniture


def prepare_article(raw: RawArticle) -> PreparedArticle:
    """Clean, check and date one raw article. Raises InputError (or NotEnglishError)."""
    if raw.published and raw.published.strip():
        validate_given(raw.published, raw.origin)
    body = _body(raw)
    if len(body.text) > 2 * MAX_ARTICLE_CHARS:
        raise InputError(raw.origin, _too_long(len(body.text)))
    cleaned, removed = clean_text(body.text)
    if not cleaned.strip():
        raise InputError(raw.origin, "empty article: no text left after removing boilerplate")
    if len(cleaned) > MAX_ARTICLE_CHARS:
        raise InputError(raw.origin, _too_long(len(cleaned)))
    language = check_english(cleaned, raw.origin)
    date = publication_date(
        given=raw.published,
        metadata=body.published,
        text=body.text,
        bylines=[r.text for r in body.removed if r.reason in _DATED_FURNITURE],
        origin=raw.origin,
    )
    return PreparedArticle(
        origin=raw.origin,
        id=article_id(cleaned),
        text=cleaned,
        title=_first(raw.title, body.title),
        url=_first(raw.url, body.url),
        source=_first(raw.source, body.source),
        language=language,
        published=date.value,
        published_basis=date.basis,
        removed=[*body.removed, *removed],
        given_id=raw.id,
    )


def _body(raw: RawArticle) -> _Body:
    """The text to clean: the given text, or the main text and metadata of the given HTML."""
    if raw.text is not None and raw.text.strip():
        return _Body(text=raw.text)
    if raw.html is not None and raw.html.strip():
        page = extract_html(raw.html, origin=raw.origin)
        return _Body(page.text, page.title, page.url, page.sitename, page.published, page.removed)
    raise InputError(raw.origin, "empty article: no text to read")


#: Furniture that carries the page's date: a byline ("By Ana Example | Published 5:45 AM PST
#: 11/19/2019") is metadata, not body, but still dates the page.
_DATED_FURNITURE = frozenset(["byline", "timestamp"])


def _too_long(chars: int) -> str:
    return f"article too long ({chars:,} characters; the limit is {MAX_ARTICLE_CHARS:,})"


def _first(*values: str | None) -> str | None:
    return next((v.strip() for v in values if v and v.strip()), None)
