"""Dask tasks carry several batches (a task's own cost is paid per task), written batch by batch."""

from __future__ import annotations

from eventwire.engine import DASK_TASK_ARTICLES, dask_task_batches, extract_batches
from eventwire.ingest import RawArticle
from eventwire.record import ArticleRecord
from eventwire.store.write import Result


def test_a_task_carries_at_least_the_task_articles_in_whole_batches() -> None:
    for size in (1, 3, 4, 8, DASK_TASK_ARTICLES - 1):
        batches = dask_task_batches(size)
        assert batches * size >= DASK_TASK_ARTICLES
        assert (batches - 1) * size < DASK_TASK_ARTICLES  # no batch more than needed


def test_batches_as_large_as_a_task_go_one_to_a_task() -> None:
    assert dask_task_batches(DASK_TASK_ARTICLES) == 1
    assert dask_task_batches(DASK_TASK_ARTICLES * 4) == 1


def test_a_task_returns_each_batch_results_apart_with_the_options_passed_on() -> None:
    seen: list[tuple[list[str], str | None, tuple[str, ...], float | None]] = []

    def fn(
        raws: list[RawArticle], model: str | None, actors: tuple[str, ...], limit: float | None
    ) -> list[Result]:
        seen.append(([r.origin for r in raws], model, actors, limit))
        return [Result(r.origin, r.origin, ArticleRecord.failed("stub")) for r in raws]

    batches = [[RawArticle(origin=f"{b}-{i}", text="x") for i in range(2)] for b in "abc"]
    out = extract_batches(fn, batches, "blank:en", ("actors.csv",), 5.0)
    assert [[r.input_key for r in results] for results in out] == [
        ["a-0", "a-1"],
        ["b-0", "b-1"],
        ["c-0", "c-1"],
    ]
    assert seen[1] == (["b-0", "b-1"], "blank:en", ("actors.csv",), 5.0)
