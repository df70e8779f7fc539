"""`eventwire ingest` as a process: killed mid-run, rerun, nothing lost or doubled.

The per-article step uses a blank spaCy pipeline (``--model blank:en``): what is tested here is
the writer's transactions and the resume log, which do not depend on the model.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventwire.store import maintain
from eventwire.store.db import open_store
from eventwire.store.read import iter_records

pytestmark = pytest.mark.integration
N_ARTICLES = 800
CLI = [sys.executable, "-c", "from eventwire.cli import main; main()"]


def make_corpus(folder: Path, n: int = N_ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({"text": f"Officials in town {i} met delegates on day {i % 28 + 1}. Talks went on.",
                    "published": f"2024-02-{i % 28 + 1:02d}", "source": f"Wire {i % 5}"})
        for i in range(n)
    ]  # fmt: skip
    lines.insert(7, "{broken json")
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def ingest_cmd(corpus: Path, db: Path) -> list[str]:
    return [
        *CLI,
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--model",
        "blank:en",
        "--batch-size",
        "4",
        "--no-resolve",
    ]


def stored(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        return (
            conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            if "articles" in tables
            else 0
        )


def kill_when_some_stored(proc: subprocess.Popen[bytes], db: Path, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        count = stored(db)
        if count >= 20:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return count
        time.sleep(0.05)
    pytest.fail("the ingest finished or stalled before it could be killed mid-run")


def snapshot(db: Path) -> tuple[dict[str, int], list[str]]:
    store = open_store(str(db))
    counts = maintain.counts(store)
    with store.session() as session:
        records = sorted(r.to_json(indent=None) for r in iter_records(session))
    assert all(c.ok for c in maintain.check(store))
    store.close()
    counts.pop("codings")
    return counts, records


def test_killed_ingest_resumes_without_loss(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    reference = tmp_path / "reference.db"
    subprocess.run(ingest_cmd(corpus, reference), check=False, capture_output=True, timeout=300)
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(
        ingest_cmd(corpus, killed), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    at_kill = kill_when_some_stored(proc, killed)
    assert 0 < at_kill < N_ARTICLES
    rerun = subprocess.run(ingest_cmd(corpus, killed), capture_output=True, text=True, timeout=300)
    assert "inputs done by an earlier run" in rerun.stderr
    assert snapshot(killed) == snapshot(reference)
    assert snapshot(reference)[0]["articles"] == N_ARTICLES
    assert snapshot(reference)[0]["failures"] == 1
