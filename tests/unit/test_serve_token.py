"""#19 item 13: the desk's write token comes from a file or the environment, not the process
list; a token on the command line still works but draws a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_serve_data import small_store

pytest.importorskip("fastapi", reason="the desk needs the web extra: pip install -e .[web]")

from eventwire.cli import main  # noqa: E402


@pytest.fixture()
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Runs `serve` with the given arguments without listening; returns (result, app)."""
    import uvicorn

    db = tmp_path / "t.db"
    small_store(db).close()
    apps: list = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    monkeypatch.delenv("EVENTWIRE_TOKEN", raising=False)

    def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(main, ["serve", "--db", str(db), *args], env=env)
        return result, (apps[-1] if apps and result.exit_code == 0 else None)

    return run


def test_token_from_a_file(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "token"
    secret.write_text("s3cret-from-file\n", encoding="utf-8")
    secret.chmod(0o600)
    result, app = served("--token-file", str(secret))
    assert result.exit_code == 0 and app.state.token == "s3cret-from-file"
    assert "warning" not in result.stderr and "corrections enabled" in result.stderr


def test_token_from_the_environment(served) -> None:  # type: ignore[no-untyped-def]
    result, app = served(env={"EVENTWIRE_TOKEN": "s3cret-from-env"})
    assert result.exit_code == 0 and app.state.token == "s3cret-from-env"
    assert "warning" not in result.stderr


def test_a_token_on_the_command_line_warns(served) -> None:  # type: ignore[no-untyped-def]
    result, app = served("--token", "visible-in-ps")
    assert app.state.token == "visible-in-ps"
    assert "visible to every local user" in result.stderr


def test_bad_token_files_are_refused_or_flagged(served, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty"
    empty.write_text("\n", encoding="utf-8")
    assert served("--token-file", str(empty))[0].exit_code == 2
    shared = tmp_path / "shared"
    shared.write_text("tok\n", encoding="utf-8")
    shared.chmod(0o644)
    result, app = served("--token-file", str(shared))
    assert app.state.token == "tok" and "readable by other users" in result.stderr
    both = served("--token-file", str(shared), "--token", "x")[0]
    assert both.exit_code == 2 and "not both" in both.stderr
