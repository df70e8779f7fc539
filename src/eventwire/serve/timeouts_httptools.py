"""The request-head deadline of :mod:`.timeouts` on uvicorn's httptools protocol (kept apart:
httptools is optional, and importing its protocol without it fails)."""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from eventwire.serve.timeouts import _Deadline


class GuardedHttpTools(_Deadline, HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline on every request head."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
