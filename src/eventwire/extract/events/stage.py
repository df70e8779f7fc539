"""Events: PLOVER-coded who-did-what-to-whom with date, place, modality and evidence.

For each sentence: find verbal and nominal triggers with the PLOVER dictionaries
(:mod:`eventwire.extract.events.triggers`), link a nominal trigger to the light verb that governs
it ("launched an attack") or merge it into the verbal trigger that names it ("hosted ... in a
meeting"), read source and target from the parse (:mod:`eventwire.extract.events.arguments`), map them
to entity ids, then date, place, modality, attribution and quantities.

Rules worth knowing:

- One event per trigger; a verbal + nominal pair describing the same thing is one event.
- What someone threatens ("threatened to attack", "warned of war") is part of the THREATEN
  event, not an event of its own; its target becomes the threat's target.
- An event with no actor at all (no source and no target entity) is dropped: "the attack" alone
  tells an analyst nothing they can use, and such events were most of the noise.
- Hosting/receiving (CAMEO 043): the visitors are the source, the host the target (PLOVER).
- Statements of intent are coded as intent (CAMEO 03/12/13): "X will provide aid" is AGREE,
  "X will attack" THREATEN, a future meeting AGREE, "will not lift the ban" REJECT; not when an
  intent trigger already governs the clause ("agreed to continue coordination" keeps a future
  COOPERATE beside the asserted AGREE). "X says Y must ..." is X's REQUEST to Y.
- A meeting held to complain or demand is coded for that purpose (PLOVER manual, CONSULT).
- Candidates that report no occurrence are dropped by the event-ness gate
  (:mod:`~eventwire.extract.events.gate`); reports of one occurrence are merged
  (:mod:`~eventwire.extract.events.merge`).
- Confidence: the learned filter's probability (:mod:`~eventwire.extract.events.learned`);
  without a shipped filter, rule strength (curated/specific pattern 0.65, PETRARCH bare verb
  0.5, nominal 0.45) + 0.2 with a source + 0.15 with a target, at most 0.95.
- ``doc._.ew_event_arguments`` keeps, per event id, the character spans of the argument phrases
  (entities or not), for evaluation and debugging.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from eventwire import deadline
from eventwire.extract import span_text, whole_text
from eventwire.extract.events.arguments import (
    actor_ids,
    entity_types,
    noun_arguments,
    object_phrase_targets,
    objects_of,
    place_objects,
    subject_of,
)
from eventwire.extract.events.context import (
    attached,
    dateline_times,
    dateline_tokens,
    event_date,
    event_location,
    sentence_items,
    sentence_quantities,
)
from eventwire.extract.events.gate import gate_reason
from eventwire.extract.events.learned import (
    event_features,
    load_filter,
    load_types,
    typed_features,
    untyped,
)
from eventwire.extract.events.lexicon import Coding, Lexicon, load_lexicon
from eventwire.extract.events.merge import fullness, merge_occurrences
from eventwire.extract.events.triggers import (
    LIGHT_VERBS,
    Draft,
    sentence_drafts,
    trigger_text_span,
)
from eventwire.extract.modality import REPORTING, read_modality
from eventwire.record import Event, EventActors, Quantity, Quote, TextSpan

if not Doc.has_extension("ew_event_arguments"):
    Doc.set_extension("ew_event_arguments", default=None)
if not Doc.has_extension("ew_event_features"):
    Doc.set_extension("ew_event_features", default=None)

_ABSORBING = {"THREATEN"}
ADDRESSED_TYPES = {"REQUEST", "ACCUSE", "THREATEN"}  # a that-clause's subject is the target
SYMMETRIC_TYPES = {"CONSULT"}
_COMPLEMENT = {"xcomp", "ccomp", "prep", "pobj", "dobj", "pcomp", "advcl"}
#: Material events whose target, when no person or organisation is named, is the place acted on.
PLACE_TARGET_TYPES = {"ASSAULT", "COERCE", "MOBILIZE", "AID", "RETREAT", "PROTEST"}
PLACE_ENTITY_TYPES = {"GPE", "LOC", "FAC"}
#: Verbs of speaking or judging: a nominal event in their object ("called the attack an
#: outrage", "condemned the killings") is not the speaker's own act.
SPEECH_VERBS = REPORTING | {
    "call",
    "describe",
    "term",
    "label",
    "brand",
    "condemn",
    "denounce",
    "deny",
    "blame",
    "welcome",
    "praise",
    "criticize",
    "criticise",
    "decry",
    "deplore",
    "hail",
    "mourn",
}


class Context:
    """What every rule needs about the document, computed once per doc."""

    def __init__(self, doc: Doc, lexicon: Lexicon, *, gate: bool = True) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.gate = gate  # the event-ness gate (:mod:`eventwire.extract.events.gate`)
        self.token_entity: Sequence[str | None] = doc._.ew_token_entity or [None] * len(doc)
        self.types = entity_types(doc)
        meta = doc._.ew_meta
        self.published: str | None = getattr(meta, "published", None) if meta else None
        self.dateline = dateline_tokens(doc)
        self.kb = {e.id: e.kb_id for e in doc._.ew_entities or []}
        # what earlier stages found, read once: each ``doc._`` read costs about 1.7 us, and
        # every event asked for all three
        self.times_found = doc._.ew_times
        self.places_found = doc._.ew_places
        self.quotes: list[Quote] = doc._.ew_quotes or []

    def actors(self, token: Token) -> list[str]:
        if token.i in self.dateline:
            return []  # "NAIROBI, March 4 (Wire) -" places the story; it does not act in it
        return actor_ids(token, self.token_entity, self.types)

    def ids(self, tokens: list[Token]) -> list[str]:
        found: list[str] = []
        for token in tokens:
            found.extend(e for e in self.actors(token) if e not in found)
        return found

    def places(self, tokens: list[Token]) -> list[str]:
        """The place entities (not actors) among the ids of ``tokens``."""
        return [e for e in self.ids(tokens) if self.types.get(e) in PLACE_ENTITY_TYPES]


def link_drafts(drafts: list[Draft], rules: dict[int, Any], lexicon: Lexicon) -> None:
    """Tie nominal triggers to the verbs that govern them (see module docstring)."""
    verbal = {d.trigger.i: d for d in drafts if d.kind == "verbal"}
    for draft in (d for d in drafts if d.kind == "nominal"):
        verb, direct = _governing_verb(draft.trigger)
        if verb is None:
            continue
        owner = verbal.get(verb.i)
        rule = rules.get(verb.i)
        noun_words = {draft.trigger.lemma_.lower(), draft.trigger.lower_}
        light = verb.lemma_.lower() in LIGHT_VERBS
        named = bool(
            owner and rule and rule.object and lexicon.object_matches(rule.object, noun_words)
        )
        if named and owner and owner.type == "REJECT" and draft.type == "ACCUSE":
            _denied(owner, draft, verb)
            continue
        if named and owner and not (light and owner.origin == "petrarch"):
            _merge(owner, draft)
        elif direct and (light or (owner is None and verb.lemma_.lower() not in SPEECH_VERBS)):
            if owner is not None:
                owner.absorbed = True
            draft.anchors.append(verb)
            draft.sources.extend(subject_of(verb))
            draft.targets.extend(t for t in objects_of(verb) if t.i != draft.trigger.i)
        elif owner is not None and owner.type == draft.type:
            _merge(owner, draft)


def _denied(denial: Draft, accusation: Draft, verb: Token) -> None:
    """ "X denied Y's accusations": two events, X's REJECT of Y, and Y's ACCUSE of X (made, so
    not negated; see modality)."""
    accusers, _ = noun_arguments(accusation.trigger, reciprocal=False)
    denial.targets.extend(accusers)
    accusation.targets.extend(subject_of(verb))


def _governing_verb(noun: Token) -> tuple[Token | None, bool]:
    """The verb a noun is the object of (direct=True), or hangs from by a preposition."""
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ == "VERB":
        return head, True
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ == "VERB":
        verb = head.head
        direct = verb.lemma_.lower() in ("participate", "engage", "take") and head.lower_ == "in"
        return verb, direct
    return None, False


def _merge(owner: Draft, noun: Draft) -> None:
    """The noun's participants join the verb's event; the verb's subject stays the source, so
    the noun's own possessor/"of"/"between" participants become targets unless the verb is
    reciprocal (CONSULT)."""
    sources, targets = noun_arguments(noun.trigger, reciprocal=noun.type in SYMMETRIC_TYPES)
    if owner.type in SYMMETRIC_TYPES:
        owner.sources.extend(sources)
    else:
        owner.targets.extend(sources)
    owner.targets.extend(targets)
    owner.anchors.append(noun.trigger)
    noun.absorbed = True


def absorb_threat_content(drafts: list[Draft]) -> None:
    """Events inside what a THREATEN trigger threatens are part of the threat."""
    for threat in (d for d in drafts if d.type in _ABSORBING and not d.absorbed):
        for child in threat.trigger.children:
            if child.dep_ not in _COMPLEMENT:
                continue
            inner = [d for d in drafts if d is not threat and d.trigger in child.subtree]
            for draft in inner:
                draft.absorbed = True
                threat.targets.extend(draft.targets)


def recode_by_purpose(drafts: list[Draft]) -> None:
    """A meeting held to complain, protest or demand is coded for its purpose (PLOVER manual,
    CONSULT: "consultations with ambassadors ... to complain" are ACCUSE or REJECT): the
    consultation takes the purpose's coding and the purpose is not a second event."""
    for draft in (d for d in drafts if d.type == "CONSULT" and d.kind == "verbal"):
        for inner in drafts:
            purpose = (
                inner.trigger.dep_ in ("xcomp", "advcl") and inner.trigger.head == draft.trigger
            )
            if purpose and inner.type in ("ACCUSE", "REJECT", "REQUEST"):
                draft.coding = inner.coding
                inner.absorbed = True


def fill_arguments(drafts: list[Draft], rules: dict[int, Any]) -> None:
    """Sources and targets from the parse for every live draft."""
    triggers = {d.trigger.i for d in drafts}
    for draft in drafts:
        if draft.kind == "verbal":
            rule = rules.get(draft.trigger.i)
            draft.sources.extend(subject_of(draft.trigger))
            draft.targets.extend(objects_of(draft.trigger, rule.preps() if rule else ()))
        else:
            sources, targets = noun_arguments(
                draft.trigger, reciprocal=draft.type in SYMMETRIC_TYPES
            )
            draft.sources.extend(sources)
            draft.targets.extend(targets)
        draft.targets = [t for t in draft.targets if t.i not in triggers]
    for draft in drafts:
        if not draft.targets:
            draft.targets.extend(_complement_targets(draft, drafts))
        if draft.kind == "verbal":
            draft.fallback_targets = object_phrase_targets(draft.trigger)


def _complement_targets(draft: Draft, drafts: list[Draft]) -> list[Token]:
    """Targets of a trigger's xcomp ("agreed to meet Y", "threatened to close borders with Y")
    when it has none of its own: the xcomp's event targets, else the xcomp verb's objects."""
    for child in draft.trigger.children:
        if child.dep_ == "ccomp" and draft.type in ADDRESSED_TYPES:
            return subject_of(child)  # "demanded that the minister resign" -> the minister
        if child.dep_ != "xcomp" or child.pos_ != "VERB":
            continue
        inner = next((d for d in drafts if d.trigger.i == child.i), None)
        if inner is not None and inner.targets:
            return list(inner.targets)
        return objects_of(child) + object_phrase_targets(child)
    return []


class EventsStage:
    """The ``eventwire_events`` component: sets ``doc._.ew_events``.

    ``min_confidence`` None means the learned filter's threshold (chosen on the dev split);
    0.0 keeps every candidate, each with its probability as ``confidence``.
    """

    def __init__(
        self,
        verb_files: Sequence[str] = (),
        noun_files: Sequence[str] = (),
        min_confidence: float | None = None,
    ) -> None:
        self.lexicon = load_lexicon(tuple(verb_files), tuple(noun_files))
        self.min_confidence = min_confidence
        self.filter = load_filter()
        self.types = load_types()
        self.gate = True  # the event-ness gate (events.gate)
        self.merge = True  # one event per occurrence (events.merge)

    def threshold(self) -> float:
        if self.min_confidence is not None:
            return self.min_confidence
        return self.filter.threshold if self.filter else 0.0

    def _retyped(self, event: Event, feats: dict[str, float]) -> tuple[Event, dict[str, float]]:
        """The event under the type model's category (mode and CAMEO code dropped when it
        changes: the dictionary's codes belonged to the old category)."""
        if self.types is None or feats.get("user_dictionary"):
            return event, feats  # a user's own dictionary entry says what it codes
        kind = self.types.retype(feats, event.type)
        if kind == event.type:
            return event, feats
        feats = {**untyped(feats), **typed_features(feats, kind)}
        return replace(event, type=kind, mode=None, cameo=None), feats

    def __call__(self, doc: Doc) -> Doc:
        deadline.check()
        ctx = Context(doc, self.lexicon, gate=self.gate)
        found: list[tuple[Event, dict, dict[str, float]]] = []
        if doc.has_annotation("DEP"):
            for index, sent in enumerate(doc.sents):
                deadline.check()
                for event, args, feats in sentence_events(sent, ctx, len(found), index):
                    event, feats = self._retyped(event, feats)
                    if self.filter is not None:
                        event = replace(event, confidence=round(self.filter.probability(feats), 3))
                    found.append((event, args, feats))
        events: list[Event] = []
        arguments: dict[str, dict[str, list[list[int]]]] = {}
        features: dict[str, dict[str, float]] = {}
        threshold = self.threshold()
        coded = [item[0] for item in found]
        places = frozenset(  # towns, regions, buildings: not states or their capitals
            e
            for e, kind in ctx.types.items()
            if kind in PLACE_ENTITY_TYPES
            and not (ctx.kb.get(e) or "").startswith(("country:", "capital:"))
        )
        merged = (
            merge_occurrences(coded, places)
            if self.merge
            else [(e, [i]) for i, e in enumerate(coded)]
        )
        for event, members in merged:
            if event.confidence < threshold:
                continue
            lead = max(members, key=lambda i: fullness(coded[i]))  # the report kept as evidence
            event = replace(event, id=f"v{len(events) + 1}")  # ids in order, without gaps
            events.append(event)
            arguments[event.id] = found[lead][1]
            features[event.id] = found[lead][2]
        doc._.ew_events = events
        doc._.ew_event_arguments = arguments
        doc._.ew_event_features = features
        return doc


def sentence_events(
    sent: Span, ctx: Context, offset: int, index: int = 0
) -> list[tuple[Event, dict, dict[str, float]]]:
    """The events of one sentence (the ``index``-th), numbered after ``offset`` events already
    found, each with its argument spans and the filter's features."""
    drafts, rules = sentence_drafts(sent, ctx.lexicon, ctx.token_entity)
    if not drafts:
        return []
    link_drafts(drafts, rules, ctx.lexicon)
    absorb_threat_content(drafts)
    recode_by_purpose(drafts)
    fill_arguments(drafts, rules)
    live = [d for d in drafts if not d.absorbed]
    quantities = sentence_quantities(sent, ctx.actors)
    built: list[tuple[Draft, Event, dict]] = []
    for draft in live:
        made = build_event(draft, sent, ctx, f"v{offset + len(built) + 1}", quantities, live)
        if made is not None:
            built.append((draft, *made))
    return [
        (event, args, _features(draft, event, sent, ctx, index, len(built)))
        for draft, event, args in built
    ]


def _features(
    draft: Draft, event: Event, sent: Span, ctx: Context, index: int, count: int
) -> dict[str, float]:
    return event_features(
        trigger=draft.trigger,
        kind=draft.kind,
        origin=draft.origin,
        specific=draft.specific,
        event_type=event.type,
        sources=event.actors.source,
        targets=event.actors.target,
        types=ctx.types,
        kb=ctx.kb,
        modality=event.modality,
        attributed=event.attributed_to is not None,
        dated=event.date is not None and event.date.basis != "publication",
        in_quote=_quote_speaker(ctx.quotes, draft.trigger) is not None,
        sent=sent,
        sentence_index=index,
        events_in_sentence=count,
    )


def _actors(draft: Draft, ctx: Context) -> tuple[list[str], list[str], bool]:
    """(sources, targets, swapped): swapped when a host and its visitors changed places."""
    sources = ctx.ids(draft.sources)
    targets = [e for e in ctx.ids(draft.targets) if e not in sources]
    if not targets and draft.fallback_targets:
        targets = [e for e in ctx.ids(draft.fallback_targets) if e not in sources]
        draft.targets = draft.targets or draft.fallback_targets
    if not targets and draft.type in PLACE_TARGET_TYPES:
        targets = [e for e in ctx.places(place_objects(draft.anchors)) if e not in sources]
    if draft.coding.cameo == "043" and draft.kind == "verbal" and targets:
        return targets, sources, True  # PLOVER: the visitor is the actor, the host the recipient
    return sources, targets, False


def build_event(
    draft: Draft,
    sent: Span,
    ctx: Context,
    event_id: str,
    quantities: list[tuple[Token, Quantity]],
    live: list[Draft],
) -> tuple[Event, dict] | None:
    """The record for one draft, or None when it has no actor at all (see module docstring)."""
    sources, targets, swapped = _actors(draft, ctx)
    if not sources and not targets:
        return None
    if not sources and non_agent_subject(draft, ctx.lexicon):
        return None
    if describes_people(draft, ctx):
        return None
    doc = ctx.doc
    speaker = _quote_speaker(ctx.quotes, draft.trigger)
    modality = read_modality(
        draft.anchors[-1] if draft.kind == "nominal" else draft.trigger, ctx.actors, speaker, sent
    )
    clause = draft.anchors[-1] if draft.kind == "nominal" else draft.trigger
    agentive = bool(sources) and not _passive(draft.trigger)
    coding = intent_coding(
        draft.coding, modality.modality, governed_by_intent(draft, live), agentive=agentive
    )
    # "will not lift the ban", "failed to reach agreement": withholding a cooperative act is
    # itself an act, a REJECT that happened; only what stays a negated act is gated out.
    refusal = modality.modality == "negated" and coding.type == "REJECT" != draft.type
    if ctx.gate and gate_reason(
        trigger=clause,
        kind=draft.kind,
        origin=draft.origin,
        specific=draft.specific,
        modality="asserted" if refusal else modality.modality,
        sent=sent,
        quoted=speaker is not None,
        noun=draft.trigger if draft.kind == "nominal" else None,
    ):
        return None
    if coding.type == "REJECT" and draft.type != "REJECT" and not sources:
        return None  # "Sanctions alone will not free the prisoners": nobody refuses anything
    if coding.type != "CONSULT" and swapped:
        sources, targets = targets, sources  # an intent to host: the host states it
    times = dateline_times(sentence_items(ctx.times_found, sent), doc, ctx.dateline)
    arg_tokens = {i for a in draft.sources + draft.targets for i in range(a.left_edge.i, a.i + 1)}
    start, end = trigger_text_span(draft)
    sent_text = span_text(doc, sent.start, sent.end)  # Span.text joins the sentence's tokens
    evidence = sent_text.strip()
    lead = len(sent_text) - len(sent_text.lstrip())
    inside = sent.start_char <= start and end <= sent.end_char
    trigger_text = (
        sent_text[start - sent.start_char : end - sent.start_char]
        if inside
        else whole_text(doc)[start:end]
    )
    event = Event(
        id=event_id,
        type=coding.type,
        mode=coding.mode,
        context=list(coding.contexts),
        cameo=coding.cameo,
        trigger=TextSpan(start, end, trigger_text),
        evidence=TextSpan(sent.start_char + lead, sent.start_char + lead + len(evidence), evidence),
        actors=EventActors(source=sources, target=targets),
        date=event_date(doc, draft.anchors, times, ctx.published),
        location=event_location(
            doc, draft.anchors, sentence_items(ctx.places_found, sent), arg_tokens
        ),
        modality=modality.modality,
        attributed_to=modality.attributed_to,
        quantities=_event_quantities(draft, quantities, live),
        confidence=_confidence(draft, sources, targets),
    )
    return event, _argument_spans(draft)


def non_agent_subject(draft: Draft, lexicon: Lexicon) -> bool:
    """Whether a verbal trigger's subject is a thing that does not act (``non_agents.yaml``):
    "Floods killed 100 people" is a disaster, not an ASSAULT."""
    if draft.kind != "verbal":
        return False
    return any(c.lemma_.lower() in lexicon.non_agents for c in subject_of(draft.trigger))


#: CAMEO sector of ordinary people ("people", "civilians", "residents") in the agents stage.
CIVILIAN_AGENT = "agent:CVL"


def describes_people(draft: Draft, ctx: Context) -> bool:
    """Whether the trigger is a relative clause describing ordinary people ("an outrage against
    people who were simply buying food"): it says who they were, not what happened. Only when the
    people are not themselves an argument of a verb (they hang from a noun: "outrage against
    people") or the clause is quoted; "residents who protested were arrested" keeps its PROTEST."""
    trigger = draft.trigger
    if trigger.dep_ != "relcl" or draft.kind != "verbal":
        return False
    people = trigger.head
    entity = ctx.token_entity[people.i]
    if entity is None or ctx.kb.get(entity) != CIVILIAN_AGENT:
        return False
    under_noun = people.dep_ == "pobj" and people.head.head.pos_ in ("NOUN", "PROPN", "ADJ")
    return under_noun or _quote_speaker(ctx.quotes, trigger) is not None


COOPERATIVE = {"CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
FORCEFUL = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}
INTENT_TYPES = {"AGREE", "THREATEN", "REQUEST", "REJECT"}


def _passive(trigger: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in trigger.children)


def intent_coding(
    coding: Coding, modality: str, governed: bool, *, agentive: bool = True
) -> Coding:
    """An actor's own statement of what it will do is an event of intent (CAMEO 03/12/13):
    "X will provide aid" is AGREE, "X will attack" THREATEN; withholding a cooperative act
    ("will not lift the ban", "did not give permission") is REJECT (CAMEO 12);
    PLOVER's manual says the same of future meetings (CONSULT -> AGREE). Not applied when an
    intent trigger already governs it ("agreed to continue coordination": the AGREE is there,
    the coordination stays COOPERATE with future modality), nor to a future with no actor or in
    the passive ("he will be charged"): nobody states an intent there, the act is only planned."""
    if governed or modality not in ("future", "negated"):
        return coding
    if modality == "future" and not agentive:
        return coding  # "he will be charged", "it will maintain forces": planned, not promised
    if modality == "negated" and coding.type in COOPERATIVE - {"CONSULT"}:
        return Coding("REJECT", None, "120", coding.contexts)  # "will not lift the ban"
    if modality == "future" and coding.type == "CONSULT":
        return Coding("AGREE", None, "036", ("diplomatic",))
    if modality == "future" and coding.type in COOPERATIVE:
        return Coding("AGREE", None, "030", coding.contexts)
    if modality == "future" and coding.type in FORCEFUL:
        return Coding("THREATEN", None, "130", coding.contexts)
    return coding


def governed_by_intent(draft: Draft, live: list[Draft]) -> bool:
    """Whether another trigger of intent (AGREE, THREATEN, ...) has this one in its scope."""
    return any(
        other is not draft
        and other.type in INTENT_TYPES
        and draft.trigger in other.trigger.subtree
        and draft.trigger is not other.trigger
        for other in live
    )


def _phrase(token: Token) -> list[Token]:
    """The argument phrase of a head token: its left modifiers up to the head."""
    return list(token.doc[token.left_edge.i : token.i + 1])


def _argument_spans(draft: Draft) -> dict[str, list[list[int]]]:
    def spans(tokens: list[Token]) -> list[list[int]]:
        return [[p[0].idx, p[-1].idx + len(p[-1])] for p in map(_phrase, tokens)]

    return {"source": spans(draft.sources), "target": spans(draft.targets)}


def _quote_speaker(quotes: list[Quote], trigger: Token) -> str | None:
    for quote in quotes:
        if quote.start <= trigger.idx < quote.end and quote.speaker:
            return quote.speaker
    return None


def _event_quantities(
    draft: Draft, quantities: list[tuple[Token, Quantity]], live: list[Draft]
) -> list[Quantity]:
    """Quantities counted inside the trigger's phrase or clause; casualties nobody else claims
    go to the sentence's first ASSAULT."""
    mine = [q for noun, q in quantities if _attached_quantity(noun, draft)]
    if draft.type == "ASSAULT" and draft is next((d for d in live if d.type == "ASSAULT"), None):
        claimed = {id(q) for d in live for noun, q in quantities if _attached_quantity(noun, d)}
        mine += [
            q for _, q in quantities if id(q) not in claimed and q.kind in ("killed", "wounded")
        ]
    return mine


def _attached_quantity(noun: Token, draft: Draft) -> bool:
    """A counted noun belongs to the event whose clause (or phrase) it hangs from."""
    return (
        noun in draft.anchors
        or attached(noun, draft.anchors)
        or any(
            noun.head in draft.anchors
            or (noun.head.dep_ == "prep" and noun.head.head in draft.anchors)
            for _ in (0,)
        )
    )


def _confidence(draft: Draft, sources: list[str], targets: list[str]) -> float:
    """Rule strength (curated or specific pattern > PETRARCH bare verb > nominal) plus how many
    of the two argument slots are filled."""
    base = 0.45 if draft.kind == "nominal" else 0.5
    if draft.origin != "petrarch" or draft.specific:
        base += 0.15
    score = base + (0.2 if sources else 0.0) + (0.15 if targets else 0.0)
    return round(min(score, 0.95), 2)


@Language.factory(
    "eventwire_events",
    default_config={"verb_files": [], "noun_files": [], "min_confidence": None},
    requires=[
        "doc._.ew_entities",
        "doc._.ew_token_entity",
        "doc._.ew_times",
        "doc._.ew_places",
        "doc._.ew_quotes",
        "token.dep",
    ],
    assigns=["doc._.ew_events", "doc._.ew_event_arguments", "doc._.ew_event_features"],
)
def make_events(
    nlp: Language,
    name: str,
    verb_files: list[str],
    noun_files: list[str],
    min_confidence: float | None,
) -> EventsStage:
    return EventsStage(verb_files, noun_files, min_confidence)
