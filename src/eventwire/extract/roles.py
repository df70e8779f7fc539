"""Roles and relations: titles such as 'deputy leader of Hamas' and leader_of/member_of/... links.

(Initial stub: sets empty results.)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class RolesStage:
    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_roles = {}
        doc._.ew_relations = []
        return doc


@Language.factory("eventwire_roles")
def make_roles(nlp: Language, name: str) -> RolesStage:
    return RolesStage()
