"""`ner`: eventwire's entity layer against bare spaCy NER on CoNLL-2003 English test (testb).

Documents are the ``-DOCSTART-`` blocks; each document's text is rebuilt from its tokens (one
sentence a line, tokens joined by spaces) and run once through the model plus
``eventwire_entities``. The baseline is the model's own ``doc.ents`` from that same pass; the
system is eventwire's entity mentions (after KB fixes and type consistency). Both are projected
onto the CoNLL tokens and scored entity-level, exact match, micro P/R/F1 (conlleval), with the
OntoNotes -> CoNLL mapping PERSON->PER; GPE/LOC/FAC->LOC; ORG->ORG; NORP/EVENT/PRODUCT/
WORK_OF_ART/LAW/LANGUAGE->MISC (eventwire's OTHER is one of the latter, so MISC).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.eval.base import Metric, Suite, SuiteResult, prf, unavailable

FILE = "eng.testb.txt"
QUICK_DOCS = 25
_ONTO = {"PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
         "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
         "LAW": "MISC", "LANGUAGE": "MISC", "OTHER": "MISC"}  # fmt: skip
Spans = set[tuple[int, int, str]]


def read_conll(path: Path) -> list[list[list[tuple[str, str]]]]:
    """Documents -> sentences -> (token, tag)."""
    docs: list[list[list[tuple[str, str]]]] = []
    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        parts = line.split()
        if parts and parts[0] == "-DOCSTART-":
            docs.append([])
            continue
        if parts:
            sentence.append((parts[0], parts[-1]))
        elif sentence:
            if not docs:
                docs.append([])
            docs[-1].append(sentence)
            sentence = []
    return [d for d in docs if d]


def gold_spans(tags: list[str]) -> Spans:
    """Entity spans from IOB1 tags (a B- tag starts a new entity of the same type)."""
    spans: Spans = set()
    start, label = None, None
    for i, tag in enumerate([*tags, "O"]):
        kind = tag[2:] if tag != "O" else None
        if start is not None and (kind != label or tag.startswith("B-")):
            spans.add((start, i, label or ""))
            start, label = None, None
        if kind is not None and start is None:
            start, label = i, kind
    return spans


def rebuild(document: list[list[tuple[str, str]]]) -> tuple[str, list[tuple[int, int]]]:
    """The document's text and each CoNLL token's character offsets."""
    pieces, offsets, pos = [], [], 0
    for sentence in document:
        for j, (token, _) in enumerate(sentence):
            sep = "" if j == 0 else " "
            pieces.append(sep + token)
            pos += len(sep)
            offsets.append((pos, pos + len(token)))
            pos += len(token)
        pieces.append("\n")
        pos += 1
    return "".join(pieces), offsets


def project(char_spans: list[tuple[int, int, str]], offsets: list[tuple[int, int]]) -> Spans:
    """Character spans -> token spans over the CoNLL tokens (tokens overlapping the span)."""
    spans: Spans = set()
    for start, end, label in char_spans:
        covered = [i for i, (a, b) in enumerate(offsets) if a < end and start < b]
        if covered and label in _ONTO:
            spans.add((covered[0], covered[-1] + 1, _ONTO[label]))
    return spans


def _eventwire_spans(doc: Doc) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, e.type) for e in doc._.ew_entities for m in e.mentions]


def _annotate(nlp: Language, text: str) -> Doc:
    """Run the model and eventwire_entities only (the later stages do not change entities)."""
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        doc = component(doc)
        if name == "eventwire_entities":
            break
    return doc


def _sample(docs: list, quick: bool) -> list:
    if not quick:
        return docs
    return [docs[i] for i in sorted(random.Random(2003).sample(range(len(docs)), QUICK_DOCS))]


def score(nlp: Language, docs: list) -> dict[str, dict[str, list[int]]]:
    """Counts per system ('eventwire', 'spacy') and label ('ALL', 'PER', ...): [tp, fp, fn]."""
    counts: dict[str, dict[str, list[int]]] = {"eventwire": {}, "spacy": {}}
    for document in docs:
        text, offsets = rebuild(document)
        doc = _annotate(nlp, text)
        gold = gold_spans([tag for sentence in document for _, tag in sentence])
        systems = {
            "eventwire": project(_eventwire_spans(doc), offsets),
            "spacy": project([(e.start_char, e.end_char, e.label_) for e in doc.ents], offsets),
        }
        for name, predicted in systems.items():
            _count(counts[name], predicted, gold)
    return counts


def _count(table: dict[str, list[int]], predicted: Spans, gold: Spans) -> None:
    for label in ("ALL", "PER", "ORG", "LOC", "MISC"):
        pred = {s for s in predicted if label in ("ALL", s[2])}
        ref = {s for s in gold if label in ("ALL", s[2])}
        row = table.setdefault(label, [0, 0, 0])
        row[0] += len(pred & ref)
        row[1] += len(pred - ref)
        row[2] += len(ref - pred)


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    path = data_dir / "conll2003-en-test" / FILE
    if not path.is_file():
        return unavailable("ner", f"CoNLL-2003 test file not found: {path}")
    if nlp is None:
        from eventwire import nlp as nlp_module

        nlp = nlp_module.load()
    began = time.perf_counter()
    docs = _sample(read_conll(path), quick)
    counts = score(nlp, docs)
    result = SuiteResult(suite="ner", baseline_name="bare spaCy NER (same model, same run)")
    result.metrics = _metrics(counts, quick)
    result.details = {"counts": counts}
    result.notes = [f"{len(docs)} documents" + (" (fixed seeded sample)" if quick else "")]
    result.seconds = time.perf_counter() - began
    return result


def _metrics(counts: dict[str, dict[str, list[int]]], quick: bool) -> list[Metric]:
    scope = "quick" if quick else "full"
    metrics = []
    for label in ("ALL", "PER", "ORG", "LOC", "MISC"):
        ours = prf(*counts["eventwire"][label])
        base = prf(*counts["spacy"][label])
        name = "entity F1 (micro)" if label == "ALL" else f"{label} F1"
        target = base[2] + 0.03 if label == "ALL" else None
        metrics.append(
            Metric(name, ours[2], base[2], target=target, key=f"ner.f1_{label.lower()}_{scope}")
        )
    ours, base = prf(*counts["eventwire"]["ALL"]), prf(*counts["spacy"]["ALL"])
    metrics.append(Metric("entity precision", ours[0], base[0], key=f"ner.p_{scope}"))
    metrics.append(Metric("entity recall", ours[1], base[1], key=f"ner.r_{scope}"))
    return metrics


SUITE = Suite(
    name="ner",
    description="CoNLL-2003 English test: eventwire entities vs bare spaCy NER (PER/ORG/LOC/MISC)",
    data="conll2003-en-test",
    run=run,
)


def iter_documents(path: Path) -> Iterator[str]:
    """The rebuilt text of every document (for inspection and tests)."""
    for document in read_conll(path):
        yield rebuild(document)[0]
