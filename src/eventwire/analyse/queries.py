"""Read queries for monitoring: events as flat "facts" with actor names, date and evidence.

A fact is one coded event as trends, change detection and alerts see it::

    {"event_id": 12, "article_id": "3f2a...", "type": "ASSAULT", "date": "2024-03-05",
     "country": "SYR", "modality": "asserted", "sources": ["Army"], "targets": ["Rebels"],
     "source_keys": ["army"], "target_keys": ["rebels"], "evidence": "the sentence",
     "title": "...", "url": "...", "source": "outlet"}

``date`` is the event's own date when it is a full day, else the article's publication date
(events dated only to a month or year, or not at all, fall back to publication). Events whose
modality is negated, hypothetical or future did not happen and are left out by default.
Actor names are the corpus actor's name when cross-article resolution has linked the entity,
else the entity's canonical name in its article.

These read the store's tables (``eventwire.store.schema``) and never write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from eventwire._iter import batched
from eventwire.store.db import Store, open_store
from eventwire.store.schema import ActorRow, ArticleRow, EntityRow, EventActorRow, EventRow

HAPPENED = ("asserted", "reported")


def _actor_event_pks(name: str) -> Select[tuple[int]]:
    """Events with an actor whose name, corpus-actor name or knowledge-base id is ``name``."""
    wanted = name.casefold()
    return (
        select(EventActorRow.event_pk)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .outerjoin(ActorRow, ActorRow.id == EntityRow.actor_id)
        .where(
            or_(
                func.lower(EntityRow.name) == wanted,
                func.lower(ActorRow.name) == wanted,
                func.lower(EntityRow.kb_id) == wanted,
            )
        )
    )


def _event_query(
    *, actors: Sequence[str], country: str | None, categories: Sequence[str] | None,
    modalities: Sequence[str] | None, since: str | None,
) -> Select[Any]:  # fmt: skip
    query = select(EventRow, ArticleRow.published, ArticleRow.title, ArticleRow.url,
                   ArticleRow.source).join(ArticleRow, ArticleRow.id == EventRow.article_id)  # fmt: skip
    for name in actors:
        query = query.where(EventRow.pk.in_(_actor_event_pks(name)))
    if country:
        query = query.where(func.upper(EventRow.loc_country) == country.upper())
    if categories:
        query = query.where(EventRow.type.in_(list(categories)))
    if modalities:
        query = query.where(EventRow.modality.in_(list(modalities)))
    if since:
        query = query.where(or_(EventRow.date_value >= since, ArticleRow.published >= since))
    return query.order_by(EventRow.pk)


def event_facts(
    session: Session,
    *,
    actors: Sequence[str] = (),
    country: str | None = None,
    categories: Sequence[str] | None = None,
    modalities: Sequence[str] | None = HAPPENED,
    since: str | None = None,
) -> list[dict[str, Any]]:
    """Facts (see module) for events matching every filter; ``actors`` must all take part."""
    query = _event_query(actors=actors, country=country, categories=categories,
                         modalities=modalities, since=since)  # fmt: skip
    rows = session.execute(query).all()
    names = _actor_names(session, [row[0].pk for row in rows])
    return [_fact(row, names.get(row[0].pk, {})) for row in rows]


def _actor_names(session: Session, event_pks: list[int]) -> dict[int, dict[str, list[str]]]:
    """event pk -> {"source": [names], "target": [names], "source_keys": [...], ...}.

    Names are in position order; ``*_keys`` hold every casefolded name an actor answers to
    (entity name, corpus actor name, knowledge-base id), which is what filters match on.
    """
    found: dict[int, dict[str, list[str]]] = defaultdict(_empty_sides)
    for chunk in batched(event_pks, 500):
        query = (
            select(
                EventActorRow.event_pk,
                EventActorRow.side,
                EntityRow.name,
                ActorRow.name,
                EntityRow.kb_id,
            )  # fmt: skip
            .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
            .outerjoin(ActorRow, ActorRow.id == EntityRow.actor_id)
            .where(EventActorRow.event_pk.in_(chunk))
            .order_by(EventActorRow.event_pk, EventActorRow.position)
        )
        for pk, side, entity_name, actor_name, kb_id in session.execute(query):
            _add_actor(found[pk], side, entity_name, actor_name, kb_id)
    return found


def _empty_sides() -> dict[str, list[str]]:
    return {"source": [], "target": [], "source_keys": [], "target_keys": []}


def _add_actor(sides: dict[str, list[str]], side: str, entity_name: str,
               actor_name: str | None, kb_id: str | None) -> None:  # fmt: skip
    name = actor_name or entity_name
    if name not in sides[side]:
        sides[side].append(name)
    for key in (entity_name, actor_name, kb_id):
        if key and key.casefold() not in sides[f"{side}_keys"]:
            sides[f"{side}_keys"].append(key.casefold())


def _fact(row: Any, actors: dict[str, list[str]]) -> dict[str, Any]:
    event, published, title, url, source = row
    day = event.date_value if event.date_granularity == "day" else None
    return {
        "event_id": event.pk,
        "article_id": event.article_id,
        "type": event.type,
        "date": (day or published or "")[:10] or None,
        "country": event.loc_country,
        "modality": event.modality,
        "sources": list(actors.get("source", [])),
        "targets": list(actors.get("target", [])),
        "source_keys": list(actors.get("source_keys", [])),
        "target_keys": list(actors.get("target_keys", [])),
        "evidence": event.evidence_text,
        "title": title,
        "url": url,
        "source": source,
    }


def _keys(fact: dict[str, Any], side: str) -> set[str]:
    """The casefolded names the actors on one side answer to (names only for hand-made facts)."""
    keys = fact.get(f"{side}_keys")
    return set(keys) if keys is not None else {n.casefold() for n in fact[f"{side}s"]}


def involves(fact: dict[str, Any], name: str) -> bool:
    """True when ``name`` (any case) is a source or target of the fact."""
    wanted = name.casefold()
    return wanted in _keys(fact, "source") or wanted in _keys(fact, "target")


def between(fact: dict[str, Any], a: str, b: str) -> bool:
    """True when the fact has ``a`` on one side and ``b`` on the other (either direction)."""
    sources, targets = _keys(fact, "source"), _keys(fact, "target")
    a, b = a.casefold(), b.casefold()
    return (a in sources and b in targets) or (b in sources and a in targets)


def directed(fact: dict[str, Any], a: str, b: str) -> bool:
    """True when ``a`` is a source and ``b`` a target of the fact."""
    return a.casefold() in _keys(fact, "source") and b.casefold() in _keys(fact, "target")


@contextmanager
def session_scope(db: str | Session | Store | None) -> Iterator[Session]:
    """A read session from a store URL or path (opened and closed here), a Store, or a Session.

    ``None`` opens the default store (``$EVENTWIRE_DB`` or ``./eventwire.db``).
    """
    if isinstance(db, Session):
        yield db
        return
    if isinstance(db, Store):
        with db.session() as session:
            yield session
        return
    store = open_store(db)
    try:
        with store.session() as session:
            yield session
    finally:
        store.close()
