"""Per-process data is built once: the caches that keep start-up and per-article work cheap."""

from __future__ import annotations

import spacy

from eventwire import gazetteer
from eventwire.extract.names import core_tokens, fold, name_tokens
from eventwire.extract.roles import _title_at, _View, title_forms


def test_gazetteer_default_and_explicit_population_share_one_build() -> None:
    """``load()`` (evaluation) and ``load(1000)`` (the places stage) once built it twice."""
    assert gazetteer.load() is gazetteer.load(gazetteer.DEFAULT_MIN_POPULATION)
    assert gazetteer.load(min_population=gazetteer.DEFAULT_MIN_POPULATION) is gazetteer.load()


def test_name_tokens_returns_a_fresh_list_from_the_cache() -> None:
    """A caller that edits the list must not change what the next caller gets."""
    first = name_tokens("Sheikh Ahmed al-Hassan")
    first.append("x")
    assert name_tokens("Sheikh Ahmed al-Hassan") == first[:-1]
    assert core_tokens("Ahmed al-Hassan") == ("ahmed", "hassan")
    assert fold("Al-Hassan’s") == "al-hassan"


def test_title_lookup_by_first_word_finds_the_longest_form() -> None:
    """The first-word index gives the same form as scanning every form longest first."""
    doc = spacy.blank("en")("the deputy prime minister of the country and the minister met")
    view = _View(doc)
    for i in range(len(doc)):
        words = tuple(t.lower_ for t in doc[i : i + 5])
        scanned = next((f for f in title_forms() if words[: len(f.words)] == f.words), None)
        assert _title_at(view, i) == scanned
    assert any(_title_at(view, i) is not None for i in range(len(doc)))
