"""A synthetic long article for the desk's bounded-time tests (not a test module).

About 300,000 characters of made-up sentences with thousands of entity mentions and event
triggers, the size the red team used (issue 19, item 1).
"""

from __future__ import annotations

from eventwire.ingest import article_id
from eventwire.record import Article, ArticleRecord, Entity, Event, EventActors, Quote, TextSpan

SENTENCE = 'Unit {n} shelled Post {n} near the river, and "we hold," Colonel Ray said.\n'


def long_record(sentences: int = 4000) -> ArticleRecord:
    """``sentences`` made-up sentences (~75 characters each), one event and three entities each."""
    text = "".join(SENTENCE.format(n=n) for n in range(sentences))
    units, posts, ray, events, quotes = [], [], [], [], []
    start = 0
    for n in range(sentences):
        line = SENTENCE.format(n=n)
        unit, post = f"Unit {n}", f"Post {n}"
        units.append(TextSpan(start, start + len(unit), unit))
        p = start + line.index(post)
        posts.append(TextSpan(p, p + len(post), post))
        r = start + line.index("Colonel Ray")
        ray.append(TextSpan(r, r + len("Colonel Ray"), "Colonel Ray"))
        q = start + line.index("we hold,")
        quotes.append(Quote("e3", "we hold,", q, q + len("we hold,"), "said"))
        trig = start + line.index("shelled")
        whole = TextSpan(start, start + len(line) - 1, line[:-1])
        events.append(Event(f"v{n}", "ASSAULT", TextSpan(trig, trig + 7, "shelled"), whole,
                            EventActors(["e1"], ["e2"]), confidence=0.7))  # fmt: skip
        start += len(line)
    return ArticleRecord(
        article=Article(
            article_id(text),
            text,
            title="A very long report",
            source="Wire",
            published="2024-03-05",
            published_basis="given",
        ),  # fmt: skip
        entities=[
            Entity("e1", "Unit", "ORG", aliases=["Unit"], mentions=units, country="XRV"),
            Entity("e2", "Post", "GPE", aliases=["Post"], mentions=posts),
            Entity("e3", "Colonel Ray", "PERSON", aliases=["Colonel Ray"], mentions=ray),
        ],
        events=events,
        quotes=quotes,
    )
