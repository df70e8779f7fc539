"""The store on a real PostgreSQL server (EVENTWIRE_TEST_PG_URL; `.ci/postgres.sh` starts one)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_store_helpers import make_record  # noqa: E402

from eventwire import export  # noqa: E402
from eventwire.query import corpus  # noqa: E402
from eventwire.query.filters import EventFilter  # noqa: E402
from eventwire.resolve import resolve_store  # noqa: E402
from eventwire.store import maintain  # noqa: E402
from eventwire.store.db import open_store  # noqa: E402
from eventwire.store.read import load_record  # noqa: E402
from eventwire.store.stamp import Stamp  # noqa: E402
from eventwire.store.write import Result, write_batch  # noqa: E402

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_store(pg_database: str):  # type: ignore[no-untyped-def]
    messages: list[str] = []
    store = open_store(pg_database, on_migrate=messages.append)
    assert messages and "0001" in messages[0]
    yield store
    store.close()


def test_postgres_store_end_to_end(pg_store) -> None:  # type: ignore[no-untyped-def]
    records = [
        make_record("John Smith said rebels shelled the Army near Aleppo.", source="Wire A"),
        make_record("Rebels loyal to John Smith attacked the Army at Aleppo.", source="Wire B"),
    ]
    stamp = Stamp("0.0-test", "blank", {})
    results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(records)]
    for _ in range(2):  # the second write changes nothing
        with pg_store.session() as session, session.begin():
            write_batch(session, results, stamp, fts=pg_store.has_fts)
    with pg_store.session() as session:
        assert load_record(session, records[0].article.id) == records[0]
    assert maintain.counts(pg_store)["articles"] == 2
    summary = resolve_store(pg_store)
    assert summary.stories == 1
    assert corpus.events(pg_store, EventFilter(q="shelled")).total == 1
    assert {hit["kind"] for hit in corpus.search(pg_store, "attacked")} == {"article"}
    with pg_store.session() as session:
        john = corpus.actor_key(session, "john smith")
    assert corpus.events(pg_store, EventFilter(actor=john)).total == 2
    assert all(c.ok for c in maintain.check(pg_store))
    out = io.StringIO()
    assert export.write_csv(pg_store, out) == 2
