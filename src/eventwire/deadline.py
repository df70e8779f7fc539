"""The per-article time limit: a deadline our own code checks, in any thread, plus an alarm.

Two mechanisms, because neither is enough alone:

* a **cooperative deadline** (:func:`deadline`, :func:`check`). The limit is kept in a context
  variable, so each thread (a Dask worker's task thread, a server's request thread) has its own,
  and the eventwire stages call :func:`check` when they start and inside the loops that grow
  with the article (sentences, quotes, candidates, matches). Past the deadline, ``check`` raises
  :class:`~eventwire.errors.ArticleTimeout`. It holds everywhere, but only where code checks:
  a Python loop of someone else's component that never calls ``check`` runs to its end, and
  the article fails at the next check (the next eventwire stage).
* a **hard stop** in a process's main thread (``SIGALRM``), which interrupts any Python code,
  checked or not. Signals reach only the main thread, and not on Windows.

:func:`time_limit` applies both. spaCy's own tokenizer, tagger and parser are C code whose time
is bounded by the text's length (which ingest already bounds); neither mechanism interrupts them.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import FrameType

from eventwire.errors import ArticleTimeout

#: After the limit, the alarm repeats this often, in case a broad ``except`` swallowed it.
_REPEAT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Deadline:
    """When the article named ``source`` runs out of its ``seconds`` (a ``time.monotonic``)."""

    source: str
    seconds: float
    at: float


_CURRENT: ContextVar[Deadline | None] = ContextVar("eventwire_deadline", default=None)


def current() -> Deadline | None:
    """The deadline in force in this thread (context), if any."""
    return _CURRENT.get()


def check() -> None:
    """Raise :class:`ArticleTimeout` when the article being read is past its deadline.

    Cheap (a context-variable read and a clock read, about 0.1 µs): call it once per sentence,
    quote or candidate of a loop that grows with the article.
    """
    found = _CURRENT.get()
    if found is not None and time.monotonic() >= found.at:
        raise ArticleTimeout(found.source, found.seconds)


@contextmanager
def deadline(seconds: float | None, source: str = "<article>") -> Iterator[None]:
    """Make :func:`check` raise once the block has run ``seconds`` (None or 0: no deadline).

    An enclosing deadline that ends sooner stays in force (and is the one named).
    """
    if not seconds or seconds <= 0:
        yield
        return
    mine = Deadline(source, seconds, time.monotonic() + seconds)
    outer = _CURRENT.get()
    token = _CURRENT.set(outer if outer is not None and outer.at <= mine.at else mine)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def can_interrupt() -> bool:
    """Whether an alarm can interrupt this thread: signals reach only a process's main thread."""
    main = threading.current_thread() is threading.main_thread()
    return main and hasattr(signal, "setitimer")


@contextmanager
def alarm(seconds: float | None, source: str = "<article>") -> Iterator[None]:
    """Interrupt the block with :class:`ArticleTimeout` after ``seconds`` (main thread only).

    Elsewhere (or with None or 0) the block runs uninterrupted. The alarm interrupts Python
    code, not a long call into C, which ends first. An enclosing alarm is restored (with its
    remaining time) on leaving.
    """
    if not seconds or seconds <= 0 or not can_interrupt():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise ArticleTimeout(source, seconds)

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))


@contextmanager
def time_limit(seconds: float | None, source: str = "<article>") -> Iterator[None]:
    """Raise :class:`ArticleTimeout` in the block when it runs longer than ``seconds``.

    ``None`` or 0 means no limit. In any thread the eventwire stages stop at their next
    :func:`check`; in a process's main thread an alarm also interrupts any Python code.
    """
    with deadline(seconds, source), alarm(seconds, source):
        yield
