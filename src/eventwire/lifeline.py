"""Worker processes die with the process that started them.

A process pool's workers block on a queue whose write end they hold themselves, so when their
parent is killed (SIGKILL, the out-of-memory killer) nothing tells them: they stayed, each with a
loaded model (about 440 MB), and so did multiprocessing's resource tracker, which waits for every
holder of its pipe to exit. :func:`watch_parent`, called first in each worker, ends the worker
when its parent is gone, and the tracker then exits by itself.

On Linux the kernel sends the signal (``PR_SET_PDEATHSIG``), at once. That signal follows the
*thread* that started the worker, not the process, so it is asked for only by the caller that
knows its pool is started from the main thread; a watch thread that polls the parent's pid covers
every other case and every other platform.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading

#: Seconds between two looks at the parent's pid in the watch thread.
POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


def watch_parent(parent: int | None = None, kernel_signal: bool = False) -> None:
    """End this process when ``parent`` (by default: the current parent) exits.

    ``kernel_signal``: also ask Linux to send SIGKILL when the parent's spawning thread exits
    (only right when that thread lives as long as the pool, e.g. the main thread).
    """
    parent = os.getppid() if parent is None else parent
    if kernel_signal and sys.platform.startswith("linux"):
        _pdeathsig()
    if os.getppid() != parent:  # the parent died before we looked
        os._exit(1)
    thread = threading.Thread(
        target=_watch, args=(parent,), name="eventwire-parent-watch", daemon=True
    )
    thread.start()


def _pdeathsig() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # no prctl here: the watch thread still covers it
        pass


def _watch(parent: int) -> None:
    event = threading.Event()
    while not event.wait(POLL_SECONDS):
        if os.getppid() != parent:
            os._exit(1)  # no clean-up to run: the parent that wanted the results is gone
