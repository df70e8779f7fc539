"""Apply the Alembic migrations shipped in ``eventwire/store/migrations`` to an open engine.

Alembic is driven from code (no alembic.ini): the script directory is the package folder, and
the open connection is handed to ``migrations/env.py`` through ``config.attributes``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """An in-memory Alembic config pointing at the shipped migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def pending(engine: Engine) -> list[str]:
    """Revisions not yet applied, oldest first, as "id (message)" strings."""
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
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return todo


def current_revision(engine: Engine) -> str | None:
    """The revision the store is at (None for an empty database)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
