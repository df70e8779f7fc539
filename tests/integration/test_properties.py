"""Property tests: reading never raises on any text or HTML, offsets are always valid, and every
record validates against the published JSON Schema (issue: hardening)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventwire
from eventwire.errors import InputError
from eventwire.record import ArticleRecord, TextSpan
from eventwire.schema import validate

pytestmark = pytest.mark.integration

WORDS = [
    "Hamas",
    "Israel",
    "the",
    "army",
    "said",
    "on",
    "Tuesday",
    "attacked",
    "met",
    "Kenya",
    "President",
    "Ruto",
    "\u201c",
    "\u201d",
    '"',
    "killed",
    "12",
    "people",
    ",",
    ".",
    "\n\n",
    "in",
    "Nairobi",
    "protesters",
    "rallied",
    "against",
    "sanctions",
    "UN",
    "-",
    "'s",
]

news_like = st.lists(st.sampled_from(WORDS), min_size=1, max_size=80).map(" ".join)
any_text = st.one_of(news_like, st.text(max_size=400))
html_pages = st.builds(
    lambda title, paras: (
        f"<html><head><title>{title}</title></head><body>"
        + "".join(f"<p>{p}</p>" for p in paras)
        + "</body></html>"
    ),
    st.text(max_size=40),
    st.lists(news_like, max_size=6),
)

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def spans(record: ArticleRecord) -> Iterator[TextSpan]:
    for entity in record.entities:
        yield from entity.mentions
        yield from (role.evidence for role in entity.roles)
    for event in record.events:
        yield event.trigger
        yield event.evidence
    for relation in record.relations:
        yield relation.evidence


def check(record: ArticleRecord) -> None:
    text = record.article.text
    validate(record.to_dict())
    for span in spans(record):
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text
    for quote in record.quotes:
        assert 0 <= quote.start <= quote.end <= len(text)
    ids = {e.id for e in record.entities}
    for event in record.events:
        assert set(event.actors.source) | set(event.actors.target) <= ids


def read_or_input_error(nlp, text: str) -> None:  # noqa: ANN001
    try:
        record = eventwire.read(text, nlp=nlp, published="2024-03-07")
    except InputError:
        return  # a clear, named refusal (empty, not English, ...) is a correct outcome
    check(record)


@SETTINGS
@given(text=any_text)
def test_any_text(nlp, text: str) -> None:  # noqa: ANN001
    read_or_input_error(nlp, text)


@SETTINGS
@given(page=html_pages)
def test_any_html(nlp, page: str) -> None:  # noqa: ANN001
    read_or_input_error(nlp, page)


@SETTINGS
@given(texts=st.lists(any_text, min_size=1, max_size=5))
def test_read_many_one_record_per_input(nlp, texts: list[str]) -> None:  # noqa: ANN001
    records = list(eventwire.read_many(texts, nlp=nlp))
    assert len(records) == len(texts)
    for record in records:
        if record.error is None:
            check(record)
