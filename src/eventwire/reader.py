"""The public reading API: ``read`` one article, ``read_many`` for a stream.

This is the pure per-article function of DESIGN.md: (text, metadata, dictionaries, model) ->
ArticleRecord. The CLI, the corpus ingest and the evaluation suites all go through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import nlp as nlp_module
from eventwire.errors import InputError
from eventwire.extract.build import build_record
from eventwire.ingest import PreparedArticle, RawArticle, prepare
from eventwire.ingest.readers import looks_like_html
from eventwire.record import ArticleRecord

ArticleInput = str | Mapping[str, Any] | RawArticle


def to_raw(item: ArticleInput, *, origin: str = "<input>", **meta: Any) -> RawArticle:
    """Normalise the accepted input shapes (text, HTML, dict, RawArticle) to a RawArticle."""
    if isinstance(item, RawArticle):
        return item
    if isinstance(item, str):
        fields = {k: v for k, v in meta.items() if v is not None}
        if looks_like_html(item):
            return RawArticle(origin=origin, html=item, **fields)
        return RawArticle(origin=origin, text=item, **fields)
    data = dict(item)
    known = {"text", "html", "id", "title", "url", "source", "published"}
    fields = {k: (str(v) if v is not None else None) for k, v in data.items() if k in known}
    return RawArticle(origin=str(data.get("origin") or data.get("id") or origin), **fields)


def _annotate(nlp: Language, prepared: PreparedArticle) -> Doc:
    doc = nlp.make_doc(prepared.text)
    doc._.ew_meta = prepared
    return doc


def read(
    text_or_html: str,
    *,
    published: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    model: str | None = None,
    actors: Sequence[Path | str] = (),
    nlp: Language | None = None,
) -> ArticleRecord:
    """Read one article (plain text or an HTML page) into an ArticleRecord.

    ``published`` is an ISO date; without it the date comes from HTML metadata or the text.
    Raises :class:`~eventwire.errors.InputError` for input that cannot be read.
    """
    nlp = nlp or nlp_module.load(model, actors=actors)
    raw = to_raw(text_or_html, published=published, title=title, url=url, source=source)
    doc = nlp(_annotate(nlp, prepare(raw)))
    return build_record(doc)


def _prepare_or_fail(raw: RawArticle) -> PreparedArticle | ArticleRecord:
    try:
        return prepare(raw)
    except InputError as exc:
        return ArticleRecord.failed(str(exc), title=raw.title, url=raw.url, source=raw.source)


def read_many(
    articles: Iterable[ArticleInput],
    *,
    batch_size: int = 32,
    n_process: int = 1,
    model: str | None = None,
    actors: Sequence[Path | str] = (),
    nlp: Language | None = None,
) -> Iterator[ArticleRecord]:
    """Stream one ArticleRecord per input, in input order, through ``nlp.pipe``.

    Inputs are texts, HTML strings, dicts (``text`` or ``html``; optional ``id``, ``title``,
    ``url``, ``source``, ``published``) or RawArticles. An input that cannot be read yields a
    record with ``error`` set and empty lists; the stream goes on.
    """
    nlp = nlp or nlp_module.load(model, actors=actors)
    for chunk in _chunks(articles, batch_size * max(n_process, 1)):
        prepared = [_prepare_or_fail(to_raw(item, origin=f"<input {i}>")) for i, item in chunk]
        docs = [_annotate(nlp, p) for p in prepared if isinstance(p, PreparedArticle)]
        annotated = iter(nlp.pipe(docs, batch_size=batch_size, n_process=n_process))
        for item in prepared:
            yield build_record(next(annotated)) if isinstance(item, PreparedArticle) else item


def _chunks(items: Iterable[ArticleInput], size: int) -> Iterator[list[tuple[int, ArticleInput]]]:
    chunk: list[tuple[int, ArticleInput]] = []
    for i, item in enumerate(items):
        chunk.append((i, item))
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
