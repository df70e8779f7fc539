"""The nominal-trigger precheck: nouns no key can name skip the key lookups (Lexicon.noun_tails)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from eventwire.extract.events.lexicon import Coding, Lexicon, NounRule, load_lexicon
from eventwire.extract.events.triggers import nominal_draft

NLP = spacy.blank("en")
PROTEST = Coding("PROTEST", None, "140", ())


def lexicon() -> Lexicon:
    rules = {
        "death toll": [NounRule("death toll", "", PROTEST, "test")],
        "strike": [NounRule("strike", "hunger", PROTEST, "test")],
        "rally": [NounRule("rally", "", PROTEST, "test")],
    }
    return Lexicon(nouns=rules)


def test_noun_tails_hold_every_key_and_every_end_after_a_space() -> None:
    assert lexicon().noun_tails() == {"death toll", "toll", "strike", "rally"}


def test_noun_tails_follow_the_loaded_files() -> None:
    shipped = load_lexicon()
    assert set(shipped.nouns) <= shipped.noun_tails()


def _doc(words: list[str], lemmas: list[str], heads: list[int], deps: list[str]) -> Doc:
    return Doc(
        NLP.vocab, words=words, lemmas=lemmas, heads=heads, deps=deps, pos=["NOUN"] * len(words)
    )


def test_nouns_found_by_lemma_form_or_modifier_and_others_skipped() -> None:
    lex = lexicon()
    doc = _doc(
        ["death", "toll", "hunger", "strike", "rallies", "market"],
        ["death", "toll", "hunger", "strike", "rally", "market"],
        [1, 1, 3, 3, 4, 5],
        ["compound", "ROOT", "compound", "ROOT", "ROOT", "ROOT"],
    )
    found = [nominal_draft(t, lex, [None] * len(doc)) for t in doc]
    assert [d.trigger.text if d else None for d in found] == [
        None,  # the modifier of a compound is not a trigger itself
        "toll",
        None,
        "strike",
        "rallies",
        None,  # no key names "market": skipped before its keys are built
    ]
