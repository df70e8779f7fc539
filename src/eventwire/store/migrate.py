"""Apply the Alembic migrations shipped in ``eventwire/store/migrations`` to an open engine.

Alembic is driven from code (no alembic.ini): the script directory is the package folder, and
the open connection is handed to ``migrations/env.py`` through ``config.attributes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
_REVISION = re.compile(r'^(down_revision|revision) = "(\w+)"', re.MULTILINE)


@lru_cache(maxsize=1)
def shipped_head() -> str:
    """The newest shipped revision, read from the migration files' own ``revision`` lines:
    comparing it with the store's stamp spares importing Alembic (about a third of a store
    command's start-up) when, as almost always, nothing is pending."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("[0-9]*.py"):
        found = dict(_REVISION.findall(path.read_text(encoding="utf-8")))
        revisions.add(found["revision"])
        parents.add(found.get("down_revision"))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the shipped migrations have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def _stamp(engine: Engine) -> str | None:
    """The store's revision read with plain SQL (None for a new, unstamped database)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError:
        return None  # no alembic_version table yet


def alembic_config() -> Config:
    """An in-memory Alembic config pointing at the shipped migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def pending(engine: Engine) -> list[str]:
    """Revisions not yet applied, oldest first, as "id (message)" strings."""
    if _stamp(engine) == shipped_head():
        return []
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    revisions = list(script.iterate_revisions(script.get_current_head(), current))
    return [f"{rev.revision} ({rev.doc})" for rev in reversed(revisions)]


def upgrade(engine: Engine, *, on_migrate: Callable[[str], None] | None = None) -> list[str]:
    """Apply every pending migration; tell ``on_migrate`` in one line what is being applied."""
    todo = pending(engine)
    if not todo:
        return []
    if on_migrate is not None:
        on_migrate(f"upgrading store schema: applying {', '.join(todo)}")
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return todo


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
