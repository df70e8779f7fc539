"""The desk's pages (server-rendered) and their helpers: escaping, highlights, charts, map."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from markupsafe import Markup  # noqa: E402

from eventwire.serve import svg  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.geo import project, world_paths  # noqa: E402
from eventwire.serve.highlight import segments  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

PAGES = [
    "/",
    "/articles",
    "/actors",
    "/network",
    "/map",
    "/events",
    "/stories",
    "/search?q=Army",
    "/corrections",
    "/trends",
]


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "pages.db")
    yield db
    db.close()


def client_for(store, token: str | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(store, token=token), raise_server_exceptions=False)


def test_every_page_renders(store) -> None:  # type: ignore[no-untyped-def]
    client = client_for(store)
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        assert "<script>" not in response.text, url
    # packaged templates are read once, not checked on disk at every render
    assert client.app.state.templates.env.auto_reload is False  # type: ignore[attr-defined]


def test_titles_are_escaped(store) -> None:  # type: ignore[no-untyped-def]
    client = client_for(store)
    article = client.get("/api/articles", params={"q": "shelled"}).json()["items"][0]
    for url in ["/articles", f"/articles/{article['id']}"]:
        page = client.get(url).text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    body = client.get(f"/articles/{article['id']}").text
    assert "&lt;b&gt;war crimes&lt;/b&gt;" in body  # text is text, never markup


def test_article_page_highlights_and_lists_boilerplate(store) -> None:  # type: ignore[no-untyped-def]
    client = client_for(store)
    article = client.get("/api/articles", params={"q": "shelled"}).json()["items"][0]
    page = client.get(f"/articles/{article['id']}").text
    assert 'class="trigger ' in page and 'class="ent ' in page and 'class="quote"' in page
    assert 'id="ev-' in page and "Claimed by" in page and "Ministry" in page
    assert "Subscribe to our newsletter" in page and "newsletter prompt" in page
    assert ">Omar Test</a>: “We will not stop,”" in page


def test_read_only_pages_say_so_and_offer_no_forms(store) -> None:  # type: ignore[no-untyped-def]
    article = client_for(store).get("/api/articles").json()["items"][0]["id"]
    readonly = client_for(store).get(f"/articles/{article}").text
    assert "Read-only" in readonly and "correction-form" not in readonly
    writable = client_for(store, "tok").get(f"/articles/{article}").text
    assert "Read-only" not in writable and "correction-form" in writable


def test_network_page_has_clickable_edges(store) -> None:  # type: ignore[no-untyped-def]
    page = client_for(store).get("/network", params={"type": "ASSAULT"}).text
    assert 'class="edge"' in page and 'data-source="n:rebels"' in page


def test_actor_page_and_missing_pages(store) -> None:  # type: ignore[no-untyped-def]
    client = client_for(store)
    page = client.get("/actors/n:omar%20test").text
    assert "General" in page and "We will not stop," in page
    missing = client.get("/actors/n:nobody")
    assert missing.status_code == 404 and "no such actor" in missing.text
    assert client.get("/articles/nope").status_code == 404


def test_events_page_offers_export_of_what_is_shown(store) -> None:  # type: ignore[no-untyped-def]
    client = client_for(store)
    page = client.get("/events", params={"type": "ASSAULT"}).text
    assert "/api/events?type=ASSAULT&amp;page=1&amp;per_page=50&amp;format=csv" in page
    csv_text = client.get("/api/events", params={"type": "ASSAULT", "format": "csv"}).text
    assert csv_text.count("\n") == 3 and "shelled" in csv_text


def test_segments_spell_the_text_and_carry_annotations() -> None:
    text = 'Army shelled the town, "said" Ana.'
    record = {
        "article": {"text": text},
        "entities": [{"name": "Army", "mentions": [{"start": 0, "end": 4}]}],
        "events": [{"pk": 7, "trigger": {"start": 5, "end": 12}}],
        "quotes": [{"start": 23, "end": 29}],
    }
    parts = segments(record)
    assert "".join(p.text for p in parts) == text
    assert [p.text for p in parts if p.entity] == ["Army"]
    assert [(p.text, p.events) for p in parts if p.events] == [("shelled", [7])]
    assert [p.text for p in parts if p.quote] == ['"said"']


def test_segments_ignore_offsets_outside_the_text() -> None:
    record = {
        "article": {"text": "short"},
        "entities": [],
        "events": [{"pk": 1, "trigger": {"start": 50, "end": 60}}],
        "quotes": [],
    }
    assert [p.text for p in segments(record)] == ["short"]


def test_svg_escapes_data() -> None:
    graph = {
        "nodes": [
            {"key": "n:<x>", "name": "<script>", "weight": 1},
            {"key": "n:b", "name": "B", "weight": 1},
        ],
        "edges": [{"source": "n:<x>", "target": "n:b", "weight": 1, "types": {"AID": 1}}],
    }
    drawn = svg.network(graph)
    assert isinstance(drawn, Markup) and "<script>" not in drawn and "&lt;script&gt;" in drawn
    chart = svg.timeline([("2024-01", "AID", 2), ("2024-02", "ASSAULT", 1)])
    assert chart.count("<rect") == 2 and "2024-02" in chart


def test_world_boundaries_come_from_an_installed_package() -> None:
    paths = world_paths()
    assert len(paths) > 150
    isos = {iso for iso, _name, _d in paths}
    assert {"FRA", "BRA", "LBN"} <= isos
    assert project(0, 0) == (500.0, 250.0)
    assert '<path d="M' in svg.world_map([])


def test_serve_command_is_registered() -> None:
    from eventwire.cli import main

    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--token" in result.output and "127.0.0.1" in result.output


def test_trends_page_says_not_available_without_the_monitoring_module(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from eventwire.serve import pages

    real = pages.importlib.util.find_spec
    monkeypatch.setattr(
        pages.importlib.util,
        "find_spec",
        lambda name: None if name.startswith("eventwire.analyse") else real(name),
    )
    page = client_for(store).get("/trends")
    assert page.status_code == 200 and "Trends are not available" in page.text


def test_slow_trends_are_computed_in_the_background(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from eventwire.serve import pages
    from eventwire.serve import trends as trends_module

    release = threading.Event()

    def slow(_session, _flt):  # type: ignore[no-untyped-def]
        release.wait(10)
        return {"title": "slow trends", "columns": ["period"], "rows": [], "alerts": []}

    monkeypatch.setattr(trends_module, "trends_for", slow)
    monkeypatch.setattr(pages, "TRENDS_WAIT", 0.05)
    client = client_for(store)
    first = client.get("/trends").text
    assert "being computed" in first and 'http-equiv="refresh"' in first
    release.set()
    for _ in range(100):
        page = client.get("/trends").text
        if "slow trends" in page:
            break
    assert "slow trends" in page and "being computed" not in page
