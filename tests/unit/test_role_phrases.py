"""Roles of named persons from the phrases around their names (role_phrases), on hand-built
Docs: no trained model."""

from __future__ import annotations

import pytest
import spacy
from tests.unit.test_roles import run as run_words

from eventwire.extract.entities import EntityResolver
from eventwire.extract.role_phrases import is_role_noun
from eventwire.extract.roles import RolesStage


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def stages(nlp):
    return EntityResolver(nlp, "eventwire_entities", []), RolesStage()


def run(nlp, stages, text, ents):
    """``ents``: (first word, last word exclusive, label) over ``text.split()``."""
    return run_words(nlp, stages, text.split(), ents)


def roles_of(doc, ent):
    return [(r.title, r.of) for r in doc._.ew_roles.get(ent.id, [])]


def test_apposition_with_an_organisation_after_the_title(nlp, stages):
    doc, n = run(
        nlp,
        stages,
        "Dana Okoro , equity strategist at Brightwater Capital , says the deal is risky .",
        [(0, 2, "PERSON"), (6, 8, "ORG")],
    )
    assert roles_of(doc, n["Dana Okoro"]) == [("equity strategist", n["Brightwater Capital"].id)]
    role = doc._.ew_roles[n["Dana Okoro"].id][0]
    assert role.evidence.text == "Dana Okoro , equity strategist at Brightwater Capital"


def test_organisation_and_title_before_the_name(nlp, stages):
    doc, n = run(
        nlp, stages, "Zentel CEO Maria Lund is stepping down .", [(0, 1, "ORG"), (2, 4, "PERSON")]
    )
    assert roles_of(doc, n["Maria Lund"]) == [("ceo", n["Zentel"].id)]


def test_possessor_title_comma_name(nlp, stages):
    doc, n = run(
        nlp,
        stages,
        "Tom Berne 's attorney , Ana Vidal , said he was innocent .",
        [(0, 2, "PERSON"), (5, 7, "PERSON")],
    )
    assert roles_of(doc, n["Ana Vidal"]) == [("attorney", n["Tom Berne"].id)]
    assert roles_of(doc, n["Tom Berne"]) == []


def test_who_heads_after_a_party_and_state(nlp, stages):
    doc, n = run(
        nlp,
        stages,
        "Rep. Carl Moss , D - Ohio , who chairs the Water Committee , objected .",
        [(1, 3, "PERSON"), (6, 7, "GPE"), (11, 13, "ORG")],
    )
    roles = roles_of(doc, n["Carl Moss"])
    assert ("chair", n["Water Committee"].id) in roles
    assert ("representative", n["Ohio"].id) in roles  # the state after the party


def test_plural_apposition_is_every_conjoined_person(nlp, stages):
    doc, n = run(
        nlp,
        stages,
        "Ivo Marsh and Lea Brandt , both professors at Lakeside University , were freed .",
        [(0, 2, "PERSON"), (3, 5, "PERSON"), (9, 11, "ORG")],
    )
    org = n["Lakeside University"].id
    assert roles_of(doc, n["Lea Brandt"]) == [("professors", org)]
    assert roles_of(doc, n["Ivo Marsh"]) == [("professors", org)]


def test_title_stays_as_written(nlp, stages):
    doc, n = run(
        nlp,
        stages,
        "Press Secretary Rui Lobo and Sara Pinto , a spokeswoman for Portway , spoke .",
        [(2, 4, "PERSON"), (5, 7, "PERSON"), (11, 12, "ORG")],
    )
    assert roles_of(doc, n["Rui Lobo"]) == [("press secretary", None)]
    assert roles_of(doc, n["Sara Pinto"]) == [("spokeswoman", n["Portway"].id)]


def test_a_new_sentence_is_no_title_and_a_verb_is_no_title_word(nlp, stages):
    doc, n = run(
        nlp,
        stages,
        "The board met two aldermen . Mitch Lane left .",
        [(6, 8, "PERSON")],
    )
    assert roles_of(doc, n["Mitch Lane"]) == []


def test_role_nouns():
    for word in ("strategist", "CEO", "professors", "spokeswoman", "aldermen", "judge"):
        assert is_role_noun(word), word
    for word in ("water", "statement", "government", "percent", "said"):
        assert not is_role_noun(word), word


def test_a_senior_fellow_at_an_organisations_part(nlp, stages):
    doc, n = run(
        nlp,
        stages,
        "Ann Vo , a senior fellow at Lakeside University 's Wren School , said no .",
        [(0, 2, "PERSON"), (7, 9, "ORG"), (10, 12, "ORG")],
    )
    assert roles_of(doc, n["Ann Vo"]) == [("senior fellow", n["Wren School"].id)]
