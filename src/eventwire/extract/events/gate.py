"""The event-ness gate: a candidate is coded only when the text reports a specific occurrence.

The dictionaries find words that *can* name an event; most of their matches in real articles do
not (docs/annotation-guide.md, section 1). Each rule here names a kind of use that reports no
occurrence; a candidate that meets one is not coded. Measured on the gold corpus's train and dev
splits, each rule removes more wrong codings than right ones.

- **bare dictionary verb**: a verb matched only by a PETRARCH entry without its object or
  preposition ("go", "lead", "study", "dominate"): out of their CAMEO patterns they code an event
  about one time in twelve. Curated verbs and patterns that name their object stay.
- **question**: the sentence asks ("Will the board sanction the club?").
- **condition**: the clause is introduced by if/unless/whether/once/until, or hangs from one.
- **hypothetical**: the modality reader found the act possible, feared or forecast
  ("could attack", "unlikely to invade").
- **purpose or complement**: an infinitive under another verb ("hoping to pull in buyers",
  "plans to visit", "met to discuss"): what is wanted or planned, not what happened. The verb
  above carries the event when it is one (AGREE, THREATEN, REQUEST); attempts ("tried to block")
  are asserted attempts and stay, and so does an imminent act ("is about to restore ties").
- **describing clause**: a reduced relative ("a man accused of fraud", "a car designed to ...")
  or a present-tense relative clause ("the minister, who heads the council"): it says what
  someone or something is, not what happened. A past relative clause ("the gunman who killed
  four people") reports an occurrence and stays.
- **what is prevented, forbidden or discussed**: a nominal trigger that is the object of a verb
  of prevention, prohibition, discussion or planning ("to counter the threat", "bars attacks on
  aid workers", "discussed a ceasefire", "poses a threat"): the noun names a kind of act, not an
  occurrence.
- **negated**: the text says the act did not happen ("did not sanction", "will not lift the
  ban"). Event data records what happened; of the engine's negated codings on train and dev none
  matched an annotated event (the annotators found two negated events in 482).
- **inside a quotation**: the trigger lies in a direct quotation with a speaker. A speaker's
  words are rhetoric more often than report ("they are killing our people"); on train and dev
  two of the engine's twenty such codings were right. The quotation itself stays in the record
  with its speaker, and an event the article reports in its own voice is coded there.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

CONDITION_MARKERS = frozenset({"if", "unless", "whether", "once", "until"})
#: Words above an infinitive that report the act itself: attempts, and "is about to" (imminent).
ATTEMPT_VERBS = frozenset({"try", "attempt", "about"})
PRESENT_TAGS = frozenset({"VBZ", "VBP", "VBG"})
#: Verbs whose object names a kind of act rather than an occurrence of it.
NON_OCCURRENCE_GOVERNORS = frozenset(
    {
        "prevent",
        "stop",
        "counter",
        "combat",
        "deter",
        "avoid",
        "fear",
        "risk",
        "prohibit",
        "ban",
        "bar",
        "forbid",
        "outlaw",
        "discuss",
        "debate",
        "consider",
        "propose",
        "plan",
        "pose",
    }
)


def is_question(sent: Span) -> bool:
    return sent.text.rstrip().rstrip("\"'”’)").endswith("?")


def is_conditional(trigger: Token) -> bool:
    """Introduced by a condition marker itself, or an adverbial clause of one."""
    for token in (trigger, trigger.head) if trigger.dep_ == "advcl" else (trigger,):
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKERS for c in token.children):
            return True
    return False


def is_complement(trigger: Token) -> bool:
    """An infinitive ("to visit") under another word, unless that word is an attempt."""
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
    if not infinitive or trigger.head is trigger:
        return False
    return trigger.head.lemma_.lower() not in ATTEMPT_VERBS


def is_describing(trigger: Token) -> bool:
    """A reduced relative, or a relative clause in the present tense."""
    if trigger.dep_ == "acl" and trigger.pos_ == "VERB":
        return True
    return trigger.dep_ == "relcl" and trigger.tag_ in PRESENT_TAGS


def is_kind_of_act(noun: Token) -> bool:
    """A noun that is the object of a verb of prevention, prohibition, discussion or planning."""
    return (
        noun.dep_ in ("dobj", "nsubjpass")
        and noun.head.pos_ == "VERB"
        and noun.head.lemma_.lower() in NON_OCCURRENCE_GOVERNORS
    )


def gate_reason(
    *,
    trigger: Token,
    kind: str,
    origin: str,
    specific: bool,
    modality: str,
    sent: Span,
    quoted: bool = False,
    noun: Token | None = None,
) -> str | None:
    """Why the candidate reports no occurrence (None when it may be coded). ``trigger`` is the
    clause the candidate stands in (a nominal trigger's governing verb where it has one), ``noun``
    a nominal trigger itself."""
    if kind == "verbal" and origin == "petrarch" and not specific:
        return "bare dictionary verb"
    if is_question(sent):
        return "question"
    if is_conditional(trigger):
        return "condition"
    if modality == "hypothetical":
        return "hypothetical"
    if modality == "negated":
        return "negated"
    if quoted:
        return "inside a quotation"
    if kind == "verbal" and is_complement(trigger):
        return "purpose or complement"
    if kind == "verbal" and is_describing(trigger):
        return "describing clause"
    if kind == "nominal" and noun is not None and is_kind_of_act(noun):
        return "kind of act"
    return None
