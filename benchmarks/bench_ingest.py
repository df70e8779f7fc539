"""Ingest benchmark: extraction cost against bare spaCy, scale-out speed-up, memory, store size.

Not a timed test: a script that prints figures, each beside a baseline measured in the same run.

    python benchmarks/bench_ingest.py                 # examples + Reuters-21578 file 000
    python benchmarks/bench_ingest.py --sample 60     # a couple of minutes

Figures (targets from the issue):
  * articles/s of bare spaCy ``nlp.pipe`` and of eventwire extraction, same texts, same model,
    and their ratio (target >= 0.80), also on this process's CPU time (which other processes on
    a shared machine do not move);
  * ingest rate with 1 and 2 local workers and a 2-worker Dask LocalCluster, as speed-up over
    1 worker (target >= 1.8), each with the cores other processes used meanwhile (a speed-up is
    bounded by the cores left free) and the CPU milliseconds per article (this process and its
    workers: what a path costs, which others' load barely moves); both over the middle half of
    the run (from a quarter to three quarters of the articles: no start-up, no tail);
  * peak RSS per worker process (target <= 1.5 GB);
  * store size per 1,000 articles.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import os
import re
import resource
import statistics
import tempfile
import time
from collections import deque
from collections.abc import Callable
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


def _timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds of ``run()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def bench_extraction(texts: list[str], repeat: int, rounds: int = 4) -> dict[str, float]:
    """Articles/s of bare ``nlp.pipe`` and of eventwire extraction on the same texts and model.

    The two alternate for ``rounds`` rounds and the best round of each counts, so a burst of
    load from another process on a shared machine hits both alike. Four rounds, not two: on
    the examples (passes of under two seconds) the full pipeline's later rounds ran faster, and
    on a quiet machine the best of two read 0.77-0.78 where the best of four read 0.82-0.89. CPU seconds (this process
    only) give a second ratio that other processes cannot move.
    """
    from eventwire import nlp as nlp_module
    from eventwire.reader import read_many

    bare = nlp_module.load_model()
    full = nlp_module.load()
    list(read_many(texts[:5], nlp=full))  # warm lazy data loads in both pipelines
    list(bare.pipe(texts[:5]))
    work = texts * repeat
    passes = {
        "bare": lambda: deque(bare.pipe(work, batch_size=32), maxlen=0),
        "ours": lambda: deque(read_many(work, nlp=full, batch_size=32), maxlen=0),
    }
    best = {name: (float("inf"), float("inf")) for name in passes}
    for _ in range(rounds):
        for name, run in passes.items():
            wall, cpu = _timed(run)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return {
        "bare": rate(len(work), best["bare"][0]),
        "ours": rate(len(work), best["ours"][0]),
        "cpu_ratio": best["bare"][1] / best["ours"][1] if best["ours"][1] > 0 else 0.0,
    }


def machine_busy() -> tuple[float, float] | None:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat (Linux)."""
    stat = Path("/proc/stat")
    if not stat.is_file():
        return None
    fields = [int(x) for x in stat.read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - idle) / tick, sum(fields[:8]) / tick


def own_cpu() -> float:
    """CPU seconds of this process and its finished children (pool and Dask workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def tree_cpu() -> float | None:
    """CPU seconds so far of this process and its live children (pool or Dask workers), or None
    without psutil (it comes with dask[distributed]). Per article, after start-up, it is the cost
    of a path that other processes on a shared machine barely move, unlike a rate."""
    if importlib.util.find_spec("psutil") is None:
        return None
    import psutil

    procs = [psutil.Process(), *psutil.Process().children(recursive=True)]
    return sum(sum(p.cpu_times()[:2]) for p in procs)


def write_jsonl(articles: list[dict[str, str]], folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")
    return path


def bench_ingest(path: Path, folder: Path, name: str, **options: object) -> tuple[float, int, int]:
    """Ingest rate (articles/s, fitted over the middle half of the run: no start-up, no tail;
    see :func:`window`), articles stored and store bytes.

    Also prints how much of the machine other processes used meanwhile: on a shared machine a
    speed-up over one worker is bounded by the cores nobody else is using.
    """
    from eventwire.engine import EngineOptions
    from eventwire.store.db import open_store
    from eventwire.store.ingest import ingest_paths

    db = folder / f"{name}.db"
    store = open_store(str(db))
    marks: list[tuple[float, int, float | None]] = []
    before, mine = machine_busy(), own_cpu()
    summary = ingest_paths(store, [path], EngineOptions(batch_size=8, **options),  # type: ignore[arg-type]
                           progress=lambda s: marks.append((time.perf_counter(), s.done, tree_cpu())))  # fmt: skip
    store.close()
    after, mine = machine_busy(), own_cpu() - mine
    if before and after and after[1] > before[1]:
        wall = (after[1] - before[1]) / (os.cpu_count() or 1)
        others = max(after[0] - before[0] - mine, 0.0) / wall
        print(f"         ({name}: other processes used {others:.2f} of {os.cpu_count()} cores)")
    size = sum(p.stat().st_size for p in folder.glob(f"{name}.db*"))
    if len(marks) < 2:
        return 0.0, summary.written, size
    begin, end = window(marks)
    steady = marks[begin : end + 1]
    done = [float(n) for _, n, _ in steady]
    cpu = [c for _, _, c in steady]
    if None not in cpu and len(set(done)) > 1:
        print(f"         ({name}: {slope(done, cpu) * 1000:.1f} CPU ms per article, "  # type: ignore[arg-type]
              "this process and its workers)")  # fmt: skip
    return slope([t for t, _, _ in steady], done), summary.written, size


def slope(xs: list[float], ys: list[float]) -> float:
    """The least-squares slope of ``ys`` over ``xs``: a rate (articles per second) or a cost (CPU
    seconds per article) fitted to every batch in the window, not just its two ends, so that how
    much work happened to be in flight at either end moves it less."""
    if len(set(xs)) < 2:
        return 0.0
    return statistics.linear_regression(xs, ys).slope


def window(marks: list[tuple[float, int, float | None]]) -> tuple[int, int]:
    """The marks the measured window starts and ends at: the ends of the first deliveries once a
    quarter and three quarters of the articles are written (a steady state, both ends alike).

    Not from the first batch to the last: workers start together, so when the first batch comes
    back the others' first tasks are nearly done, and their articles would count in the window
    but not their time and CPU; at the last batch nothing is left in flight. Both favour paths
    with more articles per task (Dask tasks carry several batches). Between two deliveries
    mid-run, the work in flight at the start (not counted) and at the end (counted) balance.
    A delivery's batches are written one after another, their marks a write apart (under a third
    of the mean gap between batches), and a window ends after the last of them.
    """
    last = len(marks) - 1
    close = (marks[-1][0] - marks[0][0]) / last / 3

    def after(share: float, lowest: int) -> int:
        at = next(i for i, mark in enumerate(marks) if mark[1] >= marks[-1][1] * share)
        at = max(at, lowest)
        while at < last and marks[at + 1][0] - marks[at][0] < close:
            at += 1
        return min(at, last)

    first = min(after(0.25, 0), last - 1)
    return first, after(0.75, first + 1)


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
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="Alternating rounds of bare and full extraction; the best counts.",
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
        got = bench_extraction(texts, repeat, args.rounds)
        bare, ours = got["bare"], got["ours"]
        print(f"[{label}] bare spaCy nlp.pipe {bare:7.1f} art/s | eventwire extraction {ours:7.1f} art/s | "
              f"ratio {ours / bare:.2f}, on CPU time {got['cpu_ratio']:.2f} (target >= 0.80)")  # fmt: skip

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
