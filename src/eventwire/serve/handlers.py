"""Where the desk's route handlers run: one first-come, first-served queue and its threads.

The handlers are plain functions (SQLAlchemy and SQLite under Python's interpreter lock), so
threads cannot run two of them at once; they can only interleave them. FastAPI would run each
on anyio's pool of 40 threads, and under load every fresh answer, cheap or not, then took as
long as all those in flight together. A smaller anyio limit keeps them in order, but passes
the turn through the event loop: a finished handler's thread waited for the loop (busy
serving cached answers) to release its token and start the next, and on a 100k store the
one handler thread sat idle for a fifth of a load test.

Here every route's handler is queued on one :class:`~concurrent.futures.ThreadPoolExecutor`
(``eventwire serve --threads``, default 1): its thread takes the next handler as soon as it is
done with the last, in arrival order, and the event loop only receives the results.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Lock
from typing import Any

from fastapi.routing import APIRoute

from eventwire.serve import THREADS

_lock = Lock()
_pool: ThreadPoolExecutor | None = None
_size = THREADS


def set_threads(threads: int) -> None:
    """Serve handlers on ``threads`` threads from now on (one pool per process)."""
    global _pool, _size
    with _lock:
        old, _pool, _size = _pool, None, threads
    if old is not None:
        old.shutdown(wait=False)  # handlers already queued there still run


def threads() -> int:
    """How many threads run handlers."""
    return _size


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(_size, thread_name_prefix="eventwire-handler")
        return _pool


def queued(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` as a coroutine that runs it on the handlers' queue.

    The signature stays the function's own (``functools.wraps``), so FastAPI reads the same
    parameters and return type from it.
    """

    @functools.wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        context = contextvars.copy_context()
        call = functools.partial(context.run, function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(_executor(), call)

    return run


class QueuedRoute(APIRoute):
    """An API route whose plain-function handler runs on the handlers' queue."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = queued(endpoint)
        super().__init__(path, endpoint, **kwargs)
