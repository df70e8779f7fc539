"""The PLOVER event dictionaries: categories, the CAMEO->PLOVER map, verb and noun triggers.

All of it is data under ``eventwire/data/plover`` (see its README): PETRARCH2's CAMEO verb
dictionary mapped through the 2021 CAMEO->PLOVER table, plus hand-curated verbs and nominal
triggers that take precedence. Users extend it with their own TSV files in the same format
(``load_lexicon(extra_verbs=..., extra_nouns=...)`` or the ``lexicon_files`` config of the
``eventwire_events`` factory). Loaded once and cached.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from eventwire.datafiles import load_yaml
from eventwire.errors import DataError
from eventwire.record import EVENT_TYPES

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "plover"
PLOVER_TYPES: tuple[str, ...] = EVENT_TYPES
#: Old PLOVER names still found in gold data, mapped to the current ones.
LEGACY_NAMES = {
    "YIELD": "CONCEDE",
    "DEMAND": "REQUEST",
    "FIGHT": "ASSAULT",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
}


@dataclass(frozen=True, slots=True)
class Coding:
    """What a trigger means: PLOVER type and mode, PLOVER contexts, the closest CAMEO code."""

    type: str
    mode: str | None
    cameo: str | None
    contexts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VerbRule:
    """One verb entry: ``verb`` (lemma, "call off" with its particle), optional ``prep`` and
    ``object`` head lemma the pattern requires; ``coding`` None marks a non-event pattern."""

    verb: str
    prep: str
    object: str
    coding: Coding | None
    origin: str

    def specificity(self) -> int:
        """Which rule wins when several fit: curated and user rules beat PETRARCH's (whose
        object patterns, out of their TABARI context, often contradict the verb: "condemn a
        protest" -> COERCE, "condemn a decision" -> no event); within a source, a rule naming
        an object beats one asking for any object (``*``), which beats the bare verb, and a
        preposition adds to each."""
        named = 1 if self.object == "*" else 2 * bool(self.object)
        return 10 * (self.origin != "petrarch") + named + bool(self.prep)

    def preps(self) -> tuple[str, ...]:
        """The prepositions this rule accepts (PETRARCH writes alternatives as ``by/with``)."""
        return tuple(self.prep.split("/")) if self.prep else ()


@dataclass(frozen=True, slots=True)
class NounRule:
    """A nominal trigger: noun lemma, optional modifier ("hunger" strike) and its coding."""

    noun: str
    modifier: str
    coding: Coding | None
    origin: str


@dataclass
class Lexicon:
    cameo: dict[str, Coding] = field(default_factory=dict)
    verbs: dict[str, list[VerbRule]] = field(default_factory=dict)  # curated and user rules
    verb_blocks: dict[str, list[tuple[str, Coding | None]]] = field(default_factory=dict)
    block_patterns: dict[str, list[VerbRule]] = field(default_factory=dict)
    synsets: dict[str, frozenset[str]] = field(default_factory=dict)
    nouns: dict[str, list[NounRule]] = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    non_agents: frozenset[str] = frozenset()  # subject lemmas that are never actors
    version: int = 1
    #: ``verb_rules`` per lemma, merged once, in their order and most specific first: every
    #: verb of every article asks for them, and merging PETRARCH's blocks cost about 4% of
    #: extraction. The loaders below clear it.
    _rules_by_lemma: dict[str, tuple[tuple[VerbRule, ...], tuple[VerbRule, ...]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    #: See :meth:`noun_tails`; built on first use, cleared by the loaders below.
    _noun_tails: frozenset[str] | None = field(default=None, repr=False, compare=False)

    def to_plover(self, cameo: str | None) -> Coding | None:
        """The PLOVER coding of a CAMEO code, walking up to its parent code when unlisted."""
        code = (cameo or "").strip()
        while len(code) >= 2:
            if code in self.cameo:
                return self.cameo[code]
            code = code[:-1] if len(code) > 3 else code[:2] if len(code) == 3 else ""
        return None

    def verb_rules(self, lemma: str) -> list[VerbRule]:
        """Every rule for a verb lemma: curated/user rules first, then PETRARCH's block rules
        (the bare verb's own code and its block's patterns); same-key later entries lose."""
        return list(self._rule_lists(lemma)[0])

    def ranked_verb_rules(self, lemma: str) -> tuple[VerbRule, ...]:
        """:meth:`verb_rules` most specific first, ties in their order: the first one that
        fits a verb is the rule the most specific, earliest, fitting one would pick."""
        return self._rule_lists(lemma)[1]

    def _rule_lists(self, lemma: str) -> tuple[tuple[VerbRule, ...], tuple[VerbRule, ...]]:
        cached = self._rules_by_lemma.get(lemma)
        if cached is None:
            merged = tuple(self._merged_rules(lemma))
            ranked = tuple(sorted(merged, key=lambda r: -r.specificity()))  # stable: keeps order
            cached = self._rules_by_lemma[lemma] = (merged, ranked)
        return cached

    def _merged_rules(self, lemma: str) -> list[VerbRule]:
        rules = list(self.verbs.get(lemma, []))
        seen = {(r.prep, r.object) for r in rules}
        for block, coding in self.verb_blocks.get(lemma, []):
            candidates = [
                VerbRule(lemma, "", "", coding, "petrarch"),
                *self.block_patterns.get(block, []),
            ]
            for rule in candidates:
                if (rule.prep, rule.object) not in seen:
                    seen.add((rule.prep, rule.object))
                    rules.append(rule)
        return rules

    def object_matches(self, rule_object: str, words: set[str]) -> bool:
        """Whether a rule's object (a word, an ``&SYNSET``, or ``*`` for any) names one of
        ``words``."""
        if rule_object == "*":
            return bool(words)
        if rule_object.startswith("&"):
            return bool(self.synsets.get(rule_object, frozenset()) & words)
        return rule_object in words

    def noun_rules(self, lemma: str) -> list[NounRule]:
        return self.nouns.get(lemma, [])

    def noun_tails(self) -> frozenset[str]:
        """Every noun key and every end of a key after a space ("toll" of "death toll"). A
        nominal trigger is looked up by the noun's lemma, its form, or "modifier lemma", so a
        noun whose lemma and form are both missing here has no rule: most nouns of an article,
        which need not have their modifiers read and their keys built."""
        if self._noun_tails is None:
            self._noun_tails = frozenset(
                tail
                for key in self.nouns
                for tail in (key, *(key[i + 1 :] for i, c in enumerate(key) if c == " "))
            )
        return self._noun_tails


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a ``#``-commented, tab-separated file with a header line."""
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t"):
            yield {k: (v or "").strip() for k, v in row.items() if k}


def _file_version(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("# version:"):
                return int(line.split(":", 1)[1])
    return 0


def _coding(lexicon: Lexicon, row: dict[str, str], source: Path) -> Coding | None:
    """A row's coding: its explicit type/mode if given, else its CAMEO code through the map."""
    cameo = row.get("cameo") or None
    mapped = lexicon.to_plover(cameo)
    kind = row.get("type") or (mapped.type if mapped else "")
    if not kind:
        return None
    kind = LEGACY_NAMES.get(kind, kind)
    if kind not in PLOVER_TYPES:
        raise DataError(f"{source}: {row}: type {kind!r} is not a PLOVER category")
    mode = row.get("mode") or (mapped.mode if mapped and mapped.type == kind else None)
    contexts = tuple(c for c in (row.get("contexts") or "").split(";") if c)
    if not contexts and mapped and mapped.type == kind:
        contexts = mapped.contexts
    return Coding(kind, mode or None, cameo, contexts)


def _load_cameo(lexicon: Lexicon, paths: Iterable[Path]) -> None:
    for path in paths:
        for row in read_tsv(path):
            contexts = tuple(c for c in row["contexts"].split(";") if c)
            lexicon.cameo[row["cameo"]] = Coding(
                row["type"], row["mode"] or None, row["cameo"], contexts
            )


def _add_verbs(lexicon: Lexicon, path: Path) -> None:
    lexicon._rules_by_lemma.clear()
    for row in read_tsv(path):
        rule = VerbRule(
            row["verb"].lower(),
            row.get("prep", "").lower(),
            row.get("object", "").lower(),
            _coding(lexicon, row, path),
            row.get("origin") or path.stem,
        )
        rules = lexicon.verbs.setdefault(rule.verb, [])
        rules[:] = [r for r in rules if (r.prep, r.object) != (rule.prep, rule.object)]
        rules.append(rule)


def _add_petrarch(lexicon: Lexicon) -> None:
    lexicon._rules_by_lemma.clear()
    for row in read_tsv(DATA_DIR / "petrarch_verbs.tsv"):
        coding = _coding(lexicon, row, DATA_DIR / "petrarch_verbs.tsv")
        lexicon.verb_blocks.setdefault(row["verb"], []).append((row["block"], coding))
    for row in read_tsv(DATA_DIR / "petrarch_patterns.tsv"):
        obj = row["object"] if row["object"].startswith("&") else row["object"].lower()
        rule = VerbRule(
            "",
            row["prep"].lower(),
            obj,
            _coding(lexicon, row, DATA_DIR / "petrarch_patterns.tsv"),
            "petrarch",
        )
        lexicon.block_patterns.setdefault(row["block"], []).append(rule)
    with (DATA_DIR / "petrarch_synsets.yaml").open(encoding="utf-8") as handle:
        synsets = load_yaml(handle)["synsets"]
    lexicon.synsets = {name: frozenset(words) for name, words in synsets.items()}


def _add_nouns(lexicon: Lexicon, path: Path) -> None:
    lexicon._noun_tails = None
    for row in read_tsv(path):
        rule = NounRule(
            row["noun"].lower(),
            row.get("modifier", "").lower(),
            _coding(lexicon, row, path),
            row.get("origin") or path.stem,
        )
        rules = lexicon.nouns.setdefault(rule.noun, [])
        rules[:] = [r for r in rules if r.modifier != rule.modifier]
        rules.append(rule)


@lru_cache(maxsize=8)
def load_lexicon(extra_verbs: tuple[str, ...] = (), extra_nouns: tuple[str, ...] = ()) -> Lexicon:
    """The shipped dictionaries plus any user files (later files override earlier entries)."""
    lexicon = Lexicon()
    with (DATA_DIR / "categories.yaml").open(encoding="utf-8") as handle:
        meta = load_yaml(handle)
    lexicon.categories = meta["categories"]
    lexicon.version = int(meta["version"])
    _load_cameo(lexicon, [DATA_DIR / "cameo_plover.tsv", DATA_DIR / "cameo_supplement.tsv"])
    _add_petrarch(lexicon)
    for path in [DATA_DIR / "curated_verbs.tsv", *map(Path, extra_verbs)]:
        _add_verbs(lexicon, path)
    for path in [DATA_DIR / "nouns.tsv", *map(Path, extra_nouns)]:
        _add_nouns(lexicon, path)
    lexicon.non_agents = load_non_agents(DATA_DIR / "non_agents.yaml")
    return lexicon


def load_non_agents(path: Path) -> frozenset[str]:
    """Subject lemmas that never make an event an actor's (``non_agents.yaml``): every list in
    the file counts, so users add their own groups."""
    with path.open(encoding="utf-8") as handle:
        data = load_yaml(handle)
    if not isinstance(data, dict) or "version" not in data:
        raise DataError(f"{path}: expected a mapping with a version and lists of lemmas")
    groups = [words for key, words in data.items() if key != "version"]
    if not all(isinstance(words, list) for words in groups):
        raise DataError(f"{path}: every group must be a list of lemmas")
    return frozenset(str(word).lower() for words in groups for word in words)


def data_versions() -> dict[str, int]:
    """The version of each shipped data file, for provenance in eval reports."""
    return {p.name: _file_version(p) for p in sorted(DATA_DIR.glob("*.tsv"))}
