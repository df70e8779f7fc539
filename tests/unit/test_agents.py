"""Generic actors (eventwire_agents) on hand-built Docs: no trained model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from eventwire.errors import DataError
from eventwire.extract.agents import (
    AgentsStage,
    agent_entities,
    data_version,
    load_agents,
    parse_petrarch_agents,
    read_agents,
    regular_plurals,
)
from eventwire.record import Entity, TextSpan

NLP = spacy.blank("en")

# (word, head index, dep, pos)
Row = tuple[str, int, str, str]


def make_doc(rows: list[Row], entities: dict[int, Entity] | None = None) -> Doc:
    """A parsed Doc; ``entities`` maps token index -> the entity that token belongs to."""
    doc = Doc(
        NLP.vocab,
        words=[r[0] for r in rows],
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
    )
    entities = entities or {}
    unique = list({e.id: e for e in entities.values()}.values())
    doc._.ew_entities = unique
    doc._.ew_token_entity = [entities[i].id if i in entities else None for i in range(len(doc))]
    return doc


def run(doc: Doc, files: tuple[str, ...] = ()) -> list[Entity]:
    return agent_entities(AgentsStage(NLP, files)(doc)._.ew_entities)


def test_police_twice_is_one_entity_with_next_free_id_and_a_sector() -> None:
    kenyan = Entity("e1", "Kenyan", "NORP", country="KEN")
    doc = make_doc(
        [
            ("Kenyan", 1, "amod", "ADJ"),
            ("police", 2, "nsubj", "NOUN"),
            ("arrested", 2, "ROOT", "VERB"),
            ("protesters", 2, "dobj", "NOUN"),
            (";", 2, "punct", "PUNCT"),
            ("police", 6, "nsubj", "NOUN"),
            ("said", 2, "conj", "VERB"),
        ],
        {0: kenyan},
    )
    agents = run(doc)
    police = next(a for a in agents if a.kb_id == "agent:COP")
    assert police.id == "e2" and police.country == "KEN" and police.type == "ORG"
    assert police.name == "Kenyan police" and len(police.mentions) == 2
    protesters = next(a for a in agents if a.kb_id == "agent:OPP")
    assert protesters.type == "OTHER" and protesters.country is None
    assert doc._.ew_token_entity[5] == police.id and doc._.ew_token_entity[0] == "e1"


def test_modifier_of_a_noun_and_adjectives_are_not_actors() -> None:
    doc = make_doc(
        [
            ("the", 2, "det", "DET"),
            ("police", 2, "compound", "NOUN"),
            ("station", 3, "nsubj", "NOUN"),
            ("burned", 3, "ROOT", "VERB"),
            ("in", 3, "prep", "ADP"),
            ("military", 6, "amod", "ADJ"),
            ("operations", 4, "pobj", "NOUN"),
        ]
    )
    assert run(doc) == []


def test_titles_on_names_and_named_owners_stay_with_the_named_actor() -> None:
    zarif = Entity("e1", "Zarif", "PERSON")
    un = Entity("e2", "United Nations", "ORG", kb_id="org:un")
    doc = make_doc(
        [
            ("Foreign", 1, "compound", "PROPN"),
            ("Minister", 2, "compound", "PROPN"),
            ("Zarif", 3, "nsubj", "PROPN"),
            ("met", 3, "ROOT", "VERB"),
            ("UN", 5, "compound", "PROPN"),
            ("officials", 3, "dobj", "NOUN"),
        ],
        {2: zarif, 4: un},
    )
    assert run(doc) == []


def test_country_from_a_place_after_the_phrase_and_existing_entities_win() -> None:
    pakistan = Entity("e1", "Pakistan", "GPE", country="PAK")
    doc = make_doc(
        [
            ("authorities", 3, "nsubj", "NOUN"),
            ("in", 0, "prep", "ADP"),
            ("Pakistan", 1, "pobj", "PROPN"),
            ("banned", 3, "ROOT", "VERB"),
            ("rallies", 3, "dobj", "NOUN"),
        ],
        {2: pakistan},
    )
    (gov,) = run(doc)
    assert gov.country == "PAK" and gov.kb_id == "agent:GOV" and gov.name == "authorities"


def test_unparsed_doc_matches_and_never_overrides() -> None:
    doc = NLP("The army and Hamas fighters clashed.")
    hamas = Entity("e1", "Hamas", "ORG", mentions=[TextSpan(15, 20, "Hamas")])
    doc._.ew_entities = [hamas]
    doc._.ew_token_entity = [None, None, None, "e1", "e1", None, None]
    agents = run(doc)
    assert [a.name for a in agents] == ["army"]
    assert doc._.ew_token_entity[4] == "e1"


def test_regular_plurals_follow_petrarch() -> None:
    assert regular_plurals("militia") == ["militias"]
    assert regular_plurals("army") == ["armies"]
    assert regular_plurals("attorney") == ["attorneys"]
    assert regular_plurals("border patrol boss") == ["border patrol bosses"]


def test_petrarch_format_with_sets_plurals_and_codes() -> None:
    text = "!PERSON! = MAN, MEN\nPOLICE {} [~COP] # note\nGUNMAN {GUNMEN} [~UAF]\nFIRE!PERSON! [~GOV]\n"
    agents = {a.phrase: a for a in parse_petrarch_agents(text)}
    assert agents["police"].forms == ("police",)
    assert agents["gunman"].forms == ("gunman", "gunmen") and agents["gunman"].sector == "UAF"
    assert {"fireman", "firemen"} <= set(agents)


def test_user_files_extend_the_shipped_list(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("version: 1\nagents:\n- {phrase: vigilante, sector: UAF}\n", encoding="utf-8")
    forms = load_agents((str(path),))
    assert forms["vigilantes"].sector == "UAF" and forms["police"].sector == "COP"
    doc = NLP("Vigilantes attacked the village.")
    doc._.ew_entities, doc._.ew_token_entity = [], [None] * len(doc)
    assert [a.kb_id for a in run(doc, (str(path),))] == ["agent:UAF"]


def test_malformed_rows_raise_data_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("agents:\n- {phrase: ranger, sector: x1, type: PERSON}\n", encoding="utf-8")
    with pytest.raises(DataError):
        read_agents(path)


def test_shipped_data_is_versioned_and_covers_common_actors() -> None:
    forms = load_agents()
    assert data_version() >= 1
    expected = {
        "police": "COP",
        "troops": "MIL",
        "rebels": "REB",
        "protesters": "OPP",
        "judges": "JUD",
        "lawmakers": "LEG",
        "refugees": "REF",
        "civilians": "CVL",
        "journalists": "MED",
        "government": "GOV",
        "gunmen": "UAF",
    }
    assert {w: forms[w].sector for w in expected} == expected
    assert forms["parliament"].type == "ORG" and forms["army"].type == "ORG"
    assert "village" not in forms and "warship" not in forms


def test_coordinated_countries_give_no_single_country() -> None:
    kenya = Entity("e1", "Kenya", "GPE", country="KEN")
    uganda = Entity("e2", "Uganda", "GPE", country="UGA")
    doc = make_doc(
        [
            ("ministers", 5, "nsubj", "NOUN"),
            ("from", 0, "prep", "ADP"),
            ("Kenya", 1, "pobj", "PROPN"),
            ("and", 2, "cc", "CCONJ"),
            ("Uganda", 2, "conj", "PROPN"),
            ("agreed", 5, "ROOT", "VERB"),
        ],
        {2: kenya, 4: uganda},
    )
    (ministers,) = run(doc)
    assert ministers.kb_id == "agent:GOV" and ministers.country is None
