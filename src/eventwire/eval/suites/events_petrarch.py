"""Suite ``events-petrarch``: CAMEO triples on the PETRARCH/TABARI validation sentences.

The sentences (petrarch-unittest/PETR.UnitTest.records.xml) use fictional actors (Arnor=ARN,
Gondor=GON, ...), so the pipeline is loaded with PETR.Validate.actors.txt as a user actor file.
Entities from that file carry a ``user:...`` kb_id, not the PETRARCH code, so the scorer maps an
event's actor back to a code itself: the longest dictionary phrase that starts the entity's
name or mention (PETRARCH matches word prefixes such as ARGENTIN). Actors are compared on the
first three letters of the code (the primary actor; agents like GOV/MIL are not scored because
eventwire does not code sectors), events at CAMEO root level (first two digits). The expected
codes come from PETRARCH's own validation verb dictionary, which eventwire does not use, so this
measures how far a general dictionary gets on them, and how often it stays silent where it must.

A second run loads PETR.Validate.verbs.txt as a user verb file (as PETRARCH-2 did for its
reference figure): the gold codes are that dictionary's TABARI/WEIS-era codes (AGREE 081,
ARREST 212), not CAMEO, so only this run is comparable with the reference.

Baseline (same run): no parse; source = the first actor-dictionary phrase in the sentence, target
= the next one, root = the first word found in eventwire's verb dictionary. Reference:
PETRARCH-2 with the validation dictionaries, P 0.546 R 0.332 F1 0.413 (full codes), 19/19 no-event.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from eventwire.eval.base import Language, Metric, Suite, SuiteResult, prf, unavailable
from eventwire.eval.suites.events_plover import annotate
from eventwire.extract.events.lexicon import load_lexicon
from eventwire.extract.events.lexicon_build import parse_petrarch_verbs

DATA = "petrarch-unittest"
ACTORS = "PETR.Validate.actors.txt"
RECORDS = "PETR.UnitTest.records.xml"
QUICK_SENTENCES = 60
_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)</Sentence>", re.S)
_CODING = re.compile(r"<EventCoding\b([^>]*)>", re.S)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    text: str
    triples: tuple[tuple[str, str, str], ...]  # (source3, target3, root)
    no_event: bool


def load_cases(path: Path) -> list[Case]:
    """Scorable sentences: not error cases, not marked sentence="false" (unimplemented)."""
    cases = []
    for attrs, body in _SENTENCE.findall(_COMMENT.sub("", path.read_text(encoding="utf-8"))):
        meta = dict(_ATTR.findall(attrs))
        codings = [dict(_ATTR.findall(c)) for c in _CODING.findall(body)]
        text = _TEXT.search(body)
        if text is None or meta.get("sentence") == "false" or any("error" in c for c in codings):
            continue
        no_event = any(c.get("noevents", "").lower() == "true" for c in codings)
        triples = tuple(
            (
                c.get("sourcecode", "")[:3].upper(),
                c.get("targetcode", "")[:3].upper(),
                c.get("eventcode", "")[:2],
            )
            for c in codings
            if "eventcode" in c
        )
        cases.append(Case(meta.get("id", ""), " ".join(text.group(1).split()), triples, no_event))
    return cases


@lru_cache(maxsize=2)
def actor_codes(path: Path) -> dict[str, str]:
    """PETRARCH actor phrase (upper case, words joined by spaces) -> code, aliases included."""
    codes: dict[str, str] = {}
    current: str | None = None
    for raw in _COMMENT.sub("", path.read_text(encoding="utf-8")).splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        code = re.search(r"\[([^\]\s]+)", line)
        phrase = re.sub(r"\[[^\]]*\]|\{[^}]*\}", "", line).strip().lstrip("+").strip()
        phrase = " ".join(phrase.replace("_", " ").upper().split())
        if code and not line.startswith("+"):
            current = code.group(1).upper() if not set(code.group(1)) <= {"-"} else None
        if phrase and current and (code or line.startswith("+")):
            codes.setdefault(phrase, current)
    return codes


def code_of(text: str, codes: dict[str, str]) -> str | None:
    """The code of the longest dictionary phrase that prefixes the words of ``text``."""
    words = text.upper().replace("'S", "").split()
    best: tuple[int, str] | None = None
    for start in range(len(words)):
        for phrase, code in codes.items():
            if _prefixes(phrase.split(), words[start:]) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), code)
    return best[1][:3] if best else None


def _prefixes(parts: list[str], words: list[str]) -> bool:
    return len(words) >= len(parts) and all(
        w.startswith(p) for w, p in zip(words, parts, strict=False)
    )


def predicted_triples(doc, codes: dict[str, str]) -> list[tuple[str, str, str]]:  # noqa: ANN001
    names = {e.id: e for e in doc._.ew_entities or []}
    out = []
    for event in doc._.ew_events or []:
        if not event.cameo:
            continue
        sources = _codes(event.actors.source, names, codes)
        targets = _codes(event.actors.target, names, codes)
        out += [(s, t, event.cameo[:2]) for s in sources for t in targets if s != t]
    return out


def _codes(ids: list[str], names: dict, codes: dict[str, str]) -> list[str]:
    found = []
    for eid in ids:
        entity = names.get(eid)
        texts = [entity.name, *(m.text for m in entity.mentions)] if entity else []
        code = next((c for c in (code_of(t, codes) for t in texts) if c), None)
        if code and code not in found:
            found.append(code)
    return found


def baseline_triples(text: str, codes: dict[str, str]) -> list[tuple[str, str, str]]:
    words = text.split()
    lexicon = load_lexicon()
    hits = [(i, code_of(" ".join(words[i : i + 3]), codes)) for i in range(len(words))]
    actors = [(i, c) for i, c in hits if c]
    if len(actors) < 2:
        return []
    (i, source), (_, target) = (
        actors[0],
        next((a for a in actors[1:] if a[1] != actors[0][1]), actors[1]),
    )
    for word in words[i + 1 :]:
        lemma = re.sub(r"[^a-z]", "", word.lower())
        for cand in (lemma, lemma[:-1], lemma[:-2], lemma[:-3]):
            rules = [r for r in lexicon.verb_rules(cand) if not r.prep and not r.object]
            if rules and rules[0].coding and rules[0].coding.cameo:
                return [(source, target, rules[0].coding.cameo[:2])]
    return []


def score(cases: list[Case], predicted: dict[str, list]) -> tuple[float, float, float, int]:
    tp = fp = fn = 0
    passed = 0
    for case in cases:
        gold = Counter(case.triples)
        got = Counter(predicted[case.id])
        tp += sum((gold & got).values())
        fp += sum((got - gold).values())
        fn += sum((gold - got).values())
        passed += case.no_event and not predicted[case.id]
    return (*prf(tp, fp, fn), passed)


def validation_verb_file(folder: Path, out: Path) -> Path:
    """PETR.Validate.verbs.txt rewritten as an eventwire user verb file (bare verbs and
    verb+object patterns; codes kept as written). Its codes are TABARI/WEIS-era, so rules whose
    code has no PLOVER reading through the CAMEO map are left out."""
    lexicon = load_lexicon()
    verbs, patterns, _ = parse_petrarch_verbs(folder / "PETR.Validate.verbs.txt")
    blocks: dict[str, list[str]] = {}
    for verb, block, _code in verbs:
        blocks.setdefault(block, []).append(verb)
    rows = [[verb, "", "", code] for verb, _block, code in verbs]
    rows += [
        [verb, prep, obj, code]
        for block, prep, obj, code in patterns
        if obj and not obj.startswith("&")
        for verb in blocks.get(block, [])
    ]
    lines = ["verb\tprep\tobject\tcameo\ttype\torigin"]
    for verb, prep, obj, code in rows:
        coding = lexicon.to_plover(code) if code else None
        kind = coding.type if coding else ""
        lines.append("\t".join([verb, prep, obj, code if kind else "", kind, "validation"]))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def _score_run(nlp: Language, cases: list[Case], codes: dict[str, str]) -> dict[str, list]:
    docs = annotate(nlp, [c.text for c in cases])
    return {c.id: predicted_triples(doc, codes) for c, doc in zip(cases, docs, strict=True)}


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    folder = data_dir / DATA
    if not (folder / RECORDS).exists():
        return unavailable("events-petrarch", f"gold data not found: {folder}")
    from eventwire.nlp import load

    started = time.perf_counter()
    actor_file = folder / ACTORS
    nlp = load(actors=[actor_file])  # the fictional actors only make sense with this file
    cases = load_cases(folder / RECORDS)
    if quick:
        cases = cases[:: max(1, len(cases) // QUICK_SENTENCES)]
    codes = actor_codes(actor_file)
    ours = _score_run(nlp, cases, codes)
    base = {c.id: baseline_triples(c.text, codes) for c in cases}
    with tempfile.TemporaryDirectory() as tmp:
        verb_file = validation_verb_file(folder, Path(tmp) / "validate_verbs.tsv")
        nlp.get_pipe("eventwire_events").lexicon = load_lexicon((str(verb_file),))
        with_dict = _score_run(nlp, cases, codes)
        nlp.get_pipe("eventwire_events").lexicon = load_lexicon()
    vp, vr, vf, vpassed = score(cases, with_dict)
    p, r, f, passed = score(cases, ours)
    bp, br, bf, bpassed = score(cases, base)
    n_none = sum(c.no_event for c in cases)
    result = SuiteResult(
        suite="events-petrarch",
        baseline_name="actor-dictionary + verb lookup, no parse",
        seconds=time.perf_counter() - started,
    )
    result.metrics = [
        Metric(
            "CAMEO root triple precision",
            p,
            bp,
            reference="PETRARCH-2 0.546 (full codes)",
            key="petrarch.precision",
        ),
        Metric(
            "CAMEO root triple recall",
            r,
            br,
            reference="PETRARCH-2 0.332 (full codes)",
            key="petrarch.recall",
        ),
        Metric(
            "CAMEO root triple F1",
            f,
            bf,
            reference="PETRARCH-2 0.413 (full codes)",
            key="petrarch.f1",
        ),
        Metric(
            f"no-event cases passed (of {n_none})",
            float(passed),
            float(bpassed),
            reference="PETRARCH-2 19/19",
            key="petrarch.no_event_passed",
        ),
        Metric(
            "CAMEO root triple F1, + validation verb dictionary",
            vf,
            bf,
            reference="PETRARCH-2 0.413 (full codes)",
            key="petrarch.f1_validation_verbs",
        ),
        Metric(
            "CAMEO root triple precision, + validation verb dictionary",
            vp,
            None,
            key="petrarch.precision_validation",
        ),
        Metric(
            "CAMEO root triple recall, + validation verb dictionary",
            vr,
            None,
            key="petrarch.recall_validation",
        ),
        Metric(
            f"no-event cases passed, + validation verb dictionary (of {n_none})",
            float(vpassed),
            None,
            key="petrarch.no_event_passed_validation",
        ),
    ]
    result.notes += [
        f"{len(cases)} sentences scored ({sum(len(c.triples) for c in cases)} gold "
        "triples); actors compared on the first 3 letters of the code, mapped "
        "from entity text with the validation actor dictionary (kb_id carries no "
        "PETRARCH code)",
        "no-event case passes only when no event at all is coded",
    ]
    return result


SUITE = Suite(
    name="events-petrarch",
    description="CAMEO root triples on the PETRARCH validation sentences",
    data=DATA,
    run=run,
)
