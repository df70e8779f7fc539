"""The code stays ruff-clean (lint and format), checked with the test suite rather than by memory."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TARGETS = ["src", "tests", "benchmarks", "scripts"]


@pytest.fixture(scope="module")
def ruff() -> str:
    found = shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed (it comes with the `test` extra)")
    return found


def test_ruff_check(ruff: str) -> None:
    result = subprocess.run([ruff, "check", *TARGETS], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format(ruff: str) -> None:
    result = subprocess.run(
        [ruff, "format", "--check", *TARGETS], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
