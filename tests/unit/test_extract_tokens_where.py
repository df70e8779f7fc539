"""tokens_where: token indices by attribute value in one array comparison (eventwire.extract)."""

from __future__ import annotations

import spacy
from spacy.attrs import LIKE_NUM, LOWER
from spacy.strings import get_string_id

from eventwire.extract import tokens_where


def test_tokens_where_finds_the_same_tokens_as_a_loop() -> None:
    doc = spacy.blank("en")("According to police, 12 died; ACCORDING to others, twelve, not 3.")
    according = get_string_id("according")
    assert tokens_where(doc, 0, len(doc), LOWER, according) == [
        t.i for t in doc if t.lower_ == "according"
    ]
    assert tokens_where(doc, 0, len(doc), LIKE_NUM, 1) == [t.i for t in doc if t.like_num]
    assert tokens_where(doc, 1, 7, LOWER, according) == []
    assert tokens_where(doc, 1, 8, LOWER, according) == [7]
    assert tokens_where(doc, 5, len(doc), LIKE_NUM, 1) == [t.i for t in doc[5:] if t.like_num]
