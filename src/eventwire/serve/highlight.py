"""Cut an article's text into segments for highlighting entities, event triggers and quotes.

Annotations overlap (a quote contains names and triggers), so the text is cut at every
annotation boundary and each segment carries all the annotations that cover it; the template
renders one element per segment, escaping its text.

The cost must stay linear in the text and its annotations: an article of 300,000 characters
with 9,000 events took 43 s to render when every annotation was tested against every segment
(issue 19, item 1). Segments are made in one sweep over the sorted boundaries, keeping the set
of annotations open at each point. Long texts are also shown in parts (:func:`parts`) of at most
:data:`PART_CHARS` characters, so that one page, its events and its quotes stay small enough to
render in well under a second and to be kept by the response cache.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

#: Most characters of article text on one page; longer articles are shown in parts.
PART_CHARS = 20_000


@dataclass(slots=True)
class Segment:
    text: str
    entity: dict[str, Any] | None = None
    events: list[int] = field(default_factory=list)
    quote: bool = False

    @property
    def plain(self) -> bool:
        return self.entity is None and not self.events and not self.quote


@dataclass(frozen=True, slots=True)
class Part:
    """One page of a long article: its 1-based ``number`` of ``count``, and its text range."""

    number: int
    count: int
    start: int
    end: int


Note = tuple[int, int, str, Any]


def _annotations(record: dict[str, Any], start: int, end: int) -> list[Note]:
    """Annotations overlapping ``[start, end)``, clipped to it, in the order that marks them."""
    found: list[Note] = []
    for entity in record["entities"]:
        for mention in entity["mentions"]:
            found.append((mention["start"], mention["end"], "entity", entity))
    for event in record["events"]:
        found.append((event["trigger"]["start"], event["trigger"]["end"], "event", event["pk"]))
    for quote in record["quotes"]:
        found.append((quote["start"], quote["end"], "quote", None))
    return [
        (max(start, s), min(end, e), kind, ref)
        for s, e, kind, ref in found
        if 0 <= s < e and s < end and e > start
    ]


def segments(record: dict[str, Any], start: int = 0, end: int | None = None) -> list[Segment]:
    """The text from ``start`` to ``end`` (default: all) as consecutive segments that together
    spell it exactly. One sweep: each annotation is opened at its start and closed at its end."""
    text: str = record["article"]["text"]
    end = len(text) if end is None else min(end, len(text))
    start = max(0, min(start, end))
    notes = _annotations(record, start, end)
    opens: defaultdict[int, list[int]] = defaultdict(list)
    closes: defaultdict[int, list[int]] = defaultdict(list)
    for index, (s, e, _kind, _ref) in enumerate(notes):
        opens[s].append(index)
        closes[e].append(index)
    cuts = sorted({start, end, *opens, *closes})
    active: set[int] = set()
    out: list[Segment] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        active.difference_update(closes.get(left, ()))
        active.update(opens.get(left, ()))
        segment = Segment(text[left:right])
        for index in sorted(active):  # the order the annotations were listed in, as before
            _mark(segment, notes[index][2], notes[index][3])
        out.append(segment)
    return out


def _mark(segment: Segment, kind: str, ref: Any) -> None:
    if kind == "entity":
        segment.entity = ref
    elif kind == "event":
        segment.events.append(ref)
    else:
        segment.quote = True


def parts(text: str, size: int = PART_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` ranges of at most ``size`` characters covering ``text``, each ending at a
    line break when there is one in its second half, else after a sentence or a word."""
    ranges: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = -1
        for mark in ("\n", ". ", " "):
            found = text.rfind(mark, start + size // 2, limit)
            if found >= 0:
                cut = found + len(mark)
                break
        end = cut if cut > start else limit
        ranges.append((start, end))
        start = end
    ranges.append((start, len(text)))
    return ranges


def part_of(record: dict[str, Any], number: int, size: int = PART_CHARS) -> Part | None:
    """Part ``number`` (1-based) of the article's text, None when it has no such part."""
    ranges = parts(record["article"]["text"], size)
    if not 1 <= number <= len(ranges):
        return None
    start, end = ranges[number - 1]
    return Part(number, len(ranges), start, end)


def part_number(record: dict[str, Any], event_pk: int, size: int = PART_CHARS) -> int:
    """The part whose text holds event ``event_pk``'s trigger (1 when it is not found)."""
    where = next((e["trigger"]["start"] for e in record["events"] if e["pk"] == event_pk), 0)
    ranges = parts(record["article"]["text"], size)
    return next((n for n, (_s, end) in enumerate(ranges, start=1) if where < end), 1)


def in_part(items: list[dict[str, Any]], part: Part, *, key: str | None = None) -> list[Any]:
    """The events (``key='trigger'``) or quotes whose start lies in ``part``."""
    return [
        item for item in items if part.start <= (item[key] if key else item)["start"] < part.end
    ]
