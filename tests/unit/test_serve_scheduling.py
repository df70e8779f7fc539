"""How the desk schedules work under load: one handler thread, no thread hops for cheap
dependencies, and a store fingerprint that is not re-read while nothing was committed."""

from __future__ import annotations

import inspect
import sqlite3
import threading
import time
import warnings
from pathlib import Path

import pytest
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.serve import THREADS  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.cache import Freshness  # noqa: E402
from eventwire.store.db import ChangeCounter, open_store  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # starlette prefers httpx2; httpx works
    from fastapi.testclient import TestClient


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "desk.db")
    yield db
    db.close()


def test_handlers_run_in_arrival_order_on_the_given_number_of_threads(store) -> None:  # type: ignore[no-untyped-def]
    from eventwire.serve import handlers

    seen: list[str] = []
    app = create_app(store)

    @app.get("/probe")
    @handlers.queued
    def probe() -> dict[str, str]:
        seen.append(threading.current_thread().name)
        return {"ok": "yes"}

    with TestClient(app) as client:
        assert handlers.threads() == THREADS == 1
        assert client.get("/probe").json() == {"ok": "yes"}
        assert client.get("/api/overview").status_code == 200
    assert seen and seen[0].startswith("eventwire-handler")
    with TestClient(create_app(store, threads=3)):
        assert handlers.threads() == 3
    handlers.set_threads(THREADS)


def test_every_route_handler_is_queued_on_the_handler_pool() -> None:
    from eventwire.serve.api import router as api_router
    from eventwire.serve.pages import router as page_router

    for route in [*api_router.routes, *page_router.routes]:
        endpoint = route.endpoint  # type: ignore[attr-defined]
        assert inspect.iscoroutinefunction(endpoint), route.path  # type: ignore[attr-defined]


async def _in_order() -> list[int]:
    import asyncio

    from eventwire.serve import handlers

    done: list[int] = []

    def slow(n: int) -> int:
        time.sleep(0.01 if n == 0 else 0)
        done.append(n)
        return n

    run = handlers.queued(slow)
    assert await asyncio.gather(*(run(n) for n in range(6))) == list(range(6))
    return done


def test_the_handler_queue_is_first_come_first_served() -> None:
    import asyncio

    from eventwire.serve import handlers

    handlers.set_threads(1)
    assert asyncio.run(_in_order()) == list(range(6))


def _dependencies(dependant):  # type: ignore[no-untyped-def]
    for sub in dependant.dependencies:
        yield sub
        yield from _dependencies(sub)


def test_no_route_dependency_takes_a_turn_on_the_handler_thread() -> None:
    """A plain (sync) dependency runs on the thread pool: with one thread, each would queue
    the request behind all other fresh answers once more."""
    from eventwire.serve.api import router as api_router
    from eventwire.serve.pages import router as page_router

    seen = set()
    for route in [*api_router.routes, *page_router.routes]:
        dependant = getattr(route, "dependant", None)
        for sub in _dependencies(dependant) if dependant is not None else ():
            if sub.call is None:
                continue
            seen.add(sub.call.__name__)
            assert inspect.iscoroutinefunction(sub.call) or inspect.isasyncgenfunction(sub.call), (
                f"{route.path}: dependency {sub.call.__name__} is not async"
            )
    assert {"get_ctx", "page_args", "event_filter", "require_token"} <= seen


def test_the_change_counter_moves_on_every_commit_from_another_connection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (x)")
    counter = ChangeCounter(str(path))
    before = counter()
    assert counter() == before  # reading moves nothing
    writer.execute("INSERT INTO t VALUES (1)")
    after = counter()
    assert after != before and counter() == after
    writer.execute("BEGIN")
    writer.execute("INSERT INTO t VALUES (2)")
    assert counter() == after  # not committed yet
    writer.execute("COMMIT")
    assert counter() != after
    counter.close()
    writer.close()


def test_only_file_sqlite_stores_have_a_change_counter(store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(store.change_counter(), ChangeCounter)
    memory = open_store("sqlite://")
    assert memory.change_counter() is None
    memory.close()


def test_freshness_keeps_the_fingerprint_while_nothing_was_committed(store) -> None:  # type: ignore[no-untyped-def]
    reads: list[int] = []

    def sessions():  # type: ignore[no-untyped-def]
        reads.append(1)
        return store.session()

    fresh = Freshness(ttl=0, changes=store.change_counter())
    stamp = fresh.stamp(sessions)
    assert fresh.current() == stamp and fresh.stamp(sessions) == stamp and len(reads) == 1
    with store.session() as session, session.begin():
        session.connection().exec_driver_sql("CREATE TABLE scratch (x)")
    assert fresh.current() is None  # something was committed: the fingerprint may be stale
    assert fresh.stamp(sessions) == stamp and len(reads) == 2  # (a new table changes no count)
    assert fresh.current() == stamp
    fresh.expire()
    assert fresh.current() is None and fresh.stamp(sessions) == stamp and len(reads) == 3


def test_a_commit_elsewhere_shows_in_the_next_answer_after_the_ttl(store) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    app.state.freshness.ttl = 0
    client = TestClient(app)
    first = client.get("/api/articles").json()["items"][0]
    assert client.get("/api/articles").json()["items"][0] == first  # from the response cache
    other = sqlite3.connect(store.url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute(
        "UPDATE articles SET title = 'Renamed elsewhere', ingested_at = '2999-01-01' WHERE id = ?",
        (first["id"],),
    )
    other.close()
    assert client.get("/api/articles").json()["items"][0]["title"] == "Renamed elsewhere"


def test_a_store_opened_for_reading_maps_its_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from eventwire.store.db import READER_MMAP

    for size, expected in ((READER_MMAP, READER_MMAP), (0, 0)):
        store = open_store(str(tmp_path / "m.db"), mmap_bytes=size)
        with store.engine.connect() as connection:
            got = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
        store.close()
        assert got == expected


def test_json_columns_decode_alike_with_and_without_orjson() -> None:
    from eventwire.store import db

    for text in ('[{"value": 3, "unit": "killed"}]', '["a", "b"]', "NaN", "[1.5, null]"):
        got, want = db._json_loads(text), __import__("json").loads(text)
        assert repr(got) == repr(want)  # NaN != NaN, so compare how they print


def test_the_outermost_cache_answers_only_allowed_hosts_and_keeps_security_headers(store) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store, allowed_hosts=["localhost", "[::1]"])
    calls: list[int] = []
    real = app.state.cache.get

    def counting(key, stamp, compute):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(key, stamp, compute)

    app.state.cache.get = counting
    client = TestClient(app, base_url="http://localhost", raise_server_exceptions=False)
    first = client.get("/api/overview")
    made = len(calls)
    assert first.status_code == 200 and made > 0
    for host in ("localhost", "localhost:8000", "[::1]:8000"):
        again = client.get("/api/overview", headers={"Host": host})
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
    assert len(calls) == made  # all three came from the response cache
    for host in ("evil.example", "localhost.evil.example", "evil.example:80"):
        assert client.get("/api/overview", headers={"Host": host}).status_code == 400
    assert client.get("/api/overview", headers={"Host": "localhost"}).status_code == 200


def test_an_article_page_and_its_api_twin_read_the_record_once(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from eventwire.serve import context as desk

    reads: list[str] = []
    real = desk.get_article

    def counting(session, article_id, overlay):  # type: ignore[no-untyped-def]
        reads.append(article_id)
        return real(session, article_id, overlay)

    monkeypatch.setattr(desk, "get_article", counting)
    client = TestClient(create_app(store))
    article_id = client.get("/api/articles").json()["items"][0]["id"]
    record = client.get(f"/api/articles/{article_id}").json()
    page = client.get(f"/articles/{article_id}")
    assert page.status_code == 200 and record["article"]["id"] == article_id
    assert reads == [article_id]
    assert client.get("/api/articles/nope").status_code == 404
