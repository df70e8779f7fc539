"""Flatten an ArticleRecord into table rows, and rebuild the record from its rows.

These are pure functions over plain dicts, shared by the writer, the reader and exports, so that
the mapping between the record format and the tables lives in one place.
"""

from __future__ import annotations

from typing import Any

from eventwire.record import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    EventActors,
    EventDate,
    Location,
    Quantity,
    Quote,
    Relation,
    Removed,
    Role,
    TextSpan,
)


def article_row(article: Article) -> dict[str, Any]:
    """The ``articles`` columns that come from the record (keys and stamps are added by the writer)."""
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "source": article.source,
        "language": article.language,
        "published": article.published,
        "published_basis": article.published_basis,
        "text": article.text,
        "removed": [r.to_dict() for r in article.removed],
    }


def entity_row(entity: Entity, position: int) -> dict[str, Any]:
    return {
        "local_id": entity.id,
        "position": position,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "mentions": [m.to_dict() for m in entity.mentions],
        "country": entity.country,
        "kb_id": entity.kb_id,
    }


def role_row(role: Role, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "title": role.title,
        "of_local": role.of,
        **_span(role.evidence, "ev"),
    }


def event_row(event: Event, position: int) -> dict[str, Any]:
    """Flatten one event: trigger, evidence, date and location become columns."""
    date, loc = event.date, event.location
    return {
        "local_id": event.id,
        "position": position,
        "type": event.type,
        "mode": event.mode,
        "context": list(event.context),
        "cameo": event.cameo,
        **_span(event.trigger, "trigger"),
        **_span(event.evidence, "evidence"),
        "date_value": date.value if date else None,
        "date_granularity": date.granularity if date else None,
        "date_text": date.text if date else None,
        "date_basis": date.basis if date else None,
        "loc_name": loc.name if loc else None,
        "loc_entity": loc.entity if loc else None,
        "loc_country": loc.country if loc else None,
        "loc_lat": loc.lat if loc else None,
        "loc_lon": loc.lon if loc else None,
        "modality": event.modality,
        "attributed_to": event.attributed_to,
        "quantities": [q.to_dict() for q in event.quantities],
        "confidence": event.confidence,
        "mentions": [m.to_dict() for m in event.mentions],
        "date_flag": event.date_flag,
    }


def quote_row(quote: Quote, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "speaker": quote.speaker,
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "cue": quote.cue,
    }


def relation_row(relation: Relation, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "subject": relation.subject,
        "predicate": relation.predicate,
        "object": relation.object,
        **_span(relation.evidence, "ev"),
    }


def _span(span: TextSpan, prefix: str) -> dict[str, Any]:
    return {f"{prefix}_start": span.start, f"{prefix}_end": span.end, f"{prefix}_text": span.text}


def _unspan(row: dict[str, Any], prefix: str) -> TextSpan:
    return TextSpan(row[f"{prefix}_start"], row[f"{prefix}_end"], row[f"{prefix}_text"])


def article_from_row(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        language=row["language"],
        published=row["published"],
        published_basis=row["published_basis"],
        removed=[Removed.from_dict(r) for r in row["removed"] or []],
    )


def entity_from_row(row: dict[str, Any], roles: list[dict[str, Any]]) -> Entity:
    return Entity(
        id=row["local_id"],
        name=row["name"],
        type=row["type"],
        aliases=list(row["aliases"] or []),
        mentions=[TextSpan.from_dict(m) for m in row["mentions"] or []],
        roles=[Role(r["title"], r["of_local"], _unspan(r, "ev")) for r in roles],
        country=row["country"],
        kb_id=row["kb_id"],
    )


def event_from_row(row: dict[str, Any], actors: list[dict[str, Any]]) -> Event:
    """Rebuild one event; ``actors`` are its event_actors rows in position order."""
    date = None
    if row["date_value"] is not None:
        date = EventDate(
            row["date_value"], row["date_granularity"], row["date_text"], row["date_basis"]
        )
    location = None
    if row["loc_name"] is not None:
        location = Location(
            row["loc_name"], row["loc_entity"], row["loc_country"], row["loc_lat"], row["loc_lon"]
        )
    sides = EventActors(
        source=[a["local_id"] for a in actors if a["side"] == "source"],
        target=[a["local_id"] for a in actors if a["side"] == "target"],
    )
    return Event(
        id=row["local_id"],
        type=row["type"],
        trigger=_unspan(row, "trigger"),
        evidence=_unspan(row, "evidence"),
        actors=sides,
        mode=row["mode"],
        context=list(row["context"] or []),
        cameo=row["cameo"],
        date=date,
        location=location,
        modality=row["modality"],
        attributed_to=row["attributed_to"],
        quantities=[Quantity.from_dict(q) for q in row["quantities"] or []],
        confidence=row["confidence"],
        mentions=[TextSpan.from_dict(m) for m in row.get("mentions") or []],
        date_flag=row.get("date_flag"),
    )


def quote_from_row(row: dict[str, Any]) -> Quote:
    return Quote(row["speaker"], row["text"], row["start"], row["end"], row["cue"])


def relation_from_row(row: dict[str, Any]) -> Relation:
    return Relation(row["subject"], row["predicate"], row["object"], _unspan(row, "ev"))


def record_from_rows(
    article: dict[str, Any],
    entities: list[tuple[dict[str, Any], list[dict[str, Any]]]],
    events: list[tuple[dict[str, Any], list[dict[str, Any]]]],
    quotes: list[dict[str, Any]],
    relations: list[dict[str, Any]],
) -> ArticleRecord:
    """The record again, from rows already sorted by position."""
    return ArticleRecord(
        article=article_from_row(article),
        entities=[entity_from_row(row, roles) for row, roles in entities],
        events=[event_from_row(row, actors) for row, actors in events],
        quotes=[quote_from_row(row) for row in quotes],
        relations=[relation_from_row(row) for row in relations],
    )
