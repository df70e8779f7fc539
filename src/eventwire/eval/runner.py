"""Run evaluation suites and render their results (table, JSON, Markdown for the README)."""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from spacy.language import Language

from eventwire.eval import suites as suites_pkg
from eventwire.eval.base import Metric, Suite, SuiteResult, unavailable

#: The order suites are listed and run in (others, if any, follow alphabetically).
SUITE_ORDER = ("events-plover", "events-petrarch", "ner", "time", "html", "places", "corpus-events")


def discover() -> dict[str, Suite]:
    """Every suite module in :mod:`eventwire.eval.suites`, by CLI name."""
    found: dict[str, Suite] = {}
    for info in pkgutil.iter_modules(suites_pkg.__path__):
        module = importlib.import_module(f"{suites_pkg.__name__}.{info.name}")
        suite = getattr(module, "SUITE", None)
        if isinstance(suite, Suite):
            found[suite.name] = suite
    ordered = [n for n in SUITE_ORDER if n in found] + sorted(set(found) - set(SUITE_ORDER))
    return {name: found[name] for name in ordered}


def run_suites(
    names: Iterable[str], *, data_dir: Path, quick: bool, nlp: Language, progress: Any = None
) -> list[SuiteResult]:
    """Run the named suites in order; a suite whose data folder is absent says so."""
    known = discover()
    results = []
    for name in names:
        suite = known[name]
        if not (data_dir / suite.data).exists():
            results.append(unavailable(name, f"data not found: {data_dir / suite.data}"))
            continue
        if progress:
            progress(name)
        started = time.perf_counter()
        result = suite.run(data_dir, quick=quick, nlp=nlp)
        result.seconds = time.perf_counter() - started
        results.append(result)
    return results


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if abs(value) <= 1.5 else f"{value:,.1f}"


def _met(metric: Metric) -> str:
    return {True: "yes", False: "NO", None: ""}[metric.met()]


def table_rows(results: list[SuiteResult]) -> list[list[str]]:
    """One row per metric: suite, metric, eventwire, baseline, target, met, reference."""
    rows = []
    for result in results:
        if not result.available:
            rows.append(
                [result.suite, "not available: " + "; ".join(result.notes), "", "", "", "", ""]
            )
            continue
        for m in result.metrics:
            target = "" if m.target is None else ("<= " if not m.higher_is_better else ">= ")
            target += "" if m.target is None else _fmt(m.target)
            rows.append(
                [
                    result.suite,
                    m.name,
                    _fmt(m.value),
                    _fmt(m.baseline),
                    target,
                    _met(m),
                    m.reference or "",
                ]
            )
    return rows


HEADERS = ["suite", "metric", "eventwire", "baseline", "target", "met", "reference"]


def to_markdown(results: list[SuiteResult], *, model: str, quick: bool) -> str:
    lines = [
        f"Run on {date.today().isoformat()} with model `{model}`"
        f"{' (--quick sample)' if quick else ''}; baselines are computed in the same run.",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "---|" * len(HEADERS),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    lines += [
        "",
        "Baselines: "
        + "; ".join(f"{r.suite}: {r.baseline_name}" for r in results if r.baseline_name),
    ]
    notes = [f"- {r.suite}: {n}" for r in results if r.available for n in r.notes]
    return "\n".join(lines + ([""] + notes if notes else []))


def to_json(results: list[SuiteResult], *, model: str, quick: bool) -> dict[str, Any]:
    return {
        "date": date.today().isoformat(),
        "model": model,
        "quick": quick,
        "suites": [asdict(r) for r in results],
    }


def floors_check(results: list[SuiteResult], floors: dict[str, float]) -> list[str]:
    """Every pinned floor that a keyed metric now falls below (an empty list means pass).

    For a metric where lower is better (``higher_is_better=False``) the pinned value is a
    ceiling: the figure may not rise above it.
    """
    metrics = {m.key: m for r in results for m in r.metrics if m.key}
    failures = []
    for key, floor in floors.items():
        metric = metrics.get(key)
        value = metric.value if metric else None
        if metric is None or value is None:
            failures.append(f"{key}: no value (floor {floor})")
        elif metric.higher_is_better and value + 1e-9 < floor:
            failures.append(f"{key}: {value:.4f} < floor {floor:.4f}")
        elif not metric.higher_is_better and value - 1e-9 > floor:
            failures.append(f"{key}: {value:.4f} > ceiling {floor:.4f}")
    return failures
