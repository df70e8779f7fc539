"""What an evaluation suite returns, and where the gold data lives.

A suite is a module in :mod:`eventwire.eval.suites` with a module-level ``SUITE = Suite(...)``.
Its ``run(data_dir, quick=..., nlp=...)`` scores eventwire against a gold set under
``data_dir`` (``../shared/eval`` by default) and always computes a baseline in the same run
(bare spaCy NER, dateparser, plain trafilatura, ...). ``quick`` scores a fixed, seeded sample that
runs in seconds: those figures are the pinned quality gate (``tests/eval_floors.json``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language


@dataclass(frozen=True, slots=True)
class Metric:
    """One line of the results table: eventwire's figure beside the same-run baseline's."""

    name: str  # e.g. "triple recall (held-out 30%)"
    value: float | None  # eventwire's figure (None: could not be computed)
    baseline: float | None = None  # the baseline's figure in the same run
    target: float | None = None  # the target, when one is set
    reference: str | None = None  # a published figure for context, e.g. "HeidelTime 77.6"
    higher_is_better: bool = True
    key: str | None = None  # stable id for the floors file, e.g. "plover.triple_recall_test"

    def met(self) -> bool | None:
        """Whether the target is met (None when there is no target or no value)."""
        if self.target is None or self.value is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass(slots=True)
class SuiteResult:
    suite: str
    metrics: list[Metric] = field(default_factory=list)
    baseline_name: str | None = None  # what the baseline is, e.g. "bare spaCy NER"
    notes: list[str] = field(default_factory=list)  # e.g. sample sizes, skipped items
    available: bool = True  # False when the data (or the feature) is missing
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)  # per-category tables etc.


@dataclass(frozen=True, slots=True)
class Suite:
    name: str  # CLI name, e.g. "events-plover"
    description: str
    data: str  # folder under data_dir, e.g. "zsp-plv"
    run: Callable[..., SuiteResult]  # run(data_dir: Path, *, quick: bool, nlp: Language) -> ...


def unavailable(suite: str, why: str) -> SuiteResult:
    """The result of a suite that cannot run here (data absent, feature not built yet)."""
    return SuiteResult(suite=suite, available=False, notes=[why])


def default_data_dir() -> Path:
    """``../shared/eval`` beside the repository checkout (or ``EVENTWIRE_EVAL_DATA``)."""
    import os

    env = os.environ.get("EVENTWIRE_EVAL_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3].parent / "shared" / "eval"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


__all__ = ["Language", "Metric", "Suite", "SuiteResult", "default_data_dir", "prf", "unavailable"]
