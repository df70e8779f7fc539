"""Data never leaves the machine: no network at run time except `eventwire watch`.

Three checks: only the watch fetcher imports a network client; reading an article and serving
the desk work with every socket connection refused; the desk's pages and assets load nothing
from another origin (no CDN scripts, fonts or images).
"""

from __future__ import annotations

import ast
import re
import socket
from pathlib import Path

import pytest

from eventwire import read
from eventwire.nlp import load

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "eventwire"
NETWORK_MODULES = {"httpx", "requests", "urllib.request", "http.client", "socket", "aiohttp"}
#: The one module allowed to open connections: the feed fetcher of `eventwire watch`.
ALLOWED = {PACKAGE / "analyse" / "fetch.py"}
#: Modules that use httpx only in-process, through an ASGI transport into the desk's own app
#: (the start-up warm-up): every client they build must be given that transport.
IN_PROCESS = {PACKAGE / "serve" / "warmup.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_watch_fetcher_imports_a_network_client() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_modules(path) & NETWORK_MODULES)
        for path in PACKAGE.rglob("*.py")
        if path not in ALLOWED | IN_PROCESS and imported_modules(path) & NETWORK_MODULES
    }
    assert offenders == {}
    assert imported_modules(next(iter(ALLOWED))) & NETWORK_MODULES  # the check can see imports


def network_calls(path: Path) -> list[str]:
    """httpx calls in ``path`` that could open a connection: module-level requests, and
    clients built without an ``ASGITransport``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    transports = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and "ASGITransport" in ast.unparse(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    risky = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not ast.unparse(node.func).startswith("httpx."):
            continue
        name = ast.unparse(node.func).removeprefix("httpx.")
        if name == "ASGITransport":
            continue
        given = {kw.arg: ast.unparse(kw.value) for kw in node.keywords}
        if name not in ("Client", "AsyncClient") or given.get("transport") not in transports:
            risky.append(ast.unparse(node))
    return risky


def test_in_process_http_clients_only_talk_to_the_app() -> None:
    for path in IN_PROCESS:
        assert imported_modules(path) & NETWORK_MODULES, f"{path.name} no longer uses httpx"
        assert network_calls(path) == [], path.name


def test_the_in_process_check_catches_a_real_request(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import httpx\nt = httpx.ASGITransport(app=None)\nhttpx.get('http://x')\n"
                   "c = httpx.AsyncClient(base_url='http://x')\n")  # fmt: skip
    assert len(network_calls(bad)) == 2


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every outgoing connection raises (and is remembered)."""
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_reading_an_article_needs_no_network(no_network: list[object]) -> None:
    nlp = load("blank:en")
    record = read(
        "Talks resume\n\nFinance ministers of the two countries met in the capital on Tuesday.",
        nlp=nlp,
        published="2024-03-05",
    )
    assert record.error is None and record.article.text
    assert no_network == []


def test_desk_pages_load_nothing_from_elsewhere() -> None:
    served = [*(PACKAGE / "serve" / "templates").glob("*.html")]
    # vendored third-party dist files (static/vendor) hold links in strings they never load
    # here (Leaflet's attribution link, turned off): the browser test checks their requests
    served += [p for p in (PACKAGE / "serve" / "static").rglob("*") if "vendor" not in p.parts]
    external = re.compile(
        r"""(src|href|action)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import"""
    )
    found = {
        path.name: external.findall(path.read_text(encoding="utf-8", errors="replace"))
        for path in served
        if path.is_file() and external.search(path.read_text(encoding="utf-8", errors="replace"))
    }
    assert found == {}
    assert len(served) >= 10
