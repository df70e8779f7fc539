"""Coding stamps: which eventwire, model and dictionaries produced a stored coding.

A stamp changes whenever a shipped data file (dictionary, knowledge base, gazetteer), a user's
actor file, the model or eventwire itself changes; ``eventwire recode`` re-extracts the
articles whose stamp differs from the current one. Dictionary files are named by their declared
``version`` when a YAML file has one, and by a content hash otherwise, so an edit is never missed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DATA_SUFFIXES = {".yaml", ".yml", ".csv", ".tsv", ".json", ".txt"}
_VERSION_LINE = re.compile(r"^#?\s*version\s*[:=]\s*['\"]?([\w.\-]+)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Stamp:
    """The versions behind one coding; ``key`` identifies it compactly."""

    eventwire_version: str
    model: str
    dictionaries: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        payload = json.dumps(
            [self.eventwire_version, self.model, self.dictionaries], sort_keys=True
        ).encode("utf-8")
        return hashlib.sha256(payload).hexdigest()[:32]

    def to_dict(self) -> dict[str, Any]:
        return {
            "eventwire_version": self.eventwire_version,
            "model": self.model,
            "dictionaries": dict(self.dictionaries),
        }


def file_version(path: Path) -> str:
    """A data file's declared version (a ``version:`` line near its top), else a content hash."""
    data = path.read_bytes()
    head = data[:2000].decode("utf-8", errors="replace")
    found = _VERSION_LINE.search(head)
    digest = hashlib.sha256(data).hexdigest()[:12]
    return f"{found.group(1)}+{digest}" if found else digest


@lru_cache(maxsize=8)
def _data_versions(root: str) -> tuple[tuple[str, str], ...]:
    base = Path(root)
    files = sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in DATA_SUFFIXES)
    return tuple((p.relative_to(base).as_posix(), file_version(p)) for p in files)


def model_version(model: str | None) -> str:
    """``name==version`` of the spaCy model package, read from its metadata without loading it."""
    from eventwire.nlp import DEFAULT_MODEL

    name = model or DEFAULT_MODEL
    if Path(name).is_dir():
        meta = Path(name) / "meta.json"
        return f"{name}@{file_version(meta)}" if meta.is_file() else name
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{name}=={version(name)}"
    except PackageNotFoundError:
        return name


def current_stamp(model: str | None = None, actors: Sequence[Path | str] = ()) -> Stamp:
    """The stamp a coding made now, with this model and these actor files, would carry."""
    from eventwire import __version__

    dictionaries = dict(_data_versions(str(DATA_DIR)))
    for extra in actors:
        dictionaries[f"user:{Path(extra).name}"] = file_version(Path(extra))
    return Stamp(
        eventwire_version=__version__, model=model_version(model), dictionaries=dictionaries
    )
