"""Corpus commands (`ingest`, `actors`, `events`, ...): registered on the main CLI through ``COMMANDS``.

Each command is thin: it opens the store, calls one function of :mod:`eventwire.store` (or
:mod:`eventwire.resolve`, :mod:`eventwire.export`) and formats what comes back. Heavy modules
are imported inside the commands so that ``eventwire --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

DB_HELP = "Store: a SQLite file or a postgresql:// URL [default: $EVENTWIRE_DB or ./eventwire.db]."


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", metavar="URL", help=DB_HELP)(fn)


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from eventwire.store.db import open_store

    return open_store(db, on_migrate=lambda message: click.echo(f"eventwire: {message}", err=True))


def engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say where and how the per-article step runs."""
    options = [
        click.option("--workers", default=1, show_default=True, help="Local worker processes (each loads the model once)."),
        click.option("--dask", metavar="ADDRESS", help="Run on a Dask cluster at ADDRESS (tcp://host:8786), or 'local' for a LocalCluster of --workers processes."),
        click.option("--model", metavar="NAME", help="An installed spaCy model instead of the default."),
        click.option("--actors", type=click.Path(exists=True, dir_okay=False), multiple=True, metavar="FILE", help="Extra actor dictionary; repeatable."),
        click.option("--batch-size", default=8, show_default=True, help="Articles per worker task."),
    ]  # fmt: skip
    for option in reversed(options):
        fn = option(fn)
    return fn


def _engine(
    workers: int, dask: str | None, model: str | None, actors: tuple[str, ...], batch_size: int
):  # type: ignore[no-untyped-def]
    from eventwire.engine import EngineOptions

    if workers < 1 or batch_size < 1:
        raise click.BadParameter("--workers and --batch-size must be at least 1")
    return EngineOptions(
        workers=workers, dask=dask, model=model, actors=tuple(actors), batch_size=batch_size
    )


class _Bar:
    """A rich status line on stderr: articles done, articles/s, failures."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=Console(stderr=True), transient=True,
        )  # fmt: skip
        self.label = label
        self.task = self.progress.add_task(label)

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def update(self, done: int, failed: int, rate: float) -> None:
        text = f"{self.label}: {done} articles, {rate:.1f}/s, {failed} failed"
        self.progress.update(self.task, description=text)


def _report_failures(failures: list[tuple[str, str]], limit: int = 10) -> None:
    for origin, reason in failures[:limit]:
        click.echo(f"  {reason if origin in reason else f'{origin}: {reason}'}", err=True)
    if len(failures) > limit:
        click.echo(
            f"  ... and {len(failures) - limit} more (all are in the store's failures table)",
            err=True,
        )


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@db_option
@engine_options
@click.option(
    "--no-resolve",
    is_flag=True,
    help="Skip cross-article resolution (actors, stories) after the ingest.",
)
def ingest(paths: tuple[str, ...], db: str | None, workers: int, dask: str | None, model: str | None,
           actors: tuple[str, ...], batch_size: int, no_resolve: bool) -> None:  # fmt: skip
    """Read articles into the store: files, folders (recursively), .jsonl, .html, RSS/Atom feeds.

    Ingesting is idempotent (articles are keyed by a hash of their text) and resumable: an
    interrupted run can be started again with the same arguments and skips what is stored.
    Every input that fails is recorded with its reason and listed at the end. Exit status:
    0 all inputs read, 1 some failed.
    """
    from eventwire.store.ingest import ingest_paths

    options = _engine(workers, dask, model, actors, batch_size)
    store = _open(db)
    with _Bar("ingest") as bar:
        summary = ingest_paths(
            store, paths, options, progress=lambda s: bar.update(s.done, s.failed, s.rate)
        )
    click.echo(
        f"eventwire: stored {summary.written} new articles ({summary.duplicates} already stored, "
        f"{summary.resumed} inputs done by an earlier run), {summary.failed} failed, "
        f"{summary.rate:.1f} articles/s",
        err=True,
    )
    _report_failures(summary.failures)
    if not no_resolve and summary.written:
        _resolve(store)
    store.close()
    if summary.failed:
        sys.exit(1)


def _resolve(store) -> None:  # type: ignore[no-untyped-def]
    from eventwire.resolve import resolve_store

    result = resolve_store(store)
    click.echo(
        f"eventwire: resolved {result.actors} corpus actors and {result.stories} stories", err=True
    )


@click.command()
@db_option
@engine_options
def recode(db: str | None, workers: int, dask: str | None, model: str | None,
           actors: tuple[str, ...], batch_size: int) -> None:  # fmt: skip
    """Re-extract stored articles coded with other eventwire, model or dictionary versions.

    Each article keeps its old coding until the new one is written; an article whose
    re-extraction fails keeps the old coding and the failure is recorded.
    """
    from eventwire.store.maintain import recode as run_recode

    store = _open(db)
    with _Bar("recode") as bar:
        summary = run_recode(store, _engine(workers, dask, model, actors, batch_size),
                             progress=lambda s: bar.update(s.recoded + s.failed, s.failed, 0.0))  # fmt: skip
    click.echo(
        f"eventwire: {summary.stale} stale codings, {summary.recoded} recoded, {summary.failed} failed",
        err=True,
    )
    if summary.recoded:
        _resolve(store)
    store.close()


@click.command()
@db_option
def check(db: str | None) -> None:
    """Check the store's integrity: orphan rows, dangling references, unstamped articles, and
    whether the full-text index is in step with the tables. Exit status 1 on any problem."""
    from eventwire.store.maintain import check as run_check
    from eventwire.store.maintain import counts

    store = _open(db)
    for table, count in counts(store).items():
        click.echo(f"{table:14} {count:>10}")
    results = run_check(store)
    for item in results:
        status = "ok  " if item.ok else "FAIL"
        click.echo(
            f"{status} {item.name}" + (f" ({item.problems}) {item.detail}" if not item.ok else "")
        )
    store.close()
    if not all(item.ok for item in results):
        sys.exit(1)


@click.command()
@db_option
def resolve(db: str | None) -> None:
    """Rebuild corpus actors (the same person or organisation across articles) and stories
    (reports of the same event across articles). Ingest and recode run this themselves."""
    store = _open(db)
    _resolve(store)
    store.close()


COMMANDS: list[click.Command] = [ingest, recode, check, resolve]
