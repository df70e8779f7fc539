"""World boundaries for the offline base map, from the ``countryinfo`` package's country files.

``countryinfo`` (MIT) ships one JSON file per country with its boundary as GeoJSON. They are
read once, projected (equirectangular: longitude and latitude map linearly to x and y) and kept
as SVG path strings, so the map needs no tile server, no network and no JavaScript library.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

WIDTH, HEIGHT = 1000, 500


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection onto the map's WIDTH x HEIGHT box."""
    return (lon + 180.0) / 360.0 * WIDTH, (90.0 - lat) / 180.0 * HEIGHT


def _ring_path(ring: list[list[float]]) -> str:
    points = [project(lon, lat) for lon, lat, *_ in ring]
    if len(points) < 3:
        return ""
    head = "M{:.1f} {:.1f}".format(*points[0])
    return head + "".join("L{:.1f} {:.1f}".format(*p) for p in points[1:]) + "Z"


def _polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _country_paths(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(ISO alpha-3, name, SVG path) for each feature of one countryinfo file."""
    found = []
    for feature in (data.get("geoJSON") or {}).get("features", []):
        rings = [ring for polygon in _polygons(feature.get("geometry") or {}) for ring in polygon]
        path = "".join(_ring_path(ring) for ring in rings)
        if path:
            iso = str(feature.get("id") or (data.get("ISO") or {}).get("alpha3") or "")
            found.append((iso, str(data.get("name", iso)), path))
    return found


@lru_cache(maxsize=1)
def world_paths() -> tuple[tuple[str, str, str], ...]:
    """Every country boundary shipped by ``countryinfo``, as projected SVG paths."""
    folder = files("countryinfo") / "data"
    paths: list[tuple[str, str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            paths.extend(_country_paths(json.loads(entry.read_text(encoding="utf-8"))))
    return tuple(paths)
