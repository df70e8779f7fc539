"""Quotes on the reference article, read end to end with the real model."""

from __future__ import annotations

import pytest

import eventwire
from eventwire.record import ArticleRecord, Quote

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def record(seed_text: str, nlp) -> ArticleRecord:
    return eventwire.read(seed_text, nlp=nlp)


def quote_with(record: ArticleRecord, fragment: str) -> Quote:
    found = [q for q in record.quotes if fragment in q.text]
    assert found, f"no quote contains {fragment!r}: {[q.text[:40] for q in record.quotes]}"
    return found[0]


def speaker_names(record: ArticleRecord, quote: Quote) -> str:
    """Every name the speaker entity goes by, joined, so tests survive alias changes."""
    entity = record.entity(quote.speaker) if quote.speaker else None
    return " | ".join([entity.name, *entity.aliases]) if entity else ""


def test_every_quote_points_at_its_text(record: ArticleRecord) -> None:
    assert record.quotes
    for quote in record.quotes:
        assert record.article.text[quote.start : quote.end] == quote.text
        assert not quote.text.startswith(("“", '"')) and not quote.text.endswith(("”", '"'))


def test_block_quote_with_a_cue_after_it_is_hezbollahs(record: ArticleRecord) -> None:
    quote = quote_with(record, "to halt the brutal aggression")
    assert quote.text.startswith("An assessment was made of the international positions")
    assert "Hezbollah" in speaker_names(record, quote)
    assert quote.cue == "said"


def test_next_paragraph_quote_without_a_cue_continues_hezbollah(record: ArticleRecord) -> None:
    quote = quote_with(record, "There was agreement on continuing the coordination.")
    assert "Hezbollah" in speaker_names(record, quote)
    assert quote.cue is None


def test_quote_after_the_report_is_the_outlets(record: ArticleRecord) -> None:
    quote = quote_with(record, "The meeting between Sayyed Nasrallah")
    assert "Mayadeen" in speaker_names(record, quote)


def test_quote_after_noted_in_2014_is_the_centres(record: ArticleRecord) -> None:
    centre = [e for e in record.entities if "Meir Amit" in " ".join([e.name, *e.aliases])]
    if not centre:
        pytest.skip("the model does not recognise the Meir Amit centre as an entity")
    quote = quote_with(record, "al-Arouri is a senior Hamas operative based in Turkey.")
    assert quote.speaker == centre[0].id
    assert quote.cue == "noted"


def test_scare_quotes_without_a_speech_cue_are_not_quotes(record: ArticleRecord) -> None:
    texts = {q.text for q in record.quotes}
    for scare in ("Axis of Resistance", "unite", "follow-up", "daily or permanent basis."):
        assert scare not in texts
    assert not any(t.startswith("martyrs on the road") for t in texts)


def test_scare_quote_governed_by_the_report_said_is_a_partial_quote(record: ArticleRecord) -> None:
    quote = quote_with(record, "victory")
    assert quote.text == "victory"
    assert "Mayadeen" in speaker_names(record, quote)
