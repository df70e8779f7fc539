"""Indexes built once from the data tables and kept as SQLite files in a versioned cache directory.

Building the gazetteer's name index from its source tables costs seconds of CPU (hundreds of
thousands of name normalisations), and every process paid it again: each ``extract`` run, each
ingest worker, each Dask worker. A built index is stored here as an SQLite file instead; opening
it costs a millisecond, a lookup is one indexed query, and the file's pages are shared between
processes through the operating system's page cache (SQLite reads them as needed rather than
each process holding its own copy of the tables). SQLite ships with Python; measured against a
pickled dictionary (0.3-0.5 s to unpickle, per process, and a private copy each), it wins on both.

A file's name holds the index's name, :data:`FORMAT_VERSION` and a hash of everything the index
is built from (the content of the data files, the versions of the packages that provide data, the
build parameters), so a changed input makes a new file, and a stale one is never read. Files are
written to a temporary name and renamed into place, so concurrent builders (workers starting
together) never read a half-written index. When the cache directory cannot be written, each
process builds what it needs in memory from the tables, as before (the old cost, but correct).

The directory is ``$EVENTWIRE_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/eventwire`` (by
default ``~/.cache/eventwire``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

#: Bumped whenever the layout of any cached index changes: old files are then ignored.
FORMAT_VERSION = 1
_COMPLETE = "complete"


def cache_dir() -> Path:
    """Where built indexes live (see the module docstring); not created here."""
    explicit = os.environ.get("EVENTWIRE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventwire"


def content_key(parts: Iterable[bytes | str]) -> str:
    """A hash of the inputs of an index (file contents, versions, parameters), in order."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:24]


def index_path(name: str, key: str, directory: Path | None = None) -> Path:
    """The file of index ``name`` built from inputs hashed to ``key``."""
    return (directory or cache_dir()) / f"{name}-v{FORMAT_VERSION}-{key}.sqlite"


Builder = Callable[[sqlite3.Connection], None]


def open_index(
    name: str, key: str, build: Builder, *, directory: Path | None = None
) -> sqlite3.Connection | None:
    """A read-only connection to index ``name`` for ``key``, built by ``build`` if missing.

    ``build`` fills an empty database (tables and rows); it runs at most once per key while the
    cache directory is writable. When it is not, None: the caller uses its tables directly
    (building an SQLite copy only to read it once would cost more than it saves).
    """
    path = index_path(name, key, directory)
    connection = _open_built(path)
    if connection is not None:
        return connection
    try:
        _build_file(path, build)
    except (OSError, sqlite3.Error):
        return None
    _remove_stale(path, name)
    return _open_built(path)


def _open_built(path: Path) -> sqlite3.Connection | None:
    """The finished index at ``path``, or None when there is none (or it is unreadable)."""
    if not path.is_file():
        return None
    connection = None
    try:
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
        )
        row = connection.execute("SELECT v FROM meta WHERE k = ?", (_COMPLETE,)).fetchone()
    except sqlite3.Error:  # not an index (corrupt, foreign): rebuilt over
        if connection is not None:
            connection.close()
        return None
    if row is None:
        connection.close()
        return None
    return connection


def _build_file(path: Path, build: Builder) -> None:
    """Build into a temporary file beside ``path`` and rename it into place when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    os.close(handle)
    os.chmod(temporary, 0o644)  # mkstemp makes it private; an index holds only public data
    try:
        connection = sqlite3.connect(temporary)
        try:
            _fill(connection, build)
        finally:
            connection.close()
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def _fill(connection: sqlite3.Connection, build: Builder) -> None:
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    build(connection)
    connection.execute("INSERT INTO meta VALUES (?, '1')", (_COMPLETE,))
    connection.commit()


#: Builds of one index kept side by side (several installations or data versions may share the
#: cache directory and would otherwise delete each other's builds in turn); older ones go.
KEEP_BUILDS = 3


def _remove_stale(keep: Path, name: str) -> None:
    """All but the newest :data:`KEEP_BUILDS` builds of the same index (older data or format)."""
    others = [p for p in keep.parent.glob(f"{name}-v*.sqlite") if p != keep]
    with contextlib.suppress(OSError):
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for other in others[KEEP_BUILDS - 1 :]:
            other.unlink()


ArrayBuilder = Callable[[], dict[str, Any]]


def cached_arrays(
    name: str, key: str, build: ArrayBuilder, *, directory: Path | None = None
) -> dict[str, Any]:
    """Numpy arrays kept as ``.npy`` files in a folder of the cache and opened memory-mapped
    (read-only, shared between processes through the page cache), built by ``build`` if missing.

    For data that is a few large arrays (a statistical model's weights) rather than a table to
    query. When the cache cannot be written, the arrays ``build`` returns are used as they are.
    """
    import numpy as np

    folder = (directory or cache_dir()) / f"{name}-v{FORMAT_VERSION}-{key}"
    if not (folder / _COMPLETE).is_file():
        arrays = build()
        try:
            _write_arrays(folder, arrays)
        except OSError:
            return arrays
    names = sorted(p.stem for p in folder.glob("*.npy"))
    try:
        return {n: np.load(folder / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in names}
    except (OSError, ValueError):  # a damaged file: this process builds its own
        return build()


def _write_arrays(folder: Path, arrays: dict[str, Any]) -> None:
    """Write into a temporary folder beside ``folder`` and rename it into place when complete
    (a concurrent builder that renamed first wins; its arrays are the same)."""
    import shutil

    import numpy as np

    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for array_name, array in arrays.items():
            np.save(temporary / f"{array_name}.npy", np.asarray(array), allow_pickle=False)
        (temporary / _COMPLETE).write_text("1")
        temporary.chmod(0o755)
        try:
            os.replace(temporary, folder)
        except OSError:
            if not (folder / _COMPLETE).is_file():
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def file_digest(data: bytes) -> str:
    """The content hash of one input file, for :func:`content_key`."""
    return hashlib.sha256(data).hexdigest()
