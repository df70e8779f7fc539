"""Alert rules: what to watch for, read from a YAML file (see ``data/alerts.example.yaml``).

A rule says who (``actor``, ``dyad``, ``country``), what (``category``: PLOVER categories or
quad classes such as ``material_conflict``) and when to fire (``kind`` with its ``threshold``
and ``window``). Validation happens here, once, with messages that name the file and the rule,
so that evaluation never meets a half-formed rule.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

from eventwire.analyse.scale import QUADS, Scale, load_scale
from eventwire.analyse.series import PERIODS
from eventwire.datafiles import load_user_yaml
from eventwire.errors import DataError
from eventwire.record import EVENT_TYPES

KINDS = ("count", "rise", "new_relationship", "shift")
ENV_VAR = "EVENTWIRE_ALERTS"
_DURATION = re.compile(r"^\s*(\d+)\s*([dwm]?)\s*$")
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30}
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 30}
_FIELDS = {"name", "kind", "actor", "dyad", "country", "category", "threshold", "window", "by",
           "alpha", "description"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Rule:
    """One validated alert rule. ``categories`` is empty for "any category"."""

    name: str
    kind: str = "count"
    actor: str | None = None
    dyad: tuple[str, str] | None = None
    country: str | None = None
    categories: tuple[str, ...] = ()
    threshold: int = 3
    window: timedelta = timedelta(days=7)
    by: str = "week"
    alpha: float = 0.001
    description: str | None = None

    @property
    def baseline_periods(self) -> int:
        """For ``rise``/``shift``: the window expressed in periods of ``by`` (at least 2)."""
        return max(2, round(self.window.days / _PERIOD_DAYS[self.by]))


def parse_duration(value: Any) -> timedelta:
    """``"7d"``, ``"2w"``, ``"3m"`` (30-day months) or a number of days."""
    match = _DURATION.match(str(value))
    if match is None or int(match.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a duration like 7d, 2w or 3m")
    return timedelta(days=int(match.group(1)) * _UNIT_DAYS[match.group(2)])


def default_rules_path() -> Path:
    """``$EVENTWIRE_ALERTS``, else ``./alerts.yaml`` when present, else the shipped example."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    local = Path("alerts.yaml")
    return local if local.is_file() else example_rules_path()


def example_rules_path() -> Path:
    return Path(str(files("eventwire") / "data" / "alerts.example.yaml"))


def load_rules(path: Path | str | None = None, *, scale: Scale | None = None) -> list[Rule]:
    """Read and validate a rules file; raises DataError naming the file and rule on a mistake."""
    path = Path(path) if path else default_rules_path()
    if not path.is_file():
        raise DataError(f"{path}: alert rules file not found")
    data = load_user_yaml(path.read_text(encoding="utf-8"), path) or {}
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise DataError(f"{path}: expected a mapping with a 'rules' list")
    scale = scale or load_scale()
    rules = [_rule(path, i, entry, scale) for i, entry in enumerate(data["rules"], start=1)]
    names = [rule.name for rule in rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DataError(f"{path}: rule names must be unique: {', '.join(duplicates)}")
    return rules


def _rule(path: Path, index: int, entry: Any, scale: Scale) -> Rule:
    if not isinstance(entry, dict):
        raise DataError(f"{path}: rule {index}: expected a mapping")
    name = str(entry.get("name") or f"rule-{index}")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise DataError(f"{path}: rule {name!r}: unknown field(s) {', '.join(unknown)}")
    try:
        return _build(name, entry, scale)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{path}: rule {name!r}: {exc}") from exc


def _build(name: str, entry: dict[str, Any], scale: Scale) -> Rule:
    kind = entry.get("kind", "count")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    by = entry.get("by", "week")
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}")
    threshold = int(entry.get("threshold", 3 if kind in ("count", "rise") else 1))
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    return Rule(
        name=name, kind=kind, actor=_text(entry.get("actor")), dyad=_dyad(entry.get("dyad")),
        country=_text(entry.get("country")), categories=_categories(entry.get("category"), scale),
        threshold=threshold, window=parse_duration(entry.get("window", "7d")), by=by,
        alpha=_alpha(entry.get("alpha", 0.001)), description=_text(entry.get("description")),
    )  # fmt: skip


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _dyad(value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2 or not all(value):
        raise ValueError("dyad must be a list of two actor names")
    return str(value[0]), str(value[1])


def _categories(value: Any, scale: Scale) -> tuple[str, ...]:
    """PLOVER categories, with quad class names expanded to their categories."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    for item in (str(i) for i in items):
        if item in QUADS:
            found.extend(scale.categories_in(item))
        elif item.upper() in EVENT_TYPES:
            found.append(item.upper())
        else:
            raise ValueError(f"{item!r} is neither a PLOVER category nor a quad class")
    return tuple(dict.fromkeys(found))


def _alpha(value: Any) -> float:
    alpha = float(value)
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    return alpha
