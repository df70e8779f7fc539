"""A per-article time limit: one pathological article must not hold up the batch.

Inputs within every size limit can still take minutes to extract when a stage's work grows
faster than the text (tests/unit/test_hardening_scaling.py pins two such stages). Whatever the
stages do, the engine has to give up on an article after a time limit, record it as a failure
that names the limit, and go on with the rest. This runs `eventwire ingest` (blank pipeline, so
no trained model) over a folder holding one such page and one ordinary article, with a wall-clock
bound: when the command offers ``--time-limit`` it is set to a few seconds.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
CLI = [sys.executable, "-c", "from eventwire.cli import main; main()"]
LIMIT_SECONDS = 4
WALL_SECONDS = 25  # start-up and the ordinary article take under 10 s; the page, minutes
TAGS = ["the", "talks", "between", "two", "sides", "will", "go", "on", "next", "week"]


def pathological_page() -> str:
    """20,000 quoted words in one paragraph (a scraped tag cloud): about 200 kB of text."""
    return "Tags\n\n" + " ".join(f'"{TAGS[i % len(TAGS)]}"' for i in range(20_000)) + "\n"


def time_limit_args() -> list[str]:
    helped = subprocess.run([*CLI, "ingest", "--help"], capture_output=True, text=True, check=True)
    return ["--time-limit", str(LIMIT_SECONDS)] if "--time-limit" in helped.stdout else []


@pytest.mark.xfail(
    strict=True,
    reason="no per-article time limit in the engine or reader: the page runs for minutes and "
    "the ordinary article after it waits (see SECURITY.md, 'Known gaps')",
)
def test_a_pathological_article_is_cut_off_and_the_batch_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_tags.txt").write_text(pathological_page(), encoding="utf-8")
    (corpus / "b_ordinary.txt").write_text(
        "Talks resume\n\nFinance ministers of the two countries met in the capital on Tuesday.\n",
        encoding="utf-8",
    )
    db = tmp_path / "limit.db"
    cmd = [*CLI, "ingest", str(corpus), "--db", str(db), "--model", "blank:en", "--no-resolve"]
    cmd += ["--batch-size", "1", *time_limit_args()]
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
