"""Alerts: evaluate rules (:mod:`eventwire.analyse.rules`) over the store's events.

Evaluation is stateless and deterministic: the same store and rules give the same alerts, each
with a stable ``key`` (rule, kind, date, detail). ``eventwire watch`` remembers which keys it has
already logged (in its JSONL alert log) so that it reports each alert once.

An alert is a plain dict::

    {"key": "violence-cluster|count|2024-03-07|",  "rule": "violence-cluster",
     "kind": "count", "date": "2024-03-07",        # when the rule fired (ISO day)
     "message": "3 ASSAULT/COERCE events within 7 days",
     "actors": ["Army", "Rebels"], "categories": ["ASSAULT"],
     "stats": {...},                               # kind-specific figures (p-values, shares)
     "evidence": [{"event_id": 12, "article_id": "3f2a...", "date": "2024-03-05",
                   "type": "ASSAULT", "sentence": "...", "sources": [...], "targets": [...],
                   "title": "...", "url": "..."}],
     "evidence_total": 3}                          # evidence is capped at MAX_EVIDENCE
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from eventwire.analyse import changepoint, queries
from eventwire.analyse.rules import Rule, load_rules
from eventwire.analyse.scale import MATERIAL_CONFLICT, VERBAL_CONFLICT, Scale, load_scale
from eventwire.analyse.series import bucket, date_span
from eventwire.errors import EventwireError
from eventwire.store.db import Store

MAX_EVIDENCE = 20


def evidence(fact: dict[str, Any]) -> dict[str, Any]:
    """What an alert shows for one event: the sentence and the article it comes from."""
    return {
        "event_id": fact["event_id"],
        "article_id": fact["article_id"],
        "date": fact["date"],
        "type": fact["type"],
        "sentence": fact["evidence"],
        "sources": fact["sources"],
        "targets": fact["targets"],
        "title": fact.get("title"),
        "url": fact.get("url"),
    }


def make_alert(rule: Rule, day: str, facts: Sequence[dict[str, Any]], message: str, *,
               detail: str = "", stats: dict[str, Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """Assemble one alert dict (see module) from the facts behind it."""
    actors = sorted({n for f in facts for n in f["sources"] + f["targets"]})
    latest = sorted(facts, key=lambda f: (f["date"], f["event_id"]), reverse=True)
    return {
        "key": f"{rule.name}|{rule.kind}|{day}|{detail}",
        "rule": rule.name,
        "kind": rule.kind,
        "date": day,
        "message": message,
        "actors": actors,
        "categories": sorted({f["type"] for f in facts}),
        "stats": stats or {},
        "evidence": [evidence(f) for f in latest[:MAX_EVIDENCE]],
        "evidence_total": len(facts),
    }


def matching(facts: Iterable[dict[str, Any]], rule: Rule) -> list[dict[str, Any]]:
    """The dated facts a rule is about (actor, dyad, country, categories), in date order."""
    found = [
        f for f in facts
        if f["date"]
        and (not rule.categories or f["type"] in rule.categories)
        and (not rule.actor or queries.involves(f, rule.actor))
        and (not rule.dyad or queries.between(f, *rule.dyad))
        and (not rule.country or (f["country"] or "").upper() == rule.country.upper())
    ]  # fmt: skip
    return sorted(found, key=lambda f: (f["date"], f["event_id"]))


def _label(rule: Rule) -> str:
    return "/".join(rule.categories) if rule.categories else "any"


def count_alerts(facts: Sequence[dict[str, Any]], rule: Rule) -> list[dict[str, Any]]:
    """Fire when ``threshold`` facts fall within the trailing ``window``; re-arm below it.

    The window on day d covers the ``window`` days ending on d. Once fired, the rule stays
    quiet until a day whose window holds fewer than ``threshold`` events, so one long episode
    gives one alert.
    """
    by_day: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        by_day[date.fromisoformat(fact["date"])].append(fact)
    alerts, armed = [], True
    for day in sorted(by_day):
        before = _within(by_day, day - rule.window, day - timedelta(days=1))
        armed = armed or len(before) < rule.threshold
        window_facts = _within(by_day, day - rule.window + timedelta(days=1), day)
        if armed and len(window_facts) >= rule.threshold:
            message = f"{len(window_facts)} {_label(rule)} events within {rule.window.days} days"
            alerts.append(make_alert(rule, day.isoformat(), window_facts, message,
                                     stats={"count": len(window_facts)}))  # fmt: skip
            armed = False
    return alerts


def _within(
    by_day: dict[date, list[dict[str, Any]]], first: date, last: date
) -> list[dict[str, Any]]:
    """Facts dated ``first``..``last`` inclusive."""
    return [f for d in sorted(by_day) if first <= d <= last for f in by_day[d]]


def rise_alerts(facts: Sequence[dict[str, Any]], rule: Rule,
                span: tuple[date, date] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Fire for each sustained rise of the per-period counts (see :mod:`changepoint`).

    ``span`` is the store's date range, so that periods before the first matching event count
    as zeros in the baseline.
    """
    groups = bucket(facts, rule.by, span=span)
    periods = list(groups)
    rises = changepoint.sustained_rises(
        [len(groups[p]) for p in periods], window=rule.baseline_periods, alpha=rule.alpha,
        min_count=rule.threshold,
    )  # fmt: skip
    alerts = []
    for rise in rises:
        behind = [f for p in periods[rise.start : rise.end + 1] for f in groups[p]]
        stats = {"baseline_mean": round(rise.baseline, 2), "counts": list(rise.counts),
                 "p_value": float(f"{rise.p_value:.3g}"),
                 "z_scores": [round(z, 2) for z in rise.z_scores], "by": rule.by}  # fmt: skip
        message = (f"{_label(rule)} events rose to {list(rise.counts)} per {rule.by} "
                   f"from a baseline of {rise.baseline:.1f}")  # fmt: skip
        alerts.append(make_alert(rule, periods[rise.start].isoformat(), behind, message,
                                 stats=stats))  # fmt: skip
    return alerts


def relationship_alerts(facts: Sequence[dict[str, Any]], rule: Rule) -> list[dict[str, Any]]:
    """Fire for the first event of each actor pair in each category."""
    alerts = []
    for first in changepoint.new_relationships(facts):
        a, b = first["pair"]
        message = f"first {first['type']} between {a} and {b}"
        alerts.append(make_alert(rule, first["date"], [first], message,
                                 detail=f"{a}~{b}~{first['type']}"))  # fmt: skip
    return alerts


def shift_alerts(facts: Sequence[dict[str, Any]], rule: Rule, scale: Scale,
                 span: tuple[date, date] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Fire when a dyad's conflict turns from verbal to material (see :mod:`changepoint`)."""
    alerts = []
    for pair, pair_facts in _by_pair(facts).items():
        groups = bucket(pair_facts, rule.by, span=span)
        periods = list(groups)
        verbal = [sum(scale.quad(f["type"]) == VERBAL_CONFLICT for f in groups[p]) for p in periods]
        material = [sum(scale.quad(f["type"]) == MATERIAL_CONFLICT for f in groups[p])
                    for p in periods]  # fmt: skip
        shifts = changepoint.conflict_shifts(verbal, material, window=rule.baseline_periods,
                                             min_material=rule.threshold)  # fmt: skip
        for shift in shifts:
            alerts.append(_shift_alert(rule, pair, periods[shift.index], groups, shift, scale))
    return alerts


def _by_pair(facts: Sequence[dict[str, Any]]) -> dict[tuple[str, str], list[dict[str, Any]]]:
    pairs: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for fact in facts:
        for pair in changepoint.pairs(fact):
            pairs[pair].append(fact)
    return pairs


def _shift_alert(rule: Rule, pair: tuple[str, str], period: date,
                 groups: dict[date, list[dict[str, Any]]], shift: changepoint.Shift,
                 scale: Scale) -> dict[str, Any]:  # fmt: skip
    behind = [f for f in groups[period] if scale.quad(f["type"]) == MATERIAL_CONFLICT]
    stats = {"baseline_material_share": round(shift.baseline_share, 2),
             "material_share": round(shift.share, 2), "material": shift.material,
             "verbal": shift.verbal, "by": rule.by}  # fmt: skip
    message = (f"{pair[0]} - {pair[1]}: conflict turned material "
               f"({shift.baseline_share:.0%} -> {shift.share:.0%} of conflict events)")  # fmt: skip
    return make_alert(rule, period.isoformat(), behind, message, detail=f"{pair[0]}~{pair[1]}",
                      stats=stats)  # fmt: skip


def evaluate(rules: Sequence[Rule], facts: Sequence[dict[str, Any]],
             scale: Scale | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Every alert the rules give on these facts, oldest first."""
    scale = scale or load_scale()
    span = date_span(facts)
    alerts: list[dict[str, Any]] = []
    for rule in rules:
        chosen = matching(facts, rule)
        if rule.kind == "count":
            alerts.extend(count_alerts(chosen, rule))
        elif rule.kind == "rise":
            alerts.extend(rise_alerts(chosen, rule, span))
        elif rule.kind == "new_relationship":
            alerts.extend(relationship_alerts(chosen, rule))
        else:
            alerts.extend(shift_alerts(chosen, rule, scale, span))
    return sorted(alerts, key=lambda a: (a["date"], a["rule"], a["key"]))


def recent_alerts(
    db_url_or_session: str | Session | Store | None,
    *,
    rules: Sequence[Rule] | Path | str | None = None,
    since: str | None = None,
    limit: int | None = 50,
) -> list[dict[str, Any]]:
    """Alerts the rules give on the store, newest first (each as in the module docstring).

    ``rules`` is a list of rules or a rules file (default: ``$EVENTWIRE_ALERTS``, then
    ``./alerts.yaml``, then the shipped example). ``since`` (ISO date) keeps alerts fired on or
    after it; ``limit`` caps the list (None for all). Every alert carries its evidence: the
    sentences, event ids and article ids behind it.
    """
    chosen = rules if isinstance(rules, Sequence) and not isinstance(rules, str) else None
    rule_list = list(chosen) if chosen is not None else load_rules(rules)  # type: ignore[arg-type]
    with queries.session_scope(db_url_or_session) as session:
        facts = queries.event_facts(session)
    alerts = [a for a in evaluate(rule_list, facts) if not since or a["date"] >= since[:10]]
    alerts.reverse()
    return alerts[:limit] if limit is not None else alerts


def _logged(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def logged_keys(path: Path) -> set[str]:
    """Keys of the alerts already in a JSONL alert log (an absent log has none)."""
    return {alert["key"] for alert in _logged(path)}


class Incidents:
    """The incidents already alerted, per rule, so that one incident alerts once.

    An alert's key names the day its rule fired; when later reports of the same incident
    arrive (an earlier-dated report, a backfilled article), the rule can fire on another day,
    under another key, about the same events. An incident is the rule and its ``detail`` (the
    actor pair of a relationship or shift alert), or, for count and rise alerts, any evidence
    event already behind an alert of that rule.
    """

    def __init__(self, alerts: Iterable[dict[str, Any]] = ()) -> None:
        self.details: set[tuple[str, str]] = set()
        self.events: dict[str, set[int]] = defaultdict(set)
        for alert in alerts:
            self.add(alert)

    @staticmethod
    def _detail(alert: dict[str, Any]) -> str:
        return alert["key"].rsplit("|", 1)[-1]

    def add(self, alert: dict[str, Any]) -> None:
        if detail := self._detail(alert):
            self.details.add((alert["rule"], detail))
        else:
            self.events[alert["rule"]].update(e["event_id"] for e in alert.get("evidence", []))

    def known(self, alert: dict[str, Any]) -> bool:
        if detail := self._detail(alert):
            return (alert["rule"], detail) in self.details
        behind = {e["event_id"] for e in alert.get("evidence", [])}
        return bool(behind & self.events.get(alert["rule"], set()))


def append_log(path: Path, alerts: Iterable[dict[str, Any]], *, logged_at: str) -> int:
    """Append alerts to a JSONL log, one per line with ``logged_at``; returns how many."""
    lines = [json.dumps(a | {"logged_at": logged_at}, ensure_ascii=False) for a in alerts]
    if lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
    return len(lines)


class AlertLog:
    """Evaluates rules after each watch cycle; logs (and posts) every incident once.

    Keys and incidents already in the JSONL log are not logged again, so a restarted watcher, or a cron job
    running ``watch --once``, reports each alert exactly once. ``post`` (e.g. a webhook) gets
    each new alert; its failures are returned as messages, never raised.
    """

    def __init__(self, rules: Sequence[Rule], path: Path,
                 post: Callable[[dict[str, Any]], None] | None = None) -> None:  # fmt: skip
        self.rules = list(rules)
        self.path = path
        self.post = post
        logged = _logged(path)
        self.known = {alert["key"] for alert in logged}
        self.incidents = Incidents(logged)

    def check(self, session: Session, *, at: str) -> tuple[list[dict[str, Any]], list[str]]:
        """(new alerts, delivery errors) for the store as it is now; an alert about an incident
        already alerted (see :class:`Incidents`) is not new, whatever its key."""
        new = []
        for alert in evaluate(self.rules, queries.event_facts(session)):
            if alert["key"] in self.known or self.incidents.known(alert):
                continue
            new.append(alert)
            self.incidents.add(alert)
        append_log(self.path, new, logged_at=at)
        self.known.update(a["key"] for a in new)
        errors = []
        for alert in new if self.post else []:
            try:
                self.post(alert)  # type: ignore[misc]
            except EventwireError as exc:
                errors.append(f"alert {alert['key']}: {exc}")
        return new, errors


def webhook_poster(fetcher: Any, url: str) -> Callable[[dict[str, Any]], None]:
    """POST an alert as JSON to ``url``; a non-2xx answer is a FetchError."""
    from eventwire.analyse.fetch import FetchError

    def post(alert: dict[str, Any]) -> None:
        response = fetcher.post_json(url, alert)
        if not response.ok:
            raise FetchError(f"webhook {url}: HTTP {response.status}")

    return post
