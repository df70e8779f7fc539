"""Suite ``html``: main-text extraction on the Zyte article-extraction benchmark.

Scores eventwire's ingest (trafilatura extraction with eventwire's options, then boilerplate
cleaning) against the benchmark's ground-truth article bodies, beside plain ``trafilatura.extract``
with default options in the same run. The metric follows the benchmark's own definition so the
figures compare with its published table: ``\\w+`` tokens, 4-gram shingles counted as a multiset,
per-page TP/FP/FN normalised to sum to one, then precision and recall averaged over pages and
F1 taken from the two averages.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from eventwire.eval.base import Language, Metric, Suite, SuiteResult, unavailable

DATA = "article-extraction-benchmark"
QUICK_SAMPLE = 20
QUICK_SEED = 13
SHINGLE = 4
_TOKEN = re.compile(r"\w+")

Counts = tuple[float, float, float]


def shingles(text: str, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text shorter than n gives one short shingle."""
    tokens = _TOKEN.findall(text or "")
    grams = [tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))]
    return Counter(g for g in grams if g)


def match_counts(true: str, pred: str) -> Counts:
    """TP/FP/FN over shingles, normalised to sum to one so long pages do not weigh more."""
    gold, got = shingles(true), shingles(pred)
    tp = sum((gold & got).values())
    fp = sum((got - gold).values())
    fn = sum((gold - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def macro_prf(counts: Iterable[Counts]) -> tuple[float, float, float]:
    """Precision and recall averaged over pages (pages with nothing to score are skipped)."""
    items = list(counts)
    precisions = [_precision(*c) for c in items if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in items if c[0] + c[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_pages(folder: Path, *, quick: bool) -> list[tuple[str, str, str]]:
    """(page id, HTML, gold body) for every page, or the fixed seeded quick sample."""
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(gold)
    if quick:
        keys = sorted(random.Random(QUICK_SEED).sample(keys, min(QUICK_SAMPLE, len(keys))))
    pages = []
    for key in keys:
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, raw.decode("utf-8", errors="replace"), gold[key]["articleBody"]))
    return pages


def eventwire_body(html: str) -> str:
    """What eventwire's ingest keeps of a page: extraction, then cleaning."""
    from eventwire.errors import InputError
    from eventwire.ingest.clean import clean_text
    from eventwire.ingest.html import extract_html

    try:
        content = extract_html(html, origin="<benchmark page>")
    except InputError:
        return ""
    return clean_text(content.text)[0]


def baseline_body(html: str) -> str:
    """Plain trafilatura with its default options, the published baseline."""
    import trafilatura

    return trafilatura.extract(html) or ""


def score(pages: list[tuple[str, str, str]], system: Callable[[str], str]) -> list[Counts]:
    return [match_counts(gold, system(html)) for _, html, gold in pages]


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    """Score eventwire's ingest and plain trafilatura on the same pages."""
    folder = Path(data_dir) / DATA
    if not (folder / "ground-truth.json").is_file():
        return unavailable("html", f"benchmark data not found under {folder}")
    started = time.perf_counter()
    pages = load_pages(folder, quick=quick)
    ours, base = score(pages, eventwire_body), score(pages, baseline_body)
    (p, r, f), (bp, br, bf) = macro_prf(ours), macro_prf(base)
    metrics = [
        Metric(
            "shingle F1",
            f,
            bf,
            target=0.965,
            reference="trafilatura 2.0.0 0.958 (published)",
            key="html.f1_quick" if quick else "html.f1",
        ),
        Metric(
            "shingle precision", p, bp, key="html.precision_quick" if quick else "html.precision"
        ),
        Metric("shingle recall", r, br, key="html.recall_quick" if quick else "html.recall"),
    ]
    sample = f"seeded sample of {len(pages)} pages" if quick else f"all {len(pages)} pages"
    return SuiteResult(
        suite="html",
        metrics=metrics,
        baseline_name="trafilatura.extract (default options)",
        notes=[sample, "4-gram shingles of \\w+ tokens; P and R macro-averaged over pages"],
        seconds=time.perf_counter() - started,
    )


SUITE = Suite(
    name="html",
    description="Article body extraction and cleaning vs plain trafilatura (Zyte benchmark)",
    data=DATA,
    run=run,
)
