"""Turn annotators' YAML drafts into gold files of offsets (docs/annotation-guide.md, section 10).

    python scripts/gold_anchor.py check DRAFT.yaml [...] [--texts DIR]
    python scripts/gold_anchor.py build DRAFT.yaml [...] --out eval-data/articles/gold [--texts DIR]

A draft quotes the article (evidence, trigger, surface forms, quotations) so that a person can
check it; the gold file keeps only character offsets into the reference text, the annotator's
entity names and titles, and the codes. ``check`` reports every string that is not found, found
more than once, or outside its sentence, and exits 1 when there is any; ``build`` writes the
files only when every draft passes. ``--texts`` reads the reference texts written by
``gold_sample.py --texts``; without it they are rebuilt from ``../shared/eval``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from eventwire.eval.base import default_data_dir
from eventwire.eval.gold.corpus import GoldError, parse_gold
from eventwire.eval.gold.sources import load_articles

_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s|\n")


def occurrences(text: str, needle: str, *, words: bool = False) -> list[tuple[int, int]]:
    """Every (start, end) of ``needle`` in ``text``; with ``words``, only at word boundaries."""
    if not needle:
        return []
    pattern = re.escape(needle)
    if words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def _unique(text: str, needle: str, what: str, problems: list[str]) -> tuple[int, int] | None:
    found = occurrences(text, needle)
    if len(found) != 1:
        state = "not found" if not found else f"found {len(found)} times"
        problems.append(f"{what} {state}: {needle[:60]!r}")
        return None
    return found[0]


def _mentions(text: str, forms: list[str], what: str, problems: list[str]) -> list[list[int]]:
    spans: list[tuple[int, int]] = []
    for form in forms:
        found = occurrences(text, str(form), words=True)
        if not found:
            problems.append(f"{what}: surface form not found: {form!r}")
        spans += found
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int]] = []
    for span in spans:  # a shorter form inside a longer one ("Ruiz" in "Ana Ruiz") is one mention
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return [list(s) for s in kept]


def _trigger(text: str, trigger: str, evidence: list[tuple[int, int]]) -> list[int] | None:
    for start, end in evidence:
        found = occurrences(text[start:end], trigger, words=True) or occurrences(
            text[start:end], trigger
        )
        if found:
            return [start + found[0][0], start + found[0][1]]
    return None


def _crosses_sentence(text: str, span: tuple[int, int]) -> bool:
    inner = text[span[0] : span[1] - 1]
    return "\n" in inner


def _event(text: str, raw: dict[str, Any], problems: list[str]) -> dict[str, Any]:
    what = f"event {raw.get('id')}"
    evidence = []
    for quote in raw.get("evidence") or []:
        span = _unique(text, str(quote), f"{what} evidence", problems)
        if span and _crosses_sentence(text, span):
            problems.append(f"{what} evidence crosses a paragraph: {str(quote)[:60]!r}")
        if span:
            evidence.append(span)
    trigger = _trigger(text, str(raw.get("trigger") or ""), evidence) if evidence else None
    if evidence and trigger is None:
        problems.append(f"{what}: trigger {raw.get('trigger')!r} not inside its evidence")
    out = {k: raw.get(k) for k in ("id", "type", "mode", "location", "modality", "attributed_to")}
    out.update(
        trigger=trigger,
        evidence=[list(s) for s in evidence],
        source=list(raw.get("source") or []),
        target=list(raw.get("target") or []),
        date=None if raw.get("date") is None else str(raw.get("date")),
    )
    out["modality"] = out["modality"] or "asserted"
    return out


def anchor(draft: dict[str, Any], text: str) -> tuple[dict[str, Any], list[str]]:
    """The gold JSON of one draft over its reference text, and every problem found."""
    problems: list[str] = []
    entities = []
    for raw in draft.get("entities") or []:
        entity = {k: raw.get(k) for k in ("id", "name", "type", "country")}
        entity["generic"] = bool(raw.get("generic", False))
        entity["mentions"] = _mentions(
            text, list(raw.get("mentions") or []), f"entity {raw.get('id')}", problems
        )
        entity["roles"] = [
            {"title": r.get("title"), "of": r.get("of")} for r in raw.get("roles") or []
        ]
        entities.append(entity)
    events = [_event(text, raw, problems) for raw in draft.get("events") or []]
    quotes = []
    for raw in draft.get("quotes") or []:
        span = _unique(text, str(raw.get("text") or ""), "quote", problems)
        if span:
            quotes.append({"span": list(span), "speaker": raw.get("speaker")})
    published = draft.get("published")
    gold = {
        "article": draft.get("article"),
        "annotator": draft.get("annotator"),
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "published": None if published is None else str(published),
        "entities": entities,
        "events": events,
        "quotes": quotes,
        "notes": draft.get("notes") or "",
    }
    if not problems:
        try:
            parse_gold(gold)
        except ValueError as error:
            problems.append(str(error))
    return gold, problems


_NUMBERS = re.compile(r"\[\s*(-?\d+(?:\s*,\s*-?\d+)*)\s*\]")


def dump(gold: dict[str, Any]) -> str:
    """Indented JSON with every list of numbers (a span) on one line."""
    text = json.dumps(gold, indent=1, ensure_ascii=False)
    flat = _NUMBERS.sub(
        lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text
    )
    return flat + "\n"


def _texts(keys: set[str], folder: Path | None) -> dict[str, str]:
    if folder is not None:
        return {k: (folder / f"{k}.txt").read_text(encoding="utf-8") for k in keys}
    return {k: a.text for k, a in load_articles(default_data_dir(), keys).items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("check", "build"))
    parser.add_argument("drafts", nargs="+", type=Path)
    parser.add_argument("--texts", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    drafts = {}
    for path in args.drafts:
        draft = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(draft, dict) or not draft.get("article"):
            print(f"{path}: not a draft (no 'article' key)")
            return 1
        drafts[path] = draft
    texts = _texts({d["article"] for d in drafts.values()}, args.texts)
    built, failed = {}, 0
    for path, draft in drafts.items():
        text = texts.get(draft["article"])
        if text is None:
            print(f"{path}: unknown article {draft['article']!r}")
            failed += 1
            continue
        gold, problems = anchor(draft, text)
        for problem in problems:
            print(f"{path}: {problem}")
        failed += bool(problems)
        built[draft["article"]] = gold
        events, entities = len(gold["events"]), len(gold["entities"])
        print(f"{path}: {'ok' if not problems else 'PROBLEMS'} ({events} events, {entities} ents)")
    if failed:
        return 1
    if args.action == "build":
        if args.out is None:
            raise GoldError("build needs --out")
        args.out.mkdir(parents=True, exist_ok=True)
        for key, gold in built.items():
            (args.out / f"{key}.json").write_text(dump(gold))
    return 0


if __name__ == "__main__":
    sys.exit(main())
