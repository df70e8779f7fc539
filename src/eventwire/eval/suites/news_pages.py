"""Suite ``news-pages``: cleaning of real news pages against fundus's curated article bodies.

The data (``fundus-news-pages``, see its PROVENANCE.md) holds 67 pages of 46 English-language
outlets, 2023-2026, and for each page the body fundus's hand-written parser for that outlet
extracts: summary, section headlines and paragraphs, without teasers, credits, link lists and
newsletter boxes. That body is the reference here. eventwire's ingest (extraction and cleaning)
and plain ``trafilatura.extract`` are scored on the same pages in the same run, with the metric
of the ``html`` suite (4-gram shingles, precision and recall averaged over pages), so that
precision says how much furniture is left and recall how much of the report is lost.

A fixture file holds one body per parser version; each version is paired with the page whose
text holds most of its body (versions and crawl dates are not named alike).

The cleaning rules were developed looking at a fixed third of the pages (:func:`is_dev`: chosen
by a hash of the file name, not by looking); figures are reported on all pages and on the
held-out two thirds, which were only scored.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from eventwire.eval.base import Language, Metric, Suite, SuiteResult, unavailable
from eventwire.eval.suites.html import (
    baseline_body,
    eventwire_body,
    macro_prf,
    match_counts,
    shingles,
)

DATA = "fundus-news-pages"
QUICK_SAMPLE = 20
QUICK_SEED = 7


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its file name (``<Outlet>_<date>.html.gz``), HTML and reference body."""

    name: str
    html: str
    body: str

    @property
    def dev(self) -> bool:
        return is_dev(self.name)


def is_dev(name: str) -> bool:
    """The fixed development third: the first hex digit of the name's SHA-256 below 5."""
    return int(hashlib.sha256(name.encode("utf-8")).hexdigest()[0], 16) < 5


def reference_body(version: dict) -> str:
    """The curated body as text: summary, then each section's headline and paragraphs."""
    body = version.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def load_pages(folder: Path, *, quick: bool = False) -> list[Page]:
    """Every page with its reference body (or the fixed seeded quick sample)."""
    pages: list[Page] = []
    for fixture in sorted(folder.glob("*/*.json")):
        outlet = fixture.stem
        htmls = {
            p.name: gzip.decompress(p.read_bytes()).decode("utf-8", errors="replace")
            for p in sorted(fixture.parent.glob(f"{outlet}_*.html.gz"))
        }
        versions = json.loads(fixture.read_text(encoding="utf-8"))
        bodies = [reference_body(v) for v in versions.values() if isinstance(v, dict)]
        pages.extend(Page(name, htmls[name], body) for name, body in _paired(htmls, bodies))
    pages.sort(key=lambda p: p.name)
    if quick:
        pages = sorted(
            random.Random(QUICK_SEED).sample(pages, min(QUICK_SAMPLE, len(pages))),
            key=lambda p: p.name,
        )
    return pages


def _paired(htmls: dict[str, str], bodies: list[str]) -> list[tuple[str, str]]:
    """Each body with the page whose text shares most of its shingles (greedy, best first)."""
    scored = sorted(
        (
            (-_overlap(body, html), name, b)
            for b, body in enumerate(bodies)
            for name, html in htmls.items()
        ),
    )
    used_pages: set[str] = set()
    used_bodies: set[int] = set()
    pairs = []
    for _, name, b in scored:
        if name in used_pages or b in used_bodies or not bodies[b]:
            continue
        used_pages.add(name)
        used_bodies.add(b)
        pairs.append((name, bodies[b]))
    return pairs


def _overlap(body: str, html: str) -> int:
    words = set(shingles(body, 2))
    return sum(1 for w in shingles(html, 2) if w in words)


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    """Score eventwire's ingest and plain trafilatura on the same pages."""
    folder = Path(data_dir) / DATA
    if not folder.is_dir():
        return unavailable("news-pages", f"data not found under {folder}")
    started = time.perf_counter()
    pages = load_pages(folder, quick=quick)
    ours = [match_counts(p.body, eventwire_body(p.html)) for p in pages]
    base = [match_counts(p.body, baseline_body(p.html)) for p in pages]
    held = [i for i, p in enumerate(pages) if not p.dev]
    metrics = []
    for label, picked, suffix in (("all", range(len(pages)), ""), ("held-out", held, "_held")):
        (p, r, f) = macro_prf(ours[i] for i in picked)
        (bp, br, bf) = macro_prf(base[i] for i in picked)
        key = "news_pages." + "{}" + suffix + ("_quick" if quick else "")
        metrics += [
            Metric(f"body precision ({label})", p, bp, key=key.format("precision")),
            Metric(f"body recall ({label})", r, br, key=key.format("recall")),
            Metric(f"body F1 ({label})", f, bf, key=key.format("f1")),
        ]
    sample = f"seeded sample of {len(pages)} pages" if quick else f"all {len(pages)} pages"
    return SuiteResult(
        suite="news-pages",
        metrics=metrics,
        baseline_name="trafilatura.extract (default options)",
        notes=[
            sample,
            f"held-out: {len(held)} pages not used to develop the cleaning rules",
            "reference: fundus's curated body; 4-gram shingles, P and R macro-averaged",
        ],
        seconds=time.perf_counter() - started,
    )


SUITE = Suite(
    name="news-pages",
    description="body cleaning on 67 real news pages vs fundus's curated bodies, and trafilatura",
    data=DATA,
    run=run,
)
