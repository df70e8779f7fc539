"""A SIGKILLed `eventwire ingest --workers 2` takes its workers and the resource tracker with it
(issue 19, item 10: they stayed, about 440 MB each, orphaned)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc"
)]  # fmt: skip

CLI = [sys.executable, "-c", "from eventwire.cli import main; main()"]


def _children() -> dict[int, int]:
    """Every running process's parent, by pid (zombies left out: they hold no memory)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents, found, frontier = _children(), set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def test_killing_ingest_ends_its_workers(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(60):
        (inputs / f"a{i:03d}.txt").write_text(
            f"Talks number {i}\n\nThe ministers of the two countries met in Cairo on Tuesday for "
            f"the {i}th round and agreed to meet again next month, officials said.\n"
        )
    run = subprocess.Popen(
        [*CLI, "ingest", "--db", str(tmp_path / "s.db"), "--workers", "2", str(inputs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None and len(children) < 3:
        time.sleep(0.5)
        children = _descendants(run.pid)  # two workers and the resource tracker
    assert len(children) >= 3, "the workers did not start"
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 15
    alive = set(children)
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = {pid for pid in alive if pid in _children()}
    for pid in alive:  # clean up before failing
        subprocess.run(["kill", "-9", str(pid)], check=False)
    assert alive == set()
