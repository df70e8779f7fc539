"""The request-head deadline of :mod:`.timeouts` on uvicorn's httptools protocol (kept apart:
httptools is optional, and importing its protocol without it fails)."""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from eventwire.serve.timeouts import _Deadline


class GuardedHttpTools(_Deadline, HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline on every request head."""
