"""Coreference (pronouns, 'the company', 'the president') on hand-built Docs: no trained model."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span
from tests.unit.test_quotes import annotate as annotate_names

from eventwire.extract import ensure_extensions
from eventwire.extract.agents import AgentsStage
from eventwire.extract.coref import Resolver, antecedent, first_names, resolve_coreference
from eventwire.extract.entities import EntityResolver
from eventwire.extract.quotes import find_quotes
from eventwire.extract.roles import RolesStage

ensure_extensions()
NLP = spacy.blank("en")


def annotate(doc: Doc, names: dict[str, str]) -> Doc:
    """Every occurrence of each name is one entity (see test_quotes), and no roles yet."""
    annotate_names(doc, names)
    doc._.ew_roles = {}
    return doc


def links(text: str, names: dict[str, str]) -> dict[str, str]:
    """Pronoun or noun (with its position) -> the name it was resolved to."""
    doc = annotate(NLP(text), names)
    resolve_coreference(doc)
    by_id = {e.id: e.name for e in doc._.ew_entities}
    return {f"{doc[i].text}@{i}": by_id[eid] for i, eid in doc._.ew_coref.items()}


def word(found: dict[str, str], text: str) -> str | None:
    return next((name for key, name in found.items() if key.split("@")[0] == text), None)


def test_first_names_give_gender() -> None:
    names = first_names()
    assert names["virginia"] == "f" and names["jeffrey"] == "m"
    assert "jordan" not in names  # borne by men and women alike


def test_she_goes_to_the_woman_not_the_more_salient_man() -> None:
    found = links(
        "Jeffrey Moss met Virginia Hale. Jeffrey Moss left. She said nothing.",
        {"Jeffrey Moss": "PERSON", "Virginia Hale": "PERSON"},
    )
    assert word(found, "She") == "Virginia Hale"


def test_courtesy_titles_and_gendered_nouns_give_gender() -> None:
    found = links(
        "Mr Okafor and Ms Adeyemi met. She spoke. He left.",
        {"Okafor": "PERSON", "Adeyemi": "PERSON"},
    )
    assert word(found, "She") == "Adeyemi"
    assert word(found, "He") == "Okafor"
    found = links(
        "Tom Reyes met the spokeswoman, Kim Sato. She spoke.",
        {"Tom Reyes": "PERSON", "Kim Sato": "PERSON"},
    )
    assert word(found, "She") == "Kim Sato"


def test_it_and_they_are_never_a_person() -> None:
    found = links(
        "Dana Ruiz joined Brixton Holdings. It hired her. They grew.",
        {"Dana Ruiz": "PERSON", "Brixton Holdings": "ORG"},
    )
    assert word(found, "It") == "Brixton Holdings"
    assert word(found, "her") == "Dana Ruiz"
    assert word(found, "They") == "Brixton Holdings"


def test_the_company_is_the_organisation_named_like_one() -> None:
    found = links(
        "Police questioned staff of Vantor Inc and the Riverside Council. The company said no.",
        {"Vantor Inc": "ORG", "Riverside Council": "ORG"},
    )
    assert word(found, "company") == "Vantor Inc"


def test_a_pronoun_outside_a_quotation_skips_names_inside_it() -> None:
    found = links(
        'Paul Reyes spoke. "Heads should roll since Mark Stone died," he said.',
        {"Paul Reyes": "PERSON", "Mark Stone": "PERSON"},
    )
    assert word(found, "he") == "Paul Reyes"


def test_an_object_pronoun_is_not_the_subject_of_its_verb() -> None:
    words = ["Paul", "Reyes", "arrived", ".", "Tom", "Hill", "thanked", "him", "."]
    heads = [1, 2, 2, 2, 5, 6, 6, 6, 6]
    deps = ["compound", "nsubj", "ROOT", "punct", "compound", "nsubj", "ROOT", "dobj", "punct"]
    sent_starts = [True, False, False, False, True, False, False, False, False]
    doc = Doc(NLP.vocab, words=words, heads=heads, deps=deps, sent_starts=sent_starts)
    doc = annotate(doc, {"Paul Reyes": "PERSON", "Tom Hill": "PERSON"})
    resolve_coreference(doc)
    assert antecedent(doc, 7) == "e1"
    assert Resolver.of(doc).pronoun(7) == "e1"


def test_the_president_is_the_person_with_that_title_and_joins_them() -> None:
    words = ["President", "Ana", "Lima", "spoke", ".", "The", "president", "said", "no", "."]
    doc = Doc(NLP.vocab, words=words)
    doc.ents = [Span(doc, 1, 3, label="PERSON")]
    for stage in (EntityResolver(NLP, "eventwire_entities", []), RolesStage(), AgentsStage(NLP)):
        doc = stage(doc)
    person = next(e for e in doc._.ew_entities if e.name == "Ana Lima")
    assert doc._.ew_coref[6] == person.id
    assert doc._.ew_token_entity[6] == person.id  # events and quotes see the named actor
    assert [m.text for m in person.mentions] == ["Ana Lima", "president"]
    generic = [e for e in doc._.ew_entities if (e.kb_id or "").startswith("agent:")]
    assert all(m.text != "president" for e in generic for m in e.mentions)


def test_quote_speaker_pronoun_uses_gender() -> None:
    doc = annotate(
        NLP('Virginia Hale sued Jeffrey Moss. "I was young," she said.'),
        {"Virginia Hale": "PERSON", "Jeffrey Moss": "PERSON"},
    )
    resolve_coreference(doc)
    (quote,) = find_quotes(doc)
    assert quote.speaker == "e1"
