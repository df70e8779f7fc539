"""The event-ness gate on hand-built parses: each rule, and what each rule lets through."""

from __future__ import annotations

from spacy.tokens import Doc
from tests.unit.test_events import Row, make_doc

from eventwire.extract.events import EventsStage
from eventwire.extract.events.gate import gate_reason, is_complement, is_describing
from eventwire.record import Quote


def gated(doc: Doc) -> list[str]:
    """The triggers coded with the gate on (and no learned model), in order."""
    stage = EventsStage(min_confidence=0.0)
    stage.filter = stage.types = None
    return [e.trigger.text for e in stage(doc)._.ew_events]


def _sentence(verb: str, lemma: str, tag: str = "VBD", end: str = ".") -> list[Row]:
    return [
        ("Troops", 1, "nsubj", "NOUN", "NNS", "troop", ""),
        (verb, 1, "ROOT", "VERB", tag, lemma, ""),
        ("Kano", 1, "dobj", "PROPN", "NNP", "Kano", "GPE"),
        (end, 1, "punct", "PUNCT", ".", end, ""),
    ]


def test_an_asserted_attack_passes_the_gate() -> None:
    assert gated(make_doc(_sentence("attacked", "attack"))) == ["attacked"]


def test_a_question_is_not_an_event() -> None:
    assert gated(make_doc(_sentence("attacked", "attack", end="?"))) == []


def test_a_condition_is_not_an_event() -> None:
    rows: list[Row] = [
        ("If", 2, "mark", "SCONJ", "IN", "if", ""),
        ("troops", 2, "nsubj", "NOUN", "NNS", "troop", ""),
        ("attack", 6, "advcl", "VERB", "VBP", "attack", ""),
        ("Kano", 2, "dobj", "PROPN", "NNP", "Kano", "GPE"),
        (",", 6, "punct", "PUNCT", ",", ",", ""),
        ("rebels", 6, "nsubj", "NOUN", "NNS", "rebel", ""),
        ("flee", 6, "ROOT", "VERB", "VBP", "flee", ""),
        (".", 6, "punct", "PUNCT", ".", ".", ""),
    ]
    assert "attack" not in gated(make_doc(rows))


def _infinitive(head: str, head_lemma: str) -> Doc:
    return make_doc(
        [
            ("Rebels", 1, "nsubj", "NOUN", "NNS", "rebel", ""),
            (head, 1, "ROOT", "VERB", "VBD", head_lemma, ""),
            ("to", 3, "aux", "PART", "TO", "to", ""),
            ("block", 1, "xcomp", "VERB", "VB", "block", ""),
            ("Kano", 3, "dobj", "PROPN", "NNP", "Kano", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )


def test_a_wanted_act_is_not_an_event_but_an_attempt_is() -> None:
    doc = _infinitive("hoped", "hope")
    assert is_complement(doc[3])
    assert "block" not in gated(doc)
    attempt = _infinitive("tried", "try")
    assert not is_complement(attempt[3])


def _relative(tag: str, verb: str) -> Doc:
    return make_doc(
        [
            ("Smith", 4, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("who", 2, "nsubj", "PRON", "WP", "who", ""),
            (verb, 0, "relcl", "VERB", tag, "attack", ""),
            ("Kano", 2, "dobj", "PROPN", "NNP", "Kano", "GPE"),
            ("resigned", 4, "ROOT", "VERB", "VBD", "resign", ""),
            (".", 4, "punct", "PUNCT", ".", ".", ""),
        ]
    )


def test_a_present_relative_clause_describes_a_past_one_reports() -> None:
    present, past = _relative("VBZ", "attacks"), _relative("VBD", "attacked")
    assert is_describing(present[2]) and not is_describing(past[2])
    assert "attacks" not in gated(present)
    assert "attacked" in gated(past)


def test_reasons_name_the_rule() -> None:
    doc = make_doc(_sentence("attacked", "attack"))
    common = {"trigger": doc[1], "kind": "verbal", "sent": doc[:]}
    assert gate_reason(**common, origin="curated", specific=False, modality="asserted") is None
    assert (
        gate_reason(**common, origin="petrarch", specific=False, modality="asserted")
        == "bare dictionary verb"
    )
    assert gate_reason(**common, origin="petrarch", specific=True, modality="asserted") is None
    assert (
        gate_reason(**common, origin="curated", specific=False, modality="hypothetical")
        == "hypothetical"
    )


def test_a_negated_act_is_not_an_event() -> None:
    rows: list[Row] = [
        ("Troops", 3, "nsubj", "NOUN", "NNS", "troop", ""),
        ("did", 3, "aux", "AUX", "VBD", "do", ""),
        ("not", 3, "neg", "PART", "RB", "not", ""),
        ("attack", 3, "ROOT", "VERB", "VB", "attack", ""),
        ("Kano", 3, "dobj", "PROPN", "NNP", "Kano", "GPE"),
        (".", 3, "punct", "PUNCT", ".", ".", ""),
    ]
    assert gated(make_doc(rows)) == []
    doc = make_doc(_sentence("attacked", "attack"))
    common = {"trigger": doc[1], "kind": "verbal", "sent": doc[:], "origin": "curated"}
    assert gate_reason(**common, specific=True, modality="negated") == "negated"


def test_an_act_inside_a_speakers_quotation_is_not_coded_the_same_act_outside_is() -> None:
    doc = make_doc(_sentence("attacked", "attack"))
    doc._.ew_quotes = [Quote(speaker="e1", text=doc.text, start=0, end=len(doc.text))]
    assert gated(doc) == []
    unattributed = make_doc(_sentence("attacked", "attack"))
    unattributed._.ew_quotes = [Quote(speaker=None, text="x", start=0, end=len(doc.text))]
    assert gated(unattributed) == ["attacked"]
    common = {"trigger": doc[1], "kind": "verbal", "sent": doc[:], "origin": "curated"}
    assert gate_reason(**common, specific=True, modality="reported", quoted=True) == (
        "inside a quotation"
    )


def _noun_object(verb: str, verb_lemma: str) -> Doc:
    return make_doc(
        [
            ("Rebels", 1, "nsubj", "NOUN", "NNS", "rebel", ""),
            (verb, 1, "ROOT", "VERB", "VBD", verb_lemma, ""),
            ("an", 3, "det", "DET", "DT", "an", ""),
            ("attack", 1, "dobj", "NOUN", "NN", "attack", ""),
            ("on", 3, "prep", "ADP", "IN", "on", ""),
            ("Kano", 4, "pobj", "PROPN", "NNP", "Kano", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )


def test_a_prevented_or_discussed_attack_is_a_kind_of_act_not_an_occurrence() -> None:
    assert "attack" not in gated(_noun_object("prevented", "prevent"))
    assert "attack" not in gated(_noun_object("discussed", "discuss"))
    assert gated(_noun_object("launched", "launch")) == ["launched"]  # the attack, via its verb


def test_withholding_a_cooperative_act_is_a_refusal_that_passes_the_gate() -> None:
    """ "did not lift the ban" is a REJECT that happened (PLOVER: withholding is REJECT); only
    what stays a negated act ("did not attack") is gated out."""
    rows: list[Row] = [
        ("Iran", 3, "nsubj", "PROPN", "NNP", "Iran", "GPE"),
        ("did", 3, "aux", "AUX", "VBD", "do", ""),
        ("not", 3, "neg", "PART", "RB", "not", ""),
        ("lift", 3, "ROOT", "VERB", "VB", "lift", ""),
        ("the", 5, "det", "DET", "DT", "the", ""),
        ("ban", 3, "dobj", "NOUN", "NN", "ban", ""),
        ("on", 5, "prep", "ADP", "IN", "on", ""),
        ("Kano", 6, "pobj", "PROPN", "NNP", "Kano", "GPE"),
        (".", 3, "punct", "PUNCT", ".", ".", ""),
    ]
    stage = EventsStage(min_confidence=0.0)
    stage.filter = stage.types = None
    events = stage(make_doc(rows))._.ew_events
    assert [e.type for e in events] == ["REJECT"]
