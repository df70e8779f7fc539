"""The start-up warm-up requests the common answers, and afterwards they cost no SQL."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from sqlalchemy import event
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.query.corrections import load_overlay  # noqa: E402
from eventwire.record import EVENT_TYPES  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.warmup import common_urls, warm_responses  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "desk.db")
    yield db
    db.close()


def urls_of(store) -> list[str]:  # type: ignore[no-untyped-def]
    with store.session() as session:
        return common_urls(session, load_overlay(session))


def test_common_urls_cover_pages_categories_actors_and_articles(store) -> None:  # type: ignore[no-untyped-def]
    urls = urls_of(store)
    assert "/" in urls and "/api/overview" in urls and "/stories" in urls
    assert "/api/network?type=ASSAULT" in urls and f"/map?type={EVENT_TYPES[-1]}" in urls
    assert "/actors/n%3Aarmy" in urls and "/api/actors/n%3Aarmy" in urls
    assert sum(u.startswith("/api/articles/") for u in urls) == 3  # every article: three
    assert len(urls) == len(set(urls))


def test_every_common_url_answers(store) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(create_app(store))
    for url in urls_of(store):
        assert client.get(url).status_code == 200, url


def test_warmed_answers_cost_no_sql(store) -> None:  # type: ignore[no-untyped-def]
    app = create_app(store)
    app.state.freshness.ttl = 300.0  # the fingerprint is not re-read during this test
    urls = urls_of(store)
    assert warm_responses(app, urls) == len(urls)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = TestClient(app)
    assert client.get("/api/events?type=ASSAULT").status_code == 200
    assert client.get("/actors/n%3Aarmy").status_code == 200
    assert statements == []
    assert client.get("/api/events?type=ASSAULT&page=2").status_code == 200  # not warmed
    assert statements


def test_health_says_when_the_warm_up_is_done(store) -> None:  # type: ignore[no-untyped-def]
    cold = TestClient(create_app(store))
    assert cold.get("/api/health").json() == {"status": "ok", "warm": False}
    app = create_app(store, warm=True)
    assert app.state.warmed.wait(timeout=60)
    assert TestClient(app).get("/api/health").json() == {"status": "ok", "warm": True}
    app.state.warm_thread.join(timeout=60)
