"""Where the per-article work runs: in this process, a local process pool, or a Dask cluster.

The per-article step (prepare, annotate, extract) is a pure function of the input, the model and
the dictionaries, so it can run anywhere. :func:`extract_batch` is that step for a batch of
inputs; it lives in this importable module so that pool and Dask workers import it instead of
receiving it by value, and each worker loads the spaCy pipeline once (``eventwire.nlp.load`` is
cached per process). Results come back unordered, as soon as a batch is done, to one writer.

A batch never dies for one bad article: an exception inside the pipeline is retried article by
article, and the article that raises becomes a failed record naming the error.

Nor does it wait for one slow article: each article's step runs under :func:`time_limit`
(``EngineOptions.time_limit``, 120 s by default). An article that runs over stops with
:class:`ArticleTimeout`; the rest of its batch is retried article by article under the same
limit, and the one that runs over alone becomes a failed record naming the limit. The limit
holds in every thread, on every path (in-process, pool workers, Dask worker threads): the
eventwire stages check a per-article deadline (:mod:`eventwire.deadline`) as they start and
inside their loops that grow with the article. In a process's main thread (the in-process path
and the pool workers, not Dask's task threads) ``SIGALRM`` also interrupts any Python code, so
a component that never checks (a user's own) is cut off there too; elsewhere such a component
runs to its end and the article stops at the next eventwire stage.

On Dask the per-article step runs where the cluster puts it; the LocalCluster that ``local``
starts is tuned for this work (:data:`LOCAL_DASK_CONFIG`). A Dask task carries several batches
(:data:`DASK_TASK_ARTICLES`), since each task costs the client, the scheduler and the worker
CPU of its own. Workers only extract: results come back to the one writer in the calling
process, which inserts them batch by batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from eventwire._iter import batched
from eventwire.deadline import time_limit as time_limit  # the engine's limit, re-exported
from eventwire.errors import ArticleTimeout as ArticleTimeout
from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.record import ArticleRecord

Item = RawArticle | InputError


@dataclass(frozen=True, slots=True)
class Result:
    """What a worker returns for one input: the record (or its error), keyed by the input."""

    input_key: str
    origin: str
    record: ArticleRecord


def input_key(raw: RawArticle) -> str:
    """A hash of everything a reader found for one input: the resume key, known before extraction."""
    fields = [raw.text, raw.html, raw.id, raw.title, raw.url, raw.source, raw.published]
    return hashlib.sha256(json.dumps(fields).encode("utf-8")).hexdigest()[:32]


BatchFn = Callable[[list[RawArticle], str | None, tuple[str, ...], float | None], list[Result]]

#: Seconds one article may take (prepare, annotate, build) before it is given up.
DEFAULT_TIME_LIMIT = 120.0
#: The limit of the batch being extracted (a context variable, so that ``_read`` keeps the
#: ``(raws, nlp)`` shape that tests replace it with, and Dask threads do not share it).
_BATCH_LIMIT: ContextVar[float | None] = ContextVar("eventwire_batch_limit", default=None)


@dataclass(frozen=True, slots=True)
class EngineOptions:
    """How to run the per-article step: ``workers`` processes, or Dask at ``dask``."""

    workers: int = 1
    dask: str | None = None  # scheduler address, or "local" for a LocalCluster
    model: str | None = None
    actors: tuple[str, ...] = ()
    batch_size: int = 8
    extra: dict[str, Any] = field(default_factory=dict)
    time_limit: float | None = DEFAULT_TIME_LIMIT  # seconds per article; None or 0: no limit


def error_key(error: InputError) -> str:
    """The resume key of an input that failed before extraction."""
    return hashlib.sha256(f"error|{error.source}|{error.problem}".encode()).hexdigest()[:32]


def error_result(error: InputError) -> Result:
    return Result(error_key(error), error.source, ArticleRecord.failed(str(error)))


def extract_batch(
    raws: list[RawArticle],
    model: str | None,
    actors: tuple[str, ...],
    limit: float | None = DEFAULT_TIME_LIMIT,
) -> list[Result]:
    """The per-article step for a batch: one Result per input, failures included (an article
    over the time ``limit`` in seconds among them)."""
    from eventwire import nlp as nlp_module

    warm(model, actors)
    nlp = nlp_module.load(model, actors=actors)
    token = _BATCH_LIMIT.set(limit)
    try:
        records = _records(raws, nlp)
    finally:
        _BATCH_LIMIT.reset(token)
    return [Result(input_key(raw), raw.origin, rec) for raw, rec in zip(raws, records, strict=True)]


def _records(raws: list[RawArticle], nlp: Any) -> list[ArticleRecord]:
    try:
        return _read(raws, nlp)
    except Exception:  # noqa: BLE001 - a stage bug must cost one article, not the batch
        return [_read_one(raw, nlp) for raw in raws]


def _read(raws: list[RawArticle], nlp: Any) -> list[ArticleRecord]:
    from eventwire.reader import read_many

    size, limit = max(len(raws), 1), _BATCH_LIMIT.get()
    records = list(read_many(raws, nlp=nlp, batch_size=size, time_limit=limit))
    return [_named(rec, raw) for raw, rec in zip(raws, records, strict=True)]


def _named(record: ArticleRecord, raw: RawArticle) -> ArticleRecord:
    """A failed record's error names its input, so the failures table says which one."""
    if record.error is None or raw.origin in record.error:
        return record
    return replace(record, error=f"{raw.origin}: {record.error}")


def _read_one(raw: RawArticle, nlp: Any) -> ArticleRecord:
    try:
        return _read([raw], nlp)[0]
    except Exception as exc:  # noqa: BLE001 - recorded as this article's failure
        return ArticleRecord.failed(
            f"{raw.origin}: extraction failed: {type(exc).__name__}: {exc}",
            title=raw.title,
            url=raw.url,
            source=raw.source,
        )


#: A short ordinary article read once per process before any time limit applies.
WARM_TEXT = (
    "Talks resume\n\nThe finance ministers of the two countries met in the capital on Tuesday "
    "and agreed to meet again next month, officials said.\n"
)


@lru_cache(maxsize=4)
def warm(model: str | None, actors: tuple[str, ...]) -> None:
    """Load the pipeline and read one short article, once per process and pipeline: data that
    stages load at their first article (seconds of it) is then loaded outside any article's time
    limit, instead of being charged to, and maybe cut off in, the first real article."""
    from eventwire import nlp as nlp_module
    from eventwire.reader import read_many

    nlp = nlp_module.load(model, actors=actors)
    list(read_many([RawArticle(origin="<warm-up>", text=WARM_TEXT)], nlp=nlp))


def start_worker(
    parent: int, kernel_signal: bool, model: str | None, actors: tuple[str, ...]
) -> None:
    """A pool worker's first step: die with ``parent`` (:mod:`eventwire.lifeline`), then warm."""
    from eventwire import lifeline

    lifeline.watch_parent(parent, kernel_signal=kernel_signal)
    warm(model, actors)


def _in_main_thread() -> bool:
    """Whether workers started here may ask for the kernel's parent-death signal (it follows
    the starting thread, and only the main thread lives as long as the process)."""
    return threading.current_thread() is threading.main_thread()


def batches(raws: Iterable[RawArticle], size: int) -> Iterator[list[RawArticle]]:
    """The work units: ``size`` articles per task."""
    return batched(raws, size)


def run(
    raws: Iterable[RawArticle], options: EngineOptions, *, fn: BatchFn = extract_batch
) -> Iterator[list[Result]]:
    """Results of ``fn`` over batches of ``raws``, as each batch finishes."""
    work = batches(raws, options.batch_size)
    if options.dask:
        yield from _run_dask(work, options, fn)
    elif options.workers > 1:
        yield from _run_pool(work, options, fn)
    else:
        for batch in work:
            yield fn(batch, options.model, options.actors, options.time_limit)


def _run_pool(
    work: Iterator[list[RawArticle]], options: EngineOptions, fn: BatchFn
) -> Iterator[list[Result]]:
    """A spawn-started process pool with a bounded number of batches in flight."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    limit = options.workers * 2
    with ProcessPoolExecutor(
        options.workers,
        mp_context=context,
        initializer=start_worker,
        initargs=(os.getpid(), _in_main_thread(), options.model, options.actors),
    ) as pool:
        pending: set[Future[list[Result]]] = set()
        for batch in work:
            pending.add(pool.submit(fn, batch, options.model, options.actors, options.time_limit))
            if len(pending) >= limit:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (f.result() for f in done)
        for future in _drain(pending):
            yield future.result()


def _drain(pending: set[Future[list[Result]]]) -> Iterator[Future[list[Result]]]:
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        yield from done


#: Articles a Dask task carries at least: as many batches of ``batch_size`` as that takes.
#: A task costs about 15 ms of CPU beside the work (messages and state changes in the client's,
#: the scheduler's and the worker's event loops, counted over a run whose batches only sleep):
#: with one batch of 8 per task, 2 ms per article, against 0.6 ms for the whole of the process
#: pool's hand-offs. Batches stay the unit of reading, of failure and of writing.
DASK_TASK_ARTICLES = 16


def dask_task_batches(batch_size: int) -> int:
    """How many batches one Dask task carries (at least :data:`DASK_TASK_ARTICLES` articles)."""
    return max(1, -(-DASK_TASK_ARTICLES // max(batch_size, 1)))


def extract_batches(
    fn: BatchFn,
    batches: list[list[RawArticle]],
    model: str | None,
    actors: tuple[str, ...],
    limit: float | None,
) -> list[list[Result]]:
    """One Dask task: ``fn`` over several batches, each batch's results apart, so that the
    writer still writes batch by batch."""
    return [fn(batch, model, actors, limit) for batch in batches]


def _run_dask(
    work: Iterator[list[RawArticle]], options: EngineOptions, fn: BatchFn
) -> Iterator[list[Result]]:
    """Batches on a Dask cluster (an address, or ``local`` for a LocalCluster of ``workers``),
    a few to a task, at most two tasks in flight per worker (one running, one waiting)."""
    from distributed import as_completed

    with dask_client(options) as client:
        client.run(warm, options.model, options.actors)
        completed = as_completed()
        limit = max(len(client.scheduler_info().get("workers", {})), 1) * 2
        for group in batched(work, dask_task_batches(options.batch_size)):
            args = (fn, group, options.model, options.actors, options.time_limit)
            completed.add(client.submit(extract_batches, *args, pure=False))
            if completed.count() >= limit:
                yield from next(completed).result()
        for future in completed:
            yield from future.result()


#: Dask settings for the LocalCluster eventwire starts. With Dask's defaults an article cost a
#: third more CPU than on the process pool (53 against 40 ms, Reuters-21578, 2 workers, client
#: and workers counted); with these, 42 ms.
LOCAL_DASK_CONFIG: dict[str, Any] = {
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=64 KiB, to hand memory back to the OS.
    # Setting it switches off glibc's dynamic mmap threshold, so every array the parser
    # allocates is mapped and faulted in afresh: 35 times the page faults, an eighth of a
    # worker's CPU spent in the kernel. Unset, glibc's own adaptive thresholds apply.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # Diagnostics that wake every worker's event loop (and take the GIL from the task) many
    # times a second: the statistical profiler (10 ms), the blocked-loop tick (20 ms) and the
    # system and memory monitors. Together about 7% of a worker's CPU. The dashboard that
    # would show them is not started.
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "1s",
    # The scheduler's active memory manager looks for replicas to drop every 2 s; results here
    # are held once, by the worker that made them, until the writer takes them.
    "distributed.scheduler.active-memory-manager.start": False,
}


class dask_client:  # noqa: N801 - used as a context manager, reads like a function
    """A Dask client on ``options.dask``; ``local`` starts (and stops) a LocalCluster.

    The LocalCluster runs with :data:`LOCAL_DASK_CONFIG`; a cluster at an address keeps the
    settings its owner gave it (the same ones are worth setting there).
    """

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self.stack = ExitStack()
        self.client: Any = None

    def __enter__(self) -> Any:
        with ExitStack() as stack:  # closes what was opened if a later step fails
            self.client = self._open(stack)
            self.stack = stack.pop_all()
        return self.client

    def _open(self, stack: ExitStack) -> Any:
        from distributed import Client

        if self.options.dask != "local":
            return stack.enter_context(Client(self.options.dask))
        import dask
        from distributed import LocalCluster

        stack.enter_context(dask.config.set(LOCAL_DASK_CONFIG))
        cluster = LocalCluster(
            n_workers=max(self.options.workers, 1),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        stack.enter_context(cluster)
        return stack.enter_context(Client(cluster))

    def __exit__(self, *exc: object) -> None:
        self.stack.close()


def split_inputs(items: Iterable[Item], known: set[str], skipped: list[str]) -> Iterator[Item]:
    """Inputs whose resume key is not in ``known`` (stored or recorded as failed before).

    The origins of skipped inputs are appended to ``skipped`` so the caller can count them.
    """
    for item in items:
        key = error_key(item) if isinstance(item, InputError) else input_key(item)
        if key in known:
            skipped.append(item.source if isinstance(item, InputError) else item.origin)
            continue
        known.add(key)
        yield item
