"""When and where an event happened, and how many: read from the trigger's own clause.

Date: the time expression attached to the trigger (walking up the parse from the time phrase,
the first clause head reached must be the trigger or its light verb; inside a nominal trigger's
phrase counts too: "the October 7 attack"). Else the date of the clause it continues: a
participle ("attacked the market on Saturday, killing 23") or a conjoined verb without a subject
of its own ("met Y on Tuesday and agreed to ...") happened then too. Otherwise, only when the
trigger is in the present or present perfect and its sentence has no time expression at all, the
publication date with basis "publication". A deadline or a period's edge ("no later than May 10",
"since 2019", "until June") is never the event's date. Never the machine's clock, and never the dateline's
date ("BAMAKO, Aug 18, 2024 (Wire) -" says when the story was filed, not when anything happened:
callers leave dateline times out, see :func:`dateline_times`). Location: a Place attached the same way through
a locative preposition ("in Lebanon", "at the Shebaa Farms"), not one of the event's actors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.tokens import Doc, Span, Token

from eventwire.extract import span_text, whole_text
from eventwire.extract.quantities import (
    COUNTED,
    casualty_kind,
    counted_noun,
    number_phrase,
    parse_number,
)
from eventwire.record import EventDate, Location, Quantity

LOCATIVE = {
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "across",
    "around",
    "within",
    "off",
    "throughout",
    "along",
}
PRESENT_TAGS = {"VBZ", "VBP"}
#: A dateline at the start of a line: "NAIROBI, March 4 (Wire) - ", "BERLIN -- ", "Kabul - ".
DATELINE = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){0,3}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)"
    r"(?:, [^\n\-–—]{1,40}?)?(?: ?\([^)\n]{1,40}\))?[ \t]*(?:-{1,2}|–|—)[ \t]"
)


def span_of(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def attached(root: Token, anchors: Iterable[Token], via: set[str] | None = None) -> bool:
    """Whether ``root`` hangs from one of ``anchors`` without crossing another clause head;
    with ``via``, the path must also pass through one of those prepositions."""
    anchor_ids = {a.i for a in anchors}
    node, passed = root, via is None
    for _ in range(12):
        if node.i in anchor_ids:
            return passed
        if node is not root and node.pos_ in ("VERB", "AUX"):
            return False
        if node.dep_ == "prep" and via is not None and node.lower_ in via:
            passed = True
        if node.head is node:
            return False
        node = node.head
    return False


def dateline_tokens(doc: Doc) -> set[int]:
    """Indices of tokens in a leading dateline (see ``DATELINE``): the place a story was filed
    from is never an event's actor. A title-case dateline ("Kabul - ") counts only when it is a
    place the NER found, so "Ali - who ..." is left alone."""
    found: set[int] = set()
    for match in DATELINE.finditer(whole_text(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="contract")
        if span is None or not (span[0].is_upper or span[0].ent_type_ in ("GPE", "LOC")):
            continue
        found.update(t.i for t in span)
    return found


def sentence_items(items: Sequence[Any] | None, sent: Span) -> list[Any]:
    """The time expressions / places / quotes whose span lies in the sentence."""
    lo, hi = sent.start_char, sent.end_char
    return [it for it in items or [] if lo <= it.start and it.end <= hi]


def dateline_times(times: Sequence[Any], doc: Doc, dateline: set[int]) -> list[Any]:
    """``times`` without those inside the dateline (``dateline`` holds its token indices)."""
    kept = []
    for time in times:
        span = span_of(doc, time.start, time.end)
        if span is None or not any(t.i in dateline for t in span):
            kept.append(time)
    return kept


def event_date(
    doc: Doc, anchors: list[Token], times: list[Any], published: str | None
) -> EventDate | None:
    """The event's date from its own time expression, else from the clause it continues, else
    the publication date (see module)."""
    own = _own_date(doc, anchors, times)
    if own is not None:
        return own
    for head in _continued_clauses(anchors):
        shared = _own_date(doc, [head], times)
        if shared is not None:
            return shared
    if published and not times and _present(anchors):
        return EventDate(published[:10], "day", None, "publication")
    return None


#: Words before a time that make it a bound, not the event's date: a deadline ("no later than
#: May 10", "by Friday", "before June"), or the start of a period ("since 2019", "until March").
BOUND_WORDS = frozenset({"since", "until", "till", "by", "before", "deadline"})


def is_bound(span: Span) -> bool:
    """Whether a time phrase is a deadline or a period's edge rather than when something happened
    ("no later than May 10", "since 2019"): the word before it, or "later/earlier than"."""
    start = span.start
    before = span.doc[start - 1].lower_ if start > 0 else ""
    if before in BOUND_WORDS or span[0].lower_ in BOUND_WORDS:
        return True
    two = " ".join(t.lower_ for t in span.doc[max(start - 2, 0) : start])
    return two in ("later than", "earlier than", "deadline of")


def _own_date(doc: Doc, anchors: list[Token], times: list[Any]) -> EventDate | None:
    """The time expression attached to the anchors' own clause, or a sentence-level one
    (deadlines and period edges are never an event's date: :func:`is_bound`)."""
    dates = [
        (time, span)
        for time in times
        if getattr(time, "value", None)
        and (span := span_of(doc, time.start, time.end)) is not None
        and not is_bound(span)
    ]
    for time, span in dates:
        if attached(span.root, anchors) or _inside_noun(span, anchors):
            return EventDate(time.value, time.granularity or "day", time.text, time.basis)
    for time, span in dates:
        if _sentence_adjunct(span, anchors):
            return EventDate(time.value, time.granularity or "day", time.text, time.basis)
    return None


#: Children that give a clause its own time frame: a subject, a subordinator ("after
#: fleeing"), an auxiliary of its own ("and will meet"), a negation.
_OWN_FRAME = {"nsubj", "nsubjpass", "csubj", "expl", "mark", "aux", "auxpass", "neg"}


def _continued_clauses(anchors: list[Token]) -> list[Token]:
    """The verbs whose time the anchors' clause shares, nearest first: a participial adjunct
    ("..., killing 23") or a conjoined verb with no subject, subordinator or auxiliary of its
    own ("met ... and agreed"), followed up to three levels ("killing ... and wounding")."""
    verb = next((a for a in reversed(anchors) if a.pos_ in ("VERB", "AUX")), None)
    found: list[Token] = []
    while verb is not None and len(found) < 3:
        head = verb.head
        participle = verb.dep_ == "advcl" and verb.tag_ == "VBG"
        conjoined = verb.dep_ == "conj" and verb.tag_ == head.tag_
        if head is verb or head.pos_ not in ("VERB", "AUX") or not (participle or conjoined):
            break
        if any(c.dep_ in _OWN_FRAME for c in verb.children):
            break
        found.append(head)
        verb = head
    return found


def _sentence_adjunct(span: Span, anchors: list[Token]) -> bool:
    """A time set off by a comma at the start or end of the sentence ("In late August, he
    warned", "..., on Wednesday.") modifies the main clause, whatever the parser attached it
    to; it dates the root verb and the verbs coordinated with it."""
    sent = span.sent
    if span.start > sent.start and span.doc[span.start - 1].pos_ == "ADP":
        span = span.doc[span.start - 1 : span.end]
    before = span.doc[span.start - 1] if span.start > sent.start else None
    after = span.doc[span.end] if span.end < sent.end else None
    first = span.start == sent.start or (span.start == sent.start + 1 and span[0].dep_ == "prep")
    opening = (first or span.start <= sent.start + 1) and after is not None and after.text == ","
    closing = before is not None and before.text == "," and (after is None or after.is_punct)
    if not (opening or closing):
        return False
    main = {sent.root.i, *(c.i for c in sent.root.conjuncts)}
    return any(a.i in main or (a.head.i in main and a.dep_ in ("dobj", "prep")) for a in anchors)


def _inside_noun(span: Span, anchors: list[Token]) -> bool:
    return any(a.pos_ == "NOUN" and span.root.i < a.i and span.root in a.subtree for a in anchors)


def _present(anchors: list[Token]) -> bool:
    """Present tense or present perfect on the governing verb (or the trigger itself)."""
    verb = next((a for a in reversed(anchors) if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        verb = next((a for a in anchors[0].ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return False
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return verb.tag_ in PRESENT_TAGS or bool(aux & {"has", "have", "is", "are", "am"})


def event_location(
    doc: Doc, anchors: list[Token], places: list[Any], actor_tokens: set[int]
) -> Location | None:
    """The first place attached to the trigger's clause through a locative preposition."""
    for place in places:
        span = span_of(doc, place.start, place.end)
        if span is None or any(t.i in actor_tokens for t in span):
            continue
        if attached(span.root, anchors, via=LOCATIVE):
            return Location(
                name=getattr(place, "name", None) or span.text,
                entity=getattr(place, "entity", None),
                country=getattr(place, "country", None),
                lat=getattr(place, "lat", None),
                lon=getattr(place, "lon", None),
            )
    return None


def sentence_quantities(sent: Span, actor_of: Any) -> list[tuple[Token, Quantity]]:
    """Every countable quantity in a sentence, with the noun it counts."""
    found: list[tuple[Token, Quantity]] = []
    for token in sent:
        if not token.like_num or token.dep_ == "compound" or token.ent_type_ in ("DATE", "TIME"):
            continue
        noun = counted_noun(token)
        value = parse_number(number_phrase(token))
        if noun is None or value is None:
            continue
        kind = casualty_kind(token, noun) or COUNTED.get(noun.lemma_.lower())
        if kind is None:
            continue
        owner = actor_of(noun) if noun is not token else []
        text = doc_text(sent.doc, min(token.i, noun.i), max(token.i, noun.i) + 1)
        found.append((noun, Quantity(kind, value, text, owner[0] if owner else None)))
    return found


def doc_text(doc: Doc, start: int, end: int) -> str:
    return span_text(doc, start, end)
