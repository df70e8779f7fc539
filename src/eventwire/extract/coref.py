"""Coreference for what events and quotes need: pronouns and "the group"-style references.

No offline coreference model works with spaCy 3.8 here (checked for this release: coreferee
1.5.0 installs and supports spaCy 3.8, but its English model is not on PyPI (it is fetched from
GitHub) and it refuses a model whose meta name is not ``core_web_sm``/``md``/``lg``/``trf``, which
ours is not; fastcoref, spacy-experimental's coref and others need torch and fetch weights from a
hub). So these are rules, on the entity layer and the parse:

* **Gender** of each person: a first name nearly always of one gender (US Census 1990 lists,
  ``data/first_names.tsv``), a courtesy title or a gendered noun next to a mention ("Mr", "Mrs", "Lady", "spokeswoman", "actress", "his wife, X", "her son X"), the
  gendered title of a role read by ``eventwire_roles``, and pronouns that can only mean one person
  (the sole person named in the pronoun's sentence before it, or in the sentence before). A
  person with evidence both ways, or none, has no gender.
* **Agreement**: he/him/his -> a person who is not known to be a woman; she/her -> not known to
  be a man; it/its -> an organisation, place or facility; they/them/their -> an organisation,
  country, demonym or a group named by what it is ("protesters").
* **Salience**: candidates are the entities named in the pronoun's sentence before it and in the
  two sentences before; a subject counts more than other mentions, a nearer sentence more than a
  farther one, an entity named often more than one named once, and a mention inside a quotation
  less than one in the narrative. An object pronoun never takes the subject of its own verb
  ("X thanked him"). The best-scoring candidate wins.
* **Definite references** "the group", "the ministry", "the company" (:data:`ORG_NOUNS`): the most
  salient organisation before it whose name has that head word or one of its kind; "the
  president", "the mayor": the one person the article gives that title (``eventwire_roles``).

:func:`resolve_coreference` (the last step of ``eventwire_agents``) sets ``doc._.ew_coref``: a
dict from token index (the pronoun, or the head of the definite phrase) to the entity id it
stands for.
:func:`antecedent` gives the same for one token, for stages that want to ask directly.
Definite phrases that ``eventwire_agents`` made a generic entity of are also moved to the entity
they refer to in ``doc._.ew_token_entity`` (and the entity's mentions), so that events and quotes
see the named actor.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from eventwire import deadline
from eventwire.extract.names import fold, load_titles
from eventwire.record import Entity, TextSpan

MALE, FEMALE = "m", "f"

PRONOUN_TYPES: dict[str, tuple[frozenset[str], str | None]] = {
    "he": (frozenset({"PERSON"}), MALE),
    "him": (frozenset({"PERSON"}), MALE),
    "his": (frozenset({"PERSON"}), MALE),
    "himself": (frozenset({"PERSON"}), MALE),
    "she": (frozenset({"PERSON"}), FEMALE),
    "her": (frozenset({"PERSON"}), FEMALE),
    "hers": (frozenset({"PERSON"}), FEMALE),
    "herself": (frozenset({"PERSON"}), FEMALE),
    "it": (frozenset({"ORG", "GPE", "FAC"}), None),
    "its": (frozenset({"ORG", "GPE", "FAC"}), None),
    "they": (frozenset({"ORG", "GPE", "NORP", "OTHER"}), None),
    "them": (frozenset({"ORG", "GPE", "NORP", "OTHER"}), None),
    "their": (frozenset({"ORG", "GPE", "NORP", "OTHER"}), None),
}

_MALE_WORDS = frozenset(
    {"mr", "sir", "lord", "king", "prince", "duke", "earl", "baron", "father", "brother", "son",
     "husband", "boyfriend", "uncle", "nephew", "grandfather", "grandson", "man", "boy",
     "gentleman", "spokesman", "chairman", "congressman", "councilman", "businessman", "actor",
     "policeman", "fireman", "sportsman", "statesman", "emperor", "sultan", "emir", "monk",
     "priest", "widower", "dad", "stepfather", "stepson", "fiance", "datuk", "tan", "tun"}
)  # fmt: skip
_FEMALE_WORDS = frozenset(
    {"mrs", "ms", "miss", "madam", "lady", "dame", "queen", "princess", "duchess", "countess",
     "baroness", "mother", "sister", "daughter", "wife", "girlfriend", "aunt", "niece",
     "grandmother", "granddaughter", "woman", "girl", "spokeswoman", "chairwoman",
     "congresswoman", "councilwoman", "businesswoman", "actress", "policewoman", "sportswoman",
     "stateswoman", "empress", "nun", "widow", "mom", "mum", "stepmother", "stepdaughter",
     "fiancee", "datin", "puan", "hajjah", "sheikha"}
)  # fmt: skip
_NEUTER_KIN = frozenset({"his", "her", "their"})
_ARTICLE_WORDS = frozenset({"a", "an", "the"}) | _NEUTER_KIN

#: Definite references to an organisation, and head words of names of that kind.
ORG_NOUNS: dict[str, frozenset[str]] = {
    "group": frozenset({"group", "front", "movement", "brigade", "brigades", "army", "organization",
                        "organisation", "party", "network", "state", "militia", "council"}),
    "militia": frozenset({"militia", "brigade", "brigades", "army", "forces", "group"}),
    "movement": frozenset({"movement", "front", "party", "group"}),
    "organisation": frozenset({"organisation", "organization", "group", "foundation"}),
    "organization": frozenset({"organisation", "organization", "group", "foundation"}),
    "company": frozenset({"inc", "corp", "corporation", "ltd", "plc", "llc", "co", "company",
                          "group", "holdings", "technologies", "airlines", "motors", "bank"}),
    "firm": frozenset({"inc", "corp", "corporation", "ltd", "plc", "llc", "co", "company",
                       "group", "holdings", "partners", "capital", "management"}),
    "ministry": frozenset({"ministry", "department"}),
    "department": frozenset({"department", "ministry"}),
    "agency": frozenset({"agency", "administration", "service", "authority", "bureau",
                         "commission", "office", "center", "centre"}),
    "bureau": frozenset({"bureau", "agency", "office"}),
    "office": frozenset({"office"}),
    "party": frozenset({"party", "front", "movement", "league", "alliance"}),
    "alliance": frozenset({"alliance", "coalition", "nato", "league", "union"}),
    "union": frozenset({"union", "federation", "association"}),
    "center": frozenset({"center", "centre"}),
    "centre": frozenset({"center", "centre"}),
    "institute": frozenset({"institute", "institution"}),
    "network": frozenset({"network", "broadcaster", "channel"}),
    "broadcaster": frozenset({"network", "broadcaster", "channel", "bbc", "cnn"}),
    "newspaper": frozenset({"times", "post", "journal", "herald", "guardian", "telegraph",
                            "tribune", "news", "gazette", "daily", "newspaper"}),
    "council": frozenset({"council", "committee", "board"}),
    "committee": frozenset({"committee", "council", "commission"}),
    "commission": frozenset({"commission", "committee"}),
    "university": frozenset({"university", "college", "school"}),
    "hospital": frozenset({"hospital", "clinic", "center", "centre"}),
    "club": frozenset({"club", "fc", "united", "city"}),
    "team": frozenset({"fc", "united", "city", "club"}),
    "retailer": frozenset({"inc", "corp", "ltd", "plc", "company", "stores"}),
    "bank": frozenset({"bank", "banco", "capital"}),
    "carrier": frozenset({"airlines", "airways", "air"}),
    "airline": frozenset({"airlines", "airways", "air"}),
}  # fmt: skip
_DEFINITE = frozenset({"the", "this", "that"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj"})
_QUOTE_MARKS = frozenset({'"', "“", "”", "«", "»"})
#: Key in ``Doc.user_data`` of the genders read (entity id -> 'm' or 'f'), for the quotes stage.
GENDER_KEY = "ew_gender"
#: How many sentences back a pronoun looks for its antecedent.
WINDOW = 2


@dataclass(slots=True)
class _Entry:
    """One mention of an entity, as a candidate antecedent."""

    entity: str
    start: int
    end: int
    sentence: int
    subject: bool
    quoted: bool


@dataclass(slots=True)
class Resolver:
    """The article's entities and their mentions, with what agreement needs to know."""

    doc: Doc
    entities: dict[str, Entity]
    token_entity: list[str | None]
    roles: dict[str, list] = field(default_factory=dict)
    quoted: list[bool] = field(default_factory=list)
    sent_of: list[int] = field(default_factory=list)
    entries: list[_Entry] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)
    by_sentence: dict[int, list[_Entry]] = field(default_factory=dict)
    starts: dict[str, list[int]] = field(default_factory=dict)

    def _near(self, i: int, back: int) -> list[_Entry]:
        """The mentions before token i in its sentence and the ``back`` sentences before."""
        s = self.sent_of[i]
        found = [e for k in range(s - back, s + 1) for e in self.by_sentence.get(k, ())]
        return [e for e in found if e.start < i]

    @classmethod
    def of(cls, doc: Doc) -> Resolver:
        entities = {e.id: e for e in doc._.ew_entities or []}
        token_entity = list(doc._.ew_token_entity or [None] * len(doc))
        resolver = cls(doc, entities, token_entity, dict(doc._.ew_roles or {}))
        resolver.quoted = quoted_mask(doc)
        resolver.sent_of = _sentence_numbers(doc)
        resolver.entries = resolver._entries()
        for entry in resolver.entries:  # indexes: every look-up stays local (long articles)
            resolver.by_sentence.setdefault(entry.sentence, []).append(entry)
            resolver.starts.setdefault(entry.entity, []).append(entry.start)
        resolver.gender = resolver._genders()
        return resolver

    # --- mentions ------------------------------------------------------------------------

    def _entries(self) -> list[_Entry]:
        entries: list[_Entry] = []
        i = 0
        while i < len(self.doc):
            eid = self.token_entity[i]
            if eid is None or eid not in self.entities:
                i += 1
                continue
            end = i + 1
            while end < len(self.doc) and self.token_entity[end] == eid:
                end += 1
            subject = any(_is_subject(t) for t in self.doc[i:end])
            entries.append(_Entry(eid, i, end, self.sent_of[i], subject, self.quoted[i]))
            i = end
        return entries

    def type_of(self, eid: str) -> str:
        return self.entities[eid].type

    # --- gender --------------------------------------------------------------------------

    def _genders(self) -> dict[str, str]:
        votes: dict[str, Counter[str]] = {}
        names = first_names()
        for eid, ent in self.entities.items():
            words = fold(ent.name).split() if ent.type == "PERSON" else []
            if len(words) > 1 and words[0] in names:
                votes.setdefault(eid, Counter())[names[words[0]]] += 3
        for entry in self.entries:
            if self.type_of(entry.entity) != "PERSON":
                continue
            for gender in self._cues_around(entry):
                votes.setdefault(entry.entity, Counter())[gender] += 2
        for eid, roles in self.roles.items():
            for role in roles:
                gender = _word_gender(role.title.split()[-1] if role.title else "")
                if gender and eid in self.entities:
                    votes.setdefault(eid, Counter())[gender] += 2
        read = set(votes)  # the pronouns below are the weakest evidence: only where none is
        for tok in self.doc:
            gender = PRONOUN_TYPES.get(tok.lower_, (frozenset(), None))[1]
            if gender is None or self.quoted[tok.i] or tok.lower_ not in ("he", "she"):
                continue  # an object or possessive may point past the sole person named
            only = self._sole_person(tok.i)
            if only is not None and only not in read:
                votes.setdefault(only, Counter())[gender] += 1
        return {eid: _decided(c) for eid, c in votes.items() if _decided(c)}

    def _cues_around(self, entry: _Entry) -> Iterable[str]:
        """'Mr X', 'Lady X', 'actress X', 'his wife, X', 'X, a spokeswoman', 'X's husband'
        is not a cue for X (it is about someone else)."""
        doc = self.doc
        j = entry.start - 1
        if j >= 0 and doc[j].text == ".":
            j -= 1
        if j >= 0 and doc[j].text == ",":
            j -= 1
        if j >= 0 and (g := _word_gender(doc[j].lower_.rstrip("."))):
            yield g
        k = entry.end
        if k + 2 < len(doc) and doc[k].text == ",":
            k += 1
            while k < len(doc) and doc[k].lower_ in _ARTICLE_WORDS:
                k += 1
            for t in doc[k : min(len(doc), k + 3)]:
                if (g := _word_gender(t.lower_)) is not None:
                    yield g
                    break
                if t.is_punct:
                    break

    def _sole_person(self, i: int) -> str | None:
        """The only person named before token i in its sentence, or (none there) in the
        sentence before: the one a he/she there can only mean."""
        s = self.sent_of[i]
        here = [e for e in self.by_sentence.get(s, ()) if e.start < i and not e.quoted]
        own = {e.entity for e in here if self.type_of(e.entity) == "PERSON"}
        if len(own) == 1:
            subject = any(e.subject for e in here if e.entity in own)
            return next(iter(own)) if subject else None
        if own:
            return None
        before = {e.entity for e in self.by_sentence.get(s - 1, ()) if not e.quoted}
        before = {e for e in before if self.type_of(e) == "PERSON"}
        return next(iter(before)) if len(before) == 1 else None

    # --- resolution ----------------------------------------------------------------------

    def pronoun(self, i: int) -> str | None:
        """The entity a third-person pronoun at token i stands for, or None."""
        word = self.doc[i].lower_
        if word not in PRONOUN_TYPES:
            return None
        types, gender = PRONOUN_TYPES[word]
        blocked = self._own_subject(i)
        best, best_score = None, 0.0
        scores: dict[str, float] = {}
        speaking = self._speech_subject(i)
        for entry in self._window(i):
            eid = entry.entity
            if self.type_of(eid) not in types or eid == blocked:
                continue
            if entry.quoted and not self.quoted[i]:
                continue  # words of a quotation are not the narrative's antecedents
            if not self._agrees(eid, word, gender):
                continue
            bonus = 2.0 if speaking and entry.subject and self._speaks(entry) else 0.0
            scores[eid] = max(scores.get(eid, 0.0), self._score(entry, i) + bonus)
        for eid, score in scores.items():
            score += 0.25 * min(self._count(eid, i), 4)
            if score > best_score:
                best, best_score = eid, score
        return best

    def _speech_subject(self, i: int) -> bool:
        """Whether the pronoun at i is the subject of a speech verb ('he said')."""
        tok = self.doc[i]
        return tok.dep_ in _SUBJECT_DEPS and tok.head.lemma_ in _person_verbs()

    def _speaks(self, entry: _Entry) -> bool:
        """Whether a mention is the subject of a speech verb: the speaker a following
        'he said' most often continues."""
        return any(
            t.dep_ in _SUBJECT_DEPS and t.head.lemma_ in _person_verbs()
            for t in self.doc[entry.start : entry.end]
        )

    def _agrees(self, eid: str, word: str, gender: str | None) -> bool:
        known = self.gender.get(eid)
        if gender is not None and known is not None and known != gender:
            return False
        ent = self.entities[eid]
        if word in ("they", "them", "their") and ent.type == "OTHER":
            return (ent.kb_id or "").startswith("agent:")
        return True

    def _window(self, i: int) -> list[_Entry]:
        return self._near(i, WINDOW)

    def _score(self, entry: _Entry, i: int) -> float:
        distance = self.sent_of[i] - entry.sentence
        score = 4.0 - 1.5 * distance
        if entry.subject:
            score += 3.0
        if entry.quoted and not self.quoted[i]:
            score -= 3.0
        if distance == 0:
            score += 1.0
        return max(score, 0.1)

    def _count(self, eid: str, i: int) -> int:
        return bisect_left(self.starts.get(eid, []), i)

    def _own_subject(self, i: int) -> str | None:
        """The subject entity of the verb an object pronoun hangs from ('X thanked him')."""
        tok = self.doc[i]
        if tok.dep_ not in _OBJECT_DEPS or not self.doc.has_annotation("DEP"):
            return None
        verb = tok.head.head if tok.dep_ == "pobj" else tok.head
        subj = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        return self.token_entity[subj.i] if subj is not None else None

    def definite(self, i: int) -> str | None:
        """'the group', 'the ministry': the organisation it refers to; 'the president': the one
        person the article gives that title."""
        tok = self.doc[i]
        if i == 0 or self.doc[i - 1].lower_ not in _DEFINITE:
            return None
        word = tok.lower_
        if word in ORG_NOUNS:
            return self._named_org(i, ORG_NOUNS[word] | {word})
        return self._titled_person(i, word)

    def _named_org(self, i: int, heads: frozenset[str]) -> str | None:
        best, best_score = None, 0.0
        for entry in self._near(i, 3):
            ent = self.entities[entry.entity]
            if ent.type != "ORG" or (ent.kb_id or "").startswith("agent:"):
                continue
            words = {w.lower().strip(".,") for n in (ent.name, *ent.aliases) for w in n.split()}
            score = self._score(entry, i) + (5.0 if words & heads else 0.0)
            if score > best_score:
                best, best_score = entry.entity, score
        return best

    def _titled_person(self, i: int, word: str) -> str | None:
        holders = {
            eid
            for eid, roles in self.roles.items()
            if eid in self.entities
            and any(r.title.split()[-1:] == [word] for r in roles)
            and self._count(eid, i) > 0
        }
        return next(iter(holders)) if len(holders) == 1 else None

    def resolve(self) -> dict[int, str]:
        """Every pronoun and definite reference the rules can resolve: token -> entity id.

        Two passes: the first links he/she with the genders read from the text; a person most
        of whose links are 'he' (or 'she') then has that gender, and the second pass links
        again with it (so a 'she' no longer goes to a man the article calls 'he' ten times)."""
        first = self._resolve_once()
        votes: dict[str, Counter[str]] = {}
        for i, eid in first.items():
            gender = PRONOUN_TYPES.get(self.doc[i].lower_, (frozenset(), None))[1]
            if gender is not None and eid not in self.gender:
                votes.setdefault(eid, Counter())[gender] += 1
        learned = {
            eid: g for eid, c in votes.items() if (g := _decided(c)) and sum(c.values()) >= 2
        }
        if not learned:
            return first
        self.gender.update(learned)
        return self._resolve_once()

    def _resolve_once(self) -> dict[int, str]:
        links: dict[int, str] = {}
        for tok in self.doc:
            if tok.i % 256 == 0:
                deadline.check()
            word = tok.lower_
            found = None
            if word in PRONOUN_TYPES:
                found = self.pronoun(tok.i)
            elif (word in ORG_NOUNS or self._agent_head(tok.i)) and not tok.ent_type_:
                found = self.definite(tok.i)
            if found is not None:
                links[tok.i] = found
        return links

    def _agent_head(self, i: int) -> bool:
        """Whether token i is the one word of a generic person entity ('the president')."""
        eid = self.token_entity[i]
        ent = self.entities.get(eid or "")
        return (
            ent is not None
            and ent.type == "PERSON"
            and (ent.kb_id or "").startswith("agent:")
            and (i + 1 >= len(self.doc) or self.token_entity[i + 1] != eid)
            and (i == 0 or self.token_entity[i - 1] != eid)
        )


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """First name -> 'm' or 'f', for names nearly all of whose bearers have that gender
    (``data/first_names.tsv``, from the US Census 1990 lists; see scripts/build_first_names.py)."""
    text = resources.files("eventwire.data").joinpath("first_names.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return {name: gender for name, gender in rows}


@lru_cache(maxsize=1)
def _person_verbs() -> frozenset[str]:
    return load_titles().person_verbs | {"recall", "tweet", "post", "testify", "describe"}


def _is_subject(tok: Token) -> bool:
    """A clause subject, or a name in apposition to one ("Lindsay's sister, Tracey Lomax,")."""
    if tok.dep_ in _SUBJECT_DEPS:
        return True
    return tok.dep_ == "appos" and tok.head.dep_ in _SUBJECT_DEPS


def _word_gender(word: str) -> str | None:
    if word in _MALE_WORDS:
        return MALE
    if word in _FEMALE_WORDS:
        return FEMALE
    return None


def _decided(votes: Counter[str]) -> str | None:
    """The gender the evidence points to: one side more than twice as strong as the other."""
    m, f = votes[MALE], votes[FEMALE]
    if m > 2 * f:
        return MALE
    if f > 2 * m:
        return FEMALE
    return None


def _sentence_numbers(doc: Doc) -> list[int]:
    numbers, n = [], -1
    parsed = doc.has_annotation("SENT_START")
    for tok in doc:
        if tok.i == 0 or (parsed and tok.is_sent_start) or (not parsed and _ends(doc, tok.i - 1)):
            n += 1
        numbers.append(n)
    return numbers


def _ends(doc: Doc, i: int) -> bool:
    return i >= 0 and doc[i].text in (".", "!", "?")


def quoted_mask(doc: Doc) -> list[bool]:
    """Per token: inside double quotation marks (a mark toggles; a paragraph break closes)."""
    mask, inside = [], False
    for tok in doc:
        if "\n\n" in tok.text or (tok.is_space and tok.text.count("\n") > 1):
            inside = False
        if tok.text in _QUOTE_MARKS:
            opening = tok.text in ("“", "«") or (tok.text == '"' and not inside)
            mask.append(True)
            inside = opening if tok.text != "”" and tok.text != "»" else False
            continue
        mask.append(inside)
    return mask


def antecedent(doc: Doc, i: int) -> str | None:
    """The entity id the token at i refers to (a pronoun, or the head of 'the group'-style
    phrase), as :func:`resolve_coreference` resolved it; None when unresolved or not a reference."""
    links = doc._.ew_coref
    if links is None:
        links = Resolver.of(doc).resolve()
    return links.get(i)


def _move_agent_mentions(doc: Doc, links: dict[int, str]) -> None:
    """A generic entity's mention that refers to a named actor ('the ministry', 'the
    president') becomes a mention of that actor in ``ew_token_entity``."""
    token_entity = list(doc._.ew_token_entity or [])
    entities = {e.id: e for e in doc._.ew_entities or []}
    added: dict[str, list[TextSpan]] = {}
    moved: set[int] = set()  # start offsets of the mentions taken from generic entities
    for i, target in links.items():
        eid = token_entity[i] if i < len(token_entity) else None
        ent = entities.get(eid or "")
        if ent is None or not (ent.kb_id or "").startswith("agent:") or eid == target:
            continue
        start, end = i, i + 1
        while start > 0 and token_entity[start - 1] == eid:
            start -= 1
        while end < len(token_entity) and token_entity[end] == eid:
            end += 1
        token_entity[start:end] = [target] * (end - start)
        span = doc[start:end]
        added.setdefault(target, []).append(TextSpan(span.start_char, span.end_char, span.text))
        moved.add(span.start_char)
    if not added:
        return
    left = set(token_entity)
    updated = []
    for ent in doc._.ew_entities or []:
        if ent.id in added:
            mentions = sorted([*ent.mentions, *added[ent.id]], key=lambda m: m.start)
            ent = replace(ent, mentions=mentions)
        if (ent.kb_id or "").startswith("agent:"):
            if ent.id not in left:
                continue  # every mention of the generic entity was a named actor's
            ent = replace(ent, mentions=[m for m in ent.mentions if m.start not in moved])
        updated.append(ent)
    doc._.ew_entities = updated
    doc._.ew_token_entity = token_entity


def resolve_coreference(doc: Doc) -> None:
    """Set ``doc._.ew_coref`` and move generic mentions that name an actor to that actor.

    Run as the last step of ``eventwire_agents`` (the last stage that changes the entity layer;
    coreference needs its generic actors and the roles), so that quotes and events see it."""
    deadline.check()
    resolver = Resolver.of(doc)
    links = resolver.resolve()
    _move_agent_mentions(doc, links)
    doc._.ew_coref = links
    doc.user_data[GENDER_KEY] = dict(resolver.gender)


def tokens_of(links: dict[int, str], eid: str) -> list[int]:
    """The tokens resolved to one entity (for readers of ``doc._.ew_coref``)."""
    return sorted(i for i, e in links.items() if e == eid)


__all__ = [
    "ORG_NOUNS",
    "PRONOUN_TYPES",
    "Resolver",
    "antecedent",
    "first_names",
    "resolve_coreference",
    "tokens_of",
]
