"""The roles, time and events stages on unparsed Docs (a blank pipeline: no parse, no sentences).

Walking the parse tree of an unparsed Doc can crash spaCy (tree edges left unset after tokenizer
special cases such as "Minn." or "Jan."), and ``doc.sents`` raises without sentence boundaries.
These stages ask ``doc.has_annotation("DEP")`` first and fall back to word-order rules, or do
nothing (events need the parse). The texts are full of such special cases.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.ingest import PreparedArticle
from eventwire.nlp import add_components

TEXTS = {
    "backed": "Hamas, backed by Iran, said troops attacked Gaza on Jan. 4 in St. Paul, Minn.",
    "future": "Gen. Lee of the U.S. Army said on Tuesday he will visit Kenya next week.",
}


@pytest.fixture(scope="module")
def blank() -> Language:
    return add_components(spacy.blank("en"))


def read(nlp: Language, key: str) -> Doc:
    doc = nlp.make_doc(TEXTS[key])
    doc._.ew_meta = PreparedArticle(origin=key, id=key, text=doc.text, published="2024-03-06")
    return nlp(doc)


def test_the_doc_is_really_unparsed(blank: Language) -> None:
    doc = read(blank, "backed")
    assert not doc.has_annotation("DEP") and not doc.has_annotation("SENT_START")


def test_events_need_a_parse_and_find_none_without_one(blank: Language) -> None:
    assert read(blank, "backed")._.ew_events == []


def test_roles_read_relations_by_word_order(blank: Language) -> None:
    doc = read(blank, "backed")
    names = {e.id: e.name for e in doc._.ew_entities}
    found = [(names[r.subject], r.predicate, names[r.object]) for r in doc._.ew_relations]
    assert found == [("Hamas", "backed_by", "Iran")]


def test_times_resolve_with_tense_from_markers(blank: Language) -> None:
    times = {t.text: t.value for t in read(blank, "backed")._.ew_times}
    assert times == {"Jan. 4": "2024-01-04"}
    future = {t.text: t.value for t in read(blank, "future")._.ew_times}
    assert future["next week"] == "2024-03-11/2024-03-17"
    assert future["Tuesday"] == "2024-03-12"  # 'will' marks the (only) sentence as future
