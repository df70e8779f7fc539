"""What a route of the desk works with: one session per request, the corrections overlay, the
result caches (:class:`Ctx`, given to routes by the :func:`get_ctx` dependency).

Kept apart from :mod:`.app`, which builds the application and imports the routes: the routes
import this module, never the app (no import cycle).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from eventwire.query.corrections import Overlay, load_overlay
from eventwire.query.edges import EdgeIndex, EdgeTable
from eventwire.query.queries import get_article
from eventwire.serve.cache import Freshness, ResultCache, store_fingerprint
from eventwire.store.db import Store

#: Article records kept in memory (see :meth:`Ctx.article`): a few megabytes.
RECORDS = 256
#: ... and at most about this many bytes however long the articles (:func:`.cache.record_weight`).
RECORD_BYTES = 256 * 1024 * 1024


@dataclass
class Ctx:
    """What a route needs: a session, the corrections overlay, the result cache."""

    session: Session
    cache: ResultCache
    token_set: bool
    store: Store
    freshness: Freshness | None = None
    edges: EdgeIndex | None = None
    records: ResultCache | None = None
    _overlay: Overlay | None = field(default=None, repr=False)

    @property
    def overlay(self) -> Overlay:
        """The corrections, read once per store fingerprint (they are part of it)."""
        if self._overlay is None:
            self._overlay = self.cached("overlay", (), lambda: load_overlay(self.session))
        return self._overlay

    @cached_property
    def stamp(self) -> tuple[Any, ...]:
        if self.freshness is None:
            return store_fingerprint(self.session)
        return self.freshness.stamp(self.store.session)

    def changed(self) -> None:
        """After a write: cached results and responses are stale from now on."""
        if self.freshness is not None:
            self.freshness.expire()

    def cached(self, name: str, args: tuple[Any, ...], compute: Any) -> Any:
        return self.cache.get((name, args), self.stamp, compute)

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article as the desk shows it, kept per store fingerprint in ``records``: the
        article page and its API twin show the same record, and analysts go from one to the
        other. The dict is shared: callers must not change it."""

        def read() -> dict[str, Any] | None:
            return get_article(self.session, article_id, self.overlay)

        if self.records is None:
            return read()
        return self.records.get(("article", article_id), self.stamp, read)

    def edge_table(self) -> EdgeTable | None:
        """The in-memory network edges when they match the store now (see :mod:`.edges`)."""
        return self.edges.table(self.stamp) if self.edges is not None else None


async def get_ctx(request: Request) -> AsyncIterator[Ctx]:
    """FastAPI dependency: one session per request, closed afterwards.

    Asynchronous, so it runs on the event loop: FastAPI runs a plain dependency on the
    handlers' thread pool, and with one handler thread (see :func:`create_app`) each such
    hop queued the request behind every other fresh answer again. Opening a session does no
    I/O; its connection is taken at the first query, on the handler's thread.
    """
    state = request.app.state
    with state.store.session() as session:
        yield Ctx(
            session=session,
            cache=state.cache,
            token_set=bool(state.token),
            store=state.store,
            freshness=state.freshness,
            edges=state.edges,
            records=state.records,
        )
