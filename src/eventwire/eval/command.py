"""`eventwire eval`: score the reading against public gold data, beside same-run baselines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # spaCy loads only when `eval` runs, not for every command's --help
    from spacy.language import Language


@click.command("eval")
@click.argument("suites", nargs=-1, metavar="[SUITE...]")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of gold data sets [default: ../shared/eval beside the repository, "
    "or $EVENTWIRE_EVAL_DATA].",
)
@click.option(
    "--quick",
    is_flag=True,
    help="Score a fixed, seeded sample of each suite (seconds, "
    "not minutes): the figures the pinned quality gate checks.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
)
@click.option("--model", metavar="NAME", help="An installed spaCy model instead of the default.")
@click.option("--list", "list_only", is_flag=True, help="List the suites and exit.")
@click.option(
    "--errors",
    "errors_split",
    type=click.Choice(["train", "dev", "test"]),
    default=None,
    help="events-articles only: list the false positives and misses of this split, with "
    "their sentences, instead of scoring (train and dev only; the test split is refused).",
)
def eval_command(
    suites: tuple[str, ...],
    data_dir: Path | None,
    quick: bool,
    fmt: str,
    model: str | None,
    list_only: bool,
    errors_split: str | None,
) -> None:
    """Measure eventwire against public gold data, each figure beside a baseline.

    \b
    Suites (all by default):
      events-plover    PLOVER category/source/target on PLV (held-out 30%) and NGEC stories
      events-petrarch  CAMEO triples on the PETRARCH unit-test suite
      ner              CoNLL-2003 entity F1, eventwire vs bare spaCy NER
      time             TempEval-3 platinum, eventwire vs dateparser
      html             article-body extraction, eventwire ingest vs plain trafilatura
      places           LGL and GeoWebNews geocoding accuracy within 161 km
      corpus-events    ECB+ cross-document event coreference vs same-lemma baseline
      events-articles  events of whole real articles vs the team's gold corpus
                       (strict/lenient P/R/F1, dates, modality, actors, roles, quotes)
      news-pages       body cleaning on 67 real news pages (fundus's curated bodies),
                       eventwire ingest vs plain trafilatura

    The gold data is not shipped with eventwire; a suite whose folder is missing says so.
    """
    from eventwire import nlp as nlp_module
    from eventwire.eval.runner import discover, run_suites, table_rows, to_json, to_markdown

    known = discover()
    if list_only:
        for name, suite in known.items():
            click.echo(f"{name:16} {suite.description}")
        return
    unknown = [s for s in suites if s not in known]
    if unknown:
        raise click.BadParameter(
            f"unknown suite(s): {', '.join(unknown)}; known: {', '.join(known)}", param_hint="SUITE"
        )
    from eventwire.eval.base import default_data_dir

    data_dir = data_dir or default_data_dir()
    if not data_dir.is_dir():
        raise click.BadParameter(f"{data_dir} is not a folder", param_hint="--data")
    if errors_split == "test":
        raise click.BadParameter(
            "the test split is scored, never read: use --errors train or --errors dev",
            param_hint="--errors",
        )
    nlp = nlp_module.load(model)
    if errors_split:
        _print_errors(data_dir, nlp, errors_split, fmt)
        return
    model_name = model or nlp_module.DEFAULT_MODEL

    def say(name: str) -> None:
        click.echo(f"running {name}...", err=True)

    results = run_suites(
        suites or tuple(known), data_dir=data_dir, quick=quick, nlp=nlp, progress=say
    )
    if fmt == "json":
        click.echo(json.dumps(to_json(results, model=model_name, quick=quick), indent=2))
    elif fmt == "markdown":
        click.echo(to_markdown(results, model=model_name, quick=quick))
    else:
        _print_table(table_rows(results))


def _print_errors(data_dir: Path, nlp: Language, split: str, fmt: str) -> None:
    from eventwire.eval.suites.events_articles import error_report

    errors = error_report(data_dir, nlp, split)
    if fmt == "json":
        click.echo(json.dumps(errors, indent=2, ensure_ascii=False))
        return
    for error in errors:
        click.echo(f"{error['article']}\t{error['kind']}\t{error['type']}\t{error['actors']}")
        click.echo(f"    {' '.join(str(error['sentence']).split())}")
    click.echo(f"{len(errors)} errors on the {split} split", err=True)


def _print_table(rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    from eventwire.eval.runner import HEADERS

    table = Table(title="eventwire eval")
    for header in HEADERS:
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    Console().print(table)


COMMANDS: list[click.Command] = [eval_command]
