"""The gold-corpus scorer on hand-made records: exact, partial and spurious matches, one to one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventwire.eval.gold.align import Alignment
from eventwire.eval.gold.corpus import GoldError, load_gold, parse_gold
from eventwire.eval.gold.score import (
    PredArticle,
    PredEntity,
    PredEvent,
    Tally,
    from_gold,
    one_to_one,
    score_article,
)
from eventwire.eval.gold.split import SPLITS, split_of

TEXT = (
    "Border guards detained two fishermen on Monday. "
    "The ministry condemned the arrests. "
    "Officials said talks would resume."
)


def _span(needle: str, text: str = TEXT) -> list[int]:
    start = text.index(needle)
    return [start, start + len(needle)]


def _gold(events: list[dict]) -> dict:
    return {
        "article": "x-1",
        "annotator": "T",
        "text_sha256": "0" * 64,
        "published": "2024-03-13",
        "entities": [
            {
                "id": "g1",
                "name": "border guards",
                "type": "ORG",
                "generic": True,
                "mentions": [_span("Border guards")],
            },
            {
                "id": "g2",
                "name": "fishermen",
                "type": "OTHER",
                "generic": True,
                "mentions": [_span("fishermen")],
            },
            {
                "id": "g3",
                "name": "the ministry",
                "type": "ORG",
                "generic": True,
                "mentions": [_span("ministry")],
            },
        ],
        "events": events,
        "quotes": [],
    }


DETAIN = {
    "id": "v1",
    "type": "COERCE",
    "trigger": _span("detained"),
    "evidence": [_span("Border guards detained two fishermen")],
    "source": ["g1"],
    "target": ["g2"],
    "date": "2024-03-11",
    "modality": "asserted",
}
CONDEMN = {
    "id": "v2",
    "type": "ACCUSE",
    "trigger": _span("condemned"),
    "evidence": [_span("The ministry condemned the arrests")],
    "source": ["g3"],
    "target": ["g1"],
    "date": None,
    "modality": "asserted",
}

GUARDS = PredEntity("Border guards", "ORG", (tuple(_span("Border guards")),))
FISHERMEN = PredEntity("fishermen", "OTHER", (tuple(_span("fishermen")),))
MINISTRY = PredEntity("ministry", "ORG", (tuple(_span("ministry")),))
FIRST = (0, TEXT.index(".") + 1)
SECOND = (FIRST[1] + 1, TEXT.index(".", FIRST[1]) + 1)
THIRD = (SECOND[1] + 1, len(TEXT))


def _score(pred: list[PredEvent], events: list[dict], text: str = TEXT) -> Tally:
    tally = Tally()
    gold = parse_gold(_gold(events))
    score_article(gold, TEXT, PredArticle(text, pred, published="2024-03-13"), tally, words=15)
    return tally


def test_exact_match_is_strict_and_lenient() -> None:
    pred = [PredEvent("COERCE", FIRST, (GUARDS,), (FISHERMEN,), date="2024-03-11")]
    tally = _score(pred, [DETAIN])
    assert (tally.counts["strict"], tally.counts["lenient"]) == (1, 1)
    assert tally.ratio("date_right", "date_gold") == 1.0


def test_one_right_actor_is_lenient_only() -> None:
    pred = [PredEvent("COERCE", FIRST, (GUARDS,), (MINISTRY,))]
    tally = _score(pred, [DETAIN])
    assert (tally.counts["strict"], tally.counts["lenient"]) == (0, 1)


def test_wrong_type_matches_nothing() -> None:
    pred = [PredEvent("ASSAULT", FIRST, (GUARDS,), (FISHERMEN,))]
    tally = _score(pred, [DETAIN])
    assert (tally.counts["strict"], tally.counts["lenient"]) == (0, 0)
    assert tally.counts["pred_no_event_sentence"] == 0  # the sentence does hold an event


def test_spurious_event_in_an_empty_sentence() -> None:
    pred = [PredEvent("CONSULT", THIRD, (MINISTRY,), ())]
    tally = _score(pred, [DETAIN, CONDEMN])
    assert tally.counts["lenient"] == 0
    assert tally.ratio("pred_no_event_sentence", "pred") == 1.0


def test_a_second_coding_of_one_occurrence_is_a_false_positive() -> None:
    pred = [PredEvent("COERCE", FIRST, (GUARDS,), (FISHERMEN,))] * 2
    tally = _score(pred, [DETAIN])
    assert tally.counts["strict"] == 1 and tally.counts["pred"] == 2


def test_one_to_one_prefers_a_full_matching() -> None:
    assert one_to_one([(0, 0), (0, 1), (1, 0)]) == [(0, 1), (1, 0)]
    assert one_to_one([]) == []


def test_evidence_outside_the_reference_is_unmatched() -> None:
    extra = "Read more: subscribe to our newsletter for the latest news today. "
    shifted = extra + TEXT
    start = len(extra)
    pred = [
        PredEvent("COERCE", (start, start + FIRST[1]), (GUARDS,), ()),
        PredEvent("PROTEST", (0, len(extra) - 1), (), ()),
    ]
    tally = _score(pred, [DETAIN], text=shifted)
    assert tally.counts["lenient"] == 1
    assert tally.counts["pred_no_event_sentence"] == 1


def test_alignment_ignores_quotes_and_spacing() -> None:
    align = Alignment("He said \u201cno\u201d  to  it.", 'He said "no" to it.')
    assert align.map_span((9, 11)) == (9, 11)
    assert Alignment("totally different words", TEXT).map_span((0, 7)) is None


def test_second_annotator_agrees_with_itself() -> None:
    gold = parse_gold(_gold([DETAIN, CONDEMN]))
    tally = Tally()
    score_article(gold, TEXT, from_gold(gold, TEXT), tally, words=15)
    assert tally.counts["strict"] == tally.counts["gold"] == 2


def test_loader_rejects_a_malformed_annotation(tmp_path: Path) -> None:
    bad = _gold([{**DETAIN, "type": "ATTACK"}])
    path = tmp_path / "x-1.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(GoldError, match=r"x-1\.json: event v1\.type: 'ATTACK' is not one of"):
        load_gold(path)
    path.write_text(json.dumps(_gold([{**DETAIN, "source": ["g9"]}])))
    with pytest.raises(GoldError, match="unknown entity 'g9'"):
        load_gold(path)
    path.write_text("{not json")
    with pytest.raises(GoldError, match="x-1.json"):
        load_gold(path)


def test_split_is_stable_and_covers_all_splits() -> None:
    keys = [f"corpus-{i}" for i in range(400)]
    first = [split_of(k) for k in keys]
    assert first == [split_of(k) for k in keys]
    assert set(first) == set(SPLITS)
    assert 0.28 < first.count("test") / len(keys) < 0.44
    assert split_of("trnews-1040001") == split_of("trnews-1040001")


def test_plv_extra_events_per_sentence() -> None:
    from eventwire.eval.suites.events_plover import GoldRow, Predicted, extra_per_sentence

    rows = [
        GoldRow("A met B.", (0, 1), (6, 7), frozenset({"CONSULT"}), "CONSULT"),
        GoldRow("C hit D and E.", (0, 1), (6, 7), frozenset({"ASSAULT"}), "ASSAULT"),
        GoldRow("C hit D and E.", (0, 1), (12, 13), frozenset({"ASSAULT"}), "ASSAULT"),
    ]
    one = Predicted("CONSULT", ((0, 1),), ((6, 7),))
    preds = {"A met B.": [one, one, one], "C hit D and E.": [one]}
    assert extra_per_sentence(rows, preds) == 1.0  # two extra in the first, none in the second
    assert extra_per_sentence(rows, {}) == 0.0
    assert extra_per_sentence([], preds) == 0.0


def test_agreement_of_two_annotators() -> None:
    from eventwire.eval.gold.agreement import agreement

    first = parse_gold(_gold([DETAIN, CONDEMN]))
    same = agreement([(first, first, TEXT)])
    assert (same.strict_f1, same.lenient_f1, same.type_agreement) == (1.0, 1.0, 1.0)
    other = parse_gold(_gold([{**DETAIN, "type": "ASSAULT"}]))
    half = agreement([(first, other, TEXT)])
    assert half.lenient_f1 == 0.0
    assert half.located_f1 == pytest.approx(2 / 3)
    assert half.type_agreement == 0.0


def test_floors_of_lower_is_better_metrics_are_ceilings() -> None:
    from eventwire.eval.base import Metric, SuiteResult
    from eventwire.eval.runner import floors_check

    result = SuiteResult(
        suite="s",
        metrics=[
            Metric("p", 0.5, key="p"),
            Metric("noise", 0.2, higher_is_better=False, key="noise"),
        ],
    )
    assert floors_check([result], {"p": 0.4, "noise": 0.3}) == []
    assert floors_check([result], {"p": 0.6, "noise": 0.1}) == [
        "p: 0.5000 < floor 0.6000",
        "noise: 0.2000 > ceiling 0.1000",
    ]


def test_the_one_to_one_matching_is_maximal_and_the_same_in_every_run() -> None:
    """Kuhn's algorithm in index order: maximal, and independent of the hash seed (a matching
    over hashed nodes chose among equal matchings differently per run)."""
    import subprocess
    import sys

    from eventwire.eval.gold.score import one_to_one

    pairs = [(p, g) for p in range(8) for g in range(8) if (p + g) % 3]
    matched = one_to_one(pairs)
    assert len(matched) == 8 and len({g for _, g in matched}) == 8
    assert set(matched) <= set(pairs)
    assert one_to_one([(0, 0), (1, 0), (1, 1)]) == [(0, 0), (1, 1)]  # augmenting path
    code = f"from eventwire.eval.gold.score import one_to_one;print(one_to_one({pairs!r}))"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(runs) == 1
