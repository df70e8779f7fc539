"""Actor keys: one string id per corpus actor, whether or not resolution has run.

When cross-article resolution has linked an entity to a corpus actor, its key is ``a<id>``.
An entity not (yet) linked reads as the actor ``n:<lower-cased name>``, so that the desk works
on a store that was never resolved and never shows one actor twice for a casing difference.
Keys made by a split correction are ``c:<correction id>`` (see :mod:`.corrections`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, case, cast, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from eventwire.store.schema import EntityRow


def key_expr(entity: Any = EntityRow) -> ColumnElement[str]:
    """SQL expression of an entity's actor key."""
    # Constants are inlined (not bound) so that GROUP BY repeats the SELECT text exactly, as
    # PostgreSQL requires.
    return case(
        (
            entity.actor_id.is_not(None),
            literal_column("'a'", String) + cast(entity.actor_id, String),
        ),
        else_=literal_column("'n:'", String) + func.lower(entity.name),
    )


def key_parts(entity: Any = EntityRow) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """Two cheap columns that identify an actor: its id, or (unresolved) its lower-cased name.

    Grouping by these is cheaper than by :func:`key_expr`'s strings; :func:`key_of` joins them.
    """
    lowered = case((entity.actor_id.is_(None), func.lower(entity.name)), else_=None)
    return entity.actor_id, lowered


def key_of(actor_id: int | None, lowered: str | None) -> str:
    return f"a{actor_id}" if actor_id is not None else f"n:{lowered}"


def name_key(name: str) -> str:
    """The key of an unresolved actor called ``name``."""
    return "n:" + name.strip().lower()


def key_where(key: str, entity: Any = EntityRow) -> ColumnElement[bool] | None:
    """A WHERE clause selecting the entities of actor ``key``; None for a malformed key."""
    if key.startswith("a") and key[1:].isdigit():
        return entity.actor_id == int(key[1:])
    if key.startswith("n:") and len(key) > 2:
        return and_(entity.actor_id.is_(None), func.lower(entity.name) == key[2:])
    return None


def is_key(value: str) -> bool:
    return key_where(value) is not None or (value.startswith("c:") and value[2:].isdigit())
