"""The exception tree. The library raises these; the CLI turns them into one line and an exit code.

EventwireError
├── InputError          an input could not be read (names the input and the problem)
│   └── NotEnglishError the input is readable but not English
├── ModelError          the spaCy model could not be loaded
├── DataError           a shipped or user data file (actors, lexicons) is malformed
└── StoreError          the store could not be opened or written
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base class of every error eventwire raises on purpose."""

    exit_code = 1


class InputError(EventwireError):
    """One input could not be read; ``source`` names it and ``problem`` says why."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class NotEnglishError(InputError):
    """The text is readable but written in another language (eventwire reads English)."""

    def __init__(self, source: str, language: str) -> None:
        super().__init__(source, f"not English (detected language: {language})")
        self.language = language


class ArticleTimeout(InputError):
    """Extracting one article took longer than the per-article time limit (``--time-limit``)."""

    def __init__(self, source: str, seconds: float) -> None:
        super().__init__(source, f"extraction exceeded the time limit of {seconds:g} s")
        self.seconds = seconds


class ModelError(EventwireError):
    """The spaCy model could not be loaded."""


class DataError(EventwireError):
    """A dictionary or knowledge-base file is malformed; the message names the file and line."""


class StoreError(EventwireError):
    """The store could not be opened, migrated or written."""
