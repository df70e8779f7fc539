"""Ingest: inputs -> per-article extraction (engine) -> one writer -> the store.

Resuming is built in: every input has a key (a hash of what the reader found), stored with its
article or its failure, and inputs whose key is already in the store are skipped before any
extraction. A batch is written in one transaction, so a run killed at any point leaves whole
articles only; rerunning the same command finishes the job and loses nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from eventwire.engine import EngineOptions, Item, error_result, run, split_inputs
from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.store.db import Store
from eventwire.store.schema import FailureRow, InputRow
from eventwire.store.stamp import current_stamp
from eventwire.store.write import Result, WriteSummary, write_batch


@dataclass(slots=True)
class IngestSummary:
    """Running totals of one ingest, passed to the progress callback after every batch."""

    written: int = 0
    duplicates: int = 0  # extracted, but the article (same content hash) was already stored
    resumed: int = 0  # skipped before extraction: the input was handled by an earlier run
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        return self.written + self.duplicates + self.failed

    @property
    def rate(self) -> float:
        """Articles handled per second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def add(self, batch: WriteSummary) -> None:
        self.written += batch.written
        self.duplicates += batch.skipped
        self.failed += batch.failed
        self.failures.extend(batch.failures)


def known_keys(store: Store) -> set[str]:
    """Resume keys of every input already stored or recorded as failed."""
    with store.session() as session:
        keys = set(session.scalars(select(InputRow.input_key)))
        keys.update(session.scalars(select(FailureRow.input_key)))
    return keys


def _divert(items: Iterable[Item], errors: list[Result]) -> Iterator[RawArticle]:
    """RawArticles pass through to the engine; input errors wait in ``errors`` for the writer."""
    for item in items:
        if isinstance(item, InputError):
            errors.append(error_result(item))
        else:
            yield item


def ingest(
    store: Store,
    items: Iterable[Item],
    options: EngineOptions,
    *,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """Extract and store every new input; returns the totals (failures are also in the store)."""
    summary = IngestSummary()
    stamp = current_stamp(options.model, options.actors)
    resumed: list[str] = []
    errors: list[Result] = []
    raws = _divert(split_inputs(items, known_keys(store), resumed), errors)
    for results in run(raws, options):
        pending, errors[:] = errors[:], []
        _write(store, pending + results, stamp, summary)
        summary.resumed = len(resumed)
        if progress is not None:
            progress(summary)
    if errors:
        _write(store, errors, stamp, summary)
    summary.resumed = len(resumed)
    return summary


def _write(store: Store, results: list[Result], stamp, summary: IngestSummary) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session, session.begin():
        summary.add(write_batch(session, results, stamp, fts=store.has_fts))


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    options: EngineOptions,
    *,
    progress: Callable[[IngestSummary], None] | None = None,
) -> IngestSummary:
    """:func:`ingest` over files, folders (recursively), feeds, JSONL files and ``-``."""
    from eventwire.store.feeds import iter_corpus_inputs

    return ingest(store, iter_corpus_inputs(paths), options, progress=progress)
