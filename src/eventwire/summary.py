"""A readable summary of ArticleRecords for the terminal (``--format table`` and ``demo``).

Formatting only: it reads records and never touches spaCy objects.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from eventwire.record import ArticleRecord, Entity, Event


def _name(record: ArticleRecord, entity_id: str | None) -> str:
    entity = record.entity(entity_id) if entity_id else None
    return entity.name if entity else "-"


def _names(record: ArticleRecord, ids: list[str]) -> str:
    return ", ".join(_name(record, i) for i in ids) or "-"


def _roles(record: ArticleRecord, entity: Entity) -> str:
    parts = []
    for role in entity.roles:
        parts.append(f"{role.title} of {_name(record, role.of)}" if role.of else role.title)
    return "; ".join(dict.fromkeys(parts))


def actors_table(record: ArticleRecord) -> Table:
    table = Table(title="Actors", title_justify="left", expand=False)
    for column in ("name", "type", "country", "roles", "mentions"):
        table.add_column(column)
    for entity in record.entities:
        if entity.type in ("PERSON", "ORG") or entity.roles:
            table.add_row(
                entity.name,
                entity.type,
                entity.country or "",
                _roles(record, entity),
                str(len(entity.mentions)),
            )
    return table


def _when(event: Event) -> str:
    if event.date is None:
        return "-"
    return f"{event.date.value} ({event.date.basis})"


def _claim(record: ArticleRecord, event: Event) -> str:
    if event.attributed_to:
        return f"{event.modality}, per {_name(record, event.attributed_to)}"
    return event.modality


def events_table(record: ArticleRecord) -> Table:
    table = Table(title="Events", title_justify="left")
    for column in ("type", "source", "target", "date", "place", "modality", "trigger"):
        table.add_column(column)
    for event in record.events:
        place = event.location.name if event.location else "-"
        table.add_row(
            event.type,
            _names(record, event.actors.source),
            _names(record, event.actors.target),
            _when(event),
            place,
            _claim(record, event),
            event.trigger.text,
        )
    return table


def quotes_table(record: ArticleRecord) -> Table:
    table = Table(title="Quotes", title_justify="left")
    table.add_column("speaker")
    table.add_column("quote")
    for quote in record.quotes:
        text = quote.text if len(quote.text) <= 160 else quote.text[:157] + "..."
        table.add_row(_name(record, quote.speaker), f"\u201c{text}\u201d")
    return table


def print_summary(record: ArticleRecord, console: Console) -> None:
    article = record.article
    console.rule(f"[bold]{article.title or article.id or 'article'}")
    if record.error:
        console.print(f"[red]error:[/red] {record.error}")
        return
    published = (
        f"{article.published} ({article.published_basis})" if article.published else "unknown"
    )
    console.print(
        f"published: {published}   source: {article.source or '-'}   "
        f"removed: {len(article.removed)} boilerplate piece(s)"
    )
    console.print(actors_table(record))
    if record.events:
        console.print(events_table(record))
    if record.quotes:
        console.print(quotes_table(record))


def print_summaries(records: Iterable[ArticleRecord], console: Console | None = None) -> None:
    console = console or Console()
    for record in records:
        print_summary(record, console)
