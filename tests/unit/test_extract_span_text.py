"""span_text: a span's text as a slice of the Doc's text (eventwire.extract)."""

from __future__ import annotations

import spacy

from eventwire.extract import span_text


def test_span_text_equals_the_spans_text_everywhere() -> None:
    nlp = spacy.blank("en")
    doc = nlp("“Leave now,” said Gen. O'Neil  of the U.N.\n\nTalks (in Geneva) end.")
    for start in range(len(doc) + 1):
        for end in range(len(doc) + 1):
            assert span_text(doc, start, end) == doc[start:end].text


def test_span_text_of_an_empty_doc() -> None:
    doc = spacy.blank("en")("")
    assert span_text(doc, 0, 0) == ""
