"""Crash safety: `eventwire ingest` killed with SIGKILL ten times at random points, then finished.

tests/integration/test_ingest_cli.py kills one run once, with a blank pipeline. Here the default
model runs (so events, roles and actors are written too), the kill points are drawn from a seeded
random generator (some during start-up, most in the middle of writing), then one more kill lands
during cross-article resolution, and the store left by the kills and a final run must equal the
store of one uninterrupted run: the same article ids, each exactly once, with the same numbers of
entities, events, quotes and roles per article, the same records, the same actors and stories
(compared by their members and summaries, not their ids), and every integrity check of
`eventwire check` passing.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

N_ARTICLES = 100
KILLS = 10
SEED = 20240601
CLI = [sys.executable, "-c", "from eventwire.cli import main; main()"]
PEOPLE = ["Omar Haddad", "Lena Park", "Ivan Petrov", "Ana Silva", "Tomas Berg", "Mei Lin"]
PLACES = ["Cairo", "Aleppo", "Kyiv", "Lagos", "Quito", "Hanoi", "Lima", "Dakar"]
COUNT_SQL = """
SELECT a.id,
  (SELECT count(*) FROM entities e WHERE e.article_id = a.id),
  (SELECT count(*) FROM events v WHERE v.article_id = a.id),
  (SELECT count(*) FROM quotes q WHERE q.article_id = a.id),
  (SELECT count(*) FROM roles r WHERE r.article_id = a.id)
FROM articles a ORDER BY a.id
"""


def write_corpus(folder: Path, n: int = N_ARTICLES, seed: int = SEED) -> Path:
    """``n`` small generated reports, one .txt each, with people, places, events and a quote."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for i in range(n):
        first, second = rng.sample(PEOPLE, 2)
        place = rng.choice(PLACES)
        text = (
            f"Talks in {place}, report {i}\n\n"
            f"General {first} met Foreign Minister {second} in {place} on Tuesday, day {i}. "
            f'"We will keep talking about the border until point {i} is settled," {first} said. '
            f"Rebels attacked a police convoy near {place} on Monday, officials said.\n"
        )
        (folder / f"report_{i:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def ingest_cmd(corpus: Path, db: Path, *, resolve: bool = False) -> list[str]:
    command = [*CLI, "ingest", str(corpus), "--db", str(db), "--batch-size", "2"]
    return command if resolve else [*command, "--no-resolve"]


def stored(db: Path) -> int:
    """Articles committed so far (0 before the schema exists)."""
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "articles" not in tables:
            return 0
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


#: Why ingests that ended by themselves (not killed) failed, for the failure message.
EXITS: list[str] = []


def kill_at_random_point(corpus: Path, db: Path, rng: random.Random, early: bool) -> int:
    """Start an ingest and SIGKILL it: after a random delay (or a few articles further on,
    if sooner), or a random moment after a few more articles were committed."""
    before = stored(db)
    target = before + rng.randint(1, 8)
    delay = rng.uniform(0.3, 2.5) if early else rng.uniform(0.0, 0.05)
    proc = subprocess.Popen(
        ingest_cmd(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    started = time.monotonic()
    while proc.poll() is None and time.monotonic() < deadline:
        # an early kill lands after its delay, or once a few articles are in, whichever comes
        # first: a warm start-up can store the rest of the corpus within the delay
        if early and (time.monotonic() - started >= delay or stored(db) >= target):
            break
        if not early and stored(db) >= target:
            time.sleep(delay)  # a random moment after a commit: often inside the next batch
            break
        time.sleep(0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    elif proc.returncode != 0:  # it ended by itself, and not well: say why
        EXITS.append(f"exit {proc.returncode}: {proc.stderr.read()[-600:] if proc.stderr else ''}")
    proc.wait(timeout=30)
    return stored(db)


def per_article(db: Path) -> dict[str, tuple[int, ...]]:
    with sqlite3.connect(db) as conn:
        return {row[0]: tuple(row[1:]) for row in conn.execute(COUNT_SQL)}


def records(db: Path) -> list[str]:
    from eventwire.store.db import open_store
    from eventwire.store.read import iter_records

    store = open_store(str(db))
    with store.session() as session:
        found = sorted(r.to_json(indent=None) for r in iter_records(session))
    store.close()
    return found


ACTORS_SQL = """
SELECT a.name, a.type, a.country, a.kb_id, a.article_count, a.mention_count, a.generic,
  (SELECT group_concat(e.article_id || ':' || e.local_id) FROM
     (SELECT article_id, local_id FROM entities WHERE actor_id = a.id ORDER BY 1, 2) e)
FROM actors a
"""
STORIES_SQL = """
SELECT s.type, s.label, s.date_value, s.place, s.event_count, s.article_count,
  (SELECT group_concat(v.article_id || ':' || v.local_id) FROM
     (SELECT article_id, local_id FROM events WHERE story_id = s.id ORDER BY 1, 2) v)
FROM stories s
"""


def resolved(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Actors and stories with their members, without ids, sorted."""
    with sqlite3.connect(db) as conn:
        actors = sorted(conn.execute(ACTORS_SQL).fetchall(), key=repr)
        stories = sorted(conn.execute(STORIES_SQL).fetchall(), key=repr)
    return actors, stories


def writing(db: Path) -> bool:
    """Whether another connection holds the store's write lock (a transaction is writing)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def unlinked(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM entities WHERE actor_id IS NULL").fetchone()[0]


def kill_during_resolution(db: Path, rng: random.Random) -> bool:
    """Start a full resolution and SIGKILL it inside its write transaction (at a random
    moment of it); True when the kill landed there."""
    proc = subprocess.Popen([*CLI, "resolve", "--full", "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    landed = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if writing(db):
            time.sleep(rng.uniform(0.0, 0.02))
            landed = proc.poll() is None
            break
        time.sleep(0.002)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return landed


def test_ten_random_kills_then_finish_equals_one_clean_run(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "corpus")
    reference = tmp_path / "reference.db"
    clean = subprocess.Popen(  # the uninterrupted run uses the other core meanwhile
        ingest_cmd(corpus, reference, resolve=True),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    killed = tmp_path / "killed.db"
    rng = random.Random(SEED)
    progress = [kill_at_random_point(corpus, killed, rng, early=k % 4 == 0) for k in range(KILLS)]
    assert progress == sorted(progress), "a kill lost articles that were already committed"
    assert 0 < progress[-1] < N_ARTICLES, f"kills did not land mid-corpus: {progress} {EXITS}"
    rest = subprocess.run(ingest_cmd(corpus, killed), capture_output=True, text=True, timeout=120)
    assert rest.returncode == 0, rest.stderr
    before = unlinked(killed)
    assert before > 0, "nothing left to resolve"
    if kill_during_resolution(killed, rng):
        assert unlinked(killed) == before, "a killed resolution committed part of its work"
    pending = unlinked(killed) > 0
    final = subprocess.run(
        ingest_cmd(corpus, killed, resolve=True), capture_output=True, text=True, timeout=120
    )  # writes nothing new, and must still finish the resolution the kill left pending
    assert final.returncode == 0, final.stderr
    assert "inputs done by an earlier run" in final.stderr
    assert ("resolved" in final.stderr) == pending
    assert clean.wait(timeout=120) == 0
    expected = per_article(reference)
    assert len(expected) == N_ARTICLES
    assert sum(counts[1] for counts in expected.values()) > 0, "the model coded no events"
    assert per_article(killed) == expected
    assert records(killed) == records(reference)
    assert resolved(killed) == resolved(reference)
    assert all(resolved(reference)), "the reference run resolved no actors or stories"
    check = subprocess.run([*CLI, "check", "--db", str(killed)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ok   articles without a coding stamp" in check.stdout
    assert "ok   resolution up to date" in check.stdout
    assert "ok   SQLite integrity check" in check.stdout
    with sqlite3.connect(killed) as conn:
        inputs = conn.execute("SELECT count(*), count(DISTINCT input_key) FROM inputs").fetchone()
        failures = conn.execute("SELECT count(*) FROM failures").fetchone()[0]
    assert inputs == (N_ARTICLES, N_ARTICLES) and failures == 0
