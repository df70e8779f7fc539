"""Workers die with their parent: a SIGKILLed ingest once left its workers and multiprocessing's
resource tracker running, orphaned (issue 19, item 10)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from eventwire import engine, lifeline, reader

PARENT = textwrap.dedent(
    """
    import json, multiprocessing, os, sys, time
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import resource_tracker
    from eventwire import lifeline

    if __name__ == "__main__":
        mode = sys.argv[1]  # "watch", "kernel", or "none" (no lifeline: the old behaviour)
        initializer = None if mode == "none" else lifeline.watch_parent
        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(
            2, mp_context=context, initializer=initializer,
            initargs=() if mode == "none" else (os.getpid(), mode == "kernel"),
        )
        list(pool.map(time.sleep, [0.2, 0.2]))
        tracker = resource_tracker._resource_tracker._pid
        print(json.dumps({"workers": list(pool._processes), "tracker": tracker}), flush=True)
        time.sleep(60)
    """
)


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _kill_parent_and_wait(mode: str, tmp_path: Path) -> list[int]:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    parent = subprocess.Popen(
        [sys.executable, str(script), mode],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        started = json.loads(parent.stdout.readline())
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    children = [*started["workers"], started["tracker"]]
    assert all(isinstance(pid, int) for pid in children)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.1)
    return [pid for pid in children if _alive(pid)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("mode", ["watch", "kernel"])
def test_workers_and_the_resource_tracker_go_when_the_parent_is_killed(mode, tmp_path) -> None:
    left = _kill_parent_and_wait(mode, tmp_path)
    for pid in left:  # clean up before failing
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_the_engine_pool_workers_watch_their_parent(monkeypatch) -> None:
    """``ingest --workers N``'s pool starts each worker with the watch, then warms it."""
    seen: list[object] = []
    monkeypatch.setattr(lifeline, "watch_parent", lambda p, **kw: seen.append(("watch", p, kw)))
    monkeypatch.setattr(engine, "warm", lambda *a: seen.append(("warm", *a)))
    engine.start_worker(123, True, "m", ("a.yaml",))
    assert seen == [("watch", 123, {"kernel_signal": True}), ("warm", "m", ("a.yaml",))]

    captured: dict[str, object] = {}

    class Pool:
        def __init__(self, *args, **kwargs) -> None:
            captured.update(kwargs)
            raise RuntimeError("stop here")

    monkeypatch.setattr(engine, "ProcessPoolExecutor", Pool)
    options = engine.EngineOptions(workers=2, model="m")
    with pytest.raises(RuntimeError, match="stop here"):
        next(engine._run_pool(iter([]), options, engine.extract_batch))
    assert captured["initializer"] is engine.start_worker
    assert captured["initargs"] == (os.getpid(), True, "m", ())


def test_the_reader_pool_workers_watch_their_parent(monkeypatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(lifeline, "watch_parent", lambda p, **kw: seen.append(("watch", p, kw)))
    monkeypatch.setattr(reader.nlp_module, "load", lambda *a, **kw: seen.append("load"))
    reader._warm("m", (), None, 77, False)
    assert seen == [("watch", 77, {"kernel_signal": False}), "load"]


def test_a_worker_whose_parent_is_already_gone_ends_at_once(monkeypatch) -> None:
    exits: list[int] = []
    monkeypatch.setattr(lifeline.os, "_exit", lambda code: exits.append(code))
    started: list[str] = []

    class Thread:
        def __init__(self, **kwargs: object) -> None:
            started.append(str(kwargs["name"]))

        def start(self) -> None:
            pass

    monkeypatch.setattr(lifeline.threading, "Thread", Thread)
    lifeline.watch_parent(os.getppid() + 1)
    assert exits == [1]
