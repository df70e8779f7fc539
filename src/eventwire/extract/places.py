"""Places: toponyms geocoded from an offline gazetteer.

(Work in progress: the record type and helper below are the stable interface.)
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class Place:
    """One toponym in the text and where it is.

    ``entity`` is the id from ``doc._.ew_token_entity`` when the span is an entity; ``country``
    is ISO 3166-1 alpha-3; ``lat``/``lon`` are None when the gazetteer does not know the name.
    ``kind`` is "country", "city", "region" (territories, areas), "admin1" or "unknown".
    """

    start: int
    end: int
    name: str
    entity: str | None
    country: str | None
    lat: float | None
    lon: float | None
    kind: str


def places_in(doc: Doc, start_char: int, end_char: int) -> list[Place]:
    """The places of ``doc`` that lie within [start_char, end_char)."""
    places = doc._.ew_places or []
    return [p for p in places if p.start >= start_char and p.end <= end_char]


class PlacesStage:
    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_places = []
        return doc


@Language.factory("eventwire_places")
def make_places(nlp: Language, name: str) -> PlacesStage:
    return PlacesStage()
