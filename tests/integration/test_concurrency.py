"""Concurrency: `eventwire ingest` writes while the desk answers queries on the same SQLite file.

The writer is a real `eventwire ingest` process (default model, batches of two); the readers are
three threads, each with its own TestClient over one desk app on the same file (WAL mode), polling
the article list, single articles and the event list until the ingest ends. Every article a
reader sees must already be whole: its entities, events and quotes (from /api/articles/{id}) and
its events (from /api/events) must number exactly what the finished store holds for it. No
request may fail.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import threading
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from test_crash_safety import CLI, write_corpus  # noqa: E402

from eventwire.serve.app import create_app  # noqa: E402
from eventwire.store.db import open_store  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.integration
N_ARTICLES = 60
READERS = 3
FINAL_SQL = """
SELECT a.id,
  (SELECT count(*) FROM entities e WHERE e.article_id = a.id),
  (SELECT count(*) FROM events v WHERE v.article_id = a.id),
  (SELECT count(*) FROM quotes q WHERE q.article_id = a.id)
FROM articles a
"""


@dataclass
class Seen:
    """What the readers saw: whole-article counts, event-list counts, failures, list sizes."""

    articles: list[tuple[str, tuple[int, int, int]]] = field(default_factory=list)
    event_lists: list[Counter[str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    list_sizes: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def get(client: TestClient, url: str, seen: Seen) -> dict | None:
    response = client.get(url)
    if response.status_code != 200:
        with seen.lock:
            seen.errors.append(f"{url}: {response.status_code} {response.text[:200]}")
        return None
    return response.json()


def poll_once(client: TestClient, rng: random.Random, seen: Seen) -> None:
    listed = get(client, "/api/articles?per_page=200", seen)
    events = get(client, "/api/events?per_page=200", seen)
    if listed is None or events is None:
        return
    ids = [item["id"] for item in listed["items"]]
    whole = []
    for article_id in rng.sample(ids, min(4, len(ids))):
        one = get(client, f"/api/articles/{article_id}", seen)
        if one is not None:
            counts = (len(one["entities"]), len(one["events"]), len(one["quotes"]))
            whole.append((article_id, counts))
    with seen.lock:
        seen.list_sizes.append(len(ids))
        seen.articles.extend(whole)
        seen.event_lists.append(Counter(e["article"]["id"] for e in events["items"]))


def reader(app, done: threading.Event, seen: Seen, seed: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    with TestClient(app, raise_server_exceptions=False) as client:
        while not done.is_set():
            poll_once(client, rng, seen)
        poll_once(client, rng, seen)  # once more on the finished store


def final_counts(db: Path) -> dict[str, tuple[int, int, int]]:
    with sqlite3.connect(db) as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(FINAL_SQL)}


def test_readers_never_see_a_half_written_article(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus", N_ARTICLES, seed=11)
    db = tmp_path / "live.db"
    store = open_store(str(db))  # schema first, so the server and the ingest share one file
    app = create_app(store)
    # Read the store's fingerprint on every request (the desk re-reads it at most once a second by
    # default): the readers must see the live store, or they would never catch a partial one.
    app.state.freshness.ttl = 0.0
    seen, done = Seen(), threading.Event()
    threads = [
        threading.Thread(target=reader, args=(app, done, seen, k), daemon=True)
        for k in range(READERS)
    ]
    for thread in threads:
        thread.start()
    cmd = [*CLI, "ingest", str(corpus), "--db", str(db), "--batch-size", "2", "--no-resolve"]
    started = time.monotonic()
    ingest = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    done.set()
    for thread in threads:
        thread.join(timeout=60)
    store.close()
    assert ingest.returncode == 0, ingest.stderr
    assert time.monotonic() - started < 150
    assert seen.errors == []
    final = final_counts(db)
    assert len(final) == N_ARTICLES and sum(c[1] for c in final.values()) > 0
    assert sum(c[1] for c in final.values()) <= 200, "one page of events must hold them all"
    partial = [n for n in seen.list_sizes if 0 < n < N_ARTICLES]
    assert len(partial) >= 5, f"readers hardly overlapped the ingest: {seen.list_sizes}"
    assert seen.articles, "no article was read during the ingest"
    half = [(i, c, final[i]) for i, c in seen.articles if c != final[i]]
    assert half == [], f"articles seen before they were whole: {half[:5]}"
    for counter in seen.event_lists:
        wrong = {i: n for i, n in counter.items() if n != final[i][1]}
        assert wrong == {}, f"event list showed part of an article's events: {wrong}"
