"""Quotes: direct quotations in the text, and who said them.

The stage sets ``doc._.ew_quotes`` (``list[Quote]``). It needs ``ew_entities`` and
``ew_token_entity`` from ``eventwire_entities``; it uses the parse and tags when the model has them
and falls back to word-order rules on an unparsed Doc. The rules, in the order they apply:

1. **Marks.** A quotation is enclosed in “ ”, " ", « » or, at the top level only, ‘ ’ (an opening
   ‘ must start a capitalised word, and a closing ’ must not be followed by a letter, so
   apostrophes are not marks). “ may be closed by a straight ". Marks nested inside a double quote
   are part of the quotation. A paragraph ends at a blank line,
   at a line ending a sentence or before an indented line (other line breaks are hard wrapping).
   A quotation left open at the end of a paragraph whose next paragraph opens with a
   quote mark continues there (the newspaper convention); each paragraph's piece is one
   ``Quote`` and all pieces share one speaker. Left open otherwise, it ends with the paragraph.
2. **Quotation or scare quote.** A quoted span is a quotation when it has at least
   :data:`FULL_MIN_WORDS` words, or at least :data:`CLAUSE_MIN_WORDS` words and either a finite
   verb (with a tagger) or a sentence of its own (nothing but the quote before it in its sentence).
   Shorter spans (“coordination”, “victory”) are scare quotes and are dropped, unless a speech cue
   in the same sentence governs them: then they are partial quotes of that cue's speaker.
   Single-quoted spans must be quotations.
3. **Cue in the same sentence.** The quote's own sentence, outside the quote, is searched for a
   speech cue (``data/speech_verbs.yaml``): after the quote first (``"...," X said``), then before
   it (``X said: "..."``, ``according to X, "..."``, ``X noted that "..."``); the nearest cue wins.
   A quote that ends its sentence may take its cue from a following sentence of at most
   :data:`LOOSE_CUE_WORDS` words (``"...." Hezbollah said.``).
4. **Speaker of a cue.** The subject of the speech verb (from the parse: the subject's entity, an
   apposition's or compound's entity, or the first person/organisation inside the subject;
   without a parse: the entity next to the verb, past an apposition between commas, or after it
   in ``, said X``); the noun phrase after ``according to``; before ``as saying``. A pronoun
   (he/she: PERSON; it/they: ORG, GPE) is the last compatible speaker in this or the previous
   paragraph, else the last compatible entity mentioned outside quotes. A document noun ("the
   report", "the statement") is its named author ("X's statement", "a report by X") or, when it
   has none, the author of the last document of the same noun, else the most recent named
   speaker before it. Nothing found: speaker ``None``.
5. **Continuation.** A quotation with no cue in its sentence continues the most recent speaker
   before it in the same or the previous paragraph: a speech cue (also reported speech with no
   quote, "X said that ..."), a definite document noun that is a subject ("The report ..."), or an
   earlier attributed quotation. Its ``cue`` is ``None``. With no such speaker near, the speaker
   is ``None``, never guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from eventwire import deadline
from eventwire.datafiles import load_yaml
from eventwire.errors import DataError
from eventwire.extract import span_text, whole_text
from eventwire.extract.coref import GENDER_KEY
from eventwire.record import Entity, Quote

#: A quoted span of this many words is a quotation whatever its grammar.
FULL_MIN_WORDS = 8
#: A quoted span needs this many words (and a clause) to be a quotation.
CLAUSE_MIN_WORDS = 3
#: A following sentence this short ("Hezbollah said.") may carry the cue of the quote before it.
LOOSE_CUE_WORDS = 6
#: At most this many tokens (the speaker) may stand between a quote and a cue after it.
MAX_SPEAKER_TOKENS = 12
#: Subject tokens of a parse whose first entity may be the speaker, in order of preference.
_NP_LINKS = ("appos", "compound", "poss", "nmod")
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SKIP_LEFT = frozenset(
    {"also", "later", "then", "has", "had", "have", "previously", "again", "further",
     "separately", "earlier", "reportedly", "once", "repeatedly", "publicly"}
)  # fmt: skip
_RELATIVE = frozenset({"who", "which", "that"})
_DEFINITE = frozenset({"the", "this", "that", "its", "their", "his", "her"})
_AUTHOR_PREPS = frozenset({"by", "from", "of"})
_CLOSERS = {"“": '”"', "«": "»", '"': '"”', "‘": "’"}
_OPENING_MARKS = '“«"‘”'
_QUOTE_TOKENS = frozenset('“”«»"‘’')
#: Every character :func:`scan_paragraph` acts on: the opening marks and all their closers.
_MARK = re.compile(
    "[" + re.escape("".join(sorted({*_OPENING_MARKS, *"".join(_CLOSERS.values())}))) + "]"
)
_PARAGRAPH_BREAK = re.compile(
    r"[ \t]*\n[ \t]*\n\s*"  # a blank line
    r"|(?<=[.!?:\"”’»)])[ \t]*\n\s*"  # a line break after the end of a sentence
    r"|\n(?=[ \t]+\S)\s*"  # a line break before an indented line
)
_WORD = re.compile(r"\w[\w'’-]*")
_SENTENCE_MARK = re.compile(r'[.!?”"»’]')
_DEFAULT_FILE = "speech_verbs.yaml"
_SPEAKER_RULES = ("subject", "after", "before")


@dataclass(frozen=True, slots=True)
class SpeechLexicon:
    """The speech cues of ``data/speech_verbs.yaml`` (or a user's file of the same shape)."""

    version: int
    verb_forms: frozenset[str]
    phrases: tuple[tuple[tuple[str, ...], str], ...]
    document_nouns: frozenset[str]
    pronouns: dict[str, frozenset[str]]

    @property
    def phrase_index(self) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
        """Phrases by their first word, longest first (built once per lexicon)."""
        return _phrase_index(self.phrases)


def _check_lexicon(data: object, origin: str) -> dict:
    """The YAML mapping of a speech lexicon, or a DataError that says what is wrong."""
    if not isinstance(data, dict) or "version" not in data:
        raise DataError(f"{origin}: a speech lexicon is a mapping with a 'version'")
    verbs = data.get("verbs") or {}
    if not isinstance(verbs, dict) or not all(isinstance(v, list) for v in verbs.values()):
        raise DataError(f"{origin}: 'verbs' maps each lemma to a list of word forms")
    phrases = data.get("phrases") or []
    if not all(isinstance(p, dict) and isinstance(p.get("words"), list) for p in phrases):
        raise DataError(f"{origin}: each phrase needs 'words' (a list) and may give 'speaker'")
    bad = [p["speaker"] for p in phrases if p.get("speaker", "subject") not in _SPEAKER_RULES]
    if bad:
        raise DataError(f"{origin}: phrase speaker must be one of {_SPEAKER_RULES}, not {bad[0]!r}")
    return data


def _merge(base: dict, extra: dict) -> dict:
    """A user's lexicon added to the shipped one (or instead of it, with ``replace: true``)."""
    if extra.get("replace"):
        return extra
    verbs = {k: list(v) for k, v in (base.get("verbs") or {}).items()}
    for lemma, forms in (extra.get("verbs") or {}).items():
        verbs[lemma] = [*verbs.get(lemma, []), *forms]
    return {
        "version": base["version"],
        "verbs": verbs,
        "phrases": [*(base.get("phrases") or []), *(extra.get("phrases") or [])],
        "document_nouns": [
            *(base.get("document_nouns") or []),
            *(extra.get("document_nouns") or []),
        ],
        "pronouns": {**(base.get("pronouns") or {}), **(extra.get("pronouns") or {})},
    }


def _lexicon_from_data(data: dict) -> SpeechLexicon:
    phrases = tuple(
        (tuple(str(w).lower() for w in p["words"]), str(p.get("speaker", "subject")))
        for p in data.get("phrases") or []
    )
    return SpeechLexicon(
        version=int(data["version"]),
        verb_forms=frozenset(str(f).lower() for forms in data["verbs"].values() for f in forms),
        phrases=tuple(sorted(phrases, key=lambda p: -len(p[0]))),
        document_nouns=frozenset(str(n).lower() for n in data.get("document_nouns") or []),
        pronouns={str(k).lower(): frozenset(v) for k, v in (data.get("pronouns") or {}).items()},
    )


@lru_cache(maxsize=8)
def _phrase_index(phrases: tuple[tuple[tuple[str, ...], str], ...]) -> dict[str, tuple]:
    index: dict[str, list] = {}
    for words, rule in phrases:
        index.setdefault(words[0], []).append((words, rule))
    return {first: tuple(found) for first, found in index.items()}


def _read_yaml(text: str, origin: str) -> dict:
    return _check_lexicon(load_yaml(text), origin)


@lru_cache(maxsize=8)
def load_speech_lexicon(path: str | None = None) -> SpeechLexicon:
    """Load (once) the shipped speech lexicon, extended by the YAML file at ``path`` if given.

    A user file has the shipped file's shape; its entries are added to the shipped ones, or
    replace them all when it says ``replace: true``.
    """
    resource = resources.files("eventwire.data").joinpath(_DEFAULT_FILE)
    data = _read_yaml(resource.read_text(encoding="utf-8"), _DEFAULT_FILE)
    if path:
        data = _merge(data, _read_yaml(Path(path).read_text(encoding="utf-8"), path))
    return _lexicon_from_data(data)


# --- quote marks: character level --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted stretch inside one paragraph: ``start:end`` is the text without marks."""

    open_at: int
    start: int
    end: int
    close_at: int | None  # None: the paragraph ended before a closing mark
    mark: str
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph (start, end) offsets. A paragraph ends at a blank line, and at a line break
    after a line that ends a sentence or before an indented line; other line breaks are hard
    wrapping inside a paragraph (as in old wire copy)."""
    bounds, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _opens(text: str, i: int, para_start: int) -> bool:
    """Whether the mark at ``i`` can open a quotation (straight and single marks are ambiguous)."""
    mark, prev = text[i], text[i - 1] if i > para_start else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    after_gap = prev.isspace() or prev in "([—–:-"
    if mark in "“«":
        return True
    if mark == '"':
        return after_gap and not nxt.isspace()
    if mark == "‘":
        return after_gap and nxt.isupper()
    return mark == "”" and after_gap and nxt.isalpha()  # a misdirected opening mark


def _closes(text: str, i: int, mark: str, para_end: int) -> bool:
    """Whether the mark at ``i`` closes a quotation opened with ``mark``."""
    char, nxt = text[i], text[i + 1] if i + 1 < len(text) else " "
    if char == "’":
        return not nxt.isalnum()
    if mark == "“" and char == '"':
        # “ ... " closes with a straight mark, unless a curly ” comes later (a nested quote)
        return "”" not in text[i + 1 : para_end]
    return True


def _make_span(text: str, open_at: int, stop: int, closed: bool, mark: str,
               paragraph: int) -> QuoteSpan | None:  # fmt: skip
    start, end = open_at + 1, stop
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    if start >= end:
        return None
    mark = "“" if mark == "”" else mark
    return QuoteSpan(open_at, start, end, stop if closed else None, mark, paragraph)


def scan_paragraph(text: str, bounds: tuple[int, int], paragraph: int) -> list[QuoteSpan]:
    """Every top-level quoted stretch of one paragraph, in order. Only the quote marks are
    visited (found by :data:`_MARK`): no other character opens, closes or breaks a quote."""
    para_start, para_end = bounds
    spans: list[QuoteSpan | None] = []
    open_at, mark = -1, ""
    for found in _MARK.finditer(text, para_start, para_end):
        i, char = found.start(), found.group()
        if open_at < 0:
            if char in _OPENING_MARKS and _opens(text, i, para_start):
                open_at, mark = i, char
        elif char in _CLOSERS["“" if mark == "”" else mark] and _closes(text, i, mark, para_end):
            spans.append(_make_span(text, open_at, i, True, mark, paragraph))
            open_at = -1
        elif char == "“" and mark in "“”":  # a new quote opens before the last one closed
            spans.append(_make_span(text, open_at, i, False, mark, paragraph))
            open_at = i
    if open_at >= 0:
        spans.append(_make_span(text, open_at, para_end, False, mark, paragraph))
    return [span for span in spans if span is not None]


def find_quotations(
    text: str, bounds: list[tuple[int, int]] | None = None
) -> list[list[QuoteSpan]]:
    """Quoted spans grouped into quotations (a group spans paragraphs when a quote continues).
    ``bounds`` are the text's :func:`paragraphs` when the caller has them already."""
    bounds = paragraphs(text) if bounds is None else bounds
    groups: list[list[QuoteSpan]] = []
    for index, para in enumerate(bounds):
        for span in scan_paragraph(text, para, index):
            if groups and _continues(text, groups[-1][-1], span, bounds):
                groups[-1].append(span)
            else:
                groups.append([span])
    return groups


def _continues(text: str, last: QuoteSpan, span: QuoteSpan, bounds: list[tuple[int, int]]) -> bool:
    """An unclosed quote followed by a paragraph that opens with a quote mark."""
    return (
        last.close_at is None
        and span.paragraph == last.paragraph + 1
        and span.open_at == bounds[span.paragraph][0]
    )


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


# --- speech cues: token level ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SpeechAct:
    """A place where the text says who speaks: a speech cue, a document noun, or a quote."""

    token: int
    at: int  # character offset
    speaker: str | None
    cue: str | None
    kind: str  # "cue" | "document" | "quote"
    noun: str | None = None  # for a document: the noun ("report")


class _QuoteReader:
    """Reads one Doc: quote spans, speech acts, then one attribution per quotation."""

    def __init__(self, doc: Doc, lexicon: SpeechLexicon) -> None:
        self.doc, self.lexicon = doc, lexicon
        self.coref: dict[int, str] = doc._.ew_coref or {}  # see eventwire.extract.coref
        self.genders: dict[str, str] = doc.user_data.get(GENDER_KEY) or {}
        self.text = whole_text(doc)
        self.has_parse = doc.has_annotation("DEP")
        self.has_tags = doc.has_annotation("TAG")
        self.token_entity: list[str | None] = list(doc._.ew_token_entity or [None] * len(doc))
        self.types = {ent.id: ent.type for ent in doc._.ew_entities or []}
        self.surnames = _surnames(doc._.ew_entities or [])
        self.starts: list[int] = []
        self.lowers: list[str] = []
        for tok in doc:  # one Token per word, read once
            self.starts.append(tok.idx)
            self.lowers.append(tok.lower_)
        self.phrase_index = lexicon.phrase_index  # hashes every phrase: fetched once per Doc
        self.para_bounds = paragraphs(self.text)
        self.para_starts = [a for a, _ in self.para_bounds]
        self.groups = find_quotations(self.text, self.para_bounds)
        spans = sorted((s for group in self.groups for s in group), key=lambda s: s.open_at)
        self.span_opens = [s.open_at for s in spans]
        self.span_opens_set = frozenset(self.span_opens)
        self.span_stops = [s.close_at if s.close_at is not None else s.end for s in spans]
        self.span_closes = frozenset(s.close_at for s in spans if s.close_at is not None)
        self.inside = self._inside_mask()
        self.outside_upto = list(accumulate((not flag for flag in self.inside), initial=0))
        self.sentence_ends = [
            m.start() for m in _SENTENCE_MARK.finditer(self.text) if self._ends_sentence(m.start())
        ]
        self.acts: list[SpeechAct] = []

    def _inside_mask(self) -> list[bool]:
        mask = [False] * len(self.doc)
        for group in self.groups:
            for span in group:
                stop = span.close_at + 1 if span.close_at is not None else span.end
                for i in self.tokens_in(span.open_at, stop, outside=False):
                    mask[i] = True
        return mask

    def tokens_in(self, start: int, end: int, *, outside: bool = True) -> range | list[int]:
        """Token indices that start inside [start, end); with ``outside``, not inside a quote."""
        first, last = bisect_left(self.starts, start), bisect_left(self.starts, end)
        if not outside:
            return range(first, last)
        return [i for i in range(first, last) if not self.inside[i]]

    def paragraph_of(self, offset: int) -> int:
        return max(bisect_right(self.para_starts, offset) - 1, 0)

    # speech acts --------------------------------------------------------------------------

    def find_acts(self) -> list[SpeechAct]:
        """All speech cues and speaking documents outside quotes, in text order."""
        i = 0
        while i < len(self.doc):
            width = 1 if self.inside[i] else self._read_act(i)  # checks the deadline per act
            i += max(width, 1)
        return self.acts

    def _read_act(self, i: int) -> int:
        """Record the act starting at token ``i``, if any; return how many tokens it used."""
        lower = self.lowers[i]
        for words, speaker_rule in self.phrase_index.get(lower, ()):
            if self._matches(i, words):
                end = i + len(words)
                self._add(
                    i, self._phrase_speaker(i, end, speaker_rule), span_text(self.doc, i, end)
                )
                return len(words)
        if lower in self.lexicon.verb_forms and self._is_verb(self.doc[i]):
            self._add(i, self._subject_speaker(i, i + 1), self.doc[i].text)
        elif lower in self.lexicon.document_nouns and self._is_speaking_document(self.doc[i]):
            deadline.check()
            tok = self.doc[i]
            speaker = self._document_speaker(i)
            self.acts.append(SpeechAct(i, tok.idx, speaker, None, "document", tok.lower_))
        return 1

    def _add(self, i: int, speaker: str | None, cue: str) -> None:
        deadline.check()
        self.acts.append(SpeechAct(i, self.doc[i].idx, speaker, cue, "cue"))

    def _matches(self, i: int, words: Sequence[str]) -> bool:
        end = i + len(words)
        if end > len(self.doc) or any(self.inside[j] for j in range(i, end)):
            return False
        return tuple(self.lowers[i:end]) == tuple(words)

    def _is_verb(self, tok: Token) -> bool:
        return not self.has_tags or tok.pos_ in ("VERB", "AUX")

    def _is_speaking_document(self, tok: Token) -> bool:
        """A definite or authored document noun that is a subject ("The report ... includes")."""
        if tok.lower_ not in self.lexicon.document_nouns or (self.has_tags and tok.pos_ != "NOUN"):
            return False
        if self.has_parse and tok.dep_ not in ("nsubj", "nsubjpass"):
            return False
        return self._determiner(tok.i) in _DEFINITE or self._possessor(tok.i) is not None

    # speakers -----------------------------------------------------------------------------

    def _phrase_speaker(self, start: int, end: int, rule: str) -> str | None:
        if rule == "after":
            return self._speaker_after(end)
        if rule == "before":
            return self._candidate(start - 1)[1] if start > 0 else None
        return self._subject_speaker(start, end)

    def _speaker_after(self, i: int) -> str | None:
        """The first speaker-like token of the noun phrase at ``i`` ("according to the UN")."""
        for j in range(i, min(i + 8, len(self.doc))):
            tok = self.doc[j]
            if self.inside[j] or (tok.is_punct and tok.text not in "-'’"):
                return None
            found, speaker = self._candidate(j)
            if found:
                return speaker
        return None

    def _subject_speaker(self, start: int, end: int) -> str | None:
        """The speaker of the verb at ``start``: its parsed subject, else the words around it."""
        if self.has_parse:
            subject = _parsed_subject(self.doc[start], self.inside)
            if subject is not None and subject.lower_ in _RELATIVE and subject.head.dep_ == "relcl":
                subject = subject.head.head  # "X, who said ..." -> X
            if subject is not None:
                return self._np_speaker(subject)
        return self._window_speaker(start, end)

    def _np_speaker(self, tok: Token) -> str | None:
        """The entity a parsed subject noun phrase stands for."""
        found, speaker = self._candidate(tok.i)
        if found:
            return speaker
        for dep in _NP_LINKS:
            for child in tok.children:
                found, speaker = self._candidate(child.i) if child.dep_ == dep else (False, None)
                if found and speaker:
                    return speaker
        return self._first_entity(tok.subtree, prefer=("PERSON", "ORG", "GPE"))

    def _first_entity(self, tokens: Iterable[Token], prefer: Sequence[str] = ()) -> str | None:
        ids = [self.token_entity[t.i] for t in tokens if not self.inside[t.i]]
        ids = [eid for eid in ids if eid is not None]
        for kind in prefer:
            match = next((eid for eid in ids if self.types.get(eid) == kind), None)
            if match:
                return match
        return None if prefer else next(iter(ids), None)

    def _window_speaker(self, start: int, end: int) -> str | None:
        """Without a parse: ``X said``, ``X, the head of Y, said``, or ``"...," said X``."""
        k = start - 1
        while k >= 0 and self.doc[k].lower_ in _SKIP_LEFT:
            k -= 1
        if k > 0 and self.doc[k].lower_ in _RELATIVE and self.doc[k - 1].text == ",":
            k -= 2  # "X, who said ..." -> X
        if k >= 0:
            found, speaker = self._candidate(k)
            if found:
                return speaker
            if self.doc[k].text == ",":
                found, speaker = self._appositive_speaker(k)
                if found:
                    return speaker
            if self.doc[k].text == "," or self.doc[k].text in _QUOTE_TOKENS:
                return self._inverted_speaker(end)
        return None

    def _appositive_speaker(self, comma: int) -> tuple[bool, str | None]:
        """``X, the leader of Y, said``: the candidate before the opening comma."""
        for k in range(comma - 1, max(comma - 16, 0), -1):
            if self.inside[k] or self.doc[k].is_sent_end:
                break
            if self.doc[k].text == ",":
                return self._candidate(k - 1)
        return False, None

    def _inverted_speaker(self, i: int) -> str | None:
        """``"...," said X`` / ``said the ministry`` / ``said Foreign Minister X``."""
        for j in range(i, min(i + 6, len(self.doc))):
            if self.doc[j].is_punct or self.inside[j]:
                return None
            found, speaker = self._candidate(j)
            if found:
                return speaker
        return None

    def _candidate(self, i: int) -> tuple[bool, str | None]:
        """Whether token ``i`` names a speaker (entity, pronoun, document noun), and whom."""
        if i < 0 or self.inside[i]:
            return False, None
        tok = self.doc[i]
        if self.token_entity[i] is not None:
            return True, self.token_entity[i]
        if tok.text in self.surnames:
            return True, self.surnames[tok.text]
        if i in self.coref and tok.lower_ not in self.lexicon.pronouns:
            return True, self.coref[i]  # 'the agency', 'the center': the organisation meant
        if tok.lower_ in self.lexicon.pronouns:
            return True, self._pronoun_speaker(i, self.lexicon.pronouns[tok.lower_])
        if tok.lower_ in self.lexicon.document_nouns:
            return True, self._document_speaker(i)
        return False, None

    def _pronoun_speaker(self, i: int, types: frozenset[str]) -> str | None:
        """What coreference resolved the pronoun to; else a compatible subject of this or the
        previous sentence (with a parse), else the last compatible speaker in this or the
        previous paragraph, else the last compatible entity mentioned outside quotes. Never a
        person of the other gender ("she said" is not the man named before)."""
        found = self.coref.get(i)  # gender, number and salience agreed
        if found is not None and self._fits(found, types, i):
            return found
        found = self._recent_subject(i, types) if self.has_parse else None
        if found:
            return found
        floor = self.para_starts[max(self.paragraph_of(self.doc[i].idx) - 1, 0)]
        for act in reversed(self.acts):
            if act.at < floor:
                break
            if act.speaker is not None and self._fits(act.speaker, types, i):
                return act.speaker
        for k in range(i - 1, -1, -1):
            eid = self.token_entity[k]
            if eid is not None and not self.inside[k] and self._fits(eid, types, i):
                return eid
        return None

    def _fits(self, eid: str, types: frozenset[str], i: int) -> bool:
        """An entity a pronoun at i may stand for: its type, and no known other gender."""
        if self.types.get(eid) not in types:
            return False
        want = _GENDERED.get(self.doc[i].lower_)
        known = self.genders.get(eid)
        return want is None or known is None or known == want

    def _recent_subject(self, i: int, types: frozenset[str]) -> str | None:
        """The last entity of a compatible type that is a clause subject, outside quotes, back
        to the start of the previous sentence: "Mendes defended the plan. He said" -> Mendes."""
        own = self.doc[i].sent.start
        for k in range(i - 1, -1, -1):
            tok = self.doc[k]
            if self.inside[k]:
                continue
            if tok.dep_ in ("nsubj", "nsubjpass"):
                eid = self._subject_entity(tok)
                if eid and self._fits(eid, types, i):
                    return eid
            if tok.is_sent_start and k < own:
                return None
        return None

    def _subject_entity(self, tok: Token) -> str | None:
        if tok.lower_ in self.lexicon.pronouns:
            return None
        found, speaker = self._candidate(tok.i)
        if found:
            return speaker
        links = (c for c in tok.children if c.dep_ in ("appos", "compound"))
        return next((self.token_entity[c.i] for c in links if self.token_entity[c.i]), None)

    def _document_speaker(self, i: int) -> str | None:
        """ "X's statement", "a report by X"; else (definite) the most recent named speaker."""
        possessor = self._possessor(i)
        if possessor is not None:
            return possessor
        author, has_author = self._author(i)
        if has_author:
            return author
        if self._determiner(i) not in _DEFINITE:
            return None
        noun = self.doc[i].lower_
        same = (a.speaker for a in reversed(self.acts) if a.noun == noun and a.speaker)
        named = (a.speaker for a in reversed(self.acts) if a.speaker)
        return next(same, None) or next(named, None)

    def _determiner(self, i: int) -> str:
        """The determiner of the noun at ``i`` (skipping one or two modifiers), or ''."""
        for k in range(i - 1, max(i - 4, -1), -1):
            word = self.doc[k].lower_
            if word in _DEFINITE or word in ("a", "an"):
                return word
            if self.doc[k].is_punct or self.token_entity[k] is not None:
                return ""
        return ""

    def _possessor(self, i: int) -> str | None:
        """``Hezbollah's statement`` -> Hezbollah; ``its statement`` -> what "it" stands for."""
        for k in range(i - 1, max(i - 4, -1), -1):
            word = self.doc[k].lower_
            if word in ("'s", "’s") and k > 0:
                return self._candidate(k - 1)[1]
            if word in ("its", "their"):
                pronoun = "it" if word == "its" else "they"
                return self._pronoun_speaker(k, self.lexicon.pronouns.get(pronoun, frozenset()))
            if self.doc[k].is_punct:
                return None
        return None

    def _author(self, i: int) -> tuple[str | None, bool]:
        """``report by X``: (X, True); ``report by officials``: (None, True); no author: False."""
        for k in range(i + 1, min(i + 3, len(self.doc))):
            if self.doc[k].lower_ in _AUTHOR_PREPS:
                entity = next(
                    (self.token_entity[j] for j in range(k + 1, min(k + 5, len(self.doc)))
                     if self.token_entity[j] and not self.inside[j]),
                    None,
                )  # fmt: skip
                return entity, entity is not None or self.doc[k].lower_ != "of"
        return None, False

    # quotations ---------------------------------------------------------------------------

    def quotes(self) -> list[Quote]:
        """One Quote per quoted span that is a quotation or a governed partial quote."""
        self.find_acts()
        found: list[Quote] = []
        for group in self.groups:
            deadline.check()
            found.extend(self._read_group(group))
        return found

    def _read_group(self, group: list[QuoteSpan]) -> list[Quote]:
        before = self._before_region(group[0])
        after = self._after_region(group[-1])
        full = self._is_full(group, sentence_initial=not self._has_outside(*before))
        cue = self._cue_after(after)
        if cue is None or cue.speaker is None:  # a cue with a speaker wins over one without
            cue = self._cue_before(before, group[0], full=full) or cue
        if not full and (cue is None or group[0].mark == "‘"):
            return []
        speaker, cue_text = (cue.speaker, cue.cue) if cue else (self._continued(group[0]), None)
        insort(self.acts, SpeechAct(-1, group[-1].end, speaker, cue_text, "quote"), key=_at)
        return [Quote(speaker, self.text[s.start : s.end], s.start, s.end, cue_text) for s in group]

    def _has_outside(self, start: int, end: int) -> bool:
        """Whether a token outside quotes starts in [start, end): a count difference, not a scan
        (a paragraph of thousands of quotes would make a scan per quote quadratic)."""
        first, last = bisect_left(self.starts, start), bisect_left(self.starts, end)
        return self.outside_upto[last] > self.outside_upto[first]

    def _acts_between(self, start: int, end: int) -> list[SpeechAct]:
        """Acts at offsets in [start, end), by bisection (``acts`` is kept sorted by offset)."""
        return self.acts[
            bisect_left(self.acts, start, key=_at) : bisect_left(self.acts, end, key=_at)
        ]

    def _cues_in(self, region: tuple[int, int]) -> list[SpeechAct]:
        return [a for a in self._acts_between(*region) if a.kind == "cue"]

    def _cue_after(self, region: tuple[int, int]) -> SpeechAct | None:
        """The first cue after the quote, if only its speaker stands between ("...," X said)."""
        cues = self._cues_in(region)
        if not cues:
            return None
        between = list(self.tokens_in(region[0], cues[0].at))
        between = self._without_apposition(between)
        if len(between) > MAX_SPEAKER_TOKENS or any(self._breaks(k) for k in between):
            return None
        return cues[0]

    def _without_apposition(self, between: list[int]) -> list[int]:
        """'"...," X, the U.S. attorney for the Southern District, said': the tokens between a
        quote and its cue without the apposition between commas after the named speaker."""
        named = [k for k in between if self.token_entity[k] is not None]
        if not named or len(between) <= MAX_SPEAKER_TOKENS:
            return between
        first = named[0]
        end = first
        while end + 1 in between and self.token_entity[end + 1] == self.token_entity[first]:
            end += 1
        rest = [k for k in between if k > end]
        if len(rest) < 3 or self.doc[rest[0]].text != "," or self.doc[rest[-1]].text != ",":
            return between
        if any(self.doc[k].text in ",;:" for k in rest[1:-1]):
            return between
        return [k for k in between if k <= end]

    def _breaks(self, k: int) -> bool:
        """A token that cannot sit between a quote and its cue: a verb or a conjunction."""
        tok = self.doc[k]
        if tok.lower_ in ("and", "but", "while", "or"):
            return True
        return self.has_tags and tok.pos_ == "VERB"

    def _cue_before(
        self, region: tuple[int, int], span: QuoteSpan, *, full: bool
    ) -> SpeechAct | None:
        """The last cue before the quote in its sentence. A partial quote must also, with a
        parse, sit inside the cue verb's clause ("X said the plan was a 'trap'")."""
        cues = self._cues_in(region)
        if not cues:
            return None
        if full or not self.has_parse:
            return cues[-1]
        first = self.tokens_in(span.start, span.end, outside=False)
        inner = self.doc[first[0]] if first else None
        governed = [c for c in cues if inner is not None and self.doc[c.token] in inner.ancestors]
        return governed[-1] if governed else None

    def _continued(self, span: QuoteSpan) -> str | None:
        """The most recent speaker before the quote, in its paragraph or the one before."""
        floor = self.para_starts[max(span.paragraph - 1, 0)]
        earlier = self._acts_between(floor, span.open_at)
        return earlier[-1].speaker if earlier else None

    def _is_full(self, group: list[QuoteSpan], *, sentence_initial: bool) -> bool:
        """A quotation rather than a scare-quoted word or phrase (rule 2 of the module doc)."""
        if len(group) > 1:
            return True
        span = group[0]
        words = count_words(self.text[span.start : span.end])
        if words >= FULL_MIN_WORDS:
            return True
        if words < CLAUSE_MIN_WORDS:
            return False
        finite = self.has_tags and any(
            self.doc[i].tag_ in _FINITE_TAGS
            for i in self.tokens_in(span.start, span.end, outside=False)
        )
        return finite or sentence_initial

    def _before_region(self, span: QuoteSpan) -> tuple[int, int]:
        """From the start of the quote's sentence to its opening mark: the last sentence end
        before it in its paragraph, found by bisection in ends computed once per Doc."""
        floor = self.para_bounds[span.paragraph][0]
        k = bisect_left(self.sentence_ends, span.open_at) - 1
        if k >= 0 and self.sentence_ends[k] >= floor:
            return self.sentence_ends[k] + 1, span.open_at
        return floor, span.open_at

    def _ends_sentence(self, i: int) -> bool:
        char, nxt = self.text[i], self.text[i + 1] if i + 1 < len(self.text) else " "
        if char in ".!?":
            return nxt.isspace() and not self._inside_char(i)
        return char in '”"»’' and self.text[i - 1] in ".!?" and self._closes_quote(i)

    def _inside_char(self, offset: int) -> bool:
        k = bisect_right(self.span_opens, offset) - 1
        return k >= 0 and offset <= self.span_stops[k]

    def _closes_quote(self, offset: int) -> bool:
        return offset in self.span_closes

    def _after_region(self, span: QuoteSpan) -> tuple[int, int]:
        """From the closing mark to the end of the sentence (or a short next sentence)."""
        if span.close_at is None:
            return span.end, span.end
        ceiling = self.para_bounds[span.paragraph][1]
        start = span.close_at + 1
        end = self._sentence_end(start, ceiling)
        if self.text[span.end - 1] not in ".!?":
            return start, end
        rest = self.text[start:end].strip()
        if rest[:1].isupper() and count_words(rest) <= LOOSE_CUE_WORDS:
            return start, end
        return (start, end) if rest[:1].islower() else (start, start)

    def _sentence_end(self, start: int, ceiling: int) -> int:
        for i in range(start, ceiling):
            char = self.text[i]
            if i in self.span_opens_set:
                return i
            at_end = i + 1 >= len(self.text) or self.text[i + 1].isspace()
            if char in ".!?" and at_end and not _abbreviation_dot(self.text, i):
                return i + 1
        return ceiling


_GENDERED = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}


def _abbreviation_dot(text: str, i: int) -> bool:
    """A period that ends an initial or abbreviation ('U.S. attorney', 'W. Va.,'), not a
    sentence: an initial capital before it, or a lower-case word or a comma after it."""
    nxt = text[i + 1 : i + 3].strip()[:1]
    if nxt and (nxt.islower() or nxt in ",;"):
        return True
    return text[i] == "." and i > 0 and text[i - 1].isupper() and (i < 2 or text[i - 2] in ". ")


def _at(act: SpeechAct) -> int:
    return act.at


def _surnames(entities: Sequence[Entity]) -> dict[str, str]:
    """Last names that stand for exactly one PERSON entity ("Okello" -> "Daniel Okello"), for
    short mentions the entity stage did not mark."""
    owners: dict[str, set[str]] = {}
    for ent in entities:
        if ent.type != "PERSON":
            continue
        for name in {ent.name, *ent.aliases}:
            words = name.split()
            if len(words) > 1 and words[-1][:1].isupper():
                owners.setdefault(words[-1], set()).add(ent.id)
    return {word: next(iter(ids)) for word, ids in owners.items() if len(ids) == 1}


def _parsed_subject(verb: Token, inside: Sequence[bool] = ()) -> Token | None:
    """The nominal subject of a speech verb, climbing conjunctions and participles ("adding");
    a word inside a quotation ('"Everything," said X') is never the subject."""
    tok = verb
    for _ in range(3):
        subjects = [c for c in tok.children if c.dep_ == "nsubj" and not (inside and inside[c.i])]
        if subjects:  # two (a mis-parse of "Wikileaks editor X said"): the one next to the verb
            before = [c for c in subjects if c.i < tok.i]
            return before[-1] if before else subjects[0]
        if tok.dep_ not in ("conj", "advcl", "xcomp") or tok.head is tok:
            return None
        tok = tok.head
    return None


def find_speech_acts(doc: Doc, lexicon: SpeechLexicon | None = None) -> list[SpeechAct]:
    """The speech cues outside quotes ("X said that ...", "according to X"), each with the
    speaker entity id (or None), in text order: what a later stage needs to attribute reported
    speech. ``kind`` is "cue" for a verb or phrase, "document" for "the report"-like subjects."""
    return _QuoteReader(doc, lexicon or load_speech_lexicon()).find_acts()


def find_quotes(doc: Doc, lexicon: SpeechLexicon | None = None) -> list[Quote]:
    """The quotations of an annotated Doc (``ew_entities``/``ew_token_entity`` set or None)."""
    return _QuoteReader(doc, lexicon or load_speech_lexicon()).quotes()


class QuotesStage:
    """The ``eventwire_quotes`` component: sets ``doc._.ew_quotes``."""

    def __init__(self, speech_verbs: str = "") -> None:
        self.lexicon = load_speech_lexicon(speech_verbs or None)

    def __call__(self, doc: Doc) -> Doc:
        deadline.check()
        doc._.ew_quotes = find_quotes(doc, self.lexicon)
        return doc


@Language.factory(
    "eventwire_quotes",
    default_config={"speech_verbs": ""},
    requires=["doc._.ew_entities", "token.dep"],
    assigns=["doc._.ew_quotes"],
)
def make_quotes(nlp: Language, name: str, speech_verbs: str) -> QuotesStage:
    """``speech_verbs``: path of a YAML file of extra speech cues (see :func:`load_speech_lexicon`)."""
    return QuotesStage(speech_verbs)
