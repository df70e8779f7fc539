"""Mentions: the stretches of text naming an actor, cleaned before they are grouped into entities.

The model's entity spans are cut at paragraph breaks, trimmed of articles, quotes and
possessives, split at an inner possessive, and an organisation name the model cut at 'and'/'of'
is completed; an ORG that only names a minister's portfolio is dropped. After the KB matches are
reconciled (``entities.py``), lone sentence-initial common words typed as names are dropped and
the article's people are found again where the model left their bare surname untagged. These
steps read single mentions and the words around them; grouping mentions into one record per
actor is ``entities.py``'s concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.extract import span_text
from eventwire.extract.kb import ActorKB, NameHit
from eventwire.extract.names import core_tokens, fold, load_titles

#: spaCy labels kept, and the record type each becomes; dates, numbers etc. are dropped.
TYPE_MAP = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP", "FAC": "FAC",
    "EVENT": "OTHER", "PRODUCT": "OTHER", "WORK_OF_ART": "OTHER", "LAW": "OTHER",
    "LANGUAGE": "OTHER",
}  # fmt: skip
_LEADING = frozenset({"the", '"', "'", "“", "‘", "”", "’", "(", "-", "—"})
_TRAILING = frozenset({"'s", "’s", "'", "’", '"', "”", "“", ",", ".", ")", "-", ":", ";"})
_OPEN_END = frozenset({"and", "of", "for", "&", "on"})
_ORG_INNER = frozenset({"and", "of", "for", "&", "on", "the"})
_SENTENCE_END = frozenset({".", "!", "?", ":", ";"})
_PORTFOLIO_TITLES = frozenset({"minister", "secretary"})
_PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "across"})


@dataclass(slots=True)
class Mention:
    """One stretch of tokens naming an actor, before grouping."""

    start: int
    end: int
    label: str
    hit: NameHit | None = None
    group: int = -1
    locked: bool = False  # type fixed by the KB: no later rule changes it


def mention_text(doc: Doc, m: Mention) -> str:
    return span_text(doc, m.start, m.end)


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
    """An entity never runs across a blank line ('... Newsletter\n\n\nReuters'): cut there."""
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
                if b > a and any(ch.isalpha() for ch in span_text(doc, a, b)):
                    mentions.append(Mention(a, b, label))
    return mentions


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
class WordUse:
    """How the words of one document are used: lower-case forms, and capitalised forms seen
    inside a sentence (where the capital is evidence of a name)."""

    lower: set[str]
    inner_caps: set[str]

    @classmethod
    def of(cls, doc: Doc) -> WordUse:
        """One pass over the tokens (made once per document and shared by the steps)."""
        use = cls(set(), set())
        for t in doc:
            text = t.text
            if t.is_lower:
                use.lower.add(text)
            elif (
                text[:1].isupper()
                and text not in use.inner_caps  # seen already: no need to look around it
                and not sentence_initial(doc, t.i)
            ):
                use.inner_caps.add(text)
        return use


def _lone_common_word(doc: Doc, m: Mention, use: WordUse, common: frozenset[str]) -> bool:
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
    doc: Doc, mentions: list[Mention], common: frozenset[str], use: WordUse | None = None
) -> list[Mention]:
    """Mentions without the lone common words (a surname of a named person is kept)."""
    use = use or WordUse.of(doc)
    surnames = set(_full_names(doc, mentions))
    return [
        m
        for m in mentions
        if fold(mention_text(doc, m)) in surnames or not _lone_common_word(doc, m, use, common)
    ]


def _full_names(doc: Doc, mentions: list[Mention]) -> dict[str, set[str]]:
    """Surname -> first names, over the PERSON mentions that give a full name."""
    names: dict[str, set[str]] = {}
    for m in mentions:
        core = core_tokens(mention_text(doc, m))
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
    doc: Doc, i: int, kb: ActorKB, use: WordUse, common: frozenset[str], places: set[str]
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
    use: WordUse | None = None,
) -> list[Mention]:
    """Capitalised surnames of the article's named people that the model left untagged
    ('Okello added'): new PERSON mentions, grouped later like any bare surname."""
    names = _full_names(doc, mentions)
    if not names:
        return []  # no full name in the text: no surname to look for
    covered = {i for m in mentions for i in range(m.start, m.end)}
    use = use or WordUse.of(doc)
    places = {fold(mention_text(doc, m)) for m in mentions if m.label in ("GPE", "LOC", "FAC")}
    found = []
    for tok in doc:
        if tok.i in covered or not tok.text[:1].isupper():
            continue
        core = core_tokens(tok.text)
        if len(core) != 1 or core[0] not in names:
            continue
        span = _surname_span(doc, tok.i, names[core[0]], covered)
        if span is not None and _plausible_surname(doc, tok.i, kb, use, common, places):
            found.append(Mention(span[0], span[1], "PERSON"))
            covered.update(range(*span))
    return found


# --- titles, honorifics, units, weapons: never names of their own -------------------------------


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    """Words that name a position or an honour, not a person: honorifics, title words, role
    nouns and abbreviated titles of ``titles.yaml`` ('CEO', 'Datuk', 'Seri', 'Mayor', 'Sen')."""
    return frozenset({w for h in load_titles().honorifics for w in h.split()} | _role_words())


@lru_cache(maxsize=1)
def _role_words() -> frozenset[str]:
    """Title words that name a position ('Mayor', 'CEO', 'Sen'), not honorifics of address
    ('Sheikh', 'Dr'), which stay part of a written name."""
    lex = load_titles()
    words = set(lex.role_nouns) | {k for k, _ in lex.title_abbreviations}
    for entry in lex.titles:
        for form in entry["forms"]:
            words.update(form.lower().split())
    return frozenset(words)


def _is_title_word(text: str) -> bool:
    return fold(text).rstrip(".") in title_words()


def _is_role_word(text: str) -> bool:
    return fold(text).rstrip(".") in _role_words()


def not_a_name(doc: Doc, m: Mention, surnames: set[str]) -> bool:
    """A mention that names no actor: only title or honorific words ('CEO', 'Datuk Seri',
    'President'), or a unit, weapon or vehicle ('12 mm', 'AK-47', 'Humvee'). A surname of
    a person named in full ('King' for Kevin King) is a name; so is a KB match."""
    if m.hit is not None:
        return False
    text = mention_text(doc, m)
    if fold(text) in surnames:
        return False
    if fold(text) in load_titles().not_names:
        return True
    words = [t for t in doc[m.start : m.end] if t.is_alpha]
    if any(fold(t.text) in load_titles().not_names for t in words):
        return True
    return bool(words) and all(_is_title_word(t.text) for t in words)


def trim_leading_titles(doc: Doc, m: Mention) -> Mention:
    """'Mansfield Mayor Curtis McCoy', 'Actress Jaime King' as PERSON -> the name after the last
    title word, when what follows is capitalised: the title is a role (``role_phrases``), and
    the bare name meets the person's other mentions."""
    if m.label != "PERSON" or m.hit is not None or m.end - m.start < 2:
        return m
    cut = None
    for i in range(m.start, m.end - 1):
        if _is_role_word(doc[i].text):
            cut = i + 1
            while cut < m.end and doc[cut].text == ".":
                cut += 1
    if cut is None or cut >= m.end:
        return m
    rest = [t for t in doc[cut : m.end] if t.is_alpha]
    if not rest or not all(t.text[:1].isupper() for t in rest):
        return m
    return Mention(cut, m.end, m.label, m.hit, m.group, m.locked)


def drop_non_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """The mentions that name actors, leading titles trimmed off people's names."""
    surnames = set(_full_names(doc, mentions))
    trimmed = [trim_leading_titles(doc, m) for m in mentions]
    return [m for m in trimmed if not not_a_name(doc, m, surnames)]
