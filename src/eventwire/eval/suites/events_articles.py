"""Events of whole real articles against the team's gold corpus (``eval-data/articles``).

What a user meets: of the events eventwire codes from a real article (plain text, or the raw
HTML page so that cleaning counts), how many are right, and how many of the article's events it
finds. Matching is described in :mod:`eventwire.eval.gold.score`. The baseline, in the same run
on the same parsed text, codes in each sentence the first named entity -> the next one, typed by
the first dictionary word after the source (no parse, no gate); its publication date is
trafilatura's (htmldate with its default options) for a page and the corpus date for text.

The full run scores each split (train, dev, test); the README's table is the test split, which
is never read while writing rules. ``--quick`` scores the dev split: the pinned gate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwire.errors import InputError
from eventwire.eval.base import Metric, Suite, SuiteResult, prf, unavailable
from eventwire.eval.gold.corpus import (
    GoldArticle,
    GoldError,
    check_offsets,
    gold_dir,
    load_gold,
    load_manifest,
)
from eventwire.eval.gold.score import (
    PredArticle,
    PredEntity,
    PredEvent,
    Tally,
    from_record,
    score_article,
)
from eventwire.eval.gold.sources import SourceArticle, load_articles
from eventwire.extract.build import build_record
from eventwire.extract.events.lexicon import Lexicon, load_lexicon
from eventwire.ingest import RawArticle, prepare
from eventwire.reader import prepared_doc

NAMED = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")


@dataclass(frozen=True, slots=True)
class Case:
    """One gold article with its source and split."""

    gold: GoldArticle
    source: SourceArticle
    split: str


def load_cases(data_dir: Path, folder: Path | None = None, *, sub: str = "gold") -> list[Case]:
    """Every annotated article of the manifest, checked against its reference text."""
    folder = folder or gold_dir()
    rows = {r["key"]: r for r in load_manifest(folder)}
    golds = [load_gold(p) for p in sorted((folder / sub).glob("*.json"))]
    sources = load_articles(data_dir, {g.key for g in golds})
    cases = []
    for gold in golds:
        source = sources.get(gold.key)
        if source is None or gold.key not in rows:
            raise GoldError(f"{folder / sub / (gold.key + '.json')}: article not in the sample")
        digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        if digest != gold.text_sha256:
            raise GoldError(f"{gold.key}: the reference text changed since it was annotated")
        check_offsets(gold, source.text)
        cases.append(Case(gold, source, rows[gold.key]["split"]))
    return cases


def _raw(source: SourceArticle) -> RawArticle:
    if source.input_kind == "html":
        return RawArticle(origin=source.key, html=source.input, url=source.url)
    return RawArticle(
        origin=source.key, text=source.input, published=source.published, title=source.title
    )


def read_cases(cases: list[Case], nlp: Language) -> Iterator[tuple[Case, Doc | None]]:
    """Each case with eventwire's parsed Doc (None when the input could not be read)."""
    for case in cases:
        try:
            prepared = prepare(_raw(case.source))
        except InputError:
            yield case, None
            continue
        yield case, nlp(prepared_doc(nlp, prepared))


def _entity(span: Span) -> PredEntity:
    return PredEntity(span.text, span.label_, ((span.start_char, span.end_char),))


def baseline(doc: Doc, lexicon: Lexicon) -> PredArticle:
    """First named entity -> the next one in each sentence, typed by the first dictionary word."""
    from eventwire.eval.suites.events_plover import _bare_type

    events = []
    for sent in doc.sents:
        ents = [e for e in sent.ents if e.label_ in NAMED]
        if len(ents) < 2:
            continue
        for token in doc[ents[0].end : sent.end]:
            kind = _bare_type(token.lemma_.lower(), lexicon)
            if kind:
                span = (sent.start_char, sent.end_char)
                events.append(PredEvent(kind, span, (_entity(ents[0]),), (_entity(ents[1]),)))
                break
    return PredArticle(doc.text, events)


def baseline_published(source: SourceArticle) -> str | None:
    """The baseline's publication date: the caller's date for text, trafilatura's for a page."""
    if source.input_kind != "html":
        return source.published
    from trafilatura import bare_extraction

    found = bare_extraction(source.input, with_metadata=True)
    value = getattr(found, "date", None) if found is not None else None
    return str(value)[:10] if value else None


def score_cases(cases: list[Case], nlp: Language) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """Per split: eventwire's tally and the baseline's."""
    ours: dict[str, Tally] = {}
    base: dict[str, Tally] = {}
    lexicon = load_lexicon()
    for case, doc in read_cases(cases, nlp):
        words = case.source.words
        pred = from_record(build_record(doc)) if doc is not None else PredArticle("")
        bare = baseline(doc, lexicon) if doc is not None else PredArticle("")
        bare.published = baseline_published(case.source)
        score_article(
            case.gold, case.source.text, pred, ours.setdefault(case.split, Tally()), words=words
        )
        score_article(
            case.gold, case.source.text, bare, base.setdefault(case.split, Tally()), words=words
        )
    return ours, base


def _event_prf(tally: Tally, level: str) -> tuple[float, float, float]:
    c = tally.counts
    return prf(c[level], c["pred"] - c[level], c["gold"] - c[level])


TARGETS = {
    "strict_precision": 0.55,
    "lenient_precision": 0.80,
    "strict_recall": 0.45,
    "lenient_recall": 0.70,
    "date": 0.80,
    "actor_type": 0.92,
    "roles": 0.70,
    "quote_speaker": 0.90,
    "published": 0.97,
}


def event_metrics(ours: Tally, base: Tally, label: str, key: str, *, targets: bool) -> list[Metric]:
    """Strict and lenient precision, recall and F1 of events."""
    metrics = []
    for level in ("strict", "lenient"):
        mine, theirs = _event_prf(ours, level), _event_prf(base, level)
        for k, name in enumerate(("precision", "recall", "F1")):
            target = TARGETS.get(f"{level}_{name}") if targets else None
            metrics.append(
                Metric(
                    f"event {level} {name} ({label})",
                    mine[k],
                    theirs[k],
                    target=target,
                    key=f"articles.{level}_{name.lower()}_{key}",
                )
            )
    return metrics


def _ratio(
    name: str,
    ours: Tally,
    base: Tally,
    num: str,
    den: str,
    key: str,
    target: str | None = None,
    *,
    lower: bool = False,
) -> Metric:
    return Metric(
        name,
        ours.ratio(num, den),
        base.ratio(num, den),
        target=TARGETS.get(target or "") if target else None,
        key=key,
        higher_is_better=not lower,
    )


def detail_metrics(
    ours: Tally, base: Tally, label: str, key: str, *, targets: bool
) -> list[Metric]:
    """Everything else the issue asks for, on one split."""
    t = (lambda name: name) if targets else (lambda name: None)
    per_1000 = 1000 * ours.counts["pred"] / ours.counts["words"] if ours.counts["words"] else None
    gold_1000 = 1000 * ours.counts["gold"] / ours.counts["words"] if ours.counts["words"] else None
    base_1000 = 1000 * base.counts["pred"] / base.counts["words"] if base.counts["words"] else None
    return [
        Metric(
            f"codings from sentences with no gold event ({label})",
            ours.ratio("pred_no_event_sentence", "pred"),
            base.ratio("pred_no_event_sentence", "pred"),
            target=0.10 if targets else None,
            higher_is_better=False,
            key=f"articles.no_event_share_{key}",
        ),
        _ratio(
            f"date right, matched events with a gold date ({label})",
            ours,
            base,
            "date_right",
            "date_gold",
            f"articles.date_{key}",
            t("date"),
        ),
        _ratio(
            f"share of codings dated ({label})",
            ours,
            base,
            "pred_dated",
            "pred",
            f"articles.dated_share_{key}",
        ),
        Metric(f"share of gold events dated ({label})", ours.ratio("gold_dated", "gold")),
        _ratio(
            f"modality right, matched events ({label})",
            ours,
            base,
            "modality_right",
            "lenient",
            f"articles.modality_{key}",
        ),
        _ratio(
            f"attribution right, matched events ({label})",
            ours,
            base,
            "attribution_right",
            "lenient",
            f"articles.attribution_{key}",
        ),
        _ratio(
            f"location right, matched events with a gold place ({label})",
            ours,
            base,
            "location_right",
            "location_gold",
            f"articles.location_{key}",
        ),
        _ratio(
            f"actor entity type right ({label})",
            ours,
            base,
            "actor_type_right",
            "actors",
            f"articles.actor_type_{key}",
            t("actor_type"),
        ),
        _ratio(
            f"role recall: title and organisation ({label})",
            ours,
            base,
            "roles_right",
            "roles_gold",
            f"articles.roles_{key}",
            t("roles"),
        ),
        _ratio(
            f"quote speaker right, quotes found ({label})",
            ours,
            base,
            "quote_speaker_right",
            "quotes_found",
            f"articles.quote_speaker_{key}",
            t("quote_speaker"),
        ),
        _ratio(
            f"quotes found ({label})",
            ours,
            base,
            "quotes_found",
            "quotes_gold",
            f"articles.quotes_found_{key}",
        ),
        _ratio(
            f"publication date right ({label})",
            ours,
            base,
            "published_right",
            "published_gold",
            f"articles.published_{key}",
            t("published"),
        ),
        Metric(
            f"events per 1,000 words ({label})",
            per_1000,
            base_1000,
            reference=f"gold {gold_1000:.1f}" if gold_1000 is not None else None,
            key=f"articles.per_1000_{key}",
        ),
    ]


def per_category(ours: Tally) -> dict[str, dict[str, object]]:
    """Per PLOVER category: gold and predicted counts, lenient precision and recall."""
    table = {}
    for kind, counts in sorted(ours.per_type.items()):
        pred, gold, hit = counts["pred"], counts["gold"], counts["lenient"]
        table[kind] = {
            "gold": gold,
            "predicted": pred,
            "precision": round(hit / pred, 3) if pred else None,
            "recall": round(hit / gold, 3) if gold else None,
        }
    return table


SPLIT_LABELS = {"test": "test", "dev": "dev", "train": "train"}


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    """Score eventwire and the baseline on the gold corpus, per split."""
    folder = gold_dir()
    if not (folder / "gold").is_dir():
        return unavailable("events-articles", f"no gold corpus at {folder / 'gold'}")
    if nlp is None:
        from eventwire import nlp as nlp_module

        nlp = nlp_module.load()
    cases = load_cases(data_dir, folder)
    if quick:
        cases = [c for c in cases if c.split == "dev"]
    ours, base = score_cases(cases, nlp)
    result = SuiteResult(
        suite="events-articles",
        baseline_name="first named entity -> next one per sentence, first dictionary word's type",
    )
    splits = ("dev",) if quick else ("test", "dev", "train")
    for split in splits:
        if split not in ours:
            continue
        key = "quick" if quick else split
        headline = split == "test"
        result.metrics += event_metrics(ours[split], base[split], split, key, targets=headline)
        if headline or quick:
            result.metrics += detail_metrics(ours[split], base[split], split, key, targets=headline)
        result.details[f"per_category_{split}"] = per_category(ours[split])
        n = sum(1 for c in cases if c.split == split)
        gold_n = ours[split].counts["gold"]
        result.notes.append(f"{split}: {n} articles, {gold_n} gold events")
    return result


def error_report(data_dir: Path, nlp: Language, split: str) -> list[dict[str, object]]:
    """False positives and misses with their sentences; train and dev only."""
    if split not in ("train", "dev"):
        raise GoldError(f"--errors lists train or dev articles only, not {split!r}")
    cases = [c for c in load_cases(data_dir) if c.split == split]
    ours, _ = score_cases(cases, nlp)
    return ours[split].errors if split in ours else []


SUITE = Suite(
    name="events-articles",
    description="events of whole real articles against the team's gold corpus (eval-data)",
    data="geoparsing-news",
    run=run,
)
