"""Build the ArticleRecord from an annotated Doc: the last step of the per-article work."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from eventwire.extract.datecheck import flag_dates
from eventwire.ingest import PreparedArticle
from eventwire.record import Article, ArticleRecord, Entity


def article_from_prepared(prepared: PreparedArticle) -> Article:
    return Article(
        id=prepared.id,
        text=prepared.text,
        title=prepared.title,
        url=prepared.url,
        source=prepared.source,
        language=prepared.language,
        published=prepared.published,
        published_basis=prepared.published_basis,
        removed=list(prepared.removed),
    )


def _with_roles(entities: list[Entity], roles: dict) -> list[Entity]:
    return [replace(ent, roles=list(roles.get(ent.id, []))) for ent in entities]


def build_record(doc: Doc) -> ArticleRecord:
    """Collect what the ``eventwire_*`` components left on ``doc`` into one record."""
    prepared: PreparedArticle = doc._.ew_meta
    record = ArticleRecord(
        article=article_from_prepared(prepared),
        entities=_with_roles(doc._.ew_entities or [], doc._.ew_roles or {}),
        events=list(doc._.ew_events or []),
        quotes=list(doc._.ew_quotes or []),
        relations=list(doc._.ew_relations or []),
    )
    return flag_dates(record)
