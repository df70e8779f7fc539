"""The conflict-cooperation scale: a Goldstein-style weight and a quad class per PLOVER category.

The numbers live in ``data/plover_weights.yaml`` (its ``method`` field says how they were
derived), so analysts can change them without touching code. Trends, change detection and
alerts all read categories through this one module.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from eventwire.datafiles import load_yaml
from eventwire.errors import DataError
from eventwire.record import EVENT_TYPES

QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
VERBAL_CONFLICT, MATERIAL_CONFLICT = QUADS[2], QUADS[3]


def default_path() -> Path:
    return Path(str(files("eventwire") / "data" / "plover_weights.yaml"))


@dataclass(frozen=True, slots=True)
class Scale:
    """Weights (-10 conflict .. +10 cooperation) and quad classes of the 16 PLOVER categories."""

    version: str
    weights: dict[str, float]
    quads: dict[str, str]

    def weight(self, category: str) -> float:
        """The category's weight; 0.0 for a category the scale does not know."""
        return self.weights.get(category, 0.0)

    def quad(self, category: str) -> str | None:
        return self.quads.get(category)

    def categories_in(self, quad: str) -> list[str]:
        return [cat for cat in EVENT_TYPES if self.quads.get(cat) == quad]


def load_scale(path: Path | str | None = None) -> Scale:
    """Load a scale file (the shipped one by default); cached per path."""
    return _load(str(path or default_path()))


@lru_cache(maxsize=4)
def _load(path: str) -> Scale:
    data = load_yaml(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise DataError(f"{path}: expected a mapping with a 'categories' section")
    weights, quads = {}, {}
    for category, entry in data["categories"].items():
        weights[category], quads[category] = _entry(path, category, entry)
    return Scale(version=str(data.get("version", "0")), weights=weights, quads=quads)


def _entry(path: str, category: str, entry: Any) -> tuple[float, str]:
    """One category's (weight, quad), checked: a typo must not silently become 0."""
    if category not in EVENT_TYPES:
        raise DataError(f"{path}: {category!r} is not a PLOVER category")
    if not isinstance(entry, dict) or not isinstance(entry.get("weight"), int | float):
        raise DataError(f"{path}: {category}: needs a numeric 'weight'")
    if entry.get("quad") not in QUADS:
        raise DataError(f"{path}: {category}: 'quad' must be one of {', '.join(QUADS)}")
    weight = float(entry["weight"])
    if not -10.0 <= weight <= 10.0:
        raise DataError(f"{path}: {category}: weight {weight} is outside -10..10")
    return weight, entry["quad"]
