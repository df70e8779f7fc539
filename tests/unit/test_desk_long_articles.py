"""The desk renders any stored article within a bounded time (issue 19, item 1).

A made-up article of 300,000 characters with 4,000 events and 12,000 entity mentions and
quotes: highlighting is one sweep (it took 20 s here when every annotation was tested against
every segment), the page shows the text in parts small enough for the response cache, and an
event's number finds the part that holds it.
"""

from __future__ import annotations

import random
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from long_article import long_record
from test_serve_data import write

from eventwire.serve.highlight import PART_CHARS, Segment, parts, segments

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.responses import MAX_ITEM_BYTES  # noqa: E402
from eventwire.store.db import open_store  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient


def as_desk_dict(record: Any) -> dict[str, Any]:
    """The record as the desk reads it: events carry their row number ``pk``."""
    data = record.to_dict()
    for pk, found in enumerate(data["events"], start=1):
        found["pk"] = pk
    return data


def brute_force(record: dict[str, Any]) -> list[tuple[str, Any, list[int], bool]]:
    """What the segments must be: every annotation checked against every piece (slow, exact)."""
    text = record["article"]["text"]
    notes = [(m["start"], m["end"], "entity", e) for e in record["entities"] for m in e["mentions"]]
    notes += [
        (e["trigger"]["start"], e["trigger"]["end"], "event", e["pk"]) for e in record["events"]
    ]
    notes += [(q["start"], q["end"], "quote", None) for q in record["quotes"]]
    notes = [
        (max(0, s), min(len(text), e), k, r)
        for s, e, k, r in notes
        if 0 <= s < e < 10**9 and s < len(text)
    ]
    cuts = sorted({0, len(text), *(n[0] for n in notes), *(n[1] for n in notes)})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [n for n in notes if n[0] <= a and b <= n[1]]
        entity = next((n[3] for n in reversed(covering) if n[2] == "entity"), None)
        events = [n[3] for n in covering if n[2] == "event"]
        out.append((text[a:b], entity, events, any(n[2] == "quote" for n in covering)))
    return out


def shape(found: list[Segment]) -> list[tuple[str, Any, list[int], bool]]:
    return [(s.text, s.entity, s.events, s.quote) for s in found]


def test_segments_match_the_exhaustive_check_on_overlapping_annotations() -> None:
    rng = random.Random(19)
    text = "".join(rng.choice("ab .\n") for _ in range(400))
    spans = [(s, s + rng.randint(1, 40)) for s in (rng.randrange(0, 420) for _ in range(60))]
    record = {
        "article": {"text": text},
        "entities": [
            {"name": f"n{i}", "mentions": [{"start": s, "end": e}]}
            for i, (s, e) in enumerate(spans[:20])
        ],
        "events": [
            {"pk": i, "trigger": {"start": s, "end": e}} for i, (s, e) in enumerate(spans[20:40])
        ],
        "quotes": [{"start": s, "end": e} for s, e in spans[40:]],
    }
    assert shape(segments(record)) == brute_force(record)
    assert "".join(s.text for s in segments(record, 100, 250)) == text[100:250]


def test_highlighting_a_300k_article_is_linear() -> None:
    record = as_desk_dict(long_record())
    assert len(record["article"]["text"]) > 300_000 and len(record["events"]) == 4000
    started = time.perf_counter()
    found = segments(record)
    took = time.perf_counter() - started
    assert "".join(s.text for s in found) == record["article"]["text"]
    assert sum(1 for s in found if s.events) == 4000
    assert took < 5.0, f"highlighting took {took:.1f} s (quadratic?)"


def test_parts_cover_the_text_at_line_breaks() -> None:
    text = "".join(f"Line {n} of a long text.\n" for n in range(5000))
    ranges = parts(text)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(0 < end - start <= PART_CHARS for start, end in ranges)
    assert all(text[end - 1] == "\n" for _start, end in ranges)
    assert parts("short") == [(0, 5)]
    no_breaks = "x" * (PART_CHARS * 2 + 5)
    assert parts(no_breaks) == [
        (0, PART_CHARS),
        (PART_CHARS, 2 * PART_CHARS),
        (2 * PART_CHARS, len(no_breaks)),
    ]


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    record = long_record()
    store = open_store(str(Path(tmp_path_factory.mktemp("long")) / "long.db"))
    write(store, [record])
    yield store, record
    store.close()


def test_long_article_page_is_paged_bounded_and_kept(long_store) -> None:  # type: ignore[no-untyped-def]
    store, record = long_store
    count = len(parts(record.article.text))
    assert count > 10
    with TestClient(create_app(store)) as client:
        started = time.perf_counter()
        first = client.get(f"/articles/{record.article.id}")
        took = time.perf_counter() - started
        assert first.status_code == 200
        assert f"Part 1 of {count}" in first.text and "?part=2" in first.text
        assert len(first.content) < MAX_ITEM_BYTES  # so the response cache keeps it
        assert took < 8.0, f"the first part took {took:.1f} s"
        cards = first.text.count('class="event-card')
        assert 0 < cards < 4000 and first.text.count('class="ent') < 4000
        kept = client.app.middleware_stack  # type: ignore[attr-defined]
        assert any(key[0] == f"/articles/{record.article.id}" for key in kept._items)
        last = client.get(f"/articles/{record.article.id}", params={"part": count})
        assert last.status_code == 200 and f"Part {count} of {count}" in last.text
        assert "Unit 3999" in last.text and "Unit 0 " not in last.text
        assert (
            client.get(f"/articles/{record.article.id}", params={"part": count + 1}).status_code
            == 404
        )


def test_an_event_number_opens_the_part_that_holds_it(long_store) -> None:  # type: ignore[no-untyped-def]
    store, record = long_store
    with TestClient(create_app(store)) as client:
        events = client.get(f"/api/articles/{record.article.id}").json()["events"]
        late = max(events, key=lambda e: e["trigger"]["start"])
        page = client.get(f"/articles/{record.article.id}", params={"event": late["pk"]})
        assert page.status_code == 200 and f'id="ev-{late["pk"]}"' in page.text
        assert "Part 1 of" not in page.text


def test_a_fresh_request_waits_for_at_most_one_bounded_part(long_store) -> None:  # type: ignore[no-untyped-def]
    """The handlers run one at a time (serve --threads 1): a small page asked for while the long
    article's page is made waits for that page only, which is now one part, not the whole."""
    from concurrent.futures import ThreadPoolExecutor

    store, record = long_store
    with TestClient(create_app(store)) as client, ThreadPoolExecutor(2) as pool:
        slow = pool.submit(client.get, f"/articles/{record.article.id}", params={"part": 2})
        time.sleep(0.05)  # the long page is being made
        started = time.perf_counter()
        small = pool.submit(client.get, "/api/events", params={"per_page": 1})
        assert small.result(timeout=60).status_code == 200
        waited = time.perf_counter() - started
        assert slow.result(timeout=60).status_code == 200
    assert waited < 5.0, f"a one-event answer waited {waited:.1f} s behind a long article"


def test_article_records_are_kept_within_a_weight_budget() -> None:
    from eventwire.serve.cache import ResultCache

    cache = ResultCache(size=100, weigh=len, max_weight=10)
    for key in "abcd":
        cache.get(key, 1, lambda key=key: key * 4)
    assert cache.weight <= 10
    assert cache.peek("d", 1) == (True, "dddd") and cache.peek("a", 1) == (False, None)
    cache.get("big", 1, lambda: "x" * 50)  # heavier than the budget: kept alone, the newest
    assert cache.peek("big", 1)[0] and not cache.peek("d", 1)[0] and cache.weight == 50


def test_the_weight_of_a_long_record_is_close_to_its_memory(long_store) -> None:  # type: ignore[no-untyped-def]
    import tracemalloc

    from eventwire.query.corrections import load_overlay
    from eventwire.query.queries import get_article
    from eventwire.serve.cache import record_weight

    store, record = long_store
    with store.session() as session:
        overlay = load_overlay(session)
        tracemalloc.start()
        try:
            data = get_article(session, record.article.id, overlay)
            held, _peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert held / 2 < record_weight(data) < held * 2
