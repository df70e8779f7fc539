import pytest
import spacy
from spacy.tokens import Doc, Span

from eventwire.extract.entities import EntityResolver


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def resolver(nlp):
    return EntityResolver(nlp, "eventwire_entities", [])


def make(nlp, words, ents, spaces=None):
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def by_name(doc, name):
    return next(e for e in doc._.ew_entities if e.name == name)


def test_full_name_honorific_and_surname_variants_merge(nlp, resolver):
    words = [
        "Sheikh",
        "Omar",
        "al-Badri",
        "spoke",
        ".",
        "Al-Badri",
        "left",
        ".",
        "Badri",
        "'s",
        "aide",
        "met",
        "Omar",
        "Badri",
        ".",
    ]
    doc = resolver(
        make(nlp, words, [(0, 3, "PERSON"), (5, 6, "ORG"), (8, 9, "GPE"), (12, 14, "PERSON")])
    )
    people = [e for e in doc._.ew_entities if e.type == "PERSON"]
    assert len(people) == 1
    person = people[0]
    assert person.name == "Omar al-Badri"
    assert len(person.mentions) == 4
    assert set(person.aliases) >= {"Sheikh Omar al-Badri", "Al-Badri", "Badri", "Omar Badri"}
    assert doc._.ew_token_entity[8] == person.id and doc._.ew_token_entity[9] is None


def test_two_people_sharing_a_surname_stay_apart(nlp, resolver):
    words = ["Anna", "Kowal", "met", "Piotr", "Kowal", ".", "Kowal", "left", "."]
    doc = resolver(make(nlp, words, [(0, 2, "PERSON"), (3, 5, "PERSON"), (6, 7, "PERSON")]))
    people = [e for e in doc._.ew_entities if e.type == "PERSON"]
    assert [p.name for p in people] == ["Anna Kowal", "Piotr Kowal"]
    # the bare surname goes to the most recent full-name mention before it
    assert doc._.ew_token_entity[6] == by_name(doc, "Piotr Kowal").id


def test_kb_fixes_types_and_links(nlp, resolver):
    words = ["Al", "Mayadeen", "said", "Hezbollah", "and", "Lebanon", "'s", "army", "fought", "."]
    doc = resolver(make(nlp, words, [(0, 2, "PERSON"), (3, 4, "GPE"), (5, 6, "GPE")]))
    media = by_name(doc, "Al Mayadeen")
    assert (media.type, media.kb_id, media.country) == ("ORG", "med:almayadeen", "LBN")
    group = by_name(doc, "Hezbollah")
    assert (group.type, group.kb_id) == ("ORG", "org:hezbollah")
    assert by_name(doc, "Lebanon").country == "LBN"


def test_kb_finds_actors_the_model_missed_and_possessives(nlp, resolver):
    words = ["Hamas", "’s", "ally", "Iran", "and", "the", "Lebanese", "people", "."]
    doc = resolver(make(nlp, words, []))
    names = {e.name: e for e in doc._.ew_entities}
    assert names["Hamas"].type == "ORG" and names["Hamas"].mentions[0].text == "Hamas"
    assert names["Iran"].type == "GPE"
    lebanese = names["Lebanese"]
    assert (lebanese.type, lebanese.country, lebanese.kb_id) == ("NORP", "LBN", None)


def test_majority_type_and_case_variants(nlp, resolver):
    words = ["Zentrix", "rose", ".", "Zentrix", "fell", ".", "ZENTRIX", "won", "."]
    doc = resolver(make(nlp, words, [(0, 1, "ORG"), (3, 4, "ORG"), (6, 7, "PERSON")]))
    assert len(doc._.ew_entities) == 1
    assert doc._.ew_entities[0].type == "ORG"


def test_acronym_joins_its_organisation_and_ids_follow_first_mention(nlp, resolver):
    words = [
        "Zorblax",
        "Liberation",
        "Front",
        "(",
        "ZLF",
        ")",
        "met",
        "Paris",
        ".",
        "ZLF",
        "left",
        ".",
    ]
    doc = resolver(make(nlp, words, [(0, 3, "ORG"), (4, 5, "ORG"), (7, 8, "GPE"), (9, 10, "ORG")]))
    assert [e.id for e in doc._.ew_entities] == ["e1", "e2"]
    front = doc._.ew_entities[0]
    assert front.name == "Zorblax Liberation Front" and len(front.mentions) == 3
    assert [m.start for m in front.mentions] == sorted(m.start for m in front.mentions)


def test_user_actor_file_links_fictional_actor(nlp, tmp_path):
    path = tmp_path / "actors.txt"
    path.write_text("GONDOR [GON]\n+MINAS_TIRITH\n")
    resolver = EntityResolver(nlp, "eventwire_entities", [str(path)])
    doc = resolver(make(nlp, ["Troops", "left", "Minas", "Tirith", "."], []))
    ent = doc._.ew_entities[0]
    assert (ent.kb_id, ent.country, ent.mentions[0].text) == ("user:gondor", "GON", "Minas Tirith")


def people(doc):
    return [e for e in doc._.ew_entities if e.type == "PERSON"]


def test_untagged_surname_joins_the_named_person(nlp, resolver):
    words = ["Daniel", "Okello", "spoke", ".", "Later", ",", "Okello", "added", "that",
             "Okello", "Foundation", "and", "Jean", "Okello", "agreed", "."]  # fmt: skip
    doc = resolver(make(nlp, words, [(0, 2, "PERSON")]))
    [person] = people(doc)
    assert [m.text for m in person.mentions] == ["Daniel Okello", "Okello"]
    assert doc._.ew_token_entity[6] == person.id
    # inside another capitalised name ('Okello Foundation', 'Jean Okello'): not this person
    assert doc._.ew_token_entity[9] is None and doc._.ew_token_entity[13] is None


def test_untagged_first_and_surname_and_title_before_surname(nlp, resolver):
    words = ["Grace", "Wanjiru", "left", ".", "Then", "Grace", "Wanjiru", "and", "Minister",
             "Wanjiru", "met", "."]  # fmt: skip
    doc = resolver(make(nlp, words, [(0, 2, "PERSON")]))
    [person] = people(doc)
    assert [m.text for m in person.mentions] == ["Grace Wanjiru", "Grace Wanjiru", "Wanjiru"]


def test_surname_scan_skips_common_words_and_place_names(nlp, resolver):
    words = ["John", "Rice", "and", "Paul", "Washington", "spoke", ".", "Rice", "prices", "rose",
             "as", "rice", "ran", "out", "in", "Washington", "."]  # fmt: skip
    doc = resolver(make(nlp, words, [(0, 2, "PERSON"), (3, 5, "PERSON")]))
    assert doc._.ew_token_entity[7] is None  # 'rice' is a common word in this text
    assert doc._.ew_token_entity[15] != doc._.ew_token_entity[3]  # the city, not the person
    assert all(len(p.mentions) == 1 for p in people(doc))


def test_entities_do_not_cross_a_paragraph_break(nlp, resolver):
    words = ["Read", "the", "Daily", "Zorblax", "Newsletter", "\n\n\n", "Vanterra", "said", "so"]
    spaces = [True, True, True, True, False, False, True, True, False]
    doc = resolver(make(nlp, words, [(1, 7, "ORG")], spaces))
    assert [e.name for e in doc._.ew_entities] == ["Daily Zorblax Newsletter", "Vanterra"]
    assert all("\n" not in m.text for e in doc._.ew_entities for m in e.mentions)


def test_lone_common_word_opening_a_sentence_is_not_a_name(nlp):
    resolver = EntityResolver(nlp, "eventwire_entities", [])
    resolver.common = frozenset({"turnout", "subscribe", "brown"})
    words = ["Turnout", "was", "61", "percent", ".", "Subscribe", "now", ".", "Zorblax", "won", "."]
    doc = resolver(make(nlp, words, [(0, 1, "PERSON"), (5, 6, "OTHER"), (8, 9, "PERSON")]))
    assert [e.name for e in doc._.ew_entities] == ["Zorblax"]
    # a capitalised use inside a sentence is evidence of a name
    words = ["Turnout", "spoke", ".", "We", "met", "Turnout", "."]
    doc = resolver(make(nlp, words, [(0, 1, "PERSON"), (5, 6, "PERSON")]))
    assert [len(e.mentions) for e in doc._.ew_entities] == [2]


def test_common_word_as_subject_of_said_stays_a_person(nlp):
    resolver = EntityResolver(nlp, "eventwire_entities", [])
    resolver.common = frozenset({"brown"})
    doc = Doc(nlp.vocab, words=["Brown", "said", "no", "."], heads=[1, 1, 1, 1],
              deps=["nsubj", "ROOT", "dobj", "punct"], lemmas=["Brown", "say", "no", "."])  # fmt: skip
    doc.ents = [Span(doc, 0, 1, label="PERSON")]
    assert [e.name for e in resolver(doc)._.ew_entities] == ["Brown"]


def test_organisation_name_cut_at_and_or_of_is_completed(nlp, resolver):
    words = ["The", "Zorblax", "Intelligence", "and", "Terrorism", "Information", "Center",
             "said", ".", "The", "Ministry", "of", "Foreign", "Affairs", "and", "Zorblax",
             "Studies", "and", "Vanterra", "agreed", "."]  # fmt: skip
    ents = [(0, 4, "ORG"), (4, 7, "ORG"), (9, 12, "ORG"), (15, 18, "ORG")]
    doc = resolver(make(nlp, words, ents))
    names = [e.name for e in doc._.ew_entities]
    assert names == ["Zorblax Intelligence and Terrorism Information Center",
                     "Ministry of Foreign Affairs", "Zorblax Studies"]  # fmt: skip
    assert doc._.ew_entities[0].mentions[0].text.startswith("Zorblax")


def test_generic_organisation_takes_the_country_named_before_it(nlp, resolver):
    words = ["Mali", "'s", "defence", "ministry", "and", "the", "Malian", "army", "met", "the",
             "Philippine", "Senate", "and", "the", "Zorblax", "Party", "."]  # fmt: skip
    ents = [(0, 1, "GPE"), (2, 4, "ORG"), (6, 7, "NORP"), (7, 8, "ORG"), (10, 12, "ORG"),
            (14, 16, "ORG")]  # fmt: skip
    doc = resolver(make(nlp, words, ents))
    country = {e.name: e.country for e in doc._.ew_entities}
    assert country["defence ministry"] == "MLI" and country["army"] == "MLI"
    assert country["Philippine Senate"] == "PHL" and country["Zorblax Party"] is None
    assert country["Malian"] == "MLI"


def test_portfolio_before_minister_is_not_an_organisation(nlp):
    resolver = EntityResolver(nlp, "eventwire_entities", [])
    resolver.common = frozenset({"health", "trade", "labour", "party"})
    words = ["Health", "Minister", "Ana", "Lobo", ",", "Philippine", "Trade", "Secretary", "Rui",
             "Sa", "and", "Labour", "Party", "Secretary", "Ken", "Ito", "met", "."]  # fmt: skip
    ents = [(0, 1, "ORG"), (2, 4, "PERSON"), (5, 7, "ORG"), (8, 10, "PERSON"), (11, 13, "ORG"),
            (14, 16, "PERSON")]  # fmt: skip
    doc = resolver(make(nlp, words, ents))
    names = {e.name: e.type for e in doc._.ew_entities}
    assert "Health" not in names and "Philippine Trade" not in names
    assert names["Philippine"] == "NORP" and names["Labour Party"] == "ORG"
