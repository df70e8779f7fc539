"""Opening a store: resolve the URL, connect, set SQLite up (WAL), apply pending migrations.

The default store is one SQLite file, ``./eventwire.db`` (or ``$EVENTWIRE_DB``); a
``postgresql://`` URL selects PostgreSQL through the same schema. Opening a store applies any
migration it lacks, so users never run Alembic themselves; ``on_migrate`` receives a one-line
message naming what is applied, for the CLI to show.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from threading import Lock
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from eventwire.errors import StoreError

try:
    import orjson as _orjson
except ImportError:  # the web extra is not installed
    _orjson = None  # type: ignore[assignment]

DEFAULT_PATH = "eventwire.db"
ENV_VAR = "EVENTWIRE_DB"


@dataclass(slots=True)
class Store:
    """An open store: the engine, a session factory and the dialect name."""

    engine: Engine
    sessions: sessionmaker[Session]
    url: str

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def has_fts(self) -> bool:
        """True on SQLite, where the FTS5 table ``search_fts`` exists."""
        return self.dialect == "sqlite"

    def session(self) -> Session:
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()

    def change_counter(self) -> ChangeCounter | None:
        """A counter that moves whenever anyone commits to this store, for file SQLite stores.

        None for other stores (PostgreSQL, in-memory SQLite), which have no such cheap signal.
        """
        database = self.engine.url.database
        if self.dialect != "sqlite" or not database or database == ":memory:":
            return None
        return ChangeCounter(database)


class ChangeCounter:
    """SQLite's ``PRAGMA data_version`` on a connection of its own: microseconds to read.

    The value changes when any other connection, in this process or another, commits to the
    database file. The connection never writes, so every commit counts. A reader that
    caches answers asks this before re-reading anything costlier (see
    :class:`eventwire.serve.cache.Freshness`).
    """

    def __init__(self, path: str) -> None:
        self._connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._lock = Lock()  # one sqlite3 connection, used from the server's threads

    def __call__(self) -> int:
        with self._lock:
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def resolve_url(db: str | None = None) -> str:
    """A SQLAlchemy URL from ``--db``, ``$EVENTWIRE_DB`` or the default file; paths become SQLite."""
    value = db or os.environ.get(ENV_VAR) or DEFAULT_PATH
    if "://" in value:
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """WAL lets readers (queries, the web UI) run while an ingest writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


#: Memory map for stores opened to be read (the desk): SQLite then reads pages the OS already
#: caches in place instead of copying each into its own cache; a cold actor page of a 100k
#: store took 18% less CPU. Mapped pages are the OS page cache, shared between processes,
#: though they count in each process's RSS.
READER_MMAP = 1 << 30


def _sqlite_mmap(size: int, dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.execute(f"PRAGMA mmap_size={int(size)}")


def _sqlite_transactional(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    """Hand transaction control to SQLAlchemy. Python's sqlite3 module (before 3.12) opens
    transactions only before INSERT/UPDATE/DELETE and commits each CREATE on its own, so a
    migration killed halfway left some tables without its revision stamp, and every later
    open failed on "table already exists". With this and an explicit BEGIN (below), a
    migration, like a batch of articles, is committed whole or not at all."""
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection) -> None:  # type: ignore[no-untyped-def]
    connection.exec_driver_sql("BEGIN")


def _json_loads(text: str) -> Any:
    """JSON columns decoded by orjson when it is installed (the ``web`` extra): the desk
    decodes two per event it lists. The standard module takes what orjson refuses (NaN)."""
    if _orjson is not None:
        try:
            return _orjson.loads(text)
        except _orjson.JSONDecodeError:
            pass
    return json.loads(text)


def make_engine(url: str, *, mmap_bytes: int = 0) -> Engine:
    """Create the engine; SQLite connections get WAL, foreign keys and transactional DDL,
    and with ``mmap_bytes`` read the file through a memory map of that size (see
    :data:`READER_MMAP`)."""
    try:
        engine = create_engine(url, json_deserializer=_json_loads)
    except (ArgumentError, ModuleNotFoundError) as exc:
        raise StoreError(f"cannot open store {url!r}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if mmap_bytes:
            event.listen(engine, "connect", partial(_sqlite_mmap, mmap_bytes))
        event.listen(engine, "connect", _sqlite_transactional)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


class NoStoreError(StoreError):
    """A command that reads a store was pointed at one that does not exist, or at a file that
    is not a store (a usage error: only ``ingest`` and ``watch`` create stores)."""

    exit_code = 2


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def no_store_message(path: Path) -> str:
    """What every read command (and ``check``) says of a store file that does not exist."""
    return f"no store at {path}: give --db (or set ${ENV_VAR}); `eventwire ingest` creates a store"


def check_file(url: str, *, create: bool) -> None:
    """Refuse what would otherwise silently become a store when ``create`` is off: a missing
    file (a mistyped ``--db`` used to print empty results with exit 0) and an empty one (SQLite
    takes a 0-byte file for a new database). Commands that create stores (``ingest``) accept
    an empty file, which a first open killed before its schema was committed leaves behind,
    and say that they create the schema (``on_migrate``)."""
    path = _sqlite_file(url)
    if path is None or create:
        return
    if not path.exists():
        raise NoStoreError(no_store_message(path))
    if path.is_file() and path.stat().st_size == 0:
        raise NoStoreError(f"{path} is an empty file, not a store: remove it or give another --db")


def open_store(
    db: str | None = None,
    *,
    create: bool = True,
    on_migrate: Callable[[str], None] | None = None,
    mmap_bytes: int = 0,
) -> Store:
    """Open the store at ``db`` (creating it when ``create``) and bring its schema up to date.

    A damaged file, or one that is not a SQLite database, is a :class:`StoreError` with one
    line, never a traceback. ``mmap_bytes``: see :func:`make_engine` (the desk passes
    :data:`READER_MMAP`).
    """
    url = resolve_url(db)
    check_file(url, create=create)
    engine = make_engine(url, mmap_bytes=mmap_bytes)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT 1"))
        from eventwire.store.migrate import upgrade

        upgrade(engine, on_migrate=on_migrate)
    except DatabaseError as exc:
        engine.dispose()
        raise StoreError(f"cannot open store {_safe(url)}: {exc.orig}") from exc
    return Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False), url=url)


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)
