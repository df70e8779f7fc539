"""Cut an article's text into segments for highlighting entities, event triggers and quotes.

Annotations overlap (a quote contains names and triggers), so the text is cut at every
annotation boundary and each segment carries all the annotations that cover it; the template
renders one element per segment, escaping its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Segment:
    text: str
    entity: dict[str, Any] | None = None
    events: list[int] = field(default_factory=list)
    quote: bool = False

    @property
    def plain(self) -> bool:
        return self.entity is None and not self.events and not self.quote


def _annotations(record: dict[str, Any], size: int) -> list[tuple[int, int, str, Any]]:
    found: list[tuple[int, int, str, Any]] = []
    for entity in record["entities"]:
        for mention in entity["mentions"]:
            found.append((mention["start"], mention["end"], "entity", entity))
    for event in record["events"]:
        found.append((event["trigger"]["start"], event["trigger"]["end"], "event", event["pk"]))
    for quote in record["quotes"]:
        found.append((quote["start"], quote["end"], "quote", None))
    return [
        (max(0, s), min(size, e), kind, ref) for s, e, kind, ref in found if 0 <= s < e and s < size
    ]


def segments(record: dict[str, Any]) -> list[Segment]:
    """The article text as consecutive segments that together spell it exactly."""
    text: str = record["article"]["text"]
    notes = _annotations(record, len(text))
    cuts = sorted({0, len(text), *(s for s, *_ in notes), *(e for _s, e, *_ in notes)})
    out: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        segment = Segment(text[start:end])
        for s, e, kind, ref in notes:
            if s <= start and end <= e:
                _mark(segment, kind, ref)
        out.append(segment)
    return out


def _mark(segment: Segment, kind: str, ref: Any) -> None:
    if kind == "entity":
        segment.entity = ref
    elif kind == "event":
        segment.events.append(ref)
    else:
        segment.quote = True
