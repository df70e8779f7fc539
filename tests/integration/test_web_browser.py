"""The desk in a real browser: Debian's Chromium driven by Playwright over the demo store.

The app runs under uvicorn on 127.0.0.1 in a background thread, over a store built by ingesting
the bundled examples (so this needs the trained model). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TOKEN = "browser-test-token"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "overview": "/",
    "articles": "/articles",
    "actors": "/actors",
    "network": "/network",
    "map": "/map",
    "events": "/events",
    "stories": "/stories",
    "trends": "/trends",
    "corrections": "/corrections",
    "search": "/search?q=said",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Server:
    """uvicorn in a thread, stopped at teardown."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = _free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        if not self.server.started:
            pytest.fail("uvicorn did not start within 30 s")
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (bash .ci/system-deps.sh)")
    pytest.importorskip("playwright.sync_api", reason="playwright (test extra) not installed")
    from eventwire.serve.demo import build_demo_store

    store = build_demo_store(tmp_path_factory.mktemp("demo") / "demo.db")
    yield store
    store.close()


@pytest.fixture(scope="module")
def base_url(demo_store: Any) -> Iterator[str]:
    from eventwire.serve.app import create_app

    with _Server(create_app(demo_store, token=TOKEN)) as url:
        yield url


@pytest.fixture(scope="module")
def browser(demo_store: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.errors = errors
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"desk-{name}.png"), full_page=True)


def test_every_page_opens_without_errors(page: Any, base_url: str) -> None:
    for name, path in PAGES.items():
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        assert page.locator("main h1").count() == 1, path
        shot(page, name)
    for name, listing, link in [
        ("actor", "/actors", "table.list tbody a"),
        ("story", "/stories", "table.list tbody a"),
        ("article", "/articles", "table.list tbody a"),
    ]:
        page.goto(base_url + listing)
        page.locator(link).first.click()
        page.wait_for_load_state()
        assert page.locator("main h1").count() == 1, name
        shot(page, name)
    assert page.errors == []


def test_overview_shows_counts_chart_and_actors(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    assert page.locator("svg.chart rect").count() > 0
    assert page.locator("ol.actors li a").count() > 0


def test_map_draws_countries_and_events(page: Any, base_url: str) -> None:
    page.goto(base_url + "/map")
    assert page.locator("svg.map path").count() > 150
    assert page.locator("svg.map a.point").count() > 0


def test_article_view_shows_coded_event_on_click(page: Any, base_url: str) -> None:
    page.goto(base_url + "/events")
    page.locator("#event-table tbody td a[href*='#ev-']").first.click()
    page.goto(page.url.split("#")[0])
    assert page.locator(".event-card:target").count() == 0
    trigger = page.locator(".trigger[data-ev]").first
    trigger.click()
    card = page.locator(".event-card:target")
    card.wait_for(state="visible")
    for label in ("Source", "Target", "Date", "Place", "Modality", "Claimed by", "Confidence"):
        assert card.locator("dt", has_text=label).count() == 1
    shot(page, "article-event")


def test_network_edge_leads_to_its_evidence_sentence(page: Any, base_url: str) -> None:
    page.goto(base_url + "/network")
    edges = page.locator("svg.network line.edge")
    assert edges.count() > 0
    edges.first.dispatch_event("click")
    link = page.locator("#edge-evidence a.evidence-link").first
    link.wait_for(state="visible")
    sentence = page.locator("#edge-evidence q.evidence").first.inner_text()
    shot(page, "network-edge")
    link.click()
    page.wait_for_url("**/articles/**#ev-*")
    card = page.locator(".event-card:target")
    card.wait_for(state="visible")
    assert card.locator(".evidence").inner_text().strip() == sentence.strip()
    assert page.locator(".trigger.selected").count() >= 1
    shot(page, "edge-evidence-article")


def _first_event_form(page: Any, base_url: str) -> Any:
    page.goto(base_url + "/events")
    page.locator("#event-table tbody td a[href*='#ev-']").first.click()
    card = page.locator(".event-card:target")
    card.wait_for(state="visible")
    card.locator("details.correct summary").click()
    return card.locator("form.correction-form")


def test_correction_is_refused_without_the_token_and_saved_with_it(
    page: Any, base_url: str
) -> None:
    form = _first_event_form(page, base_url)
    form.locator("select[name=type]").select_option("SANCTION")
    form.locator("input[name=author]").fill("Browser Analyst")
    form.locator("input[name=reason]").fill("category misread")
    form.locator("input[name=token]").fill("not-the-token")
    form.locator("button[type=submit]").click()
    refused = form.locator("output.result.refused")
    refused.wait_for(state="visible")
    assert "Refused" in refused.inner_text()
    shot(page, "correction-refused")
    form.locator("input[name=token]").fill(TOKEN)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    card = page.locator(".event-card:target")
    card.wait_for(state="visible")
    assert card.locator(".badge", has_text="corrected").count() == 1
    assert card.locator(".cat").first.inner_text() == "SANCTION"
    assert "Browser Analyst" in card.locator(".note").first.inner_text()
    shot(page, "correction-saved")
    page.goto(base_url + "/corrections")
    assert page.locator("table.list tbody tr", has_text="category misread").count() == 1


def test_read_only_server_says_so_in_the_browser(page: Any, demo_store: Any) -> None:
    from eventwire.serve.app import create_app

    with _Server(create_app(demo_store)) as url:
        page.goto(url + "/events")
        assert page.locator("#readonly-banner").is_visible()
        assert page.locator("form.correction-form").count() == 0
        shot(page, "read-only")
