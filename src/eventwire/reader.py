"""The public reading API: ``read`` one article, ``read_many`` for a stream.

This is the pure per-article function of DESIGN.md: (text, metadata, dictionaries, model) ->
ArticleRecord. The CLI, the corpus ingest and the evaluation suites all go through here.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import chunking, deadline, lifeline
from eventwire import nlp as nlp_module
from eventwire._iter import batched
from eventwire.errors import InputError
from eventwire.extract import remember_text
from eventwire.extract.build import build_record
from eventwire.ingest import PreparedArticle, RawArticle, prepare
from eventwire.ingest.paragraphs import mark_paragraph_starts
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


def prepared_doc(nlp: Language, prepared: PreparedArticle) -> Doc:
    """The unparsed Doc of a prepared article, carrying its metadata and whole text, ready for
    ``nlp`` (the one way every caller builds it)."""
    doc = mark_paragraph_starts(nlp.make_doc(prepared.text))  # a blank line ends a sentence
    doc._.ew_meta = prepared
    remember_text(doc, prepared.text)  # the stages read it whole; not joined from the tokens
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
    min_confidence: float | None = None,
) -> ArticleRecord:
    """Read one article (plain text or an HTML page) into an ArticleRecord.

    ``published`` is an ISO date; without it the date comes from HTML metadata or the text.
    ``min_confidence``: see :func:`eventwire.nlp.load` (ignored when ``nlp`` is given).
    Raises :class:`~eventwire.errors.InputError` for input that cannot be read.
    """
    nlp = nlp or nlp_module.load(model, actors=actors, min_confidence=min_confidence)
    raw = to_raw(text_or_html, published=published, title=title, url=url, source=source)
    doc = chunking.annotate(nlp, prepared_doc(nlp, prepare(raw)))
    return build_record(doc)


def _limited(seconds: float | None, origin: str) -> AbstractContextManager[None]:
    """The per-article time limit (:func:`eventwire.deadline.time_limit`), when one is asked for."""
    return deadline.time_limit(seconds, origin) if seconds else nullcontext()


def _failed(raw: RawArticle, error: InputError) -> ArticleRecord:
    return ArticleRecord.failed(str(error), title=raw.title, url=raw.url, source=raw.source)


def _prepare_or_fail(
    raw: RawArticle, limit: float | None = None
) -> PreparedArticle | ArticleRecord:
    try:
        with _limited(limit, raw.origin):
            return prepare(raw)
    except InputError as exc:  # an unreadable input or one over the time limit: its failure
        return _failed(raw, exc)


def read_many(
    articles: Iterable[ArticleInput],
    *,
    batch_size: int = 32,
    n_process: int = 1,
    model: str | None = None,
    actors: Sequence[Path | str] = (),
    nlp: Language | None = None,
    time_limit: float | None = None,
    min_confidence: float | None = None,
) -> Iterator[ArticleRecord]:
    """Stream one ArticleRecord per input, in input order, through ``nlp.pipe``.

    Inputs are texts, HTML strings, dicts (``text`` or ``html``; optional ``id``, ``title``,
    ``url``, ``source``, ``published``) or RawArticles. An input that cannot be read yields a
    record with ``error`` set and empty lists; the stream goes on. ``n_process`` > 1 reads in
    that many worker processes (each loads the pipeline by ``model`` and ``actors`` once).

    ``time_limit`` (seconds; None or 0: none) bounds each article's step: an article that runs
    over yields a failed record naming the limit and the stream goes on (the rest of its chunk
    is read article by article). It holds in any thread: the eventwire stages check it as they
    go, and in a process's main thread an alarm also stops any other Python code; see
    :mod:`eventwire.deadline`. ``min_confidence``: see :func:`eventwire.nlp.load`.
    """
    if n_process > 1:
        if nlp is not None:
            raise ValueError(
                "n_process > 1 loads the pipeline in each worker: pass model=, not nlp="
            )
        yield from _read_in_processes(
            articles, batch_size, n_process, (model, actors, min_confidence), time_limit
        )
        return
    nlp = nlp or nlp_module.load(model, actors=actors, min_confidence=min_confidence)
    for raws in _raw_chunks(articles, batch_size):
        pairs = [(raw, _prepare_or_fail(raw, time_limit)) for raw in raws]
        yield from _annotated(nlp, pairs, batch_size, time_limit)


Pair = tuple[RawArticle, PreparedArticle | ArticleRecord]


def _annotated(
    nlp: Language, pairs: list[Pair], batch_size: int, limit: float | None
) -> Iterator[ArticleRecord]:
    """The records of one chunk through ``nlp.pipe``. When an article runs over the limit (or
    fails), the pipe is broken: the rest of the chunk is read one article at a time."""
    docs = [prepared_doc(nlp, p) for _, p in pairs if isinstance(p, PreparedArticle)]
    annotated = chunking.annotate_stream(nlp, docs, batch_size)
    for k, (raw, item) in enumerate(pairs):
        if not isinstance(item, PreparedArticle):
            yield item
            continue
        try:
            with _limited(limit, raw.origin):
                record = build_record(next(annotated))
        except InputError as exc:
            yield from _one_by_one(nlp, pairs[k:], limit, exc if len(docs) == 1 else None)
            return
        yield record


def _one_by_one(
    nlp: Language, pairs: list[Pair], limit: float | None, first_error: InputError | None
) -> Iterator[ArticleRecord]:
    """Each article alone under the limit; ``first_error`` is the first article's failure when
    it ran alone already (no need to spend the limit on it twice)."""
    for k, (raw, item) in enumerate(pairs):
        if k == 0 and first_error is not None:
            yield _failed(raw, first_error)
        elif isinstance(item, PreparedArticle):
            yield _read_alone(nlp, raw, item, limit)
        else:
            yield item


def _read_alone(
    nlp: Language, raw: RawArticle, prepared: PreparedArticle, limit: float | None
) -> ArticleRecord:
    try:
        with _limited(limit, raw.origin):
            return build_record(chunking.annotate(nlp, prepared_doc(nlp, prepared)))
    except InputError as exc:
        return _failed(raw, exc)


Pipeline = tuple[str | None, Sequence[Path | str], float | None]  # model, actors, threshold


def _read_in_processes(
    articles: Iterable[ArticleInput],
    batch_size: int,
    n_process: int,
    pipeline: Pipeline,
    time_limit: float | None = None,
) -> Iterator[ArticleRecord]:
    """Records in input order from ``n_process`` spawned workers that each load the pipeline once.

    Not spaCy's ``nlp.pipe(n_process=...)``: it moves Docs between processes as msgpack, which
    cannot carry the eventwire Doc attributes (it failed on the first article), and it starts
    new workers, each loading the model, for every call. Inputs go to workers as RawArticles
    and records come back; a bounded number of batches is in flight.
    """
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    model, actors, threshold = pipeline
    names = tuple(str(a) for a in actors)
    context = multiprocessing.get_context("spawn")
    parent, main = os.getpid(), threading.current_thread() is threading.main_thread()
    with ProcessPoolExecutor(
        n_process,
        mp_context=context,
        initializer=_warm,
        initargs=(model, names, threshold, parent, main),
    ) as pool:
        pending: deque[Future[list[ArticleRecord]]] = deque()
        for raws in _raw_chunks(articles, batch_size):
            pending.append(pool.submit(_read_batch, raws, model, names, time_limit, threshold))
            if len(pending) >= 2 * n_process:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _warm(
    model: str | None,
    actors: tuple[str, ...],
    threshold: float | None = None,
    parent: int | None = None,
    kernel_signal: bool = False,
) -> None:
    """A fresh worker's first step: die with ``parent`` (:mod:`eventwire.lifeline`), then load
    the pipeline before its first batch (cached per process)."""
    if parent is not None:
        lifeline.watch_parent(parent, kernel_signal=kernel_signal)
    nlp_module.load(model, actors=actors, min_confidence=threshold)


def _read_batch(
    raws: list[RawArticle],
    model: str | None,
    actors: tuple[str, ...],
    time_limit: float | None = None,
    threshold: float | None = None,
) -> list[ArticleRecord]:
    """One worker's batch, read in that worker's cached pipeline (in its main thread, where
    the time limit holds)."""
    size = max(len(raws), 1)
    return list(
        read_many(
            raws,
            model=model,
            actors=actors,
            batch_size=size,
            time_limit=time_limit,
            min_confidence=threshold,
        )
    )


def _raw_chunks(articles: Iterable[ArticleInput], size: int) -> Iterator[list[RawArticle]]:
    """The inputs as RawArticles, ``size`` at a time; unnamed ones are named by position."""
    named = (to_raw(item, origin=f"<input {i}>") for i, item in enumerate(articles))
    return batched(named, size)
