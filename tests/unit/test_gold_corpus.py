"""The committed gold corpus: manifest, split, files that load, and references that still hold."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from eventwire.eval.gold.corpus import check_offsets, gold_dir, load_gold, load_manifest
from eventwire.eval.gold.split import split_of

FOLDER = gold_dir()


def test_manifest_split_is_the_seeded_one() -> None:
    rows = load_manifest(FOLDER)
    assert len(rows) >= 120
    assert all(row["split"] == split_of(row["key"]) for row in rows)
    counts = Counter(row["split"] for row in rows)
    assert counts["test"] >= 40
    assert sum(row["corpus"] == "aeb" for row in rows) >= 30
    assert sum(row["double"] for row in rows) >= 25


def test_every_article_has_one_gold_file_that_loads() -> None:
    keys = {row["key"] for row in load_manifest(FOLDER)}
    files = {p.stem: p for p in (FOLDER / "gold").glob("*.json")}
    assert set(files) == keys
    for key, path in files.items():
        gold = load_gold(path)
        assert gold.key == key and gold.annotator


def test_double_annotated_articles_have_both_readings() -> None:
    doubles = {row["key"] for row in load_manifest(FOLDER) if row["double"]}
    second = {p.stem for p in (FOLDER / "second").glob("*.json")}
    first = {p.stem for p in (FOLDER / "first-pass").glob("*.json")}
    assert doubles == second == first
    for key in doubles:
        one = load_gold(FOLDER / "first-pass" / f"{key}.json")
        two = load_gold(FOLDER / "second" / f"{key}.json")
        assert one.annotator != two.annotator


def test_offsets_still_point_into_the_shared_texts(shared_dir: Path) -> None:
    from eventwire.eval.suites.events_articles import load_cases

    cases = load_cases(shared_dir / "eval", FOLDER)
    assert len(cases) == len(load_manifest(FOLDER))
    for case in cases:
        check_offsets(case.gold, case.source.text)


def _grams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_gold_files_hold_no_article_text(shared_dir: Path) -> None:
    """Offsets, names and codes only: names are short, and no note repeats eight words of the
    article in a row (the only free text in a gold file is the annotator's note)."""
    from eventwire.eval.suites.events_articles import load_cases

    for case in load_cases(shared_dir / "eval", FOLDER):
        raw = json.loads((FOLDER / "gold" / f"{case.gold.key}.json").read_text(encoding="utf-8"))
        assert all(len(e["name"]) < 120 for e in raw["entities"]), case.gold.key
        copied = _grams(raw.get("notes") or "") & _grams(case.source.text)
        assert not copied, (case.gold.key, sorted(copied)[:2])


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_each_split_has_events(split: str) -> None:
    rows = [r for r in load_manifest(FOLDER) if r["split"] == split]
    events = sum(len(load_gold(FOLDER / "gold" / f"{r['key']}.json").events) for r in rows)
    assert events > 50
