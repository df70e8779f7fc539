"""The PLOVER data files: loading, versions, the CAMEO->PLOVER map and user extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import DataError
from eventwire.extract.events.lexicon import (
    DATA_DIR,
    PLOVER_TYPES,
    data_versions,
    load_lexicon,
)
from eventwire.extract.events.lexicon_build import (
    parse_cameo_plover,
    parse_petrarch_verbs,
)


def test_categories_are_the_sixteen_current_plover_types() -> None:
    lexicon = load_lexicon()
    assert set(lexicon.categories) == set(PLOVER_TYPES)
    assert len(PLOVER_TYPES) == 16
    assert "visit" in lexicon.categories["CONSULT"]["modes"]
    assert "abduct" in lexicon.categories["ASSAULT"]["modes"]


def test_every_data_file_is_versioned() -> None:
    versions = data_versions()
    assert {
        "cameo_plover.tsv",
        "curated_verbs.tsv",
        "nouns.tsv",
        "petrarch_verbs.tsv",
        "petrarch_patterns.tsv",
    } <= set(versions)
    assert all(v >= 1 for v in versions.values())
    assert load_lexicon().version >= 1


def test_cameo_to_plover_walks_up_to_the_parent_code() -> None:
    lexicon = load_lexicon()
    assert lexicon.to_plover("0871").type == "RETREAT"  # ceasefire
    assert lexicon.to_plover("0871").mode == "ceasefire"
    assert lexicon.to_plover("1831").type == "ASSAULT"
    assert lexicon.to_plover("163").type == "COERCE"  # the 2021 table's choice for sanctions
    assert lexicon.to_plover("0429").type == "CONSULT"  # unlisted: parent 042 (visit)
    assert lexicon.to_plover("020").type == "REQUEST"  # appeals: eventwire supplement
    assert lexicon.to_plover("010") is None  # public statements are not PLOVER events
    assert lexicon.to_plover(None) is None


def test_verb_rules_combine_curated_and_petrarch_entries() -> None:
    lexicon = load_lexicon()
    meet = lexicon.verb_rules("meet")
    assert meet[0].origin == "curated" and meet[0].coding.type == "CONSULT"
    call = {(r.prep, r.object): r for r in lexicon.verb_rules("call")}
    assert call[("on", "")].coding.type == "REQUEST"
    assert call[("", "engineer")].coding is None  # PETRARCH: "call an engineer" is no event
    assert lexicon.object_matches("&WEAPON", {"rocket"}) or lexicon.object_matches(
        "&WEAPON", {"rockets"}
    )


def test_nouns_carry_type_mode_and_cameo() -> None:
    lexicon = load_lexicon()
    attack = next(r for r in lexicon.noun_rules("attack") if not r.modifier)
    assert attack.coding is not None
    assert (attack.coding.type, attack.coding.cameo) == ("ASSAULT", "190")
    hunger = next(r for r in lexicon.noun_rules("strike") if r.modifier == "hunger")
    assert (hunger.coding.type, hunger.coding.mode) == ("PROTEST", "hunger")
    assert lexicon.noun_rules("ceasefire")[0].coding.type == "RETREAT"


def test_user_files_extend_and_override(tmp_path: Path) -> None:
    verbs = tmp_path / "my_verbs.tsv"
    verbs.write_text(
        "# version: 1\nverb\tprep\tobject\tcameo\ttype\tmode\tcontexts\n"
        "blockade\t\t\t191\tCOERCE\trestrict\tmilitary\n"
        "parley\t\t\t040\t\t\t\n",
        encoding="utf-8",
    )
    nouns = tmp_path / "my_nouns.tsv"
    nouns.write_text(
        "noun\tmodifier\tcameo\ttype\tmode\tcontexts\nsortie\t\t190\t\t\t\n", encoding="utf-8"
    )
    lexicon = load_lexicon((str(verbs),), (str(nouns),))
    assert lexicon.verb_rules("parley")[0].coding.type == "CONSULT"  # type from the CAMEO map
    assert lexicon.noun_rules("sortie")[0].coding.type == "ASSAULT"
    assert load_lexicon().verb_rules("parley") == []  # the shipped lexicon is untouched


def test_builder_parses_cameo_table_and_petrarch_format(tmp_path: Path) -> None:
    table = tmp_path / "c2p.txt"
    table.write_text(
        "# header\n04: CONSULT\n042: CONSULT, visit,   # Make a visit\n"
        "1621: SANCTION, discontinue, economic # Reduce aid\n",
        encoding="utf-8",
    )
    assert parse_cameo_plover(table) == [
        ["042", "CONSULT", "visit", "", "Make a visit"],
        ["1621", "SANCTION", "discontinue", "economic", "Reduce aid"],
    ]
    verbs = tmp_path / "verbs.txt"
    verbs.write_text(
        "&WEAPON_\n+ROCKET\n+MISSILE\n\n####### VERB PATTERNS #######\n"
        "---  FIRE   [190]  ---\nFIRE\nSHOOT {SHOOTS SHOT}  [193]\n"
        "- * &WEAPON                [195]  # FIRE\n"
        "- * (AT)                   [190]  # FIRE\n"
        "- * EMPLOYEE               [---]  # FIRE\n"
        "######## TRANSFORMATIONS ##########\n",
        encoding="latin-1",
    )
    rows, patterns, synsets = parse_petrarch_verbs(verbs)
    assert ["fire", "fire", "190"] in rows and ["shoot", "fire", "193"] in rows
    assert ["fire", "", "&WEAPON", "195"] in patterns
    assert ["fire", "at", "", "190"] in patterns
    assert ["fire", "", "employee", ""] in patterns
    assert synsets["&WEAPON"] == ["rocket", "missile"]


def test_shipped_files_exist_with_licence_notes() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme and "MIT" in readme


def test_a_type_that_is_not_a_plover_category_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad_verbs.tsv"
    bad.write_text("verb\tprep\tobject\tcameo\ttype\nparley\t\t\t\t040\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a PLOVER category"):
        load_lexicon((str(bad),))


def test_every_shipped_entry_has_a_plover_type_or_none() -> None:
    lexicon = load_lexicon()
    rules = [r for rs in lexicon.verbs.values() for r in rs]
    rules += [r for rs in lexicon.block_patterns.values() for r in rs]
    rules += [r for rs in lexicon.nouns.values() for r in rs]
    assert all(r.coding is None or r.coding.type in PLOVER_TYPES for r in rules)


def test_international_sanctions_code_sanction_other_impositions_coerce() -> None:
    """PLOVER manual, SANCTION: international sanctions are `discontinue`; a curfew is COERCE."""
    lexicon = load_lexicon()
    rules = {r.object: r.coding for r in lexicon.verb_rules("impose") if r.coding}
    assert rules["sanction"].type == rules["tariff"].type == "SANCTION"
    assert rules["freeze"].type == "SANCTION"
    assert rules["*"].type == "COERCE"
    nouns = {r.coding.type for r in lexicon.noun_rules("sanctions") if r.coding}
    assert nouns == {"SANCTION"}


def test_criminal_proceedings_code_coerce() -> None:
    """The annotation guide settles it: charged with a crime, indicted, convicted, sentenced."""
    lexicon = load_lexicon()
    charged = [r for r in lexicon.verb_rules("charge") if r.prep == "with"]
    assert charged and charged[0].coding is not None and charged[0].coding.type == "COERCE"
    for verb in ("indict", "convict", "sentence"):
        codings = [r.coding for r in lexicon.verb_rules(verb) if r.coding and r.origin == "curated"]
        assert codings and codings[0].type == "COERCE", verb


def test_giving_codes_aid_only_for_goods_and_signing_only_for_agreements() -> None:
    """Lexicon version 3: "sent a message", "sent a man to hospital" and "signed a contract"
    with a club are not AID or SUPPORT; sending aid, weapons or money is AID, and signing a treaty
    stays a diplomatic act."""
    lexicon = load_lexicon()
    for verb in ("send", "provide", "supply", "deliver", "hand over"):
        rules = [r for r in lexicon.verb_rules(verb) if r.origin == "curated" and r.coding]
        aid = [r for r in rules if r.coding and r.coding.type == "AID"]
        assert aid, verb
        assert all(r.object not in ("", "*") for r in aid), verb
        assert lexicon.object_matches(aid[0].object, {aid[0].object})
        assert not any(lexicon.object_matches(r.object, {"message"}) for r in aid), verb
        assert not any(lexicon.object_matches(r.object, {"man"}) for r in aid), verb
        assert any(lexicon.object_matches(r.object, {"weapon"}) for r in aid), verb
    signing = {r.object for r in lexicon.verb_rules("sign") if r.origin == "curated" and r.coding}
    assert {"treaty", "agreement"} <= signing
    assert not signing & {"", "*", "contract", "memorandum"}


def test_a_heart_attack_or_a_trade_war_is_not_an_event_an_attack_is() -> None:
    """Nouns version 3: fixed phrases whose head is a dictionary noun but which name no act."""
    lexicon = load_lexicon()
    attack = {r.modifier: r.coding for r in lexicon.noun_rules("attack")}
    assert attack[""] is not None and attack[""].type == "ASSAULT"
    assert attack["heart"] is None and attack["panic"] is None
    war = {r.modifier: r.coding for r in lexicon.noun_rules("war")}
    assert war["trade"] is None and war[""] is not None


def test_word_senses_fire_a_minister_execute_a_warrant_attack_a_policy() -> None:
    """Lexicon version 3: the object decides the sense."""
    lexicon = load_lexicon()

    def coded(verb: str, obj: str) -> str | None:
        for rule in lexicon.ranked_verb_rules(verb):
            if not rule.prep and (not rule.object or lexicon.object_matches(rule.object, {obj})):
                return rule.coding.type if rule.coding else None
        return None

    assert coded("fire", "shot") == coded("fire", "rocket") == "ASSAULT"
    assert coded("fire", "minister") is None
    assert coded("execute", "warrant") is None and coded("execute", "prisoner") == "ASSAULT"
    assert coded("attack", "policy") == "ACCUSE" and coded("attack", "village") == "ASSAULT"


def test_what_an_object_measures_reaches_the_dictionary() -> None:
    """ "handed over 40 percent of their arms", "$4 million worth of equipment": the measured
    word decides the rule (AID), not the measure."""
    from tests.unit.test_events import make_doc, run

    doc = make_doc(
        [
            ("Rebels", 1, "nsubj", "NOUN", "NNS", "rebel", ""),
            ("sent", 1, "ROOT", "VERB", "VBD", "send", ""),
            ("40", 3, "nummod", "NUM", "CD", "40", ""),
            ("percent", 1, "dobj", "NOUN", "NN", "percent", ""),
            ("of", 3, "prep", "ADP", "IN", "of", ""),
            ("their", 6, "poss", "PRON", "PRP$", "their", ""),
            ("weapons", 4, "pobj", "NOUN", "NNS", "weapon", ""),
            ("to", 1, "prep", "ADP", "IN", "to", ""),
            ("Kano", 7, "pobj", "PROPN", "NNP", "Kano", "GPE"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    assert [e.type for e in run(doc)] == ["AID"]
