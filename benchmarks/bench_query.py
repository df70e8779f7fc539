"""Query benchmark: a store of 100k articles' worth of records, actor timelines and event search.

Not a timed test: a script that prints p50/p95 latencies, beside a baseline measured in the same
run (loading one article's full record by id).

    python benchmarks/bench_query.py                   # 100,000 articles (several minutes)
    python benchmarks/bench_query.py --articles 5000   # quick look

The records are synthesised from real codings: the bundled examples are read by eventwire once,
then copied with new ids, dates spread over two years, sources, and actor names drawn from a
pool with a Zipf-like distribution (a few actors in many articles, many in few), so the store
has the shape of a real corpus. Target: p95 <= 50 ms on SQLite for both queries.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from eventwire.record import Article, ArticleRecord, Entity, EventDate

REPO = Path(__file__).resolve().parents[1]
FIRST = [
    "Amir",
    "Sara",
    "Jonas",
    "Mei",
    "Kwame",
    "Olga",
    "Diego",
    "Layla",
    "Ivan",
    "Aisha",
    "Tom",
    "Nadia",
]
LAST = [
    "Haddad",
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Mensah",
    "Petrova",
    "Castillo",
    "Rahman",
    "Novak",
    "Farouk",
]
ORGS = [
    "Front",
    "Council",
    "Ministry",
    "Brigade",
    "Union",
    "Movement",
    "Party",
    "Agency",
    "Command",
    "League",
]


def templates() -> list[ArticleRecord]:
    """Real codings of the bundled examples."""
    from eventwire.reader import read_many
    from eventwire.store.feeds import iter_corpus_inputs

    raws = [item for item in iter_corpus_inputs([REPO / "examples"]) if hasattr(item, "origin")]
    return [r for r in read_many(raws) if r.error is None and r.entities]


def _word(rng: random.Random) -> str:
    syllables = [
        "ka",
        "ro",
        "mi",
        "tan",
        "su",
        "vel",
        "dor",
        "ia",
        "ben",
        "zu",
        "ha",
        "lin",
        "mar",
        "ot",
    ]
    return "".join(rng.choice(syllables) for _ in range(3)).capitalize()


def name_pool(rng: random.Random, size: int) -> tuple[list[tuple[str, str]], list[float]]:
    """Distinct person and organisation names, with Zipf weights (a few common, most rare)."""
    people = {f"{rng.choice(FIRST)} {_word(rng)}" for _ in range(size // 2)}
    orgs = {f"{_word(rng)} {rng.choice(ORGS)}" for _ in range(size // 2)}
    pool = [(n, "PERSON") for n in sorted(people)] + [(n, "ORG") for n in sorted(orgs)]
    rng.shuffle(pool)
    return pool, list(itertools.accumulate(1 / (rank + 1) for rank in range(len(pool))))


def synthesise(
    template: ArticleRecord,
    i: int,
    rng: random.Random,
    pool: tuple[list[tuple[str, str]], list[float]],
) -> ArticleRecord:
    """A copy of a real record with a new id, date, source and actor names."""
    day = date(2023, 1, 1) + timedelta(days=rng.randrange(730))
    text = f"{template.article.text}\n[{i}]"
    article = Article(id=f"{i:016x}", text=text, title=template.article.title, url=f"https://news.example/{i}",
                      source=f"Source {rng.randrange(40)}", published=day.isoformat(), published_basis="given")  # fmt: skip
    names, weights = pool
    entities = [
        _rename(ent, rng.choices(names, cum_weights=weights)[0]) for ent in template.entities
    ]
    events = [
        replace(ev, date=EventDate(day.isoformat(), "day", None, "publication"))
        for ev in template.events
    ]
    return replace(template, article=article, entities=entities, events=events)


def _rename(entity: Entity, name: tuple[str, str]) -> Entity:
    if entity.type not in ("PERSON", "ORG"):
        return entity
    return replace(
        entity, name=name[0], type=name[1], aliases=[name[0]], kb_id=None, roles=list(entity.roles)
    )


def build(db: str, n: int, seed: int) -> None:
    from eventwire.store.db import open_store
    from eventwire.store.stamp import current_stamp
    from eventwire.store.write import Result, write_batch

    rng = random.Random(seed)
    bases, pool, stamp = templates(), name_pool(rng, 5000), current_stamp()
    store = open_store(db)
    for start in range(0, n, 1000):
        batch = [
            synthesise(rng.choice(bases), i, rng, pool) for i in range(start, min(start + 1000, n))
        ]
        with store.session() as session, session.begin():
            write_batch(
                session,
                [Result(r.article.id, r.article.id, r) for r in batch],
                stamp,
                fts=store.has_fts,
            )
    store.close()


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def timed(fn, runs: list) -> list[float]:  # type: ignore[no-untyped-def, type-arg]
    out = []
    for args in runs:
        start = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(db: str, samples: int, seed: int) -> None:
    from sqlalchemy import select

    from eventwire.query import corpus
    from eventwire.query.filters import EventFilter
    from eventwire.store.db import open_store
    from eventwire.store.read import load_record
    from eventwire.store.schema import ActorRow, ArticleRow

    rng = random.Random(seed)
    store = open_store(db)
    with store.session() as session:
        actors = list(
            session.scalars(select(ActorRow.id).order_by(ActorRow.article_count.desc()).limit(500))
        )
        ids = list(session.scalars(select(ArticleRow.id).limit(5000)))
    types = ["ASSAULT", "CONSULT", "PROTEST", "AGREE", "COERCE", "THREATEN"]

    def one_record(article_id: str) -> None:
        with store.session() as session:
            load_record(session, article_id)

    def actor_timeline(actor_id: int) -> None:
        corpus.events(store, EventFilter(actor=f"a{actor_id}"), limit=50)

    def event_search(kind: str, since: str, actor: str) -> None:
        corpus.events(
            store,
            EventFilter(type=kind, since=since, until=since[:4] + "-12-31", actor=f"a{actor}"),
            limit=50,
        )

    base = timed(one_record, [(rng.choice(ids),) for _ in range(samples)])
    line = timed(actor_timeline, [(rng.choice(actors),) for _ in range(samples)])
    search = timed(
        event_search,
        [
            (
                rng.choice(types),
                f"{rng.choice([2023, 2024])}-{rng.randrange(1, 12):02d}-01",
                str(rng.choice(actors)),
            )
            for _ in range(samples)
        ],
    )
    b50, b95 = percentiles(base)
    for label, values in (
        ("actor timeline (50 newest events)", line),
        ("filtered event search (type, dates, actor; page of 50 + total)", search),
    ):
        p50, p95 = percentiles(values)
        print(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 <= 50 ms) | "
              f"{p95 / b95:.1f}x the baseline's p95")  # fmt: skip
    print(f"baseline (one full article record by id): p50 {b50:.1f} ms, p95 {b95:.1f} ms")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="Articles to synthesise.")
    parser.add_argument("--samples", type=int, default=200, help="Queries timed per figure.")
    parser.add_argument("--db", help="Keep the store in this file (default: a temporary one).")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.db")
        start = time.perf_counter()
        build(db, args.articles, args.seed)
        built = time.perf_counter()
        from eventwire.resolve import resolve_store
        from eventwire.store.db import open_store
        from eventwire.store.maintain import counts

        store = open_store(db)
        summary = resolve_store(store)
        rows = counts(store)
        store.close()
        print(f"store: {rows['articles']} articles, {rows['entities']} entities, {rows['events']} events, "
              f"{summary.actors} actors, {summary.stories} stories; written in {built - start:.0f} s, "
              f"resolved in {time.perf_counter() - built:.0f} s; {Path(db).stat().st_size / 1e6:.0f} MB")  # fmt: skip
        measure(db, args.samples, args.seed)


if __name__ == "__main__":
    main()
