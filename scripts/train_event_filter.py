"""Train the event filter (``src/eventwire/data/models/event_filter.json``) on CPU, seeded.

    pip install -e ".[train]"
    python scripts/train_event_filter.py [--plv-weight 0.5] [--out FILE]

Data (nothing else is read):
- the gold corpus's **train** split (``eval-data/articles``): every candidate coding the rule coder
  proposes, labelled right when it is a lenient match of a gold event (right category and at
  least one right actor), wrong otherwise;
- with ``--plv-weight`` > 0, the **tune 70%** of ``../shared/eval/zsp-plv/PLV_train.tsv`` (the
  same seeded split as the events-plover suite; never its held-out 30%): a candidate is right when
  it codes a gold row's pair with the gold category, wrong when its sentence's gold rows do not
  hold it; rows weigh ``--plv-weight`` each.
The **dev** split chooses the regularisation and the threshold (the one that maximises F0.5 of
lenient matches: precision counts twice as much as recall). The test split is never read.
The script prints the dev figures and writes a reliability table (predicted probability vs.
share right, in bins) into the model file, for the README.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from eventwire import nlp as nlp_module
from eventwire.eval.base import default_data_dir
from eventwire.eval.gold.score import from_record, lenient_labels
from eventwire.eval.suites.events_articles import load_cases, read_cases
from eventwire.extract.build import build_record
from eventwire.extract.event_filter import FEATURES_VERSION, MODEL_FILE

SEED = 20261207
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
BETA = 0.5


def gold_rows(split: str, nlp) -> tuple[list[dict], list[int], int]:
    """(features, labels, number of gold events) of every candidate on one split."""
    cases = [c for c in load_cases(default_data_dir()) if c.split == split]
    feats, labels, gold_events = [], [], 0
    for case, doc in read_cases(cases, nlp):
        gold_events += len(case.gold.events)
        if doc is None:
            continue
        record = build_record(doc)
        pred = from_record(record)
        right = lenient_labels(case.gold, case.source.text, pred)
        table = doc._.ew_event_features or {}
        for event, ok in zip(record.events, right, strict=True):
            feats.append(table[event.id])
            labels.append(int(ok))
    return feats, labels, gold_events


def plv_rows(nlp) -> tuple[list[dict], list[int]]:
    """Candidates on the PLV tune split, labelled against its gold rows."""
    from eventwire.eval.suites import events_plover as plv

    rows = plv.load_rows(default_data_dir() / "zsp-plv" / "PLV_train.tsv")
    tune, _ = plv.split_rows(rows)
    by_sentence: dict[str, list] = {}
    for row in tune:
        by_sentence.setdefault(row.sentence, []).append(row)
    texts = sorted(by_sentence)
    feats, labels = [], []
    for text, doc in zip(texts, plv.annotate(nlp, texts), strict=True):
        table = doc._.ew_event_features or {}
        preds = plv.predictions(doc)["entity"]
        for event, pred in zip(doc._.ew_events or [], preds, strict=True):
            ok = any(plv.pair_match(pred, r) and pred.type in r.labels for r in by_sentence[text])
            feats.append(table[event.id])
            labels.append(int(ok))
    return feats, labels


def choose_threshold(probs: np.ndarray, labels: np.ndarray, gold: int) -> tuple[float, dict]:
    """The threshold with the best F0.5 of lenient matches on dev, and the figures there."""
    best = (-1.0, 0.0, {})
    for threshold in np.arange(0.05, 0.95, 0.01):
        kept = probs >= threshold
        tp = int((labels[kept] == 1).sum())
        p = tp / kept.sum() if kept.sum() else 0.0
        r = tp / gold if gold else 0.0
        f = (1 + BETA**2) * p * r / (BETA**2 * p + r) if p + r else 0.0
        if f > best[0]:
            best = (f, float(threshold), {"precision": p, "recall": r, "kept": int(kept.sum())})
    return round(best[1], 2), best[2]


def reliability(probs: np.ndarray, labels: np.ndarray, bins: int = 5) -> list[dict]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    table = []
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        inside = (probs >= low) & (probs < high if high < 1.0 else probs <= high)
        if inside.sum():
            table.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "n": int(inside.sum()),
                    "mean_probability": round(float(probs[inside].mean()), 3),
                    "share_right": round(float(labels[inside].mean()), 3),
                }
            )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plv-weight", type=float, default=0.0)
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    nlp = nlp_module.load()
    stage = nlp.get_pipe("eventwire_events")
    stage.min_confidence, stage.filter = 0.0, None  # every candidate, rule confidence
    train_x, train_y, _ = gold_rows("train", nlp)
    weights = [1.0] * len(train_y)
    data = ["gold corpus train split"]
    if args.plv_weight > 0:
        plv_x, plv_y = plv_rows(nlp)
        train_x, train_y = train_x + plv_x, train_y + plv_y
        weights += [args.plv_weight] * len(plv_y)
        data.append(f"PLV_train.tsv tune 70% (weight {args.plv_weight})")
    dev_x, dev_y, dev_gold = gold_rows("dev", nlp)
    vectorizer = DictVectorizer()
    x_train = vectorizer.fit_transform(train_x)
    x_dev = vectorizer.transform(dev_x)
    y_train, y_dev = np.array(train_y), np.array(dev_y)
    best = None
    for c in C_GRID:
        model = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
        model.fit(x_train, y_train, sample_weight=np.array(weights))
        probs = model.predict_proba(x_dev)[:, 1]
        eps = 1e-9
        loss = -np.mean(y_dev * np.log(probs + eps) + (1 - y_dev) * np.log(1 - probs + eps))
        print(f"C={c}: dev log-loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, c, model, probs)
    assert best is not None
    loss, c, model, probs = best
    threshold, at = choose_threshold(probs, y_dev, dev_gold)
    names = vectorizer.get_feature_names_out()
    coefs = {str(n): round(float(w), 5) for n, w in zip(names, model.coef_[0], strict=True) if w}
    out = {
        "features_version": FEATURES_VERSION,
        "trained": date.today().isoformat(),
        "seed": SEED,
        "data": data,
        "candidates": {"train": len(train_y), "train_right": int(sum(train_y)), "dev": len(dev_y)},
        "C": c,
        "dev_log_loss": round(float(loss), 4),
        "threshold": threshold,
        "dev_at_threshold": {k: round(v, 3) if isinstance(v, float) else v for k, v in at.items()},
        "dev_reliability": reliability(probs, y_dev),
        "bias": round(float(model.intercept_[0]), 5),
        "weights": dict(sorted(coefs.items())),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out.items() if k != "weights"}, indent=1))


if __name__ == "__main__":
    main()
