"""Alembic environment: runs migrations on the connection that ``open_store`` hands over.

eventwire never runs Alembic from an ini file; :mod:`eventwire.store.db` builds the Config in
code and passes its open connection in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from eventwire.store.schema import Base


def run_migrations_online() -> None:
    """Migrate over the caller's connection, inside the caller's transaction."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
