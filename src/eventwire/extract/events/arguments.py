"""Event arguments from the dependency parse: who acts (source) and who is acted on (target).

Verbal triggers: nsubj / passive agent -> source; dobj, dative, nsubjpass and the objects of
the prepositions in ``TARGET_PREPS`` -> target; a missing subject is inherited along xcomp /
conj / advcl ("agreed to continue", "met A and hosted B"), and a relative pronoun subject is
the noun the clause modifies. Nominal triggers: possessor, compound and "by" -> source; "on",
"against", "with", "at" -> target; "between"/"among"/"of" -> all participants as source.
Coordination is expanded everywhere ("hosted A and B" -> two targets). Every argument is a
noun token; :func:`actor_ids` maps it to entity ids, keeping a person as that person (an
apposition or a name head) and falling back to an organisation only when no person is named
("Hamas leaders" -> Hamas; "the leader of the NLD" -> NLD).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

TARGET_PREPS = {
    "with",
    "at",
    "on",
    "against",
    "into",
    "toward",
    "towards",
    "upon",
    "onto",
    "to",
    "between",
    "among",
    "from",
}
NOUN_SOURCE_PREPS = {"by", "between", "among", "of"}
NOUN_TARGET_PREPS = {"on", "against", "with", "at", "into", "toward", "towards", "upon", "to"}
OBJECT_PREPS = {
    "from",
    "for",
    "to",
    "against",
    "with",
    "on",
    "of",
    "over",
    "into",
    "toward",
    "towards",
    "by",
}
RELATIVE = {"who", "which", "that", "whom"}
PRONOUNS = {
    "it": "thing",
    "its": "thing",
    "they": "any",
    "their": "any",
    "them": "any",
    "he": "PERSON",
    "his": "PERSON",
    "him": "PERSON",
    "she": "PERSON",
    "her": "PERSON",
}
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")


def conjuncts(token: Token) -> list[Token]:
    """The token and every token coordinated with it ("A, B and C")."""
    return [token, *(t for t in token.conjuncts if t.i > token.i)]


def reduced_passive(verb: Token) -> bool:
    """A past participle with no auxiliary of its own hanging from another clause ("appeared in
    court charged with bribery", "was arrested and charged"): its subject is acted on."""
    if verb.tag_ != "VBN" or verb.dep_ not in ("advcl", "conj") or verb.head is verb:
        return False
    if any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in verb.children):
        return False
    head_passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.head.children)
    return verb.dep_ == "advcl" or head_passive


def passive_patients(verb: Token) -> list[Token]:
    """Who a reduced passive acts on: the subject of the clause it hangs from."""
    if not reduced_passive(verb):
        return []
    head = verb.head
    subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return [t for s in subjects for t in conjuncts(s)]


def subject_of(verb: Token) -> list[Token]:
    """The active subject(s) of a verb, inherited from the governing verb when absent (not for a
    reduced passive: its inherited subject is acted on, see :func:`passive_patients`)."""
    if reduced_passive(verb):
        return _agents(verb)
    node = verb
    for _ in range(4):
        subj = [c for c in node.children if c.dep_ == "nsubj"]
        if subj:  # the parser sometimes splits one subject in two ("the rebel / Free ... Army")
            return [t for s in subj for t in _relative_head(s, node)]
        agent = _agents(node)
        if agent:
            return conjuncts(agent[0])
        if any(c.dep_ == "nsubjpass" for c in node.children):
            return []
        if node.dep_ not in ("xcomp", "conj", "advcl", "pcomp", "acomp") or node.head is node:
            return []
        node = node.head.head if node.dep_ == "pcomp" else node.head
    return []


def _agents(verb: Token) -> list[Token]:
    """The objects of a passive's "by" phrase ("was shot by a guard")."""
    return [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]


def _relative_head(subj: Token, verb: Token) -> list[Token]:
    if subj.lower_ in RELATIVE and verb.dep_ == "relcl":
        return conjuncts(verb.head)
    return conjuncts(subj)


#: "held at the request of X", "at the invitation of X", "on behalf of X": X asked or is
#: represented; X is not who the act is done to.
ON_WHOSE_BEHALF = frozenset({"request", "invitation", "behest", "urging", "behalf", "instigation"})


def objects_of(verb: Token, preps: Sequence[str] = ()) -> list[Token]:
    """Direct objects, passive subjects (a reduced passive's inherited one too) and the objects
    of target prepositions of a verb."""
    allowed = TARGET_PREPS | set(preps)
    found: list[Token] = passive_patients(verb)
    for child in verb.children:
        if child.dep_ == "dative" and child.pos_ == "ADP":  # "provide support to X"
            found.extend(t for g in child.children if g.dep_ == "pobj" for t in conjuncts(g))
        elif child.dep_ in ("dobj", "dative", "nsubjpass", "attr") and child.pos_ != "VERB":
            found.extend(conjuncts(child))
        elif child.dep_ in ("prep", "prt") and child.lower_ in allowed:
            found.extend(
                t
                for g in child.children
                if g.dep_ == "pobj" and g.lemma_.lower() not in ON_WHOSE_BEHALF
                for t in conjuncts(g)
            )
    return found


def object_phrase_targets(verb: Token) -> list[Token]:
    """Who the verb's object belongs to, for when the verb's own arguments name no actor:
    prepositions on the object ("demanded an apology from X", "support for X"), its possessor
    or name modifier ("rejected the Iraqi government's demand", "condemned the Quetta attack")
    and the agent of a participle on it ("the protest filed by X")."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
    objects += [
        g
        for c in verb.children
        if c.dep_ == "prep"
        for g in c.children
        if g.dep_ == "pobj" and g.lemma_.lower() not in ON_WHOSE_BEHALF
    ]
    found: list[Token] = []
    for obj in objects:
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ in OBJECT_PREPS:
                found.extend(t for g in child.children if g.dep_ == "pobj" for t in conjuncts(g))
            elif child.dep_ in ("poss", "compound") and child.i < obj.i:
                found.extend(conjuncts(child))
            elif child.dep_ == "acl":
                found.extend(t for g in _agents(child) for t in conjuncts(g))
    return found


PLACE_PREPS = {"in", "at", "near", "inside", "outside", "across", "around", "throughout", "along"}


def place_objects(anchors: Sequence[Token]) -> list[Token]:
    """The objects of locative prepositions on a trigger or its light verb ("shelled positions
    in Idlib", "raids across the north"): PLOVER codes the place acted on as the target of a
    material event that names no person or organisation as its target."""
    return [
        t
        for anchor in anchors
        for child in anchor.children
        if child.dep_ == "prep" and child.lower_ in PLACE_PREPS
        for g in child.children
        if g.dep_ == "pobj"
        for t in conjuncts(g)
    ]


#: Nouns of asking whose "of" object is the one who asks.
ASKING_NOUNS = frozenset({"request", "demand", "appeal", "call", "invitation", "behest", "urging"})


def noun_arguments(noun: Token, *, reciprocal: bool = False) -> tuple[list[Token], list[Token]]:
    """(sources, targets) inside a nominal trigger's own phrase. "of" names the participants
    of a reciprocal event ("the meeting of the leaders") but the patient of an action ("the
    release of two nationals", "the arrest of X"), and the one who asks after a noun of asking
    ("at the request of Qatar")."""
    sources: list[Token] = []
    targets: list[Token] = []
    for child in noun.children:
        if child.dep_ in ("poss", "compound", "amod", "nmod") and child.i < noun.i:
            sources.extend(conjuncts(child))
        elif child.dep_ == "prep" and child.lower_ == "of" and not reciprocal:
            objects = [t for g in child.children if g.dep_ == "pobj" for t in conjuncts(g)]
            # "the request of Qatar", "the demand of the unions": who asks, not who is asked
            (sources if noun.lemma_.lower() in ASKING_NOUNS else targets).extend(objects)
        elif child.dep_ == "prep" and child.lower_ in NOUN_SOURCE_PREPS:
            sources.extend(t for g in child.children if g.dep_ == "pobj" for t in conjuncts(g))
        elif child.dep_ == "prep" and child.lower_ in NOUN_TARGET_PREPS:
            targets.extend(t for g in child.children if g.dep_ == "pobj" for t in conjuncts(g))
    return sources, targets


def actor_ids(token: Token, token_entity: Sequence[str | None], types: dict[str, str]) -> list[str]:
    """Entity ids for an argument head: the entity it belongs to, else an apposition, else
    name-bearing modifiers ("Hamas and Islamic Jihad leaders"), else an "of" object; pronouns
    are resolved to the nearest earlier compatible subject (see :func:`resolve_pronoun`)."""
    own = _entity_at(token, token_entity)
    if own:
        return [own]
    if token.lower_ in PRONOUNS:
        found = resolve_pronoun(token, token_entity, types)
        return [found] if found else []
    for deps in (("appos",), ("compound", "poss", "amod", "nmod")):
        ids = _child_entities(token, token_entity, deps, types)
        if ids:
            return ids
    return _phrase_entities(token, token_entity, types, depth=2)


def _phrase_entities(
    token: Token, token_entity: Sequence[str | None], types: dict[str, str], depth: int
) -> list[str]:
    """The first entity reached through the phrase's prepositions ("the leader of the NLD",
    "an army base in western Afghanistan", "authorities in Pakistan"), as event coders do
    when the argument itself is not a named actor. Clauses inside the phrase are not entered."""
    if depth == 0:
        return []
    for child in token.children:
        if child.dep_ != "prep":
            continue
        for pobj in (g for g in child.children if g.dep_ == "pobj"):
            found = _entity_at(pobj, token_entity)
            if found:
                return [found]
            ids = _child_entities(
                pobj, token_entity, ("appos", "compound", "poss", "amod", "nmod"), types
            )
            ids = ids or _phrase_entities(pobj, token_entity, types, depth - 1)
            if ids:
                return ids
    return []


def _entity_at(token: Token, token_entity: Sequence[str | None]) -> str | None:
    return token_entity[token.i] if token.i < len(token_entity) else None


def _child_entities(
    token: Token, token_entity: Sequence[str | None], deps: tuple[str, ...], types: dict[str, str]
) -> list[str]:
    ids: list[str] = []
    for child in token.children:
        if child.dep_ not in deps:
            continue
        for item in conjuncts(child):
            found = [_entity_at(item, token_entity)] if _entity_at(item, token_entity) else []
            if not found and item.lower_ in PRONOUNS:
                found = [resolve_pronoun(item, token_entity, types)]
            if not found:
                found = [
                    next(
                        (
                            _entity_at(t, token_entity)
                            for t in item.subtree
                            if _entity_at(t, token_entity)
                        ),
                        None,
                    )
                ]
            ids.extend(e for e in found if e and e not in ids)
    return ids


def resolve_pronoun(
    token: Token, token_entity: Sequence[str | None], types: dict[str, str]
) -> str | None:
    """A third-person pronoun's antecedent: the nearest earlier subject in the same sentence
    when it names an entity of a compatible type ("Hamas began the war when it massacred ..."),
    else what the agents stage's coreference step found (``doc._.ew_coref``: gender, number and
    salience across sentences), else the main subject of the previous sentence. No offline
    coreference model works with spaCy 3.8 (see DEPENDENCIES.md); the local subject goes first
    because salience alone sends a clause's pronoun to the article's main actor."""
    subjects = _earlier_subjects(token)
    local = _subject_entity(subjects[0], token, token_entity, types) if subjects else None
    if local is not None:
        return local
    resolved = (token.doc._.ew_coref or {}).get(token.i)
    if resolved is not None:
        return resolved
    start = token.sent.start
    if start == 0 or subjects:
        return None
    root = token.doc[start - 1].sent.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    return _compatible_entity(subj, token_entity, types, PRONOUNS[token.lower_])


def _earlier_subjects(token: Token) -> list[Token]:
    return [
        cand
        for cand in reversed([t for t in token.sent if t.i < token.i])
        if _is_subject_head(cand) and cand.lower_ not in RELATIVE | PRONOUNS.keys()
    ]


def _subject_entity(
    cand: Token, token: Token, token_entity: Sequence[str | None], types: dict[str, str]
) -> str | None:
    """The entity a pronoun's nearest earlier subject names, if any."""
    want = PRONOUNS[token.lower_]
    if _entity_at(cand, token_entity):
        return _compatible_entity(cand, token_entity, types, want)
    # "Turkey's president says it ...": the actor the subject phrase names
    named = (
        _child_entities(cand, token_entity, ("appos", "compound", "poss", "amod"), {})
        if want != "PERSON" or cand.pos_ != "PRON"
        else []
    )
    return named[0] if named else None


def _compatible_entity(
    token: Token, token_entity: Sequence[str | None], types: dict[str, str], want: str
) -> str | None:
    eid = _entity_at(token, token_entity)
    return eid if eid and _compatible(types.get(eid), want) else None


def _is_subject_head(token: Token) -> bool:
    return token.dep_ in SUBJECT_DEPS or (token.dep_ == "poss" and token.pos_ != "PRON")


def _compatible(kind: str | None, want: str) -> bool:
    if want == "PERSON":
        return kind == "PERSON"
    if want == "thing":
        return kind in ("ORG", "GPE", "NORP", "LOC", "FAC")
    return kind is not None


def entity_types(doc: Doc) -> dict[str, str]:
    """Entity id -> type from ``doc._.ew_entities`` (empty when entities are missing)."""
    return {ent.id: ent.type for ent in (doc._.ew_entities or [])}
