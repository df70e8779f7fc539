"""Change detection on event series: pure functions, no store, no I/O.

Three signals an analyst watching a region asks for:

* **New relationship** (:func:`new_relationships`): the first time two actors appear together
  in an event of a category (e.g. the first CONSULT between A and B ever recorded).
* **Sustained rise** (:func:`sustained_rises`): counts per period against a baseline of the
  ``window`` periods before. A rise starts where ``run`` to ``max_run`` (default 2 x ``run``)
  consecutive periods each exceed the baseline mean (with at least ``min_count`` events) and
  their total is significantly above the baseline rate: the exact conditional test for two
  Poisson rates (:func:`rate_rise_p`), p < ``alpha`` (default 0.001: a monitor tests every
  period, so at 0.01 a stationary 40-period series alarms about one time in six). It goes on while each next period stays above the baseline and the last
  ``run`` periods stay significant. The baseline is frozen at the periods before the rise, so
  a rise cannot hide itself by raising its own baseline. Rolling z-scores (baseline standard
  deviation floored at 1) are reported beside the p-value for reading.
* **Verbal-to-material shift** (:func:`conflict_shifts`): within a dyad, the share of conflict
  events that are material (protest, sanction, mobilize, coerce, assault) rather than verbal
  (request, accuse, reject, threaten) jumps from below ``low`` over the baseline window to at
  least ``high`` in one period, with at least ``min_material`` material events. It fires once
  on entering the material phase; the phase lasts while conflict stays mostly material (quiet
  periods do not end it), and a return to mostly verbal conflict re-arms the test.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Rise:
    """A sustained rise: periods ``start``..``end`` (indexes) above the frozen baseline."""

    start: int
    end: int
    baseline: float
    counts: tuple[int, ...]
    p_value: float
    z_scores: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Shift:
    """A period where a dyad's conflict turned material: shares before and in the period."""

    index: int
    baseline_share: float
    share: float
    material: int
    verbal: int


def poisson_upper_p(count: int, rate: float) -> float:
    """P(X >= count) for X ~ Poisson(rate), summed in log space (exact for the counts we see)."""
    if count <= 0:
        return 1.0
    if rate <= 0:
        return 0.0
    below = sum(math.exp(k * math.log(rate) - rate - math.lgamma(k + 1)) for k in range(count))
    return max(0.0, min(1.0, 1.0 - below))


def zscore(value: float, baseline: Sequence[float], *, min_std: float = 1.0) -> float:
    """How many baseline standard deviations ``value`` lies above the baseline mean.

    The standard deviation is floored at ``min_std`` because count baselines are often flat
    (all zeros), where any event would otherwise be infinitely surprising.
    """
    if not baseline:
        return 0.0
    mean = statistics.fmean(baseline)
    std = statistics.pstdev(baseline) if len(baseline) > 1 else 0.0
    return (value - mean) / max(std, min_std)


def rolling_zscores(series: Sequence[float], window: int, *, min_std: float = 1.0) -> list[float]:
    """The z-score of each period against the ``window`` periods before it (0 with no history)."""
    return [
        zscore(value, series[max(0, i - window) : i], min_std=min_std)
        for i, value in enumerate(series)
    ]


def binomial_upper_p(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    terms = (
        math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                 + i * math.log(p) + (n - i) * math.log1p(-p))
        for i in range(k, n + 1)
    )  # fmt: skip
    return min(1.0, sum(terms))


def rate_rise_p(run_counts: Sequence[int], baseline: Sequence[int]) -> float:
    """One-sided p-value that the run's event rate exceeds the baseline's.

    The exact conditional test for two Poisson rates: given the total n of events in the run
    and the baseline, the run's share is Binomial(n, len(run) / (len(run) + len(baseline)))
    when the rate is unchanged. Unlike a Poisson test against the baseline mean, it allows for
    the baseline being an estimate, so a short or quiet baseline does not overstate surprise.
    """
    total = sum(run_counts)
    share = len(run_counts) / (len(run_counts) + len(baseline))
    return binomial_upper_p(total, total + sum(baseline), share)


def _above(count: int, baseline: Sequence[int], min_count: int) -> bool:
    return count >= min_count and count > statistics.fmean(baseline)


def _first_run(series: Sequence[int], start: int, baseline: Sequence[int], *, run: int,
               max_run: int, alpha: float, min_count: int) -> int:  # fmt: skip
    """Length of the shortest significant run from ``start`` (``run``..``max_run``), else 0."""
    length = 0
    while length < max_run and start + length < len(series):
        if not _above(series[start + length], baseline, min_count):
            return 0
        length += 1
        if length >= run and rate_rise_p(series[start : start + length], baseline) < alpha:
            return length
    return 0


def _run_end(series: Sequence[int], start: int, baseline: Sequence[int], *, run: int,
             max_run: int, alpha: float, min_count: int) -> tuple[int, int]:  # fmt: skip
    """(one past the last period, length of the detecting run) of a rise from ``start``.

    ``(start, 0)`` when no rise starts there. See the module docstring for the rule.
    """
    length = _first_run(series, start, baseline, run=run, max_run=max_run, alpha=alpha,
                        min_count=min_count)  # fmt: skip
    if not length:
        return start, 0
    end = start + length
    while end < len(series) and _above(series[end], baseline, min_count):
        if rate_rise_p(series[end - run + 1 : end + 1], baseline) >= alpha:
            break
        end += 1
    return end, length


def sustained_rises(
    series: Sequence[int],
    *,
    window: int = 8,
    run: int = 2,
    alpha: float = 0.001,
    min_count: int = 3,
    min_history: int = 3,
    max_run: int | None = None,
) -> list[Rise]:
    """Rises of at least ``run`` periods above the preceding baseline (see module)."""
    rises: list[Rise] = []
    i = max(min_history, 1)
    while i < len(series):
        baseline = series[max(0, i - window) : i]
        end, length = _run_end(series, i, baseline, run=run, max_run=max_run or 2 * run,
                               alpha=alpha, min_count=min_count)  # fmt: skip
        if end > i:
            rises.append(_rise(series, i, end, baseline, length))
            i = end
        else:
            i += 1
    return rises


def _rise(series: Sequence[int], start: int, end: int, baseline: Sequence[int], run: int) -> Rise:
    counts = tuple(series[start:end])
    return Rise(
        start=start,
        end=end - 1,
        baseline=statistics.fmean(baseline),
        counts=counts,
        p_value=rate_rise_p(counts[:run], baseline),
        z_scores=tuple(zscore(c, baseline) for c in counts),
    )


def conflict_shifts(
    verbal: Sequence[int],
    material: Sequence[int],
    *,
    window: int = 4,
    low: float = 0.34,
    high: float = 0.5,
    min_material: int = 1,
) -> list[Shift]:
    """Periods where material conflict overtakes verbal conflict within a dyad (see module)."""
    shifts = []
    shifted = False
    for i in range(1, len(material)):
        conflict = verbal[i] + material[i]
        now = material[i] / conflict if conflict else 0.0
        before = _share(verbal[max(0, i - window) : i], material[max(0, i - window) : i])
        if not shifted and before is not None and before < low and now >= high \
                and material[i] >= min_material:  # fmt: skip
            shifts.append(Shift(i, before, now, material[i], verbal[i]))
        shifted = (shifted or bool(shifts and shifts[-1].index == i)) and (
            conflict == 0 or now >= high
        )
    return shifts


def _share(verbal: Sequence[int], material: Sequence[int]) -> float | None:
    """Material share of the conflict events in a window; None when there were none."""
    total = sum(verbal) + sum(material)
    return sum(material) / total if total else None


def new_relationships(facts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first event of each (actor pair, category), in date order.

    ``facts`` are dicts with ``date`` (ISO, sortable), ``type``, ``sources`` and ``targets``
    (actor names). The pair is unordered: A->B and B->A are one relationship. Each result is
    the fact itself plus ``pair`` (the two names, sorted).
    """
    seen: set[tuple[str, str, str]] = set()
    firsts = []
    for fact in sorted(facts, key=lambda f: (f["date"], f.get("event_id", 0))):
        for pair in pairs(fact):
            key = (pair[0], pair[1], fact["type"])
            if key not in seen:
                seen.add(key)
                firsts.append(fact | {"pair": pair})
    return firsts


def pairs(fact: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (source, target) pair of one event, sorted within the pair, without self-pairs."""
    found = {tuple(sorted((s, t))) for s in fact["sources"] for t in fact["targets"] if s != t}
    return sorted(found)  # type: ignore[arg-type]
