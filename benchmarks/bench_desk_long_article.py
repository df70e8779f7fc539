"""Benchmark: the desk's page for one very long article (issue 19, item 1).

Builds the synthetic article of ``tests/unit/long_article.py`` (about 300,000 characters, 4,000
events, 12,000 entity mentions, 4,000 quotes; made up, no publisher's text) in a fresh store, then
measures: highlighting the whole text, the first and a repeated request for parts of its page, and
how long a small fresh request waits when asked while the long page is being made (the desk runs
its handlers on one thread by default).

    PYTHONPATH=src python benchmarks/bench_desk_long_article.py
"""

from __future__ import annotations

import sys
import tempfile
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "unit"))


def main() -> None:
    from long_article import long_record
    from test_serve_data import write

    from eventwire.query.corrections import load_overlay
    from eventwire.query.queries import get_article
    from eventwire.serve.app import create_app
    from eventwire.serve.highlight import segments
    from eventwire.store.db import open_store

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    store = open_store(str(Path(tempfile.mkdtemp()) / "long.db"))
    record = long_record()
    write(store, [record])
    text = record.article.text
    print(f"article: {len(text):,} characters, {len(record.events):,} events")
    with store.session() as session:
        data = get_article(session, record.article.id, load_overlay(session))
    started = time.perf_counter()
    segments(data)
    print(f"highlighting the whole text: {time.perf_counter() - started:.2f} s")
    url = f"/articles/{record.article.id}"
    with TestClient(create_app(store)) as client, ThreadPoolExecutor(2) as pool:
        slow = pool.submit(client.get, url, params={"part": 2})
        time.sleep(0.05)
        started = time.perf_counter()
        pool.submit(client.get, "/api/events", params={"per_page": 1}).result()
        print(f"a small fresh request asked meanwhile waited {time.perf_counter() - started:.2f} s")
        slow.result()
        for part in (1, 1):
            started = time.perf_counter()
            answer = client.get(url, params={"part": part})
            took = time.perf_counter() - started
            print(
                f"part {part}: HTTP {answer.status_code}, {len(answer.content):,} bytes, {took:.3f} s"
            )
    store.close()


if __name__ == "__main__":
    main()
