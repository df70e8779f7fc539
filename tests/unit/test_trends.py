"""Trends over a small hand-built store: category counts, dyad series, intensity scale, PNG."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.analyse import trends as T
from eventwire.analyse.scale import QUADS, load_scale
from eventwire.errors import DataError
from eventwire.ingest import article_id
from eventwire.record import (
    EVENT_TYPES,
    Article,
    ArticleRecord,
    Entity,
    Event,
    EventActors,
    EventDate,
    Location,
    TextSpan,
)
from eventwire.store.db import open_store
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

DATA = Path(__file__).resolve().parents[2] / "src" / "eventwire" / "data"

# (date, category, source, target, modality)
EVENTS = [
    ("2024-03-04", "THREATEN", "Northland", "Southland", "asserted"),
    ("2024-03-05", "ACCUSE", "Southland", "Northland", "reported"),
    ("2024-03-12", "ASSAULT", "Northland", "Southland", "asserted"),
    ("2024-03-13", "ASSAULT", "Northland", "Southland", "asserted"),
    ("2024-03-14", "ASSAULT", "Southland", "Northland", "hypothetical"),
    ("2024-03-26", "CONSULT", "Northland", "Eastland", "asserted"),
]


def record(i: int, day: str, kind: str, source: str, target: str, modality: str) -> ArticleRecord:
    text = f"Report {i}: {source} and {target} were involved in a {kind.lower()} on {day}."
    ents = [Entity("e1", source, "GPE", [source], [TextSpan(0, 1, "R")]),
            Entity("e2", target, "GPE", [target], [TextSpan(0, 1, "R")])]  # fmt: skip
    event = Event(
        id="v1", type=kind, trigger=TextSpan(0, 6, "Report"), evidence=TextSpan(0, len(text), text),
        actors=EventActors(["e1"], ["e2"]), date=EventDate(day, "day", day, "explicit"),
        location=Location("Border", None, "NLD" if i % 2 else "SLD", None, None),
        modality=modality, confidence=0.9,
    )  # fmt: skip
    article = Article(id=article_id(text), text=text, title=f"Report {i}", url=f"http://n/{i}",
                      source="Wire", published="2024-03-27", published_basis="given")  # fmt: skip
    return ArticleRecord(article=article, entities=ents, events=[event])


def build_store(path: Path, events: list[tuple[str, ...]] = EVENTS) -> str:
    store = open_store(str(path))
    results = [Result(f"k{i}", f"o{i}", record(i, *ev)) for i, ev in enumerate(events)]
    with store.session() as session, session.begin():
        write_batch(session, results, Stamp("t", "blank", {}), fts=store.has_fts)
    store.close()
    return str(path)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return build_store(tmp_path / "t.db")


def test_scale_covers_every_category_with_a_quad() -> None:
    scale = load_scale()
    assert set(scale.weights) == set(EVENT_TYPES)
    assert scale.weight("ASSAULT") < scale.weight("THREATEN") < 0 < scale.weight("AID")
    assert Counter(scale.quads.values()).keys() == set(QUADS)


def test_scale_weights_follow_the_documented_derivation() -> None:
    """Each weight is the mean Goldstein root value of the CAMEO codes mapped to it."""
    import yaml

    data = yaml.safe_load((DATA / "plover_weights.yaml").read_text())
    roots = data["cameo_root_goldstein"]
    mapped: dict[str, list[float]] = {}
    for name in ("cameo_plover.tsv", "cameo_supplement.tsv"):
        for row in csv.reader((DATA / "plover" / name).open(), delimiter="\t"):
            if row and not row[0].startswith("#") and row[0] != "cameo":
                mapped.setdefault(row[1], []).append(roots[row[0][:2]])
    for category, entry in data["categories"].items():
        assert entry["weight"] == round(sum(mapped[category]) / len(mapped[category]), 1)


def test_a_malformed_scale_names_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "w.yaml"
    bad.write_text("version: 1\ncategories:\n  ASSAULT: {weight: -20, quad: material_conflict}\n")
    with pytest.raises(DataError, match="outside"):
        load_scale(bad)
    bad.write_text("version: 1\ncategories:\n  ATTACK: {weight: -2, quad: material_conflict}\n")
    with pytest.raises(DataError, match="not a PLOVER category"):
        load_scale(bad)


def test_dyad_series_by_week(db: str) -> None:
    rows = T.dyad_series(db, "northland", "Southland", by="week")
    assert [r["period"] for r in rows] == ["2024-03-04", "2024-03-11"]
    first, second = rows
    assert (first["events"], first["a_to_b"], first["b_to_a"]) == (2, 1, 1)
    assert first["verbal_conflict"] == 2 and first["material_conflict"] == 0
    assert first["intensity"] == pytest.approx(-6.0 - 2.0)
    # the hypothetical assault does not count
    assert second["categories"] == {"ASSAULT": 2} and len(second["event_ids"]) == 2
    assert second["mean_intensity"] == pytest.approx(-9.2)


def test_dyad_series_fills_empty_periods(db: str) -> None:
    rows = T.dyad_series(db, "Northland", "Southland", by="day")
    assert len(rows) == 10  # 4 March .. 13 March
    assert rows[2]["events"] == 0 and rows[2]["mean_intensity"] is None


def test_category_trends_for_an_actor(db: str) -> None:
    table = T.trends(db, actor="Northland", by="month")
    [row] = table.rows
    assert row["events"] == 5 and row["ASSAULT"] == 2 and row["CONSULT"] == 1
    assert table.columns[:2] == ["period", "events"] and "AID" not in table.columns


def test_trends_by_country(db: str) -> None:
    table = T.trends(db, country="sld", by="month")
    assert table.rows[0]["events"] == 2  # reports 0, 2 (4 is hypothetical) are in SLD


def test_trends_cli_csv_and_png(db: str, tmp_path: Path) -> None:
    from eventwire.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["trends", "--db", db, "--dyad", "Northland", "Southland",
                               "--by", "week", "--format", "csv"])  # fmt: skip
    assert out.exit_code == 0, out.output
    lines = list(csv.DictReader(out.output.splitlines()))
    assert [r["events"] for r in lines] == ["2", "2"]
    pytest.importorskip("matplotlib")
    png = tmp_path / "c.png"
    out = runner.invoke(main, ["trends", "--db", db, "--format", "png", "--output", str(png)])
    assert out.exit_code == 0, out.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_trends_png_without_matplotlib_says_so(db: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from eventwire.analyse import chart
    from eventwire.cli import main

    monkeypatch.setattr(chart, "have_matplotlib", lambda: False)
    out = CliRunner().invoke(main, ["trends", "--db", db, "--format", "png",
                                    "--output", str(tmp_path / "x.png")])  # fmt: skip
    assert out.exit_code == 2
    assert "matplotlib" in out.output
