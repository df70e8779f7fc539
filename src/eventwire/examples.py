"""The bundled example articles, written for the project (see ``examples/README.md``).

They ship inside the package (``eventwire/data/examples``) so that ``eventwire demo`` works
after a plain ``pip install``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

EXAMPLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")


def examples_dir() -> Path:
    return Path(str(files("eventwire") / "data" / "examples"))


def example_paths() -> list[Path]:
    """Every example article file, sorted by name."""
    return sorted(p for p in examples_dir().iterdir() if p.suffix in EXAMPLE_SUFFIXES)
