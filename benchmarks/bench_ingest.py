"""Ingest benchmark: extraction cost against bare spaCy, scale-out speed-up, memory, store size.

Not a timed test: a script that prints figures, each beside a baseline measured in the same run.

    python benchmarks/bench_ingest.py                 # examples + Reuters-21578 file 000
    python benchmarks/bench_ingest.py --sample 60     # a couple of minutes

Figures (targets from the issue):
  * articles/s of bare spaCy ``nlp.pipe`` and of eventwire extraction, same texts, same model,
    and their ratio (target >= 0.80);
  * ingest rate with 1 and 2 local workers and a 2-worker Dask LocalCluster, as speed-up over
    1 worker (target >= 1.8);
  * peak RSS per worker process (target <= 1.5 GB);
  * store size per 1,000 articles.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import resource
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REUTERS = REPO.parent / "shared" / "eval" / "news-load-reuters21578" / "reut2-000.sgm"
_DOC = re.compile(r"<REUTERS.*?</REUTERS>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_DATE = re.compile(r"<DATE>\s*(\d+)-([A-Z]{3})-(\d{4})")
MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}


def reuters_articles(path: Path) -> list[dict[str, str]]:
    """Dated Reuters-21578 stories with a body, parsed with regular expressions (lenient SGML)."""
    raw = path.read_bytes().decode("latin-1")
    articles = []
    for block in _DOC.findall(raw):
        body, title, date = _BODY.search(block), _TITLE.search(block), _DATE.search(block)
        if not body:
            continue
        text = html.unescape(body.group(1)).replace("\x03", "").strip()
        published = (
            f"{date.group(3)}-{MONTHS[date.group(2)]:02d}-{int(date.group(1)):02d}"
            if date
            else None
        )
        articles.append(
            {
                "text": text,
                "title": html.unescape(title.group(1)) if title else "",
                "published": published or "",
            }
        )
    return articles


def example_articles() -> list[dict[str, str]]:
    """The bundled examples, as the ingest readers see them (prepared text)."""
    from eventwire.ingest import prepare
    from eventwire.store.feeds import iter_corpus_inputs

    out = []
    for item in iter_corpus_inputs([REPO / "examples"]):
        if hasattr(item, "origin"):
            prepared = prepare(item)
            out.append(
                {
                    "text": prepared.text,
                    "title": prepared.title or "",
                    "published": prepared.published or "",
                }
            )
    return out


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def bench_extraction(texts: list[str], repeat: int) -> tuple[float, float]:
    """Articles/s of bare ``nlp.pipe`` and of eventwire extraction on the same texts and model."""
    from eventwire import nlp as nlp_module
    from eventwire.reader import read_many

    bare = nlp_module.load_model()
    full = nlp_module.load()
    list(read_many(texts[:5], nlp=full))  # warm lazy data loads in both pipelines
    list(bare.pipe(texts[:5]))
    work = texts * repeat
    start = time.perf_counter()
    for _ in bare.pipe(work, batch_size=32):
        pass
    bare_rate = rate(len(work), time.perf_counter() - start)
    start = time.perf_counter()
    for _ in read_many(work, nlp=full, batch_size=32):
        pass
    return bare_rate, rate(len(work), time.perf_counter() - start)


def write_jsonl(articles: list[dict[str, str]], folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    return path


def bench_ingest(path: Path, folder: Path, name: str, **options: object) -> tuple[float, int, int]:
    """Ingest rate (articles/s, excluding worker start-up), articles stored and store bytes."""
    from eventwire.engine import EngineOptions
    from eventwire.store.db import open_store
    from eventwire.store.ingest import ingest_paths

    db = folder / f"{name}.db"
    store = open_store(str(db))
    marks: list[tuple[float, int]] = []
    summary = ingest_paths(store, [path], EngineOptions(batch_size=8, **options),  # type: ignore[arg-type]
                           progress=lambda s: marks.append((time.perf_counter(), s.done)))  # fmt: skip
    store.close()
    size = sum(p.stat().st_size for p in folder.glob(f"{name}.db*"))
    if len(marks) < 2:
        return 0.0, summary.written, size
    (t0, n0), (t1, n1) = marks[0], marks[-1]  # from the first finished batch: start-up excluded
    return rate(n1 - n0, t1 - t0), summary.written, size


def worker_rss_mb() -> float:
    """Peak RSS of finished child processes (pool workers), in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="Use only the first N Reuters stories (0: all)."
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="Passes over the examples for the extraction figure."
    )
    parser.add_argument("--no-dask", action="store_true", help="Skip the Dask LocalCluster run.")
    args = parser.parse_args()

    examples = example_articles()
    reuters = reuters_articles(REUTERS) if REUTERS.is_file() else []
    if args.sample:
        reuters = reuters[: args.sample]
    print(f"corpora: {len(examples)} bundled examples, {len(reuters)} Reuters-21578 stories")

    for label, texts, repeat in (
        ("examples", [a["text"] for a in examples], args.repeat),
        ("reuters", [a["text"] for a in reuters], 1),
    ):
        if not texts:
            continue
        bare, ours = bench_extraction(texts, repeat)
        print(f"[{label}] bare spaCy nlp.pipe {bare:7.1f} art/s | eventwire extraction {ours:7.1f} art/s | "
              f"ratio {ours / bare:.2f} (target >= 0.80)")  # fmt: skip

    corpus = reuters or examples
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write_jsonl(corpus, folder)
        one, stored, size = bench_ingest(path, folder, "w1", workers=1)
        print(
            f"[ingest] 1 worker   {one:7.1f} art/s (baseline); store {size / max(stored, 1) * 1000 / 1e6:.1f} MB per 1,000 articles"
        )
        two, _, _ = bench_ingest(path, folder, "w2", workers=2)
        print(f"[ingest] 2 workers  {two:7.1f} art/s, speed-up {two / one:.2f}x (target >= 1.8)")
        if not args.no_dask:
            dask, _, _ = bench_ingest(path, folder, "dask", workers=2, dask="local")
            print(
                f"[ingest] Dask 2-worker LocalCluster {dask:7.1f} art/s, speed-up {dask / one:.2f}x (target >= 1.8)"
            )
    print(
        f"[memory] peak RSS of a worker process {worker_rss_mb():.0f} MB (target <= 1536 MB); "
        f"this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
