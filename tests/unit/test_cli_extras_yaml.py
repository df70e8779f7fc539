"""#16 finding 8: a missing optional extra and a malformed YAML file are one clear line each."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main
from eventwire.errors import DataError
from eventwire.store.db import open_store


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = tmp_path / "s.db"
    open_store(str(path)).close()
    return str(path)


def _without(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make ``modules`` look uninstalled to the extras check."""
    import eventwire.cli.extras as extras

    real = extras.find_spec
    monkeypatch.setattr(extras, "find_spec", lambda name: None if name in modules else real(name))


@pytest.mark.parametrize(
    ("modules", "args", "extra"),
    [
        (("fastapi",), ["serve", "--db", "{db}"], "web"),
        (("uvicorn",), ["demo", "--serve"], "web"),
        (("pyarrow",), ["export", "--db", "{db}", "--format", "parquet", "-o", "{out}"], "parquet"),
        (("distributed",), ["ingest", "--db", "{db}", "--dask", "local", "{out}"], "dask"),
    ],
)
def test_a_missing_extra_names_what_to_install(
    monkeypatch, tmp_path: Path, db: str, modules, args, extra
) -> None:  # type: ignore[no-untyped-def]
    _without(monkeypatch, *modules)
    out = tmp_path / "out.txt"
    out.write_text("Rebels shelled the town.", encoding="utf-8")
    filled = [a.format(db=db, out=out) for a in args]
    result = CliRunner().invoke(main, filled)
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert f"pip install 'eventwire[{extra}]'" in result.stderr
    assert modules[0] in result.stderr


def test_malformed_alert_rules_name_file_line_and_problem(tmp_path: Path, db: str) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - name: spike\n    when: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["alerts", "--db", db, "--rules", str(rules)])
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert f"{rules}:" in line and "malformed YAML" in line


def test_malformed_actor_file_names_file_line_and_problem(tmp_path: Path) -> None:
    from eventwire.extract.kb import load_kb

    actors = tmp_path / "actors.yaml"
    actors.write_text("actors:\n  - name: Alpha\n  - name: [Beta\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_kb([actors])
    message = str(caught.value)
    assert message.startswith(f"{actors}:") and "malformed YAML" in message
    assert "\n" not in message
