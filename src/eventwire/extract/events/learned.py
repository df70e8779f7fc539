"""A learned filter over candidate codings: its probability is the event's ``confidence``.

The rule coder proposes; this filter judges each proposal with what the pipeline already knows
(trigger lemma and category, how the trigger sits in the parse, what kind of entities fill the
slots, modality, position in the article) and gives the probability that an analyst would accept
the coding (the right category and at least one right actor: a lenient match in the gold
corpus). Events below the threshold chosen on the dev split are not emitted.

The weights are a logistic regression trained by ``scripts/train_event_models.py`` on the gold
corpus's train split (never dev for fitting, never test), shipped as
``data/models/event_filter.json`` and loaded once. Inference is a dot product over named
features, so the filter costs microseconds per event and needs no learning library at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from eventwire.errors import DataError

MODELS = Path(__file__).resolve().parents[2] / "data" / "models"
MODEL_FILE = MODELS / "event_filter.json"
TYPES_FILE = MODELS / "event_types.json"
FEATURES_VERSION = 1
_TRIGGER_DEPS = frozenset(
    [
        "ROOT",
        "conj",
        "ccomp",
        "xcomp",
        "advcl",
        "relcl",
        "acl",
        "amod",
        "pcomp",
        "pobj",
        "dobj",
        "nsubj",
        "nsubjpass",
        "compound",
        "appos",
        "attr",
        "npadvmod",
    ]
)


def _bucket(value: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _slot(prefix: str, ids: Sequence[str], types: Mapping[str, str], kb: Mapping[str, str | None]):
    if not ids:
        return {f"{prefix}=none": 1.0}
    first = ids[0]
    kind = types.get(first, "?")
    if (kb.get(first) or "").startswith("agent:"):
        kind = "agent"
    return {f"{prefix}={kind}": 1.0, f"{prefix}_many": float(len(ids) > 1)}


_CONDITIONS = frozenset({"if", "unless", "whether", "once", "until"})
_EMBEDDED = frozenset({"xcomp", "ccomp", "advcl", "acl", "relcl", "pcomp", "pobj", "dobj"})


def _verb_form(trigger: Token) -> dict[str, float]:
    """How the trigger's clause is framed: modal, infinitive, condition, question, passive."""
    children = list(trigger.children)
    head = trigger.head
    conditional = any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in children) or (
        trigger.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in head.children)
    )
    form = {
        "modal_aux": float(any(c.tag_ == "MD" for c in children)),
        "to_infinitive": float(any(c.dep_ == "aux" and c.lower_ == "to" for c in children)),
        "negated_child": float(any(c.dep_ == "neg" for c in children)),
        "passive": float(any(c.dep_ in ("nsubjpass", "auxpass") for c in children)),
        "by_agent": float(any(c.dep_ == "agent" for c in children)),
        "conditional": float(conditional),
        "subject_pronoun": float(
            any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in children)
        ),
    }
    if trigger.dep_ in _EMBEDDED and head is not trigger:
        form[f"head_pos={head.pos_}"] = 1.0
        form[f"head_lemma={head.lemma_.lower()}"] = 1.0
    return form


def event_features(
    *,
    trigger: Token,
    kind: str,
    origin: str,
    specific: bool,
    event_type: str,
    sources: Sequence[str],
    targets: Sequence[str],
    types: Mapping[str, str],
    kb: Mapping[str, str | None],
    modality: str,
    attributed: bool,
    dated: bool,
    in_quote: bool,
    sent: Span,
    sentence_index: int,
    events_in_sentence: int,
) -> dict[str, float]:
    """Named features of one candidate coding (all cheap reads of what the stages found)."""
    lemma = trigger.lemma_.lower()
    dep = _dep(trigger)
    features = {
        f"lemma={lemma}": 1.0,
        f"kind={kind}": 1.0,
        f"origin={'petrarch' if origin == 'petrarch' else 'curated'}": 1.0,
        "user_dictionary": float(origin not in ("petrarch", "curated")),
        "specific": float(specific),
        f"dep={dep}": 1.0,
        f"tag={trigger.tag_}": 1.0,
        f"modality={modality}": 1.0,
        "attributed": float(attributed),
        "dated": float(dated),
        "in_quote": float(in_quote),
        f"sentence={_bucket(sentence_index, (0, 2, 6))}": 1.0,
        f"events_in_sentence={_bucket(events_in_sentence, (1, 2))}": 1.0,
        f"sentence_words={_bucket(len(sent), (12, 30, 50))}": 1.0,
        "question": float(sent.text.rstrip().endswith("?")),
        "title_case_trigger": float(trigger.is_title and trigger.i != sent.start),
    }
    features.update(_slot("source", sources, types, kb))
    features.update(_slot("target", targets, types, kb))
    features.update(_verb_form(trigger))
    features.update(_dependents(trigger, kind))
    features.update(typed_features(features, event_type))
    return {k: v for k, v in features.items() if v}


#: Features that name the event's category; the type model reads the others, and the filter
#: reads them again for the category the type model settled on.
TYPED_PREFIXES = ("type=", "lemma_type=", "type_dep=")
_ARGUMENT_DEPS = frozenset({"dobj", "dative", "attr", "acomp", "xcomp", "ccomp", "prt", "agent"})


def _dep(trigger: Token) -> str:
    return trigger.dep_ if trigger.dep_ in _TRIGGER_DEPS else "other"


def typed_features(features: Mapping[str, float], event_type: str) -> dict[str, float]:
    """The category's own features: alone, with the trigger lemma, with its place in the parse."""
    lemma = next((k[6:] for k in features if k.startswith("lemma=")), "")
    dep = next((k[4:] for k in features if k.startswith("dep=")), "other")
    return {
        f"type={event_type}": 1.0,
        f"lemma_type={lemma}|{event_type}": 1.0,
        f"type_dep={event_type}|{dep}": 1.0,
    }


def untyped(features: Mapping[str, float]) -> dict[str, float]:
    """The features that do not name a category (what the type model reads)."""
    return {k: v for k, v in features.items() if not k.startswith(TYPED_PREFIXES)}


def _dependents(trigger: Token, kind: str) -> dict[str, float]:
    """The words that say what kind of act it is: objects, particles, prepositions and their
    objects ("imposed tariffs", "pleaded guilty", "called for talks"), the verb above a noun."""
    found: dict[str, float] = {}
    for child in trigger.children:
        if child.dep_ in _ARGUMENT_DEPS:
            found[f"child={child.dep_}:{child.lemma_.lower()}"] = 1.0
        elif child.dep_ == "prep":
            found[f"prep={child.lower_}"] = 1.0
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    found[f"pobj={child.lower_}:{pobj.lemma_.lower()}"] = 1.0
    if kind == "nominal" and trigger.head is not trigger:
        found[f"governor={trigger.head.lemma_.lower()}"] = 1.0
    return found


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Logistic-regression weights over named features, and the default threshold."""

    weights: Mapping[str, float]
    bias: float
    threshold: float
    version: int = FEATURES_VERSION

    def probability(self, features: Mapping[str, float]) -> float:
        score = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(min(score, 40.0), -40.0)))


@dataclass(frozen=True, slots=True)
class TypeModel:
    """A multinomial logistic regression over untyped features plus the rules' category.

    The rules' category is itself a feature (``rule_type=X``), so the model learns when the
    dictionary is right and when the context says otherwise ("charged" with a crime is COERCE,
    not ACCUSE; tariffs imposed are SANCTION). A candidate is retyped only when the model prefers
    another category by at least ``margin`` in probability (chosen on the dev split).
    """

    weights: Mapping[str, Mapping[str, float]]  # category -> feature -> weight
    bias: Mapping[str, float]
    margin: float

    def probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        scores = {
            kind: self.bias.get(kind, 0.0) + sum(table.get(k, 0.0) * v for k, v in features.items())
            for kind, table in self.weights.items()
        }
        top = max(scores.values())
        exp = {kind: math.exp(score - top) for kind, score in scores.items()}
        total = sum(exp.values())
        return {kind: value / total for kind, value in exp.items()}

    def retype(self, features: Mapping[str, float], current: str) -> str:
        """The category to code: the rules' unless the model prefers another by ``margin``."""
        probs = self.probabilities({**untyped(features), f"rule_type={current}": 1.0})
        best = max(probs, key=probs.__getitem__)
        if best != current and probs[best] - probs.get(current, 0.0) >= self.margin:
            return best
        return current


def _model_data(path: Path) -> dict | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("features_version") != FEATURES_VERSION:
        raise DataError(
            f"{path}: trained for features version {data.get('features_version')}, "
            f"this code computes version {FEATURES_VERSION}; retrain with "
            "scripts/train_event_models.py"
        )
    return data


@lru_cache(maxsize=4)
def load_types(path: Path = TYPES_FILE) -> TypeModel | None:
    """The shipped type model (None when no weights file exists: the rules' category is kept)."""
    data = _model_data(path)
    if data is None:
        return None
    return TypeModel(weights=data["weights"], bias=data["bias"], margin=float(data["margin"]))


@lru_cache(maxsize=4)
def load_filter(path: Path = MODEL_FILE) -> EventFilter | None:
    """The shipped filter (None when no weights file exists: rule confidence is kept)."""
    data = _model_data(path)
    if data is None:
        return None
    return EventFilter(
        weights=data["weights"], bias=float(data["bias"]), threshold=float(data["threshold"])
    )
