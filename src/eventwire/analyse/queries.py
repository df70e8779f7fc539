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
from eventwire.query.filters import current_versions, sane_date
from eventwire.store.db import Store, open_store
from eventwire.store.schema import ActorRow, ArticleRow, EntityRow, EventActorRow, EventRow

HAPPENED = ("asserted", "reported")


def _actor_event_pks(names: tuple[str, ...]) -> Select[tuple[int]]:
    """Events with an actor whose name, corpus-actor name or knowledge-base id is one of
    ``names`` (an actor's name and the names of actors merged into it)."""
    wanted = [name.casefold() for name in names]
    return (
        select(EventActorRow.event_pk)
        .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
        .outerjoin(ActorRow, ActorRow.id == EntityRow.actor_id)
        .where(
            or_(
                func.lower(EntityRow.name).in_(wanted),
                func.lower(ActorRow.name).in_(wanted),
                func.lower(EntityRow.kb_id).in_(wanted),
            )
        )
    )


#: The columns a fact is made of (plain columns, not ORM objects: trends read every event).
_FACT_COLUMNS = (
    EventRow.pk, EventRow.article_id, EventRow.type, EventRow.date_value,
    EventRow.date_granularity, EventRow.loc_country, EventRow.modality, EventRow.evidence_text,
    EventRow.trigger_start, EventRow.trigger_end, EventRow.evidence_start,
    ArticleRow.published, ArticleRow.title, ArticleRow.url, ArticleRow.source,
)  # fmt: skip


def _event_query(
    *, actors: Sequence[tuple[str, ...]], country: str | None, categories: Sequence[str] | None,
    modalities: Sequence[str] | None, since: str | None,
) -> Select[Any]:  # fmt: skip
    query = (
        select(*_FACT_COLUMNS)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(current_versions(), sane_date())  # flagged dates stay out of trends and alerts
    )
    for names in actors:
        query = query.where(EventRow.pk.in_(_actor_event_pks(names)))
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
    corrected: bool = True,
    with_actors: bool = True,
) -> list[dict[str, Any]]:
    """Facts (see module) for events matching every filter; ``actors`` must all take part.

    With ``corrected`` (the default) analysts' corrections from the desk are applied first, as
    the desk shows them: an event's corrected category, date and actors, and merged or split
    actors, so trends and alerts count what the analyst decided. Corrected events are read
    loosely and filtered after correcting them (a correction can move an event into or out of
    a filter); every other event is filtered in SQL. Without ``with_actors`` the facts' actor
    lists are left empty (trends per category need none, and reading them is most of the cost).
    """
    from eventwire.query.corrections import Overlay, load_overlay
    from eventwire.query.events import affected_pks

    overlay = load_overlay(session) if corrected else Overlay()
    affected = set(affected_pks(session, overlay))
    shown = _corrected_names(session, overlay)
    query = _event_query(actors=_with_merged_names(actors, overlay, shown), country=country, categories=categories,
                         modalities=modalities, since=since)  # fmt: skip
    rows = [row for row in session.execute(query).all() if row.pk not in affected]
    if affected:
        loose = _event_query(actors=(), country=country, categories=None,
                             modalities=modalities, since=None)  # fmt: skip
        rows += session.execute(loose.where(EventRow.pk.in_(affected))).all()
    named = rows if with_actors else [row for row in rows if row.pk in affected]
    sides = _actor_names(session, {row.pk: row.article_id for row in named}, overlay, shown)
    facts = [_corrected(_fact(row, sides.get(row.pk, {})), overlay) for row in rows]
    return [f for f in facts if f["event_id"] not in affected or _passes(f, actors,
            categories, since)]  # fmt: skip


def _corrected_names(session: Session, overlay: Any) -> dict[str, str]:
    """The shown name of every actor key a merge or split involves, read once (the desk's own
    :func:`~eventwire.query.network.display_names`)."""
    from eventwire.query.network import display_names

    keys = set(overlay.merges) | set(overlay.merges.values()) | set(overlay.names)
    return display_names(session, keys, overlay) if keys else {}


def _with_merged_names(
    actors: Sequence[str], overlay: Any, names: dict[str, str]
) -> list[tuple[str, ...]]:
    """Each wanted actor name with the names of actors an analyst merged into it (SQL matches
    stored names, which a merge does not change)."""
    out = []
    for wanted in actors:
        found = [wanted]
        for source, into in overlay.merges.items():
            if names.get(into, "").casefold() == wanted.casefold():
                found.append(names.get(source, ""))
        out.append(tuple(n for n in found if n))
    return out


def _passes(fact: dict[str, Any], actors: Sequence[str], categories: Sequence[str] | None,
            since: str | None) -> bool:  # fmt: skip
    """The SQL-side filters, on a corrected fact."""
    if categories and fact["type"] not in categories:
        return False
    if since and (fact["date"] or "") < since[:10]:
        return False
    return all(involves(fact, name) for name in actors)


def _corrected(fact: dict[str, Any], overlay: Any) -> dict[str, Any]:
    """The fact with its event correction (category, date, actors) applied."""
    from eventwire.query.corrections import event_key

    change = overlay.events.get(event_key(*fact.pop("_key")))
    if not change:
        return fact
    if "type" in change:
        fact["type"] = change["type"]
    if "date" in change:
        fact["date"] = change["date"]
    for side in ("source", "target"):
        if side in change:
            fact[f"{side}s"] = [a["name"] for a in change[side]]
            fact[f"{side}_keys"] = [a["name"].casefold() for a in change[side]]
    return fact


def _actor_names(
    session: Session, event_articles: dict[int, str], overlay: Any, shown: dict[str, str]
) -> dict[int, dict[str, list[str]]]:
    """event pk -> {"source": [names], "target": [names], "source_keys": [...], ...}.

    Names are in position order; ``*_keys`` hold every casefolded name an actor answers to
    (entity name, corpus actor name, knowledge-base id), which is what filters match on. An
    actor an analyst merged or split reads under its corrected name.
    """
    found: dict[int, dict[str, list[str]]] = defaultdict(_empty_sides)
    for chunk in batched(list(event_articles), 500):
        query = (
            select(
                EventActorRow.event_pk,
                EventActorRow.side,
                EntityRow.name,
                ActorRow.name,
                EntityRow.kb_id,
                EntityRow.actor_id,
            )  # fmt: skip
            .join(EntityRow, EntityRow.pk == EventActorRow.entity_pk)
            .outerjoin(ActorRow, ActorRow.id == EntityRow.actor_id)
            .where(EventActorRow.event_pk.in_(chunk))
            .order_by(EventActorRow.event_pk, EventActorRow.position)
        )
        for pk, side, entity_name, actor_name, kb_id, actor_id in session.execute(query):
            if not overlay.empty:
                actor_name = _overlaid_name(overlay, shown, actor_id, entity_name,
                                            event_articles[pk]) or actor_name  # fmt: skip
            _add_actor(found[pk], side, entity_name, actor_name, kb_id)
    return found


def _overlaid_name(overlay: Any, shown: dict[str, str], actor_id: int | None, entity_name: str,
                   article_id: str) -> str | None:  # fmt: skip
    """The corrected name of this entity's actor, or None when no merge or split touches it."""
    from eventwire.query.keys import key_of

    key = key_of(actor_id, entity_name.lower() if actor_id is None else None)
    moved = overlay.actor(key, article_id)
    return shown.get(moved) or None if moved != key else None


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
    event = row
    day = event.date_value if event.date_granularity == "day" else None
    return {
        "_key": (event.article_id, event.trigger_start, event.trigger_end, event.evidence_start),
        "event_id": event.pk,
        "article_id": event.article_id,
        "type": event.type,
        "date": (day or event.published or "")[:10] or None,
        "country": event.loc_country,
        "modality": event.modality,
        "sources": list(actors.get("source", [])),
        "targets": list(actors.get("target", [])),
        "source_keys": list(actors.get("source_keys", [])),
        "target_keys": list(actors.get("target_keys", [])),
        "evidence": event.evidence_text,
        "title": event.title,
        "url": event.url,
        "source": event.source,
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
    store = open_store(db, create=False)  # reading never creates a store
    try:
        with store.session() as session:
            yield session
    finally:
        store.close()
