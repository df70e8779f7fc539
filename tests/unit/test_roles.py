import pytest
import spacy
from spacy.tokens import Doc, Span

from eventwire.extract.entities import EntityResolver
from eventwire.extract.roles import RolesStage


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def stages(nlp):
    return EntityResolver(nlp, "eventwire_entities", []), RolesStage()


def run(nlp, stages, words, ents):
    doc = Doc(nlp.vocab, words=words)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    for stage in stages:
        doc = stage(doc)
    names = {e.name: e for e in doc._.ew_entities}
    return doc, names


def roles_of(doc, ent):
    return [(r.title, r.of) for r in doc._.ew_roles.get(ent.id, [])]


def rels(doc):
    return {(r.subject, r.predicate, r.object) for r in doc._.ew_relations}


def test_org_title_name_with_country_possessive_and_honorific(nlp, stages):
    words = ["Lebanon", "'s", "Hezbollah", "leader", "Sayyed", "Omar", "Badri", "spoke", "."]
    doc, n = run(nlp, stages, words, [(5, 7, "PERSON")])
    person, org = n["Omar Badri"], n["Hezbollah"]
    assert roles_of(doc, person) == [("leader", org.id)]
    assert doc._.ew_roles[person.id][0].evidence.text == "Hezbollah leader Sayyed Omar Badri"
    assert (person.id, "leader_of", org.id) in rels(doc)


def test_deputy_title_of_org_then_name(nlp, stages):
    words = ["He", "met", "deputy", "leader", "of", "Hamas", ",", "Sheikh", "Ali", "Kareem", "."]
    doc, n = run(nlp, stages, words, [(8, 10, "PERSON")])
    person, org = n["Ali Kareem"], n["Hamas"]
    assert roles_of(doc, person) == [("deputy leader", org.id)]
    assert (person.id, "deputy_of", org.id) in rels(doc)


def test_appositive_leader_of_and_partial_org_name(nlp, stages):
    words = [
        "Jihad",
        "Secretary",
        "General",
        "Zaid",
        "Nour",
        "and",
        "Zaid",
        "Nour",
        ",",
        "the",
        "leader",
        "of",
        "the",
        "Palestinian",
        "Islamic",
        "Jihad",
        ".",
    ]
    doc, n = run(nlp, stages, words, [(3, 5, "PERSON"), (6, 8, "PERSON"), (13, 16, "ORG")])
    person, org = n["Zaid Nour"], n["Palestinian Islamic Jihad"]
    assert roles_of(doc, person) == [("secretary general", org.id), ("leader", org.id)]


def test_country_title_and_bare_title(nlp, stages):
    words = [
        "Israeli",
        "Prime",
        "Minister",
        "Dan",
        "Levi",
        "met",
        "Prime",
        "Minister",
        "Rui",
        "Sousa",
        "in",
        "Israel",
        ".",
    ]
    doc, n = run(nlp, stages, words, [(3, 5, "PERSON"), (8, 10, "PERSON"), (11, 12, "GPE")])
    assert roles_of(doc, n["Dan Levi"]) == [("prime minister", n["Israel"].id)]
    assert roles_of(doc, n["Rui Sousa"]) == [("prime minister", None)]


def test_spokesperson_and_member(nlp, stages):
    words = [
        "Ana",
        "Ruiz",
        ",",
        "a",
        "spokesperson",
        "for",
        "NATO",
        ",",
        "said",
        "Ivo",
        "Tal",
        "is",
        "a",
        "senior",
        "Hamas",
        "operative",
        ".",
    ]
    doc, n = run(nlp, stages, words, [(0, 2, "PERSON"), (9, 11, "PERSON")])
    assert (n["Ana Ruiz"].id, "spokesperson_of", n["NATO"].id) in rels(doc)
    assert (n["Ivo Tal"].id, "member_of", n["Hamas"].id) in rels(doc)


def test_backed_based_allied_and_pro_is_not_backing(nlp, stages):
    words = [
        "The",
        "Iran",
        "-",
        "backed",
        "Houthis",
        "and",
        "pro",
        "-",
        "Iran",
        "Hamas",
        ";",
        "Hamas",
        "is",
        "based",
        "in",
        "Qatar",
        ";",
        "Hezbollah",
        ",",
        "an",
        "ally",
        "of",
        "Iran",
        ".",
    ]
    doc, n = run(nlp, stages, words, [])
    iran, hamas = n["Iran"].id, n["Hamas"].id
    assert (n["Houthis"].id, "backed_by", iran) in rels(doc)
    assert (hamas, "backed_by", iran) not in rels(doc)
    assert (hamas, "based_in", n["Qatar"].id) in rels(doc)
    assert (n["Hezbollah"].id, "allied_with", iran) in rels(doc)


def test_no_relation_without_a_stated_link(nlp, stages):
    words = ["Hamas", "and", "Hezbollah", "met", "in", "Lebanon", "."]
    doc, _ = run(nlp, stages, words, [])
    assert doc._.ew_relations == []
    assert doc._.ew_roles == {}


def test_demonym_title_is_of_the_country_not_its_capital(nlp, stages):
    words = ["Nairobi", "hosted", "talks", ".", "Kenyan", "Foreign", "Minister", "Grace",
             "Wanjiru", "met", "Kenya", "'s", "allies", "."]  # fmt: skip
    doc, n = run(nlp, stages, words, [(7, 9, "PERSON")])
    person = n["Grace Wanjiru"]
    assert roles_of(doc, person) == [("foreign minister", n["Kenya"].id)]
    assert (person.id, "member_of", n["Kenya"].id) in rels(doc)
    assert person.country == "KEN"


def test_demonym_title_without_the_country_is_of_the_demonym(nlp, stages):
    words = ["In", "Kampala", ",", "Ugandan", "Foreign", "Minister", "Daniel", "Okello", "spoke"]
    doc, n = run(nlp, stages, words, [(6, 8, "PERSON")])
    person = n["Daniel Okello"]
    assert roles_of(doc, person) == [("foreign minister", n["Ugandan"].id)]
    assert n["Ugandan"].type == "NORP" and person.country == "UGA"


def test_official_of_an_organisation_takes_its_country(nlp, stages):
    words = ["Hezbollah", "official", "Omar", "Badri", "said", "no", "."]
    doc, n = run(nlp, stages, words, [(2, 4, "PERSON")])
    assert n["Hezbollah"].country == "LBN"
    assert n["Omar Badri"].country == "LBN"
    words = ["Omar", "Badri", ",", "a", "spokesman", "for", "the", "United", "Nations", "."]
    doc, n = run(nlp, stages, words, [(0, 2, "PERSON")])
    assert roles_of(doc, n["Omar Badri"]) == [("spokesman", n["United Nations"].id)]
    assert n["Omar Badri"].country is None


def test_portfolio_title_after_a_country_or_demonym(nlp, stages):
    words = ["Canada", "and", "Canadian", "Trade", "Minister", "Laura", "Bennett", "met", "Peru",
             "'s", "Energy", "Secretary", "Rosa", "Quispe", "."]  # fmt: skip
    doc, n = run(nlp, stages, words, [(5, 7, "PERSON"), (12, 14, "PERSON")])
    assert roles_of(doc, n["Laura Bennett"]) == [("trade minister", n["Canada"].id)]
    assert roles_of(doc, n["Rosa Quispe"]) == [("energy secretary", n["Peru"].id)]
    assert (n["Laura Bennett"].country, n["Rosa Quispe"].country) == ("CAN", "PER")


def test_relations_are_tried_at_every_word_a_pattern_starts_with():
    from eventwire.extract.roles import (
        _COMPOUND_PREDICATES,
        _PHRASE_PREDICATES,
        _RELATION_WORDS,
    )

    assert set(_COMPOUND_PREDICATES) <= _RELATION_WORDS
    assert {first for first, _ in _PHRASE_PREDICATES} <= _RELATION_WORDS
