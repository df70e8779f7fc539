"""The CLI contract of `eventwire extract`: formats, order, bad inputs, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main

pytestmark = pytest.mark.integration

ARTICLE = (
    "Ministers meet in Nairobi\n\n"
    "NAIROBI - Kenya's foreign minister met his Ugandan counterpart in Nairobi on Tuesday, "
    "the ministry said. Police arrested twelve protesters outside parliament.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_extract_json_one_record(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", ARTICLE)
    result = runner.invoke(main, ["extract", path, "--published", "2024-03-07"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["article"]["title"] == "Ministers meet in Nairobi"
    assert record["article"]["published"] == "2024-03-07"
    assert record["article"]["published_basis"] == "given"
    assert any(e["name"] == "Nairobi" for e in record["entities"])


def test_extract_json_array_for_several(runner: CliRunner, tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", ARTICLE)
    b = write(tmp_path, "b.txt", ARTICLE.replace("Tuesday", "Friday"))
    result = runner.invoke(main, ["extract", a, b])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2


def test_jsonl_one_record_per_line_in_order_with_errors(runner: CliRunner, tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "one", "text": ARTICLE, "published": "2024-03-07"}),
        "{not json",
        json.dumps({"title": "three", "text": ARTICLE.replace("Tuesday", "Monday")}),
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")
    result = runner.invoke(main, ["extract", path, "--format", "jsonl"])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 3
    assert out[0]["article"]["title"] == "one" and "error" not in out[0]
    assert "batch.jsonl:2" in out[1]["error"] and out[1]["entities"] == []
    assert out[2]["article"]["title"] == "three"
    assert "batch.jsonl:2" in result.stderr


def test_bad_inputs_named_and_others_complete(runner: CliRunner, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", ARTICLE)
    empty = write(tmp_path, "empty.txt", "")
    binary = write(tmp_path, "blob.txt", bytes(range(256)) * 10)
    missing = str(tmp_path / "missing.txt")
    result = runner.invoke(main, ["extract", good, empty, binary, missing, "--format", "jsonl"])
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 4
    assert "error" not in out[0]
    for record, name in zip(out[1:], ("empty.txt", "blob.txt", "missing.txt"), strict=True):
        assert name in record["error"]
        assert name in result.stderr


def test_not_english_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    french = (
        "Le ministre des affaires étrangères a rencontré mardi son homologue à Paris pour "
        "discuter de la crise. Les deux pays ont signé un accord de coopération économique "
        "et promis de renforcer leurs échanges commerciaux dans les prochaines années."
    )
    path = write(tmp_path, "fr.txt", french)
    result = runner.invoke(main, ["extract", path])
    assert result.exit_code == 1
    assert "not English" in result.stderr and "fr.txt" in result.stderr


def test_invalid_published_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", ARTICLE)
    result = runner.invoke(main, ["extract", path, "--published", "2023-02-31"])
    assert result.exit_code == 2
    assert "2023-02-31" in result.stderr


def test_stdin(runner: CliRunner) -> None:
    result = runner.invoke(main, ["extract", "-", "--published", "2024-03-07"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["article"]["published"] == "2024-03-07"


def test_table_format(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", ARTICLE)
    result = runner.invoke(main, ["extract", path, "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "Ministers meet in Nairobi" in result.stdout
    assert "Actors" in result.stdout


def test_demo_reads_every_example(runner: CliRunner) -> None:
    from eventwire.examples import example_paths

    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert len(example_paths()) >= 10
    assert "error:" not in result.stdout
    assert result.stdout.count("Actors") >= 10


def test_schema_command(runner: CliRunner) -> None:
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "eventwire ArticleRecord"
