"""Modality cues read from hand-built parses."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from eventwire.extract.modality import own_modality, read_modality

NLP = spacy.blank("en")


def parse(
    words: list[str], heads: list[int], deps: list[str], pos: list[str], lemmas: list[str]
) -> Doc:
    return Doc(NLP.vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)


def test_according_to_sets_reported_and_attribution() -> None:
    doc = parse(
        ["Hamas", "attacked", "Israel", "according", "to", "Reuters"],
        [1, 1, 1, 1, 3, 4],
        ["nsubj", "ROOT", "dobj", "prep", "prep", "pobj"],
        ["PROPN", "VERB", "PROPN", "VERB", "ADP", "PROPN"],
        ["Hamas", "attack", "Israel", "accord", "to", "Reuters"],
    )
    reading = read_modality(doc[1], lambda t: ["e3"] if t.text == "Reuters" else [])
    assert (reading.modality, reading.attributed_to) == ("reported", "e3")


def test_denial_negates_the_denied_event() -> None:
    doc = parse(
        ["Iran", "denied", "attacking", "ships"],
        [1, 1, 1, 2],
        ["nsubj", "ROOT", "xcomp", "dobj"],
        ["PROPN", "VERB", "VERB", "NOUN"],
        ["Iran", "deny", "attack", "ship"],
    )
    reading = read_modality(doc[2], lambda t: ["e1"] if t.text == "Iran" else [])
    assert (reading.modality, reading.attributed_to) == ("negated", "e1")


def test_plans_to_is_future_and_if_is_hypothetical() -> None:
    doc = parse(
        ["Iran", "plans", "to", "attack"],
        [1, 1, 3, 1],
        ["nsubj", "ROOT", "aux", "xcomp"],
        ["PROPN", "VERB", "PART", "VERB"],
        ["Iran", "plan", "to", "attack"],
    )
    assert read_modality(doc[3], lambda t: []).modality == "future"
    doc = parse(
        ["if", "Iran", "attacks"],
        [2, 2, 2],
        ["mark", "nsubj", "ROOT"],
        ["SCONJ", "PROPN", "VERB"],
        ["if", "Iran", "attack"],
    )
    assert own_modality(doc[2]) == "hypothetical"


def test_plain_assertion() -> None:
    doc = parse(
        ["Iran", "attacked"], [1, 1], ["nsubj", "ROOT"], ["PROPN", "VERB"], ["Iran", "attack"]
    )
    assert read_modality(doc[1], lambda t: []).modality == "asserted"


def test_according_to_in_any_case_and_only_in_the_triggers_sentence() -> None:
    doc = parse(
        ["ACCORDING", "to", "Reuters", ",", "Hamas", "attacked", ".", "Iran", "attacked", "."],
        [5, 0, 1, 5, 5, 5, 5, 8, 8, 8],
        ["prep", "prep", "pobj", "punct", "nsubj", "ROOT", "punct", "nsubj", "ROOT", "punct"],
        ["VERB", "ADP", "PROPN", "PUNCT", "PROPN", "VERB", "PUNCT", "PROPN", "VERB", "PUNCT"],
        ["accord", "to", "Reuters", ",", "Hamas", "attack", ".", "Iran", "attack", "."],
    )
    first, second = list(doc.sents)
    actor = lambda t: ["e1"] if t.text == "Reuters" else []  # noqa: E731
    for sent in (None, first):
        reading = read_modality(doc[5], actor, sent=sent)
        assert (reading.modality, reading.attributed_to) == ("reported", "e1")
    for sent in (None, second, first):  # a sentence that does not hold the trigger is not used
        assert read_modality(doc[8], actor, sent=sent).modality == "asserted"
