"""Entity typing and names within an article, on hand-built Docs (no trained model): places the
model called people, titles/honorifics/units/weapons that are no entities, KB links that need a
name, and one entity per person across name forms and model types."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import spacy
from spacy.tokens import Doc, Span

from eventwire.extract.entities import EntityResolver, KBMatcher
from eventwire.extract.kb import load_kb


@dataclass(frozen=True)
class _Place:
    kind: str = "city"


class FakeGazetteer:
    """A gazetteer that knows a few towns (the real one takes seconds to load)."""

    def __init__(self, *names: str) -> None:
        self.names = {n.lower() for n in names}
        self.asked: list[str] = []

    def lookup(self, name: str) -> list[_Place]:
        self.asked.append(name)
        return [_Place()] if name.lower() in self.names else []


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def resolve(nlp, text, ents, towns=()):
    gazetteer = FakeGazetteer(*towns)
    resolver = EntityResolver(nlp, "eventwire_entities", [], gazetteer=lambda: gazetteer)
    doc = Doc(nlp.vocab, words=text.split())
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    doc = resolver(doc)
    return doc, {e.name: e for e in doc._.ew_entities}


def test_a_town_typed_person_becomes_a_place(nlp):
    _, n = resolve(
        nlp,
        "The former Epsom police chief Henry Farrin was arrested .",
        [(2, 3, "PERSON"), (5, 7, "PERSON")],
        towns=["Epsom"],
    )
    assert n["Epsom"].type == "GPE"
    assert n["Henry Farrin"].type == "PERSON"


def test_a_two_word_village_typed_person_becomes_a_place(nlp):
    _, n = resolve(
        nlp, "Traffic backed up towards Marks Tey today .", [(4, 6, "PERSON")], towns=["Marks Tey"]
    )
    assert n["Marks Tey"].type == "GPE"


def test_a_persons_surname_that_is_also_a_town_stays_a_person(nlp):
    _, n = resolve(
        nlp,
        "Jack Mansfield spoke . Later Mansfield said he lives in Mansfield .",
        [(0, 2, "PERSON"), (5, 6, "PERSON"), (10, 11, "PERSON")],
        towns=["Mansfield"],
    )
    assert n["Jack Mansfield"].type == "PERSON"
    assert all(e.type == "PERSON" for e in n.values())


def test_an_organisation_after_at_is_not_retyped(nlp):
    _, n = resolve(
        nlp, "She works at Gloop and lives in Borley .", [(3, 4, "ORG"), (7, 8, "ORG")],
        towns=["Gloop", "Borley"],
    )  # fmt: skip
    assert n["Gloop"].type == "ORG"
    assert n["Borley"].type == "GPE"


def test_no_lookup_without_a_candidate(nlp):
    gazetteer = FakeGazetteer("Paris")
    resolver = EntityResolver(nlp, "eventwire_entities", [], gazetteer=lambda: gazetteer)
    doc = Doc(nlp.vocab, words=["Paris", "is", "calm", "."])
    doc.ents = [Span(doc, 0, 1, label="GPE")]
    resolver(doc)
    assert gazetteer.asked == []


def test_titles_honorifics_units_and_weapons_are_no_entities(nlp):
    _, n = resolve(
        nlp,
        "Datuk Seri met the CEO ; a 12 mm round and an AK-47 were found .",
        [(0, 2, "PERSON"), (4, 5, "ORG"), (8, 9, "ORG"), (12, 13, "PRODUCT")],
    )
    assert n == {}


def test_a_title_before_a_name_is_not_part_of_the_person(nlp):
    doc, n = resolve(
        nlp,
        "Oakton Mayor Curtis Hale spoke . Hale left .",
        [(0, 4, "PERSON"), (6, 7, "PERSON")],
    )
    person = n["Curtis Hale"]
    assert person.type == "PERSON"
    assert [m.text for m in person.mentions] == ["Curtis Hale", "Hale"]


def test_a_surname_that_is_a_title_word_is_kept(nlp):
    _, n = resolve(nlp, "Kevin King spoke . King left .", [(0, 2, "PERSON"), (4, 5, "PERSON")])
    assert len(n["Kevin King"].mentions) == 2


def test_one_person_typed_org_once_and_person_once(nlp):
    _, n = resolve(
        nlp,
        "Bettie Page died . Fans of Bettie Page mourned . Page was 85 .",
        [(0, 2, "ORG"), (6, 8, "PERSON"), (10, 11, "GPE")],
    )
    people = [e for e in n.values() if e.type == "PERSON"]
    assert len(people) == 1 and len(people[0].mentions) == 3
    assert len(n) == 1


def test_people_sharing_a_surname_with_different_full_names_stay_apart(nlp):
    doc, n = resolve(
        nlp,
        "Jaime King sued . Kevin King was freed . King thanked the army .",
        [(0, 2, "PERSON"), (4, 6, "PERSON"), (9, 10, "PERSON")],
    )
    assert n["Jaime King"].id != n["Kevin King"].id
    assert doc._.ew_token_entity[9] == n["Kevin King"].id  # the nearest full name before


def test_a_common_word_alias_is_not_linked_but_the_actors_name_is(nlp):
    kb = load_kb([])
    matcher = KBMatcher(nlp, kb, frozenset({"island", "turkey"}))
    doc = Doc(nlp.vocab, words=["Island", "ferries", "sail", "to", "Turkey", "."])
    found = {span.text: hit.actor.name for span, hit in matcher(doc)}
    assert "Island" not in found  # Iceland's own-language name, an English word here
    assert found.get("Turkey") == "Turkey"


def test_a_lone_first_name_joins_the_one_person_who_has_it(nlp):
    doc, n = resolve(nlp, "Imran Vale spoke . Imran left .", [(0, 2, "PERSON"), (4, 5, "ORG")])
    assert doc._.ew_token_entity[4] == n["Imran Vale"].id
    assert len(n) == 1
    doc, n = resolve(
        nlp,
        "Ana Ruiz met Ana Pons . Ana left .",
        [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 7, "PERSON")],
    )
    assert doc._.ew_token_entity[6] not in (n["Ana Ruiz"].id, n["Ana Pons"].id)
