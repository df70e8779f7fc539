"""Whole responses kept per URL for as long as the store does not change.

Analysts (and the load benchmark) ask for the same lists, filters and pages again and again;
answering them again means the same SQL, the same dict building and the same JSON encoding or
template rendering. This ASGI middleware keeps the finished bytes of successful GET answers,
keyed by path and query string and valid for one store fingerprint (:class:`.cache.Freshness`),
so a repeated request costs a dictionary lookup. The fingerprint is re-read at most once a
second, and this process's corrections expire it at once, so no answer is staler than that.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eventwire.serve.cache import Freshness

#: Paths never kept: trivial, served by their own machinery, or showing work in progress.
NOT_CACHED = ("/api/health", "/api/openapi.json", "/static/", "/trends")
MAX_ITEM_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Kept:
    """A finished answer: status, headers and body, and the fingerprint it was made under."""

    stamp: tuple[Any, ...]
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def cacheable(scope: Scope) -> bool:
    """GET requests for API answers and pages (not health, static files or trends)."""
    return (
        scope["type"] == "http"
        and scope["method"] == "GET"
        and not scope["path"].startswith(NOT_CACHED)
    )


class ResponseCache:
    """Serve repeated GETs from memory while the store fingerprint is unchanged (LRU, bounded)."""

    def __init__(self, app: ASGIApp, *, freshness: Freshness, sessions: Callable[[], Any]) -> None:
        self.app, self.freshness, self.sessions = app, freshness, sessions
        self._items: OrderedDict[tuple[str, bytes], Kept] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()  # the start-up warm-up fills the cache from its own thread

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not cacheable(scope):
            await self.app(scope, receive, send)
            return
        stamp = self.freshness.current()
        if stamp is None:
            stamp = await anyio.to_thread.run_sync(self.freshness.stamp, self.sessions)
        key = (scope["path"], scope.get("query_string", b""))
        kept = self._lookup(key, stamp)
        if kept is not None:
            await _replay(kept, send)
            return
        await self.app(scope, receive, self._recorder(key, stamp, send))

    def _recorder(self, key: tuple[str, bytes], stamp: tuple[Any, ...], send: Send) -> Send:
        """A ``send`` that passes messages on and keeps a complete 200 answer."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def wrapped(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    headers = list(start.get("headers", []))
                    self._keep(key, Kept(stamp, 200, headers, b"".join(chunks)))

        return wrapped

    def _lookup(self, key: tuple[str, bytes], stamp: tuple[Any, ...]) -> Kept | None:
        with self._lock:
            kept = self._items.get(key)
            if kept is None or kept.stamp != stamp:
                return None
            self._items.move_to_end(key)
            return kept

    def _keep(self, key: tuple[str, bytes], kept: Kept) -> None:
        if len(kept.body) > MAX_ITEM_BYTES:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self._bytes -= len(old.body) if old is not None else 0
            self._items[key] = kept
            self._bytes += len(kept.body)
            while self._bytes > MAX_TOTAL_BYTES and self._items:
                _key, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)


async def _replay(kept: Kept, send: Send) -> None:
    await send({"type": "http.response.start", "status": kept.status, "headers": kept.headers})
    await send({"type": "http.response.body", "body": kept.body})
