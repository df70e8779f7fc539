"""Whole responses kept per URL for as long as the store does not change.

Analysts (and the load benchmark) ask for the same lists, filters and pages again and again;
answering them again means the same SQL, the same dict building and the same JSON encoding or
template rendering. This ASGI middleware keeps the finished bytes of successful GET answers,
keyed by path and query string and valid for one store fingerprint (:class:`.cache.Freshness`),
so a repeated request costs a dictionary lookup. The fingerprint is re-read at most once a
second, and this process's corrections expire it at once, so no answer is staler than that.

Requests for the same URL that arrive while its answer is being made wait for that one answer
instead of each making it again (a "single flight"). Without this, a burst of visitors to one
expensive new page (a full-text search for a common word on a large store) ran the same query
once per visitor, side by side, and everyone else queued behind them.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from threading import Lock
from typing import Any

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
    """Serve repeated GETs from memory while the store fingerprint is unchanged (LRU, bounded).

    The desk puts it outside every other layer (see :class:`.app.Desk`): a kept answer then
    costs one lookup, where passing it through the error, telemetry, body-limit, guard and
    host layers took most of the event loop's time under load, time the handler thread then
    waited for. Answers are kept as they left the server, security headers included. Since the
    host check sits inside, a request is answered from here only when its ``Host`` is one of
    ``hosts`` exactly (None: any) and it declares no body; anything else takes the full path.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        freshness: Freshness,
        sessions: Callable[[], Any],
        hosts: Iterable[str] | None = None,
    ) -> None:
        self.app, self.freshness, self.sessions = app, freshness, sessions
        self.hosts = frozenset(h.lower() for h in hosts) if hosts is not None else None
        self._items: OrderedDict[tuple[str, bytes], Kept] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()  # the start-up warm-up fills the cache from its own thread
        self._flights: dict[tuple[str, bytes], tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}
        # The fingerprint is re-read on a thread of its own, not the handlers' (which may all
        # be busy making fresh answers): a request the cache can answer never waits for them.
        self._stamper = ThreadPoolExecutor(1, thread_name_prefix="eventwire-stamp")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not cacheable(scope) or not self._plain(scope):
            await self.app(scope, receive, send)
            return
        stamp = self.freshness.current()
        if stamp is None:
            loop = asyncio.get_running_loop()
            try:
                stamp = await loop.run_in_executor(
                    self._stamper, self.freshness.stamp, self.sessions
                )
            except Exception:  # noqa: BLE001 - the layers inside answer and report the failure
                await self.app(scope, receive, send)
                return
        key = (scope["path"], scope.get("query_string", b""))
        kept = self._lookup(key, stamp)
        if kept is None and await self._wait_for_flight(key):
            kept = self._lookup(key, stamp)
        if kept is not None:
            await _replay(kept, send)
            return
        flight = self._take_off(key)
        try:
            await self.app(scope, receive, self._recorder(key, stamp, send))
        finally:
            self._land(key, flight)

    def _plain(self, scope: Scope) -> bool:
        """No body declared, and a Host (port aside) that is allowed as written."""
        host = b""
        for name, value in scope.get("headers", ()):
            if name in (b"content-length", b"transfer-encoding"):
                return False
            if name == b"host":
                host = value
        if self.hosts is None:
            return True
        name = host.decode("latin-1").lower()
        # "[::1]:8000" -> "[::1]", "localhost:8000" -> "localhost"
        name = name[: name.find("]") + 1] if name.startswith("[") else name.split(":", 1)[0]
        return name in self.hosts

    async def _wait_for_flight(self, key: tuple[str, bytes]) -> bool:
        """Wait for a request for ``key`` already being answered on this loop; True if one was.

        A request on another event loop (the warm-up thread's) is not waited for: asyncio
        events belong to one loop.
        """
        with self._lock:
            flight = self._flights.get(key)
        if flight is None or flight[0] is not asyncio.get_running_loop():
            return False
        await flight[1].wait()
        return True

    def _take_off(self, key: tuple[str, bytes]) -> asyncio.Event | None:
        """Register this request as the one answering ``key`` (None if another one is)."""
        with self._lock:
            if key in self._flights:
                return None
            flight = asyncio.Event()
            self._flights[key] = (asyncio.get_running_loop(), flight)
            return flight

    def _land(self, key: tuple[str, bytes], flight: asyncio.Event | None) -> None:
        """The answer for ``key`` is kept (or failed): release whoever waits for it."""
        if flight is None:
            return
        with self._lock:
            self._flights.pop(key, None)
        flight.set()

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
