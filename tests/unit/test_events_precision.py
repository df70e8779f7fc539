"""Precision rules on hand-built parses: things that do not act, relative clauses describing
ordinary people, refusals nobody makes, delegations led, mediation."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc
from tests.unit.test_events import Row, ids_of, make_doc, run

from eventwire.extract.events.lexicon import load_lexicon


def _subject_destroyed_mopti(subject: str, lemma: str) -> Doc:
    return make_doc(
        [
            (subject, 1, "nsubj", "NOUN", "NNS", lemma, ""),
            ("destroyed", 1, "ROOT", "VERB", "VBD", "destroy", ""),
            ("Mopti", 1, "dobj", "PROPN", "NNP", "Mopti", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )


def test_a_disaster_is_not_an_assault_but_an_unnamed_actor_still_is() -> None:
    assert run(_subject_destroyed_mopti("Floods", "flood")) == []
    [event] = run(_subject_destroyed_mopti("Gunmen", "gunman"))
    assert event.type == "ASSAULT"


def test_non_agents_list_is_versioned_data() -> None:
    words = load_lexicon().non_agents
    assert {"flood", "earthquake", "sanction", "agreement"} <= words
    assert "government" not in words and "police" not in words


def _helped(verb_head: int, head_dep: str, head_word: str) -> Doc:
    rows: list[Row] = [
        ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
        (head_word, 1, "ROOT", "VERB", "VBD", head_word.rstrip("ed"), ""),
        ("outrage" if head_dep == "pobj" else "all", 1, "dobj", "NOUN", "NN", "outrage", ""),
        ("against", 2, "prep", "ADP", "IN", "against", ""),
        ("people", verb_head, head_dep, "NOUN", "NNS", "people", "NORP"),
        ("who", 6, "nsubj", "PRON", "WP", "who", ""),
        ("helped", 4, "relcl", "VERB", "VBD", "help", ""),
        ("Jones", 6, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
        (".", 1, "punct", "PUNCT", ".", ".", ""),
    ]
    doc = make_doc(rows)
    people = doc._.ew_token_entity[4]
    doc._.ew_entities = [
        replace(e, kb_id="agent:CVL") if e.id == people else e for e in doc._.ew_entities
    ]
    return doc


def test_a_relative_clause_describing_people_under_a_noun_is_not_an_event() -> None:
    doc = _helped(3, "pobj", "called")
    assert [e.trigger.text for e in run(doc)] == []


def test_a_relative_clause_on_an_argument_of_a_verb_stays_an_event() -> None:
    doc = _helped(1, "dobj", "thanked")  # "Smith thanked ... people who helped Jones"
    triggers = {e.trigger.text: e for e in run(doc)}
    assert "helped" in triggers
    assert triggers["helped"].actors.target == ids_of(doc, "Jones")


def _will_not_free(subject: str, label: str, pos: str) -> Doc:
    return make_doc(
        [
            (subject, 3, "nsubj", pos, "NNP" if pos == "PROPN" else "NNS", subject.lower(), label),
            ("will", 3, "aux", "AUX", "MD", "will", ""),
            ("not", 3, "neg", "PART", "RB", "not", ""),
            ("free", 3, "ROOT", "VERB", "VB", "free", ""),
            ("Jones", 3, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
            (".", 3, "punct", "PUNCT", ".", ".", ""),
        ]
    )


def test_a_refusal_needs_someone_who_refuses() -> None:
    assert run(_will_not_free("Talks", "", "NOUN")) == []
    [event] = run(_will_not_free("Smith", "PERSON", "PROPN"))
    assert event.type == "REJECT" and event.actors.source != []


def test_leading_a_delegation_is_not_an_event() -> None:
    doc = make_doc(
        [
            ("The", 1, "det", "DET", "DT", "the", ""),
            ("delegation", 3, "nsubjpass", "NOUN", "NN", "delegation", ""),
            ("was", 3, "auxpass", "AUX", "VBD", "be", ""),
            ("led", 3, "ROOT", "VERB", "VBN", "lead", ""),
            ("by", 3, "agent", "ADP", "IN", "by", ""),
            ("Smith", 4, "pobj", "PROPN", "NNP", "Smith", "PERSON"),
            (".", 3, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    assert run(doc) == []


def test_mediating_is_consultation() -> None:
    doc = make_doc(
        [
            ("Uganda", 1, "nsubj", "PROPN", "NNP", "Uganda", "GPE"),
            ("mediated", 1, "ROOT", "VERB", "VBD", "mediate", ""),
            ("between", 1, "prep", "ADP", "IN", "between", ""),
            ("Smith", 2, "pobj", "PROPN", "NNP", "Smith", "PERSON"),
            ("and", 3, "cc", "CCONJ", "CC", "and", ""),
            ("Jones", 3, "conj", "PROPN", "NNP", "Jones", "PERSON"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert (event.type, event.cameo) == ("CONSULT", "045")
