"""The reference article end to end: entities, name variants, KB links and roles."""

from pathlib import Path

import pytest

SEED = Path(__file__).parents[2].parent / "shared" / "seeds" / "000_f71b5d3548721a5d.txt"

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def record():
    if not SEED.is_file():
        pytest.skip(f"reference article not found at {SEED}")
    import eventwire

    return eventwire.read(SEED.read_text(encoding="utf-8"))


def person(record, surname):
    found = [e for e in record.entities if e.type == "PERSON" and surname in e.name]
    assert len(found) == 1, [e.name for e in record.entities if surname in " ".join(e.aliases)]
    return found[0]


def org(record, name):
    return next(e for e in record.entities if e.name == name)


def test_each_leader_is_one_person_with_all_variants(record):
    for surname in ("Nasrallah", "Nakhalah", "Arouri"):
        ent = person(record, surname)
        others = [
            e
            for e in record.entities
            if e.id != ent.id and any(surname.lower() in a.lower() for a in e.aliases)
        ]
        assert others == [], (surname, [(e.name, e.type) for e in others])
    assert {"Sayyed Hassan Nasrallah", "Nasrallah"} <= set(person(record, "Nasrallah").aliases)
    assert {"Al-Arouri", "Arouri", "al-Arouri"} <= set(person(record, "Arouri").aliases)


def test_roles(record):
    hezbollah, hamas = org(record, "Hezbollah"), org(record, "Hamas")
    pij = org(record, "Palestinian Islamic Jihad")
    assert ("leader", hezbollah.id) in {(r.title, r.of) for r in person(record, "Nasrallah").roles}
    nakhalah = {(r.title, r.of) for r in person(record, "Nakhalah").roles}
    assert ("secretary general", pij.id) in nakhalah and ("leader", pij.id) in nakhalah
    arouri = {(r.title, r.of) for r in person(record, "Arouri").roles}
    assert ("deputy leader", hamas.id) in arouri
    netanyahu = person(record, "Netanyahu")
    assert "prime minister" in {r.title for r in netanyahu.roles}
    assert (person(record, "Nasrallah").id, "leader_of", hezbollah.id) in {
        (r.subject, r.predicate, r.object) for r in record.relations
    }


def test_organisations_and_places(record):
    assert org(record, "Hezbollah").type == "ORG" and org(record, "Hamas").type == "ORG"
    media = [e for e in record.entities if any("Mayadeen" in a for a in e.aliases)]
    assert len(media) == 1 and media[0].type == "ORG" and media[0].kb_id.startswith("med:")
    lebanon = org(record, "Lebanon")
    assert (lebanon.type, lebanon.country) == ("GPE", "LBN")


def test_mentions_point_into_the_text(record):
    text = record.article.text
    for ent in record.entities:
        assert ent.mentions == sorted(ent.mentions, key=lambda m: m.start)
        for m in ent.mentions:
            assert text[m.start : m.end] == m.text
