"""Suite ``time``: time-expression detection and normalisation on TempEval-3 platinum.

Gold: the 20 TempEval-3 platinum documents (138 in-text TIMEX3, the DCT is the reference date).
eventwire runs the spaCy model plus the ``eventwire_times`` stage on each document's text with
the DCT as publication date and is scored against the gold TIMEX3 spans and values, beside
dateparser's ``search_dates`` with the same reference date, in the same run. Scores follow the
TempEval-3 Task A conventions: span F1 (relaxed = any overlap, strict = same span), value
accuracy on the relaxed matches, and value F1 = relaxed F1 x value accuracy (how TE3 ranks).
A leading "since" is left out of eventwire's spans for the strict match (TimeML leaves it out).
Development and tuning use TBAQ-cleaned (the training data), never the platinum set.
"""

from __future__ import annotations

import re
import time as clock
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from spacy.language import Language

from eventwire.eval.base import Metric, Suite, SuiteResult, prf, unavailable

QUICK_DOCS = 6  # the first six platinum files in name order: the pinned quick sample


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    value: str | None


@dataclass(frozen=True, slots=True)
class TimeDoc:
    name: str
    text: str
    dct: date
    gold: list[Timex]


def parse_tml(path: Path) -> TimeDoc:
    """A TimeML file: the TEXT with its tags removed, the DCT, and the TIMEX3 spans in it."""
    root = ET.parse(path).getroot()
    dct_node = root.find("DCT/TIMEX3")
    dct = date.fromisoformat((dct_node.get("value") or "")[:10])
    pieces: list[str] = []
    gold: list[Timex] = []
    _walk(root.find("TEXT"), pieces, gold)
    return TimeDoc(path.stem, "".join(pieces), dct, gold)


def _walk(node: ET.Element, pieces: list[str], gold: list[Timex]) -> None:
    """Collect the text under ``node`` in order, noting where each TIMEX3 starts and ends."""
    pieces.append(node.text or "")
    for child in node:
        start = sum(len(p) for p in pieces)
        _walk(child, pieces, [] if child.tag != "TIMEX3" else gold)
        if child.tag == "TIMEX3":
            end = sum(len(p) for p in pieces)
            text = "".join(pieces)[start:end]
            gold.append(Timex(start, end, text, child.get("value")))
        pieces.append(child.tail or "")


def eventwire_timexes(doc_data: TimeDoc, nlp: Language) -> list[Timex]:
    """Run the model and the time stage on one document, DCT as publication date."""
    from eventwire.extract.time import TimeStage
    from eventwire.ingest import PreparedArticle, article_id

    ours = [name for name in nlp.pipe_names if name.startswith("eventwire_")]
    with nlp.select_pipes(disable=ours):
        doc = nlp(doc_data.text)
    doc._.ew_meta = PreparedArticle(
        origin=doc_data.name,
        id=article_id(doc_data.text),
        text=doc_data.text,
        published=doc_data.dct.isoformat(),
    )
    TimeStage()(doc)
    return [_without_since(t.start, t.end, t.text, t.timex) for t in doc._.ew_times]


def _without_since(start: int, end: int, text: str, value: str | None) -> Timex:
    found = re.match(r"since\s+", text, re.IGNORECASE)
    if found:
        return Timex(start + found.end(), end, text[found.end() :], value)
    return Timex(start, end, text, value)


def dateparser_timexes(doc_data: TimeDoc) -> list[Timex]:
    """The baseline: dateparser's ``search_dates`` with the DCT as relative base."""
    from dateparser.search import search_dates

    base = datetime.combine(doc_data.dct, datetime.min.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    found = search_dates(doc_data.text, languages=["en"], settings=settings) or []
    result, cursor = [], 0
    for substring, when in found:
        start = doc_data.text.find(substring, cursor)
        if start < 0:
            continue
        cursor = start + len(substring)
        result.append(Timex(start, cursor, substring, when.date().isoformat()))
    return result


@dataclass(slots=True)
class Counts:
    """Span and value counts for one system over a set of documents."""

    gold: int = 0
    predicted: int = 0
    relaxed: int = 0
    strict: int = 0
    value_correct: int = 0

    def add(self, gold: list[Timex], predicted: list[Timex]) -> None:
        self.gold += len(gold)
        self.predicted += len(predicted)
        for g in gold:
            match = next((p for p in predicted if p.start < g.end and p.end > g.start), None)
            if match is None:
                continue
            self.relaxed += 1
            self.strict += int((g.start, g.end) in ((match.start, match.end), _strip(match)))
            self.value_correct += int(match.value is not None and match.value == g.value)

    def scores(self) -> dict[str, float]:
        _, _, relaxed_f = prf(self.relaxed, self.predicted - self.relaxed, self.gold - self.relaxed)
        _, _, strict_f = prf(self.strict, self.predicted - self.strict, self.gold - self.strict)
        accuracy = self.value_correct / self.relaxed if self.relaxed else 0.0
        return {
            "relaxed_f1": relaxed_f,
            "strict_f1": strict_f,
            "value_accuracy": accuracy,
            "value_f1": relaxed_f * accuracy,
        }


def _strip(timex: Timex) -> tuple[int, int]:
    """A span without a leading article or trailing punctuation, as TimeML annotators write it."""
    found = re.match(r"(?:the|a)\s+", timex.text, re.IGNORECASE)
    return (timex.start + (found.end() if found else 0), timex.end)


def score(docs: list[TimeDoc], nlp: Language) -> tuple[Counts, Counts]:
    """eventwire's and dateparser's counts over ``docs``."""
    ours, baseline = Counts(), Counts()
    for doc_data in docs:
        ours.add(doc_data.gold, eventwire_timexes(doc_data, nlp))
        baseline.add(doc_data.gold, dateparser_timexes(doc_data))
    return ours, baseline


def load_docs(folder: Path, *, quick: bool) -> list[TimeDoc]:
    files = sorted(folder.glob("*.tml"))
    return [parse_tml(p) for p in (files[:QUICK_DOCS] if quick else files)]


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    """Score eventwire and dateparser on TempEval-3 platinum (quick: the first six documents)."""
    folder = Path(data_dir) / "tempeval3-timex" / "te3-platinum"
    if not folder.is_dir():
        return unavailable("time", f"TempEval-3 platinum not found under {folder}")
    started = clock.perf_counter()
    if nlp is None:
        from eventwire.nlp import load_model

        nlp = load_model()
    docs = load_docs(folder, quick=quick)
    ours, baseline = score(docs, nlp)
    result = SuiteResult(suite="time", baseline_name="dateparser search_dates (same DCT)")
    result.metrics = _metrics(ours.scores(), baseline.scores(), quick)
    result.notes.append(
        f"{len(docs)} documents, {ours.gold} gold TIMEX3; eventwire predicted {ours.predicted}, "
        f"dateparser {baseline.predicted}"
    )
    result.seconds = clock.perf_counter() - started
    return result


def _metrics(ours: dict[str, float], base: dict[str, float], quick: bool) -> list[Metric]:
    tag = "quick" if quick else "full"
    return [
        Metric("timex span F1 (relaxed)", ours["relaxed_f1"], base["relaxed_f1"],
               reference="HeidelTime 90.3", key=f"time.relaxed_f1_{tag}"),
        Metric("timex span F1 (strict)", ours["strict_f1"], base["strict_f1"],
               reference="HeidelTime 81.3", key=f"time.strict_f1_{tag}"),
        Metric("value accuracy (relaxed matches)", ours["value_accuracy"], base["value_accuracy"],
               target=0.80, reference="HeidelTime ~86", key=f"time.value_accuracy_{tag}"),
        Metric("value F1", ours["value_f1"], base["value_f1"],
               reference="HeidelTime 77.6, SUTime 67.4", key=f"time.value_f1_{tag}"),
    ]  # fmt: skip


SUITE = Suite(
    name="time",
    description="time expressions: TIMEX3 detection and normalised values (TempEval-3 platinum)",
    data="tempeval3-timex",
    run=run,
)
