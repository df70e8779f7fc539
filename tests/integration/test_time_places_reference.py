"""The reference article read end to end: its time expressions and places."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).parents[2].parent / "shared" / "seeds" / "000_f71b5d3548721a5d.txt"


@pytest.fixture(scope="module")
def doc():
    if not SEED.exists():
        pytest.skip(f"reference article not found at {SEED}")
    from eventwire import nlp as nlp_module
    from eventwire.ingest import RawArticle, prepare

    nlp = nlp_module.load()
    prepared = prepare(RawArticle(origin="seed", text=SEED.read_text(), published="2023-10-25"))
    parsed = nlp.make_doc(prepared.text)
    parsed._.ew_meta = prepared
    return nlp(parsed)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Wednesday", "2023-10-25"),
        ("October 7", "2023-10-07"),
        ("October 8", "2023-10-08"),
        ("late August", "2023-08"),
        ("2014", "2014"),
        ("September", "2023-09"),
        ("April", "2023-04"),
    ],
)
def test_reference_times(doc, text: str, value: str) -> None:
    found = {t.value for t in doc._.ew_times if t.text == text}
    assert value in found, [(t.text, t.value) for t in doc._.ew_times]


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "country"), [("Lebanon", "LBN"), ("Israel", "ISR"), ("Gaza", "PSE"), ("Beirut", "LBN")]
)
def test_reference_places(doc, name: str, country: str) -> None:
    found = {p.country for p in doc._.ew_places if p.name == name}
    assert found == {country}, [(p.name, p.country) for p in doc._.ew_places]
