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
        if path not in ALLOWED and imported_modules(path) & NETWORK_MODULES
    }
    assert offenders == {}
    assert imported_modules(next(iter(ALLOWED))) & NETWORK_MODULES  # the check can see imports


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
    served += [*(PACKAGE / "serve" / "static").rglob("*")]
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
