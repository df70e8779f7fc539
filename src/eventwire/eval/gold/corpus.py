"""The gold corpus's records, and the loader that refuses a malformed annotation by name.

A gold file (``eval-data/articles/gold/<key>.json``; the second annotation in ``second/``) holds
only offsets into the article's reference text (:mod:`eventwire.eval.gold.sources`), the
annotator's entity names and titles, and the codes of docs/annotation-guide.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventwire.errors import DataError

EVENT_TYPES = frozenset(
    [
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    ]
)
ENTITY_TYPES = frozenset(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "OTHER"])
MODALITIES = frozenset(["asserted", "reported", "hypothetical", "future", "negated"])
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")

Span = tuple[int, int]


class GoldError(DataError):
    """A gold annotation file that cannot be used, with the file and the problem named."""


@dataclass(frozen=True, slots=True)
class GoldEntity:
    id: str
    name: str
    type: str
    mentions: tuple[Span, ...]
    generic: bool = False
    country: str | None = None
    roles: tuple[tuple[str, str | None], ...] = ()  # (title, entity id of the organisation)


@dataclass(frozen=True, slots=True)
class GoldEvent:
    id: str
    type: str
    trigger: Span
    evidence: tuple[Span, ...]
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    mode: str | None = None
    date: str | None = None
    location: str | None = None
    modality: str = "asserted"
    attributed_to: str | None = None


@dataclass(frozen=True, slots=True)
class GoldQuote:
    span: Span
    speaker: str | None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    key: str
    annotator: str
    text_sha256: str
    published: str | None
    entities: tuple[GoldEntity, ...] = ()
    events: tuple[GoldEvent, ...] = ()
    quotes: tuple[GoldQuote, ...] = ()
    notes: str = ""
    by_id: dict[str, GoldEntity] = field(default_factory=dict, compare=False, repr=False)

    def entity(self, entity_id: str | None) -> GoldEntity | None:
        return self.by_id.get(entity_id or "")


def _span(value: Any, where: str) -> Span:
    ok = isinstance(value, list | tuple) and len(value) == 2
    if not ok or not all(isinstance(v, int) for v in value) or not 0 <= value[0] < value[1]:
        raise ValueError(f"{where}: expected [start, end] with 0 <= start < end, got {value!r}")
    return (value[0], value[1])


def _choice(value: Any, allowed: frozenset[str], where: str) -> str:
    if value not in allowed:
        raise ValueError(f"{where}: {value!r} is not one of {', '.join(sorted(allowed))}")
    return str(value)


def _optional(value: Any, pattern: re.Pattern[str], where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"{where}: {value!r} is malformed")
    return value


def _entity(raw: dict[str, Any], where: str) -> GoldEntity:
    mentions = tuple(_span(m, f"{where}.mentions") for m in raw.get("mentions") or [])
    roles = tuple((str(r["title"]), r.get("of")) for r in raw.get("roles") or [])
    return GoldEntity(
        id=str(raw["id"]),
        name=str(raw["name"]),
        type=_choice(raw.get("type"), ENTITY_TYPES, f"{where}.type"),
        mentions=mentions,
        generic=bool(raw.get("generic", False)),
        country=_optional(raw.get("country"), _COUNTRY, f"{where}.country"),
        roles=roles,
    )


def _event(raw: dict[str, Any], where: str) -> GoldEvent:
    evidence = tuple(_span(s, f"{where}.evidence") for s in raw.get("evidence") or [])
    if not evidence:
        raise ValueError(f"{where}: an event needs at least one evidence span")
    return GoldEvent(
        id=str(raw["id"]),
        type=_choice(raw.get("type"), EVENT_TYPES, f"{where}.type"),
        trigger=_span(raw.get("trigger"), f"{where}.trigger"),
        evidence=evidence,
        source=tuple(raw.get("source") or ()),
        target=tuple(raw.get("target") or ()),
        mode=raw.get("mode"),
        date=_optional(raw.get("date"), _DATE, f"{where}.date"),
        location=raw.get("location"),
        modality=_choice(raw.get("modality", "asserted"), MODALITIES, f"{where}.modality"),
        attributed_to=raw.get("attributed_to"),
    )


def _check_references(article: GoldArticle) -> None:
    known = set(article.by_id)
    for event in article.events:
        refs = [*event.source, *event.target, event.location, event.attributed_to]
        for ref in refs:
            if ref is not None and ref not in known:
                raise ValueError(f"event {event.id}: unknown entity {ref!r}")
    for entity in article.entities:
        for _, of in entity.roles:
            if of is not None and of not in known:
                raise ValueError(f"entity {entity.id}: role of unknown entity {of!r}")
    for quote in article.quotes:
        if quote.speaker is not None and quote.speaker not in known:
            raise ValueError(f"quote at {quote.span}: unknown speaker {quote.speaker!r}")


def parse_gold(raw: dict[str, Any]) -> GoldArticle:
    """A GoldArticle from its JSON form; ``ValueError`` names the first problem found."""
    for name in ("article", "annotator", "text_sha256"):
        if not isinstance(raw.get(name), str):
            raise ValueError(f"missing or non-text field {name!r}")
    entities = tuple(_entity(e, f"entity {e.get('id')}") for e in raw.get("entities") or [])
    events = tuple(_event(e, f"event {e.get('id')}") for e in raw.get("events") or [])
    quotes = tuple(
        GoldQuote(_span(q.get("span"), "quote.span"), q.get("speaker"))
        for q in raw.get("quotes") or []
    )
    article = GoldArticle(
        key=raw["article"],
        annotator=raw["annotator"],
        text_sha256=raw["text_sha256"],
        published=_optional(raw.get("published"), _DATE, "published"),
        entities=entities,
        events=events,
        quotes=quotes,
        notes=str(raw.get("notes") or ""),
        by_id={e.id: e for e in entities},
    )
    _check_references(article)
    return article


def load_gold(path: Path) -> GoldArticle:
    """Read one gold file; a :class:`GoldError` names the file and what is wrong with it."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return parse_gold(raw)
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        problem = f"missing field {error}" if isinstance(error, KeyError) else str(error)
        raise GoldError(f"{path}: {problem}") from error


def check_offsets(article: GoldArticle, text: str) -> None:
    """Raise :class:`GoldError` when a span falls outside the reference text."""
    spans: list[Span] = [s for e in article.entities for s in e.mentions]
    spans += [s for v in article.events for s in (v.trigger, *v.evidence)]
    spans += [q.span for q in article.quotes]
    for start, end in spans:
        if end > len(text):
            raise GoldError(f"{article.key}: span {start}-{end} past the text's end {len(text)}")


def gold_dir(root: Path | None = None) -> Path:
    """``eval-data/articles`` of the checkout (or ``EVENTWIRE_GOLD``)."""
    import os

    env = os.environ.get("EVENTWIRE_GOLD")
    if env:
        return Path(env)
    return (root or Path(__file__).resolve().parents[4]) / "eval-data" / "articles"


def load_manifest(folder: Path) -> list[dict[str, Any]]:
    """The sample's rows (key, corpus, split, words, input, text_sha256, double)."""
    data = json.loads((folder / "sample.json").read_text(encoding="utf-8"))
    return list(data["articles"])
