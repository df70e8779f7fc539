"""Corpus commands (`ingest`, `actors`, `events`, ...): registered on the main CLI through ``COMMANDS``."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
