"""The desk's JSON API over a small hand-made store: filters, pages, errors, safety, corrections."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from test_serve_data import STAMP, records, small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.serve.app import create_app  # noqa: E402
from eventwire.store.write import replace_coding  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # starlette prefers httpx2; httpx works
    from fastapi.testclient import TestClient

TOKEN = "t0ken-for-tests"


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "desk.db")
    yield db
    db.close()


@pytest.fixture()
def client(store) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)


@pytest.fixture()
def readonly(store) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(store), raise_server_exceptions=False)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def events(client: TestClient, **params: str) -> list[dict]:
    response = client.get("/api/events", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_overview_counts_the_store(client: TestClient) -> None:
    data = client.get("/api/overview").json()
    assert data["counts"]["articles"] == 3
    assert data["counts"]["events"] == 5
    months = {(r["month"], r["type"]): r["events"] for r in data["timeline"]}
    assert months[("2024-04", "ASSAULT")] == 1 and months[("2024-03", "ASSAULT")] == 1
    assert data["top_actors"][0]["name"] in {"Army", "Rebels"}


def test_lists_are_paginated(client: TestClient) -> None:
    first = client.get("/api/events", params={"per_page": 2, "page": 1}).json()
    second = client.get("/api/events", params={"per_page": 2, "page": 2}).json()
    assert first["total"] == 5 and len(first["items"]) == 2 and len(second["items"]) == 2
    assert {e["pk"] for e in first["items"]}.isdisjoint({e["pk"] for e in second["items"]})
    assert client.get("/api/events", params={"per_page": 1000}).status_code == 422


def test_event_filters(client: TestClient) -> None:
    assert {e["type"] for e in events(client, type="ASSAULT")} == {"ASSAULT"}
    assert len(events(client, since="2024-04-01")) == 3
    assert len(events(client, until="2024-03")) == 2
    assert [e["trigger"]["text"] for e in events(client, q="marched")] == ["marched"]
    army = events(client, actor="n:army")
    assert len(army) == 4
    assert all(any(a["key"] == "n:army" for s in e["actors"].values() for a in s) for e in army)


def test_event_carries_its_claimant_and_evidence(client: TestClient) -> None:
    shelled = [e for e in events(client) if e["trigger"]["text"] == "shelled"][0]
    assert shelled["attributed_to"]["name"] == "Ministry"
    assert shelled["modality"] == "reported"
    assert shelled["evidence"]["text"].startswith("Army units shelled Rivertown")
    assert client.get(f"/api/events/{shelled['pk']}").json()["key"] == shelled["key"]


def test_articles_actors_quotes_stories_search(client: TestClient) -> None:
    articles = client.get("/api/articles").json()
    assert articles["total"] == 3 and articles["items"][0]["published"] == "2024-04-10"
    one = client.get(f"/api/articles/{articles['items'][-1]['id']}").json()
    assert one["article"]["removed"][0]["reason"] == "newsletter prompt"
    assert {e["trigger"]["text"] for e in one["events"]} == {"shelled", "accused"}
    actor = client.get("/api/actors/n:omar test").json()
    assert actor["roles"][0]["title"] == "General" and actor["roles"][0]["of"] == "Army"
    assert actor["quotes"][0]["text"] == "We will not stop,"
    quotes = client.get("/api/quotes", params={"q": "stop"}).json()
    assert quotes["items"][0]["speaker"]["name"] == "Omar Test"
    assert client.get("/api/stories").json() == {"items": [], "page": 1, "per_page": 50, "total": 0}
    kinds = {h["kind"] for h in client.get("/api/search", params={"q": "Rebels"}).json()["items"]}
    assert kinds == {"article", "event"}


def test_network_and_edge_evidence(client: TestClient) -> None:
    graph = client.get("/api/network").json()
    edges = {(e["source"], e["target"]): e for e in graph["edges"]}
    assert edges[("n:rebels", "n:army")]["weight"] == 2
    assert edges[("n:rebels", "n:army")]["types"] == {"ACCUSE": 1, "ASSAULT": 1}
    evidence = client.get(
        "/api/network/edge", params={"source": "n:rebels", "target": "n:army"}
    ).json()["items"]
    assert {e["trigger"]["text"] for e in evidence} == {"accused", "attacked"}
    assert all(e["evidence"]["text"] for e in evidence)
    only = client.get("/api/network", params={"type": "CONSULT"}).json()["edges"]
    assert [(e["source"], e["target"]) for e in only] == [("n:army", "n:rebels")]


def test_map_points_are_geolocated_events(client: TestClient) -> None:
    points = client.get("/api/map", params={"type": "ASSAULT"}).json()["items"]
    assert len(points) == 2 and all(p["lat"] == 10.5 for p in points)


def test_errors_have_one_shape(client: TestClient) -> None:
    for url, status in [
        ("/api/articles/nope", 404),
        ("/api/events/999999", 404),
        ("/api/events?type=EXPLODE", 400),
        ("/api/events?since=yesterday", 400),
        ("/api/events/abc", 422),
        ("/api/nothing-here", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, url


def test_unexpected_errors_hide_the_trace(client: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from eventwire.serve import api

    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret detail in /srv/app.py line 42")

    monkeypatch.setattr(api.Q, "list_articles", boom)
    response = client.get("/api/articles")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "internal error; see the server log"}
    }
    assert "secret" not in client.get("/articles").text


INJECTIONS = ["' OR 1=1 --", "x'); DROP TABLE events; --", '" OR ""="', "NEAR(a b)", "*", "a:b"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_strings_in_filters_are_harmless(client: TestClient, value: str) -> None:
    for params in ({"q": value}, {"actor": "n:" + value}):
        assert client.get("/api/events", params=params).status_code == 200
    assert client.get("/api/search", params={"q": value}).status_code == 200
    assert client.get("/api/articles", params={"q": value, "source": value}).status_code == 200
    assert client.get("/api/actors", params={"q": value}).status_code == 200
    assert client.get("/events", params={"q": value}).status_code == 200
    assert client.get("/api/overview").json()["counts"]["events"] == 5


@pytest.mark.parametrize(
    "path",
    [
        "/static/../../../../etc/passwd",
        "/static/%2e%2e/app.py",
        "/static/..%2f..%2fapp.py",
        "/static/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/static//etc/passwd",
    ],
)
def test_static_route_does_not_traverse(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404)
    assert "root:" not in response.text and "create_app" not in response.text


def test_static_assets_are_served(client: TestClient) -> None:
    assert "correctionBody" in client.get("/static/desk.js").text
    assert client.get("/static/desk.css").status_code == 200


def test_oversized_bodies_and_queries_are_refused(client: TestClient) -> None:
    big = client.post("/api/corrections/events", content=b"x" * 200_000, headers=auth())
    assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"
    chunks = (b"x" * 10_000 for _ in range(100))  # no Content-Length: counted as it arrives
    streamed = client.post(
        "/api/corrections/events",
        content=chunks,
        headers={**auth(), "content-type": "application/json"},
    )
    assert streamed.status_code == 413
    long = client.get("/api/events", params={"q": "a" * 5000})
    assert long.status_code == 414 and long.json()["error"]["code"] == "uri_too_long"


def test_security_headers_everywhere(client: TestClient) -> None:
    for url in ["/", "/api/events", "/static/desk.css", "/api/nothing"]:
        csp = client.get(url).headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'self'" in csp
        assert "unsafe-inline" not in csp


def test_openapi_document_lists_the_endpoints(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in [
        "/api/articles",
        "/api/actors",
        "/api/events",
        "/api/stories",
        "/api/quotes",
        "/api/network",
        "/api/search",
        "/api/corrections/events",
    ]:
        assert path in paths
    assert client.get("/docs").status_code == 404  # no CDN-backed Swagger UI


def _fix(client: TestClient, key: str, headers: dict[str, str] | None = None, **changes: object):  # type: ignore[no-untyped-def]
    body = {"key": key, "changes": changes, "author": "Ana", "reason": "misread trigger"}
    return client.post("/api/corrections/events", json=body, headers=headers or {})


def test_read_only_without_token(readonly: TestClient) -> None:
    key = events(readonly)[0]["key"]
    response = _fix(readonly, key, auth("anything"), type="PROTEST")
    assert response.status_code == 403 and response.json()["error"]["code"] == "read_only"
    assert "Read-only" in readonly.get("/").text


def test_corrections_need_the_right_token(client: TestClient) -> None:
    key = events(client, q="shelled")[0]["key"]
    assert _fix(client, key, type="COERCE").status_code == 401
    assert _fix(client, key, auth("wrong"), type="COERCE").status_code == 401
    assert events(client, q="shelled")[0]["type"] == "ASSAULT"


def test_event_correction_is_applied_shown_and_exported(client: TestClient) -> None:
    key = events(client, q="shelled")[0]["key"]
    saved = _fix(client, key, auth(), type="COERCE", date="2024-03-03", target=["Ministry"])
    assert saved.status_code == 201, saved.text
    event = events(client, q="shelled")[0]
    assert event["type"] == "COERCE" and event["original_type"] == "ASSAULT"
    assert event["date"] == {
        "value": "2024-03-03",
        "granularity": "day",
        "text": None,
        "basis": "corrected",
    }
    assert event["actors"]["target"] == [{"key": "n:ministry", "name": "Ministry", "local": None}]
    assert event["corrections"][0]["author"] == "Ana"
    assert {e["key"] for e in events(client, type="COERCE")} == {key}
    assert key not in {e["key"] for e in events(client, type="ASSAULT")}
    edges = {(e["source"], e["target"]) for e in client.get("/api/network").json()["edges"]}
    assert ("n:army", "n:ministry") in edges and ("n:army", "n:rivertown") not in edges
    assert "COERCE,ASSAULT" in client.get("/api/events", params={"format": "csv"}).text
    exported = client.get("/api/corrections").json()["items"]
    assert exported[0]["target"] == key and exported[0]["reason"] == "misread trigger"
    assert "misread trigger" in client.get("/api/corrections?format=csv").text


def test_bad_corrections_are_refused(client: TestClient) -> None:
    key = events(client)[0]["key"]
    assert _fix(client, key, auth(), type="EXPLODE").status_code == 400
    assert _fix(client, key, auth(), date="March").status_code == 400
    assert _fix(client, key, auth(), colour="red").status_code == 400
    assert _fix(client, "nope:1-2:0", auth(), type="AID").status_code == 404
    assert client.get("/api/corrections").json()["items"] == []


def test_corrections_survive_recode(client: TestClient, store) -> None:  # type: ignore[no-untyped-def]
    key = events(client, q="marched")[0]["key"]
    assert _fix(client, key, auth(), type="REJECT").status_code == 201
    protest = records()[2]
    with store.session() as session, session.begin():
        replace_coding(session, protest, STAMP, fts=store.has_fts)
    again = events(client, q="marched")[0]
    assert again["key"] == key and again["type"] == "REJECT"


def test_merge_and_split_actors(client: TestClient) -> None:
    merge = {"actor": "n:rebels", "into": "n:protesters", "author": "Ana", "reason": "same group"}
    assert client.post("/api/corrections/merge", json=merge, headers=auth()).status_code == 201
    keys = {a["key"] for a in client.get("/api/actors", params={"per_page": 200}).json()["items"]}
    assert "n:rebels" not in keys and "n:protesters" in keys
    edges = {(e["source"], e["target"]) for e in client.get("/api/network").json()["edges"]}
    assert ("n:protesters", "n:army") in edges and ("n:rebels", "n:army") not in edges
    article = events(client, q="marched")[0]["article"]["id"]
    split = {
        "actor": "n:ministry",
        "articles": [article],
        "name": "Energy Ministry",
        "author": "Ana",
        "reason": "a different ministry",
    }
    done = client.post("/api/corrections/split", json=split, headers=auth())
    assert done.status_code == 201
    new_key = f"c:{done.json()['id']}"
    target = events(client, q="marched")[0]["actors"]["target"][0]
    assert target == {"key": new_key, "name": "Energy Ministry", "local": "e3"}
    assert client.get(f"/api/actors/{new_key}").json()["name"] == "Energy Ministry"


def test_resolved_store_uses_corpus_actors_and_merges_survive_re_resolution(store) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from eventwire.resolve import resolve_store

    resolve_store(store)
    client = TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)
    actors = client.get("/api/actors", params={"per_page": 200}).json()["items"]
    by_name = {a["name"]: a["key"] for a in actors}
    assert all(key.startswith("a") for key in by_name.values())
    rebels, army = by_name["Rebels"], by_name["Army"]
    merge = {"actor": rebels, "into": army, "author": "Ana", "reason": "test"}
    assert client.post("/api/corrections/merge", json=merge, headers=auth()).status_code == 201
    with store.engine.connect() as conn:  # a re-resolution that renumbers every actor
        conn.execute(text("PRAGMA defer_foreign_keys=ON"))  # checked at commit, not per row
        conn.execute(text("UPDATE actors SET id = id + 1000"))
        conn.execute(text("UPDATE entities SET actor_id = actor_id + 1000"))
        conn.commit()
    fresh = TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)
    keys = {
        a["name"]: a["key"]
        for a in fresh.get("/api/actors", params={"per_page": 200}).json()["items"]
    }
    new_army = f"a{int(army[1:]) + 1000}"
    assert keys["Army"] == new_army and "Rebels" not in keys
    page = fresh.get(f"/api/actors/{new_army}").json()
    assert {n["name"] for n in page["names"]} >= {"Army", "Rebels"}


def test_unknown_host_headers_are_refused(store) -> None:  # type: ignore[no-untyped-def]
    from eventwire.serve.security import trusted_hosts

    app = create_app(store, allowed_hosts=trusted_hosts("127.0.0.1"))
    local = TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
    assert local.get("/api/health").status_code == 200
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST"):
        assert local.get("/api/overview", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "[::2]"):
        refused = local.get("/api/overview", headers={"Host": host})
        assert refused.status_code == 400, host
        assert "default-src 'self'" in refused.headers["content-security-policy"]


def test_trusted_hosts_add_the_bound_address_and_named_hosts() -> None:
    import socket

    from eventwire.serve.security import trusted_hosts

    assert trusted_hosts("127.0.0.1") == ["localhost", "127.0.0.1", "[::1]"]
    assert trusted_hosts("192.168.1.5")[-1] == "192.168.1.5"
    assert trusted_hosts("fe80::1")[-1] == "[fe80::1]"
    assert trusted_hosts("0.0.0.0", ("Desk.Lan",))[-2:] == [
        socket.gethostname().lower(),
        "desk.lan",
    ]


def test_serve_command_checks_hosts(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import uvicorn
    from click.testing import CliRunner

    from eventwire.cli import main

    apps: list = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    db = store.url.removeprefix("sqlite:///")
    args = ["serve", "--db", db, "--allow-host", "desk.lan"]
    assert CliRunner().invoke(main, args).exit_code == 0
    client = TestClient(apps[0], base_url="http://desk.lan", raise_server_exceptions=False)
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400


def test_csv_cells_that_a_spreadsheet_would_run_start_with_a_quote(client: TestClient) -> None:
    import csv
    import io

    key = events(client, q="shelled")[0]["key"]
    body = {
        "key": key,
        "changes": {"target": ['=HYPERLINK("http://evil.example","x")']},
        "author": "@SUM(A1)",
        "reason": "-2+3",
    }
    assert client.post("/api/corrections/events", json=body, headers=auth()).status_code == 201
    rows = list(csv.reader(io.StringIO(client.get("/api/corrections?format=csv").text)))
    assert rows[1][4:6] == ["'@SUM(A1)", "'-2+3"]
    exported = client.get("/api/events", params={"q": "shelled", "format": "csv"}).text
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert row["target"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["type"] == "ASSAULT" and not row["lat"].startswith("'")


def test_csv_cell_leaves_numbers_and_plain_text_alone() -> None:
    from eventwire.export import cell, csv_text

    assert [cell(v) for v in (-5.0, 3, None, "Army", "a=b")] == [-5.0, 3, None, "Army", "a=b"]
    assert [cell(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "\rx")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
    ]
    assert csv_text(["a", "b"], [["=x", -1]]) == "a,b\r\n'=x,-1\r\n"


def test_repeated_gets_are_answered_from_memory_until_the_store_changes(
    client: TestClient, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from eventwire.serve import api

    calls: list[int] = []
    real = api.list_events

    def counted(session, flt, *a, **k):  # type: ignore[no-untyped-def]
        # Only this test's query: a warm-up thread left by another test's app may list others.
        if flt.q == "shelled":
            calls.append(1)
        return real(session, flt, *a, **k)

    monkeypatch.setattr(api, "list_events", counted)
    first = client.get("/api/events", params={"q": "shelled"})
    again = client.get("/api/events", params={"q": "shelled"})
    assert first.content == again.content and len(calls) == 1
    assert again.headers["content-security-policy"] and again.headers["content-type"]
    key = first.json()["items"][0]["key"]
    assert _fix(client, key, auth(), type="COERCE").status_code == 201
    assert client.get("/api/events", params={"q": "shelled"}).json()["items"][0]["type"] == "COERCE"
    assert len(calls) == 2


def test_freshness_rereads_the_fingerprint_after_its_ttl(store) -> None:  # type: ignore[no-untyped-def]
    from eventwire.serve.cache import Freshness

    reads: list[int] = []

    def sessions():  # type: ignore[no-untyped-def]
        reads.append(1)
        return store.session()

    fresh = Freshness(ttl=60)
    assert fresh.current() is None
    stamp = fresh.stamp(sessions)
    assert fresh.stamp(sessions) == stamp == fresh.current() and len(reads) == 1
    fresh.expire()
    assert fresh.current() is None and fresh.stamp(sessions) == stamp and len(reads) == 2
    assert Freshness(ttl=0).stamp(sessions) == stamp and len(reads) == 3


def test_serve_with_workers_starts_processes_from_a_factory(store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import uvicorn
    from click.testing import CliRunner

    from eventwire.cli import main
    from eventwire.cli import serve as commands

    calls: list = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.delenv(commands.CONFIG_ENV, raising=False)
    db = store.url.removeprefix("sqlite:///")
    result = CliRunner().invoke(main, ["serve", "--db", db, "--workers", "2", "--token", "tk"])
    assert result.exit_code == 0, result.output
    target, kw = calls[0]
    assert kw["workers"] == 2 and kw["factory"] is True and kw["host"] == "127.0.0.1"
    assert kw["access_log"] is False and kw["proxy_headers"] is False
    assert target == "eventwire.cli.serve:app_from_env"
    app = commands.app_from_env()
    assert app.state.token == "tk"
    client = TestClient(app, base_url="http://localhost", raise_server_exceptions=False)
    assert client.get("/api/overview").json()["counts"]["articles"] == 3
    assert client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/events/99999999999999999999",
        "/api/stories/99999999999999999999",
        "/stories/99999999999999999999",
        "/api/events?story=99999999999999999999",
        "/api/events/0",
    ],
)
def test_integers_past_a_row_id_are_refused_not_a_server_error(
    client: TestClient, url: str
) -> None:
    """Red team: a 20-digit integer overflowed SQLite's INTEGER and answered 500."""
    assert client.get(url).status_code == 422


def test_a_nul_byte_in_a_search_answers(client: TestClient) -> None:
    """Red team: a NUL in ``q`` was an FTS5 syntax error (500) on every route that searches."""
    for url in ("/api/events", "/api/quotes", "/events", "/search"):
        assert client.get(url, params={"q": "marched\x00x"}).status_code == 200, url


def test_head_is_answered_like_get_without_a_body(client: TestClient) -> None:
    """Red team: HEAD answered 405 on every route."""
    for url in ("/api/overview", "/", "/events"):
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]
