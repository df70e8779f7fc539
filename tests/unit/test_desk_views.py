"""The desk's interactive views: the time axis, the date window, series, graph, points, assets."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.query.series import as_day, dense_window  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402
from eventwire.serve.security import CSP  # noqa: E402
from eventwire.serve.views import bucket_of, buckets, pick_period, series  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

STATIC = Path(__file__).resolve().parents[2] / "src" / "eventwire" / "serve" / "static"


@pytest.fixture()
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "views.db")
    yield TestClient(create_app(db), raise_server_exceptions=False)
    db.close()


def test_partial_dates_count_on_their_first_day() -> None:
    assert as_day("2024-03-05T10:00") == "2024-03-05"
    assert as_day("2024-03") == "2024-03-01"
    assert as_day("2024") == "2024-01-01"
    assert as_day("2024-02-30") is None


def test_dense_window_is_twelve_calendar_months_ending_with_the_latest_event() -> None:
    days = ["1630-01-01", "2023-01-10", "2024-03-04", "2024-04-10"]
    assert dense_window(days) == ("2023-05-01", "2024-04-10")
    assert dense_window(days, months=1) == ("2024-04-01", "2024-04-10")
    assert dense_window(["2024-01-15"]) == ("2023-02-01", "2024-01-15")
    assert dense_window([]) is None


def test_time_axis_is_continuous_so_gaps_stay_visible() -> None:
    assert buckets("2024-01-15", "2024-04-02", "month") == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
        "2024-04-01",
    ]
    assert buckets("2024-12-30", "2025-01-02", "day")[-1] == "2025-01-02"
    assert len(buckets("2024-12-30", "2025-01-02", "day")) == 4
    assert bucket_of("2024-04-04", "week") == "2024-04-01"  # a Thursday, its Monday
    assert buckets("2024-04-04", "2024-04-15", "week") == ["2024-04-01", "2024-04-08", "2024-04-15"]
    rows = [
        ("2024-01-03", "ASSAULT", 2),
        ("2024-03-09", "ASSAULT", 1),
        ("2024-03-10", "CONSULT", 4),
    ]
    data = series(rows, "2024-01-01", "2024-03-31", "month")
    assert data["counts"] == {"CONSULT": [0, 0, 4], "ASSAULT": [2, 0, 1]}


def test_period_is_the_finest_that_stays_readable() -> None:
    assert pick_period("2024-01-01", "2024-03-31") == "day"
    assert pick_period("2024-01-01", "2025-12-31") == "week"
    assert pick_period("2000-01-01", "2025-12-31") == "month"


def test_series_defaults_to_the_dense_window_and_honours_the_url_window(client) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/views/series").json()
    assert data["window"] == {"from": "2023-05-01", "to": "2024-04-10"}
    assert sum(sum(v) for v in data["counts"].values()) == 5
    assert len(data["buckets"]) == len(data["intensity"])
    narrow = client.get("/api/views/series?from=2024-04-01&to=2024-04-30").json()
    assert narrow["period"] == "day" and len(narrow["buckets"]) == 30
    assert sum(sum(v) for v in narrow["counts"].values()) == 3
    month = client.get("/api/views/series?from=2024&to=2024&period=month").json()
    assert month["window"] == {"from": "2024-01-01", "to": "2024-12-31"}
    assert len(month["buckets"]) == 12
    assert client.get("/api/views/series?from=2024-05-01&to=2024-04-01").status_code == 400
    assert client.get("/api/views/series?from=2024-13-01").status_code == 400
    assert client.get("/api/views/series?from=1900-01-01&period=day").status_code == 400


def test_actor_series_splits_source_and_target(client) -> None:  # type: ignore[no-untyped-def]
    source = client.get("/api/views/series?actor=n:army&role=source").json()
    target = client.get("/api/views/series?actor=n:army&role=target").json()
    both = client.get("/api/views/series?actor=n:army").json()

    def total(data: dict) -> int:
        return sum(sum(v) for v in data["counts"].values())

    assert total(source) + total(target) == total(both) > 0
    events = client.get("/api/events?actor=n:army").json()["items"]
    as_target = [e for e in events if "n:army" in {a["key"] for a in e["actors"]["target"]}]
    assert total(target) == len(as_target) > 0
    assert set(target["counts"]) == {e["type"] for e in as_target}
    assert client.get("/api/views/series?role=source").status_code == 400


def test_series_csv_has_one_row_per_period(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/views/series.csv?from=2024-01&to=2024-06&period=month")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.splitlines()
    assert lines[0].startswith("period,") and lines[0].endswith(",total,intensity")
    assert len(lines) == 1 + 6
    assert lines[3].startswith("2024-03-01,")


def test_graph_filters_and_ego(client) -> None:  # type: ignore[no-untyped-def]
    full = client.get("/api/views/graph").json()
    assert {e["quad"] for e in full["edges"]} <= {
        "verbal_cooperation",
        "material_cooperation",
        "verbal_conflict",
        "material_conflict",
    }
    keys = {n["key"] for n in full["nodes"]}
    assert keys == {k for e in full["edges"] for k in (e["source"], e["target"])}
    heavy = client.get("/api/views/graph?min_events=2").json()
    assert heavy["edges"] and all(e["weight"] >= 2 for e in heavy["edges"])
    assert len(heavy["edges"]) < len(full["edges"])
    ego = client.get("/api/views/graph?ego=n:rebels").json()
    assert ego["edges"] and all("n:rebels" in (e["source"], e["target"]) for e in ego["edges"])
    assert client.get("/api/views/graph?ego=not a key").status_code == 400
    empty = client.get("/api/views/graph?from=2020-01-01&to=2020-12-31").json()
    assert empty["nodes"] == [] and empty["edges"] == []


def test_points_in_window_with_country_counts(client) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/views/points").json()
    assert data["points"] and sum(data["countries"].values()) == len(data["points"])
    none = client.get("/api/views/points?from=2020-01-01&to=2020-12-31").json()
    assert none["points"] == [] and none["countries"] == {}


def test_boundaries_are_the_offline_geojson_base_layer(client) -> None:  # type: ignore[no-untyped-def]
    data = client.get("/api/views/boundaries.json").json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) > 150
    assert {"FRA", "BRA", "IND"} <= {f["id"] for f in data["features"]}


def test_window_on_filter_pages_is_from_to_in_the_url(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/events?from=2024-04-01&to=2024-04-30")
    assert page.status_code == 200
    assert 'name="from" value="2024-04-01"' in page.text
    rows = client.get("/api/events?from=2024-04-01&to=2024-04-30").json()
    assert rows["total"] == 3


def test_pages_load_vendored_assets_only_and_csp_stays_strict(client) -> None:  # type: ignore[no-untyped-def]
    wanted = {
        "/": ["/static/vendor/uplot/uPlot.iife.min.js", "/static/views.js"],
        "/trends": ["/static/vendor/uplot/uPlot.iife.min.js"],
        "/network": ["/static/vendor/cytoscape/cytoscape.min.js"],
        "/map": [
            "/static/vendor/leaflet/leaflet.js",
            "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        ],
        "/actors/n:army": ["/static/vendor/uplot/uPlot.iife.min.js"],
    }
    for url, scripts in wanted.items():
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["content-security-policy"] == CSP
        assert "<script>" not in page.text and "http://" not in page.text.replace(
            "http://www.w3.org", ""
        )
        for script in scripts:
            assert f'<script src="{script}" defer></script>' in page.text, (url, script)
            assert client.get(script).status_code == 200
    assert "script-src 'self';" in CSP and "unsafe" not in CSP


def test_vendored_libraries_ship_their_licences_and_pinned_versions() -> None:
    vendor = STATIC / "vendor"
    versions = json.loads((vendor / "VERSIONS.json").read_text(encoding="utf-8"))
    assert set(versions) == {"uplot", "cytoscape", "leaflet", "leaflet.markercluster"}
    lock = json.loads(
        (STATIC.parents[3] / "desk-assets" / "package-lock.json").read_text(encoding="utf-8")
    )
    for name, info in versions.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == info["version"]
        folder = vendor / name
        assert any(p.name.upper().startswith(("LICENSE", "MIT-LICENCE")) for p in folder.iterdir())


def test_dyad_series_counts_events_between_two_actors_either_way(client) -> None:  # type: ignore[no-untyped-def]
    def total(data: dict) -> int:
        return sum(sum(v) for v in data["counts"].values())

    events = client.get("/api/events?actor=n:army").json()["items"]

    def keys(event: dict, side: str) -> set[str]:
        return {a["key"] for a in event["actors"][side]}

    between = [
        e
        for e in events
        if ("n:army" in keys(e, "source") and "n:rebels" in keys(e, "target"))
        or ("n:rebels" in keys(e, "source") and "n:army" in keys(e, "target"))
    ]
    dyad = client.get("/api/views/series?actor=n:army&dyad=n:rebels").json()
    assert total(dyad) == len(between) > 0
    assert total(dyad) < total(client.get("/api/views/series?actor=n:army").json())
    assert client.get("/api/views/series?dyad=n:rebels").status_code == 400


def test_trends_series_follows_eventwire_trends_date_and_modality_rules(tmp_path: Path) -> None:
    """A month-only event date counts on the article's day; a negated event only when asked."""
    from dataclasses import replace

    from test_serve_data import TEXTS, event, records, write

    from eventwire.query.corrections import Overlay
    from eventwire.query.filters import EventFilter
    from eventwire.query.series import daily_counts
    from eventwire.record import EventDate
    from eventwire.store.db import open_store

    items = records()
    text = TEXTS[0]
    month_only = replace(
        event(text, "v3", "AID", "shelled", ["e1"], ["e2"]),
        date=EventDate("2024-02", "month", None, "explicit"),
    )
    denied = event(
        text, "v4", "ASSAULT", "accused", ["e3"], ["e1"], date="2024-03-01", modality="negated"
    )
    items[0] = replace(items[0], events=[*items[0].events, month_only, denied])
    store = open_store(str(tmp_path / "rules.db"))
    write(store, items)
    with store.session() as session:
        everything = daily_counts(session, EventFilter(), Overlay())
        happened = daily_counts(session, EventFilter(), Overlay(), happened=True)
    store.close()
    assert ("2024-03-05", "AID", 1) in everything  # the article's day, not 2024-02-01
    assert not any(day == "2024-02-01" for day, _t, _n in everything)
    assert ("2024-03-01", "ASSAULT", 1) in everything
    assert ("2024-03-01", "ASSAULT", 1) not in happened


def test_actors_page_lists_the_most_active_in_the_window(client) -> None:  # type: ignore[no-untyped-def]
    events = client.get("/api/events?from=2024-03-01&to=2024-03-31").json()["items"]
    expected: dict[str, int] = {}
    for e in events:
        for key in {a["key"] for side in e["actors"].values() for a in side}:
            expected[key] = expected.get(key, 0) + 1
    page = client.get("/actors?from=2024-03-01&to=2024-03-31")
    assert page.status_code == 200 and "Events in window" in page.text
    for key, n in expected.items():
        assert f"<td>{n}</td><td><code>{key}</code>" in page.text, key
    assert page.text.count("<code>n:") == len(expected)
    everyone = client.get("/actors?from=2024-03-01&to=2024-04-30").text
    assert everyone.count("<code>n:") > len(expected)
    assert "Articles" in client.get("/actors?q=Army").text  # a name search: the whole store


def test_stories_page_keeps_its_window_in_the_url(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/stories?from=2024-03-01&to=2024-03-31")
    assert page.status_code == 200
    assert 'name="from" value="2024-03-01"' in page.text
    assert client.get("/stories?from=2024-99").status_code == 400


def test_undated_events_are_not_dropped_by_default_windows(tmp_path: Path) -> None:
    """Most events in news text have no date of their own: the network, the map and the events
    page take no default window (the read layer's window reads events' own dates), and the
    actors list in a window counts them on their article's date."""
    from dataclasses import replace

    from test_serve_data import TEXTS, event, records, write

    from eventwire.store.db import open_store

    items = records()
    undated = event(
        TEXTS[0], "v9", "AID", "shelled", ["e5"], ["e4"], place=("Rivertown", "XRV", 10.5, 20.25)
    )
    items[0] = replace(items[0], events=[*items[0].events, undated])
    store = open_store(str(tmp_path / "undated.db"))
    write(store, items)
    client = TestClient(create_app(store), raise_server_exceptions=False)
    try:
        graph = client.get("/api/views/graph").json()
        assert {"n:ministry", "n:omar test"} <= {n["key"] for n in graph["nodes"]}
        assert any(p["type"] == "AID" for p in client.get("/api/views/points").json()["points"])
        assert "AID" in client.get("/events").text
        march = client.get("/actors?from=2024-03-01&to=2024-03-31").text  # published 2024-03-05
        assert "<code>n:omar test</code>" in march
        assert "<code>n:omar test</code>" not in client.get("/actors?from=2024-04-01").text
        series = client.get("/api/views/series?from=2024-03-01&to=2024-03-31").json()
        assert series["counts"]["AID"][4] == 1  # on 2024-03-05, its article's day
    finally:
        store.close()


def test_overview_lists_follow_a_window_in_the_url(client) -> None:  # type: ignore[no-untyped-def]
    whole = client.get("/").text
    march = client.get("/?from=2024-03-01&to=2024-03-31").text
    assert "Protesters" in whole  # active in April only
    assert "Protesters" not in march.split("Most active actors")[1].split("Latest stories")[0]


def test_actor_page_lists_its_events_in_the_window(client) -> None:  # type: ignore[no-untyped-def]
    whole = client.get("/actors/n:army").text
    march = client.get("/actors/n:army?from=2024-03-01&to=2024-03-31").text
    events = client.get("/api/events?actor=n:army").json()["items"]
    april = [e for e in events if (e["date"] or {}).get("value", "").startswith("2024-04")]
    assert april
    for e in april:
        assert f"#ev-{e['pk']}" in whole
        assert f"#ev-{e['pk']}" not in march
    assert "own date in the window" in march and "in the window" not in whole
