"""Build a store from the bundled example articles and draw docs/trends.png (the README chart).

    python scripts/make_trends_chart.py [--output docs/trends.png] [--by month]

Reads every example with the default model into a temporary SQLite store (the same ingest as
`eventwire ingest`), then draws what `eventwire trends --format png` draws: events per period,
stacked by quad class, with the mean conflict-cooperation intensity. Prints the table it drew.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from eventwire.analyse.chart import write_png
from eventwire.analyse.queries import event_facts
from eventwire.analyse.trends import trends
from eventwire.engine import EngineOptions
from eventwire.examples import example_paths
from eventwire.resolve import resolve_store
from eventwire.store.db import open_store
from eventwire.store.ingest import ingest_paths

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "trends.png")
    parser.add_argument("--by", choices=["day", "week", "month"], default="month")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "examples.db"))
        summary = ingest_paths(store, [str(p) for p in example_paths()], EngineOptions())
        resolve_store(store)
        table = trends(store, by=args.by)
        with store.session() as session:
            facts = event_facts(session)
        undated = sum(1 for fact in facts if not fact["date"])
        table = type(table)(table.columns, table.rows, f"Bundled examples: events by {args.by}")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_png(table, args.output)
        store.close()
    print(
        f"{summary.written} articles stored, {summary.failed} failed; {len(facts)} events that "
        f"happened, {undated} of them undated (left out); wrote {args.output}"
    )
    for row in table.rows:
        print("  ".join(f"{col}={row[col]}" for col in table.columns))


if __name__ == "__main__":
    main()
