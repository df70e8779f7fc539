"""Generic actors (issue 16, finding 2): "the government" is that country's government when the
article makes the country clear, else an actor local to its article marked ``generic``; never
one corpus-wide actor, never an arbitrary country."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from eventwire.record import Article, ArticleRecord, Entity, Event, EventActors, TextSpan
from eventwire.resolve import resolve_store
from eventwire.resolve.actors import EntityInfo
from eventwire.resolve.generic import context_countries, place
from eventwire.store.db import open_store
from eventwire.store.schema import ActorRow, EntityRow
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

PLACES = {"JPN": "Tokyo", "GBR": "London", "PHL": "Manila"}


def _mention(n: int) -> list[TextSpan]:
    return [TextSpan(0, 1, "x")] * n


def article(
    key: str, country: str | None, *agents: tuple[str, str, str, str | None]
) -> ArticleRecord:
    """An article whose places are in ``country`` (none: no place), with agent entities
    (phrase, type, sector, own country) that act in one event."""
    entities = []
    if country:
        entities.append(Entity("e1", PLACES[country], "GPE", [PLACES[country]], _mention(3),
                               country=country))  # fmt: skip
    for i, (phrase, kind, sector, own) in enumerate(agents, start=2):
        entities.append(Entity(f"e{i}", phrase, kind, [phrase], _mention(1), country=own,
                               kb_id=f"agent:{sector}"))  # fmt: skip
    ids = [e.id for e in entities if e.kb_id]
    event = Event("v1", "PROTEST", TextSpan(0, 1, "x"), TextSpan(0, 1, "x"),
                  actors=EventActors(ids[:1], ids[1:]))  # fmt: skip
    text = f"article {key}"
    return ArticleRecord(Article(id=key.ljust(16, "0"), text=text, published="2024-03-01"),
                         entities=entities, events=[event])  # fmt: skip


GOV = ("government", "ORG", "GOV", None)
OFFICIALS = ("officials", "OTHER", "GOV", None)
CORPUS = [
    article("a1", "JPN", GOV, OFFICIALS),
    article("a2", "JPN", GOV, OFFICIALS),
    article("a3", "GBR", GOV),
    article("a4", None, GOV),
    article("a5", None, GOV),
    article("a6", None, ("government", "ORG", "GOV", "PHL")),  # "the Philippine government"
    article("a7", "PHL", GOV),
]


def _write(store, records) -> None:  # type: ignore[no-untyped-def]
    with store.session() as session, session.begin():
        write_batch(session, [Result(r.article.id, r.article.id, r) for r in records],
                    Stamp("0", "blank", {}), fts=True)  # fmt: skip


def _actors(store) -> dict[frozenset[str], tuple[str | None, bool]]:  # type: ignore[no-untyped-def]
    """The government and officials actors: their articles -> (country, generic)."""
    out: dict[int, set[str]] = {}
    with store.session() as session:
        for aid, actor in session.execute(
            select(EntityRow.article_id, EntityRow.actor_id).where(EntityRow.type != "GPE")
        ):
            out.setdefault(actor, set()).add(f"{aid[:2]}")
        rows = {r.id: (r.country, r.generic, r.name) for r in session.scalars(select(ActorRow))}
    return {frozenset(v): rows[k][:2] for k, v in out.items() if rows[k][2] == "government"} | {
        frozenset(v) | {"officials"}: rows[k][:2] for k, v in out.items()
        if rows[k][2] == "officials"
    }  # fmt: skip


EXPECTED = {
    frozenset({"a1", "a2"}): ("JPN", False),  # the government of the country in context
    frozenset({"a3"}): ("GBR", False),
    frozenset({"a4"}): (None, True),  # no country: local to its article, generic
    frozenset({"a5"}): (None, True),
    frozenset({"a6", "a7"}): ("PHL", False),  # its own country, or its article's: one actor
    frozenset({"a1", "officials"}): (None, True),  # a group is never one actor across articles
    frozenset({"a2", "officials"}): (None, True),
}


@pytest.mark.parametrize("incremental", [False, True])
def test_generic_actors_are_placed_by_country_or_kept_local(
    tmp_path: Path, incremental: bool
) -> None:
    store = open_store(str(tmp_path / "s.db"))
    if incremental:
        _write(store, CORPUS[:3])
        resolve_store(store)
        _write(store, CORPUS[3:])
    else:
        _write(store, CORPUS)
    resolve_store(store)
    found = _actors(store)
    store.close()
    assert found == EXPECTED


def test_context_country_needs_a_clear_majority() -> None:
    places = [("a", "JPN", 3), ("a", "KOR", 1), ("b", "JPN", 1), ("b", "KOR", 1), ("c", "FRA", 0)]
    assert context_countries(places) == {"a": "JPN", "c": "FRA"}


def test_only_institutions_take_the_context_country() -> None:
    gov = EntityInfo(1, "government", "ORG", ("government",), None, "agent:GOV")
    crowd = EntityInfo(2, "protesters", "OTHER", ("protesters",), "KEN", "agent:OPP")
    named = EntityInfo(3, "Acme Corp", "ORG", (), None, None)
    assert place(gov, "a", {"a": "JPN"}).country == "JPN"
    assert place(gov, "a", {"a": "JPN"}).scope is None
    assert place(gov, "b", {"a": "JPN"}).scope == "b"
    assert place(crowd, "a", {"a": "JPN"}).scope == "a"
    assert place(named, "a", {"a": "JPN"}) == named


def test_a_generic_person_is_never_joined_by_a_name_rule(tmp_path: Path) -> None:
    """ "the judge" of two articles (an agent typed PERSON, no country) are two local actors in
    a full resolve as in an incremental one: the person-name rules skip generic actors."""
    judge = ("judge", "PERSON", "JUD", None)
    store = open_store(str(tmp_path / "p.db"))
    _write(store, [article("b1", None, judge), article("b2", None, judge)])
    resolve_store(store, full=True)
    with store.session() as session:
        actors = {a for (a,) in session.execute(select(EntityRow.actor_id))}
        generic = {r.generic for r in session.scalars(select(ActorRow))}
    store.close()
    assert len(actors) == 2 and generic == {True}
