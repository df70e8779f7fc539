"""PNG charts of trend tables (matplotlib, an optional dependency: ``pip install eventwire[monitor]``).

A chart shows event counts per period as bars stacked by quad class (verbal/material
cooperation/conflict) and the mean conflict-cooperation intensity as a line on a second axis.
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path
from typing import Any

from eventwire.analyse.scale import QUADS
from eventwire.analyse.trends import TrendTable, period_dates
from eventwire.errors import EventwireError

QUAD_COLOURS = {
    "verbal_cooperation": "#9ecae1",
    "material_cooperation": "#3182bd",
    "verbal_conflict": "#fdae6b",
    "material_conflict": "#d62728",
}


class MissingDependency(EventwireError):
    """An optional dependency a feature needs is not installed."""

    exit_code = 2


def have_matplotlib() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def write_png(table: TrendTable, path: Path) -> Path:
    """Draw ``table`` into a PNG at ``path``; raises MissingDependency without matplotlib."""
    if not have_matplotlib():
        raise MissingDependency(
            "PNG charts need matplotlib: pip install 'eventwire[monitor]' (or pip install matplotlib)"
        )
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, bars = plt.subplots(figsize=(10, 4.8), dpi=110)
    _draw(bars, table)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _stacks(table: TrendTable) -> list[str]:
    """Bar layers: the four quad classes (16 category colours would not be readable)."""
    return list(QUADS)


def _draw(bars: Any, table: TrendTable) -> None:
    dates = period_dates(table.rows)
    width = _bar_width(dates)
    bottom = [0] * len(dates)
    for layer in _stacks(table):
        values = [row[layer] for row in table.rows]
        colour = QUAD_COLOURS.get(layer)
        bars.bar(dates, values, width=width, bottom=bottom, label=layer, color=colour, align="edge")
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    bars.set_ylabel("events")
    bars.set_title(table.title)
    _axis_format(bars)
    line = bars.twinx()
    means = [row["mean_intensity"] for row in table.rows]
    centres = [d + timedelta(days=width / 2) for d in dates]
    line.plot(centres, [m if m is not None else float("nan") for m in means], color="black",
              marker="o", label="mean intensity")  # fmt: skip
    line.axhline(0, color="grey", linewidth=0.6)
    line.set_ylim(-10.5, 10.5)
    line.set_ylabel("intensity (-10 conflict .. +10 cooperation)")
    bars.legend(loc="upper left", fontsize="small", ncol=2)
    line.legend(loc="upper right", fontsize="small")


def _axis_format(axes: Any) -> None:
    """Concise date labels and whole-number event counts."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.ticker import MaxNLocator

    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def _bar_width(dates: list[Any]) -> float:
    if len(dates) < 2:
        return 0.8
    return 0.8 * min((b - a).days for a, b in zip(dates, dates[1:], strict=False))
