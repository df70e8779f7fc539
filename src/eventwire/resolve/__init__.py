"""Cross-article resolution: corpus actors (one person or organisation across articles) and
stories (reports of one real-world event across articles).

:mod:`eventwire.resolve.actors` and :mod:`eventwire.resolve.stories` hold the matching logic as
pure functions; :mod:`eventwire.resolve.corpus` runs them over a store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwire.resolve.corpus import ResolveSummary
    from eventwire.store.db import Store


def resolve_store(store: Store) -> ResolveSummary:
    """Rebuild the store's corpus actors and stories (see :mod:`eventwire.resolve.corpus`)."""
    from eventwire.resolve.corpus import resolve_store as run

    return run(store)


__all__ = ["resolve_store"]
