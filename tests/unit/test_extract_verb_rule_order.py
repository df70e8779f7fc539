"""The verb rule a verb gets: most specific first, then earliest (events.lexicon, events.triggers)."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import Doc

from eventwire.extract.events.lexicon import Coding, Lexicon, VerbRule, _add_verbs
from eventwire.extract.events.triggers import best_verb_rule

MEET = Coding("CONSULT", None, "040")


def _rule(prep: str, obj: str, origin: str = "curated") -> VerbRule:
    return VerbRule("meet", prep, obj, MEET, origin)


def _lexicon() -> Lexicon:
    rules = [_rule("", ""), _rule("with", ""), _rule("with", "leader"), _rule("with", "*")]
    return Lexicon(verbs={"meet": rules})


def _met_with(obj: str, lemma: str) -> Doc:
    return Doc(
        spacy.blank("en").vocab,
        words=["They", "met", "with", obj],
        heads=[1, 1, 1, 2],
        deps=["nsubj", "ROOT", "prep", "pobj"],
        pos=["PRON", "VERB", "ADP", "NOUN"],
        lemmas=["they", "meet", "with", lemma],
    )


def test_ranked_rules_are_most_specific_first_and_keep_their_order_in_ties() -> None:
    lexicon = _lexicon()
    ranked = lexicon.ranked_verb_rules("meet")
    assert [(r.prep, r.object) for r in ranked] == [
        ("with", "leader"),
        ("with", "*"),
        ("with", ""),
        ("", ""),
    ]
    assert lexicon.verb_rules("meet") == _lexicon().verbs["meet"]


def test_best_rule_is_the_most_specific_that_fits() -> None:
    lexicon = _lexicon()
    assert best_verb_rule(_met_with("leaders", "leader")[1], lexicon) == _rule("with", "leader")
    assert best_verb_rule(_met_with("them", "they")[1], lexicon) == _rule("with", "*")


def test_loading_more_verbs_clears_the_merged_rules(tmp_path: Path) -> None:
    lexicon = _lexicon()
    assert len(lexicon.verb_rules("meet")) == 4
    extra = tmp_path / "verbs.tsv"
    extra.write_text("verb\tprep\tobject\ttype\nmeet\tin\t\tCONSULT\n", encoding="utf-8")
    _add_verbs(lexicon, extra)
    assert ("in", "") in [(r.prep, r.object) for r in lexicon.verb_rules("meet")]
