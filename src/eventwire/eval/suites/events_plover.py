"""Suite ``events-plover``: PLOVER who-did-what-to-whom on PLV sentences and NGEC stories.

PLV (zsp-plv/PLV_train.tsv): each row is a sentence with a marked source and target and the gold
PLOVER root (old names: YIELD -> CONCEDE or RETREAT, DEMAND -> REQUEST). The sentences are split
once, by sentence, with a fixed seed: 70% "tune" (the only part ever looked at while writing
rules) and 30% "held-out", reported separately. A gold triple is recalled when one event has the
gold category, a source whose actor mentions overlap the marked source and a target whose actor
mentions overlap the marked target (CONSULT, being reciprocal in PLOVER, may have them in either
slot, and so may any event whose only actors are a coordinated source: PLOVER codes reciprocal
actors together in the actor field). "argument" figures match the event's argument phrases instead of entity mentions, which
shows how much is lost only because an argument is not a named entity.

Baseline (same run): bare spaCy NER + a bag-of-words dictionary lookup with no parse: source =
the first named entity, target = the next one, category = the first word after the source found
in the same PLOVER verb/noun dictionaries (bare entries only).

NGEC (ngec-synthetic, silver): per-category document recall, i.e. whether any event of the
story's label is found in the generated story.
"""

from __future__ import annotations

import csv
import io
import random
import re
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from eventwire.eval.base import Language, Metric, Suite, SuiteResult, unavailable
from eventwire.extract.events.lexicon import LEGACY_NAMES, Lexicon, load_lexicon
from eventwire.ingest import PreparedArticle, article_id

DATA = "zsp-plv"
SPLIT_SEED = 20240601
TUNE_SHARE = 0.7
QUICK_ROWS = 120
QUICK_SEED = 13
NGEC_PER_LABEL = {True: 4, False: 40}
SYMMETRIC = {"CONSULT"}
_TAG = re.compile(r"</?[st]>")


@dataclass(frozen=True, slots=True)
class GoldRow:
    sentence: str
    source: tuple[int, int]
    target: tuple[int, int]
    labels: frozenset[str]  # acceptable current PLOVER names for the gold root
    gold: str  # the gold root as written


def gold_labels(root: str) -> frozenset[str]:
    """Current PLOVER names for a gold root (YIELD covered both CONCEDE and RETREAT)."""
    if root == "YIELD":
        return frozenset({"CONCEDE", "RETREAT"})
    return frozenset({LEGACY_NAMES.get(root, root)})


def marked_offsets(marked: str, tag: str) -> tuple[int, int] | None:
    """Offsets, in the unmarked sentence, of the text between <tag> and </tag>."""
    start = marked.find(f"<{tag}>")
    end = marked.find(f"</{tag}>")
    if start < 0 or end < 0:
        return None
    begin = len(_TAG.sub("", marked[:start]))
    return begin, begin + len(_TAG.sub("", marked[start:end]))


def load_rows(path: Path) -> list[GoldRow]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for raw in csv.DictReader(handle, delimiter="\t"):
            marked = raw["marked_sentence"]
            src, tgt = marked_offsets(marked, "s"), marked_offsets(marked, "t")
            if src is None or tgt is None:
                continue
            rows.append(
                GoldRow(
                    _TAG.sub("", marked), src, tgt, gold_labels(raw["gold_root"]), raw["gold_root"]
                )
            )
    return rows


def split_rows(rows: list[GoldRow]) -> tuple[list[GoldRow], list[GoldRow]]:
    """(tune 70%, held-out 30%) by sentence, with a fixed seed: the split never changes."""
    sentences = sorted({r.sentence for r in rows})
    random.Random(SPLIT_SEED).shuffle(sentences)
    tune = set(sentences[: round(len(sentences) * TUNE_SHARE)])
    return [r for r in rows if r.sentence in tune], [r for r in rows if r.sentence not in tune]


def _overlaps(spans: Iterable[tuple[int, int]], gold: tuple[int, int]) -> bool:
    return any(s < gold[1] and gold[0] < e for s, e in spans)


@dataclass(frozen=True, slots=True)
class Predicted:
    type: str
    source: tuple[tuple[int, int], ...]
    target: tuple[tuple[int, int], ...]


def entity_spans(doc: Doc, ids: list[str]) -> tuple[tuple[int, int], ...]:
    wanted = set(ids)
    return tuple(
        (m.start, m.end)
        for ent in doc._.ew_entities or []
        if ent.id in wanted
        for m in ent.mentions
    )


def predictions(doc: Doc) -> dict[str, list[Predicted]]:
    """Per mode ("entity", "argument"): the events of a doc as spans to match gold against."""
    args = doc._.ew_event_arguments or {}
    out: dict[str, list[Predicted]] = {"entity": [], "argument": []}
    for event in doc._.ew_events or []:
        out["entity"].append(
            Predicted(
                event.type,
                entity_spans(doc, event.actors.source),
                entity_spans(doc, event.actors.target),
            )
        )
        spans = args.get(event.id, {})
        out["argument"].append(
            Predicted(
                event.type,
                tuple(map(tuple, spans.get("source", []))),
                tuple(map(tuple, spans.get("target", []))),
            )
        )
    return out


def pair_match(pred: Predicted, row: GoldRow) -> bool:
    if _overlaps(pred.source, row.source) and _overlaps(pred.target, row.target):
        return True
    reciprocal = len(pred.source) >= 2 and not pred.target  # "A and B signed a deal"
    if pred.type in SYMMETRIC or reciprocal:
        pool = pred.source + pred.target
        return _overlaps(pool, row.source) and _overlaps(pool, row.target)
    return False


def score_rows(rows: list[GoldRow], preds: dict[str, list[Predicted]]) -> dict[str, float]:
    """Triple recall, pair recall and category accuracy given the pair."""
    triples = pairs = typed = 0
    for row in rows:
        matched = [p for p in preds.get(row.sentence, []) if pair_match(p, row)]
        pairs += bool(matched)
        hit = any(p.type in row.labels for p in matched)
        triples += hit
        typed += hit
    n = len(rows) or 1
    return {"triple": triples / n, "pair": pairs / n, "category|pair": typed / (pairs or 1)}


def per_category(rows: list[GoldRow], preds: dict[str, list[Predicted]]) -> dict[str, dict]:
    """Per gold category: recall of triples; precision over rows whose pair was found."""
    gold_n: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for row in rows:
        label = sorted(row.labels)[0]
        gold_n[label] += 1
        matched = [p for p in preds.get(row.sentence, []) if pair_match(p, row)]
        hits[label] += any(p.type in row.labels for p in matched)
        for kind in {p.type for p in matched}:
            predicted[kind] += 1
            correct[kind] += kind in row.labels
    return {
        c: {
            "gold": gold_n[c],
            "recall": round(hits[c] / gold_n[c], 3) if gold_n[c] else None,
            "predicted": predicted[c],
            "precision": round(correct[c] / predicted[c], 3) if predicted[c] else None,
        }
        for c in sorted(set(gold_n) | set(predicted))
    }


def annotate(nlp: Language, texts: list[str]) -> Iterable[Doc]:
    """Run the full pipeline on plain sentences (no publication date)."""
    docs = []
    for text in texts:
        doc = nlp.make_doc(text)
        doc._.ew_meta = PreparedArticle(origin="<plv>", id=article_id(text), text=text)
        docs.append(doc)
    return nlp.pipe(docs, batch_size=64)


def bow_baseline(nlp_doc: Doc, lexicon: Lexicon) -> list[Predicted]:
    """First entity -> next entity, category from the first dictionary word after the source."""
    ents = [e for e in nlp_doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")]
    if len(ents) < 2:
        return []
    first, second = ents[0], ents[1]
    for token in nlp_doc[first.end :]:
        kind = _bare_type(token.lemma_.lower(), lexicon)
        if kind:
            return [
                Predicted(
                    kind,
                    ((first.start_char, first.end_char),),
                    ((second.start_char, second.end_char),),
                )
            ]
    return []


def _bare_type(lemma: str, lexicon: Lexicon) -> str | None:
    for rule in lexicon.verb_rules(lemma):
        if not rule.prep and not rule.object:
            return rule.coding.type if rule.coding else None
    rules = [r for r in lexicon.noun_rules(lemma) if not r.modifier and r.coding]
    return rules[0].coding.type if rules else None


def _plv_metrics(
    name: str, rows: list[GoldRow], preds: dict, base: dict, target: float | None, key: str
) -> list[Metric]:
    ours = score_rows(rows, preds["entity"])
    args = score_rows(rows, preds["argument"])
    baseline = score_rows(rows, base)
    return [
        Metric(
            f"PLV triple recall ({name})",
            ours["triple"],
            baseline["triple"],
            target,
            key=f"plover.triple_recall_{key}",
        ),
        Metric(
            f"PLV pair recall ({name})",
            ours["pair"],
            baseline["pair"],
            key=f"plover.pair_recall_{key}",
        ),
        Metric(
            f"PLV category accuracy given pair ({name})",
            ours["category|pair"],
            baseline["category|pair"],
            key=f"plover.category_acc_{key}",
        ),
        Metric(
            f"PLV triple recall, argument phrases ({name})",
            args["triple"],
            None,
            key=f"plover.triple_recall_args_{key}",
        ),
    ]


def extra_per_sentence(rows: list[GoldRow], preds: dict[str, list[Predicted]]) -> float:
    """Events coded beyond the gold ones, per sentence (the precision side of PLV).

    Every PLV sentence was chosen for the event its rows code; an event coded past the number of
    gold rows of the sentence is one the gold does not hold.
    """
    gold_n = Counter(row.sentence for row in rows)
    if not gold_n:
        return 0.0
    extra = sum(max(0, len(preds.get(text, [])) - n) for text, n in gold_n.items())
    return extra / len(gold_n)


def _extra_metric(
    name: str, rows: list[GoldRow], preds: dict[str, list[Predicted]], base: dict, key: str
) -> Metric:
    return Metric(
        f"PLV extra events per sentence ({name})",
        extra_per_sentence(rows, preds),
        extra_per_sentence(rows, base),
        target=0.30 if key == "test" else None,
        higher_is_better=False,
        key=f"plover.extra_per_sentence_{key}",
    )


def run_plv(folder: Path, nlp: Language, *, quick: bool, result: SuiteResult) -> None:
    rows = load_rows(folder / "PLV_train.tsv")
    tune, test = split_rows(rows)
    if quick:
        rng = random.Random(QUICK_SEED)
        tune = rng.sample(tune, min(QUICK_ROWS, len(tune)))
        test = rng.sample(test, min(QUICK_ROWS, len(test)))
    texts = sorted({r.sentence for r in tune + test})
    preds: dict[str, dict[str, list[Predicted]]] = {"entity": {}, "argument": {}}
    base: dict[str, list[Predicted]] = {}
    lexicon = load_lexicon()
    for text, doc in zip(texts, annotate(nlp, texts), strict=True):
        for mode, items in predictions(doc).items():
            preds[mode][text] = items
        base[text] = bow_baseline(doc, lexicon)
    result.metrics += _plv_metrics("held-out 30%", test, preds, base, 0.60, "test")
    result.metrics.append(_extra_metric("held-out 30%", test, preds["entity"], base, "test"))
    result.metrics += _plv_metrics("tune 70%", tune, preds, base, None, "tune")
    result.metrics.append(_extra_metric("tune 70%", tune, preds["entity"], base, "tune"))
    result.details["plv_per_category_test"] = per_category(test, preds["entity"])
    result.details["plv_per_category_tune"] = per_category(tune, preds["entity"])
    result.details["plv_baseline_per_category_test"] = per_category(test, base)
    result.notes.append(
        f"PLV rows: tune {len(tune)}, held-out {len(test)} (split seed {SPLIT_SEED}, by sentence)"
    )


def load_ngec(folder: Path, *, quick: bool) -> list[tuple[str, str]]:
    """(label, text) pairs: a fixed seeded sample per label."""
    archive = folder / "gpt_synthetic_events_2023-10-19_19.csv.zip"
    with zipfile.ZipFile(archive) as zf:
        name = zf.namelist()[0]
        text = zf.read(name).decode("utf-8")
    by_label: dict[str, list[str]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text)):
        label = LEGACY_NAMES.get(row["label"].strip(), row["label"].strip())
        by_label[label].append(row["text"])
    rng = random.Random(QUICK_SEED)
    per = NGEC_PER_LABEL[quick]
    return [
        (label, story)
        for label in sorted(by_label)
        for story in rng.sample(by_label[label], min(per, len(by_label[label])))
    ]


def run_ngec(folder: Path, nlp: Language, *, quick: bool, result: SuiteResult) -> None:
    items = load_ngec(folder, quick=quick)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for (label, _), doc in zip(items, annotate(nlp, [t for _, t in items]), strict=True):
        total[label] += 1
        found[label] += any(e.type == label for e in doc._.ew_events or [])
    per = {label: round(found[label] / total[label], 3) for label in sorted(total)}
    result.details["ngec_recall_per_category"] = per
    macro = sum(per.values()) / len(per) if per else None
    result.metrics.append(
        Metric("NGEC story recall (macro over categories)", macro, key="plover.ngec_macro_recall")
    )
    result.notes.append(
        f"NGEC stories: {len(items)} ({NGEC_PER_LABEL[quick]} per label, "
        f"seed {QUICK_SEED}); silver labels"
    )


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    folder = data_dir / DATA
    if not (folder / "PLV_train.tsv").exists():
        return unavailable("events-plover", f"gold data not found: {folder}")
    if nlp is None:
        from eventwire.nlp import load

        nlp = load()
    started = time.perf_counter()
    result = SuiteResult(
        suite="events-plover", baseline_name="spaCy NER + bag-of-words dictionary lookup, no parse"
    )
    run_plv(folder, nlp, quick=quick, result=result)
    ngec = data_dir / "ngec-synthetic"
    if ngec.exists():
        run_ngec(ngec, nlp, quick=quick, result=result)
    result.seconds = time.perf_counter() - started
    return result


SUITE = Suite(
    name="events-plover",
    description="PLOVER event triples on PLV sentences and NGEC synthetic stories",
    data=DATA,
    run=run,
)
