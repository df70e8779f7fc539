"""Finding event triggers in a parsed sentence and coding them with the PLOVER dictionaries.

A verbal trigger is a verb whose best-matching rule (see :meth:`VerbRule.specificity`: the
rule naming the verb's object and preposition beats the bare verb) codes an event; a rule with
no coding marks a non-event use ("call an engineer"). A nominal trigger is a noun (not part of a
named entity) listed in ``nouns.tsv``, possibly as a two-word phrase ("death toll") or with a
required modifier ("hunger strike"). Light verbs ("launched an attack", "held talks") hand their
subject to the nominal trigger they govern.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from eventwire.extract.events.lexicon import Coding, Lexicon, NounRule, VerbRule

LIGHT_VERBS = {
    "launch",
    "carry",
    "conduct",
    "hold",
    "stage",
    "mount",
    "begin",
    "start",
    "make",
    "have",
    "continue",
    "resume",
    "wage",
    "unleash",
    "commit",
    "perpetrate",
    "organize",
    "organise",
    "lead",
    "attend",
    "join",
    "take",
    "participate",
    "undertake",
    "step",
    "escalate",
    "intensify",
    "announce",
    "claim",
    "plan",
    "reach",
    "order",
    "approve",
    "impose",
    "see",
}


@dataclass
class Draft:
    """An event candidate before actors are mapped to entities."""

    trigger: Token
    coding: Coding
    kind: str  # "verbal" | "nominal"
    origin: str  # "curated" | "petrarch" | a user file name
    words: list[Token] = field(default_factory=list)  # trigger words (verb + particle/prep)
    anchors: list[Token] = field(default_factory=list)  # trigger + governing light verb
    sources: list[Token] = field(default_factory=list)
    targets: list[Token] = field(default_factory=list)
    specific: bool = False  # the rule named an object or a preposition
    absorbed: bool = False
    fallback_targets: list[Token] = field(default_factory=list)  # used when targets name no one

    @property
    def type(self) -> str:
        return self.coding.type


def _verb_words(verb: Token) -> tuple[set[str], dict[str, list[Token]]]:
    """The verb's object head words (with coordinated ones: "sent teams and supplies") and
    its prepositions (prep -> their pobj tokens)."""
    objects: set[str] = set()
    preps: dict[str, list[Token]] = {}
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "nsubjpass", "attr", "oprd", "acomp", "ccomp"):
            for word in (child, *child.conjuncts):
                objects.update({word.lemma_.lower(), word.lower_})
                objects.update(_measured(word))
        elif child.dep_ in ("prep", "prt", "agent"):
            pobj = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            preps.setdefault(child.lower_, []).extend(pobj)
            for g in pobj:
                objects.update({g.lemma_.lower(), g.lower_})
    return objects, preps


#: Object heads that measure something else: "40 percent of their arms", "$4 million worth of
#: equipment", "$5 billion in assistance" give what is measured to the dictionary too.
MEASURE_HEADS = frozenset(
    {"percent", "%", "worth", "amount", "lot", "number", "part", "share", "batch", "shipment",
     "tonne", "ton", "million", "billion", "thousand", "hundred", "dozen"}
)  # fmt: skip


def _measured(word: Token) -> set[str]:
    """The words an object measures ("percent of arms" -> arms), for a measure noun, an amount
    or a number (each with its coordinated words)."""
    if not (word.lemma_.lower() in MEASURE_HEADS or word.tag_ in ("CD", "$")):
        return set()
    found: set[str] = set()
    for prep in (c for c in word.children if c.dep_ == "prep" and c.lower_ in ("of", "in")):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            for item in (pobj, *pobj.conjuncts):
                found.update({item.lemma_.lower(), item.lower_})
    return found


def best_verb_rule(verb: Token, lexicon: Lexicon) -> VerbRule | None:
    """The most specific dictionary rule that fits the verb in its sentence."""
    objects, preps = _verb_words(verb)
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    lemmas = ([f"{verb.lemma_.lower()} {particle}"] if particle else []) + [verb.lemma_.lower()]
    for lemma in lemmas:
        for rule in lexicon.ranked_verb_rules(lemma):  # the most specific, earliest, first
            if _fits(rule, objects, preps, lexicon):
                return rule
    return None


def _fits(
    rule: VerbRule, objects: set[str], preps: dict[str, list[Token]], lexicon: Lexicon
) -> bool:
    """Whether a rule's preposition and object are present. PETRARCH's preposition-only
    patterns are not used: out of their TABARI context they mostly misfire ("began on")."""
    if not rule.prep:
        return not rule.object or lexicon.object_matches(rule.object, objects)
    if not rule.object and rule.origin == "petrarch":
        return False
    accepted = rule.preps()
    if not any(p in preps for p in accepted):
        return False
    if not rule.object:
        return True
    words = {w for p in accepted for t in preps.get(p, []) for w in (t.lemma_.lower(), t.lower_)}
    return lexicon.object_matches(rule.object, words)


def _attribution(verb: Token) -> bool:
    """ "According to X" attributes a claim (see modality); nobody accords anything."""
    following = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return verb.lower_ == "according" and following is not None and following.lower_ == "to"


def verbal_draft(verb: Token, lexicon: Lexicon) -> tuple[Draft | None, VerbRule | None]:
    """The verbal event at ``verb`` (None when no rule codes one) and the rule that decided.
    Predicate adjectives with a complement ("is willing to", "ready to") go through the verb
    dictionary too, under their own lemma."""
    predicative = (
        verb.pos_ == "ADJ"
        and verb.dep_ == "acomp"
        and any(c.dep_ == "xcomp" for c in verb.children)
    )
    if verb.pos_ != "VERB" and not predicative:
        return None, None
    if _attribution(verb):
        return None, None
    rule = best_verb_rule(verb, lexicon)
    if rule is None or rule.coding is None:
        return None, rule
    words = [verb, *(c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1)]
    words += [
        c
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ in rule.preps() and c.i == words[-1].i + 1
    ]
    draft = Draft(
        verb,
        rule.coding,
        "verbal",
        rule.origin,
        words=sorted(words),
        anchors=[verb],
        specific=bool(rule.object or rule.prep),
    )
    return draft, rule


def _noun_keys(noun: Token) -> list[tuple[str, str]]:
    """(dictionary key, modifier) pairs to try for a noun, most specific first."""
    mods = [c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
    lemma = noun.lemma_.lower()
    keys = [(lemma, m) for m in mods] + [(f"{m} {lemma}", "") for m in mods]
    return keys + [(lemma, ""), (noun.lower_, "")]


def nominal_draft(
    noun: Token, lexicon: Lexicon, token_entity: Sequence[str | None]
) -> Draft | None:
    """The nominal event at ``noun`` (None for nouns that are not triggers or are in a name)."""
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ == "compound":
        return None
    if noun.i < len(token_entity) and token_entity[noun.i]:
        return None
    if noun.ent_type_ in ("WORK_OF_ART", "EVENT", "LAW", "ORG", "PERSON", "GPE"):
        return None
    tails = lexicon.noun_tails()
    if noun.lemma_.lower() not in tails and noun.lower_ not in tails:
        return None  # no key of this noun can name a rule (see Lexicon.noun_tails)
    for key, modifier in _noun_keys(noun):
        rule = _noun_rule(lexicon.noun_rules(key), modifier)
        if rule is not None:
            return _noun_draft(noun, rule, key)
    return None


def _noun_rule(rules: list[NounRule], modifier: str) -> NounRule | None:
    return next((r for r in rules if r.modifier == modifier), None)


def _noun_draft(noun: Token, rule: NounRule, key: str) -> Draft | None:
    if rule.coding is None:
        return None
    words = [noun]
    if " " in key or rule.modifier:
        words += [
            c
            for c in noun.children
            if c.dep_ in ("compound", "amod", "nmod")
            and c.lemma_.lower() in (key.split()[0], rule.modifier)
        ]
    return Draft(
        noun,
        rule.coding,
        "nominal",
        rule.origin,
        words=sorted(words),
        anchors=[noun],
        specific=bool(rule.modifier),
    )


def trigger_text_span(draft: Draft) -> tuple[int, int]:
    """Character offsets covering the trigger words."""
    return draft.words[0].idx, draft.words[-1].idx + len(draft.words[-1])


DEONTIC = {"must", "should"}
REPORTING_VERBS = {"say", "state", "tell", "insist", "stress", "add", "declare", "write"}
DEMAND = Coding("REQUEST", None, "100", ())


def demand_draft(verb: Token) -> Draft | None:
    """ "X said Y must/should do Z" is X's demand on Y (CAMEO 10): a REQUEST at the reporting
    verb; the clause's own event keeps its place, with its modality."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in REPORTING_VERBS:
        return None
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        if any(a.dep_ == "aux" and a.lower_ in DEONTIC for a in clause.children):
            return Draft(
                verb, DEMAND, "verbal", "curated", words=[verb], anchors=[verb], specific=True
            )
    return None


#: The parts of speech a trigger can have: verbs (and predicate adjectives, see
#: :func:`verbal_draft`) and nouns (:func:`nominal_draft`).
TRIGGER_POS = frozenset({"VERB", "ADJ", "NOUN", "PROPN"})
_NOMINAL_POS = frozenset({"NOUN", "PROPN"})
_VERBAL_POS = TRIGGER_POS - _NOMINAL_POS


def sentence_drafts(
    sent: Span, lexicon: Lexicon, token_entity: Sequence[str | None]
) -> tuple[list[Draft], dict[int, VerbRule]]:
    """All verbal and nominal drafts of a sentence (before linking) and the verb rules used."""
    drafts: list[Draft] = []
    rules: dict[int, VerbRule] = {}
    for token in sent:
        pos = token.pos_
        if pos in _NOMINAL_POS:  # a noun has only the nominal reading: the others want a verb
            draft = nominal_draft(token, lexicon, token_entity)  # or a predicate adjective
        elif pos in _VERBAL_POS:
            draft, rule = verbal_draft(token, lexicon)
            if rule is not None:
                rules[token.i] = rule
            draft = draft or demand_draft(token)  # the nominal reading wants a noun
        else:
            continue  # none of the three readings takes any other word
        if draft is not None:
            drafts.append(draft)
    return drafts, rules
