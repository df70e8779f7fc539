"""A long article in a real browser (issue 19, item 1): a link to an event in a later part of the
text (``/articles/ID#ev-PK``, as the events table and the network give) lands on that part with
the event's card shown. Debian's Chromium driven by Playwright; the store holds the synthetic
article of tests/unit/long_article.py (no model needed)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from long_article import long_record  # noqa: E402
from test_serve_data import write  # noqa: E402
from test_web_browser import ARGS, CHROMIUM, _Server  # noqa: E402

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium (bash .ci/system-deps.sh)")
    pytest.importorskip("playwright.sync_api", reason="playwright (test extra) not installed")
    from eventwire.serve.app import create_app
    from eventwire.store.db import open_store

    store = open_store(str(tmp_path_factory.mktemp("long") / "long.db"))
    record = long_record()
    write(store, [record])
    with _Server(create_app(store)) as url:
        yield url, record
    store.close()


def test_a_link_to_an_event_in_a_later_part_opens_that_part(site: tuple[str, Any]) -> None:
    from playwright.sync_api import sync_playwright

    base_url, record = site
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            events = page.request.get(f"{base_url}/api/articles/{record.article.id}").json()[
                "events"
            ]
            late = max(events, key=lambda e: e["trigger"]["start"])
            page.goto(f"{base_url}/articles/{record.article.id}#ev-{late['pk']}")
            page.wait_for_url(f"**?event={late['pk']}#ev-{late['pk']}")
            card = page.locator(".event-card:target")
            card.wait_for(state="visible")
            assert card.get_attribute("id") == f"ev-{late['pk']}"
            assert page.locator(f'.trigger.selected[data-ev="{late["pk"]}"]').count() >= 1
            assert "Part 1 of" not in page.locator("p.pager").inner_text()
            assert errors == []
        finally:
            browser.close()
