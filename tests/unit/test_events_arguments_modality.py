"""Argument and modality patterns on hand-built parses: denials, contrast clauses, attempts,
"at the request of"."""

from __future__ import annotations

from tests.unit.test_events import ids_of, make_doc, run


def test_a_denial_of_accusations_is_a_rejection_and_the_accusation_stands() -> None:
    doc = make_doc(
        [
            ("Hamas", 1, "nsubj", "PROPN", "NNP", "Hamas", "ORG"),
            ("denied", 1, "ROOT", "VERB", "VBD", "deny", ""),
            ("Israel", 4, "poss", "PROPN", "NNP", "Israel", "GPE"),
            ("'s", 2, "case", "PART", "POS", "'s", ""),
            ("accusations", 1, "dobj", "NOUN", "NNS", "accusation", ""),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    hamas, israel = ids_of(doc, "Hamas", "Israel")
    events = {e.type: e for e in run(doc)}
    assert events["REJECT"].actors.source == [hamas]
    assert israel in events["REJECT"].actors.target
    accusation = events["ACCUSE"]
    assert accusation.actors.source == [israel] and hamas in accusation.actors.target
    assert accusation.modality == "asserted" and accusation.attributed_to is None


def test_a_contrast_clause_keeps_its_own_modality() -> None:
    doc = make_doc(
        [
            ("While", 2, "mark", "SCONJ", "IN", "while", ""),
            ("Egypt", 2, "nsubj", "PROPN", "NNP", "Egypt", "GPE"),
            ("blamed", 7, "advcl", "VERB", "VBD", "blame", ""),
            ("Iran", 2, "dobj", "PROPN", "NNP", "Iran", "GPE"),
            (",", 7, "punct", "PUNCT", ",", ",", ""),
            ("Iran", 7, "nsubj", "PROPN", "NNP", "Iran", "GPE"),
            ("did", 7, "aux", "AUX", "VBD", "do", ""),
            ("not", 7, "neg", "PART", "RB", "not", ""),
            ("comment", 7, "ROOT", "VERB", "VB", "comment", ""),
            (".", 7, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [blame] = [e for e in run(doc) if e.type == "ACCUSE"]
    assert blame.modality == "asserted"


def test_an_attempt_is_asserted_not_future() -> None:
    doc = make_doc(
        [
            ("Protesters", 1, "nsubj", "NOUN", "NNS", "protester", ""),
            ("tried", 1, "ROOT", "VERB", "VBD", "try", ""),
            ("to", 3, "aux", "PART", "TO", "to", ""),
            ("block", 1, "xcomp", "VERB", "VB", "block", ""),
            ("Kano", 3, "dobj", "PROPN", "NNP", "Kano", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.trigger.text == "block" and event.modality == "asserted"


def test_the_one_who_requests_is_not_the_target() -> None:
    doc = make_doc(
        [
            ("Talks", 2, "nsubjpass", "NOUN", "NNS", "talk", ""),
            ("were", 2, "auxpass", "AUX", "VBD", "be", ""),
            ("held", 2, "ROOT", "VERB", "VBN", "hold", ""),
            ("at", 2, "prep", "ADP", "IN", "at", ""),
            ("the", 5, "det", "DET", "DT", "the", ""),
            ("request", 3, "pobj", "NOUN", "NN", "request", ""),
            ("of", 5, "prep", "ADP", "IN", "of", ""),
            ("Qatar", 6, "pobj", "PROPN", "NNP", "Qatar", "GPE"),
            (".", 2, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [qatar] = ids_of(doc, "Qatar")
    events = run(doc)
    assert all(qatar not in e.actors.target for e in events)
    assert any(e.type == "REQUEST" and e.actors.source == [qatar] for e in events)


def test_a_reduced_passive_acts_on_the_subject_it_inherits() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("appeared", 1, "ROOT", "VERB", "VBD", "appear", ""),
            ("in", 1, "prep", "ADP", "IN", "in", ""),
            ("court", 2, "pobj", "NOUN", "NN", "court", ""),
            ("charged", 1, "advcl", "VERB", "VBN", "charge", ""),
            ("with", 4, "prep", "ADP", "IN", "with", ""),
            ("fraud", 5, "pobj", "NOUN", "NN", "fraud", ""),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [smith] = ids_of(doc, "Smith")
    [event] = [e for e in run(doc) if e.trigger.text.startswith("charged")]
    assert event.type == "COERCE"
    assert event.actors.source == [] and event.actors.target == [smith]


def test_a_planned_act_with_no_actor_is_future_not_a_threat() -> None:
    """'Hamas will attack' is Hamas's threat; 'Smith will be arrested' only says what is
    planned."""
    doc = make_doc(
        [
            ("Smith", 3, "nsubjpass", "PROPN", "NNP", "Smith", "PERSON"),
            ("will", 3, "aux", "AUX", "MD", "will", ""),
            ("be", 3, "auxpass", "AUX", "VB", "be", ""),
            ("arrested", 3, "ROOT", "VERB", "VBN", "arrest", ""),
            (".", 3, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert (event.type, event.modality) == ("COERCE", "future")
    threat = make_doc(
        [
            ("Hamas", 2, "nsubj", "PROPN", "NNP", "Hamas", "ORG"),
            ("will", 2, "aux", "AUX", "MD", "will", ""),
            ("attack", 2, "ROOT", "VERB", "VB", "attack", ""),
            ("Kano", 2, "dobj", "PROPN", "NNP", "Kano", "GPE"),
            (".", 2, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    assert [e.type for e in run(threat)] == ["THREATEN"]


def test_a_pronoun_subject_takes_the_coreference_steps_antecedent() -> None:
    """`doc._.ew_coref` (the agents stage's coreference) decides a pronoun argument before the
    nearest-subject fallback: here the fallback would find no earlier subject at all."""
    doc = make_doc(
        [
            ("Kano", 1, "nsubj", "PROPN", "NNP", "Kano", "GPE"),
            ("welcomed", 1, "ROOT", "VERB", "VBD", "welcome", ""),
            ("Ana", 3, "compound", "PROPN", "NNP", "Ana", "PERSON"),
            ("Diaz", 1, "dobj", "PROPN", "NNP", "Diaz", "PERSON"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
            ("She", 6, "nsubj", "PRON", "PRP", "she", ""),
            ("attacked", 6, "ROOT", "VERB", "VBD", "attack", ""),
            ("Lagos", 6, "dobj", "PROPN", "NNP", "Lagos", "GPE"),
            (".", 6, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    doc._.ew_coref = {5: "e2"}
    attack = next(e for e in run(doc) if e.type == "ASSAULT")
    assert attack.actors.source == ["e2"]
