"""A paragraph break ends a sentence: headline, standfirst and paragraphs are never read as one
sentence (issue 15)."""

from __future__ import annotations

import spacy

from eventwire.ingest import RawArticle, prepare
from eventwire.ingest.paragraphs import mark_paragraph_starts
from eventwire.reader import prepared_doc

TEXT = (
    "Rebels seize border town in overnight raid\n\n"
    "The government says reinforcements are on the way\n\n"
    "Fighters entered the town late on Monday, residents said. Shops stayed shut.\n"
    "A curfew was declared."
)


def _starts(doc: spacy.tokens.Doc) -> list[str]:
    return [t.text for t in doc if t.is_sent_start]


def test_the_first_word_after_a_blank_line_starts_a_sentence() -> None:
    doc = mark_paragraph_starts(spacy.blank("en").make_doc(TEXT))
    assert _starts(doc) == ["Rebels", "The", "Fighters"]
    # within a paragraph (and across a single line break) the parser still decides
    assert doc[[t.text for t in doc].index("Shops")].is_sent_start is None
    assert doc[[t.text for t in doc].index("A")].is_sent_start is None


def test_every_article_reaches_the_parser_with_its_paragraph_starts() -> None:
    nlp = spacy.blank("en")
    doc = prepared_doc(nlp, prepare(RawArticle(origin="t.txt", text=TEXT)))
    assert _starts(doc) == ["Rebels", "The", "Fighters"]


def test_the_sentencizer_respects_the_marks() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(mark_paragraph_starts(nlp.make_doc(TEXT)))
    assert [s.text.strip() for s in doc.sents][:2] == [
        "Rebels seize border town in overnight raid",
        "The government says reinforcements are on the way",
    ]
