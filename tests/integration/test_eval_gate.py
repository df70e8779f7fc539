"""The pinned quality gate: `eventwire eval --quick` figures may not fall below their floors.

Floors live in tests/eval_floors.json. Lowering one is an explicit, reviewed change to that file;
raising them after an improvement keeps the gain from silently eroding.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.eval.runner import discover, floors_check, run_suites

pytestmark = pytest.mark.integration

FLOORS = Path(__file__).resolve().parents[1] / "eval_floors.json"


def load_floors() -> dict[str, float]:
    return json.loads(FLOORS.read_text())["floors"]


def test_floors_file_names_known_suites() -> None:
    floors = load_floors()
    assert floors, "the quality gate pins no figure"
    suites = {key.split(".")[0] for key in floors}
    known = {name.replace("-", "_") for name in discover()}
    assert suites <= known, suites - known


def test_quick_figures_hold_their_floors(shared_dir: Path, nlp) -> None:  # noqa: ANN001
    floors = load_floors()
    suites = [name for name in discover() if name.replace("-", "_") in
              {key.split(".")[0] for key in floors}]
    results = run_suites(suites, data_dir=shared_dir / "eval", quick=True, nlp=nlp)
    missing = [r.suite for r in results if not r.available]
    assert not missing, f"gold data missing for {missing}"
    assert floors_check(results, floors) == []
