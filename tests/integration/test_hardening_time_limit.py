"""A per-article time limit: one pathological article must not hold up the batch.

Inputs within every size limit can still take minutes to extract when a stage's work grows
faster than the text (tests/unit/test_hardening_scaling.py pins two stages that did). Whatever the
stages do, the engine has to give up on an article after a time limit, record it as a failure
that names the limit, and go on with the rest. This runs `eventwire ingest` (blank pipeline, so
no trained model) over a folder holding one long page and one ordinary article, with a wall-clock
bound: when the command offers ``--time-limit`` it is set to one second. The page took minutes
while the quotes stage was quadratic; now that it is linear the page is made larger (about
550 kB, several seconds), so that it still runs well over the limit and the ordinary article
(milliseconds once the pipeline is warm) well under it.

The same runs on a 2-worker Dask LocalCluster, whose tasks run in worker threads where no alarm
can reach: there the stages' own deadline checks must stop the page.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
CLI = [sys.executable, "-c", "from eventwire.cli import main; main()"]
LIMIT_SECONDS = 1
WALL_SECONDS = 25  # start-up, warm-up and the ordinary article take under 10 s; the page, more
QUOTED_WORDS = 80_000
TAGS = ["the", "talks", "between", "two", "sides", "will", "go", "on", "next", "week"]


def pathological_page() -> str:
    """80,000 quoted words in one paragraph (a scraped tag cloud): about 550 kB of text."""
    return "Tags\n\n" + " ".join(f'"{TAGS[i % len(TAGS)]}"' for i in range(QUOTED_WORDS)) + "\n"


def time_limit_args() -> list[str]:
    helped = subprocess.run([*CLI, "ingest", "--help"], capture_output=True, text=True, check=True)
    return ["--time-limit", str(LIMIT_SECONDS)] if "--time-limit" in helped.stdout else []


def write_corpus(folder: Path) -> Path:
    corpus = folder / "corpus"
    corpus.mkdir()
    (corpus / "a_tags.txt").write_text(pathological_page(), encoding="utf-8")
    (corpus / "b_ordinary.txt").write_text(
        "Talks resume\n\nFinance ministers of the two countries met in the capital on Tuesday.\n",
        encoding="utf-8",
    )
    return corpus


@pytest.mark.parametrize(
    ("engine", "batch_size"),
    [([], "1"), (["--dask", "local", "--workers", "2"], "2")],
    ids=["in-process", "dask-local-cluster"],
)
def test_a_pathological_article_is_cut_off_and_the_batch_goes_on(
    tmp_path: Path, engine: list[str], batch_size: str
) -> None:
    if engine:
        pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    db = tmp_path / "limit.db"
    cmd = [*CLI, "ingest", str(write_corpus(tmp_path)), "--db", str(db), "--model", "blank:en"]
    cmd += ["--no-resolve", "--batch-size", batch_size, *engine, *time_limit_args()]
    try:
        subprocess.run(cmd, capture_output=True, text=True, timeout=WALL_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"ingest of one pathological page ran for more than {WALL_SECONDS} s")
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        failures = conn.execute("SELECT origin, reason FROM failures").fetchall()
    assert stored == 1
    assert len(failures) == 1 and "a_tags.txt" in failures[0][0]
    assert "time limit" in failures[0][1]
