"""Draw the gold corpus's sample and write ``eval-data/articles/sample.json``.

    python scripts/gold_sample.py [--data ../shared/eval] [--texts DIR]

The sample is seeded and weighted (see :mod:`eventwire.eval.gold.sample`); the manifest lists
each article's key, corpus, split, size, the SHA-256 of its reference text (so that a changed
data set is noticed instead of silently shifting offsets) and whether it is double-annotated.
``--texts DIR`` also writes each reference text to ``DIR/<key>.txt`` for the annotators; keep
that folder outside the repository (the texts belong to their publishers).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

from eventwire.eval.base import default_data_dir
from eventwire.eval.gold.sample import SEED, draw
from eventwire.eval.gold.split import split_of

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "eval-data" / "articles" / "sample.json"
DOUBLE = 26  # articles annotated a second time, independently
DOUBLE_SEED = 7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--texts", type=Path, default=None)
    args = parser.parse_args()
    articles = draw(args.data)
    double = set(random.Random(DOUBLE_SEED).sample(sorted(a.key for a in articles), DOUBLE))
    rows = []
    for article in articles:
        rows.append(
            {
                "key": article.key,
                "corpus": article.corpus,
                "split": split_of(article.key),
                "words": article.words,
                "input": article.input_kind,
                "text_sha256": hashlib.sha256(article.text.encode("utf-8")).hexdigest(),
                "double": article.key in double,
            }
        )
        if args.texts:
            args.texts.mkdir(parents=True, exist_ok=True)
            head = f"# key: {article.key}\n# corpus date: {article.published}\n"
            (args.texts / f"{article.key}.txt").write_text(article.text, encoding="utf-8")
            (args.texts / f"{article.key}.meta").write_text(head, encoding="utf-8")
    MANIFEST.write_text(json.dumps({"seed": SEED, "articles": rows}, indent=1) + "\n")
    print(f"{len(rows)} articles -> {MANIFEST}")


if __name__ == "__main__":
    main()
