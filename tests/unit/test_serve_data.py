"""Shared helpers for the desk's tests, not tests: a small store built from hand-made records."""

from __future__ import annotations

from pathlib import Path

from eventwire.ingest import article_id
from eventwire.record import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    EventActors,
    EventDate,
    Location,
    Quote,
    Removed,
    Role,
    TextSpan,
)
from eventwire.store.db import Store, open_store
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

STAMP = Stamp("0.0-test", "blank", {"verbs.tsv": "1"})

TEXTS = [
    "Army units shelled Rivertown on Monday, the Ministry said. "
    "Rebels accused the Army of <b>war crimes</b>. "
    '"We will not stop," said General Omar Test.',
    "Rebels attacked an Army convoy near Rivertown. The Army later met Rebels for talks.",
    "Protesters marched in Hilltown against the Ministry's fuel prices.",
]


def span(text: str, part: str, start: int = 0) -> TextSpan:
    begin = text.index(part, start)
    return TextSpan(begin, begin + len(part), part)


def entity(text: str, local: str, name: str, kind: str, country: str | None = None) -> Entity:
    mentions, start = [], 0
    while (found := text.find(name, start)) >= 0:
        mentions.append(TextSpan(found, found + len(name), name))
        start = found + len(name)
    return Entity(local, name, kind, aliases=[name], mentions=mentions, country=country)


def sentence_of(text: str, trigger: TextSpan) -> TextSpan:
    start = text.rfind(". ", 0, trigger.start)
    start = 0 if start < 0 else start + 2
    end = text.find(".", trigger.end) + 1 or len(text)
    return TextSpan(start, end, text[start:end])


def event(
    text: str,
    local: str,
    kind: str,
    trigger: str,
    source: list[str],
    target: list[str],
    *,
    date: str | None = None,
    place: tuple[str, str, float, float] | None = None,
    attributed_to: str | None = None,
    modality: str = "asserted",
) -> Event:
    trig = span(text, trigger)
    location = Location(place[0], None, place[1], place[2], place[3]) if place else None
    return Event(
        local,
        kind,
        trig,
        sentence_of(text, trig),
        EventActors(source, target),
        date=EventDate(date, "day", None, "explicit") if date else None,
        location=location,
        modality=modality,
        attributed_to=attributed_to,
        confidence=0.7,
    )


def records() -> list[ArticleRecord]:
    """Three articles: Army and Rebels fighting, a quote, a role, removed boilerplate."""
    t0, t1, t2 = TEXTS
    general = entity(t0, "e4", "Omar Test", "PERSON", "XRV")
    general = Entity(
        general.id,
        general.name,
        general.type,
        general.aliases,
        general.mentions,
        [Role("General", "e1", span(t0, "General Omar Test"))],
        "XRV",
    )
    r0 = ArticleRecord(
        article=Article(
            article_id(t0),
            t0,
            title="Shelling <script>alert(1)</script> in Rivertown",
            source="Wire One",
            published="2024-03-05",
            published_basis="given",
            removed=[Removed("Subscribe to our newsletter", "newsletter prompt")],
        ),
        entities=[
            entity(t0, "e1", "Army", "ORG", "XRV"),
            entity(t0, "e2", "Rivertown", "GPE"),
            entity(t0, "e3", "Rebels", "ORG", "XRV"),
            general,
            entity(t0, "e5", "Ministry", "ORG", "XRV"),
        ],
        events=[
            event(
                t0,
                "v1",
                "ASSAULT",
                "shelled",
                ["e1"],
                ["e2"],
                date="2024-03-04",
                place=("Rivertown", "XRV", 10.5, 20.25),
                attributed_to="e5",
                modality="reported",
            ),
            event(t0, "v2", "ACCUSE", "accused", ["e3"], ["e1"], date="2024-03-05"),
        ],
        quotes=[
            Quote(
                "e4",
                "We will not stop,",
                t0.index('"') + 1,
                t0.index('"') + 1 + len("We will not stop,"),
                "said",
            )
        ],
    )
    r1 = ArticleRecord(
        article=Article(
            article_id(t1),
            t1,
            title="Convoy attacked",
            source="Wire Two",
            published="2024-04-02",
            published_basis="given",
        ),
        entities=[
            entity(t1, "e1", "Rebels", "ORG", "XRV"),
            entity(t1, "e2", "Army", "ORG", "XRV"),
            entity(t1, "e3", "Rivertown", "GPE"),
        ],
        events=[
            event(
                t1,
                "v1",
                "ASSAULT",
                "attacked",
                ["e1"],
                ["e2"],
                date="2024-04-01",
                place=("Rivertown", "XRV", 10.5, 20.25),
            ),
            event(t1, "v2", "CONSULT", "met", ["e2"], ["e1"], date="2024-04-02"),
        ],
    )
    r2 = ArticleRecord(
        article=Article(
            article_id(t2),
            t2,
            title="Fuel protest",
            source="Wire One",
            published="2024-04-10",
            published_basis="given",
        ),
        entities=[
            entity(t2, "e1", "Protesters", "OTHER"),
            entity(t2, "e2", "Hilltown", "GPE"),
            entity(t2, "e3", "Ministry", "ORG", "XRV"),
        ],
        events=[
            event(
                t2,
                "v1",
                "PROTEST",
                "marched",
                ["e1"],
                ["e3"],
                date="2024-04-10",
                place=("Hilltown", "XRV", -5.0, 30.0),
            )
        ],
    )
    return [r0, r1, r2]


def write(store: Store, recs: list[ArticleRecord]) -> None:
    results = [Result(f"key-{r.article.id}", f"origin{i}", r) for i, r in enumerate(recs)]
    with store.session() as session, session.begin():
        write_batch(session, results, STAMP, fts=store.has_fts)


_TEMPLATE: list[Path] = []


def small_store(path: Path) -> Store:
    """A fresh copy of the small store at ``path`` (built once per run, then copied: fast)."""
    import shutil
    import tempfile

    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="desk-template-"))
        template = open_store(str(folder / "template.db"))
        write(template, records())
        template.close()
        _TEMPLATE.append(folder / "template.db")
    shutil.copy(_TEMPLATE[0], path)
    return open_store(str(path))
