"""Incremental resolution on real codings: the bundled examples, read by the model, split in two.

Store A is resolved in full; then B (the other examples, and copies of A's articles under new
ids, so that B meets A's actors and events) is added and resolved incrementally. The actors
and stories must group the entities and events exactly as a full resolve of A+B does.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_resolve_incremental import partitions  # noqa: E402

import eventwire
from eventwire.examples import example_paths
from eventwire.ingest import RawArticle
from eventwire.ingest.readers import read_path
from eventwire.record import ArticleRecord
from eventwire.resolve import resolve_store
from eventwire.store.db import open_store
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

pytestmark = pytest.mark.integration
STAMP = Stamp("0.0-test", "test", {})


@pytest.fixture(scope="module")
def halves(nlp) -> tuple[list[ArticleRecord], list[ArticleRecord]]:  # type: ignore[no-untyped-def]
    raws = [item for path in example_paths() for item in read_path(path)]
    records = [r for r in eventwire.read_many([r for r in raws if isinstance(r, RawArticle)],
                                              nlp=nlp) if r.error is None]  # fmt: skip
    if len(records) < 4:
        pytest.skip("too few bundled examples read")
    first, second = records[::2], records[1::2]
    copies = [
        replace(r, article=replace(r.article, id=f"{r.article.id[:12]}copy", source="Copy Wire"))
        for r in first
    ]
    return first, second + copies


def write(store, records: list[ArticleRecord]) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session, session.begin():
        write_batch(session, [Result(r.article.id, r.article.id, r) for r in records], STAMP,
                    fts=store.has_fts)  # fmt: skip


def test_examples_split_in_two_resolve_like_a_full_rebuild(halves, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, second = halves
    incremental = open_store(str(tmp_path / "inc.db"))
    full = open_store(str(tmp_path / "full.db"))
    write(incremental, first)
    before = resolve_store(incremental, full=True)
    write(incremental, second)
    step = resolve_store(incremental)
    write(full, first + second)
    rebuilt = resolve_store(full, full=True)
    actors, stories = partitions(incremental)
    assert (actors, stories) == partitions(full)
    assert (step.actors, step.stories) == (rebuilt.actors, rebuilt.stories)
    copies = {r.article.id for r in second if r.article.source == "Copy Wire"}
    assert any(any(k.split(":")[0] in copies for k in g) and len(g) > 1 for g in actors)
    assert before.actors < rebuilt.actors
    incremental.close()
    full.close()
