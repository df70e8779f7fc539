"""Inter-annotator agreement on the double-annotated articles of the gold corpus.

    python scripts/gold_agreement.py [--first DIR] [--second DIR] [--markdown]

``--first`` and ``--second`` default to ``eval-data/articles/first-pass`` (the first annotation of
each double-annotated article, kept as it was before adjudication) and
``eval-data/articles/second``. Prints event F1 between annotators at strict and lenient matching,
F1 of events placed in the same sentences whatever their type, and type agreement on those.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eventwire.eval.base import default_data_dir
from eventwire.eval.gold.agreement import agreement
from eventwire.eval.gold.corpus import gold_dir, load_gold
from eventwire.eval.gold.sources import load_articles


def main() -> None:
    folder = gold_dir()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=Path, default=folder / "first-pass")
    parser.add_argument("--second", type=Path, default=folder / "second")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    seconds = {p.stem: load_gold(p) for p in sorted(args.second.glob("*.json"))}
    firsts = {k: load_gold(args.first / f"{k}.json") for k in seconds}
    texts = load_articles(default_data_dir(), set(seconds))
    result = agreement([(firsts[k], seconds[k], texts[k].text) for k in sorted(seconds)])
    type_agreement = "-" if result.type_agreement is None else f"{result.type_agreement:.3f}"
    lines = [
        "| figure | value |",
        "|---|---|",
        f"| articles annotated twice | {result.articles} |",
        f"| events, first / second annotator | {result.events_first} / {result.events_second} |",
        f"| event F1, strict (type, source and target) | {result.strict_f1:.3f} |",
        f"| event F1, lenient (type and one actor) | {result.lenient_f1:.3f} |",
        f"| event F1, same sentences whatever the type | {result.located_f1:.3f} |",
        f"| type agreement on events in the same sentences | {type_agreement} |",
    ]
    if not args.markdown:
        lines = [line.replace("|", " ").strip() for line in lines if "---" not in line]
    print("\n".join(lines))
    if args.markdown:
        print(
            "\n| article | events (first) | events (second) | lenient matches |\n|---|---|---|---|"
        )
        for key, first, second, matched in result.per_article:
            print(f"| {key} | {first} | {second} | {matched} |")


if __name__ == "__main__":
    main()
