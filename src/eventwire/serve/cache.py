"""A small result cache for the desk's heavy aggregates, invalidated by any change to the store.

Overview counts, the timeline and the network scan many rows; analysts open them again and
again. Results are kept per (query, arguments) together with a fingerprint of the store (row
counts, the newest ingest, the corrections); a different fingerprint means recomputing.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventwire.query.corrections import fingerprint as corrections_fingerprint
from eventwire.store.schema import ActorRow, ArticleRow, EventRow, StoryRow


def store_fingerprint(session: Session) -> tuple[Any, ...]:
    """Cheap values that change whenever an ingest, recode, resolution or correction does."""
    articles = session.execute(
        select(func.count(ArticleRow.id), func.max(ArticleRow.ingested_at))
    ).one()
    others = tuple(
        session.scalar(select(func.max(c))) for c in (EventRow.pk, ActorRow.id, StoryRow.id)
    )
    return (*articles, *others, corrections_fingerprint(session))


class Freshness:
    """The store fingerprint, read at most once per ``ttl`` seconds, and only after a change.

    On a large store the fingerprint costs tens of milliseconds (a count and a max over the
    articles); reading it on every request made it the largest cost of a cached answer. A
    change made elsewhere (an ingest, another worker's correction) shows within ``ttl``;
    this process's own corrections call :meth:`expire` and show at once.

    ``changes`` (a SQLite file store's :class:`eventwire.store.db.ChangeCounter`) is asked
    first when ``ttl`` has passed: while it has not moved, the old fingerprint is still true
    and nothing is re-read. Re-reading every second cost 26 ms on a store of 100,000
    articles, and a request that had to wait for it waited behind everyone else's work.
    """

    def __init__(self, ttl: float = 1.0, changes: Callable[[], int] | None = None) -> None:
        self.ttl = ttl
        self._changes = changes
        self._value: tuple[Any, ...] | None = None
        self._version: int | None = None
        self._read_at = 0.0
        self._lock = Lock()

    def current(self) -> tuple[Any, ...] | None:
        """The fingerprint if it is known to hold (read under ``ttl`` ago, or nothing has been
        committed since), else None. Cheap enough for the event loop."""
        value = self._value
        if value is None:
            return None
        if time.monotonic() - self._read_at < self.ttl:
            return value
        if self._changes is None or self._changes() != self._version:
            return None
        self._read_at = time.monotonic()
        return value

    def stamp(self, session_factory: Callable[[], Any]) -> tuple[Any, ...]:
        """The fingerprint, re-read through a new session when it may have changed."""
        with self._lock:
            value = self.current()
            if value is None:
                # The counter is read first: a commit landing during the read moves it again.
                version = self._changes() if self._changes is not None else None
                with session_factory() as session:
                    value = store_fingerprint(session)
                self._value, self._version = value, version
                self._read_at = time.monotonic()
            return value

    def expire(self) -> None:
        """Forget the fingerprint: the next request reads it again (after a write)."""
        with self._lock:
            self._value = None


def record_weight(record: Any) -> int:
    """A rough size in bytes of an article record as the desk keeps it (its text, and some
    hundreds of bytes of Python objects per event, entity mention and quote)."""
    if not isinstance(record, dict):
        return 1024
    mentions = sum(len(e.get("mentions", ())) for e in record.get("entities", ()))
    parts = len(record.get("events", ())) * 4 + mentions + len(record.get("quotes", ()))
    return 2 * len(record.get("article", {}).get("text", "")) + 600 * parts + 4096


class ResultCache:
    """Least-recently-used results, each valid for one store fingerprint.

    Computing a key holds that key's lock, so concurrent requests for the same heavy result
    wait for one computation instead of repeating it.

    With ``weigh`` and ``max_weight`` the cache is also bounded by the total weight of what
    it keeps (the newest result always stays): a count alone let 256 article records of
    300,000 characters and thousands of events each hold gigabytes (issue 19, item 1).
    """

    def __init__(self, size: int = 128, *, weigh: Callable[[Any], int] | None = None,
                 max_weight: int | None = None) -> None:  # fmt: skip
        self._items: OrderedDict[Hashable, tuple[Any, Any]] = OrderedDict()
        self._size = size
        self._weigh = weigh
        self._max_weight = max_weight
        self._weights: dict[Hashable, int] = {}
        self._weight = 0
        self._lock = Lock()
        self._key_locks: dict[Hashable, Lock] = {}

    def peek(self, key: Hashable, stamp: Any) -> tuple[bool, Any]:
        """(found, value) without computing."""
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] == stamp:
                self._items.move_to_end(key)
                return True, found[1]
        return False, None

    def get(self, key: Hashable, stamp: Any, compute: Callable[[], Any]) -> Any:
        with self._lock:
            key_lock = self._key_locks.setdefault(key, Lock())
        with key_lock:
            found, value = self.peek(key, stamp)
            if found:
                return value
            value = compute()
            self._put(key, stamp, value)
        return value

    def busy(self, key: Hashable) -> bool:
        """True while some thread computes ``key``."""
        with self._lock:
            key_lock = self._key_locks.get(key)
        return key_lock is not None and key_lock.locked()

    def _put(self, key: Hashable, stamp: Any, value: Any) -> None:
        weight = self._weigh(value) if self._weigh is not None else 0
        with self._lock:
            self._weight += weight - self._weights.pop(key, 0)
            self._weights[key] = weight
            self._items[key] = (stamp, value)
            self._items.move_to_end(key)
            while len(self._items) > 1 and (
                len(self._items) > self._size
                or (self._max_weight is not None and self._weight > self._max_weight)
            ):
                dropped, _ = self._items.popitem(last=False)
                self._weight -= self._weights.pop(dropped, 0)

    @property
    def weight(self) -> int:
        """The total weight kept (0 without ``weigh``)."""
        return self._weight
