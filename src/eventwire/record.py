"""The ArticleRecord: the contract between eventwire and everything that reads its output.

The shape follows ``DESIGN.md`` ("The record format"). Records are small frozen dataclasses,
kept apart from spaCy objects so that storage, JSON, the API and the UI never see a ``Doc``.
Every record has ``to_dict``/``from_dict``; :class:`ArticleRecord` also has ``to_json`` /
``from_json``. Offsets are character offsets into ``article.text`` (the cleaned text).
Unknown values are ``None``, never invented.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar, Literal, get_args

EntityType = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "OTHER"]
EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]  # fmt: skip
Modality = Literal["asserted", "reported", "hypothetical", "future", "negated"]
Granularity = Literal["day", "month", "year", "range"]
DateBasis = Literal["explicit", "relative", "publication"]
PublishedBasis = Literal["given", "metadata", "inferred", "unknown"]
#: Why an event's date is doubtful (eventwire.extract.datecheck); trends leave these out.
DateFlag = Literal[
    "before-1900", "after-ingest", "after-publication", "published-before-1900",
    "published-after-ingest",
]  # fmt: skip
Predicate = Literal[
    "leader_of", "deputy_of", "member_of", "spokesperson_of", "based_in", "backed_by",
    "allied_with",
]  # fmt: skip

ENTITY_TYPES: tuple[str, ...] = get_args(EntityType)
EVENT_TYPES: tuple[str, ...] = get_args(EventType)
MODALITIES: tuple[str, ...] = get_args(Modality)
GRANULARITIES: tuple[str, ...] = get_args(Granularity)
DATE_BASES: tuple[str, ...] = get_args(DateBasis)
PUBLISHED_BASES: tuple[str, ...] = get_args(PublishedBasis)
DATE_FLAGS: tuple[str, ...] = get_args(DateFlag)
PREDICATES: tuple[str, ...] = get_args(Predicate)


class _Record:
    """Shared ``to_dict``/``from_dict`` for the flat records below.

    Nested records declare their nested fields in ``_nested`` (field name -> record class),
    and list-of-record fields in ``_nested_lists``; everything else is plain JSON data.
    """

    _nested: ClassVar[dict[str, type[_Record]]] = {}
    _nested_lists: ClassVar[dict[str, type[_Record]]] = {}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key in cls._nested and value is not None:
                value = cls._nested[key].from_dict(value)
            elif key in cls._nested_lists:
                value = [cls._nested_lists[key].from_dict(v) for v in value or []]
            kwargs[key] = value
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class TextSpan(_Record):
    """A stretch of ``article.text``: the evidence behind a fact."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Removed(_Record):
    """A piece of the raw text that cleaning dropped, and why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article(_Record):
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = "en"
    published: str | None = None
    published_basis: str = "unknown"
    removed: list[Removed] = field(default_factory=list)

    _nested_lists: ClassVar[dict[str, type[_Record]]] = {"removed": Removed}


@dataclass(frozen=True, slots=True)
class Role(_Record):
    """A title or role the text gives an entity, e.g. "deputy leader" of e5."""

    title: str
    of: str | None
    evidence: TextSpan

    _nested: ClassVar[dict[str, type[_Record]]] = {"evidence": TextSpan}


@dataclass(frozen=True, slots=True)
class Entity(_Record):
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[TextSpan] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    country: str | None = None
    kb_id: str | None = None

    _nested_lists: ClassVar[dict[str, type[_Record]]] = {"mentions": TextSpan, "roles": Role}


@dataclass(frozen=True, slots=True)
class EventActors(_Record):
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EventDate(_Record):
    value: str
    granularity: str
    text: str | None
    basis: str


@dataclass(frozen=True, slots=True)
class Location(_Record):
    name: str
    entity: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Quantity(_Record):
    kind: str
    value: int | float
    text: str
    of: str | None = None


@dataclass(frozen=True, slots=True)
class Event(_Record):
    id: str
    type: str
    trigger: TextSpan
    evidence: TextSpan
    actors: EventActors = field(default_factory=EventActors)
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    cameo: str | None = None
    date: EventDate | None = None
    location: Location | None = None
    modality: str = "asserted"
    attributed_to: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    confidence: float = 0.0
    #: Every other sentence of the article that reports the same occurrence (the headline, a
    #: later paragraph); ``evidence`` is the one that states it most fully.
    mentions: list[TextSpan] = field(default_factory=list)
    #: Why the date is doubtful (:data:`DATE_FLAGS`), or None: charts leave flagged events out.
    date_flag: str | None = None

    _nested: ClassVar[dict[str, type[_Record]]] = {
        "trigger": TextSpan,
        "evidence": TextSpan,
        "actors": EventActors,
        "date": EventDate,
        "location": Location,
    }
    _nested_lists: ClassVar[dict[str, type[_Record]]] = {
        "quantities": Quantity,
        "mentions": TextSpan,
    }


@dataclass(frozen=True, slots=True)
class Quote(_Record):
    speaker: str | None
    text: str
    start: int
    end: int
    cue: str | None = None


@dataclass(frozen=True, slots=True)
class Relation(_Record):
    subject: str
    predicate: str
    object: str
    evidence: TextSpan

    _nested: ClassVar[dict[str, type[_Record]]] = {"evidence": TextSpan}


@dataclass(frozen=True, slots=True)
class ArticleRecord(_Record):
    """Everything eventwire read from one article. ``error`` is set only for failed inputs."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    error: str | None = None

    _nested: ClassVar[dict[str, type[_Record]]] = {"article": Article}
    _nested_lists: ClassVar[dict[str, type[_Record]]] = {
        "entities": Entity,
        "events": Event,
        "quotes": Quote,
        "relations": Relation,
    }

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["error"] is None:
            del data["error"]
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> ArticleRecord:
        return cls.from_dict(json.loads(text))

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this record-local id, or None."""
        return next((ent for ent in self.entities if ent.id == entity_id), None)

    @classmethod
    def failed(
        cls,
        error: str,
        *,
        title: str | None = None,
        url: str | None = None,
        source: str | None = None,
    ) -> ArticleRecord:
        """The record for an input that could not be read: empty lists and an ``error``."""
        article = Article(id="", text="", title=title, url=url, source=source, language=None)
        return cls(article=article, error=error)
