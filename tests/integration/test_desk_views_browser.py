"""The desk's interactive views in Chromium: time charts, window change, network, map, actor.

Drives Debian's Chromium with Playwright over the demo store, with the fixtures of
:mod:`test_web_browser` (so this needs the trained model). Every view is clicked through the way
an analyst would: change the window, zoom, click a node and an edge, split a cluster.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from test_web_browser import base_url, browser, demo_store, page, shot  # noqa: F401

pytestmark = pytest.mark.integration


def _until(tab: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll ``expression`` until it is true (wait_for_function evals, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not tab.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"not true within {timeout} s: {expression}")
        tab.wait_for_timeout(100)


def _drawn(tab: Any, selector: str) -> None:
    tab.locator(selector + ".drawn canvas").first.wait_for(state="attached", timeout=20_000)


def test_overview_chart_and_window_change(page: Any, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "/")
    _drawn(page, "#overview-chart")
    first = page.locator("form.window input[name=from]").first
    assert first.input_value(), "the window form shows the dense range the chart used"
    period = page.locator("#overview-chart").get_attribute("data-period")
    assert period in {"day", "week", "month"}
    to = page.locator("form.window input[name=to]").first.input_value()
    first.fill(to[:8] + "01")  # a window of days: the period becomes days
    page.locator("form.window button[type=submit]").first.click()
    page.wait_for_url("**/?*from=*")
    query = parse_qs(urlparse(page.url).query)
    assert query["from"] == [to[:8] + "01"] and query["to"] == [to]
    _drawn(page, "#overview-chart")
    assert page.locator("#overview-chart").get_attribute("data-period") == "day"
    shot(page, "views-overview")
    assert page.errors == []


def test_trends_chart_table_and_csv(page: Any, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "/trends?period=month")
    _drawn(page, "#trends-chart")
    assert page.locator("#trend-table tbody tr").count() >= 1
    assert page.locator("#trend-table th", has_text="intensity").count() == 1
    response = page.request.get(base_url + page.locator("#trends-csv").get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    assert response.text().splitlines()[0].startswith("period,")
    shot(page, "views-trends")
    assert page.errors == []


def _graph(tab: Any, url: str) -> None:
    tab.goto(url)
    tab.locator("#graph[data-ready=yes]").wait_for(state="attached", timeout=30_000)


def test_network_zoom_edge_and_node_click(page: Any, base_url: str) -> None:  # noqa: F811
    _graph(page, base_url + "/network")
    assert page.evaluate("window.deskGraph.nodes().length") > 1
    before = page.evaluate("window.deskGraph.zoom()")
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    _until(page, f"window.deskGraph.zoom() > {before}")
    page.evaluate("window.deskGraph.fit(undefined, 30)")
    # an edge: click its rendered midpoint; its evidence sentences are listed
    mid = page.evaluate(
        "(() => { const e = window.deskGraph.edges().max((x) => x.data('weight')).ele;"
        " const p = e.renderedMidpoint(); return [p.x, p.y]; })()"
    )
    page.mouse.click(box["x"] + mid[0], box["y"] + mid[1])
    page.locator("#edge-evidence q.evidence").first.wait_for(state="visible", timeout=20_000)
    shot(page, "views-network-edge")
    # a node: click it, its actor page opens (with its timeline)
    spot = page.evaluate(
        "(() => { const n = window.deskGraph.nodes().max((x) => x.data('weight')).ele;"
        " const p = n.renderedPosition(); return [p.x, p.y, n.id()]; })()"
    )
    page.mouse.click(box["x"] + spot[0], box["y"] + spot[1])
    page.wait_for_url("**/actors/**")
    _drawn(page, "#actor-source-chart, #actor-target-chart")
    shot(page, "views-actor")
    page.locator("#ego-link").click()
    page.locator("#graph[data-ready=yes]").wait_for(state="attached", timeout=30_000)
    ego = parse_qs(urlparse(page.url).query)["ego"][0]
    ends = page.evaluate("window.deskGraph.edges().map((e) => [e.source().id(), e.target().id()])")
    assert ends and all(ego in pair for pair in ends)
    assert page.errors == []


def test_network_filters(page: Any, base_url: str) -> None:  # noqa: F811
    _graph(page, base_url + "/network?min_events=2&hide_generic=true")
    weights = page.evaluate("window.deskGraph.edges().map((e) => e.data('weight'))")
    assert all(w >= 2 for w in weights)
    assert page.evaluate("window.deskGraph.nodes('[?generic]').length") == 0
    assert page.errors == []


def test_map_cluster_splits_on_click_and_lists_events(page: Any, base_url: str) -> None:  # noqa: F811
    page.goto(base_url + "/map")
    page.locator("#map[data-ready=yes]").wait_for(state="attached", timeout=30_000)
    assert page.locator("#map path.leaflet-interactive").count() > 150  # countryinfo boundaries
    clusters = page.locator("#map .marker-cluster")
    if clusters.count() == 0:
        page.evaluate("window.deskMap.map.setZoom(1)")
    clusters.first.wait_for(state="visible", timeout=10_000)
    shown = "document.querySelectorAll('#map path.leaflet-interactive').length"
    before = page.evaluate(shown)
    inside = int(clusters.first.inner_text())
    clusters.first.click()
    # the cluster splits: zoomed in, or spread out where its events share one place
    _until(page, f"{shown} > {before}")
    assert page.locator("#map-events li.evidence-item").count() == min(inside, 200)
    shot(page, "views-map")
    page.locator("#map-shade").check()
    assert page.errors == []


def test_views_request_nothing_from_elsewhere(page: Any, base_url: str) -> None:  # noqa: F811
    """The vendored libraries load no tiles, fonts or scripts from outside the desk."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base_url + "/map")
    page.locator("#map[data-ready=yes]").wait_for(state="attached", timeout=30_000)
    page.locator("#map-shade").check()
    _graph(page, base_url + "/network")
    page.goto(base_url + "/trends")
    _drawn(page, "#trends-chart")
    assert requested and all(url.startswith(base_url + "/") for url in requested), [
        url for url in requested if not url.startswith(base_url + "/")
    ]
    assert any("/static/vendor/leaflet/leaflet.js" in url for url in requested)
    assert page.errors == []
