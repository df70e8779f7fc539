"""``whole_text``: the Doc's text, built once per Doc for the stages that read all of it."""

from __future__ import annotations

import spacy

from eventwire.extract import remember_text, whole_text


def test_whole_text_equals_doc_text_and_is_built_once() -> None:
    doc = spacy.blank("en")("Troops crossed the border on Monday.  Talks resume today.\n")
    first = whole_text(doc)
    assert first == doc.text
    assert whole_text(doc) is first  # the cached string, not a rebuilt one


def test_a_stale_cached_text_is_rebuilt() -> None:
    doc = spacy.blank("en")("Short text.")
    doc.user_data["ew_text"] = "something else entirely"
    assert whole_text(doc) == "Short text."


def test_an_empty_doc_has_empty_text() -> None:
    assert whole_text(spacy.blank("en")("")) == ""


def test_remember_text_gives_the_text_the_doc_was_made_from() -> None:
    nlp = spacy.blank("en")
    text = "Troops crossed the border on Monday.  Talks resume today.\n"
    doc = nlp.make_doc(text)
    remember_text(doc, text)
    assert whole_text(doc) is text
    assert doc.text == text


def test_text_carried_to_another_doc_is_not_used() -> None:
    doc = spacy.blank("en")("Troops crossed the border. Talks resume today.")
    whole_text(doc)
    part = doc[0:4].as_doc(copy_user_data=True)  # the cached text comes along
    assert whole_text(part) == part.text == "Troops crossed the border"
