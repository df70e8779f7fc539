"""Issue 19 item 5: a publication date at the calendar's edge with relative dates in the text
neither crashes `extract` nor loses the article in `ingest`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventwire.cli import main

pytestmark = pytest.mark.integration

TEXT = (
    "Soldiers attacked the village yesterday, officials said on Tuesday. "
    "The minister will visit the region tomorrow, and talks resume next month.\n"
)


@pytest.mark.parametrize("published", ["9999-12-31", "0001-01-01"])
def test_extract_keeps_the_article_and_leaves_what_cannot_be_dated(
    tmp_path: Path, published: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "--published", published])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["article"]["published"] == published
    assert record["events"], "the article's events are still coded"


def test_ingest_stores_the_article(tmp_path: Path) -> None:
    feed = tmp_path / "in.jsonl"
    feed.write_text(
        "\n".join(
            # two texts (an article is keyed by its text)
            json.dumps({"text": f"{TEXT} Report {n}.", "published": day})
            for n, day in enumerate(("9999-12-31", "0001-01-01"))
        ),
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), str(feed)])
    assert result.exit_code == 0, result.output
    assert "stored 2 new articles" in result.output and "0 failed" in result.output
