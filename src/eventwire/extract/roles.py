"""Roles and relations: "Hezbollah leader X", "deputy leader of Hamas, X", "X, a spokesman for Y",
"Iran-backed Houthis", "based in Turkey".

Patterns run over token sequences and the entity layer (``doc._.ew_token_entity``), so they work
on any tokenised Doc; where a dependency parse exists it is used to find the subject of "based
in". Titles, honorifics and the modifiers allowed between an organisation and its title are data
(``data/titles.yaml``). Roles are what the text states; relations follow from roles with an
organisation (leader_of, deputy_of, spokesperson_of, member_of) and from explicit phrases
(based_in, backed_by, allied_with). "pro-Iran" is not backed_by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from eventwire import deadline
from eventwire.extract import span_text
from eventwire.extract.names import TitleLexicon, fold, load_titles
from eventwire.extract.role_phrases import EntityLayer, RolePhrase, role_phrases
from eventwire.record import Entity, Relation, Role, TextSpan

_ORGLIKE = frozenset({"ORG", "GPE", "NORP"})
_DETS = frozenset({"the", "a", "an", "its", "their"})
_COPULA = frozenset({"is", "was", "are", "were", "been", "has", "had", "be", "as", "who", ","})
_PORTFOLIO_TITLES = frozenset({"minister", "secretary"})
_GROUP_NOUNS = frozenset({"group", "movement", "organization", "organisation", "militia",
                          "faction", "party", "outlet", "network", "broadcaster", "channel"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class TitleForm:
    words: tuple[str, ...]
    title: str
    predicate: str


@lru_cache(maxsize=1)
def title_forms() -> tuple[TitleForm, ...]:
    """Every title form as a token sequence, longest first."""
    forms = []
    for entry in load_titles().titles:
        for form in entry["forms"]:
            words = tuple(re.findall(r"[\w']+|-", form.lower()))
            forms.append(TitleForm(words, entry["title"], entry["predicate"]))
    return tuple(sorted(forms, key=lambda f: len(f.words), reverse=True))


@lru_cache(maxsize=1)
def _forms_by_first_word() -> dict[str, tuple[TitleForm, ...]]:
    """The title forms grouped by their first word, each group in :func:`title_forms` order:
    only the forms that start with a token's word can match there (one dict look-up per token
    instead of a scan of every form)."""
    index: dict[str, list[TitleForm]] = {}
    for form in title_forms():
        index.setdefault(form.words[0] if form.words else "", []).append(form)
    return {first: tuple(forms) for first, forms in index.items()}


class _View(EntityLayer):
    """The Doc with its entity layer, the title lexicon and the lower-cased words."""

    def __init__(self, doc: Doc) -> None:
        super().__init__(doc)
        self.lex: TitleLexicon = load_titles()
        self.lower: list[str] = [t.lower_ for t in doc]  # read per token by every pattern

    def country_entity(self, ent: Entity) -> Entity:
        """A demonym stands for its country when the country itself is an entity of the article
        ("Kenyan Foreign Minister" -> Kenya); a city of that country (its capital) never does."""
        if ent.type == "NORP" and ent.country:
            key = f"country:{ent.country}"
            same = [e for e in self.ents.values() if e.type == "GPE" and e.kb_id == key]
            return same[0] if same else ent
        return ent

    def span(self, start: int, end: int) -> TextSpan:
        s = self.doc[start:end]
        return TextSpan(s.start_char, s.end_char, s.text)

    def sentence(self, i: int) -> TextSpan:
        if self.doc.has_annotation("SENT_START"):
            sent = self.doc[i].sent
            return self.span(sent.start, sent.end)
        return self.span(max(0, i - 10), min(len(self.doc), i + 10))


def _title_at(view: _View, i: int) -> TitleForm | None:
    """The longest title form starting at token i (forms starting with another word cannot)."""
    index = _forms_by_first_word()
    candidates = index.get(view.lower[i], ()) if i < len(view.lower) else ()
    unworded = index.get("", ())
    if not candidates and not unworded:
        return None  # most tokens: no form starts with their word
    words = view.lower[i : i + 5]
    for form in (*candidates, *unworded):
        if tuple(words[: len(form.words)]) == form.words:
            return form
    return None


def _skip_honorifics(view: _View, i: int) -> int:
    while (
        i < len(view.doc)
        and (view.doc[i].lower_.rstrip(".") in view.lex.honorifics or view.doc[i].text == ".")
        and view.ent(i) is None
    ):
        i += 1
    return i


def _person_at(view: _View, i: int) -> Entity | None:
    ent = view.ent(i)
    return ent if ent is not None and ent.type == "PERSON" else None


def _partial_org(view: _View, end: int) -> tuple[Entity | None, int]:
    """Capitalised words before a title that end one organisation's name ('Jihad' -> Palestinian Islamic Jihad)."""
    start = end
    while (
        start > 0
        and end - start < 3
        and view.doc[start - 1].text[:1].isupper()
        and view.ent(start - 1) is None
    ):
        start -= 1
    if start == end:
        return None, end
    words = fold(span_text(view.doc, start, end)).split()
    found = [
        e
        for e in view.ents.values()
        if e.type == "ORG"
        and any(fold(a).split()[-len(words) :] == words for a in [e.name, *e.aliases])
    ]
    return (found[0], start) if len(found) == 1 else (None, end)


def _org_before(view: _View, i: int) -> tuple[Entity | None, int, bool]:
    """Scan left of a title over modifiers to an organisation: (entity, start token, deputy)."""
    deputy = False
    while i > 0 and view.doc[i - 1].lower_ in view.lex.modifiers and view.ent(i - 1) is None:
        deputy |= view.doc[i - 1].lower_ in view.lex.deputy_modifiers
        i -= 1
    j = i - 1
    if j > 0 and view.doc[j].lower_ in ("'s", "’s", "'"):
        j -= 1
    ent = view.ent(j)
    if ent is not None and ent.type in _ORGLIKE:
        return view.country_entity(ent), view.bounds(j)[0], deputy
    partial, start = _partial_org(view, i)
    return partial, start, deputy


def _portfolio_org(view: _View, i: int) -> tuple[Entity | None, int, str]:
    """'Canadian Trade Minister', "Peru's Energy Secretary": capitalised portfolio words between
    a country (or its demonym) and a title; (the country, start token, the portfolio in lower case)."""
    k = i
    while (
        k > 0
        and i - k < 2
        and view.ent(k - 1) is None
        and view.doc[k - 1].is_title
        and view.doc[k - 1].is_alpha
        and view.doc[k - 1].lower_ not in view.lex.modifiers
    ):
        k -= 1
    j = k - 1
    if k < i and j > 0 and view.doc[j].lower_ in ("'s", "’s", "'"):
        j -= 1  # "Peru's Energy Secretary"
    ent = view.ent(j) if k < i else None
    if ent is None or ent.type not in ("GPE", "NORP"):
        return None, i, ""
    return view.country_entity(ent), view.bounds(j)[0], span_text(view.doc, k, i).lower()


def _org_after(view: _View, i: int) -> tuple[Entity | None, int]:
    """'of the Palestinian Islamic Jihad' after a title: (entity, end token)."""
    if i >= len(view.doc) or view.doc[i].lower_ not in ("of", "for", "at", "in"):
        return None, i
    i += 1
    while i < len(view.doc) and view.doc[i].lower_ in _DETS:
        i += 1
    ent = view.ent(i)
    if ent is not None and ent.type in _ORGLIKE:
        return view.country_entity(ent), view.bounds(i)[1]
    return None, i


def _role_title(form: TitleForm, deputy: bool) -> tuple[str, str]:
    """The title as written ('spokesman', 'home secretary') and its relation predicate."""
    if deputy and form.predicate == "leader_of":
        return f"deputy {form.title}", "deputy_of"
    return form.title, form.predicate


def _written(view: _View, form: TitleForm, i: int) -> TitleForm:
    """``form`` with its title as the text writes it at token i (lower case): readers and the
    gold see "spokesman" or "press secretary", not the lexicon's canonical "spokesperson"."""
    written = " ".join(span_text(view.doc, i, i + len(form.words)).lower().split())
    return TitleForm(form.words, written or form.title, form.predicate)


@dataclass(frozen=True, slots=True)
class RoleHit:
    person: str
    role: Role
    predicate: str


def _roles_at(view: _View, i: int, form: TitleForm | None) -> list[RoleHit]:
    """All role patterns anchored at ``form``, the title starting at token i (if any)."""
    if form is None or (view.ent(i) is not None and view.ent(i).type != "PERSON"):
        return []
    end = i + len(form.words)
    form = _written(view, form, i)
    org, start, portfolio = _portfolio_org(view, i)
    deputy = False
    if org is None:
        org, start, deputy = _org_before(view, i)
    elif form.title in _PORTFOLIO_TITLES:
        form = TitleForm(form.words, f"{portfolio} {form.title}", form.predicate)
    after, after_end = _org_after(view, end)
    if i > 0 and view.doc[i - 1].lower_ in view.lex.deputy_modifiers:
        deputy = True
    hits = _pre_name(view, form, org or after, start, after_end if after else end, deputy)
    return hits or _post_name(view, form, org or after, start, after_end if after else end, deputy)


def _pre_name(
    view: _View, form: TitleForm, org: Entity | None, start: int, end: int, deputy: bool
) -> list[RoleHit]:
    """'Hezbollah leader Sayyed X', 'deputy leader of Hamas, Sheikh X', 'Prime Minister X'."""
    k = end + 1 if end < len(view.doc) and view.doc[end].text == "," else end
    k = _skip_honorifics(view, k)
    person = _person_at(view, k)
    if person is None or (org is not None and org.id == person.id):
        return []
    title, predicate = _role_title(form, deputy)
    span = view.span(start, view.bounds(k)[1])
    return [RoleHit(person.id, Role(title, org.id if org else None, span), predicate)]


def _post_name(
    view: _View, form: TitleForm, org: Entity | None, start: int, end: int, deputy: bool
) -> list[RoleHit]:
    """'X, the leader of Y', 'X, a spokesperson for Y', 'X is a senior Hamas operative'."""
    if org is None:
        return []
    j = start - 1
    while j >= 0 and view.doc[j].lower_ in (_DETS | view.lex.modifiers) and view.ent(j) is None:
        deputy |= view.doc[j].lower_ in view.lex.deputy_modifiers
        j -= 1
    steps = 0
    while j >= 0 and view.doc[j].lower_ in _COPULA and steps < 3:
        j, steps = j - 1, steps + 1
    person = _person_at(view, j) if steps else None
    if person is None or person.id == org.id:
        return []
    title, predicate = _role_title(form, deputy)
    span = view.span(view.bounds(j)[0], end)
    return [RoleHit(person.id, Role(title, org.id, span), predicate)]


def find_roles(view: _View) -> list[RoleHit]:
    """Role patterns at every title; a title inside a longer one ('Prime Minister') is skipped."""
    hits: list[RoleHit] = []
    i = 0
    while i < len(view.doc):
        form = _title_at(view, i)
        if form is not None:  # a candidate (the look-up itself is one dict access per word)
            deadline.check()
            hits.extend(_roles_at(view, i, form))
        i += len(form.words) if form else 1
    return hits


# --- explicit relations ---------------------------------------------------------------------


def _relation(view: _View, subj: Entity, pred: str, obj: Entity, i: int) -> Relation | None:
    if subj.id == obj.id:
        return None
    return Relation(subj.id, pred, view.country_entity(obj).id, view.sentence(i))


def _next_entity(view: _View, i: int, limit: int = 4) -> Entity | None:
    for k in range(i, min(len(view.doc), i + limit)):
        ent = view.ent(k)
        if ent is not None:
            return ent if ent.type in ("ORG", "PERSON") else None
        if not (view.doc[k].is_alpha and view.doc[k].is_lower) and view.doc[k].text != "-":
            return None
    return None


def _recent_org(view: _View, i: int, country: str | None, noun_at: int) -> Entity | None:
    """'the Lebanese-based group': the latest ORG before it from that country (a short-range
    nominal reference, accepted only when exactly the country matches)."""
    if country is None or view.doc[noun_at].lower_ not in _GROUP_NOUNS:
        return None
    for k in range(i - 1, max(-1, i - 400), -1):
        ent = view.ent(k)
        if ent is not None and ent.type == "ORG" and ent.country == country:
            return ent
    return None


_COMPOUND_PREDICATES = {"based": "based_in", "backed": "backed_by", "allied": "allied_with"}
_PHRASE_PREDICATES = {("based", "in"): "based_in", ("backed", "by"): "backed_by",
                      ("allied", "with"): "allied_with", ("ally", "of"): "allied_with"}  # fmt: skip
#: The words a relation pattern starts at (:func:`find_relations` tries no other token).
_RELATION_WORDS = frozenset(_COMPOUND_PREDICATES) | {first for first, _ in _PHRASE_PREDICATES}


def _compound_relations(view: _View, i: int) -> list[Relation]:
    """'X-based Y', 'X-backed Y', 'X-allied Y' with X an entity ending right before the hyphen."""
    doc = view.doc
    word = view.lower[i]
    preds = _COMPOUND_PREDICATES
    if word not in preds or i < 2 or doc[i - 1].text != "-" or view.ent(i - 2) is None:
        return []
    place = view.ent(i - 2)
    subj = _next_entity(view, i + 1)
    if subj is None:
        noun = next(
            (k for k in range(i + 1, min(len(doc), i + 4)) if doc[k].lower_ in _GROUP_NOUNS), i + 1
        )
        subj = _recent_org(view, view.bounds(i - 2)[0], place.country, min(noun, len(doc) - 1))
    rel = _relation(view, subj, preds[word], place, i) if subj is not None else None
    return [rel] if rel else []


def _subject_by_parse(view: _View, tok: Token) -> Entity | None:
    """Walk up from 'based'/'backed' to the entity it describes (head noun or copula subject)."""
    head = tok.head
    for _ in range(3):
        ent = view.ent(head.i)
        if ent is not None and ent.type in ("ORG", "PERSON"):
            return ent
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if (
            subj
            and view.ent(subj[0].i) is not None
            and view.ent(subj[0].i).type in ("ORG", "PERSON")
        ):
            return view.ent(subj[0].i)
        if head.head is head:
            return None
        head = head.head
    return None


def _subject_by_adjacency(view: _View, i: int) -> Entity | None:
    """Without a parse: an entity right before ('Hamas, backed by Iran'; 'X is based in Y')."""
    j = i - 1
    while j >= 0 and view.doc[j].lower_ in _COPULA | {"also", "now", "reportedly"}:
        j -= 1
    ent = view.ent(j)
    return ent if ent is not None and ent.type in ("ORG", "PERSON") else None


def _phrase_relations(view: _View, i: int) -> list[Relation]:
    """'based in X', 'backed by X', 'allied with X', 'an ally of X'."""
    doc = view.doc
    preds = _PHRASE_PREDICATES
    if i + 2 > len(doc) or (view.lower[i], view.lower[i + 1]) not in preds:
        return []
    if i > 0 and doc[i - 1].text == "-":
        return []
    k = i + 2
    while k < len(doc) and doc[k].lower_ in _DETS:
        k += 1
    obj = view.ent(k) if k < len(doc) else None
    if obj is None:
        return []
    start = i
    if doc[i].lower_ == "ally":
        while start > 0 and doc[start - 1].lower_ in _DETS | view.lex.modifiers:
            start -= 1
    subj = _subject_by_parse(view, doc[i]) if doc.has_annotation("DEP") else None
    subj = subj or _subject_by_adjacency(view, start)
    rel = _relation(view, subj, preds[(doc[i].lower_, doc[i + 1].lower_)], obj, i) if subj else None
    return [rel] if rel else []


def find_relations(view: _View, roles: list[RoleHit]) -> list[Relation]:
    relations = [
        Relation(h.person, h.predicate, h.role.of, h.role.evidence)
        for h in roles
        if h.role.of and h.predicate
    ]
    for i, word in enumerate(view.lower):
        if word not in _RELATION_WORDS:
            continue  # neither pattern can start here
        deadline.check()
        relations.extend(_compound_relations(view, i))
        relations.extend(_phrase_relations(view, i))
    unique: dict[tuple[str, str, str], Relation] = {}
    for rel in relations:
        unique.setdefault((rel.subject, rel.predicate, rel.object), rel)
    return list(unique.values())


def _overlap(a: Role, b: Role) -> bool:
    return a.evidence.start < b.evidence.end and b.evidence.start < a.evidence.end


def _better(phrase: Role, lexicon: list[Role]) -> bool:
    """A phrase reading wins when it names an organisation the lexicon's do not, or, with the
    same organisation, reads a longer title ('attorney general' over 'general')."""
    if any(r.of for r in lexicon):
        return bool(phrase.of) and all(
            r.of == phrase.of and len(phrase.title) > len(r.title) for r in lexicon
        )
    return bool(phrase.of) or all(len(phrase.title) > len(r.title) for r in lexicon)


def with_phrases(hits: list[RoleHit], phrases: list[RolePhrase]) -> list[RoleHit]:
    """Lexicon hits plus the role phrases (:mod:`.role_phrases`) they do not already cover.

    Where both read the same words for one person, the reading that names an organisation
    wins (keeping the lexicon's relation predicate), else the lexicon's. A phrase's role alone
    has no predicate: it gives no relation."""
    kept = list(hits)
    for phrase in phrases:
        same = [
            h
            for h in kept
            if h in hits and h.person == phrase.person and _overlap(h.role, phrase.role)
        ]
        if not same:
            kept.append(RoleHit(phrase.person, phrase.role, ""))
        elif _better(phrase.role, [h.role for h in same]):
            kept = [h for h in kept if h not in same]
            predicate = same[0].predicate if phrase.role.of else ""
            kept.append(RoleHit(phrase.person, phrase.role, predicate))
    return sorted(kept, key=lambda h: h.role.evidence.start)


def _group_roles(hits: list[RoleHit]) -> dict[str, list[Role]]:
    roles: dict[str, list[Role]] = {}
    seen: set[tuple[str, str, str | None]] = set()
    for hit in hits:
        key = (hit.person, hit.role.title, hit.role.of)
        if key not in seen:
            seen.add(key)
            roles.setdefault(hit.person, []).append(hit.role)
    return roles


def role_countries(view: _View, hits: list[RoleHit]) -> dict[str, str]:
    """Entity id -> country read from its roles: a minister of Kenya (or of 'Kenyan') is Kenyan,
    an official of an organisation with a known country has that country. First role wins."""
    countries: dict[str, str] = {}
    for hit in hits:
        holder, of = view.ents.get(hit.person), view.ents.get(hit.role.of or "")
        if holder is None or holder.country or of is None or of.country is None:
            continue
        countries.setdefault(holder.id, of.country)
    return countries


def _with_countries(entities: list[Entity], countries: dict[str, str]) -> list[Entity]:
    return [replace(e, country=countries[e.id]) if e.id in countries else e for e in entities]


class RolesStage:
    """The ``eventwire_roles`` component: sets ``doc._.ew_roles`` and ``doc._.ew_relations``,
    and fills the country of entities whose roles tie them to a country."""

    def __call__(self, doc: Doc) -> Doc:
        deadline.check()
        view = _View(doc)
        hits = with_phrases(find_roles(view), role_phrases(doc, view.country_entity))
        doc._.ew_roles = _group_roles(hits)
        doc._.ew_relations = find_relations(view, hits)
        countries = role_countries(view, hits)
        if countries:
            doc._.ew_entities = _with_countries(doc._.ew_entities or [], countries)
        return doc


@Language.factory(
    "eventwire_roles",
    requires=["doc._.ew_entities", "token.dep"],
    assigns=["doc._.ew_roles", "doc._.ew_relations", "doc._.ew_entities"],
)
def make_roles(nlp: Language, name: str) -> RolesStage:
    return RolesStage()
