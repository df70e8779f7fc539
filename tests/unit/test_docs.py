"""Docs cannot drift: every command and option of the CLI is documented in the README (or in
the guides under docs/ it links to)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from eventwire.cli import main

ROOT = Path(__file__).resolve().parents[2]
README = "\n".join(
    path.read_text(encoding="utf-8")
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def commands() -> list[tuple[str, click.Command]]:
    return sorted(main.commands.items())


@pytest.mark.parametrize(("name", "command"), commands())
def test_command_in_readme(name: str, command: click.Command) -> None:
    assert f"eventwire {name}" in README, f"`eventwire {name}` is not documented in README.md"


@pytest.mark.parametrize(("name", "command"), commands())
def test_options_in_readme(name: str, command: click.Command) -> None:
    undocumented = [
        opt
        for param in command.params
        if isinstance(param, click.Option)
        for opt in param.opts
        if opt.startswith("--") and opt not in README
    ]
    assert not undocumented, f"eventwire {name}: options missing from README.md: {undocumented}"


@pytest.mark.parametrize(("name", "command"), commands())
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and len(command.help) > 40
