"""Entities: one record per real actor, with every mention, alias, type, country and KB link.

Mentions come from spaCy's NER plus a phrase matcher over the actor knowledge base (which also
finds actors the model misses). A KB match fixes the NER type (a known media outlet tagged
PERSON is an ORG; a known armed group tagged GPE is an ORG). Then mentions are grouped:

* people by name: honorifics, particles, possessives and case are ignored (``names.py``); a
  full name joins an earlier one with the same core tokens; a bare surname ("Arouri", which the
  small model often tags GPE or ORG) joins the person whose full name ends with it. When two
  different people share the surname, the bare surname goes to the one whose full name was
  mentioned most recently before it (or, before any, the first one after it);
* everything else by KB id, else by folded name within the same type; an all-capital acronym
  joins the organisation whose initials it spells ("PIJ");
* unlinked mentions of one name take the name's majority type across the document.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from eventwire.extract.names import (
    clean_surface,
    core_tokens,
    fold,
    initials,
    is_acronym,
    load_titles,
    strip_honorifics,
)
from eventwire.kb import ActorKB, NameHit, load_kb
from eventwire.record import Entity, TextSpan

#: spaCy labels kept, and the record type each becomes; dates, numbers etc. are dropped.
TYPE_MAP = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "FAC",
    "EVENT": "OTHER", "PRODUCT": "OTHER", "WORK_OF_ART": "OTHER", "LAW": "OTHER",
    "LANGUAGE": "OTHER",
}  # fmt: skip
_LEADING = frozenset({"the", '"', "'", "“", "‘", "”", "’", "(", "-", "—"})
_TRAILING = frozenset({"'s", "’s", "'", "’", '"', "”", "“", ",", ".", ")", "-", ":", ";"})
_NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "OTHER"})
_OPEN_END = frozenset({"and", "of", "for", "&", "on"})
_ORG_INNER = frozenset({"and", "of", "for", "&", "on", "the"})
_SENTENCE_END = frozenset({".", "!", "?", ":", ";"})
_PORTFOLIO_TITLES = frozenset({"minister", "secretary"})
_PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "across"})
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


@dataclass(slots=True)
class Mention:
    """One stretch of tokens naming an actor, before grouping."""

    start: int
    end: int
    label: str
    hit: NameHit | None = None
    group: int = -1
    locked: bool = False  # type fixed by the KB: no later rule changes it


@dataclass(slots=True)
class _Group:
    mentions: list[Mention] = field(default_factory=list)
    label: str = "OTHER"

    @property
    def first(self) -> int:
        return min(m.start for m in self.mentions)


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading 'the'/quote and trailing possessive/punctuation/space tokens."""
    while start < end and (doc[start].lower_ in _LEADING or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].lower_ in _TRAILING or doc[end - 1].is_space):
        end -= 1
    return start, end


def _split_possessive(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """'Lebanon 's Hezbollah' as one span is two names: split at an inner possessive."""
    for i in range(start + 1, end - 1):
        if doc[i].lower_ in ("'s", "’s"):
            return [(start, i), (i + 1, end)]
    return [(start, end)]


def _paragraphs(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """An entity never runs across a blank line ('... Newsletter\n\n\nAl-Mayadeen'): cut there."""
    pieces, begin = [], start
    for i in range(start, end):
        if doc[i].is_space and doc[i].text.count("\n") >= 2:
            pieces.append((begin, i))
            begin = i + 1
    pieces.append((begin, end))
    return [(a, b) for a, b in pieces if b > a]


def _org_run(
    doc: Doc, k: int, heads: frozenset[str], inner: frozenset[str]
) -> tuple[int, int | None]:
    """The capitalised words from token k (and the ``inner`` words between them): (run end, end
    after the last organisation head noun in it, or None)."""
    start, last_head = k, None
    while (
        k < len(doc)
        and k - start < 6
        and not doc[k].is_space
        and (doc[k].is_title or doc[k].is_upper or doc[k].lower_ in inner)
        and (doc[k].is_alpha or doc[k].text == "&")
    ):
        if doc[k].lower_ in heads:
            last_head = k + 1
        k += 1
    while k > start and doc[k - 1].lower_ in inner:
        k -= 1
    return k, last_head


def extend_org(doc: Doc, start: int, end: int, heads: frozenset[str]) -> int:
    """The end of an ORG span the model cut at a conjunction or preposition ('The X Intelligence
    and' + 'Terrorism Information Center'): over the following capitalised words to a head noun
    ('Center'); when the name already has its head ('Ministry of' + 'Foreign Affairs'), over the
    capitalised words that follow. Without either, the dangling word is dropped."""
    if end - start < 2 or doc[end - 1].lower_ not in _OPEN_END:
        return end
    if any(t.lower_ in heads for t in doc[start : end - 1]):
        run_end, _ = _org_run(doc, end, heads, frozenset())
        return run_end if run_end > end else end - 1
    _, last_head = _org_run(doc, end, heads, _ORG_INNER)
    return last_head if last_head is not None else end - 1


def is_portfolio(doc: Doc, m: Mention, common: frozenset[str], kb: ActorKB) -> bool:
    """'Health' in 'Health Minister X', 'Philippine Trade' in 'Philippine Trade Secretary X': an
    ORG of common words (after a country or demonym, if any) right before 'Minister' names a
    portfolio, not an organisation ('Labour Party Secretary' keeps its party: a head noun)."""
    if m.label != "ORG" or m.end >= len(doc) or doc[m.end].lower_ not in _PORTFOLIO_TITLES:
        return False
    words = list(doc[m.start : m.end])
    hit = kb.lookup(words[0].text)
    if hit is not None and hit.actor.kind == "country":
        words = words[1:]
    heads = load_titles().org_heads
    return bool(words) and all(t.lower_ in common and t.lower_ not in heads for t in words)


def ner_mentions(doc: Doc, org_heads: frozenset[str] = frozenset()) -> list[Mention]:
    """The model's named-entity spans, cut at paragraph breaks, trimmed, split at possessives,
    cut-off organisation names completed, as mentions."""
    mentions: list[Mention] = []
    covered = 0  # tokens before this are inside an extended organisation name
    for ent in doc.ents:
        label = TYPE_MAP.get(ent.label_)
        if label is None or ent.end <= covered:
            continue
        for start, end in _paragraphs(doc, max(ent.start, covered), ent.end):
            start, end = _trim(doc, start, end)
            if label == "ORG":
                end = extend_org(doc, start, end, org_heads)
                covered = max(covered, end)
            for a, b in _split_possessive(doc, start, end):
                a, b = _trim(doc, a, b)
                if b > a and any(ch.isalpha() for ch in doc[a:b].text):
                    mentions.append(Mention(a, b, label))
    return mentions


class KBMatcher:
    """A phrase matcher over every KB surface form (matched on lower case, then case-checked)."""

    def __init__(self, nlp: Language, kb: ActorKB) -> None:
        self.kb = kb
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
            if hit is not None and _plausible(span, hit):
                spans.append((span, hit))
        kept = set(filter_spans([s for s, _ in spans]))
        return [(s, h) for s, h in spans if s in kept]


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


# --- lone common words and unrecognised surnames -----------------------------------------------


def common_words(nlp: Language) -> frozenset[str]:
    """Lower-case English words the model's lemmatizer lists (nouns, verbs, adjectives, adverbs):
    the model's own notion of a common word, empty when the pipeline has no such table."""
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    return frozenset(w for words in lookups.get_table("lemma_index").values() for w in words)


def sentence_initial(doc: Doc, i: int) -> bool:
    """Whether token i opens a sentence or a line (where a capital says nothing about a name)."""
    j = i - 1
    while j >= 0 and (doc[j].is_space or doc[j].is_quote or doc[j].text in "(["):
        if doc[j].is_space and "\n" in doc[j].text:
            return True
        j -= 1
    return j < 0 or doc[j].text in _SENTENCE_END or doc[i].is_sent_start is True


@dataclass(slots=True)
class _WordUse:
    """How the words of one document are used: lower-case forms, and capitalised forms seen
    inside a sentence (where the capital is evidence of a name)."""

    lower: set[str]
    inner_caps: set[str]

    @classmethod
    def of(cls, doc: Doc) -> _WordUse:
        """One pass over the tokens (made once per document and shared by the steps)."""
        use = cls(set(), set())
        for t in doc:
            if t.is_lower:
                use.lower.add(t.text)
            if t.text[:1].isupper() and not sentence_initial(doc, t.i):
                use.inner_caps.add(t.text)
        return use


def _lone_common_word(doc: Doc, m: Mention, use: _WordUse, common: frozenset[str]) -> bool:
    """A single capitalised common word opening a sentence, typed as a name with nothing else
    for it: 'Turnout was 61 percent' (PERSON), 'Subscribe to ...' (an imperative). A word that is
    capitalised mid-sentence elsewhere, or a person's subject of 'said', stays a name."""
    tok = doc[m.start]
    if m.hit is not None or m.end - m.start != 1 or not tok.is_title:
        return False
    if not sentence_initial(doc, m.start) or tok.text in use.inner_caps:
        return False
    if tok.lower_ not in common and tok.lower_ not in use.lower:
        return False
    if tok.tag_.startswith("VB") or m.label == "OTHER":
        return True
    person_verb = (
        tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_ in load_titles().person_verbs
    )
    return m.label == "PERSON" and not person_verb


def drop_common_words(
    doc: Doc, mentions: list[Mention], common: frozenset[str], use: _WordUse | None = None
) -> list[Mention]:
    """Mentions without the lone common words (a surname of a named person is kept)."""
    use = use or _WordUse.of(doc)
    surnames = set(_full_names(doc, mentions))
    return [
        m
        for m in mentions
        if fold(_text(doc, m)) in surnames or not _lone_common_word(doc, m, use, common)
    ]


def _full_names(doc: Doc, mentions: list[Mention]) -> dict[str, set[str]]:
    """Surname -> first names, over the PERSON mentions that give a full name."""
    names: dict[str, set[str]] = {}
    for m in mentions:
        core = core_tokens(_text(doc, m))
        if m.label == "PERSON" and len(core) > 1:
            names.setdefault(core[-1], set()).add(core[0])
    return names


def _surname_span(
    doc: Doc, i: int, first_names: set[str], covered: set[int]
) -> tuple[int, int] | None:
    """The span of an untagged surname at token i: with its first name before it ('Daniel
    Okello'), alone after a title or honorific, or None inside another capitalised name
    ('Okello Foundation', 'Jean Okello')."""
    after = doc[i + 1] if i + 1 < len(doc) else None
    if after is not None and after.is_title and (i + 1) not in covered:
        return None
    if i == 0 or sentence_initial(doc, i):
        return i, i + 1
    before = doc[i - 1]
    if (i - 1) in covered or not before.text[:1].isupper():
        return i, i + 1
    if fold(before.text) in first_names:
        return i - 1, i + 1
    if before.lower_.rstrip(".") in load_titles().honorifics:
        return i, i + 1
    return None


def _place_here(doc: Doc, i: int, kb: ActorKB, places: set[str]) -> bool:
    """Whether the word at i names a place: one the KB knows, one tagged as a place elsewhere in
    this text, or right after 'in'/'near' ('in Washington')."""
    hit = kb.lookup(doc[i].text)
    if hit is not None and hit.type in ("GPE", "LOC", "NORP", "FAC"):
        return True
    return fold(doc[i].text) in places or (i > 0 and doc[i - 1].lower_ in _PLACE_PREPOSITIONS)


def _plausible_surname(
    doc: Doc, i: int, kb: ActorKB, use: _WordUse, common: frozenset[str], places: set[str]
) -> bool:
    """Not a common word used as one here ('May', 'Young people'), nor a place name."""
    tok = doc[i]
    if tok.lower_ in STOP_WORDS or tok.lower_ in use.lower or _place_here(doc, i, kb, places):
        return False
    if doc.has_annotation("TAG") and tok.tag_ not in ("NNP", "NNPS"):
        return False
    return not (tok.lower_ in common and sentence_initial(doc, i) and not doc.has_annotation("TAG"))


def surname_mentions(
    doc: Doc,
    mentions: list[Mention],
    kb: ActorKB,
    common: frozenset[str],
    use: _WordUse | None = None,
) -> list[Mention]:
    """Capitalised surnames of the article's named people that the model left untagged
    ('Okello added'): new PERSON mentions, grouped later like any bare surname."""
    names = _full_names(doc, mentions)
    covered = {i for m in mentions for i in range(m.start, m.end)}
    use = (use or _WordUse.of(doc)) if names else None
    places = {fold(_text(doc, m)) for m in mentions if m.label in ("GPE", "LOC", "FAC")}
    found = []
    for tok in doc:
        if use is None or tok.i in covered or not tok.text[:1].isupper():
            continue
        core = core_tokens(tok.text)
        if len(core) != 1 or core[0] not in names:
            continue
        span = _surname_span(doc, tok.i, names[core[0]], covered)
        if span is not None and _plausible_surname(doc, tok.i, kb, use, common, places):
            found.append(Mention(span[0], span[1], "PERSON"))
            covered.update(range(*span))
    return found


# --- grouping ----------------------------------------------------------------------------------


def _text(doc: Doc, m: Mention) -> str:
    return doc[m.start : m.end].text


def _majority_types(doc: Doc, mentions: list[Mention]) -> None:
    """Unlinked mentions of one name take the name's most frequent type in the document."""
    votes: dict[str, Counter[str]] = {}
    for m in mentions:
        votes.setdefault(fold(_text(doc, m)), Counter())[m.label] += 1
    for m in mentions:
        if not m.locked:
            m.label = votes[fold(_text(doc, m))].most_common(1)[0][0]


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
        core = core_tokens(_text(doc, m))
        if m.label != "PERSON" or len(core) < 2:
            continue
        found = next((i for i, key in enumerate(keys) if _same_person(core, key)), None)
        if found is None:
            keys.append(core)
            groups.append(_Group(label="PERSON"))
            found = len(groups) - 1
        m.group = found
        groups[found].mentions.append(m)


def _surname_owner(m: Mention, groups: list[_Group], token: str, doc: Doc) -> int | None:
    """The person group a bare surname belongs to: the nearest full name before, else after."""
    owners = []
    for gi, group in enumerate(groups):
        if group.label != "PERSON":
            continue
        full = [x for x in group.mentions if len(core_tokens(_text(doc, x))) > 1]
        if any(core_tokens(_text(doc, x))[-1] == token for x in full):
            before = [x.start for x in full if x.start < m.start]
            after = [x.start for x in full if x.start >= m.start]
            owners.append((0, -max(before), gi) if before else (1, min(after), gi))
    return min(owners)[2] if owners else None


def _attach_surnames(doc: Doc, mentions: list[Mention], groups: list[_Group]) -> None:
    """Single-token names (any unlinked type) that are a known person's surname join that person;
    a full name typed ORG/GPE by the model that equals a known person's name does too."""
    for m in mentions:
        if m.group >= 0 or (m.locked and m.label != "PERSON"):
            continue
        core = core_tokens(_text(doc, m))
        if len(core) == 1:
            owner = _surname_owner(m, groups, core[0], doc)
        else:
            owner = next(
                (
                    gi
                    for gi, g in enumerate(groups)
                    if g.label == "PERSON"
                    and any(core_tokens(_text(doc, x)) == core for x in g.mentions)
                ),
                None,
            )
        if owner is not None:
            m.group, m.label = owner, "PERSON"
            groups[owner].mentions.append(m)


def _other_key(doc: Doc, m: Mention) -> tuple[str, str]:
    if m.hit is not None:
        return ("kb", m.hit.actor.kb_id + "|" + (m.hit.type or m.label))
    if m.label == "PERSON":
        return ("PERSON", " ".join(core_tokens(_text(doc, m))))
    return (m.label, fold(_text(doc, m)))


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
        text = _text(doc, group.mentions[0])
        if not is_acronym(text):
            continue
        targets = [
            g
            for g in groups
            if g is not group
            and g.label == "ORG"
            and g.mentions
            and any(initials(_text(doc, x)) == text.replace(".", "") for x in g.mentions)
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
    names = [_without_article(strip_honorifics(_text(doc, m))) for m in group.mentions]
    names = [n for n in names if n] or [clean_surface(_text(doc, group.mentions[0]))]
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
            hit = kb.lookup(doc[m.start : m.start + n].text)
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

    def __init__(self, nlp: Language, name: str, actor_files: list[str]) -> None:
        self.actor_files = list(actor_files)
        self.kb = load_kb(self.actor_files)
        self.matcher = KBMatcher(nlp, self.kb)
        self.common = common_words(nlp)

    def mentions(self, doc: Doc) -> list[Mention]:
        """Every mention before grouping: the model's (cleaned), the KB's, untagged surnames."""
        ner = ner_mentions(doc, load_titles().org_heads)
        ner = [m for m in ner if not is_portfolio(doc, m, self.common, self.kb)]
        use = _WordUse.of(doc)
        mentions = drop_common_words(doc, reconcile(ner, self.matcher(doc)), self.common, use)
        mentions += surname_mentions(doc, mentions, self.kb, self.common, use)
        return sorted(mentions, key=lambda m: m.start)

    def __call__(self, doc: Doc) -> Doc:
        groups = group_mentions(doc, self.mentions(doc))
        countries = context_countries(doc, groups, self.kb)
        entities: list[Entity] = []
        token_entity: list[str | None] = [None] * len(doc)
        for i, group in enumerate(groups):
            entity = build_entity(doc, group, f"e{i + 1}", countries.get(i))
            entities.append(entity)
            for m in group.mentions:
                token_entity[m.start : m.end] = [entity.id] * (m.end - m.start)
        doc._.ew_entities = entities
        doc._.ew_token_entity = token_entity
        return doc


@Language.factory("eventwire_entities", default_config={"actor_files": []})
def make_entities(nlp: Language, name: str, actor_files: list[str]) -> EntityResolver:
    return EntityResolver(nlp, name, actor_files)
