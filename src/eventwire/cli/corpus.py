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

from eventwire.store import MAX_ROW_ID

DB_HELP = "Store: a SQLite file or a postgresql:// URL [default: $EVENTWIRE_DB or ./eventwire.db]."


def db_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", metavar="URL", help=DB_HELP)(fn)


def _open(db: str | None, *, create: bool = False):  # type: ignore[no-untyped-def]
    """The store at ``db``; only commands that write new articles (``ingest``) create one, the
    others refuse a store that does not exist (exit 2, one line)."""
    from eventwire.store.db import open_store

    return open_store(
        db,
        create=create,
        on_migrate=lambda message: click.echo(f"eventwire: {message}", err=True),
    )


def engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say where and how the per-article step runs."""
    options = [
        click.option("--workers", default=1, show_default=True, help="Local worker processes (each loads the model once)."),
        click.option("--dask", metavar="ADDRESS", help="Run on a Dask cluster at ADDRESS (tcp://host:8786), or 'local' for a LocalCluster of --workers processes."),
        click.option("--model", metavar="NAME", help="An installed spaCy model instead of the default."),
        click.option("--actors", type=click.Path(exists=True, dir_okay=False), multiple=True, metavar="FILE", help="Extra actor dictionary; repeatable."),
        click.option(
            "--batch-size",
            default=8,
            show_default=True,
            help="Articles per batch, the unit of work and of writing (a Dask task carries "
            "whole batches, at least 16 articles).",
        ),
        click.option("--time-limit", default=120.0, show_default=True, metavar="SECONDS", help="Give up on an article after SECONDS (recorded as a failure); 0 disables."),
    ]  # fmt: skip
    for option in reversed(options):
        fn = option(fn)
    return fn


def _engine(
    workers: int,
    dask: str | None,
    model: str | None,
    actors: tuple[str, ...],
    batch_size: int,
    time_limit: float = 120.0,
):  # type: ignore[no-untyped-def]
    from eventwire.engine import EngineOptions

    if workers < 1 or batch_size < 1:
        raise click.BadParameter("--workers and --batch-size must be at least 1")
    if dask:
        from eventwire.cli.extras import require_extra

        require_extra("dask", "--dask")
    if time_limit < 0:
        raise click.BadParameter("--time-limit must be 0 (no limit) or a number of seconds")
    return EngineOptions(
        workers=workers, dask=dask, model=model, actors=tuple(actors), batch_size=batch_size,
        time_limit=time_limit or None,
    )  # fmt: skip


class _Bar:
    """A rich status line on stderr: articles done, articles/s, failures."""

    def __init__(self, label: str) -> None:
        import time

        self.clock = time.monotonic
        self.started = self.clock()
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

    def describe(self, done: int, failed: int, rate: float | None, elapsed: float) -> str:
        """The status text; without a ``rate`` from the caller (``recode`` has none), the
        rate since the bar started."""
        if rate is None:
            rate = done / elapsed if elapsed > 0 else 0.0
        return f"{self.label}: {done} articles, {rate:.1f}/s, {failed} failed"

    def update(self, done: int, failed: int, rate: float | None = None) -> None:
        text = self.describe(done, failed, rate, self.clock() - self.started)
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
           actors: tuple[str, ...], batch_size: int, time_limit: float, no_resolve: bool) -> None:  # fmt: skip
    """Read articles into the store: files, folders (recursively), .jsonl, .html, RSS/Atom feeds.

    Ingesting is idempotent (articles are keyed by a hash of their text) and resumable: an
    interrupted run can be started again with the same arguments and skips what is stored.
    Every input that fails is recorded with its reason and listed at the end. Exit status:
    0 all inputs read, 1 some failed.
    """
    from eventwire.store.ingest import ingest_paths
    from eventwire.store.maintain import has_pending_resolution

    options = _engine(workers, dask, model, actors, batch_size, time_limit)
    store = _open(db, create=True)
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
    if not no_resolve and (summary.written or has_pending_resolution(store)):
        _resolve(store)
    store.close()
    if summary.failed:
        sys.exit(1)


def _resolve(store, *, full: bool = False) -> None:  # type: ignore[no-untyped-def]
    from eventwire.resolve import resolve_store

    result = resolve_store(store, full=full)
    click.echo(
        f"eventwire: resolved {result.actors} corpus actors and {result.stories} stories", err=True
    )


@click.command()
@db_option
@engine_options
def recode(db: str | None, workers: int, dask: str | None, model: str | None,
           actors: tuple[str, ...], batch_size: int, time_limit: float) -> None:  # fmt: skip
    """Re-extract stored articles coded with other eventwire, model or dictionary versions.

    Each article keeps its old coding until the new one is written; an article whose
    re-extraction fails keeps the old coding and the failure is recorded.
    """
    from eventwire.store.maintain import has_pending_resolution
    from eventwire.store.maintain import recode as run_recode

    store = _open(db)
    with _Bar("recode") as bar:
        summary = run_recode(store, _engine(workers, dask, model, actors, batch_size, time_limit),
                             progress=lambda s: bar.update(s.recoded + s.failed, s.failed))  # fmt: skip
    click.echo(
        f"eventwire: {summary.stale} stale codings, {summary.recoded} recoded, {summary.failed} failed",
        err=True,
    )
    if summary.recoded or has_pending_resolution(store):
        _resolve(store)
    store.close()


@click.command()
@db_option
def check(db: str | None) -> None:
    """Check the store's integrity: SQLite's integrity check, orphan rows, dangling references,
    unstamped articles, whether the full-text index is in step with the tables; warn about
    codings left unresolved; report the widest story span. Exit status 1 on any problem, 2 when
    DB is not a store (it is never created here)."""
    from eventwire.store.db import resolve_url
    from eventwire.store.maintain import check as run_check
    from eventwire.store.maintain import counts, not_a_store, warnings, widest_story

    reason = not_a_store(resolve_url(db))
    if reason is not None:
        click.echo(f"eventwire: {reason}", err=True)
        sys.exit(2)
    store = _open(db)
    for table, count in counts(store).items():
        click.echo(f"{table:14} {count:>10}")
    results = run_check(store)
    for item in results:
        _echo_check(item, "FAIL")
    intact = all(item.ok for item in results if item.name == "SQLite integrity check")
    for item in warnings(store) if intact else []:  # no more reading of damaged pages
        _echo_check(item, "WARN")
    span = widest_story(store) if intact else None
    if span is not None:
        click.echo(
            f"info widest story span: {span.days} days (story {span.story}, "
            f"{span.first} to {span.last})"
        )
    store.close()
    if not all(item.ok for item in results):
        sys.exit(1)


def _echo_check(item, bad: str) -> None:  # type: ignore[no-untyped-def]
    status = "ok  " if item.ok else bad
    click.echo(
        f"{status} {item.name}" + (f" ({item.problems}) {item.detail}" if not item.ok else "")
    )


@click.command()
@db_option
@click.option(
    "--full", is_flag=True, help="Rebuild all actors and stories instead of only what changed."
)
def resolve(db: str | None, full: bool) -> None:
    """Resolve corpus actors (the same person or organisation across articles) and stories
    (reports of the same event across articles): codings not linked yet, and the actors and
    stories they touch. Ingest and recode run this themselves."""
    store = _open(db)
    _resolve(store, full=full)
    store.close()


COMMANDS: list[click.Command] = [ingest, recode, check, resolve]


# --- queries and exports -------------------------------------------------------------------
#
# Every read command asks the read layer (eventwire.query.corpus): the same filters, the same
# analysts' corrections and the same JSON shape as the desk's API.


def _echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    Console(width=max(120, Console().width)).print(table)


def _show_page(
    page: Any,
    what: str,
    offset: int,
    as_json: bool,
    columns: list[str],
    cells: Callable[[dict[str, Any]], list[Any]],
) -> None:
    """One page of a listing, as JSON or as a table titled with its place in the whole list."""
    if as_json:
        _echo_json({"total": page.total, "items": page.items})
        return
    rows = [cells(item) for item in page.items]
    _table(f"{what} {offset + 1}-{offset + len(rows)} of {page.total}", columns, rows)


#: The most results one query prints (an offset goes up to the largest 64-bit row id).
MAX_LIMIT = 1_000_000


def page_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")(fn)
    fn = click.option(
        "--offset",
        default=0,
        show_default=True,
        type=click.IntRange(0, MAX_ROW_ID),
        help="Skip this many results.",
    )(fn)
    return click.option(
        "--limit",
        default=50,
        show_default=True,
        type=click.IntRange(1, MAX_LIMIT),
        help=f"Show at most this many results (1-{MAX_LIMIT:,}).",
    )(fn)


@click.command("actors")
@db_option
@click.option("--search", metavar="TEXT", help="Only actors whose name contains TEXT.")
@click.option(
    "--type", "kind", metavar="TYPE", help="Only this entity type (PERSON, ORG, GPE, ...)."
)
@page_options
def actors_command(
    db: str | None, search: str | None, kind: str | None, limit: int, offset: int, as_json: bool
) -> None:
    """List actors (the same person or organisation across articles), most-covered first, with
    their key, type and article count; analysts' merges and splits are applied."""
    from eventwire.query import corpus

    page = corpus.actors(
        _open(db), q=search, type=kind.upper() if kind else None, limit=limit, offset=offset
    )
    columns = ["key", "name", "type", "articles"]
    _show_page(page, "actors", offset, as_json, columns, _actor_cells)


def _actor_cells(actor: dict[str, Any]) -> list[Any]:
    return [actor["key"], actor["name"], actor["type"], actor["articles"]]


@click.command("actor")
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
def actor_command(name: str, db: str | None, as_json: bool) -> None:
    """Show one actor (by key such as a12, id or name): names, roles over time, latest events as
    source and as target, quotes, and the actors it shares events with (the desk's actor page).
    Exit status 1 when no actor matches."""
    from eventwire.query import corpus

    profile = corpus.actor(_open(db), name)
    if profile is None:
        click.echo(f"eventwire: no actor matches {name!r}", err=True)
        sys.exit(1)
    if as_json:
        _echo_json(profile)
        return
    _print_profile(profile)


def _print_profile(profile: dict[str, Any]) -> None:
    click.echo(f"{profile['name']} ({profile['key']}), {profile['events_total']} events")
    names = [[n["name"], n["articles"], n["first_seen"], n["last_seen"]] for n in profile["names"]]
    _table("names", ["name", "articles", "first", "last"], names)
    roles = [[r["title"], r["of"], r["published"], r["evidence"]] for r in profile["roles"]]
    _table("roles", ["title", "of", "published", "evidence"], roles)
    for side in ("as_source", "as_target"):
        rows = [_event_cells(e) for e in profile[side]]
        _table(
            f"events {side.replace('_', ' ')}",
            ["date", "type", "source", "target", "evidence"],
            rows,
        )
    _table(
        "quotes", ["published", "quote"], [[q["published"], q["text"]] for q in profile["quotes"]]
    )
    shown = {n["key"]: n["name"] for n in profile["ego"]["nodes"]}
    shares = [
        [other, shown.get(other, other), edge["weight"]]
        for edge in profile["ego"]["edges"]
        for other in {edge["source"], edge["target"]} - {profile["key"]}
    ]
    _table("shares events with", ["key", "name", "events"], shares)


def _event_cells(event: dict[str, Any]) -> list[Any]:
    names = lambda actors: ", ".join(a["name"] or "?" for a in actors)  # noqa: E731
    return [
        (event["date"] or {}).get("value"),
        event["type"],
        names(event["actors"].get("source", [])),
        names(event["actors"].get("target", [])),
        event["evidence"]["text"],
    ]


def filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The event filters every command that reads events shares (the desk's, checked alike)."""
    options = [
        click.option(
            "--actor", metavar="NAME", help="Only events involving this actor (key, id or name)."
        ),
        click.option(
            "--type",
            "kind",
            metavar="TYPE",
            help="Only this PLOVER category (ASSAULT, CONSULT, ...).",
        ),
        click.option(
            "--since",
            metavar="DATE",
            help="Only events the text dates on or after DATE (YYYY-MM-DD, YYYY-MM or YYYY).",
        ),
        click.option(
            "--until",
            metavar="DATE",
            help="Only events the text dates on or before DATE (YYYY-MM-DD, YYYY-MM or YYYY).",
        ),
        click.option(
            "--country",
            metavar="ISO3",
            help="Only events located in this country (ISO 3166 alpha-3).",
        ),
        click.option(
            "--search", metavar="TEXT", help="Only events whose evidence sentence has these words."
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _filter(store, *, actor: str | None, kind: str | None, since: str | None,  # type: ignore[no-untyped-def]
            until: str | None, country: str | None, search: str | None):  # fmt: skip
    """The read layer's filter for these options, checked as the desk checks its own (a bad
    value is a usage error, exit 2); an actor given by id or name becomes its key."""
    from eventwire.query.corpus import actor_key
    from eventwire.query.filters import FilterError, checked_filter

    key = None
    if actor:
        with store.session() as session:
            key = actor_key(session, actor)
    try:
        return checked_filter(since=since, until=until, type=kind, country=country, actor=key,
                              q=search)  # fmt: skip
    except FilterError as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{exc.field}") from None


@click.command("events")
@db_option
@filter_options
@page_options
def events_command(db: str | None, actor: str | None, kind: str | None, since: str | None, until: str | None,
                   country: str | None, search: str | None, limit: int, offset: int, as_json: bool) -> None:  # fmt: skip
    """Search stored events, newest first, with their actors and the sentence that supports
    each; analysts' corrections are applied. --since/--until select events by the date their
    text gives (as the desk does); an event the text does not date is in no date window."""
    from eventwire.query import corpus

    store = _open(db)
    where = _filter(store, actor=actor, kind=kind, since=since, until=until, country=country,
                    search=search)  # fmt: skip
    page = corpus.events(store, where, limit=limit, offset=offset)
    columns = ["date", "type", "source", "target", "evidence"]
    _show_page(page, "events", offset, as_json, columns, _event_cells)


@click.command("stories")
@db_option
@click.option("--type", "kind", metavar="TYPE", help="Only this PLOVER category.")
@click.option(
    "--min-articles",
    default=1,
    show_default=True,
    type=click.IntRange(1, MAX_LIMIT),
    help="Only stories reported by at least this many articles.",
)
@page_options
def stories_command(
    db: str | None, kind: str | None, min_articles: int, limit: int, offset: int, as_json: bool
) -> None:
    """List stories (reports of the same real-world event across articles), most recently
    reported first, with the number of articles and distinct sources, first and last report."""
    from eventwire.query import corpus
    from eventwire.query.filters import FilterError, checked_filter

    try:
        kind = checked_filter(type=kind).type
    except FilterError as exc:
        raise click.BadParameter(str(exc), param_hint="--type") from None
    page = corpus.stories(
        _open(db), type=kind, min_articles=min_articles, limit=limit, offset=offset
    )
    columns = ["id", "date", "story", "articles", "sources", "first", "last"]
    _show_page(page, "stories", offset, as_json, columns, _story_cells)


def _story_cells(story: dict[str, Any]) -> list[Any]:
    fields = (
        "id",
        "date_value",
        "label",
        "article_count",
        "source_count",
        "first_report",
        "last_report",
    )
    return [story[f] for f in fields]


@click.command("network")
@db_option
@filter_options
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "csv"]), default="graphml", show_default=True,
              help="GraphML or GEXF (Gephi), node-link JSON, or a CSV edge list.")  # fmt: skip
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to this file instead of stdout."
)
def network_command(db: str | None, actor: str | None, kind: str | None, since: str | None, until: str | None,
                    country: str | None, search: str | None, fmt: str, output: str | None) -> None:  # fmt: skip
    """Export the actor network: actors as nodes (by key), directed source -> target edges
    weighted by the number of events, with the events' PLOVER categories on each edge;
    analysts' corrections are applied, as on the desk."""
    from eventwire.export import write_network

    store = _open(db)
    where = _filter(store, actor=actor, kind=kind, since=since, until=until, country=country,
                    search=search)  # fmt: skip
    with click.open_file(output or "-", "wb") as out:
        edges = write_network(store, out, fmt, where)
    click.echo(f"eventwire: {edges} edges", err=True)


@click.command("export")
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "events", "csv", "parquet", "plover"]), default="jsonl", show_default=True,
              help="jsonl: full records; events: one event per line as `events --json` and the desk's API "
                   "give it; csv: one event per row, GDELT-like columns; parquet: the same as Parquet "
                   "(needs the parquet extra); plover: PLOVER JSON lines.")  # fmt: skip
@filter_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write to this file (required for parquet).",
)
def export_command(db: str | None, fmt: str, actor: str | None, kind: str | None, since: str | None,
                   until: str | None, country: str | None, search: str | None, output: str | None) -> None:  # fmt: skip
    """Export the store: every article record, or events (filtered like `events`, analysts'
    corrections applied) as JSON lines, GDELT-like rows or PLOVER JSON."""
    from eventwire import export

    store = _open(db)
    where = _filter(store, actor=actor, kind=kind, since=since, until=until, country=country,
                    search=search)  # fmt: skip
    if fmt == "jsonl" and where.params():
        raise click.UsageError(
            "filters apply to events: use --format events, csv, parquet or plover"
        )
    if fmt == "parquet":
        from eventwire.cli.extras import require_extra

        require_extra("parquet", "--format parquet")
        if not output:
            raise click.UsageError("--format parquet needs --output FILE")
        count = export.write_parquet(store, output, where)
    else:
        writers = {
            "events": export.write_events,
            "csv": export.write_csv,
            "plover": export.write_plover,
        }
        with click.open_file(output or "-", "w", encoding="utf-8") as out:
            count = (
                export.write_jsonl(store, out)
                if fmt == "jsonl"
                else writers[fmt](store, out, where)
            )
    click.echo(
        f"eventwire: exported {count} {'articles' if fmt == 'jsonl' else 'events'}", err=True
    )


@click.command("corrections")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def corrections_command(db: str | None, as_json: bool) -> None:
    """List analysts' corrections, oldest first, with who made each, when and why, and whether
    it is in force, undone (and by which undo) or cannot be applied. Corrections are made, and
    undone, on the desk (`eventwire serve --token-file FILE`)."""
    from eventwire.query.corrections import list_corrections, load_overlay

    with _open(db).session() as session:
        items = list_corrections(session)
        broken = set(load_overlay(session).broken)
    for item in items:
        item["status"] = _status(item, broken)
    if as_json:
        _echo_json({"total": len(items), "items": items})
        return
    rows = [[c["id"], c["created_at"], c["author"], c["kind"], c["target"], c["reason"], c["status"]]
            for c in items]  # fmt: skip
    _table(
        f"corrections: {len(items)}", ["id", "when", "who", "kind", "target", "why", "status"], rows
    )


def _status(item: dict[str, Any], broken: set[int]) -> str:
    if item["kind"] == "undo":
        return f"takes back #{item['target']}"
    if item["undone_by"]:
        return f"undone by #{item['undone_by']}"
    return "cannot be applied" if item["id"] in broken else "in force"


COMMANDS.extend(
    [
        corrections_command,
        actors_command,
        actor_command,
        events_command,
        stories_command,
        network_command,
        export_command,
    ]
)
