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


def test_quick_figures_hold_their_floors(shared_dir: Path, nlp) -> None:  # noqa: ANN001
    floors = load_floors()
    assert floors, "the quality gate pins no figure"
    results = run_suites(list(discover()), data_dir=shared_dir / "eval", quick=True, nlp=nlp)
    missing = [r.suite for r in results if not r.available]
    assert not missing, f"gold data missing for {missing}"
    keys = {m.key for r in results for m in r.metrics if m.key}
    assert set(floors) <= keys, f"floors for metrics no suite reports: {set(floors) - keys}"
    assert floors_check(results, floors) == []
