"""The ``eventwire watch`` loop: cycles, alert checks, a live status line (CLI code: it prints).

Kept out of :mod:`eventwire.cli.analyse` so that the command module imports nothing heavy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from eventwire.analyse.alerts import AlertLog, webhook_poster
from eventwire.analyse.fetch import HttpFetcher
from eventwire.analyse.rules import load_rules
from eventwire.analyse.sources import read_sources
from eventwire.analyse.state import now
from eventwire.analyse.watch import CycleReport, Watcher, store_ingest
from eventwire.store.db import Store, open_store


def run_watch(sources_file: Path, *, every: float, once: bool, db: str | None,
              rules: Path | None, alerts_log: Path, webhook: str | None, rate: float,
              timeout: float, model: str | None, deadline: float = 60.0,
              allow_private: bool = False) -> int:  # fmt: skip
    """Run the watcher; returns the exit status (1 when a ``--once`` cycle had failing sources)."""
    sources = read_sources(sources_file)
    rule_list = load_rules(rules)
    store = open_store(db, on_migrate=lambda msg: click.echo(f"eventwire: {msg}", err=True))
    with HttpFetcher(timeout=timeout, deadline=deadline, rate=rate,
                     allow_private=allow_private) as fetcher:  # fmt: skip
        watcher = Watcher(sources, engine=store.engine, fetcher=fetcher,
                          ingest=store_ingest(store, model=model))  # fmt: skip
        log = AlertLog(rule_list, alerts_log, webhook_poster(fetcher, webhook) if webhook else None)
        if once:
            report = run_cycle(watcher, log, store)
            _print_report(report)
            store.close()
            return 1 if report.failing else 0
        _loop(watcher, log, store, every)
    store.close()
    return 0


def run_cycle(watcher: Watcher, log: AlertLog, store: Store) -> CycleReport:
    """One cycle, then the alert check on the store as it now stands."""
    report = watcher.cycle()
    with store.session() as session:
        report.alerts, report.alert_errors = log.check(session, at=now())
    return report


def summary_line(report: CycleReport) -> str:
    """One line: what the cycle did, for the status line and the log."""
    failing = report.failing
    parts = [
        f"cycle {report.number}",
        f"{len(report.sources)} sources",
        f"{report.written} new articles",
        f"{len(report.alerts)} new alerts",
    ]
    if failing:
        parts.append(f"{len(failing)} failing: " + ", ".join(s.location for s in failing[:3]))
    return " · ".join(parts)


def _print_report(report: CycleReport) -> None:
    for source in report.sources:
        state = "ok" if source.ok else f"ERROR {source.error}"
        extra = " (not modified)" if source.not_modified else ""
        if source.retried:
            extra += f"; {source.retried} failed before tried again"
        if source.deferred:
            extra += f"; {source.deferred} more new entries left for the next cycle"
        click.echo(f"{source.location}: {state}{extra}; {source.new} new, "
                   f"{source.written} stored, {source.failed} failed", err=True)  # fmt: skip
    for alert in report.alerts:
        click.echo(f"ALERT [{alert['date']}] {alert['rule']}: {alert['message']}")
    for error in report.alert_errors:
        click.echo(f"eventwire: {error}", err=True)
    click.echo(f"eventwire: {summary_line(report)}", err=True)


def _loop(watcher: Watcher, log: AlertLog, store: Store, every: float) -> None:
    """Cycle until Ctrl-C, with a live status line on stderr."""
    from rich.console import Console

    console = Console(stderr=True)
    with console.status("starting") as status:
        try:
            while True:
                status.update(f"cycle {watcher.cycles + 1}: fetching")
                report = run_cycle(watcher, log, store)
                for alert in report.alerts:
                    console.print(f"[bold red]ALERT[/] [{alert['date']}] {alert['rule']}: "
                                  f"{alert['message']}")  # fmt: skip
                _wait(every, lambda left, r=report: status.update(
                    f"{summary_line(r)} · next in {int(left)}s"))  # fmt: skip
        except KeyboardInterrupt:
            console.print("stopped")


def _wait(seconds: float, show: Callable[[float], None]) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        show(left)
        time.sleep(min(1.0, left))
