"""Shared fixtures. Unit tests need no trained model; ``integration`` tests load the real one."""

from __future__ import annotations

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
