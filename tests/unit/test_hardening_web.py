"""The desk's promises, checked across every route rather than a sample.

tests/unit/test_serve_api.py and test_serve_pages.py test the guard rails on chosen routes. Here
the routes come from the app itself, so a route added later is covered too: every page escapes
hostile article data (titles, text, names, places, quotes, roles, sources, corrections); every
write refuses requests without the token; every filter and path parameter of every GET route
takes SQL-injection strings without a server error or a change to the store; an internal error
in any route reaches the client as a fixed message; the server binds to localhost by default.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from test_serve_data import STAMP, entity, event, small_store, span

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from fastapi.routing import APIRoute  # noqa: E402
from markupsafe import escape  # noqa: E402

from eventwire.ingest import article_id  # noqa: E402
from eventwire.record import Article, ArticleRecord, Entity, Quote, Role  # noqa: E402
from eventwire.serve.app import MAX_BODY, MAX_QUERY, create_app  # noqa: E402
from eventwire.store.db import Store  # noqa: E402
from eventwire.store.write import Result, write_batch  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

TOKEN = "hardening-token"
#: Markup that must never reach a page unescaped; each is planted in a different field.
HOSTILE = {
    "title": "<script>alert('title')</script>",
    "org": "<svg onload=alert(1)> Front",
    "person": "Omar <b onmouseover=alert(2)>Test</b>",
    "quote": "<img src=x onerror=alert(3)> we stay",
    "role": "<u>chief</u>",
    "place": "<i>Rivertown</i>",
    "source": "<iframe src=//evil.example>",
    "author": "<script>alert('author')</script>",
}
INJECTIONS = [
    "' OR 1=1 --",
    "x'); DROP TABLE articles; --",
    '" OR ""="',
    "1 UNION SELECT sql FROM sqlite_master --",
    "NEAR(a b)",
    "*",
    "%",
    "\\",
    "\x00",
]

LEAKS = re.compile(r"sqlite3\.|OperationalError|syntax error|Traceback|sqlalchemy", re.IGNORECASE)


def hostile_record() -> ArticleRecord:
    org, person = HOSTILE["org"], HOSTILE["person"]
    text = (
        f"The {org} attacked Rivertown on Monday. "
        f'"{HOSTILE["quote"]}," said {person}, the {HOSTILE["role"]} of the {org}.'
    )
    boss = entity(text, "e3", person, "PERSON", "XRV")
    boss = Entity(
        boss.id,
        boss.name,
        boss.type,
        boss.aliases,
        boss.mentions,
        [Role(HOSTILE["role"], "e1", span(text, HOSTILE["role"]))],
        "XRV",
    )
    quote_at = text.index(HOSTILE["quote"])
    attack = event(
        text,
        "v1",
        "ASSAULT",
        "attacked",
        ["e1"],
        ["e2"],
        date="2024-05-01",
        place=(HOSTILE["place"], "XRV", 10.5, 20.25),
    )
    article = Article(
        article_id(text),
        text,
        title=HOSTILE["title"],
        url="javascript:alert('url')",
        source=HOSTILE["source"],
        published="2024-05-02",
        published_basis="given",
    )
    quote = Quote("e3", HOSTILE["quote"], quote_at, quote_at + len(HOSTILE["quote"]), "said")
    entities = [entity(text, "e1", org, "ORG", "XRV"), entity(text, "e2", "Rivertown", "GPE")]
    return ArticleRecord(
        article=article, entities=[*entities, boss], events=[attack], quotes=[quote]
    )


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "hardening.db")
    with db.session() as session, session.begin():
        write_batch(session, [Result("hostile", "hostile.txt", hostile_record())], STAMP, fts=True)
    yield db
    db.close()


@pytest.fixture()
def client(store: Store) -> TestClient:
    return TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)


def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def all_routes(routes: list[Any]) -> list[APIRoute]:
    """The app's routes, including those of included routers (newer FastAPI wraps them)."""
    found: list[APIRoute] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found += all_routes(route.original_router.routes)
    return found


def get_routes(app: Any) -> list[APIRoute]:
    return [r for r in all_routes(app.routes) if "GET" in r.methods]


def write_routes(app: Any) -> list[tuple[str, str]]:
    return [
        (method, r.path)
        for r in all_routes(app.routes)
        for method in sorted(r.methods - {"GET", "HEAD"})
    ]


def page_urls(client: TestClient) -> list[str]:
    """Every page of the desk, with each detail page opened on the hostile article's data."""
    hostile = client.get("/api/articles", params={"source": HOSTILE["source"]}).json()["items"]
    actors = client.get("/api/actors", params={"per_page": 200}).json()["items"]
    event_pks = [
        e["pk"] for e in client.get("/api/events", params={"per_page": 200}).json()["items"]
    ]
    urls = ["/", "/articles", "/actors", "/network", "/map", "/events", "/stories", "/trends"]
    urls += ["/corrections", "/search?q=Front", "/search?q=stay", "/events?q=attacked"]
    urls += [f"/articles/{hostile[0]['id']}", "/network?type=ASSAULT", "/map?type=ASSAULT"]
    urls += [f"/actors/{a['key']}" for a in actors]
    assert event_pks and len(actors) >= 3
    return urls


def test_hostile_markup_is_escaped_on_every_page(client: TestClient) -> None:
    key = client.get("/api/events", params={"q": "attacked"}).json()["items"][0]["key"]
    fix = {"key": key, "changes": {"type": "COERCE"}, "author": HOSTILE["author"], "reason": "x"}
    assert client.post("/api/corrections/events", json=fix, headers=auth()).status_code == 201
    escaped_somewhere = set()
    for url in page_urls(client):
        page = client.get(url)
        assert page.status_code == 200, url
        for field, markup in HOSTILE.items():
            assert markup not in page.text, f"{field} markup unescaped on {url}"
            if str(escape(markup)) in page.text:
                escaped_somewhere.add(field)
        unquoted = re.sub(r'"[^"]*"', '""', page.text)  # attribute values hold escaped text
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", unquoted), f"event handler on {url}"
    assert escaped_somewhere >= {"title", "quote", "source", "author"}


def test_article_links_are_never_javascript(client: TestClient) -> None:
    """The original URL comes from the input (a feed, a JSONL line): only http(s) is a link."""
    hostile = client.get("/api/articles", params={"source": HOSTILE["source"]}).json()["items"]
    page = client.get(f"/articles/{hostile[0]['id']}").text
    assert 'href="javascript:' not in page.lower()


def test_pages_and_errors_carry_the_content_security_policy(client: TestClient) -> None:
    urls = page_urls(client) + ["/articles/nope", "/api/nothing", "/static/nope.css"]
    urls += [f"/api/events?q={'a' * (MAX_QUERY + 1)}", "/" + "a" * 2100]
    for url in urls:
        headers = client.get(url).headers
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert headers.get("x-content-type-options") == "nosniff", url
        assert "frame-ancestors 'none'" in csp, url


def test_every_write_route_needs_the_token(store: Store) -> None:
    app = create_app(store, token=TOKEN)
    writes = write_routes(app)
    assert len(writes) >= 3, writes
    readonly = TestClient(create_app(store), raise_server_exceptions=False)
    writable = TestClient(app, raise_server_exceptions=False)
    for method, path in writes:
        body = {"key": "x", "actor": "n:x", "into": "n:y", "author": "a", "reason": "r"}
        assert readonly.request(method, path, json=body, headers=auth()).status_code == 403, path
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            response = writable.request(method, path, json=body, headers=headers)
            assert response.status_code == 401, (path, headers)
    assert writable.get("/api/corrections").json()["items"] == []


def test_no_cross_origin_reads_or_writes(client: TestClient) -> None:
    """No CORS headers: a web page from elsewhere cannot read the API or send the token."""
    evil = {"Origin": "http://evil.example"}
    assert "access-control-allow-origin" not in client.get("/api/events", headers=evil).headers
    preflight = client.options(
        "/api/corrections/events",
        headers={**evil, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (404, 405)


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda _m: value, path)


def test_injection_strings_in_every_parameter_of_every_get_route(client: TestClient) -> None:
    before = client.get("/api/overview").json()["counts"]
    routes = get_routes(client.app)
    assert len(routes) >= 25
    tried = 0
    for route in routes:
        params = [p.name for p in route.dependant.query_params]
        params += [p.name for d in route.dependant.dependencies for p in d.query_params]
        for value in INJECTIONS:
            for name in params:
                url = fill(route.path, "1")
                response = client.get(url, params={name: value})
                assert response.status_code in (200, 400, 404, 422), (url, name, value)
                assert not LEAKS.search(response.text), (url, name, value)
                tried += 1
            if route.dependant.path_params:
                response = client.get(fill(route.path, quote(value, safe="")))
                assert response.status_code in (200, 400, 404, 422), (route.path, value)
    assert tried > 300
    assert client.get("/api/overview").json()["counts"] == before


class BrokenStore:
    """A store whose every session fails with a message that must not reach a client."""

    dialect = "sqlite"
    has_fts = True

    def session(self) -> Any:
        raise RuntimeError("secret: /srv/eventwire/store.py SELECT * FROM articles")


def test_an_internal_error_in_any_route_hides_its_detail(store: Store) -> None:
    app = create_app(store, token=TOKEN)
    client = TestClient(app, raise_server_exceptions=False)
    app.state.store = BrokenStore()
    failed = 0
    for route in get_routes(app):
        response = client.get(fill(route.path, "1"), params={"q": "x"})
        assert "secret" not in response.text and "Traceback" not in response.text, route.path
        assert "SELECT" not in response.text, route.path
        if response.status_code == 500:
            failed += 1
            if route.path.startswith("/api"):
                assert response.json()["error"]["code"] == "internal_error"
    assert failed >= 20


def test_oversized_requests_are_refused_before_the_app(client: TestClient) -> None:
    too_long_path = client.get("/articles/" + "a" * 2100)
    assert too_long_path.status_code == 414
    for declared in ("-1", "abc", str(MAX_BODY + 1)):
        response = client.post(
            "/api/corrections/events", content=b"{}", headers={**auth(), "content-length": declared}
        )
        assert response.status_code == 413, declared
    at_limit = client.get("/api/events", params={"q": "a" * 150})
    assert at_limit.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/static/..%5c..%5capp.py",
        "/static/%2fetc%2fpasswd",
        "/static/desk.css%00.py",
        "/static/....//....//app.py",
        "/static/%252e%252e/app.py",
        "/static/../templates/base.html",
    ],
)
def test_static_route_serves_only_its_folder(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), path
    assert "create_app" not in response.text and "{%" not in response.text


def test_serve_binds_localhost_by_default(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from eventwire.cli import main

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.delenv("EVENTWIRE_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--db", store.url.removeprefix("sqlite:///")])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1"
    assert "read-only" in result.output
    serve = main.get_command(None, "serve")  # type: ignore[union-attr]
    demo = main.get_command(None, "demo")  # type: ignore[union-attr]
    for command in (serve, demo):
        [host] = [p for p in command.params if p.name == "host"]
        assert host.default == "127.0.0.1", command.name
