"""Retyping: a populated place the model called a person or an organisation becomes a place.

The small model often tags a town as PERSON ("former Epsom police chief", "between Coggeshall
and Marks Tey") and sometimes as ORG ("in Banstead"). The gazetteer knows these names; the text
tells whether the name is used as a place here. A mention is retyped GPE when the gazetteer
knows its name and

* it is not a person's name in this article (no token of it is a known first name, or the first
  or last name of someone named in full), and
* a PERSON mention has more than one word (a two-word person name that is also a place is rare;
  a first name would be known), or the place is used as one: after "in", "near", "at", "from",
  "outside", "of", "to", "between", "and" (after another place), before a lower-case noun it
  modifies ("Epsom police"), before ", <place>" ("Epsom, Surrey"), or the same name is tagged a
  place elsewhere in the article;
* an ORG mention is one word and used as a place after "in", "near" or "outside" ("in
  Banstead"; "at Google" names the company).

Every mention of a retyped name is retyped (the name's majority vote would undo a single one).
A KB-linked mention is never retyped: the KB's type is the actor's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from spacy.tokens import Doc

from eventwire.extract.mentions import Mention, mention_text
from eventwire.extract.names import core_tokens, fold

_PLACE_BEFORE = frozenset({"in", "near", "at", "from", "outside", "of", "to", "between",
                           "across", "around", "into", "toward", "towards", "via"})  # fmt: skip
_IN = frozenset({"in", "near", "outside"})
_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
_KINDS = frozenset({"city", "admin1", "admin2", "region", "country"})


class Places(Protocol):
    """What retyping asks of the gazetteer."""

    def lookup(self, name: str) -> list: ...


def _person_words(doc: Doc, mentions: list[Mention]) -> dict[str, set[str]]:
    """Folded first and last names of the people the article names in full, each with the
    names it comes from (a two-word place typed PERSON does not protect itself)."""
    words: dict[str, set[str]] = {}
    for m in mentions:
        core = core_tokens(mention_text(doc, m))
        if m.label == "PERSON" and len(core) > 1:
            for word in (core[0], core[-1]):
                words.setdefault(word, set()).add(" ".join(core))
    return words


def _used_as_place(doc: Doc, m: Mention, places: set[str], *, org: bool) -> bool:
    before = doc[m.start - 1].lower_ if m.start > 0 else ""
    if org:
        return before in _IN  # 'at Google', 'from Reuters' name organisations
    if before in _PLACE_BEFORE:
        return True
    if fold(mention_text(doc, m)) in places:
        return True
    after = doc[m.end] if m.end < len(doc) else None
    if after is None:
        return False
    if after.is_lower and after.is_alpha and after.pos_ in ("NOUN", ""):
        return True  # 'Epsom police'
    if after.text == "," and m.end + 1 < len(doc):
        return doc[m.end + 1].text[:1].isupper() and doc[m.end + 1].ent_type_ in ("GPE", "LOC")
    return False


def retype_places(
    doc: Doc,
    mentions: list[Mention],
    gazetteer: Callable[[], Places],
    first_names: dict[str, str],
) -> list[Mention]:
    """``mentions`` with populated places typed GPE (see the module docstring). ``gazetteer``
    is called only when a mention could be retyped (loading it takes seconds)."""
    candidates = [m for m in mentions if m.hit is None and m.label in ("PERSON", "ORG")]
    if not candidates:
        return mentions
    people = _person_words(doc, mentions)
    places = {fold(mention_text(doc, m)) for m in mentions if m.label in _PLACE_TYPES}
    retyped: set[str] = set()
    table: Places | None = None
    for m in candidates:
        core = core_tokens(mention_text(doc, m))
        own = " ".join(core)
        if not core or any(people.get(w, {own}) - {own} or w in first_names for w in core):
            continue
        org = m.label == "ORG"
        if org and len(core) > 1:
            continue
        if not (len(core) > 1 and not org) and not _used_as_place(doc, m, places, org=org):
            continue
        table = table or gazetteer()
        if any(e.kind in _KINDS for e in table.lookup(mention_text(doc, m))):
            retyped.add(fold(mention_text(doc, m)))
    for m in mentions:
        if m.hit is None and m.label in ("PERSON", "ORG") and fold(mention_text(doc, m)) in retyped:
            m.label = "GPE"
    return mentions
