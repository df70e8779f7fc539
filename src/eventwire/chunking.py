"""Long articles parsed in paragraph-aligned chunks, then read whole.

The statistical model's cost does not grow linearly with one Doc's length: on a single Doc of
160,000 characters its components took 5.4 s against 0.27 s for 10,000 (1.3x the time per
character), and its working memory grew with the whole Doc (690 MB of RSS there; a
1,000,000-character page peaked near 5 GB). So a text longer than :data:`LONG_TEXT_CHARS` goes
through the model's own components (tagger, parser, NER, ...) in chunks of at most
:data:`CHUNK_CHARS` characters, cut at paragraph breaks (else at a sentence end, else at a space),
and the parsed chunks are joined into one Doc (``Doc.from_docs``: tokens, tags, dependencies,
sentences and entities, at their offsets in the whole text). The eventwire components then run
once on that whole Doc, as for any article, so entities, name clusters, quotes and event merging
see the whole article: nothing is merged after the fact.

Each chunk keeps the whitespace that ends it, so the chunks' texts join to the article's text
exactly and the joined Doc's tokens are the tokens of the whole text. Articles of ordinary length
(up to :data:`LONG_TEXT_CHARS`) are read as one Doc, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import deadline
from eventwire.extract import whole_text
from eventwire.ingest.paragraphs import mark_paragraph_starts
from eventwire.nlp import COMPONENTS

#: Texts longer than this are parsed in chunks (a long feature is some 30,000 characters).
LONG_TEXT_CHARS = 50_000
#: The most characters the model reads at once: where its time per character is still flat.
CHUNK_CHARS = 10_000

#: Breaks in order of preference: a blank line, a line end, a sentence end, any space.
_BREAKS = (
    re.compile(r"\n[^\S\n]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'’”)\]]*\s+"),
    re.compile(r"\s+"),
)


def chunk_bounds(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text`` of at most ``size`` characters that
    cover it exactly, each ending after the whitespace of a paragraph break where one falls in
    its second half, else of a sentence end, else of any space (else cut hard)."""
    bounds, start = [], 0
    while len(text) - start > size:
        end = _cut(text, start, start + size)
        bounds.append((start, end))
        start = end
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def _cut(text: str, start: int, limit: int) -> int:
    """Where the chunk from ``start`` ends: the last good break in ``(start + half, limit]``."""
    window_start = start + (limit - start) // 2
    for pattern in _BREAKS:
        ends = [m.end() for m in pattern.finditer(text, window_start, limit)]
        if ends:
            return ends[-1]
    return limit


def is_long(doc: Doc) -> bool:
    """Whether ``doc``'s text is over :data:`LONG_TEXT_CHARS` (from its last token: ``doc.text``
    would join every token's text again)."""
    if not len(doc):
        return False
    last = doc[-1]
    return last.idx + len(last.text_with_ws) > LONG_TEXT_CHARS


def model_components(nlp: Language) -> list[tuple[str, object]]:
    """The pipeline's components that are not eventwire's (the model's, and users' own)."""
    return [(name, proc) for name, proc in nlp.pipeline if name not in COMPONENTS]


def parse_in_chunks(nlp: Language, doc: Doc) -> Doc:
    """``doc``'s text through the model's components chunk by chunk, joined into one new Doc
    carrying ``doc``'s user data (the eventwire metadata and text); not yet through the
    eventwire components."""
    text = whole_text(doc)
    parsed = []
    for start, end in chunk_bounds(text):
        deadline.check()
        chunk = mark_paragraph_starts(nlp.make_doc(text[start:end]))  # as a whole text's
        for _name, proc in model_components(nlp):
            chunk = proc(chunk)  # type: ignore[operator]
        parsed.append(chunk)
    joined = Doc.from_docs(parsed, ensure_whitespace=False, exclude=["tensor", "user_data"])
    joined.user_data.update(doc.user_data)
    return joined


def annotate(nlp: Language, doc: Doc) -> Doc:
    """``nlp(doc)``, with a long text parsed in chunks (see the module docstring). A pipeline
    with no model components (``blank:en``) has nothing to chunk and reads the Doc as it is."""
    if not is_long(doc) or not model_components(nlp):
        return nlp(doc)
    joined = parse_in_chunks(nlp, doc)
    for name, proc in nlp.pipeline:
        if name in COMPONENTS:
            joined = proc(joined)  # type: ignore[operator]
    return joined


def annotate_stream(nlp: Language, docs: Iterable[Doc], batch_size: int) -> Iterator[Doc]:
    """``nlp.pipe(docs)`` in order, with each long text read alone by :func:`annotate`.

    Ordinary articles still go through ``nlp.pipe`` in batches; a long one ends the batch before
    it. Lazy like ``nlp.pipe``: an article is annotated when its Doc is asked for.
    """
    short: list[Doc] = []
    chunked = bool(model_components(nlp))
    for doc in docs:
        if chunked and is_long(doc):
            yield from nlp.pipe(short, batch_size=batch_size)
            short = []
            yield annotate(nlp, doc)
        else:
            short.append(doc)
    yield from nlp.pipe(short, batch_size=batch_size)
