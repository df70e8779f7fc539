"""Monitoring commands (`watch`, `trends`, `alerts`): registered on the main CLI through ``COMMANDS``.

Heavy modules (SQLAlchemy queries, httpx, matplotlib) are imported inside the commands so that
``eventwire --help`` stays fast.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

import click

from eventwire.analyse.durations import duration_seconds

_DB_HELP = "Store URL or SQLite path (default: $EVENTWIRE_DB or ./eventwire.db)."


@click.command()
@click.option("--actor", metavar="NAME", help="Only events with this actor on either side.")
@click.option("--dyad", nargs=2, metavar="A B", help="The series between two actors (either "
              "direction), with a conflict-cooperation intensity per period.")  # fmt: skip
@click.option("--country", metavar="ISO3", help="Only events located in this country.")
@click.option("--by", type=click.Choice(["day", "week", "month"]), default="week",
              show_default=True, help="Period length.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "png"]), default="table",
              show_default=True, help="png needs matplotlib (pip install 'eventwire[monitor]').")  # fmt: skip
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Where to write the PNG (default: trends.png) or CSV (default: stdout).")  # fmt: skip
@click.option("--db", metavar="URL", help=_DB_HELP)
def trends(actor: str | None, dyad: tuple[str, str] | None, country: str | None, by: str,
           fmt: str, output: Path | None, db: str | None) -> None:  # fmt: skip
    """Event counts per PLOVER category and conflict-cooperation intensity over time.

    \b
    Without --dyad: one row per period with the number of events in each PLOVER category.
    With --dyad A B: the events between A and B per period, by direction and by quad class
    (verbal/material cooperation/conflict). Every row has "intensity", the sum of the events'
    weights on a -10 (conflict) .. +10 (cooperation) scale, and "mean_intensity"; the weights
    are in data/plover_weights.yaml (Goldstein values of each category's CAMEO codes).
    Only events that happened (asserted or reported) count; an event is dated by its own date
    when the text gives a day, else by the article's publication date.
    """
    from eventwire.analyse.trends import trends as build

    table = build(db, actor=actor, dyad=tuple(dyad) if dyad else None, country=country, by=by)
    if fmt == "png":
        from eventwire.analyse.chart import write_png

        path = write_png(table, output or Path("trends.png"))
        click.echo(f"wrote {path} ({len(table.rows)} periods)", err=True)
    elif fmt == "csv":
        _write_csv(table.columns, table.rows, output)
    else:
        _print_table(table.title, table.columns, table.rows)


def _write_csv(columns: list[str], rows: list[dict[str, Any]], output: Path | None) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    if output:
        output.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        click.echo(buffer.getvalue(), nl=False)


def _print_table(title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    if not rows:
        click.echo(f"{title}: no dated events match")
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(column, justify="left" if column == "period" else "right")
    for row in rows:
        table.add_row(*("" if row[c] is None else str(row[c]) for c in columns))
    Console(width=max(120, 15 * len(columns))).print(table)


@click.command()
@click.option("--rules", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE", help="Alert rules (YAML). Default: $EVENTWIRE_ALERTS, then "
              "./alerts.yaml, then the shipped example (data/alerts.example.yaml).")  # fmt: skip
@click.option("--since", metavar="DATE", help="Only alerts fired on or after this ISO date.")
@click.option("--limit", default=50, show_default=True, help="At most this many alerts (0: all).")
@click.option("--format", "fmt", type=click.Choice(["text", "jsonl"]), default="text",
              show_default=True, help="text: readable, with evidence; jsonl: one alert per line.")  # fmt: skip
@click.option("--db", metavar="URL", help=_DB_HELP)
def alerts(rules: Path | None, since: str | None, limit: int, fmt: str, db: str | None) -> None:
    """List the alerts that the rules fire on the store, newest first, with their evidence.

    \b
    Rule kinds: count (N events within a window), rise (a sustained rise over a baseline,
    exact Poisson-rate test), new_relationship (two actors' first event in a category) and
    shift (a dyad's conflict turning from verbal to material). Each alert shows the
    sentences and articles behind it. See data/alerts.example.yaml for the rule format.
    """
    import json

    from eventwire.analyse.alerts import recent_alerts

    found = recent_alerts(db, rules=rules, since=since, limit=limit or None)
    if fmt == "jsonl":
        for alert in found:
            click.echo(json.dumps(alert, ensure_ascii=False))
        return
    if not found:
        click.echo("no alerts")
    for alert in found:
        click.echo(_alert_text(alert))


def _alert_text(alert: dict[str, Any]) -> str:
    lines = [f"[{alert['date']}] {alert['rule']} ({alert['kind']}): {alert['message']}"]
    for item in alert["evidence"]:
        where = item["url"] or item["title"] or item["article_id"]
        lines.append(f"    {item['date']} {item['type']}: {item['sentence'].strip()}")
        lines.append(f"        article {item['article_id']} {where}")
    hidden = alert["evidence_total"] - len(alert["evidence"])
    if hidden > 0:
        lines.append(f"    ... and {hidden} more events")
    return "\n".join(lines)


def _parse_every(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return duration_seconds(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("sources", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--every", default="15m", show_default=True, callback=_parse_every,
              metavar="DURATION", help="Time between cycles: 30s, 15m, 1h.")  # fmt: skip
@click.option("--once", is_flag=True, help="Run one cycle and exit (for cron).")
@click.option("--db", metavar="URL", help=_DB_HELP)
@click.option("--rules", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              metavar="FILE", help="Alert rules evaluated after each cycle (default as for "
              "`eventwire alerts`).")  # fmt: skip
@click.option("--alerts-log", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("eventwire-alerts.jsonl"), show_default=True, metavar="FILE",
              help="JSONL file new alerts are appended to (each alert once).")  # fmt: skip
@click.option("--webhook", metavar="URL", help="POST each new alert as JSON to this URL.")
@click.option("--rate", default=1.0, show_default=True, metavar="SECONDS",
              help="Least time between two requests to the same host.")  # fmt: skip
@click.option("--timeout", default=20.0, show_default=True, metavar="SECONDS",
              help="Timeout of one network read or connection.")  # fmt: skip
@click.option("--deadline", default=60.0, show_default=True, metavar="SECONDS",
              help="Most time one fetch may take, retries and redirects included.")  # fmt: skip
@click.option("--allow-private", is_flag=True, help="Also fetch from loopback and private "
              "addresses (intranet feeds); by default only public addresses are fetched.")  # fmt: skip
@click.option("--model", metavar="NAME", help="An installed spaCy model instead of the default.")
def watch(sources: Path, every: float, once: bool, db: str | None, rules: Path | None,
          alerts_log: Path, webhook: str | None, rate: float, timeout: float, deadline: float,
          allow_private: bool, model: str | None) -> None:  # fmt: skip
    """Watch RSS/Atom feeds and folders; ingest new articles; raise alerts.

    \b
    SOURCES is a text file with one feed URL or folder per line (# starts a comment).
    Each cycle fetches every feed (conditional requests with ETag/Last-Modified, retries
    with back-off, a polite per-host rate), follows each new entry's link to the article
    page, reads and stores what is new, and records each source's health (last success,
    last error, articles per cycle). A failing source never stops the others. Only http(s)
    URLs on public addresses are fetched (every redirect hop checked) unless --allow-private,
    and each fetch ends by --deadline. Folders are
    scanned for new or changed article files. After each cycle the alert rules are
    evaluated; new alerts go to --alerts-log and, with --webhook, are POSTed as JSON.
    Runs in the foreground with a live status line until Ctrl-C, or once with --once.
    """
    from eventwire.analyse.watch_cli import run_watch

    code = run_watch(sources, every=every, once=once, db=db, rules=rules, alerts_log=alerts_log,
                     webhook=webhook, rate=rate, timeout=timeout, deadline=deadline,
                     allow_private=allow_private, model=model)  # fmt: skip
    sys.exit(code)


COMMANDS: list[click.Command] = [watch, trends, alerts]
