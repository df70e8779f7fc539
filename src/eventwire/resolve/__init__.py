"""Cross-article resolution: corpus actors (one person or organisation across articles) and
stories (reports of one real-world event across articles).

:mod:`eventwire.resolve.actors` and :mod:`eventwire.resolve.stories` hold the matching logic as
pure functions; :mod:`eventwire.resolve.corpus` runs them over a store, incrementally by default
(:mod:`eventwire.resolve.incremental`) or as a full rebuild.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from eventwire.resolve.result import ResolveSummary
    from eventwire.store.db import Store


def resolve_store(store: Store, *, full: bool = False) -> ResolveSummary:
    """Resolve the store's new codings into corpus actors and stories.

    Incremental by default: entities and events not yet linked are resolved against the
    existing actors and stories, and only what they touch is rewritten. ``full=True`` rebuilds
    both tables from scratch (see :mod:`eventwire.resolve.corpus`).
    """
    from eventwire.resolve.corpus import resolve_store as run

    return run(store, full=full)


__all__ = ["resolve_store"]
