"""The desk's API on a real PostgreSQL server (EVENTWIRE_TEST_PG_URL; `.ci/postgres.sh`)."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from test_serve_data import records, write  # noqa: E402

from eventwire.serve.app import create_app  # noqa: E402
from eventwire.store.db import open_store  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.postgres
TOKEN = "pg-token"


@pytest.fixture(scope="module")
def client(pg_database: str) -> Iterator[TestClient]:
    store = open_store(pg_database)
    write(store, records())
    yield TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)
    store.close()


def items(client: TestClient, url: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_queries_and_search_on_postgres(client: TestClient) -> None:
    assert client.get("/api/overview").json()["counts"]["events"] == 5
    assert [e["trigger"]["text"] for e in items(client, "/api/events", q="marched")] == ["marched"]
    assert len(items(client, "/api/events", actor="n:army")) == 4
    assert {h["article_id"] for h in items(client, "/api/search", q="Rebels")}
    assert items(client, "/api/quotes", q="stop")[0]["speaker"]["name"] == "Omar Test"
    edges = {(e["source"], e["target"]) for e in client.get("/api/network").json()["edges"]}
    assert ("n:rebels", "n:army") in edges
    for url in ["/", "/events", "/network", "/map", "/actors", "/actors/n:army"]:
        assert client.get(url).status_code == 200, url


def test_corrections_on_postgres(client: TestClient) -> None:
    key = items(client, "/api/events", q="marched")[0]["key"]
    body = {"key": key, "changes": {"type": "REJECT"}, "author": "Ana", "reason": "pg"}
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.post("/api/corrections/events", json=body, headers=headers).status_code == 201
    assert [e["key"] for e in items(client, "/api/events", type="REJECT")] == [key]
    for value in ["' OR 1=1 --", "x'); DROP TABLE events; --"]:
        assert client.get("/api/events", params={"q": value}).status_code == 200
    assert client.get("/api/overview").json()["counts"]["events"] == 5
