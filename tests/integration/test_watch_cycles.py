"""Two `eventwire watch --once` cycles against a local feed server, with the real model.

Cycle 1 serves two cooperative stories; cycle 2 adds an attack (and repeats it under a second
guid, and repeats the old entries). Exactly the new article must be stored in cycle 2, and the
material-conflict rule must fire then, once, logged and posted to the webhook, with the attack
article as its evidence.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_watch_helpers import Route, Site, page, rss, serve  # noqa: E402

from eventwire.cli import main  # noqa: E402
from eventwire.nlp import DEFAULT_MODEL  # noqa: E402
from eventwire.store.db import open_store  # noqa: E402
from eventwire.store.schema import ArticleRow  # noqa: E402

pytestmark = pytest.mark.integration

STORIES = {
    "talks": ("Ministers hold trade talks",
              "The foreign ministers of Norway and Chile met in Oslo on Monday to discuss a new "
              "trade agreement, the Norwegian foreign ministry said in a statement."),
    "aid": ("Aid convoy reaches flooded province",
            "The Red Cross delivered food and medicine to flood victims in the province on "
            "Tuesday, a spokesman for the organisation said."),
    "attack": ("Gunmen attack army base",
               "Gunmen from the Northern Front attacked an army base near the town of Gao on "
               "Wednesday, killing four soldiers, the army said on Thursday."),
}  # fmt: skip

RULES = """version: 1
rules:
  - name: force-used
    kind: count
    category: material_conflict
    threshold: 1
    window: 30d
"""


def stored_urls(db: str) -> set[str]:
    store = open_store(db)
    with store.session() as session:
        urls = set(session.scalars(select(ArticleRow.url)))
    store.close()
    return urls


def publish(site: Site, names: list[str], extra: list[tuple[str, str, str]] = ()) -> None:  # type: ignore[assignment]
    items = []
    for name in names:
        title, text = STORIES[name]
        site.routes[f"/news/{name}"] = Route(page(title, text))
        items.append((f"guid-{name}", site.url(f"/news/{name}"), title))
    site.routes["/feed.xml"] = Route(rss("Test Wire", items + list(extra)))


@pytest.fixture(scope="module")
def model_installed() -> None:
    if importlib.util.find_spec(DEFAULT_MODEL) is None:
        pytest.skip(f"spaCy model {DEFAULT_MODEL} is not installed")


def test_two_watch_cycles_ingest_only_new_articles_and_fire_the_alert(
    tmp_path: Path, model_installed: None
) -> None:
    db, log = str(tmp_path / "watch.db"), tmp_path / "alerts.jsonl"
    (tmp_path / "rules.yaml").write_text(RULES)
    sources = tmp_path / "sources.txt"
    with serve(Site()) as site:
        site.routes["/hook"] = Route("ok")
        sources.write_text(site.url("/feed.xml") + "\n")
        args = ["watch", str(sources), "--once", "--db", db, "--rules", str(tmp_path / "rules.yaml"),
                "--alerts-log", str(log), "--webhook", site.url("/hook"), "--rate", "0",
                "--allow-private"]  # fmt: skip
        runner = CliRunner()

        publish(site, ["talks", "aid"])
        first = runner.invoke(main, args)
        assert first.exit_code == 0, first.output
        assert stored_urls(db) == {site.url("/news/talks"), site.url("/news/aid")}
        assert not log.exists() or log.read_text().strip() == ""

        attack = site.url("/news/attack")
        publish(site, ["attack", "talks", "aid"], extra=[("guid-attack-again", attack, "Again")])
        second = runner.invoke(main, args)
        assert second.exit_code == 0, second.output
        assert stored_urls(db) == {site.url("/news/talks"), site.url("/news/aid"), attack}
        assert len(site.hits("/news/attack")) == 1 and len(site.hits("/news/talks")) == 1
        hooks = [json.loads(body) for _, path, _, body in site.requests if path == "/hook"]

    [alert] = [json.loads(line) for line in log.read_text().splitlines()]
    assert alert["rule"] == "force-used" and "ALERT" in second.output
    assert {e["url"] for e in alert["evidence"]} == {attack}
    assert any("attacked" in e["sentence"] for e in alert["evidence"])
    assert [h["key"] for h in hooks] == [alert["key"]]
