"""The per-article step on a 2-process local pool and on a Dask LocalCluster: same store as inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.engine import EngineOptions
from eventwire.store import maintain
from eventwire.store.db import open_store
from eventwire.store.ingest import ingest_paths

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for i in range(24):
        (folder / f"{i:02d}.txt").write_text(
            f"Report {i}\n\nDelegates from town {i} met officials on Monday.\n"
        )
    (folder / "empty.txt").write_text("")
    return folder


@pytest.fixture(scope="module")
def inline_counts(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    store = open_store(str(tmp_path_factory.mktemp("inline") / "inline.db"))
    ingest_paths(store, [corpus], EngineOptions(model="blank:en", batch_size=4))
    return maintain.counts(store)


def test_local_pool_matches_inline(
    corpus: Path, inline_counts: dict[str, int], tmp_path: Path
) -> None:
    store = open_store(str(tmp_path / "pool.db"))
    summary = ingest_paths(
        store, [corpus], EngineOptions(model="blank:en", batch_size=4, workers=2)
    )
    assert (summary.written, summary.failed) == (24, 1)
    assert maintain.counts(store) == inline_counts


def test_dask_local_cluster_matches_inline(
    corpus: Path, inline_counts: dict[str, int], tmp_path: Path
) -> None:
    pytest.importorskip(
        "distributed", reason="dask[distributed] is not installed (pip install eventwire[dask])"
    )
    store = open_store(str(tmp_path / "dask.db"))
    options = EngineOptions(model="blank:en", batch_size=4, workers=2, dask="local")
    summary = ingest_paths(store, [corpus], options)
    assert (summary.written, summary.failed) == (24, 1)
    assert maintain.counts(store) == inline_counts


def test_the_local_cluster_runs_workers_without_dask_malloc_trimming_or_profiler() -> None:
    """Dask's defaults cost a third more CPU per article (engine.LOCAL_DASK_CONFIG says why)."""
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    import os

    import dask

    from eventwire.engine import dask_client

    def settings() -> tuple[str | None, bool]:
        trim = os.environ.get("MALLOC_TRIM_THRESHOLD_")
        return trim, dask.config.get("distributed.worker.profile.enabled")

    with dask_client(EngineOptions(workers=1, dask="local")) as client:
        seen = client.run(settings)
    assert list(seen.values()) == [(None, False)]
    assert dask.config.get("distributed.worker.profile.enabled") is True  # restored on leaving


def test_dask_tasks_of_several_batches_still_come_back_batch_by_batch() -> None:
    """A task carries DASK_TASK_ARTICLES articles; the writer still gets one batch at a time."""
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    from eventwire.engine import dask_task_batches, run
    from eventwire.ingest import RawArticle

    raws = [RawArticle(origin=f"r{i}", text=f"Town {i} voted on Monday.\n") for i in range(22)]
    options = EngineOptions(model="blank:en", batch_size=3, workers=2, dask="local")
    assert dask_task_batches(3) > 1
    sizes = sorted(len(results) for results in run(raws, options))
    assert sizes == [1] + [3] * 7
