"""Extraction stages: spaCy components that read a parsed ``Doc`` and leave typed records on it.

Each stage is a spaCy factory (``eventwire_entities``, ``eventwire_roles``, ``eventwire_times``,
``eventwire_places``, ``eventwire_quotes``, ``eventwire_events``) that reads what earlier stages
left in ``doc._`` and sets its own attribute. :func:`eventwire.extract.build.build_record` turns the
annotated ``Doc`` into an :class:`~eventwire.record.ArticleRecord`. The attributes:

==================  =========================================================================
``ew_meta``         :class:`eventwire.ingest.PreparedArticle` (set before the pipeline runs;
                    components read ``published`` from it)
``ew_entities``     ``list[Entity]`` with record-local ids ``e1``, ``e2``, ... (roles empty);
                    ``eventwire_agents`` appends generic actors (police, troops, ...)
``ew_token_entity`` ``list[str | None]``: for each token, the id of the entity it belongs to
``ew_roles``        ``dict[str, list[Role]]``: entity id -> roles read from the text
``ew_relations``    ``list[Relation]``
``ew_times``        ``list[TimeExpression]`` (see :mod:`eventwire.extract.time`)
``ew_places``       ``list[Place]`` (see :mod:`eventwire.extract.places`)
``ew_coref``        ``dict[int, str]``: token index of a pronoun or "the group"-style reference
                    -> the entity id it stands for (see :mod:`eventwire.extract.coref`)
``ew_quotes``       ``list[Quote]``
``ew_events``       ``list[Event]``
==================  =========================================================================
"""

from __future__ import annotations

from spacy.tokens import Doc

DOC_ATTRIBUTES = (
    "ew_meta",
    "ew_entities",
    "ew_token_entity",
    "ew_roles",
    "ew_relations",
    "ew_times",
    "ew_places",
    "ew_quotes",
    "ew_events",
    "ew_coref",
)


def ensure_extensions() -> None:
    """Register the ``doc._.ew_*`` attributes once (idempotent, safe in worker processes)."""
    for name in DOC_ATTRIBUTES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


ensure_extensions()

#: Key of the cached text in ``Doc.user_data`` (see :func:`whole_text`).
_TEXT_KEY = "ew_text"


def text_length(doc: Doc) -> int:
    """``len(doc.text)`` without building the text (``Doc.text`` joins every token)."""
    if not len(doc):
        return 0
    last = doc[-1]  # one Token object: the stages ask for this hundreds of times per Doc
    return last.idx + len(last.text_with_ws)


def whole_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy rebuilds the string from every token at each
    access, and several stages read the whole text (about 3% of extraction time when each
    built its own). A Doc's text never changes (retokenizing keeps it), but its ``user_data``
    can be carried to another Doc (``Span.as_doc(copy_user_data=True)``, ``Doc.from_bytes``),
    so the text is kept with the token count it was read for and used only by a Doc of that
    count: a check of ``len(doc)``, where one of the length in characters built a Token on
    each of the 160-odd calls per article."""
    cached = doc.user_data.get(_TEXT_KEY)
    if type(cached) is tuple and cached[1] == len(doc):
        return cached[0]
    text = doc.text
    remember_text(doc, text)
    return text


def remember_text(doc: Doc, text: str) -> None:
    """Give :func:`whole_text` the text ``doc`` was made from (``nlp.make_doc(text)``), so
    that it is not joined again from every token: spaCy's tokenizer loses no character, so
    the Doc's text is that string."""
    doc.user_data[_TEXT_KEY] = (text, len(doc))


def span_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text`` as a slice of :func:`whole_text`: the same string (a span's text
    runs from its first token to the end of its last, without that token's trailing space)
    without building the Span and joining its tokens, for the many short names the stages read.
    """
    if end <= start:
        return ""
    last = doc[end - 1]
    return whole_text(doc)[doc[start].idx : last.idx + len(last)]
