"""Modality and attribution of an event trigger: asserted, reported, hypothetical, future, negated.

Read from the dependency parse around the trigger (and the verb that governs a nominal
trigger): a ``neg`` child or a denial above it -> negated (not for a noun the denial takes as
its object: "denied the accusations" does not unsay that they were made; and not across a
"while/although/after ..." clause, which has its own frame); modal auxiliaries (might, could,
would, may, should) or an "if" clause -> hypothetical; "will"/"shall", "going to" or a plan /
intent verb above it ("plans to", "agreed to continue") -> future; a reporting verb above it
("X said that ..."), "according to X", or a quote span around it -> reported. The first three
win over "reported"; ``attributed_to`` is set in every case where someone else claims it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from eventwire.extract import whole_text

REPORTING = {
    "say",
    "claim",
    "report",
    "announce",
    "tell",
    "state",
    "allege",
    "add",
    "note",
    "insist",
    "confirm",
    "assert",
    "write",
    "declare",
    "argue",
    "suggest",
    "indicate",
    "reveal",
    "explain",
    "acknowledge",
    "admit",
    "point",
    "quote",
    "believe",
    "think",
}
DENYING = {"deny", "dismiss", "refute"}
REFUSING = {"refuse", "decline", "fail", "reject", "resist"}
HYPOTHETICAL_AUX = {"might", "could", "would", "may", "should", "must", "can"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
#: Verbs of intent above a trigger make it future. "try" and "attempt" are not among them: "tried
#: to block the road" reports an attempt that happened (asserted; the event-ness gate keeps it).
INTENT = {
    "plan",
    "intend",
    "agree",
    "decide",
    "vow",
    "promise",
    "pledge",
    "aim",
    "seek",
    "prepare",
    "want",
    "hope",
    "expect",
    "threaten",
    "offer",
    "propose",
    "continue",
    "ask",
    "urge",
    "call",
    "demand",
    "warn",
}
CLAUSE_LINKS = {
    "ccomp",
    "xcomp",
    "conj",
    "advcl",
    "pcomp",
    "acl",
    "relcl",
    "dobj",
    "pobj",
    "prep",
    "parataxis",
    "csubj",
}


@dataclass(frozen=True, slots=True)
class ModalityReading:
    modality: str
    attributed_to: str | None = None
    cue: str | None = None


def own_modality(verb: Token) -> str | None:
    """What the verb's own auxiliaries and children say (None: nothing marked)."""
    children = list(verb.children)
    if any(c.dep_ == "neg" for c in children):
        return "negated"
    aux = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass")}
    if aux & HYPOTHETICAL_AUX or any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in children
    ):
        return "hypothetical"
    if aux & FUTURE_AUX or _going_to(verb):
        return "future"
    return None


def _going_to(verb: Token) -> bool:
    head = verb.head
    return verb.dep_ == "xcomp" and head.lemma_ == "go" and head.tag_ == "VBG"


#: Subordinators that give an adverbial clause a frame of its own (contrast, time, cause): the
#: main clause's negation or modal does not reach into it.
FRAMED = {"while", "although", "though", "whereas", "after", "before", "since", "because", "when"}


def _own_time_frame(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ in FRAMED for c in clause.children)


def read_modality(
    trigger: Token,
    actor_of: Callable[[Token], list[str]],
    quote_speaker: str | None = None,
    sent: Span | None = None,
) -> ModalityReading:
    """The modality of the event at ``trigger`` and who claims it.

    ``actor_of`` maps a noun token to entity ids (the subject of a reporting verb);
    ``quote_speaker`` is the speaker of a quotation that contains the trigger, if any;
    ``sent`` the trigger's sentence when the caller has it (else it is found).
    """
    found: str | None = own_modality(trigger) if trigger.pos_ in ("VERB", "AUX") else None
    attributed: str | None = quote_speaker
    reported = quote_speaker is not None
    node = trigger
    while node.dep_ in CLAUSE_LINKS and node.head is not node:
        child, link, node = node, node.dep_, node.head
        if node.pos_ not in ("VERB", "AUX", "NOUN"):
            continue
        lemma = node.lemma_.lower()
        if lemma in DENYING and link == "dobj" and child.pos_ in ("NOUN", "PROPN"):
            break  # "denied Russia's accusations": the accusations were made; the denial is its own
        if link == "advcl" and _own_time_frame(child):
            break  # "While A blamed C, C has not claimed it": the main clause's "not" is not A's
        if lemma in REPORTING or lemma in DENYING or lemma == "claim":
            reported = True
            attributed = attributed or _first(actor_of, _subject(node))
            if lemma in DENYING and link in ("ccomp", "xcomp", "dobj"):
                found = found or "negated"
        elif found is None and link == "xcomp" and lemma in REFUSING:
            found = "negated"  # "refused to meet": the meeting did not happen
        elif found is None and link in ("xcomp", "ccomp") and lemma in INTENT:
            found = "future"
        found = found or (own_modality(node) if link in ("ccomp", "xcomp", "advcl") else None)
    according = _according_to(trigger, sent)
    if according is not None:
        reported = True
        attributed = attributed or _first(actor_of, according)
    if found == "hypothetical" and reported and _only_would(trigger):
        found = "future"  # "X said it would free them": a reported future, not a condition
    modality = found or ("reported" if reported else "asserted")
    return ModalityReading(modality, attributed)


def _only_would(verb: Token) -> bool:
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return (
        "would" in aux
        and not aux & (HYPOTHETICAL_AUX - {"would"})
        and not any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children)
    )


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _first(actor_of: Callable[[Token], list[str]], token: Token | None) -> str | None:
    ids = actor_of(token) if token is not None else []
    return ids[0] if ids else None


_ACCORDING = re.compile("according", re.IGNORECASE)


def _according_to(trigger: Token, sent: Span | None = None) -> Token | None:
    """The pobj of an "according to X" in the trigger's sentence. The sentence's text is
    searched first: most sentences have no "according" (a token whose lower case is that is
    one of its spellings), and then their tokens need not be read, one Token each."""
    if sent is None or not sent.start <= trigger.i < sent.end:
        sent = trigger.sent
    if _ACCORDING.search(whole_text(trigger.doc), sent.start_char, sent.end_char) is None:
        return None
    for token in sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            nxt = token.doc[token.i + 1]
            pobj = [c for c in nxt.children if c.dep_ == "pobj"] or [
                c for c in token.children if c.dep_ == "pobj"
            ]
            if nxt.lower_ == "to" and pobj:
                return pobj[0]
    return None
