"""Alembic migrations of the eventwire store, shipped inside the package and applied on open."""
