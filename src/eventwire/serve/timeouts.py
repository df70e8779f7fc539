"""Connection deadlines for the desk: a client must finish a request's headers in time.

uvicorn closes a keep-alive connection that stays idle after an answer, but not one that was
opened and never sent a request, nor one that sends its headers a byte at a time: such held
sockets took every file descriptor of the desk, and every new client was refused (#19, item 12).
The protocol classes here give each wait for a request (from the connection's opening, and
after each answer) a deadline of :data:`HEADER_TIMEOUT` seconds: a connection that has not
completed a request by then is closed. A request in progress is never cut.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

#: Seconds a connection may take to deliver a complete request head (and, after an answer,
#: to start and complete the next one). Browsers send a request at once.
HEADER_TIMEOUT = 10.0
#: Seconds an idle keep-alive connection is kept after an answer (uvicorn's own timer).
KEEP_ALIVE = 5


class _Deadline:
    """Mixin: a timer that closes the connection unless a request is in progress."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(HEADER_TIMEOUT, self._expire)

    def _disarm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
        self._deadline = None

    def _waiting(self) -> bool:
        """True while no request is being answered (the next one's head is still awaited)."""
        return self.cycle is None or self.cycle.response_complete

    def _expire(self) -> None:
        self._deadline = None
        if self._waiting() and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class GuardedH11(_Deadline, H11Protocol):
    """uvicorn's h11 protocol with a deadline on every request head (the mixin comes first in
    the method order, so its connection hooks wrap the protocol's)."""
