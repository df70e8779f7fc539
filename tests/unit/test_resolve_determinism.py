"""Issue 19 item 9: resolution depends only on the articles and codings, never on the order
they were written in: shuffled and resumed ingests equal a clean one, ``resolve --full`` gives
the same again, and a recode that changes no coding moves no story (no model)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from test_resolve_incremental import STAMP, generated, partitions, rows, write

from eventwire.record import ArticleRecord, Entity, TextSpan
from eventwire.resolve import resolve_store
from eventwire.store.db import open_store
from eventwire.store.schema import ActorRow, EntityRow, EventRow, StoryRow
from eventwire.store.write import replace_coding


def corpus(seed: int) -> list[ArticleRecord]:
    """Generated records, some with generic agents and some without a publication date."""
    rng = random.Random(seed)
    out = []
    for record in generated(rng, 40):
        extra = Entity(f"e{len(record.entities) + 1}", "police", "ORG", ["police"],
                       [TextSpan(0, 1, "x")], country=rng.choice([None, "SYR"]), kb_id="agent:COP")  # fmt: skip
        entities = [*record.entities, extra] if rng.random() < 0.5 else record.entities
        published = record.article.published if rng.random() < 0.8 else None
        article = replace(record.article, published=published)
        out.append(replace(record, article=article, entities=entities))
    return out


def state(store) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    """Everything resolution decides, without ids: partitions and summary rows."""
    return (*partitions(store), rows(store, ActorRow), rows(store, StoryRow))


def links(store) -> dict[str, tuple[int | None, ...]]:  # type: ignore[no-untyped-def]
    """(article, local id) -> the actor or story id it is linked to."""
    out = {}
    with store.session() as session:
        for table, column in ((EntityRow, EntityRow.actor_id), (EventRow, EventRow.story_id)):
            for aid, local, gid in session.execute(
                select(table.article_id, table.local_id, column)
            ):
                out[f"{table.__tablename__}:{aid}:{local}"] = gid
    return out


@pytest.mark.parametrize("seed", range(4))
def test_shuffled_and_resumed_ingests_equal_a_clean_one(tmp_path: Path, seed: int) -> None:
    records = corpus(seed)
    clean = open_store(str(tmp_path / "clean.db"))
    write(clean, records)
    resolve_store(clean)
    shuffled = open_store(str(tmp_path / "shuffled.db"))
    order = records[:]
    random.Random(seed + 100).shuffle(order)
    for start in range(0, len(order), 7):  # a run killed and resumed after every 7 articles
        write(shuffled, order[start : start + 7])
        resolve_store(shuffled)
    assert state(shuffled) == state(clean)
    resolve_store(shuffled, full=True)
    assert state(shuffled) == state(clean)
    clean.close()
    shuffled.close()


@pytest.mark.parametrize("seed", range(3))
def test_a_recode_that_changes_no_coding_moves_nothing(tmp_path: Path, seed: int) -> None:
    records = corpus(seed)
    store = open_store(str(tmp_path / "s.db"))
    write(store, records)
    resolve_store(store)
    before, summary = links(store), state(store)
    with store.session() as session, session.begin():
        for record in random.Random(seed).sample(records, 10):
            replace_coding(session, record, STAMP, fts=store.has_fts)
    resolve_store(store)
    assert state(store) == summary
    assert links(store) == before, "a recode with the same codings moved an actor or a story"
    store.close()
