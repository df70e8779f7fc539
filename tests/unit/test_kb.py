import pytest

from eventwire.errors import DataError
from eventwire.extract.kb import load_kb


def test_shipped_kb_has_all_countries_and_organisations():
    kb = load_kb()
    assert kb.count("country") >= 249
    assert kb.count(exclude="country") > 500
    assert kb.version


@pytest.mark.parametrize(
    ("name", "kb_id", "etype", "country"),
    [
        ("Lebanon", "country:LBN", "GPE", "LBN"),
        ("Lebanese", "country:LBN", "NORP", "LBN"),
        ("Israelis", "country:ISR", "NORP", "ISR"),
        ("U.S.", "country:USA", "GPE", "USA"),
        ("American", "country:USA", "NORP", "USA"),
        ("Beirut", "capital:LBN", "GPE", "LBN"),
        ("Hezbollah", "org:hezbollah", "ORG", "LBN"),
        ("HAMAS", "org:hamas", "ORG", "PSE"),
        ("Islamic Jihad", "org:pij", "ORG", "PSE"),
        ("Reuters", "med:reuters", "ORG", "GBR"),
        ("NATO", "org:nato", "ORG", None),
    ],
)
def test_lookup(name, kb_id, etype, country):
    hit = load_kb().lookup(name)
    assert hit is not None
    assert (hit.actor.kb_id, hit.type, hit.actor.country) == (kb_id, etype, country)


def test_acronyms_are_case_sensitive():
    kb = load_kb()
    assert kb.lookup("WHO").actor.kb_id == "org:who"
    assert kb.lookup("who") is None
    assert kb.lookup("hamas") is None  # lower-case running text is not a name


def test_user_yaml_wins_over_shipped(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "version: 1\nactors:\n"
        "  - {id: my:hamas, name: Hamas Movement, type: ORG, kind: party, country: PSE,"
        " aliases: [Hamas]}\n"
        "  - {name: Zorblax Front, kind: armed_group, sector: REB, country: FRA}\n"
    )
    kb = load_kb([path])
    assert kb.lookup("Hamas").actor.kb_id == "my:hamas"
    hit = kb.lookup("Zorblax Front")
    assert (hit.actor.kb_id, hit.type, hit.actor.sector) == ("user:zorblax-front", "ORG", "REB")
    assert load_kb().lookup("Zorblax Front") is None


def test_user_csv(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "# version: 3\nkb_id,name,type,kind,aliases,country,sector\n"
        "x:q,Quuxian Guard,ORG,military,QG|Quux Guard,DEU,MIL\n"
    )
    hit = load_kb([path]).lookup("Quux Guard")
    assert (hit.actor.kb_id, hit.actor.country, hit.actor.sector) == ("x:q", "DEU", "MIL")


def test_petrarch_actor_dictionary(tmp_path):
    path = tmp_path / "actors.txt"
    path.write_text(
        "<!-- a comment\n spanning lines -->\n"
        "GONDOR [GON]\n+MINAS_TIRITH\n\n"
        "HAMAS_MILITARY_COMMAND [PSEHMSGOV] # note\n"
        "GOLLUM  # pas\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBREB > 990816]\n"
        "UNITED_NATIONS  [UNO]\n+U.N.\n"
    )
    kb = load_kb([path])
    assert kb.lookup("Minas Tirith").actor.kb_id == "user:gondor"
    assert kb.lookup("Gondor").actor.country == "GON"
    command = kb.lookup("Hamas Military Command").actor
    assert (command.country, command.sector, command.type) == ("PSE", "GOV", "ORG")
    assert kb.lookup("Smeagol").actor.name == "Gollum"
    assert kb.lookup("U.N.").actor.kb_id == "user:united-nations"


def test_missing_user_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError):
        load_kb([tmp_path / "absent.yaml"])
