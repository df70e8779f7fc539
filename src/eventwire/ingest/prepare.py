"""Turn a RawArticle into a PreparedArticle: main text, cleaning, language, publication date."""

from __future__ import annotations

from eventwire.errors import InputError
from eventwire.ingest import PreparedArticle, RawArticle, article_id


def prepare_article(raw: RawArticle) -> PreparedArticle:
    text = raw.text if raw.text is not None else (raw.html or "")
    text = text.strip()
    if not text:
        raise InputError(raw.origin, "empty article: no text to read")
    published_basis = "given" if raw.published else "unknown"
    return PreparedArticle(
        origin=raw.origin,
        id=raw.id or article_id(text),
        text=text,
        title=raw.title,
        url=raw.url,
        source=raw.source,
        published=raw.published,
        published_basis=published_basis,
    )
