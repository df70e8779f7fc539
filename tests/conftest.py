"""Shared fixtures. Unit tests need no trained model; ``integration`` tests load the real one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_f71b5d3548721a5d.txt"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need it skip with a clear message."""
    if not SHARED.is_dir():
        pytest.skip(
            f"shared data not found at {SHARED}: these tests need ../shared beside the repo"
        )
    return SHARED


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    if not SEED.is_file():
        pytest.skip(f"reference article not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def nlp():
    """The full eventwire pipeline on the default model, loaded once per test session."""
    from eventwire import nlp as nlp_module

    return nlp_module.load()


@pytest.fixture(scope="module")
def pg_database() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database on EVENTWIRE_TEST_PG_URL's server (`.ci/postgres.sh`
    starts one), dropped after the module; skips when no server or no psycopg is available.
    Fixtures that open a store on it close the store before this drops the database."""
    url = os.environ.get("EVENTWIRE_TEST_PG_URL")
    if not url:
        pytest.skip("EVENTWIRE_TEST_PG_URL is not set: run .ci/postgres.sh and export its URL")
    psycopg = pytest.importorskip(
        "psycopg", reason="psycopg is not installed (pip install eventwire[postgres])"
    )
    name = f"eventwire_test_{uuid.uuid4().hex[:8]}"
    admin = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{admin.rsplit('/', 1)[0]}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name}")
