"""Generic actors ("agents"): police, troops, rebels, protesters, the government, the court, ...

News names many of its actors by what they are rather than who: "police arrested 20
protesters", "troops shelled the town", "the court convicted him". Analysts code these as
actors with a sector (CAMEO agent codes: COP police, MIL military, REB rebels, GOV government,
JUD judiciary, LEG legislature, MED media, HLH health, CVL civilians, OPP opposition/activists,
EDU education, LAB labour, REF refugees, ...). The ``eventwire_agents`` component (after
``eventwire_roles``) adds such phrases to ``doc._.ew_entities`` so that events can take them as
source or target.

Rules worth knowing:

- The dictionary is ``data/agents.yaml``, derived from PETRARCH2/Phoenix ``Phoenix.agents.txt``
  (MIT); users add YAML files in the same format or PETRARCH agents files
  (:func:`parse_petrarch_agents`) through the factory's ``agent_files``.
- Matching is on the lower-cased surface (singular and plural forms are in the data), longest
  phrase first, so it needs no lemmatizer. On a parsed Doc a match must be a noun phrase head:
  not an adjective ("military operations") nor a modifier of a following noun ("police
  station", "army camp": places, not actors).
- Never over an existing entity, and never where a named actor already fills the phrase: a
  title on a name ("Foreign Minister Zarif"), an apposition to a name, an organisation or
  person modifying it ("Hamas fighters", "UN officials", "officials of the UN") -- the named
  actor is the actor there.
- A place or demonym modifying it gives the agent's country ("Kenyan police" -> KEN,
  "Brazil's federal police", "authorities in Pakistan"); "the country's army" stays None.
- Type (:func:`agent_type`): ``ORG`` for institutions (the army, parliament, the court, the
  government: entries marked ``type: ORG``) and for groups of officials ("prosecutors",
  "officials", "troops"); ``PERSON`` for one person named by what they are ("the suspect",
  "a judge"); else ``OTHER`` (groups named by what they are: "protesters"). ``kb_id`` is
  ``agent:<SECTOR>``.
- Last, coreference (:mod:`eventwire.extract.coref`) resolves pronouns and "the group"-style
  references and sets ``doc._.ew_coref``; an agent mention that names an actor of the article
  ("the ministry" after "the Ministry of Health") becomes that actor's mention.
- One entity per agent and country in an article: "police" twice is one entity; a mention with
  no country joins the latest entity of the same agent ("Kenyan police ... police").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from eventwire import deadline
from eventwire.datafiles import load_yaml
from eventwire.errors import DataError
from eventwire.extract.coref import resolve_coreference
from eventwire.record import Entity, TextSpan

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "agents.yaml"
AGENT_TYPES = ("ORG", "OTHER")
NAMED_TYPES = {"ORG", "PERSON", "FAC"}
PLACE_TYPES = {"GPE", "NORP", "LOC"}
_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss"}
#: The name of an agent takes at most this many words of the place written before it.
MAX_MODIFIER_WORDS = 4
_CODE = re.compile(r"\[\s*(~?)([A-Z]{3,})(~?)\s*\]")
_PLURAL = re.compile(r"\{([^}]*)\}")


@dataclass(frozen=True, slots=True)
class DocFacts:
    """What the rules ask of the whole Doc, computed once per Doc: ``has_annotation`` scans the
    Doc when the annotation is missing, so asking it per phrase made the stage quadratic."""

    parsed: bool
    tagged: bool
    types: dict[str, str]  # entity id -> type, of the entities before this stage


def doc_facts(doc: Doc) -> DocFacts:
    types = {e.id: e.type for e in doc._.ew_entities or []}
    return DocFacts(doc.has_annotation("DEP"), doc.has_annotation("POS"), types)


@dataclass(frozen=True, slots=True)
class Agent:
    """One dictionary entry: the canonical phrase, its sector and entity type; ``forms`` are
    every lower-cased surface form that names it (singular and plural)."""

    phrase: str
    sector: str
    type: str = "OTHER"
    forms: tuple[str, ...] = ()


def regular_plurals(phrase: str) -> list[str]:
    """PETRARCH's regular plural of a phrase's last word: +s, y -> ies, ss/s/x/ch/sh -> es."""
    head, _, last = phrase.rpartition(" ")
    if last.endswith("y") and last[-2:-1] not in ("a", "e", "o", "u"):
        plural = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        plural = last + "es"
    else:
        plural = last + "s"
    return [f"{head} {plural}".strip()]


def agent_from_row(row: dict, where: str) -> Agent:
    """A YAML row ``{phrase, sector, type?, plural?}``; ``plural`` is a list of extra forms,
    or an empty list for words with no regular plural ("police")."""
    phrase = str(row.get("phrase", "")).strip().lower()
    sector = str(row.get("sector", "")).strip().upper()
    kind = str(row.get("type", "OTHER")).upper()
    if not phrase or not re.fullmatch(r"[A-Z]{3,}", sector) or kind not in AGENT_TYPES:
        raise DataError(f"{where}: an agent needs a phrase, a sector code and type ORG|OTHER")
    plural = row.get("plural")
    extra = regular_plurals(phrase) if plural is None else [str(p).lower() for p in plural]
    return Agent(phrase, sector, kind, tuple(dict.fromkeys([phrase, *extra])))


def read_yaml_agents(path: Path) -> list[Agent]:
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("agents"), list):
        raise DataError(f"{path}: expected a mapping with an 'agents' list")
    return [agent_from_row(row, f"{path} agent {i + 1}") for i, row in enumerate(data["agents"])]


def parse_petrarch_agents(text: str) -> list[Agent]:
    """Agents from a PETRARCH agents dictionary (``PHRASE_WORDS {plural} [~CODE]``, substitution
    sets ``!NAME! = A, B``). Words joined by blanks are read as consecutive, a simplification."""
    sets: dict[str, list[str]] = {}
    agents: list[Agent] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("!") and "=" in line:
            name, _, words = line.partition("=")
            sets[name.strip()] = [w.strip().lower() for w in words.split(",") if w.strip()]
            continue
        code = _CODE.search(line)
        if not code:
            continue
        agents.extend(_petrarch_entry(line[: code.start()], code.group(2)[:3], sets))
    return agents


def _petrarch_entry(body: str, sector: str, sets: dict[str, list[str]]) -> list[Agent]:
    plural = _PLURAL.search(body)
    phrase = _PLURAL.sub("", body).strip().lower().replace("_", " ")
    phrase = " ".join(phrase.split())
    names = [phrase]
    for key, words in sets.items():
        if key.lower() in phrase:
            names = [phrase.replace(key.lower(), w) for w in words]
    out = []
    for name in names:
        extra = [] if "!" in phrase else regular_plurals(name)
        if plural is not None:
            extra = [w.lower().replace("_", " ") for w in plural.group(1).split() if w]
        out.append(Agent(name, sector, "OTHER", tuple(dict.fromkeys([name, *extra]))))
    return out


def read_agents(path: Path) -> list[Agent]:
    """A user or shipped agents file: YAML (``.yaml``/``.yml``) or PETRARCH format."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return read_yaml_agents(path)
    return parse_petrarch_agents(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def load_agents(extra_files: tuple[str, ...] = ()) -> dict[str, Agent]:
    """Surface form -> agent, the shipped file first; later files override earlier forms."""
    forms: dict[str, Agent] = {}
    for path in (DATA_FILE, *map(Path, extra_files)):
        for agent in read_agents(path):
            forms.update(dict.fromkeys(agent.forms, agent))
    return forms


def data_version() -> int:
    """The shipped file's version (for provenance in reports)."""
    data = load_yaml(DATA_FILE.read_text(encoding="utf-8"))
    return int(data.get("version", 0))


class AgentsStage:
    """The ``eventwire_agents`` component: appends agent entities to ``doc._.ew_entities``."""

    def __init__(self, nlp: Language, agent_files: Sequence[str] = ()) -> None:
        self.forms = load_agents(tuple(agent_files))
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        patterns = [nlp.make_doc(form) for form in self.forms]
        self.matcher.add("AGENT", patterns)

    def __call__(self, doc: Doc) -> Doc:
        deadline.check()
        entities = list(doc._.ew_entities or [])
        token_entity = list(doc._.ew_token_entity or [None] * len(doc))
        book = _Book(entities)
        facts = doc_facts(doc)
        for span in self.candidates(doc, token_entity, facts):
            deadline.check()
            agent = self.forms[span.text.lower()]
            country = agent_country(span, token_entity, book.by_id, facts)
            eid = book.add(agent, span, country, modifier_text(span, token_entity, facts))
            for token in span:
                token_entity[token.i] = eid
        doc._.ew_entities = book.finished()
        doc._.ew_token_entity = token_entity
        resolve_coreference(doc)
        return doc

    def candidates(
        self, doc: Doc, token_entity: Sequence[str | None], facts: DocFacts | None = None
    ) -> list[Span]:
        """Matches that are free of entities and are agent noun phrases (see module)."""
        facts = facts or doc_facts(doc)
        spans = filter_spans(self.matcher(doc, as_spans=True))
        return [
            s for s in spans if _free(s, token_entity) and is_agent_phrase(s, token_entity, facts)
        ]


def _free(span: Span, token_entity: Sequence[str | None]) -> bool:
    return all(t.i >= len(token_entity) or token_entity[t.i] is None for t in span)


def _entity(token: Token, token_entity: Sequence[str | None]) -> str | None:
    return _entity_at(token.i, token_entity)


def _entity_at(i: int, token_entity: Sequence[str | None]) -> str | None:
    return token_entity[i] if i < len(token_entity) else None


def is_agent_phrase(
    span: Span, token_entity: Sequence[str | None], facts: DocFacts | None = None
) -> bool:
    """Whether a match is an actor phrase in its sentence (needs the parse; unparsed Docs
    accept every match)."""
    facts = facts or doc_facts(span.doc)
    head = span[-1]
    if facts.tagged and head.pos_ not in ("NOUN", "PROPN"):
        return False
    if not facts.parsed:
        return True
    if head.dep_ in ("compound", "amod", "nmod") and head.head.i > head.i:
        return False  # "police station", "army camp"
    if head.dep_ in ("appos", "compound") and _entity(head.head, token_entity):
        return False  # "Foreign Minister Zarif", "Zarif, the foreign minister"
    return not _named_by_entity(head, token_entity, facts.types)


def _named_by_entity(
    head: Token, token_entity: Sequence[str | None], types: dict[str, str]
) -> bool:
    """A name, organisation or person already in the phrase ("Hamas fighters", "the UN
    officials", "officials of the UN", "the spokesman, Ali"): that actor is the actor."""
    for child in head.children:
        if child.dep_ == "appos" and _entity(child, token_entity):
            return True
        if child.dep_ in _MODIFIER_DEPS and types.get(_entity(child, token_entity)) in NAMED_TYPES:
            return True
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = [g for g in child.children if g.dep_ == "pobj"]
            if any(types.get(_entity(g, token_entity)) in NAMED_TYPES for g in pobj):
                return True
    return False


def _place_modifiers(
    span: Span, token_entity: Sequence[str | None], facts: DocFacts
) -> list[Token]:
    """Tokens of places/demonyms qualifying the phrase: modifiers of its head (or, unparsed,
    the token right before it) and the object of "in"/"of" after it.

    An unparsed Doc has no children to ask for, and must not be asked: spaCy's tokenizer can
    leave the tree edges of tokens after a special case ("Minn.") unset until a parser runs,
    and walking them there crashed the process."""
    head = span[-1]
    if not facts.parsed:
        found = [span.doc[span.start - 1]] if span.start > 0 else []
        return [t for t in found if _entity(t, token_entity)]
    found = [c for c in head.children if c.dep_ in _MODIFIER_DEPS and c.i < span.start]
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
            found += [g for g in child.children if g.dep_ == "pobj"]
    return [t for t in found if _entity(t, token_entity)]


def agent_country(
    span: Span,
    token_entity: Sequence[str | None],
    by_id: dict[str, Entity],
    facts: DocFacts | None = None,
) -> str | None:
    """The country of the first place or demonym entity qualifying the phrase, if any; none
    when several are coordinated ("ministers from Kenya, Uganda and Ethiopia")."""
    facts = facts or doc_facts(span.doc)
    for token in _place_modifiers(span, token_entity, facts):
        if facts.parsed and token.conjuncts:  # conjuncts walk the tree: parsed Docs only
            return None
        ent = by_id.get(_entity(token, token_entity) or "")
        if ent is not None and ent.type in PLACE_TYPES and ent.country:
            return ent.country
    return None


def modifier_text(
    span: Span, token_entity: Sequence[str | None], facts: DocFacts | None = None
) -> str:
    """The demonym or place written right before the phrase ("Kenyan" police), for the name:
    the words of that one mention (at most :data:`MAX_MODIFIER_WORDS`), found by walking a few
    tokens around it rather than the whole text before the phrase."""
    facts = facts or doc_facts(span.doc)
    mods = [t for t in _place_modifiers(span, token_entity, facts) if t.i < span.start]
    if not mods:
        return ""
    eid, at = _entity(mods[0], token_entity), mods[0].i
    first = at
    while first > max(at - MAX_MODIFIER_WORDS, 0) and _entity_at(first - 1, token_entity) == eid:
        first -= 1
    last = at + 1
    while last < span.start and _entity_at(last, token_entity) == eid:
        last += 1
    words = [t.text for t in span.doc[first:last]]
    return " ".join(words[-MAX_MODIFIER_WORDS:])


class _Book:
    """The article's entities, with agent entities keyed by (phrase, country). Mentions and
    aliases are collected per entity and written once by :meth:`finished` (rebuilding an entity
    per mention cost time growing with the square of its mentions)."""

    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities
        self.by_id = {e.id: e for e in entities}
        self.keys: dict[tuple[str, str | None], str] = {}
        self.mentions: dict[str, list[TextSpan]] = {}
        self.aliases: dict[str, dict[str, None]] = {}
        self.latest: dict[str, str] = {}
        numbers = [int(e.id[1:]) for e in entities if e.id[1:].isdigit()]
        self.next = max(numbers, default=0) + 1

    def add(self, agent: Agent, span: Span, country: str | None, modifier: str) -> str:
        key = (agent.phrase, country)
        eid = self.keys.get(key) or (self.latest.get(agent.phrase) if country is None else None)
        mention = TextSpan(span.start_char, span.end_char, span.text)
        if eid is None:
            eid = f"e{self.next}"
            self.next += 1
            name = f"{modifier} {_plain(span.text)}".strip()
            kind = agent_type(agent, span.text)
            ent = Entity(eid, name, kind, [], [], [], country, f"agent:{agent.sector}")
            self.entities.append(ent)
            self.by_id[eid] = ent
            self.keys[key] = eid
        self.mentions.setdefault(eid, []).append(mention)
        self.aliases.setdefault(eid, {})[span.text] = None
        self.latest[agent.phrase] = eid
        return eid

    def finished(self) -> list[Entity]:
        """The entities, the agents with their aliases and mentions in text order."""
        return [
            replace(e, aliases=list(self.aliases[e.id]), mentions=self.mentions[e.id])
            if e.id in self.mentions
            else e
            for e in self.entities
        ]


#: Sectors whose members, named as a group, stand for their institution ("prosecutors",
#: "officials", "investigators", "police officers"): analysts code them as the organisation.
OFFICIAL_SECTORS = frozenset({"COP", "GOV", "JUD", "LEG", "SPY", "MIL"})


def agent_type(agent: Agent, written: str) -> str:
    """The entity type of one agent mention: an institution is ``ORG``; one person named by
    what they are ("the suspect", "a judge", "the president") is ``PERSON``; a group of
    officials ("prosecutors", "officials", "US forces") is ``ORG``; any other group
    ("protesters", "residents") is ``OTHER``."""
    if agent.type == "ORG":
        return "ORG"
    plural = written.lower().split()[-1:] != agent.phrase.split()[-1:]
    if not plural and len(agent.forms) > 1:
        return "PERSON"
    if agent.sector in OFFICIAL_SECTORS:
        return "ORG"
    return agent.type


def _plain(text: str) -> str:
    """'Police' at a sentence start is 'police'; acronyms ('MPs') keep their case."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def agent_entities(entities: Iterable[Entity]) -> list[Entity]:
    """The agent entities among a record's entities (``kb_id`` ``agent:*``)."""
    return [e for e in entities if (e.kb_id or "").startswith("agent:")]


@Language.factory(
    "eventwire_agents",
    default_config={"agent_files": []},
    requires=["doc._.ew_entities", "doc._.ew_token_entity", "token.dep"],
    assigns=["doc._.ew_entities", "doc._.ew_token_entity", "doc._.ew_coref"],
)
def make_agents(nlp: Language, name: str, agent_files: list[str]) -> AgentsStage:
    return AgentsStage(nlp, agent_files)
