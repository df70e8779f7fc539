"""Places: toponyms geocoded from an offline gazetteer (see :mod:`eventwire.gazetteer`).

Candidates are the model's GPE/LOC/FAC entities (a possessive or trailing description is cut:
"Beirut's southern suburbs" -> Beirut) plus capitalised names the gazetteer knows as a country,
region or first-level division that the model missed. Demonyms ("Lebanese") are not places.
Each name is resolved among its gazetteer candidates by a score that adds up the candidate's
population (log), its kind (country > division or region > city), an exact primary name, a
national capital, and the article's context: the countries and divisions the article itself names
and, for local news, the other places it names (a town near the article's other towns is the
likelier of its namesakes: a second pass rewards candidates close to the first pass's places).
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from eventwire import deadline
from eventwire import gazetteer as gazetteer_module
from eventwire.extract import whole_text
from eventwire.gazetteer import Gazetteer, GazetteerEntry, normalise


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


KIND_BONUS = {"country": 4.0, "admin1": 2.5, "region": 2.5, "admin2": 1.0, "city": 0.0}
CONTEXT_COUNTRY_BONUS = 3.0
CONTEXT_ADMIN1_BONUS = 2.0
CONTEXT_NEIGHBOUR_BONUS = 1.5  # a country bordering one the article names
PRIMARY_NAME_BONUS = 1.5
NEAR_KM = 150.0  # a candidate this close to another place of the article is near it
NEAR_BONUS = 2.0
#: Kinds whose point says where the article is (a country's or continent's centre does not).
LOCAL_KINDS = ("city", "admin2")


@dataclass(frozen=True, slots=True)
class Context:
    """What the article names: its countries, their neighbours and its first-level divisions
    ((country, code) pairs), and where its local places are (``points``). Each item is paired
    with the normalised name that brought it in: a name is never its own context ("Gaza" read
    as a Mozambican province must not make Mozambique the article's country)."""

    countries: frozenset[tuple[str, str]] = frozenset()
    admin1: frozenset[tuple[tuple[str, str], str]] = frozenset()
    points: tuple[tuple[str, float, float], ...] = ()
    neighbours: frozenset[tuple[str, str]] = frozenset()


def _named_by_others(item: object, key: str, pairs: frozenset[tuple[object, str]]) -> bool:
    return any(value == item and source != key for value, source in pairs)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def near_others(entry: GazetteerEntry, key: str, context: Context) -> bool:
    """Whether ``entry`` lies near a local place the article names under another name."""
    if entry.lat is None or entry.lon is None:
        return False
    return any(
        other != key and distance_km(entry.lat, entry.lon, lat, lon) <= NEAR_KM
        for other, lat, lon in context.points
    )


def score(entry: GazetteerEntry, key: str, context: Context) -> float:
    """How likely ``entry`` is the place meant by a name normalised to ``key``."""
    value = math.log10(entry.population + 1) + KIND_BONUS.get(entry.kind, 0.0)
    value += PRIMARY_NAME_BONUS if normalise(entry.name) == key else 0.0
    if entry.country and _named_by_others(entry.country, key, context.countries):
        value += CONTEXT_COUNTRY_BONUS
    elif entry.country and _named_by_others(entry.country, key, context.neighbours):
        value += CONTEXT_NEIGHBOUR_BONUS
    if entry.admin1 and _named_by_others((entry.country, entry.admin1), key, context.admin1):
        value += CONTEXT_ADMIN1_BONUS
    if entry.kind in LOCAL_KINDS and near_others(entry, key, context):
        value += NEAR_BONUS
    return value


def best(gazetteer: Gazetteer, name: str, context: Context) -> GazetteerEntry | None:
    """The most likely gazetteer entry for ``name`` given the article's context."""
    key = normalise(name)
    candidates = gazetteer.lookup(name)
    return max(candidates, key=lambda e: score(e, key, context)) if candidates else None


def with_points(gazetteer: Gazetteer, names: list[str], context: Context) -> Context:
    """``context`` plus the points of the local places its names resolve to (a first pass)."""
    points = []
    for name in dict.fromkeys(names):
        entry = best(gazetteer, name, context)
        if entry is not None and entry.kind in LOCAL_KINDS and entry.lat is not None:
            points.append((normalise(name), entry.lat, entry.lon))
    return Context(context.countries, context.admin1, tuple(points), context.neighbours)


def context_of(gazetteer: Gazetteer, names: list[str]) -> Context:
    """Countries and divisions the article names unambiguously (a country, a state, a big city)."""
    countries: set[tuple[str, str]] = set()
    admin1: set[tuple[tuple[str, str], str]] = set()
    for name in names:
        entry, key = best(gazetteer, name, Context()), normalise(name)
        if entry is None or entry.country is None:
            continue
        if entry.kind in ("country", "admin1", "admin2", "region") or entry.population >= 1_000_000:
            countries.add((entry.country, key))
        if entry.kind in ("admin1", "admin2"):  # a county names its state
            admin1.add(((entry.country, entry.admin1), key))
    near = {(n, key) for c, key in countries for n in gazetteer.neighbours.get(c, ())}
    return Context(frozenset(countries), frozenset(admin1), (), frozenset(near))


def toponym_text(text: str) -> tuple[int, str]:
    """The place name inside an entity's text and its offset ("the Gaza Strip" -> Gaza Strip)."""
    found = re.match(r"(?:the\s+)?(.+?)(?:['’]s?\b.*)?$", text, re.IGNORECASE | re.DOTALL)
    name = found.group(1).strip() if found else text
    return text.find(name), name


def place_for(entry: GazetteerEntry | None, start: int, name: str, entity: str | None) -> Place:
    if entry is None:
        return Place(start, start + len(name), name, entity, None, None, None, "unknown")
    return Place(
        start, start + len(name), name, entity, entry.country, entry.lat, entry.lon, entry.kind
    )


def resolve_names(
    gazetteer: Gazetteer, names: list[str], context_text: list[str] | None = None
) -> list[GazetteerEntry | None]:
    """Resolve each of ``names`` with the context of ``context_text`` (the names by default)."""
    text = context_text if context_text is not None else names
    context = with_points(gazetteer, text, context_of(gazetteer, text))
    return [best(gazetteer, name, context) for name in names]


_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*){0,3}")


def extra_toponyms(
    doc: Doc, gazetteer: Gazetteer, taken: list[tuple[int, int]]
) -> list[tuple[int, str]]:
    """Capitalised names the model missed that the gazetteer knows as a country/region/division."""
    found = []
    spans = sorted(taken)
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))  # furthest end so far
    for m in _CAPITALISED.finditer(whole_text(doc)):
        deadline.check()
        before = bisect.bisect_left(starts, m.end())  # the spans that start before it ends
        if before and reach[before - 1] > m.start():  # one of them ends inside or after it
            continue
        if any(_sure_toponym(e, m.group()) for e in gazetteer.lookup(m.group())):
            found.append((m.start(), m.group()))
    return found


#: Words that open many divisions' names ("Central", "Northern") and as many capitalised phrases.
_GENERIC = frozenset(
    ("central", "north", "south", "east", "west", "northern", "southern", "eastern", "western")
    + ("capital", "upper", "lower", "greater", "new", "saint", "st")
)


def _sure_toponym(entry: GazetteerEntry, text: str) -> bool:
    """Whether ``text`` names ``entry`` unmistakably enough to add it where the model missed it.

    Countries and regions by any name; divisions only by their full name (not an abbreviation
    such as "Man." or "Miss." that the key loses its dot from) and not opening with a generic
    word ("Central", "Northern").
    """
    if entry.kind in ("country", "region"):
        return True
    if entry.kind != "admin1" or normalise(entry.name) != normalise(text):
        return False
    return text.split()[0].lower() not in _GENERIC


class PlacesStage:
    """Sets ``doc._.ew_places``: every toponym with its coordinates and country."""

    def __init__(self, min_population: int = gazetteer_module.DEFAULT_MIN_POPULATION) -> None:
        self.min_population = min_population

    def __call__(self, doc: Doc) -> Doc:
        deadline.check()
        gazetteer = gazetteer_module.load(self.min_population)
        mentions = self._mentions(doc, gazetteer)
        entries = resolve_names(gazetteer, [name for _, name, _ in mentions])
        places = [place_for(e, s, n, ent) for (s, n, ent), e in zip(mentions, entries, strict=True)]
        doc._.ew_places = sorted(places, key=lambda p: p.start)
        return doc

    def _mentions(self, doc: Doc, gazetteer: Gazetteer) -> list[tuple[int, str, str | None]]:
        token_entity = doc._.ew_token_entity or [None] * len(doc)
        mentions, taken = [], []
        for ent in doc.ents:
            deadline.check()
            if ent.label_ not in ("GPE", "LOC", "FAC"):
                continue
            offset, name = toponym_text(ent.text)
            if not name or gazetteer.is_demonym(name):
                continue
            entity = token_entity[ent.start] if ent.start < len(token_entity) else None
            mentions.append((ent.start_char + offset, name, entity))
            taken.append((ent.start_char, ent.end_char))
        mentions += [(s, n, None) for s, n in extra_toponyms(doc, gazetteer, taken)]
        return mentions


@Language.factory(
    "eventwire_places",
    requires=["doc._.ew_entities"],
    assigns=["doc._.ew_places"],
)
def make_places(nlp: Language, name: str) -> PlacesStage:
    return PlacesStage()
