"""Monitoring commands (`watch`, `trends`, `alerts`): registered on the main CLI through ``COMMANDS``."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
