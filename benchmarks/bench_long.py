"""Long-input benchmark: time and memory of one article as it grows, against a 10,000-character one.

Not a timed test: a script that prints figures, each beside a baseline measured in the same run.

    python benchmarks/bench_long.py                          # 10k (baseline), 100k, 990k chars
    python benchmarks/bench_long.py --sizes 10000,50000,200000
    python benchmarks/bench_long.py --html       # the same texts as web pages (<p> paragraphs)

Each size is read in a fresh process (so each peak RSS is its own): the pipeline is loaded and
warmed on a short article, then one generated article of that many characters is read with
``eventwire.reader.read``; the process reports the CPU seconds of that read (user + system,
which other processes on a shared machine barely move) and its peak RSS. Printed per size: CPU
seconds, CPU per 10,000 characters and its ratio to the 10,000-character article's, peak RSS.
Targets (issue 18): peak RSS <= 1.5 GB for any input within the limits; per-character time on
a 1M-character input within 1.5x that on 10k.

The articles are generated from a few hand-written sentence templates (names, places and numbers
drawn from a seeded generator), in paragraphs of two to four sentences: news-like text with
people, organisations, places, quotes and events, and no publisher's text.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE_CHARS = 10_000
PEOPLE = ["Omar Haddad", "Lena Park", "Ivan Petrov", "Ana Silva", "Tomas Berg", "Mei Lin",
          "Kofi Mensah", "Sara Novak"]  # fmt: skip
TITLES = ["Foreign Minister", "President", "General", "spokeswoman", "Interior Minister", "mayor"]
PLACES = ["Cairo", "Aleppo", "Kyiv", "Lagos", "Quito", "Hanoi", "Lima", "Dakar", "Nairobi", "Tunis"]
ORGS = ["the United Nations", "NATO", "the World Health Organization", "the European Union",
        "the African Union"]  # fmt: skip
TEMPLATES = [
    "{title} {person} met {person2} in {place} on Tuesday to discuss the ceasefire.",
    "Police arrested {n} protesters in {place} after clashes near the parliament, {person} said.",
    "{org} pledged {n} million dollars in aid to families displaced by the floods around {place}.",
    '"We will not accept these demands," {person} told reporters in {place} on Friday.',
    "Troops shelled villages outside {place}, killing at least {n} civilians, according to {org}.",
    "{person} accused {org} of ignoring the crisis and called for new talks next month.",
    "Workers in {place} went on strike on Monday over unpaid wages, union leader {person} said.",
    "The government of {place} signed an agreement with {org} to rebuild schools.",
]


def article(chars: int, seed: int = 7) -> str:
    """A generated news-like text of at most ``chars`` characters, in whole paragraphs."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < chars:
        sentences = [
            rng.choice(TEMPLATES).format(
                title=rng.choice(TITLES),
                person=rng.choice(PEOPLE),
                person2=rng.choice(PEOPLE),
                place=rng.choice(PLACES),
                org=rng.choice(ORGS),
                n=rng.randint(2, 90),
            )  # fmt: skip
            for _ in range(rng.randint(2, 4))
        ]
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1]) + 2
    text = "\n\n".join(paragraphs)
    return text if len(text) <= chars else text[:chars].rsplit("\n\n", 1)[0]


CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from bench_long import article
from eventwire import nlp as nlp_module
from eventwire.reader import read
from eventwire.engine import WARM_TEXT
nlp = nlp_module.load()
read(WARM_TEXT, nlp=nlp)
text = article(int(sys.argv[1]))
if sys.argv[3] == "html":
    body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
    text = f"<html><head><title>Report</title></head><body><article>{body}</article></body></html>"
start = time.process_time()
record = read(text, nlp=nlp, published="2024-05-01")
cpu = time.process_time() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"chars": len(record.article.text) or len(text), "cpu": cpu, "peak": peak, "events": len(record.events),
                  "entities": len(record.entities), "error": record.error}))
"""


def measure(chars: int, form: str = "text") -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path[1:]])}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(chars), str(Path(__file__).parent), form],
        env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,990000", help="characters, comma-separated")
    parser.add_argument("--html", action="store_true", help="read each text as an HTML page")
    args = parser.parse_args()
    form = "html" if args.html else "text"
    sizes = [BASELINE_CHARS, *(int(s) for s in args.sizes.split(",") if s)]
    base: dict[str, float] | None = None
    for size in sizes:
        row = measure(size, form)
        base = base or row
        per = row["cpu"] / row["chars"] * 10_000
        ratio = per / (base["cpu"] / base["chars"] * 10_000)
        peak_gb = row["peak"] / 1e9
        print(f"[long] {row['chars']:>9,} chars: {row['cpu']:7.2f} s CPU | {per:.3f} s per 10k chars"
              f" | x{ratio:.2f} the 10k article's (target <= 1.5) | peak RSS {peak_gb:.2f} GB"
              f" (target <= 1.5) | {row['events']} events, {row['entities']} entities"
              + (f" | error: {row['error']}" if row["error"] else ""), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
