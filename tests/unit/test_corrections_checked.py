"""Corrections (#16 finding 7): checked against the store, listed with who, when and why,
reversible, and a broken one never makes a page fail."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.query.corrections import add_correction  # noqa: E402
from eventwire.serve.app import create_app  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)  # starlette prefers httpx2; httpx works
    from fastapi.testclient import TestClient

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
NOTE = {"author": "Ana", "reason": "checking"}


@pytest.fixture()
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    db = small_store(tmp_path / "c.db")
    yield db
    db.close()


@pytest.fixture()
def client(store) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)


def _post(client: TestClient, path: str, body: dict) -> object:
    return client.post(f"/api/corrections/{path}", json={**body, **NOTE}, headers=AUTH)


def test_a_merge_into_an_actor_the_store_lacks_is_refused(client: TestClient) -> None:
    answer = _post(client, "merge", {"actor": "n:rebels", "into": "a999999"})
    assert answer.status_code == 400 and "no actor" in answer.json()["error"]["message"]
    answer = _post(client, "merge", {"actor": "n:nobody at all", "into": "n:army"})
    assert answer.status_code == 400
    assert client.get("/api/corrections").json()["items"] == []
    assert client.get("/corrections").status_code == 200


def test_a_merge_that_closes_a_loop_is_refused(client: TestClient) -> None:
    assert _post(client, "merge", {"actor": "n:rebels", "into": "n:army"}).status_code == 201
    assert _post(client, "merge", {"actor": "n:army", "into": "n:rebels"}).status_code == 400


def test_a_split_names_only_articles_that_mention_the_actor(client: TestClient) -> None:
    events = client.get("/api/events", params={"q": "marched"}).json()["items"]
    article = events[0]["article"]["id"]
    split = {"actor": "n:ministry", "name": "Energy Ministry"}
    refused = _post(client, "split", {**split, "articles": [article, "not-an-article"]})
    assert refused.status_code == 400 and "not-an-article" in refused.json()["error"]["message"]
    assert _post(client, "split", {**split, "articles": [article]}).status_code == 201


def test_a_correction_can_be_undone_and_both_stay_listed(client: TestClient) -> None:
    key = client.get("/api/events", params={"q": "shelled"}).json()["items"][0]["key"]
    fix = {"key": key, "changes": {"type": "COERCE"}}
    done = _post(client, "events", fix).json()
    assert client.get("/api/events", params={"type": "COERCE"}).json()["total"] == 1
    undone = _post(client, f"{done['id']}/undo", {})
    assert undone.status_code == 201
    assert client.get("/api/events", params={"type": "COERCE"}).json()["total"] == 0
    [event] = client.get("/api/events", params={"q": "shelled"}).json()["items"]
    assert event["type"] == "ASSAULT" and event["corrections"] == []
    listed = {c["id"]: c for c in client.get("/api/corrections").json()["items"]}
    assert listed[done["id"]]["undone_by"] == undone.json()["id"]
    assert listed[undone.json()["id"]]["kind"] == "undo"
    assert {c["author"] for c in listed.values()} == {"Ana"}
    assert all(c["created_at"] and c["reason"] for c in listed.values())
    again = _post(client, f"{done['id']}/undo", {})
    assert again.status_code == 400 and "undone" in again.json()["error"]["message"]
    assert _post(client, "999/undo", {}).status_code == 400
    page = client.get("/corrections")
    assert page.status_code == 200 and "undone by" in page.text


def test_a_broken_stored_correction_never_makes_a_page_fail(store) -> None:  # type: ignore[no-untyped-def]
    """Red team: a merge into a nonexistent actor made /corrections answer 500 from then on."""
    with store.session() as session, session.begin():
        add_correction(session, kind="merge", target="n:rebels", value={"into": None,
                       "actor_anchor": None}, author="old desk", reason="unchecked")  # fmt: skip
        add_correction(session, kind="split", target="n:army", value={"name": "X"},
                       author="old desk", reason="no articles")  # fmt: skip
    client = TestClient(create_app(store, token=TOKEN), raise_server_exceptions=False)
    for path in ("/corrections", "/api/corrections", "/api/events", "/actors", "/api/network", "/"):
        assert client.get(path).status_code == 200, path
    assert "cannot be applied" in client.get("/corrections").text


def test_the_command_line_lists_corrections_with_who_when_why(client: TestClient, store) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from eventwire.cli import main

    key = client.get("/api/events", params={"q": "shelled"}).json()["items"][0]["key"]
    done = _post(client, "events", {"key": key, "changes": {"type": "COERCE"}}).json()
    _post(client, f"{done['id']}/undo", {})
    db = store.url.removeprefix("sqlite:///")
    result = CliRunner().invoke(main, ["corrections", "--db", db, "--json"])
    assert result.exit_code == 0
    items = json.loads(result.stdout)["items"]
    assert [(c["kind"], c["status"]) for c in items] == [
        ("event", f"undone by #{items[1]['id']}"),
        ("undo", f"takes back #{done['id']}"),
    ]
    assert all(c["author"] == "Ana" and c["reason"] and c["created_at"] for c in items)
