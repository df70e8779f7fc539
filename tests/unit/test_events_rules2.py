"""Second-round event rules on hand-built parses: place targets, datelines, attribution
phrases, speech acts over nominal events, a host without visitors."""

from __future__ import annotations

from tests.unit.test_events import ids_of, make_doc, run


def test_shelling_a_place_makes_the_place_the_target() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "ORG"),
            ("shelled", 1, "ROOT", "VERB", "VBD", "shell", ""),
            ("positions", 1, "dobj", "NOUN", "NNS", "position", ""),
            ("in", 1, "prep", "ADP", "IN", "in", ""),
            ("Idlib", 3, "pobj", "PROPN", "NNP", "Idlib", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.type == "ASSAULT"
    assert event.actors.source == ids_of(doc, "Smith")
    assert event.actors.target == ids_of(doc, "Idlib")


def test_a_place_is_not_the_target_of_a_verbal_act() -> None:
    doc = make_doc(
        [
            ("Smith", 1, "nsubj", "PROPN", "NNP", "Smith", "ORG"),
            ("criticized", 1, "ROOT", "VERB", "VBD", "criticize", ""),
            ("the", 3, "det", "DET", "DT", "the", ""),
            ("plan", 1, "dobj", "NOUN", "NN", "plan", ""),
            ("in", 1, "prep", "ADP", "IN", "in", ""),
            ("Idlib", 4, "pobj", "PROPN", "NNP", "Idlib", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    [event] = run(doc)
    assert event.type == "ACCUSE" and event.actors.target == []


def test_a_dateline_city_is_never_an_actor() -> None:
    doc = make_doc(
        [
            ("BAMAKO", 4, "nsubj", "PROPN", "NNP", "Bamako", "GPE"),
            ("-", 0, "punct", "PUNCT", ":", "-", ""),
            ("Gunmen", 4, "nsubj", "NOUN", "NNS", "gunman", "ORG"),
            ("also", 4, "advmod", "ADV", "RB", "also", ""),
            ("attacked", 4, "ROOT", "VERB", "VBD", "attack", ""),
            ("Mopti", 4, "dobj", "PROPN", "NNP", "Mopti", "GPE"),
            (".", 4, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    doc = _spaced(doc, 1)
    [event] = run(doc)
    assert event.actors.source == ids_of(doc, "Gunmen")
    assert ids_of(doc, "BAMAKO")[0] not in event.actors.source + event.actors.target


def _spaced(doc, dash_index: int):
    """make_doc glues punctuation to the word before; a dateline dash has a space on each side."""
    from spacy.tokens import Doc

    spaces = [bool(t.whitespace_) for t in doc]
    spaces[dash_index - 1] = True
    rebuilt = Doc(
        doc.vocab,
        words=[t.text for t in doc],
        spaces=spaces,
        heads=[t.head.i for t in doc],
        deps=[t.dep_ for t in doc],
        pos=[t.pos_ for t in doc],
        tags=[t.tag_ for t in doc],
        lemmas=[t.lemma_ for t in doc],
        ents=[f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in doc],
    )
    for name in ("ew_entities", "ew_token_entity", "ew_meta", "ew_times", "ew_places", "ew_quotes"):
        setattr(rebuilt._, name, getattr(doc._, name))
    return rebuilt


def test_according_to_is_attribution_not_cooperation() -> None:
    doc = make_doc(
        [
            ("According", 4, "prep", "VERB", "VBG", "accord", ""),
            ("to", 0, "prep", "ADP", "IN", "to", ""),
            ("Jones", 1, "pobj", "PROPN", "NNP", "Jones", "ORG"),
            (",", 4, "punct", "PUNCT", ",", ",", ""),
            ("Smith", 5, "nsubj", "PROPN", "NNP", "Smith", "ORG"),
            ("attacked", 5, "ROOT", "VERB", "VBD", "attack", ""),
            ("Brown", 5, "dobj", "PROPN", "NNP", "Brown", "GPE"),
            (".", 5, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    doc[4].head = doc[5]
    doc[0].head = doc[5]
    doc[3].head = doc[5]
    events = run(doc)
    assert [e.type for e in events] == ["ASSAULT"]
    assert events[0].trigger.text == "attacked"


def test_calling_an_attack_an_outrage_does_not_make_the_speaker_the_attacker() -> None:
    doc = make_doc(
        [
            ("Solberg", 1, "nsubj", "PROPN", "NNP", "Solberg", "PERSON"),
            ("called", 1, "ROOT", "VERB", "VBD", "call", ""),
            ("the", 3, "det", "DET", "DT", "the", ""),
            ("attack", 1, "dobj", "NOUN", "NN", "attack", ""),
            ("an", 5, "det", "DET", "DT", "an", ""),
            ("outrage", 1, "oprd", "NOUN", "NN", "outrage", ""),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    solberg = ids_of(doc, "Solberg")[0]
    assert not any(e.type == "ASSAULT" and solberg in e.actors.source for e in run(doc))


def test_a_host_without_visitors_is_the_source_of_the_meeting() -> None:
    doc = make_doc(
        [
            ("The", 1, "det", "DET", "DT", "the", ""),
            ("talks", 6, "nsubj", "NOUN", "NNS", "talk", ""),
            ("hosted", 1, "acl", "VERB", "VBN", "host", ""),
            ("by", 2, "agent", "ADP", "IN", "by", ""),
            ("Kenya", 3, "pobj", "PROPN", "NNP", "Kenya", "GPE"),
            ("quickly", 6, "advmod", "ADV", "RB", "quickly", ""),
            ("ended", 6, "ROOT", "VERB", "VBD", "end", ""),
            (".", 6, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    hosted = next(e for e in run(doc) if e.trigger.text == "hosted")
    assert hosted.type == "CONSULT"
    assert hosted.actors.source == ids_of(doc, "Kenya") and hosted.actors.target == []


def test_a_coordinated_object_counts_for_the_verbs_dictionary_rule() -> None:
    """ "sent two teams and supplies": the rule for sending supplies (AID) fits through the
    coordinated object, not only the first one."""
    doc = make_doc(
        [
            ("Medics", 1, "nsubj", "NOUN", "NNS", "medic", ""),
            ("sent", 1, "ROOT", "VERB", "VBD", "send", ""),
            ("teams", 1, "dobj", "NOUN", "NNS", "team", ""),
            ("and", 2, "cc", "CCONJ", "CC", "and", ""),
            ("supplies", 2, "conj", "NOUN", "NNS", "supply", ""),
            ("to", 1, "prep", "ADP", "IN", "to", ""),
            ("Gao", 5, "pobj", "PROPN", "NNP", "Gao", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    assert [e.type for e in run(doc)] == ["AID"]
