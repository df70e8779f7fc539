"""Event rules on hand-built parses (no trained model): one test per rule of the events stage."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import spacy
from spacy.tokens import Doc

from eventwire.extract.events import EventsStage
from eventwire.ingest import PreparedArticle
from eventwire.record import Entity, Event, Quote, TextSpan

NLP = spacy.blank("en")

# (word, head index, dep, pos, tag, lemma, entity label or "")
Row = tuple[str, int, str, str, str, str, str]


@dataclass(frozen=True)
class Time:
    """Duck-typed stand-in for eventwire.extract.time.TimeExpression."""

    start: int
    end: int
    text: str
    value: str
    granularity: str
    basis: str


def make_doc(rows: list[Row], *, published: str | None = None) -> Doc:
    """A parsed Doc with entities grouped by text into e1, e2, ... as the entities stage does."""
    words = [r[0] for r in rows]
    spaces = [i + 1 < len(rows) and rows[i + 1][2] != "punct" for i in range(len(rows))]
    iob = []
    for i, row in enumerate(rows):
        label = row[6]
        inside = i > 0 and label and rows[i - 1][6] == label and rows[i - 1][0] != ","
        iob.append(("I-" if inside else "B-") + label if label else "O")
    doc = Doc(
        NLP.vocab,
        words=words,
        spaces=spaces,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        lemmas=[r[5] for r in rows],
        ents=iob,
    )
    ids: dict[str, str] = {}
    entities: list[Entity] = []
    token_entity: list[str | None] = [None] * len(doc)
    for ent in doc.ents:
        if ent.label_ == "DATE":  # not an actor, as in the entities stage
            continue
        if ent.text not in ids:
            ids[ent.text] = f"e{len(ids) + 1}"
            entities.append(Entity(id=ids[ent.text], name=ent.text, type=ent.label_))
        for token in ent:
            token_entity[token.i] = ids[ent.text]
    doc._.ew_entities = entities
    doc._.ew_token_entity = token_entity
    doc._.ew_meta = PreparedArticle(origin="<test>", id="x", text=doc.text, published=published)
    doc._.ew_times = []
    doc._.ew_places = []
    doc._.ew_quotes = []
    return doc


def run(doc: Doc) -> list[Event]:
    """Every candidate the rules propose (the gate and the learned models have their own tests)."""
    stage = EventsStage(min_confidence=0.0)
    stage.filter = stage.types = None
    stage.gate = stage.merge = False
    return stage(doc)._.ew_events


def ids_of(doc: Doc, *names: str) -> list[str]:
    by_name = {e.name: e.id for e in doc._.ew_entities}
    return [by_name[n] for n in names]


def test_verbal_consult_with_two_targets_by_coordination() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("met", 1, "ROOT", "VERB", "VBD", "meet", ""),
            ("Jones", 1, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
            ("and", 2, "cc", "CCONJ", "CC", "and", ""),
            ("Brown", 2, "conj", "PROPN", "NNP", "Brown", "PERSON"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert (event.type, event.cameo, event.trigger.text) == ("CONSULT", "040", "met")
    assert event.actors.source == ids_of(doc, "Smith")
    assert event.actors.target == ids_of(doc, "Jones", "Brown")
    assert event.evidence.text == "Smith met Jones and Brown."
    assert event.id == "v1" and 0.0 < event.confidence <= 1.0


def test_hosting_makes_visitors_the_actors() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("hosted", 1, "ROOT", "VERB", "VBD", "host", ""),
            ("Jones", 1, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
            ("and", 2, "cc", "CCONJ", "CC", "and", ""),
            ("Brown", 2, "conj", "PROPN", "NNP", "Brown", "PERSON"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert (event.type, event.mode) == ("CONSULT", "visit")
    assert event.actors.source == ids_of(doc, "Jones", "Brown")
    assert event.actors.target == ids_of(doc, "Smith")


def test_passive_assault_takes_agent_as_source() -> None:
    doc = make_doc(
        [
            ("Jones", 2, "nsubjpass", "PROPN", "NNP", "Jones", "GPE"),
            ("was", 2, "auxpass", "AUX", "VBD", "be", ""),
            ("attacked", 2, "ROOT", "VERB", "VBN", "attack", ""),
            ("by", 2, "agent", "ADP", "IN", "by", ""),
            ("Smith", 3, "pobj", "PROPN", "NNP", "Smith", "ORG"),
            (".", 2, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.type == "ASSAULT"
    assert event.actors.source == ids_of(doc, "Smith")
    assert event.actors.target == ids_of(doc, "Jones")
    assert event.modality == "asserted" and event.attributed_to is None


REPORTED: list[Row] = [
    ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
    ("said", 1, "ROOT", "VERB", "VBD", "say", ""),
    ("that", 4, "mark", "SCONJ", "IN", "that", ""),
    ("Hamas", 4, "nsubj", "PROPN", "NNP", "Hamas", "ORG"),
    ("attacked", 1, "ccomp", "VERB", "VBD", "attack", ""),
    ("Israel", 4, "dobj", "PROPN", "NNP", "Israel", "GPE"),
    (".", 1, "punct", "PUNCT", ".", ".", ""),
]


def test_reported_speech_is_the_reported_actors_event_attributed_to_the_speaker() -> None:
    doc = make_doc(REPORTED)
    [event] = run(doc)
    assert event.type == "ASSAULT"
    assert event.actors.source == ids_of(doc, "Hamas")
    assert event.actors.target == ids_of(doc, "Israel")
    assert event.modality == "reported"
    assert event.attributed_to == ids_of(doc, "Smith")[0]


def test_quote_speaker_is_the_attribution() -> None:
    doc = make_doc(
        [
            ("Hamas", 1, "nsubj", "PROPN", "NNP", "Hamas", "ORG"),
            ("attacked", 1, "ROOT", "VERB", "VBD", "attack", ""),
            ("Israel", 1, "dobj", "PROPN", "NNP", "Israel", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    doc._.ew_quotes = [Quote(speaker="e9", text=doc.text, start=0, end=len(doc.text))]
    [event] = run(doc)
    assert (event.modality, event.attributed_to) == ("reported", "e9")


def test_threatened_to_attack_is_threaten_not_assault() -> None:
    doc = make_doc(
        [
            ("Iran", 1, "nsubj", "PROPN", "NNP", "Iran", "GPE"),
            ("threatened", 1, "ROOT", "VERB", "VBD", "threaten", ""),
            ("to", 3, "aux", "PART", "TO", "to", ""),
            ("attack", 1, "xcomp", "VERB", "VB", "attack", ""),
            ("Israel", 3, "dobj", "PROPN", "NNP", "Israel", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    events = run(doc)
    assert [e.type for e in events] == ["THREATEN"]
    assert events[0].actors.source == ids_of(doc, "Iran")
    assert events[0].actors.target == ids_of(doc, "Israel")


def _modal_doc(aux: str, aux_dep: str, neg: bool) -> Doc:
    rows: list[Row] = [
        ("Iran", 2 + neg, "nsubj", "PROPN", "NNP", "Iran", "GPE"),
        (aux, 2 + neg, aux_dep, "AUX", "MD", aux.lower(), ""),
    ]
    if neg:
        rows.append(("not", 3, "neg", "PART", "RB", "not", ""))
    rows += [
        ("attack", 2 + neg, "ROOT", "VERB", "VB", "attack", ""),
        ("Israel", 2 + neg, "dobj", "PROPN", "NNP", "Israel", "GPE"),
        (".", 2 + neg, "punct", "PUNCT", ".", ".", ""),
    ]
    return make_doc(rows)


@pytest.mark.parametrize(
    ("aux", "neg", "kind", "modality"),
    [
        ("might", False, "ASSAULT", "hypothetical"),
        ("could", False, "ASSAULT", "hypothetical"),
        ("will", False, "THREATEN", "future"),  # a stated intent to use force is a threat
        ("did", True, "ASSAULT", "negated"),
    ],
)
def test_modality_from_auxiliaries_and_negation(
    aux: str, neg: bool, kind: str, modality: str
) -> None:
    [event] = run(_modal_doc(aux, "aux", neg))
    assert event.type == kind
    assert event.modality == modality


def test_future_meeting_is_agree_but_agreed_continuation_stays_future() -> None:
    doc = make_doc(
        [
            ("Smith", 2, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("will", 2, "aux", "AUX", "MD", "will", ""),
            ("meet", 2, "ROOT", "VERB", "VB", "meet", ""),
            ("Jones", 2, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
            (".", 2, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert (event.type, event.cameo, event.modality) == ("AGREE", "036", "future")
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("agreed", 1, "ROOT", "VERB", "VBD", "agree", ""),
            ("to", 3, "aux", "PART", "TO", "to", ""),
            ("continue", 1, "xcomp", "VERB", "VB", "continue", ""),
            ("coordination", 3, "dobj", "NOUN", "NN", "coordination", ""),
            ("with", 4, "prep", "ADP", "IN", "with", ""),
            ("Jones", 5, "pobj", "PROPN", "NNP", "Jones", "PERSON"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    by_type = {e.type: e for e in run(doc)}
    assert by_type["AGREE"].modality == "asserted"
    assert by_type["AGREE"].actors.target == ids_of(doc, "Jones")
    assert (by_type["COOPERATE"].modality, by_type["COOPERATE"].actors.source) == (
        "future",
        ids_of(doc, "Smith"),
    )


def test_nominal_meeting_between_three_is_consult_with_all_participants() -> None:
    doc = make_doc(
        [
            ("The", 1, "det", "DET", "DT", "the", ""),
            ("meeting", 9, "nsubj", "NOUN", "NN", "meeting", ""),
            ("between", 1, "prep", "ADP", "IN", "between", ""),
            ("Smith", 2, "pobj", "PROPN", "NNP", "Smith", "PERSON"),
            (",", 3, "punct", "PUNCT", ",", ",", ""),
            ("Jones", 3, "conj", "PROPN", "NNP", "Jones", "PERSON"),
            ("and", 5, "cc", "CCONJ", "CC", "and", ""),
            ("Brown", 5, "conj", "PROPN", "NNP", "Brown", "PERSON"),
            ("quietly", 9, "advmod", "ADV", "RB", "quietly", ""),
            ("ended", 9, "ROOT", "VERB", "VBD", "end", ""),
            (".", 9, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    events = [e for e in run(doc) if e.type == "CONSULT"]
    assert len(events) == 1
    assert events[0].trigger.text == "meeting"
    assert sorted(events[0].actors.source) == sorted(ids_of(doc, "Smith", "Jones", "Brown"))


ATTACK: list[Row] = [
    ("The", 3, "det", "DET", "DT", "the", ""),
    ("October", 3, "compound", "PROPN", "NNP", "October", "DATE"),
    ("7", 1, "nummod", "NUM", "CD", "7", "DATE"),
    ("attack", 6, "nsubj", "NOUN", "NN", "attack", ""),
    ("by", 3, "prep", "ADP", "IN", "by", ""),
    ("Hamas", 4, "pobj", "PROPN", "NNP", "Hamas", "ORG"),
    ("shocked", 6, "ROOT", "VERB", "VBD", "shock", ""),
    ("Israel", 6, "dobj", "PROPN", "NNP", "Israel", "GPE"),
    (".", 6, "punct", "PUNCT", ".", ".", ""),
]


def test_nominal_attack_dated_by_its_own_time_expression() -> None:
    doc = make_doc(ATTACK, published="2023-10-25")
    doc._.ew_times = [Time(4, 13, "October 7", "2023-10-07", "day", "relative")]
    [event] = run(doc)
    assert (event.type, event.trigger.text) == ("ASSAULT", "attack")
    assert event.actors.source == ids_of(doc, "Hamas")
    assert event.date is not None
    assert (event.date.value, event.date.granularity, event.date.basis) == (
        "2023-10-07",
        "day",
        "relative",
    )


def test_past_event_without_time_gets_no_date_but_present_gets_publication() -> None:
    past = make_doc(
        [
            ("Hamas", 1, "nsubj", "PROPN", "NNP", "Hamas", "ORG"),
            ("attacked", 1, "ROOT", "VERB", "VBD", "attack", ""),
            ("Israel", 1, "dobj", "PROPN", "NNP", "Israel", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ],
        published="2023-10-25",
    )
    assert run(past)[0].date is None
    present = make_doc(
        [
            ("Hamas", 1, "nsubj", "PROPN", "NNP", "Hamas", "ORG"),
            ("attacks", 1, "ROOT", "VERB", "VBZ", "attack", ""),
            ("Israel", 1, "dobj", "PROPN", "NNP", "Israel", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ],
        published="2023-10-25",
    )
    date = run(present)[0].date
    assert date is not None and (date.value, date.basis) == ("2023-10-25", "publication")


def test_killed_fighters_give_a_quantity_with_their_owner() -> None:
    doc = make_doc(
        [
            ("Two", 1, "nummod", "NUM", "CD", "two", ""),
            ("fighters", 5, "nsubjpass", "NOUN", "NNS", "fighter", ""),
            ("of", 1, "prep", "ADP", "IN", "of", ""),
            ("Hamas", 2, "pobj", "PROPN", "NNP", "Hamas", "ORG"),
            ("were", 5, "auxpass", "AUX", "VBD", "be", ""),
            ("killed", 5, "ROOT", "VERB", "VBN", "kill", ""),
            (".", 5, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.type == "ASSAULT"
    assert event.actors.target == ids_of(doc, "Hamas")
    assert [(q.kind, q.value, q.of) for q in event.quantities] == [
        ("killed", 2, ids_of(doc, "Hamas")[0])
    ]


def test_event_without_any_actor_is_dropped() -> None:
    doc = make_doc(
        [
            ("The", 1, "det", "DET", "DT", "the", ""),
            ("attack", 2, "nsubj", "NOUN", "NN", "attack", ""),
            ("ended", 2, "ROOT", "VERB", "VBD", "end", ""),
            (".", 2, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    assert run(doc) == []


def test_pronoun_subject_resolves_to_earlier_subject_entity() -> None:
    doc = make_doc(
        [
            ("Hezbollah", 1, "nsubj", "PROPN", "NNP", "Hezbollah", "ORG"),
            ("said", 1, "ROOT", "VERB", "VBD", "say", ""),
            ("it", 3, "nsubj", "PRON", "PRP", "it", ""),
            ("attacked", 1, "ccomp", "VERB", "VBD", "attack", ""),
            ("Israel", 3, "dobj", "PROPN", "NNP", "Israel", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.actors.source == ids_of(doc, "Hezbollah")
    assert event.attributed_to == ids_of(doc, "Hezbollah")[0]


def test_stage_tolerates_missing_upstream_attributes() -> None:
    doc = make_doc(REPORTED)
    doc._.ew_times = None
    doc._.ew_places = None
    doc._.ew_quotes = None
    doc._.ew_meta = None
    assert [e.type for e in run(doc)] == ["ASSAULT"]


def test_unparsed_doc_gives_no_events() -> None:
    doc = NLP("Hamas attacked Israel.")
    assert run(doc) == []


def test_events_are_records_that_round_trip() -> None:
    [event] = run(make_doc(REPORTED))
    assert Event.from_dict(event.to_dict()) == event
    assert isinstance(event.evidence, TextSpan)


def test_light_verb_and_its_nominal_trigger_make_one_event() -> None:
    doc = make_doc(
        [
            ("Hamas", 1, "nsubj", "PROPN", "NNP", "Hamas", "ORG"),
            ("launched", 1, "ROOT", "VERB", "VBD", "launch", ""),
            ("an", 3, "det", "DET", "DT", "a", ""),
            ("attack", 1, "dobj", "NOUN", "NN", "attack", ""),
            ("on", 3, "prep", "ADP", "IN", "on", ""),
            ("Israel", 4, "pobj", "PROPN", "NNP", "Israel", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.type == "ASSAULT"
    assert (event.actors.source, event.actors.target) == (
        ids_of(doc, "Hamas"),
        ids_of(doc, "Israel"),
    )


def test_verbal_and_nominal_mentions_of_one_meeting_merge() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("hosted", 1, "ROOT", "VERB", "VBD", "host", ""),
            ("Jones", 1, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
            ("in", 1, "prep", "ADP", "IN", "in", ""),
            ("a", 5, "det", "DET", "DT", "a", ""),
            ("meeting", 3, "pobj", "NOUN", "NN", "meeting", ""),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert (event.type, event.trigger.text) == ("CONSULT", "hosted")
    assert event.actors.source == ids_of(doc, "Jones")
    assert event.actors.target == ids_of(doc, "Smith")


def test_warning_of_war_is_a_threat_and_the_war_is_not_an_event() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("warned", 1, "ROOT", "VERB", "VBD", "warn", ""),
            ("of", 1, "prep", "ADP", "IN", "of", ""),
            ("war", 2, "pobj", "NOUN", "NN", "war", ""),
            ("against", 3, "prep", "ADP", "IN", "against", ""),
            ("Israel", 4, "pobj", "PROPN", "NNP", "Israel", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    events = run(doc)
    assert [(e.type, e.trigger.text) for e in events] == [("THREATEN", "warned of")]
    assert events[0].actors.target == ids_of(doc, "Israel")


def test_saying_another_actor_must_act_is_a_request_to_that_actor() -> None:
    doc = make_doc(
        [
            ("Russia", 1, "nsubj", "PROPN", "NNP", "Russia", "GPE"),
            ("says", 1, "ROOT", "VERB", "VBZ", "say", ""),
            ("Israel", 4, "nsubj", "PROPN", "NNP", "Israel", "GPE"),
            ("must", 4, "aux", "AUX", "MD", "must", ""),
            ("withdraw", 1, "ccomp", "VERB", "VB", "withdraw", ""),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    by_type = {e.type: e for e in run(doc)}
    request = by_type["REQUEST"]
    assert (request.trigger.text, request.actors.source, request.actors.target) == (
        "says",
        ids_of(doc, "Russia"),
        ids_of(doc, "Israel"),
    )
    assert by_type["RETREAT"].modality == "hypothetical"
    assert by_type["RETREAT"].attributed_to == ids_of(doc, "Russia")[0]


def test_refusing_negates_the_refused_act_and_is_a_rejection_of_its_target() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("refused", 1, "ROOT", "VERB", "VBD", "refuse", ""),
            ("to", 3, "aux", "PART", "TO", "to", ""),
            ("meet", 1, "xcomp", "VERB", "VB", "meet", ""),
            ("Jones", 3, "dobj", "PROPN", "NNP", "Jones", "PERSON"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    by_type = {e.type: e for e in run(doc)}
    assert by_type["REJECT"].actors.target == ids_of(doc, "Jones")
    assert by_type["CONSULT"].modality == "negated"


def test_summoning_an_envoy_to_complain_is_coded_as_the_complaint() -> None:
    doc = make_doc(
        [
            ("France", 1, "nsubj", "PROPN", "NNP", "France", "GPE"),
            ("summoned", 1, "ROOT", "VERB", "VBD", "summon", ""),
            ("Smith", 1, "dobj", "PROPN", "NNP", "Smith", "PERSON"),
            ("to", 4, "aux", "PART", "TO", "to", ""),
            ("complain", 1, "advcl", "VERB", "VB", "complain", ""),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert (event.type, event.trigger.text) == ("ACCUSE", "summoned")
    assert (event.actors.source, event.actors.target) == (
        ids_of(doc, "France"),
        ids_of(doc, "Smith"),
    )


def test_coordinated_organisations_modifying_leaders_are_two_actors() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "PERSON"),
            ("hosted", 1, "ROOT", "VERB", "VBD", "host", ""),
            ("Hamas", 5, "compound", "PROPN", "NNP", "Hamas", "ORG"),
            ("and", 2, "cc", "CCONJ", "CC", "and", ""),
            ("Fatah", 2, "conj", "PROPN", "NNP", "Fatah", "ORG"),
            ("leaders", 1, "dobj", "NOUN", "NNS", "leader", ""),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.actors.source == ids_of(doc, "Hamas", "Fatah")  # the visitors
    assert event.actors.target == ids_of(doc, "Smith")
