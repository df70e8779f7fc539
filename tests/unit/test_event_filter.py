"""The learned event filter: features read from a hand-built parse, probabilities, thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.unit.test_events import make_doc

from eventwire.errors import DataError
from eventwire.extract.events import EventsStage
from eventwire.extract.events.learned import (
    FEATURES_VERSION,
    EventFilter,
    event_features,
    load_filter,
)


def _features(doc, trigger: int, **changes):  # noqa: ANN001, ANN202
    """event_features of doc[trigger] with a plain verbal candidate's defaults."""
    args = {
        "trigger": doc[trigger],
        "kind": "verbal",
        "origin": "curated",
        "specific": False,
        "event_type": "COERCE",
        "sources": [],
        "targets": [],
        "types": {},
        "kb": {},
        "modality": "asserted",
        "attributed": False,
        "dated": False,
        "in_quote": False,
        "sent": doc[:],
        "sentence_index": 0,
        "events_in_sentence": 1,
    }
    return event_features(**{**args, **changes})


def _doc():
    return make_doc(
        [
            ("Police", 1, "nsubj", "NOUN", "NNS", "police", ""),
            ("arrested", 1, "ROOT", "VERB", "VBD", "arrest", ""),
            ("Smith", 1, "dobj", "PROPN", "NNP", "Smith", "PERSON"),
            (".", 1, "punct", "PUNCT", ".", ".", ""),
        ]
    )


def test_features_describe_the_trigger_and_its_slots() -> None:
    doc = _doc()
    features = _features(doc, 1, targets=["e1"], types={"e1": "PERSON"}, kb={"e1": None})
    assert features["lemma_type=arrest|COERCE"] == 1.0
    assert features["dep=ROOT"] == features["source=none"] == features["target=PERSON"] == 1.0
    assert "passive" not in features  # zero features are left out


def test_probability_is_a_logistic_of_named_weights() -> None:
    model = EventFilter(weights={"a": 2.0, "b": -1.0}, bias=-1.0, threshold=0.5)
    assert model.probability({}) == pytest.approx(0.2689, abs=1e-4)
    assert model.probability({"a": 1.0}) == pytest.approx(0.7311, abs=1e-4)
    assert model.probability({"a": 1.0, "b": 1.0, "unknown": 1.0}) == pytest.approx(0.5)
    assert 0.0 < model.probability({"a": 1e9}) <= 1.0


def test_a_model_for_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "filter.json"
    path.write_text(json.dumps({"features_version": FEATURES_VERSION + 1}))
    with pytest.raises(DataError, match="retrain"):
        load_filter(path)
    assert load_filter(tmp_path / "missing.json") is None


def test_threshold_drops_events_and_confidence_is_the_probability() -> None:
    keep_all = EventsStage(min_confidence=0.0)
    keep_all.filter = EventFilter(weights={"lemma=arrest": 3.0}, bias=-1.0, threshold=0.5)
    [event] = keep_all(_doc())._.ew_events
    assert event.confidence == pytest.approx(0.881, abs=1e-3)
    strict = EventsStage()
    strict.filter = EventFilter(weights={"lemma=arrest": -3.0}, bias=-1.0, threshold=0.5)
    assert strict(_doc())._.ew_events == []
    assert strict.threshold() == 0.5


def test_a_condition_and_the_governing_word_are_features() -> None:
    doc = make_doc(
        [
            ("If", 2, "mark", "SCONJ", "IN", "if", ""),
            ("rebels", 2, "nsubj", "NOUN", "NNS", "rebel", ""),
            ("attack", 6, "advcl", "VERB", "VBP", "attack", ""),
            ("Kano", 2, "dobj", "PROPN", "NNP", "Kano", "GPE"),
            (",", 6, "punct", "PUNCT", ",", ",", ""),
            ("troops", 6, "nsubj", "NOUN", "NNS", "troop", ""),
            ("respond", 6, "ROOT", "VERB", "VBP", "respond", ""),
            (".", 6, "punct", "PUNCT", ".", ".", ""),
        ]
    )
    features = _features(
        doc,
        2,
        origin="petrarch",
        event_type="ASSAULT",
        modality="hypothetical",
        sentence_index=3,
        events_in_sentence=2,
    )
    assert features["conditional"] == 1.0
    assert features["head_lemma=respond"] == features["head_pos=VERB"] == 1.0
    assert features["sentence=<=6"] == 1.0


def test_type_model_retypes_only_past_its_margin() -> None:
    from eventwire.extract.events.learned import TypeModel

    model = TypeModel(
        weights={"COERCE": {"lemma=charge": 2.0}, "ACCUSE": {"rule_type=ACCUSE": 1.0}},
        bias={"COERCE": 0.0, "ACCUSE": 0.0},
        margin=0.3,
    )
    probs = model.probabilities({"lemma=charge": 1.0, "rule_type=ACCUSE": 1.0})
    assert probs["COERCE"] == pytest.approx(0.7311, abs=1e-4)
    assert model.retype({"lemma=charge": 1.0, "type=ACCUSE": 1.0}, "ACCUSE") == "COERCE"
    strict = TypeModel(weights=model.weights, bias=model.bias, margin=0.6)
    assert strict.retype({"lemma=charge": 1.0}, "ACCUSE") == "ACCUSE"
