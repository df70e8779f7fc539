"""Entities: one record per real actor, with every mention, alias, type, country and KB link.

Mentions come from spaCy's NER plus a phrase matcher over the actor knowledge base (which also
finds actors the model misses), cleaned in ``mentions.py``: titles, honorifics, units and
weapons alone are no mentions, and a person's mention starts after its title ("Mayor X"). A KB
match fixes the NER type (a known media outlet tagged PERSON is an ORG; a known armed group
tagged GPE is an ORG); a one-word KB alias that is an English word ("Island") is not linked.
A populated place the model typed PERSON or ORG becomes GPE (``retype.py``). Then mentions
are grouped:

* people by name: honorifics, particles, possessives and case are ignored (``names.py``); a
  full name joins an earlier one with the same core tokens; a lone first name joins the one
  person whose full name opens with it; a bare surname ("Haddad", which the
  small model often tags GPE or ORG) joins the person whose full name ends with it. When two
  different people share the surname, the bare surname goes to the one whose full name was
  mentioned most recently before it (or, before any, the first one after it);
* everything else by KB id, else by folded name within the same type; an all-capital acronym
  joins the organisation whose initials it spells ("AQIM");
* unlinked mentions of one name take the name's majority type across the document.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from eventwire import deadline
from eventwire import gazetteer as gazetteer_module
from eventwire.extract import span_text
from eventwire.extract.coref import first_names
from eventwire.extract.kb import ActorKB, NameHit, load_kb
from eventwire.extract.mentions import (
    TYPE_MAP,
    Mention,
    WordUse,
    common_words,
    drop_common_words,
    drop_non_names,
    extend_org,
    is_portfolio,
    mention_text,
    ner_mentions,
    sentence_initial,
    surname_mentions,
)
from eventwire.extract.names import (
    clean_surface,
    core_tokens,
    fold,
    initials,
    is_acronym,
    load_titles,
    strip_honorifics,
)
from eventwire.extract.retype import Places, retype_places
from eventwire.record import Entity, TextSpan

#: The public names; the mention steps among them are re-exported from :mod:`.mentions`.
__all__ = [
    "TYPE_MAP",
    "EntityResolver",
    "KBMatcher",
    "Mention",
    "build_entity",
    "common_words",
    "context_countries",
    "drop_common_words",
    "extend_org",
    "group_mentions",
    "is_portfolio",
    "make_entities",
    "ner_mentions",
    "reconcile",
    "sentence_initial",
    "surname_mentions",
]

_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "OTHER"})
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


@dataclass(slots=True)
class _Group:
    mentions: list[Mention] = field(default_factory=list)
    label: str = "OTHER"

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


class KBMatcher:
    """A phrase matcher over every KB surface form (matched on lower case, then case-checked)."""

    def __init__(self, nlp: Language, kb: ActorKB, common: frozenset[str] = frozenset()) -> None:
        self.kb = kb
        self.common = common
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        forms = set(kb.surface_forms())
        forms |= {f.replace("-", " ") for f in forms if "-" in f}
        patterns = list(nlp.tokenizer.pipe(sorted(forms)))
        for i in range(0, len(patterns), 1000):
            self.matcher.add("KB", patterns[i : i + 1000])

    def __call__(self, doc: Doc) -> list[tuple[Span, NameHit]]:
        spans = []
        for _, start, end in self.matcher(doc):
            span = doc[start:end]
            hit = self.kb.lookup(span.text)
            if hit is not None and _plausible(span, hit) and self._a_name(span, hit):
                spans.append((span, hit))
        kept = set(filter_spans([s for s, _ in spans]))
        return [(s, h) for s, h in spans if s in kept]

    def _a_name(self, span: Span, hit: NameHit) -> bool:
        return not _is_common_alias(span.text, hit, self.common)


def _is_common_alias(text: str, hit: NameHit, common: frozenset[str]) -> bool:
    """A one-word alias that is also an English word ('Island', Iceland's name in its own
    language): in English text it is the word, not the actor. The actor's own name ('Turkey',
    'Chad') is kept: there the capital decides."""
    word = text.lower()
    if not (text.isalpha() and text.istitle()) or hit.type == "NORP":
        return False  # 'US', 'U.S.': acronyms are names; 'Ukrainian' is the demonym
    return word in common and fold(text) != fold(hit.actor.name)


def _plausible(span: Span, hit: NameHit) -> bool:
    """A KB name in running text has a capital; an acronym that is also a common word ('WHO',
    'US', 'IS') is not trusted inside an all-capitals headline."""
    if not any(t.text[:1].isupper() for t in span):
        return False
    if not (is_acronym(hit.surface) and span.text.lower() in STOP_WORDS):
        return True
    sentence = span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]
    words = [t.text for t in sentence if t.is_alpha and len(t.text) > 1]
    return not (len(words) > 2 and all(w.isupper() for w in words))


# --- reconciling the model's spans with KB matches ---------------------------------------------


def _fixed_label(label: str, hit: NameHit) -> tuple[str, bool]:
    """The label after a KB match on the same span, and whether the KB fixed it.

    Organisations, countries and demonyms override the model; a capital only corrects ORG
    (a person may share a capital's name); an entry without a type keeps the model's label.
    """
    if hit.type is None:
        return label, False
    if hit.actor.kind == "capital" and label not in ("ORG", "GPE", "LOC"):
        return label, False
    if hit.type == "GPE" and label == "LOC":
        return label, True
    return hit.type, True


def reconcile(mentions: list[Mention], matches: list[tuple[Span, NameHit]]) -> list[Mention]:
    """Attach KB hits to the model's mentions; add KB-only mentions; larger KB spans win."""
    by_span = {(m.start, m.end): m for m in mentions}
    for span, hit in matches:
        same = by_span.get((span.start, span.end))
        if same is not None:
            same.hit = hit
            same.label, same.locked = _fixed_label(same.label, hit)
            continue
        overlapping = [m for m in by_span.values() if m.start < span.end and span.start < m.end]
        if all(span.start <= m.start and m.end <= span.end for m in overlapping):
            for m in overlapping:
                del by_span[(m.start, m.end)]
            label = hit.type or (overlapping[0].label if overlapping else "OTHER")
            by_span[(span.start, span.end)] = Mention(span.start, span.end, label, hit, locked=True)
    return sorted(by_span.values(), key=lambda m: m.start)


# --- grouping ----------------------------------------------------------------------------------


def _majority_types(doc: Doc, mentions: list[Mention]) -> None:
    """Unlinked mentions of one name take the name's most frequent type in the document. A
    tie goes to PERSON when the name opens with a known first name ('Bettie Page' once ORG,
    once PERSON), else to the type read first."""
    votes: dict[str, Counter[str]] = {}  # counts, and half a vote for a first name
    names = first_names()
    for m in mentions:
        votes.setdefault(fold(mention_text(doc, m)), Counter())[m.label] += 1
    for name, counter in votes.items():
        words = name.split()
        if "PERSON" in counter and len(words) > 1 and words[0] in names:
            counter["PERSON"] += 0.5
    for m in mentions:
        if not m.locked:
            m.label = votes[fold(mention_text(doc, m))].most_common(1)[0][0]


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Full names of one person: same last token and same (or initial-compatible) first."""
    if a == b:
        return True
    if a[-1] != b[-1] or len(a) < 2 or len(b) < 2:
        return False
    return (
        a[0] == b[0]
        or (len(a[0]) == 1 and b[0].startswith(a[0]))
        or (len(b[0]) == 1 and a[0].startswith(b[0]))
    )


def _person_groups(doc: Doc, mentions: list[Mention], groups: list[_Group]) -> None:
    """Group full-name PERSON mentions; bare surnames join later in ``_attach_surnames``."""
    keys: list[tuple[str, ...]] = []
    for m in mentions:
        core = core_tokens(mention_text(doc, m))
        if m.label != "PERSON" or len(core) < 2:
            continue
        found = next((i for i, key in enumerate(keys) if _same_person(core, key)), None)
        if found is None:
            keys.append(core)
            groups.append(_Group(label="PERSON"))
            found = len(groups) - 1
        m.group = found
        groups[found].mentions.append(m)


class _PersonIndex:
    """The PERSON groups by the core tokens of their mentions, kept up to date as mentions join,
    so that attaching each bare surname costs a lookup rather than a pass over every mention
    (that pass made long articles quadratic: 13 s of 30 at 200,000 characters)."""

    def __init__(self, doc: Doc, groups: list[_Group]) -> None:
        self.doc = doc
        self.by_core: dict[tuple[str, ...], int] = {}  # a mention's core -> first group with it
        self.by_last: dict[str, set[int]] = {}  # a full name's last token -> groups
        self.by_first: dict[str, set[int]] = {}  # a full name's first token -> groups
        self.full_starts: dict[int, list[int]] = {}  # group -> starts of its full names, sorted
        for gi, group in enumerate(groups):
            if group.label == "PERSON":
                for m in group.mentions:
                    self.add(gi, m, core_tokens(mention_text(doc, m)))

    def add(self, gi: int, m: Mention, core: tuple[str, ...]) -> None:
        self.by_core.setdefault(core, gi)
        self.by_core[core] = min(self.by_core[core], gi)
        if len(core) > 1:
            self.by_last.setdefault(core[-1], set()).add(gi)
            self.by_first.setdefault(core[0], set()).add(gi)
            bisect.insort(self.full_starts.setdefault(gi, []), m.start)

    def surname_owner(self, m: Mention, token: str) -> int | None:
        """The person group a bare surname belongs to: the nearest full name before, else
        after (among the groups with a full name ending in it; ties to the first group)."""
        owners = []
        for gi in self.by_last.get(token, ()):
            starts = self.full_starts[gi]
            k = bisect.bisect_left(starts, m.start)
            owners.append((0, -starts[k - 1], gi) if k else (1, starts[k], gi))
        return min(owners)[2] if owners else None

    def first_name_owner(self, token: str) -> int | None:
        """The one person whose full name opens with this lone word ('Imran' for Imran Khan,
        once typed ORG); None when several people share that first name or nobody has it."""
        owners = self.by_first.get(token, set())
        return next(iter(owners)) if len(owners) == 1 else None


def _attach_surnames(doc: Doc, mentions: list[Mention], groups: list[_Group]) -> None:
    """Single-token names (any unlinked type) that are a known person's surname join that person;
    a full name typed ORG/GPE by the model that equals a known person's name does too."""
    index = _PersonIndex(doc, groups)
    for m in mentions:
        if m.group >= 0 or (m.locked and m.label != "PERSON"):
            continue
        core = core_tokens(mention_text(doc, m))
        if len(core) == 1:
            owner = index.surname_owner(m, core[0])
            if owner is None and m.label in ("PERSON", "ORG"):  # 'Georgia' the state stays
                owner = index.first_name_owner(core[0])
        else:
            owner = index.by_core.get(core)
        if owner is not None:
            m.group, m.label = owner, "PERSON"
            groups[owner].mentions.append(m)
            index.add(owner, m, core)


def _other_key(doc: Doc, m: Mention) -> tuple[str, str]:
    if m.hit is not None:
        return ("kb", m.hit.actor.kb_id + "|" + (m.hit.type or m.label))
    if m.label == "PERSON":
        return ("PERSON", " ".join(core_tokens(mention_text(doc, m))))
    return (m.label, fold(mention_text(doc, m)))


def _other_groups(doc: Doc, mentions: list[Mention], groups: list[_Group]) -> None:
    """Everything not yet grouped: by KB id (and reading), else by type and folded name."""
    index: dict[tuple[str, str], int] = {}
    for m in mentions:
        if m.group >= 0:
            continue
        key = _other_key(doc, m)
        if key not in index:
            index[key] = len(groups)
            groups.append(_Group(label=m.label))
        m.group = index[key]
        groups[m.group].mentions.append(m)


def _merge_acronyms(doc: Doc, groups: list[_Group]) -> None:
    """An unlinked all-capital ORG name joins the one ORG group whose name it abbreviates."""
    for group in groups:
        if group.label != "ORG" or not group.mentions or group.mentions[0].hit is not None:
            continue
        text = mention_text(doc, group.mentions[0])
        if not is_acronym(text):
            continue
        targets = [
            g
            for g in groups
            if g is not group
            and g.label == "ORG"
            and g.mentions
            and any(initials(mention_text(doc, x)) == text.replace(".", "") for x in g.mentions)
        ]
        if len(targets) == 1:
            targets[0].mentions.extend(group.mentions)
            group.mentions = []


def group_mentions(doc: Doc, mentions: list[Mention]) -> list[_Group]:
    """All grouping steps, in order; returns non-empty groups sorted by first mention."""
    _majority_types(doc, mentions)
    groups: list[_Group] = []
    _person_groups(doc, mentions, groups)
    _attach_surnames(doc, mentions, groups)
    _other_groups(doc, mentions, groups)
    _merge_acronyms(doc, groups)
    return sorted((g for g in groups if g.mentions), key=lambda g: g.first)


# --- building records --------------------------------------------------------------------------


def _canonical(doc: Doc, group: _Group) -> str:
    """The most complete name without honorific; a KB-linked organisation keeps the KB name."""
    hits = [m.hit for m in group.mentions if m.hit is not None]
    if hits and group.label in ("ORG", "GPE") and hits[0].type == group.label:
        return hits[0].actor.name
    names = [_without_article(strip_honorifics(mention_text(doc, m))) for m in group.mentions]
    names = [n for n in names if n] or [clean_surface(mention_text(doc, group.mentions[0]))]
    return max(names, key=lambda n: (len(core_tokens(n)), not n.isupper(), len(n)))


def _without_article(name: str) -> str:
    """'The Red Cross' -> 'Red Cross' for a canonical name (mentions keep the text as written)."""
    head, _, rest = name.partition(" ")
    return rest if head.lower() == "the" and rest else name


def _country(group: _Group) -> str | None:
    hits = [m.hit for m in group.mentions if m.hit is not None]
    return Counter(h.actor.country for h in hits).most_common(1)[0][0] if hits else None


def _kb_id(group: _Group) -> str | None:
    """The linked actor, except for a demonym group (the Lebanese are not Lebanon)."""
    hits = [
        m.hit for m in group.mentions if m.hit is not None and m.hit.type in (None, group.label)
    ]
    if not hits or group.label == "NORP":
        return None
    return Counter(h.actor.kb_id for h in hits).most_common(1)[0][0]


def _prefix_country(doc: Doc, m: Mention, kb: ActorKB) -> str | None:
    """The country an organisation's name opens with ('Philippine Senate', 'Bangladesh Red
    Crescent Society')."""
    for n in (2, 1):
        if m.end - m.start > n:
            hit = kb.lookup(span_text(doc, m.start, m.start + n))
            if hit is not None and hit.actor.kind == "country" and hit.type in ("GPE", "NORP"):
                return hit.actor.country
    return None


def _preceding_country(
    doc: Doc, m: Mention, groups: list[_Group], token_group: dict[int, int]
) -> str | None:
    """The country named right before a mention: "Mali's defence ministry" (a place with a
    possessive), "the Malian defence ministry" (a demonym)."""
    j = m.start - 1
    possessive = j > 0 and doc[j].lower_ in _POSSESSIVES
    j -= possessive
    other = groups[token_group[j]] if j in token_group else None
    if other is None or (other.label, possessive) not in (("GPE", True), ("NORP", False)):
        return None
    return _country(other)


def context_countries(doc: Doc, groups: list[_Group], kb: ActorKB) -> dict[int, str]:
    """Group index -> country, for organisations the KB does not know, read from the words
    around their mentions (a generic 'defence ministry' belongs to the country that owns it)."""
    token_group = {
        i: gi for gi, g in enumerate(groups) for m in g.mentions for i in range(m.start, m.end)
    }
    found: dict[int, str] = {}
    for gi, group in enumerate(groups):
        if group.label != "ORG" or any(m.hit is not None for m in group.mentions):
            continue
        votes = Counter(
            c
            for m in group.mentions
            if (c := _prefix_country(doc, m, kb) or _preceding_country(doc, m, groups, token_group))
        )
        if votes:
            found[gi] = votes.most_common(1)[0][0]
    return found


def build_entity(doc: Doc, group: _Group, eid: str, country: str | None = None) -> Entity:
    """The record of one group; ``country`` is the fallback when no KB link gives one."""
    mentions = sorted(group.mentions, key=lambda m: m.start)
    spans = [doc[m.start : m.end] for m in mentions]
    aliases = list(dict.fromkeys(clean_surface(s.text) for s in spans))
    return Entity(
        id=eid,
        name=_canonical(doc, group),
        type=group.label if group.label in _NAME_TYPES else "OTHER",
        aliases=aliases,
        mentions=[TextSpan(s.start_char, s.end_char, s.text) for s in spans],
        country=_country(group) or country,
        kb_id=_kb_id(group),
    )


class EntityResolver:
    """The ``eventwire_entities`` component: sets ``doc._.ew_entities`` and ``ew_token_entity``."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        actor_files: list[str],
        gazetteer: Callable[[], Places] | None = None,
    ) -> None:
        self.gazetteer = gazetteer or gazetteer_module.load
        self.actor_files = list(actor_files)
        self.kb = load_kb(self.actor_files)
        self.common = common_words(nlp)
        self.matcher = KBMatcher(nlp, self.kb, self.common)

    def mentions(self, doc: Doc) -> list[Mention]:
        """Every mention before grouping: the model's (cleaned), the KB's, untagged surnames."""
        ner = ner_mentions(doc, load_titles().org_heads)
        ner = [m for m in ner if not is_portfolio(doc, m, self.common, self.kb)]
        ner = drop_non_names(doc, ner)
        use = WordUse.of(doc)
        mentions = drop_common_words(doc, reconcile(ner, self.matcher(doc)), self.common, use)
        mentions += surname_mentions(doc, mentions, self.kb, self.common, use)
        mentions = retype_places(doc, mentions, self.gazetteer, first_names())
        return sorted(mentions, key=lambda m: m.start)

    def __call__(self, doc: Doc) -> Doc:
        deadline.check()
        groups = group_mentions(doc, self.mentions(doc))
        countries = context_countries(doc, groups, self.kb)
        entities: list[Entity] = []
        token_entity: list[str | None] = [None] * len(doc)
        for i, group in enumerate(groups):
            deadline.check()
            entity = build_entity(doc, group, f"e{i + 1}", countries.get(i))
            entities.append(entity)
            for m in group.mentions:
                token_entity[m.start : m.end] = [entity.id] * (m.end - m.start)
        doc._.ew_entities = entities
        doc._.ew_token_entity = token_entity
        return doc


@Language.factory(
    "eventwire_entities",
    default_config={"actor_files": []},
    requires=["doc.ents"],
    assigns=["doc._.ew_entities", "doc._.ew_token_entity"],
)
def make_entities(nlp: Language, name: str, actor_files: list[str]) -> EntityResolver:
    return EntityResolver(nlp, name, actor_files)
