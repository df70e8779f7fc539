"""Reading the YAML data files (dictionaries, gazetteer additions, rules) the same way everywhere.

libyaml's C loader, where PyYAML was built with it, parses the larger dictionaries several times
faster than the pure-Python one (0.2 s per worker process on agents.yaml alone); both are "safe"
loaders that build only plain data.

Parsing YAML is still slow next to JSON (the resolver tries every scalar against its patterns),
and every process parsed the same dictionaries again. So a larger file's parsed data is kept in
the index cache (:mod:`eventwire.index_cache`) as JSON, keyed by a hash of the text, and read
from there by later processes: a changed file is a new key. Only data that JSON gives back
exactly (no dates, no non-string keys) is kept; anything else is parsed every time.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any

import yaml

from eventwire import index_cache

_SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Texts shorter than this are parsed every time: their parse costs less than a cache look-up.
CACHE_MIN_CHARS = 8_000


def load_yaml(stream: str | bytes | IO[str]) -> Any:
    """Parse YAML text or an open file into plain Python data (no arbitrary objects)."""
    text = stream if isinstance(stream, str | bytes) else stream.read()
    if len(text) < CACHE_MIN_CHARS:
        return _parse(text)
    raw = text.encode("utf-8") if isinstance(text, str) else text
    path = (
        index_cache.cache_dir()
        / "yaml"
        / f"v{index_cache.FORMAT_VERSION}-{index_cache.file_digest(raw)[:32]}.json"
    )
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_bytes())
    data = _parse(text)
    _keep(path, data)
    return data


def _parse(text: str | bytes) -> Any:
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader


def _keep(path: Path, data: Any) -> None:
    """Write ``data`` as JSON at ``path`` when JSON gives it back equal (best effort)."""
    try:
        encoded = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):  # a date, a set: not JSON
        return
    if json.loads(encoded) != data:  # non-string keys would come back as strings
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".yaml-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(encoded)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def load_user_yaml(text: str, name: object) -> Any:
    """Parse a user's YAML file (actors, alert rules); malformed YAML is a one-line DataError
    naming the file, the line and the problem instead of a parser traceback."""
    from eventwire.errors import DataError

    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else str(name)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(f"{where}: malformed YAML: {problem}") from None
