"""Shared helpers, not tests: hand-built ArticleRecords and a hypothesis strategy (no model)."""

from __future__ import annotations

from hypothesis import strategies as st

from eventwire.ingest import article_id
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
    Role,
    TextSpan,
)


def span(text: str, part: str) -> TextSpan:
    start = text.index(part)
    return TextSpan(start, start + len(part), part)


def make_record(
    text: str,
    *,
    people: tuple[str, ...] = ("John Smith",),
    orgs: tuple[str, ...] = ("Army",),
    event_type: str = "ASSAULT",
    date: str | None = "2024-03-05",
    url: str | None = None,
    source: str | None = "Example News",
    published: str = "2024-03-07",
    country: str | None = "SYR",
    place: str | None = "Aleppo",
) -> ArticleRecord:
    """A small coherent record: persons and organisations named in ``text``, one event between them."""
    entities = []
    for i, name in enumerate(people + orgs, start=1):
        kind = "PERSON" if name in people else "ORG"
        mention = span(text, name)
        entities.append(Entity(f"e{i}", name, kind, aliases=[name], mentions=[mention]))
    source_ids = [entities[0].id] if entities else []
    target_ids = [entities[-1].id] if len(entities) > 1 else []
    first = text.split(".")[0] + "."
    event = Event(
        id="v1",
        type=event_type,
        trigger=TextSpan(0, 1, text[0]),
        evidence=TextSpan(0, len(first), first),
        actors=EventActors(source_ids, target_ids),
        date=EventDate(date, "day", None, "explicit") if date else None,
        location=Location(place, None, country, 36.2, 37.1) if place else None,
        confidence=0.8,
    )
    article = Article(
        id=article_id(text),
        text=text,
        url=url,
        source=source,
        published=published,
        published_basis="given",
    )
    return ArticleRecord(article=article, entities=entities, events=[event])


_words = st.text(min_size=1, max_size=12)
_maybe = st.none() | _words


@st.composite
def records(draw: st.DrawFn) -> ArticleRecord:
    """Arbitrary well-typed records (offsets and texts need not agree: the store must not care)."""
    text = draw(st.text(min_size=1, max_size=80))
    spans = st.builds(TextSpan, st.integers(0, 500), st.integers(0, 500), _words)
    n_ent = draw(st.integers(0, 3))
    ids = [f"e{i}" for i in range(1, n_ent + 1)]
    ref = st.sampled_from(ids) if ids else st.none()
    entities = [
        Entity(
            eid,
            draw(_words),
            draw(st.sampled_from(["PERSON", "ORG", "GPE"])),
            aliases=draw(st.lists(_words, max_size=2)),
            mentions=draw(st.lists(spans, max_size=2)),
            roles=draw(st.lists(st.builds(Role, _words, ref, spans), max_size=2)),
            country=draw(st.none() | st.sampled_from(["USA", "LBN"])),
            kb_id=draw(_maybe),
        )
        for eid in ids
    ]
    actor_ids = st.lists(st.sampled_from(ids), max_size=2) if ids else st.just([])
    date = st.none() | st.builds(
        EventDate,
        st.just("2024-01-02"),
        st.sampled_from(["day", "month"]),
        _maybe,
        st.just("explicit"),
    )
    location = st.none() | st.builds(
        Location,
        _words,
        ref,
        st.none() | st.just("LBN"),
        st.none() | st.floats(-90, 90),
        st.none() | st.floats(-180, 180),
    )
    quantity = st.builds(Quantity, _words, st.integers(0, 10**6) | st.floats(0, 1e6), _words, ref)
    events = [
        Event(
            f"v{i}",
            draw(st.sampled_from(["ASSAULT", "CONSULT", "PROTEST"])),
            draw(spans),
            draw(spans),
            actors=EventActors(draw(actor_ids), draw(actor_ids)),
            mode=draw(_maybe),
            context=draw(st.lists(_words, max_size=2)),
            cameo=draw(st.none() | st.just("190")),
            date=draw(date),
            location=draw(location),
            modality=draw(st.sampled_from(["asserted", "reported"])),
            attributed_to=draw(ref),
            quantities=draw(st.lists(quantity, max_size=2)),
            confidence=draw(st.floats(0, 1)),
        )
        for i in range(1, draw(st.integers(0, 3)) + 1)
    ]
    quotes = draw(
        st.lists(
            st.builds(Quote, ref, _words, st.integers(0, 99), st.integers(0, 99), _maybe),
            max_size=2,
        )
    )
    relations = (
        draw(st.lists(st.builds(Relation, ref, st.just("member_of"), ref, spans), max_size=2))
        if ids
        else []
    )
    article = Article(
        id=article_id(text),
        text=text,
        title=draw(_maybe),
        url=draw(_maybe),
        source=draw(_maybe),
        published=draw(st.none() | st.just("2024-01-02")),
    )
    return ArticleRecord(article, entities, events, quotes, relations)
