"""Event dates on hand-built parses: the dateline's date is never an event's, and participial
or conjoined clauses share the date of the clause they continue."""

from __future__ import annotations

from spacy.tokens import Doc
from tests.unit.test_events import Row, Time, ids_of, make_doc, run
from tests.unit.test_events_rules2 import _spaced

MALI: list[Row] = [
    ("BAMAKO", 8, "npadvmod", "PROPN", "NNP", "Bamako", "GPE"),
    (",", 0, "punct", "PUNCT", ",", ",", ""),
    ("Aug", 0, "appos", "PROPN", "NNP", "Aug", "DATE"),
    ("18", 2, "nummod", "NUM", "CD", "18", "DATE"),
    (",", 2, "punct", "PUNCT", ",", ",", "DATE"),
    ("2024", 2, "nummod", "NUM", "CD", "2024", "DATE"),
    ("-", 8, "punct", "PUNCT", ":", "-", ""),
    ("Gunmen", 8, "nsubj", "NOUN", "NNS", "gunman", "ORG"),
    ("attacked", 8, "ROOT", "VERB", "VBD", "attack", ""),
    ("Mopti", 8, "dobj", "PROPN", "NNP", "Mopti", "GPE"),
    ("on", 8, "prep", "ADP", "IN", "on", ""),
    ("Saturday", 10, "pobj", "PROPN", "NNP", "Saturday", "DATE"),
    (",", 8, "punct", "PUNCT", ",", ",", ""),
    ("killing", 8, "advcl", "VERB", "VBG", "kill", ""),
    ("23", 15, "nummod", "NUM", "CD", "23", ""),
    ("civilians", 13, "dobj", "NOUN", "NNS", "civilian", "NORP"),
    ("and", 13, "cc", "CCONJ", "CC", "and", ""),
    ("wounding", 13, "conj", "VERB", "VBG", "wound", ""),
    ("41", 17, "dobj", "NUM", "CD", "41", ""),
    (".", 8, "punct", "PUNCT", ".", ".", ""),
]


def _times(doc: Doc, *items: tuple[str, str, str, str]) -> list[Time]:
    found = []
    for text, value, granularity, basis in items:
        start = doc.text.index(text)
        found.append(Time(start, start + len(text), text, value, granularity, basis))
    return found


def _mali(with_saturday: bool = True) -> Doc:
    doc = _spaced(make_doc(MALI, published="2024-08-18"), 6)
    times = [("Aug 18, 2024", "2024-08-18", "day", "explicit")]
    if with_saturday:
        times.append(("Saturday", "2024-08-17", "day", "relative"))
    doc._.ew_times = _times(doc, *times)
    return doc


def test_participles_and_their_conjuncts_share_the_date_of_the_main_clause() -> None:
    doc = _mali()
    assert doc.text.startswith("BAMAKO, Aug 18, 2024 - Gunmen")
    events = {e.trigger.text: e for e in run(doc)}
    assert set(events) == {"attacked", "killing", "wounding"}
    for event in events.values():
        assert event.date is not None
        assert (event.date.value, event.date.text, event.date.basis) == (
            "2024-08-17",
            "Saturday",
            "relative",
        )
    assert events["attacked"].actors.source == ids_of(doc, "Gunmen")


def test_the_dateline_date_is_never_an_event_date() -> None:
    doc = _mali(with_saturday=False)
    for event in run(doc):
        assert event.date is None or event.date.text != "Aug 18, 2024", event.trigger.text


MET_AND_AGREED: list[Row] = [
    ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
    ("met", 1, "ROOT", "VERB", "VBD", "meet", ""),
    ("Jones", 1, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
    ("on", 1, "prep", "ADP", "IN", "on", ""),
    ("Tuesday", 3, "pobj", "PROPN", "NNP", "Tuesday", "DATE"),
    ("and", 1, "cc", "CCONJ", "CC", "and", ""),
    ("agreed", 1, "conj", "VERB", "VBD", "agree", ""),
    ("to", 8, "aux", "PART", "TO", "to", ""),
    ("cooperate", 6, "xcomp", "VERB", "VB", "cooperate", ""),
    (".", 1, "punct", "PUNCT", ".", ".", ""),
]


def test_a_conjoined_verb_without_its_own_subject_shares_the_date() -> None:
    doc = make_doc(MET_AND_AGREED, published="2024-08-22")
    doc._.ew_times = _times(doc, ("Tuesday", "2024-08-20", "day", "relative"))
    events = {e.type: e for e in run(doc)}
    assert events["AGREE"].date is not None
    assert events["AGREE"].date.value == "2024-08-20"
    assert events["CONSULT"].date is not None and events["CONSULT"].date.value == "2024-08-20"


def test_a_conjoined_clause_with_its_own_subject_keeps_its_own_time_frame() -> None:
    rows = list(MET_AND_AGREED)
    rows.insert(6, ("Brown", 7, "nsubj", "PROPN", "NNP", "Brown", "PERSON"))
    rows = [(w, h + 1 if h >= 6 and i != 6 else h, *rest) for i, (w, h, *rest) in enumerate(rows)]
    doc = make_doc(rows, published="2024-08-22")
    assert doc[7].text == "agreed" and doc[6].head.i == 7 and doc[7].head.i == 1
    doc._.ew_times = _times(doc, ("Tuesday", "2024-08-20", "day", "relative"))
    agree = next(e for e in run(doc) if e.type == "AGREE")
    assert agree.date is None


def test_deadlines_and_period_edges_are_not_event_dates() -> None:
    import spacy

    from eventwire.extract.events.context import is_bound

    nlp = spacy.blank("en")

    def bound(text: str, time: str) -> bool:
        doc = nlp(text)
        start = text.index(time)
        span = doc.char_span(start, start + len(time))
        assert span is not None
        return is_bound(span)

    assert bound("Pay the fine no later than May 10.", "May 10")
    assert bound("Troops have shelled it since 2019.", "2019")
    assert bound("Leave by Friday or face arrest.", "Friday")
    assert bound("The talks lasted until June.", "June")
    assert not bound("Police arrested him on Tuesday.", "Tuesday")
    assert not bound("On December 28 police arrested him.", "December 28")
