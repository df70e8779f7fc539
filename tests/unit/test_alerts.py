"""Alert rules: validation, each rule kind on a hand-built store, evidence, the CLI, the log."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_trends import build_store

from eventwire.analyse import alerts as A
from eventwire.analyse.rules import example_rules_path, load_rules, parse_duration
from eventwire.errors import DataError


def rules_file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text("version: 1\nrules:\n" + body, encoding="utf-8")
    return path


def days(start: str, n: int, step: int = 1) -> list[str]:
    first = date.fromisoformat(start)
    return [(first + timedelta(days=i * step)).isoformat() for i in range(n)]


@pytest.fixture()
def db(tmp_path: Path) -> str:
    """Weeks of verbal conflict between Northland and Southland, then a burst of assaults."""
    events = [
        (d, "THREATEN", "Northland", "Southland", "asserted") for d in days("2024-01-01", 8, 7)
    ]
    events += [(d, "ASSAULT", "Northland", "Southland", "asserted") for d in days("2024-02-26", 8)]
    events += [("2024-01-10", "CONSULT", "Eastland", "Southland", "asserted")]
    return build_store(tmp_path / "a.db", events)


def test_example_rules_load() -> None:
    rules = load_rules(example_rules_path())
    assert {r.kind for r in rules} == {"count", "rise", "new_relationship", "shift"}
    surge = next(r for r in rules if r.kind == "rise")
    assert "ASSAULT" in surge.categories and "THREATEN" not in surge.categories
    assert surge.baseline_periods == 8


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  - {name: x, kind: often}\n", "kind must be one of"),
        ("  - {name: x, category: ATTACK}\n", "neither a PLOVER category"),
        ("  - {name: x, window: soon}\n", "not a duration"),
        ("  - {name: x, dyad: [A]}\n", "two actor names"),
        ("  - {name: x, colour: red}\n", "unknown field"),
        ("  - {name: x}\n  - {name: x}\n", "unique"),
    ],
)
def test_bad_rules_name_file_and_rule(tmp_path: Path, body: str, message: str) -> None:
    path = rules_file(tmp_path, body)
    with pytest.raises(DataError, match=message) as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_durations() -> None:
    assert parse_duration("2w") == timedelta(days=14)
    assert parse_duration(3) == timedelta(days=3)


def test_count_rule_fires_once_per_episode_with_evidence(db: str, tmp_path: Path) -> None:
    path = rules_file(tmp_path, "  - {name: fighting, dyad: [southland, northland], "
                                "category: ASSAULT, threshold: 3, window: 3d}\n")  # fmt: skip
    [alert] = A.recent_alerts(db, rules=path)
    assert alert["date"] == "2024-02-28" and alert["kind"] == "count"
    assert alert["evidence_total"] == 3 and len(alert["evidence"]) == 3
    first = alert["evidence"][0]
    assert first["sentence"].startswith("Report") and first["article_id"] and first["event_id"]
    assert alert["actors"] == ["Northland", "Southland"]


def test_count_rule_rearms_after_a_quiet_window(tmp_path: Path) -> None:
    events = [(d, "PROTEST", "Crowd", "Council", "asserted") for d in
              ["2024-05-01", "2024-05-02", "2024-05-20", "2024-05-21"]]  # fmt: skip
    db = build_store(tmp_path / "r.db", events)
    path = rules_file(tmp_path, "  - {name: p, category: PROTEST, threshold: 2, window: 7d}\n")
    assert [a["date"] for a in A.recent_alerts(db, rules=path)] == ["2024-05-21", "2024-05-02"]


def test_rise_rule_finds_the_burst(db: str, tmp_path: Path) -> None:
    """Weeks of no material conflict (the store's span starts in January), then 7 + 1."""
    path = rules_file(
        tmp_path,
        "  - {name: surge, kind: rise, category: material_conflict, by: week, window: 8w,"
        " threshold: 1}\n",
    )
    [alert] = A.recent_alerts(db, rules=path)
    assert alert["date"] == "2024-02-26"
    assert alert["stats"]["counts"] == [7, 1] and alert["stats"]["baseline_mean"] == 0.0
    assert alert["stats"]["p_value"] < 0.001 and alert["evidence_total"] == 8


def test_one_event_a_day_is_not_a_significant_rise(db: str, tmp_path: Path) -> None:
    path = rules_file(
        tmp_path,
        "  - {name: surge, kind: rise, category: ASSAULT, by: day, window: 8d, threshold: 1}\n",
    )
    assert A.recent_alerts(db, rules=path) == []


def test_shift_rule_sees_words_turn_to_deeds(db: str, tmp_path: Path) -> None:
    path = rules_file(tmp_path, "  - {name: s, kind: shift, actor: Northland, by: week, "
                                "window: 4w}\n")  # fmt: skip
    [alert] = A.recent_alerts(db, rules=path)
    assert alert["date"] == "2024-02-26"
    assert alert["stats"]["baseline_material_share"] == 0.0
    assert {e["type"] for e in alert["evidence"]} == {"ASSAULT"}


def test_new_relationship_rule(db: str, tmp_path: Path) -> None:
    path = rules_file(tmp_path, "  - {name: n, kind: new_relationship, actor: Southland}\n")
    found = A.recent_alerts(db, rules=path, limit=None)
    assert sorted((a["date"], a["message"]) for a in found) == [
        ("2024-01-01", "first THREATEN between Northland and Southland"),
        ("2024-01-10", "first CONSULT between Eastland and Southland"),
        ("2024-02-26", "first ASSAULT between Northland and Southland"),
    ]
    assert A.recent_alerts(db, rules=path, since="2024-02-01")[0]["date"] == "2024-02-26"


def test_alert_keys_are_stable_and_the_log_dedupes(db: str, tmp_path: Path) -> None:
    rules = load_rules(example_rules_path())
    first = A.recent_alerts(db, rules=rules, limit=None)
    again = A.recent_alerts(db, rules=rules, limit=None)
    assert [a["key"] for a in first] == [a["key"] for a in again]
    log = tmp_path / "alerts.jsonl"
    assert A.append_log(log, first, logged_at="now") == len(first)
    assert A.logged_keys(log) == {a["key"] for a in first}
    assert json.loads(log.read_text().splitlines()[0])["logged_at"] == "now"


def test_alerts_cli(db: str, tmp_path: Path) -> None:
    from eventwire.cli import main

    path = rules_file(tmp_path, "  - {name: fighting, category: ASSAULT, threshold: 3, "
                                "window: 3d}\n")  # fmt: skip
    out = CliRunner().invoke(main, ["alerts", "--db", db, "--rules", str(path)])
    assert out.exit_code == 0, out.output
    assert "fighting (count): 3 ASSAULT events within 3 days" in out.output
    assert "article " in out.output and "http://n/" in out.output
    out = CliRunner().invoke(
        main, ["alerts", "--db", db, "--rules", str(path), "--format", "jsonl"]
    )
    assert json.loads(out.output.splitlines()[0])["rule"] == "fighting"


def test_one_incident_alerts_once_when_earlier_reports_arrive(tmp_path: Path) -> None:
    """#16 finding 10: a later, earlier-dated report of the same incident moved the day the rule
    fired, so the watcher logged the incident again under a new key."""
    from test_trends import record

    from eventwire.store.db import open_store
    from eventwire.store.stamp import Stamp
    from eventwire.store.write import Result, write_batch

    events = [("2024-05-03", "PROTEST", "Crowd", "Council", "asserted"),
              ("2024-05-04", "PROTEST", "Crowd", "Council", "asserted")]  # fmt: skip
    db = build_store(tmp_path / "i.db", events)
    rules = load_rules(
        rules_file(tmp_path, "  - {name: p, category: PROTEST, threshold: 2, window: 7d}\n")
    )
    log = A.AlertLog(rules, tmp_path / "alerts.jsonl")
    store = open_store(db)
    with store.session() as session:
        first, _ = log.check(session, at="t1")
    assert [a["date"] for a in first] == ["2024-05-04"]
    late = Result("k9", "o9", record(9, "2024-05-02", "PROTEST", "Crowd", "Council", "asserted"))
    with store.session() as session, session.begin():
        write_batch(session, [late], Stamp("t", "blank", {}), fts=store.has_fts)
    with store.session() as session:
        assert [a["date"] for a in A.evaluate(rules, A.queries.event_facts(session))] == [
            "2024-05-03"
        ]
        again, _ = log.check(session, at="t2")
        restarted, _ = A.AlertLog(rules, tmp_path / "alerts.jsonl").check(session, at="t3")
    store.close()
    assert again == [] and restarted == []
    assert len(A.logged_keys(tmp_path / "alerts.jsonl")) == 1
