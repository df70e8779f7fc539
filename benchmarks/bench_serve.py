"""Benchmark: server time per desk page on a large store (target p95 <= 500 ms).

Builds (or reuses) a store of N generated articles, then requests every page and the main API
endpoints in-process (FastAPI TestClient: the whole ASGI stack, no network) with varied
parameters, so that the result cache does not hide the work; prints p50/p95 per page in ms and
as a ratio to a trivial endpoint (``/api/health``) measured in the same run. The app is made as
``eventwire serve`` makes it (``warm=True``); its background warm-up (overview, the network's
edge table, the common answers of ``eventwire.serve.warmup``, trends) is timed and printed
first, and pages are measured once it is done. Pages whose URLs the warm-up requested (the
overview, network and map by category, trends) are then answered from the response cache;
network by month, the other pages and the varied parameters are computed.

    python benchmarks/bench_serve.py --articles 100000 --db /tmp/bench-100k.db

The generator of ``benchmarks/bench_query.py`` (the store's query benchmark) is used when that
file provides ``build_store(path, articles)``; otherwise a generator here makes records of the
same shape (entities from a Zipf-like pool of actors, 4 events, a quote, a role per article).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from eventwire.record import (
    EVENT_TYPES,
    Article,
    ArticleRecord,
    Entity,
    Event,
    EventActors,
    EventDate,
    Location,
    Quote,
    Role,
    TextSpan,
)

HERE = Path(__file__).resolve().parent
PLACES = [("Aleppo", "SYR", 36.2, 37.15), ("Gaza", "PSE", 31.5, 34.47), ("Kyiv", "UKR", 50.45, 30.52),
          ("Khartoum", "SDN", 15.5, 32.56), ("Bamako", "MLI", 12.64, -8.0), ("Beirut", "LBN", 33.9, 35.5),
          ("Kabul", "AFG", 34.53, 69.17), ("Goma", "COD", -1.68, 29.22), ("Sanaa", "YEM", 15.37, 44.19),
          ("Mogadishu", "SOM", 2.04, 45.34)]  # fmt: skip
WORDS = [
    "government",
    "forces",
    "army",
    "ministry",
    "rebels",
    "police",
    "council",
    "coalition",
    "militia",
    "party",
    "union",
    "officials",
    "delegation",
    "protesters",
    "court",
    "agency",
]


def actor_pool(size: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, type, country) for ``size`` made-up actors."""
    pool = []
    for i in range(size):
        kind = "PERSON" if i % 3 == 0 else "ORG"
        name = (
            f"Person{i} Surname{i % 97}"
            if kind == "PERSON"
            else f"{rng.choice(WORDS).title()} Group {i}"
        )
        pool.append((name, kind, rng.choice(PLACES)[1]))
    return pool


def make_record(i: int, pool: list[tuple[str, str, str]], rng: random.Random) -> ArticleRecord:
    """One generated article: five named actors, four events between them, a quote and a role."""
    chosen = [
        pool[min(int(rng.paretovariate(1.1)) - 1, len(pool) - 1)]
        if rng.random() < 0.5
        else rng.choice(pool)
        for _ in range(5)
    ]
    names = list(dict.fromkeys(n for n, _k, _c in chosen))
    while len(names) < 3:
        names.append(rng.choice(pool)[0])
    sentences = [
        f"{names[j % len(names)]} attacked {names[(j + 1) % len(names)]} near the town "
        f"on day {j} of report {i}."
        for j in range(4)
    ]
    sentences.append(f'"We will respond," said {names[0]}, the leader of {names[1]}.')
    text = " ".join(sentences)
    kinds = {n: (k, c) for n, k, c in pool}
    entities = [
        _entity(f"e{k + 1}", name, *kinds.get(name, ("ORG", None)), text)
        for k, name in enumerate(names)
    ]
    events = [_event(j, text, sentences, len(names), rng) for j in range(4)]
    quote_start = text.index('"') + 1
    quote = Quote("e1", "We will respond,", quote_start, quote_start + 16, "said")
    role_text = "the leader of"
    role_at = text.index(role_text)
    entities[0] = Entity(
        entities[0].id,
        entities[0].name,
        entities[0].type,
        entities[0].aliases,
        entities[0].mentions,
        [Role("leader", "e2", TextSpan(role_at, role_at + 13, role_text))],
        entities[0].country,
    )
    day = 1 + i % 700
    published = f"{2023 + day // 365}-{1 + (day % 365) // 31:02d}-{1 + day % 28:02d}"
    article = Article(
        f"{i:016x}",
        text,
        title=f"Generated report {i}",
        source=f"Wire {i % 25}",
        published=published,
        published_basis="given",
    )
    return ArticleRecord(article=article, entities=entities, events=events, quotes=[quote])


def _entity(local: str, name: str, kind: str, country: str | None, text: str) -> Entity:
    at = text.find(name)
    mentions = [TextSpan(at, at + len(name), name)] if at >= 0 else []
    return Entity(local, name, kind, [name], mentions, country=country)


def _event(j: int, text: str, sentences: list[str], n_names: int, rng: random.Random) -> Event:
    start = text.index(sentences[j])
    trigger_at = text.index("attacked", start)
    place = rng.choice(PLACES)
    month = rng.randint(1, 12)
    return Event(
        f"v{j + 1}",
        rng.choice(EVENT_TYPES),
        TextSpan(trigger_at, trigger_at + 8, "attacked"),
        TextSpan(start, start + len(sentences[j]), sentences[j]),
        EventActors([f"e{j % n_names + 1}"], [f"e{(j + 1) % n_names + 1}"]),
        date=EventDate(
            f"{rng.choice((2023, 2024))}-{month:02d}-{rng.randint(1, 28):02d}",
            "day",
            None,
            "explicit",
        ),
        location=Location(place[0], None, place[1], place[2], place[3]),
        modality=rng.choice(("asserted", "reported")),
        confidence=round(rng.random(), 2),
    )


def generated(n: int, seed: int = 1) -> Iterator[ArticleRecord]:
    rng = random.Random(seed)
    pool = actor_pool(max(50, n // 20), rng)
    for i in range(n):
        yield make_record(i, pool, rng)


def build_store(path: Path, articles: int) -> Any:
    """A store at ``path`` holding ``articles`` generated articles (reused when it already has them)."""
    from eventwire.store.db import open_store
    from eventwire.store.stamp import Stamp
    from eventwire.store.write import Result, article_count, write_batch

    store = open_store(str(path))
    with store.session() as session:
        have = article_count(session)
    if have >= articles:
        return store
    stamp = Stamp("bench", "generated", {})
    batch: list[Result] = []
    for record in generated(articles):
        batch.append(Result(record.article.id, "bench", record))
        if len(batch) == 2000:
            _write(store, batch, stamp, write_batch)
            batch = []
    if batch:
        _write(store, batch, stamp, write_batch)
    return store


def _write(store: Any, batch: list[Any], stamp: Any, write_batch: Callable[..., Any]) -> None:
    with store.session() as session, session.begin():
        write_batch(session, batch, stamp, fts=store.has_fts)
    print(f"  wrote {batch[-1].record.article.title}", file=sys.stderr)


def _query_generator() -> Callable[[Path, int], Any] | None:
    """``build_store`` from benchmarks/bench_query.py, when it offers one."""
    path = HERE / "bench_query.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("bench_query", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, "build_store", None)


def timings(client: Any, urls: list[str]) -> list[float]:
    """Milliseconds per request, in order; every response must be 200."""
    out = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}: {response.text[:200]}")
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def page_urls(client: Any, repeat: int, rng: random.Random) -> dict[str, list[str]]:
    """For each page, ``repeat`` URLs with varied parameters (different articles, actors, filters)."""
    articles = [a["id"] for a in client.get("/api/articles?per_page=200").json()["items"]]
    actors = [a["key"] for a in client.get("/api/actors?per_page=200").json()["items"]]
    from urllib.parse import quote

    def pick(items: list[str]) -> str:
        return items[rng.randrange(len(items))]

    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2024-{m:02d}" for m in range(1, 13)]
    types = list(EVENT_TYPES)
    return {
        "baseline /api/health": ["/api/health"] * repeat,
        "overview /": ["/"] * repeat,
        "articles list": [f"/articles?page={rng.randint(1, 50)}" for _ in range(repeat)],
        "article view": [f"/articles/{pick(articles)}" for _ in range(repeat)],
        "actors list": [f"/actors?page={rng.randint(1, 20)}" for _ in range(repeat)],
        "actor page": [f"/actors/{quote(pick(actors), safe='')}" for _ in range(repeat)],
        "network (by category)": [f"/network?type={types[i % 16]}" for i in range(repeat)],
        "network (by month)": [f"/network?since={m}&until={m}" for m in (months * repeat)[:repeat]],
        "map (by category)": [f"/map?type={types[i % 16]}" for i in range(repeat)],
        "events table": [
            f"/events?type={types[i % 16]}&page={rng.randint(1, 5)}" for i in range(repeat)
        ],
        "events full-text": [f"/events?q=report+{rng.randint(1, 5000)}" for _ in range(repeat)],
        "search": [f"/search?q=Group+{rng.randint(1, 999)}" for _ in range(repeat)],
        "stories": [f"/stories?page={rng.randint(1, 20)}" for _ in range(repeat)],
        "trends": ["/trends"] * repeat,
        "api events csv": [
            f"/api/events?format=csv&per_page=200&type={types[i % 16]}" for i in range(repeat)
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--db", type=Path, default=None, help="store file (default: /tmp)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page")
    parser.add_argument(
        "--resolve",
        action="store_true",
        help="run cross-article resolution first (as `eventwire ingest` does)",
    )
    args = parser.parse_args()
    db = args.db or Path(f"/tmp/eventwire-bench-serve-{args.articles}.db")
    builder = _query_generator() or build_store
    start = time.perf_counter()
    store = builder(db, args.articles)
    print(f"store: {db} ({args.articles} articles) ready in {time.perf_counter() - start:.0f} s")
    if args.resolve:
        from eventwire.resolve import resolve_store

        start = time.perf_counter()
        summary = resolve_store(store)
        print(
            f"resolved {summary.actors} actors, {summary.stories} stories in "
            f"{time.perf_counter() - start:.0f} s"
        )
    from eventwire.serve.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    start = time.perf_counter()
    app = create_app(store, warm=True)  # as `eventwire serve` runs it
    if not app.state.warmed.wait(timeout=600):
        raise SystemExit("the desk's warm-up did not finish within 600 s")
    took = time.perf_counter() - start
    print(f"warm-up (overview, network edge table, common answers, trends): {took:.1f} s")
    client = TestClient(app)
    report(client, page_urls(client, args.repeat, random.Random(7)))


def report(client: Any, pages: dict[str, list[str]]) -> None:
    results = {name: timings(client, urls) for name, urls in pages.items()}
    base = statistics.median(results["baseline /api/health"])
    print(
        f"{'page':26} {'first ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>9}  target p95 <= 500 ms"
    )
    for name, values in results.items():
        p95 = pct(values, 0.95)
        flag = "ok" if p95 <= 500 else "SLOW"
        print(
            f"{name:26} {values[0]:9.1f} {pct(values, 0.5):8.1f} {p95:8.1f} {p95 / base:9.1f}  {flag}"
        )


if __name__ == "__main__":
    main()
