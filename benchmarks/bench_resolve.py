"""Resolution benchmark: a full rebuild against an incremental step after a small ingest.

Not a timed test: a script that prints the time of a full resolve of a large synthetic store,
the time of an incremental resolve after adding a few articles to it, and their ratio.

    python benchmarks/bench_resolve.py                    # 20,000 articles + 100
    python benchmarks/bench_resolve.py --articles 100000  # the 100k store (slow to build)
    python benchmarks/bench_resolve.py --check            # also compare with a full rebuild

The store is made by bench_query.py's generator (real codings of the bundled examples, copied
with new ids, dates, sources and Zipf-distributed actor names); the added articles come from the
same generator with the next ids, so they share actors with the store as real news does.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_query  # noqa: E402


def add_articles(db: str, start: int, count: int, seed: int) -> None:
    """Write ``count`` more generated articles (ids from ``start``) without resolving."""
    from eventwire.store.db import open_store
    from eventwire.store.stamp import current_stamp
    from eventwire.store.write import Result, write_batch

    rng = random.Random(seed)
    pool = bench_query.name_pool(rng, 5000)  # the generator's pool: same names as the store
    bases = bench_query.templates()
    records = [bench_query.synthesise(rng.choice(bases), i, rng, pool) for i in range(start, start + count)]  # fmt: skip
    store = open_store(db)
    with store.session() as session, session.begin():
        write_batch(
            session, [Result(r.article.id, r.article.id, r) for r in records], current_stamp(),
            fts=store.has_fts,
        )  # fmt: skip
    store.close()


def timed_resolve(db: str, *, full: bool) -> tuple[float, object]:
    from eventwire.resolve import resolve_store
    from eventwire.store.db import open_store

    store = open_store(db)
    start = time.perf_counter()
    summary = resolve_store(store, full=full)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, summary


def partitions(db: str) -> tuple[set[frozenset[int]], set[frozenset[int]]]:
    """Entities grouped by actor and events grouped by story (ids ignored)."""
    from collections import defaultdict

    from sqlalchemy import select

    from eventwire.store.db import open_store
    from eventwire.store.schema import EntityRow, EventRow

    store = open_store(db)
    out = []
    with store.session() as session:
        for pk, group in ((EntityRow.pk, EntityRow.actor_id), (EventRow.pk, EventRow.story_id)):
            by: dict[object, set[int]] = defaultdict(set)
            for key, gid in session.execute(select(pk, group)):
                by[gid].add(key)
            out.append({frozenset(v) for v in by.values()})
    store.close()
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000, help="Articles in the store.")
    parser.add_argument("--add", type=int, default=100, help="Articles added before the step.")
    parser.add_argument("--db", help="Reuse (or keep) the unresolved store in this file.")
    parser.add_argument("--check", action="store_true", help="Compare with a full rebuild.")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        if args.db and Path(args.db).exists():
            shutil.copy(args.db, db)
        else:
            bench_query.build(db, args.articles, args.seed)
            if args.db:
                shutil.copy(db, args.db)
        full, summary = timed_resolve(db, full=True)
        print(f"full resolve of {args.articles} articles: {full:.1f} s ({summary})")
        add_articles(db, args.articles, args.add, args.seed + 1)
        step, summary = timed_resolve(db, full=False)
        print(f"incremental resolve after {args.add} new articles: {step:.2f} s ({summary})")
        print(f"ratio full / incremental: {full / step:.0f}x")
        if args.check:
            rebuilt = str(Path(tmp) / "rebuilt.db")
            shutil.copy(db, rebuilt)
            timed_resolve(rebuilt, full=True)
            same = partitions(db) == partitions(rebuilt)
            print(f"same actor and story partitions as a full rebuild: {same}")


if __name__ == "__main__":
    main()
