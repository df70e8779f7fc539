"""Gazetteer and place resolution (no trained model; the gazetteer tables ship with the package)."""

from __future__ import annotations

import spacy
import yaml

from eventwire import gazetteer
from eventwire.extract import ensure_extensions
from eventwire.extract.places import (
    PlacesStage,
    extra_toponyms,
    places_in,
    resolve_names,
    toponym_text,
)
from eventwire.ingest import PreparedArticle

ensure_extensions()


def test_gazetteer_knows_countries_cities_states_and_regions() -> None:
    gaz = gazetteer.load()
    assert gaz.countries["LBN"].lat is not None
    beirut = gaz.lookup("Beirut")
    assert [(e.kind, e.country) for e in beirut] == [("city", "LBN")]
    assert {e.kind for e in gaz.lookup("Texas")} == {"admin1"}
    assert gaz.lookup("Ky.")[0].admin1 == "KY"
    assert gaz.lookup("U.S.")[0].country == "USA"
    assert gaz.lookup("the Gaza Strip")[0].country == "PSE"


def test_regions_file_is_versioned_and_every_region_is_indexed() -> None:
    text = (gazetteer.resources.files("eventwire") / "data/gazetteer/regions.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["version"] >= 1
    gaz = gazetteer.load()
    for item in data["regions"]:
        assert any(e.kind == "region" for e in gaz.lookup(item["name"])), item["name"]
        assert -90 <= item["lat"] <= 90 and -180 <= item["lon"] <= 180


def test_context_countries_disambiguate() -> None:
    gaz = gazetteer.load()
    alone = resolve_names(gaz, ["Paris"])[0]
    in_texas = resolve_names(gaz, ["Paris"], context_text=["Paris", "Texas"])[0]
    assert alone.country == "FRA"
    assert (in_texas.country, in_texas.admin1) == ("USA", "TX")


def test_countries_beat_towns_of_the_same_name() -> None:
    gaz = gazetteer.load()
    assert resolve_names(gaz, ["Lebanon"])[0].kind == "country"


def test_demonyms_are_not_places() -> None:
    gaz = gazetteer.load()
    assert gaz.is_demonym("Lebanese")
    assert not gaz.is_demonym("Lebanon")
    assert gaz.demonym_country("Israeli").country == "ISR"


def test_possessive_and_article_are_cut() -> None:
    assert toponym_text("Beirut's southern suburbs") == (0, "Beirut")
    assert toponym_text("the Gaza Strip") == (4, "Gaza Strip")


def _doc(text: str, ents: list[tuple[str, str]]) -> spacy.tokens.Doc:
    doc = spacy.blank("en")(text)
    spans = [doc.char_span(text.index(t), text.index(t) + len(t), label=lab) for t, lab in ents]
    doc.ents = spans
    doc._.ew_meta = PreparedArticle(origin="t", id="x", text=text, published="2023-10-25")
    doc._.ew_token_entity = [None] * len(doc)
    return doc


def test_stage_geocodes_entities_and_skips_demonyms() -> None:
    text = "Lebanese fighters fired at Israel from Beirut's southern suburbs and Zzyzxqt."
    doc = _doc(
        text,
        [("Lebanese", "GPE"), ("Israel", "GPE"), ("Beirut's southern suburbs", "LOC"),
         ("Zzyzxqt", "GPE")],
    )  # fmt: skip
    places = PlacesStage()(doc)._.ew_places
    assert [(p.name, p.country, p.kind) for p in places] == [
        ("Israel", "ISR", "country"),
        ("Beirut", "LBN", "city"),
        ("Zzyzxqt", None, "unknown"),
    ]
    assert places[2].lat is None and places[2].lon is None
    assert places_in(doc, text.index("Beirut"), len(text))[0].name == "Beirut"


def test_stage_finds_regions_the_model_missed() -> None:
    doc = _doc("Shells hit the Shebaa Farms area.", [])
    places = PlacesStage()(doc)._.ew_places
    assert [(p.name, p.country, p.kind) for p in places] == [("Shebaa Farms", "LBN", "region")]


def test_divisions_of_other_countries_and_their_press_abbreviations() -> None:
    gaz = gazetteer.load()
    ontario = resolve_names(gaz, ["Ontario"])[0]
    assert (ontario.kind, ontario.country) == ("admin1", "CAN")
    assert resolve_names(gaz, ["Queensland"])[0].country == "AUS"
    assert gaz.lookup("B.C.")[0].name == "British Columbia"
    assert resolve_names(gaz, ["Scotland"])[0].country == "GBR"


def test_a_province_named_after_its_capital_means_the_city() -> None:
    gaz = gazetteer.load()
    kinds = [e.kind for e in gaz.lookup("Kabul")]
    assert "city" in kinds and "admin1" not in kinds


def test_counties_continents_and_small_towns() -> None:
    gaz = gazetteer.load()
    county = gaz.lookup("Metcalfe County")[0]
    assert (county.kind, county.country, county.admin1) == ("admin2", "USA", "KY")
    europe = resolve_names(gaz, ["Europe"])[0]
    assert (europe.kind, round(europe.lat), round(europe.lon)) == ("region", 49, 9)
    assert any(e.population < 15000 and e.admin1 == "KY" for e in gaz.lookup("Edmonton"))


def test_nearby_places_pick_the_local_namesake() -> None:
    gaz = gazetteer.load()
    alone = resolve_names(gaz, ["Edmonton"])[0]
    near = resolve_names(gaz, ["Edmonton"], context_text=["Edmonton", "Metcalfe County"])[0]
    assert alone.country == "CAN"
    assert (near.country, near.admin1) == ("USA", "KY")


def test_shared_demonyms_name_the_largest_country() -> None:
    assert gazetteer.load().demonym_country("American").country == "USA"


def test_abbreviations_and_generic_divisions_are_not_added_where_the_model_missed_them() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Man arrested in Central district. Officials in Ontario and Syria spoke.")
    names = [name for _, name in extra_toponyms(doc, gazetteer.load(), [])]
    assert names == ["Ontario", "Syria"]


def test_a_name_is_not_its_own_context_and_neighbours_count() -> None:
    gaz = gazetteer.load()
    gaza = resolve_names(gaz, ["Gaza"], context_text=["Gaza", "Israel", "Lebanon"])[0]
    assert gaza.country == "PSE"
