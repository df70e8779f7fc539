"""Role phrases around a person's name, for titles the title lexicon does not list.

News gives most people a role in one of a few shapes, and the title word itself is open-ended
("equity strategist", "clinical psychologist", "diplomatic correspondent"):

* apposition after the name: "X, the U.S. attorney for Z", "X, a professor at Z",
  "X, Z's new police commissioner", "X, Z spokesman", "X — PR director of Z";
* a title before the name: "Z CEO X", "Mansfield Mayor X", "Actress X", "Sen. X, R-Texas";
* a relative clause: "X, who heads Z" (also chairs, leads, runs, founded).

A title is a run of words ending in a *role noun*: a title of ``titles.yaml``, one of its
``role_nouns``, or a word with an agent ending (-er, -or, -ist, -ian, ...). The organisation is an
entity of the article: the possessor or name before the title, else the object of a following
"of/at/for/with/in". The title is kept as written (lower case), so "spokesman" stays
"spokesman" and "press secretary" stays "press secretary".

The module reads the entity layer only (``doc._.ew_token_entity``, ``doc._.ew_entities``) and
the part-of-speech tags when the model has them; without tags it falls back to word lists, so it
works on hand-built Docs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from eventwire.extract import span_text
from eventwire.extract.names import fold, load_titles
from eventwire.record import Entity, Role, TextSpan

_DETS = frozenset({"the", "a", "an", "its", "their", "his", "her", "both", "another", "fellow"})
_ARTICLES = frozenset({"the", "a", "an", "its", "their", "his", "her", "both", "another"})
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
_PREPOSITIONS = frozenset({"of", "at", "for", "with", "in", "from"})
_OF_AT = frozenset({"of", "at"})  # after a name: 'in Z' is where, not whose
_DASHES = frozenset({",", "—", "–", "-"})
_JOINERS = frozenset({"and", "&", "-", "of"})
_AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "ess", "eer", "ive")
#: Words with an agent ending that do not name what a person is.
_NOT_ROLES = frozenset(
    {"water", "order", "center", "centre", "number", "member's", "corner", "letter", "matter",
     "paper", "power", "weather", "summer", "winter", "error", "border", "floor", "door",
     "content", "event", "incident", "moment", "statement", "government", "department",
     "parliament", "agreement", "comment", "percent", "report", "effort", "support", "amount",
     "talent", "tenant", "plant", "grant", "giant", "native", "relative", "initiative",
     "objective", "detective's", "later", "after", "other", "another", "together", "either",
     "neither", "rather", "whether", "under", "over", "per", "her", "former", "minor",
     "major", "senior", "junior", "prior", "interior", "exterior", "inferior", "superior",
     "recent", "current", "different", "present", "independent", "silent", "ancient",
     "violent", "urgent", "woman", "man", "gentleman"}
)  # fmt: skip
_ROLE_TAGS = frozenset({"NOUN", "PROPN"})
_TITLE_TAGS = frozenset({"NOUN", "PROPN", "ADJ", "NUM"})


@dataclass(frozen=True, slots=True)
class RolePhrase:
    """One role read from the text: the person's entity id and the role."""

    person: str
    role: Role
    kind: str = "apposition"  # or "before" (a title before the name), "relative" ('who heads')


@lru_cache(maxsize=1)
def _lexicon_words() -> tuple[frozenset[str], dict[str, str]]:
    """(role nouns, abbreviation -> title) from ``titles.yaml``."""
    lex = load_titles()
    nouns = {str(w).lower() for w in lex.role_nouns}
    for entry in lex.titles:
        for form in entry["forms"]:
            nouns.add(form.lower().split()[-1])
    return frozenset(nouns), dict(lex.title_abbreviations)


@lru_cache(maxsize=1)
def _modifiers() -> frozenset[str]:
    lex = load_titles()
    return lex.modifiers | lex.deputy_modifiers


def is_role_noun(word: str) -> bool:
    """Whether a word can end a title ('strategist', 'ceo', 'spokesman', 'judge')."""
    word = word.lower().strip(".")
    nouns, _ = _lexicon_words()
    if word in nouns or (word.endswith("s") and word[:-1] in nouns):
        return True
    if word.endswith("men") and word[:-3] + "man" in nouns:
        return True
    if word.endswith("s") and len(word) > 5 and is_role_noun(word[:-1]):
        return word[:-1] not in _NOT_ROLES
    if word in _NOT_ROLES or len(word) < 5 or not word.isalpha():
        return False
    return word.endswith(_AGENT_ENDINGS)


class EntityLayer:
    """The Doc with its entity layer: which entity each token belongs to, and entity lookups
    (read by the role patterns here and by the roles stage)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.tok: list[str | None] = doc._.ew_token_entity or [None] * len(doc)
        self.ents: dict[str, Entity] = {e.id: e for e in doc._.ew_entities or []}

    def ent(self, i: int) -> Entity | None:
        return self.ents.get(self.tok[i]) if 0 <= i < len(self.doc) and self.tok[i] else None

    def bounds(self, i: int) -> tuple[int, int]:
        """Token range of the entity mention covering token i."""
        eid, start, end = self.tok[i], i, i + 1
        while start > 0 and self.tok[start - 1] == eid:
            start -= 1
        while end < len(self.doc) and self.tok[end] == eid:
            end += 1
        return start, end


class _Layer(EntityLayer):
    """The Doc with its entity layer, as the patterns read it."""

    def __init__(self, doc: Doc, country_entity: Callable[[Entity], Entity]) -> None:
        super().__init__(doc)
        self.tagged = doc.has_annotation("POS")
        self.country_entity = country_entity
        self._names: dict[str, Entity] | None = None

    def is_title_word(self, i: int, *, loose: bool = False) -> bool:
        """A word that may stand inside a title ('equity', 'chief', 'fire', 'vice'). Without a
        tagger, ``loose`` also takes any lower-case content word (an apposition's title runs
        from the comma to its last role noun, so what follows that noun is cut anyway)."""
        tok = self.doc[i]
        if self.ent(i) is not None or not (tok.is_alpha or tok.text in ("-", "&")):
            return False
        if tok.lower_ in _ARTICLES or tok.lower_ in _PREPOSITIONS - {"of"}:
            return False
        if tok.lower_ in _JOINERS:
            return True
        if self.tagged:
            return tok.pos_ in _TITLE_TAGS
        # no tagger: a capitalised word, a role noun or a title modifier ('senior', 'deputy')
        if loose and tok.is_lower and tok.lower_ not in STOP_WORDS:
            return True
        return tok.text[:1].isupper() or is_role_noun(tok.text) or tok.lower_ in _modifiers()

    def is_role_head(self, i: int) -> bool:
        tok = self.doc[i]
        if self.ent(i) is not None or not tok.is_alpha:
            return False
        if self.tagged and tok.pos_ not in _ROLE_TAGS:
            return False
        return is_role_noun(tok.text)

    def named_org(self, k: int, head: int) -> tuple[Entity | None, int]:
        """Capitalised words opening a title that spell an organisation of the article the
        model did not tag there ('T-Mobile CEO'): (the organisation, first title token)."""
        if self._names is None:
            self._names = {}
            for e in self.ents.values():
                if e.type == "ORG":
                    for name in (e.name, *e.aliases):
                        self._names.setdefault(fold(name), e)
        for n in range(head - k, 0, -1):
            if self._names.get(fold(span_text(self.doc, k, k + n))) is not None:
                return self._names[fold(span_text(self.doc, k, k + n))], k + n
        return None, k

    def organisation(self, ent: Entity | None) -> Entity | None:
        if ent is None or ent.type not in ("ORG", "GPE", "NORP", "FAC", "PERSON", "LOC"):
            return None
        return self.country_entity(ent)

    def span(self, start: int, end: int) -> TextSpan:
        s = self.doc[start:end]
        return TextSpan(s.start_char, s.end_char, s.text)


def _title_text(layer: _Layer, start: int, end: int) -> str:
    words = span_text(layer.doc, start, end).lower().split()
    return " ".join(w for w in words if w not in _ARTICLES)


def _org_after(
    layer: _Layer, i: int, prepositions: frozenset[str] = _PREPOSITIONS
) -> tuple[Entity | None, int]:
    """The organisation in up to two prepositional phrases after a title: 'for the Middle East
    at Amnesty International' -> Amnesty International. An ORG wins over a place."""
    found: list[Entity] = []
    end = i
    for _ in range(2):
        if i >= len(layer.doc) or layer.doc[i].lower_ not in prepositions:
            break
        i += 1
        while i < len(layer.doc) and layer.doc[i].lower_ in _DETS:
            i += 1
        ent = layer.organisation(layer.ent(i))
        if ent is None:
            while i < len(layer.doc) and layer.doc[i].is_alpha and layer.ent(i) is None:
                if layer.doc[i].lower_ in _PREPOSITIONS:
                    break
                i += 1
            continue
        i = end = layer.bounds(i)[1]
        if i + 1 < len(layer.doc) and layer.doc[i].lower_ in _POSSESSIVES:
            inner = layer.organisation(layer.ent(i + 1))  # "NYU's Stern School": the school
            if inner is not None:
                ent, i = inner, layer.bounds(i + 1)[1]
                end = i
        found.append(ent)
        while i + 1 < len(layer.doc) and layer.doc[i].lower_ == "and" and layer.ent(i + 1):
            i = end = layer.bounds(i + 1)[1]  # 'for the Middle East and North Africa'
    orgs = [e for e in found if e.type == "ORG"]
    chosen = orgs[0] if orgs else (found[0] if found else None)
    return chosen, end


def _title_run(layer: _Layer, k: int) -> int:
    """The end of the title words starting at k, up to the last role noun (k when none)."""
    end, j = k, k
    while j < len(layer.doc) and j - k < 8 and layer.is_title_word(j, loose=True):
        if layer.is_role_head(j):
            end = j + 1
        j += 1
    return end


def _org_before_title(layer: _Layer, k: int) -> tuple[Entity | None, int]:
    """'Z's' or 'Z' opening a title phrase: (organisation, first token after it)."""
    ent = layer.ent(k)
    if ent is None:
        return None, k
    after = layer.bounds(k)[1]
    if after < len(layer.doc) and layer.doc[after].lower_ in _POSSESSIVES:
        after += 1
    return layer.organisation(ent), after


def after_name(layer: _Layer, person: Entity, end: int) -> RolePhrase | None:
    """'X, the Y of Z', 'X, Z's Y', 'X, Z Y', 'X — Y at Z', 'X, who heads Z'."""
    doc = layer.doc
    if end >= len(doc) or doc[end].text not in _DASHES:
        return None
    k = end + 1
    while k < len(doc) and doc[k].lower_ in _DETS:
        k += 1
    if k < len(doc) and doc[k].lower_ == "who":
        return _relative_clause(layer, person, end, k + 1)
    skip = _party_state_end(layer, end)
    if skip is not None and skip + 1 < len(doc) and doc[skip + 1].lower_ == "who":
        return _relative_clause(layer, person, end, skip + 2)
    org, k = _org_before_title(layer, k)
    while k < len(doc) and doc[k].lower_ in _DETS:
        k += 1
    title_end = _title_run(layer, k)
    if title_end == k:
        return None
    after, stop = _org_after(layer, title_end)
    org = org or after
    if org is not None and org.id == person.id:
        return None
    title = _title_text(layer, k, title_end)
    evidence = layer.span(layer.bounds(end - 1)[0], max(stop, title_end))
    return RolePhrase(person.id, Role(title, org.id if org else None, evidence))


_HEADS = {"heads": "head", "headed": "head", "leads": "leader", "led": "leader",
          "chairs": "chair", "chaired": "chair", "runs": "head", "ran": "head",
          "founded": "founder", "co-founded": "co-founder", "directs": "director",
          "commands": "commander", "manages": "manager"}  # fmt: skip


def _relative_clause(layer: _Layer, person: Entity, end: int, k: int) -> RolePhrase | None:
    """'X, who heads Z': the verb gives the title, its object the organisation."""
    doc = layer.doc
    if k < len(doc) and doc[k].lower_ in ("also", "now", "currently"):
        k += 1
    if k >= len(doc) or doc[k].lower_ not in _HEADS:
        return None
    j = k + 1
    while j < len(doc) and doc[j].lower_ in _DETS:
        j += 1
    org = layer.organisation(layer.ent(j))
    if org is None or org.id == person.id:
        return None
    evidence = layer.span(layer.bounds(end - 1)[0], layer.bounds(j)[1])
    return RolePhrase(person.id, Role(_HEADS[doc[k].lower_], org.id, evidence), "relative")


def _abbreviation(layer: _Layer, i: int) -> str | None:
    """'Sen.', 'Rep.', 'Lt.' right before a name: the title they abbreviate."""
    _, abbreviations = _lexicon_words()
    word = layer.doc[i].lower_.rstrip(".")
    return abbreviations.get(word)


def _party_state_end(layer: _Layer, end: int) -> int | None:
    """The comma closing ', D-Minn.,' or ', R - W. Va.,' after a name (None when absent)."""
    doc = layer.doc
    if end + 3 >= len(doc) or doc[end].text != "," or doc[end + 1].text not in ("R", "D", "I"):
        return None
    if doc[end + 2].text not in ("-", "–"):
        return None
    for k in range(end + 3, min(len(doc), end + 8)):
        if doc[k].text == ",":
            return k
        if not (doc[k].text[:1].isupper() or doc[k].text == "."):
            return None
    return None


def _party_state(layer: _Layer, end: int) -> Entity | None:
    """'X, R-Texas' or 'X, D-Minn.': the state a legislator represents, when it is an entity."""
    doc = layer.doc
    if end + 3 >= len(doc) or doc[end].text != "," or doc[end + 1].text not in ("R", "D", "I"):
        return None
    if doc[end + 2].text != "-":
        return None
    ent = layer.ent(end + 3)
    return ent if ent is not None and ent.type in ("GPE", "LOC") else None


def before_name(layer: _Layer, person: Entity, start: int, end: int) -> RolePhrase | None:
    """'Z CEO X', "Z's editor-in-chief X", 'Actress X', 'Sen. X, R-Texas', "Z's attorney, X"."""
    doc = layer.doc
    j = start - 1
    a = j - 1 if j > 0 and doc[j].text == "." else j
    if a >= 0 and (title := _abbreviation(layer, a)) is not None:
        org = _party_state(layer, end)
        evidence = layer.span(a, end)
        return RolePhrase(person.id, Role(title, org.id if org else None, evidence), "before")
    if doc[start].is_sent_start:
        return None
    comma = j > 0 and doc[j].text == ","
    if comma:
        j -= 1  # "Carlineo's attorney, Sonya Zoghlin"
    if j < 0 or not layer.is_role_head(j) or doc[j].is_sent_start:
        return None
    k = j
    while k > 0 and j - k < 6 and layer.is_title_word(k - 1) and not doc[k].is_sent_start:
        if doc[k - 1].lower_ == "of" and not doc[k - 2 : k - 1].text.istitle():
            break
        k -= 1
    while k < j and doc[k].lower_ in _JOINERS:
        k += 1
    org, first = _org_opening(layer, k)
    if org is None:
        org, k = layer.named_org(k, j)
        first = k if org is None else first
    if comma and org is None:
        return None  # 'the president, X' may be a list; only "Z's Y, X" is read
    if org is not None and org.id == person.id:
        return None
    stop = end
    if org is None and not comma:
        org, stop = _org_after(layer, end, _OF_AT)  # 'planetary geologist X of Z'
    if org is not None and org.id == person.id:
        return None
    title = _title_text(layer, k, j + 1)
    span = layer.span(first, stop)
    return RolePhrase(person.id, Role(title, org.id if org else None, span), "before")


def _org_opening(layer: _Layer, k: int) -> tuple[Entity | None, int]:
    """The organisation right before title words starting at k ("Z's", 'Z'): (entity, its
    first token); a person counts only with a possessive ("Carlineo's attorney")."""
    doc = layer.doc
    p = k - 1
    if p >= 0 and doc[p].lower_ in _POSSESSIVES:
        p -= 1
    possessive = p < k - 1
    ent = layer.ent(p) if p >= 0 else None
    if ent is None or (ent.type == "PERSON" and not possessive):
        return None, k
    org = layer.organisation(ent)
    return (org, layer.bounds(p)[0]) if org is not None else (None, k)


def role_phrases(doc: Doc, country_entity: Callable[[Entity], Entity]) -> list[RolePhrase]:
    """Every role the phrases around person mentions give (one per pattern and mention)."""
    layer = _Layer(doc, country_entity)
    found: list[RolePhrase] = []
    i = 0
    while i < len(doc):
        ent = layer.ent(i)
        if ent is None or ent.type != "PERSON":
            i += 1
            continue
        start, end = layer.bounds(i)
        before, after = before_name(layer, ent, start, end), after_name(layer, ent, end)
        if (
            before is not None
            and after is not None
            and before.role.of is None
            and after.kind == "apposition"
        ):
            # 'Lt. X, Columbus Police Department spokesman': one organisation for both
            before = RolePhrase(before.person, replace(before.role, of=after.role.of), "before")
        found.extend(h for h in (before, after) if h is not None)
        if after is not None and _plural(layer, end):
            found.extend(_conjuncts(layer, start, after.role))
        i = end
    return found


def _plural(layer: _Layer, end: int) -> bool:
    """Whether the apposition after a name is plural ('both professors at Z')."""
    doc = layer.doc
    k = end + 1
    while k < len(doc) and doc[k].lower_ in _DETS:
        if doc[k].lower_ == "both":
            return True
        k += 1
    return False


def _conjuncts(layer: _Layer, start: int, role: Role) -> list[RolePhrase]:
    """'X and Y, both professors at Z': X takes the role too."""
    doc = layer.doc
    j = start - 1
    if j < 1 or doc[j].lower_ != "and":
        return []
    ent = layer.ent(j - 1)
    if ent is None or ent.type != "PERSON":
        return []
    return [RolePhrase(ent.id, role)]
