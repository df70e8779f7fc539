"""Entities: one record per real actor, with every mention, alias, type and country.

(Initial version: groups spaCy's entity spans by exact text. To be replaced by name-variant
merging and knowledge-base linking.)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.record import Entity, TextSpan

_TYPE_MAP = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "NORP": "NORP",
             "FAC": "FAC"}


class EntityResolver:
    def __init__(self, nlp: Language, name: str, actor_files: list[str]) -> None:
        self.actor_files = actor_files

    def __call__(self, doc: Doc) -> Doc:
        groups: dict[str, list] = {}
        for ent in doc.ents:
            if ent.label_ not in _TYPE_MAP:
                continue
            groups.setdefault(ent.text, []).append(ent)
        entities = []
        token_entity: list[str | None] = [None] * len(doc)
        for i, (name, spans) in enumerate(groups.items(), start=1):
            eid = f"e{i}"
            entities.append(Entity(
                id=eid, name=name, type=_TYPE_MAP[spans[0].label_], aliases=[name],
                mentions=[TextSpan(s.start_char, s.end_char, s.text) for s in spans],
            ))
            for span in spans:
                for tok in span:
                    token_entity[tok.i] = eid
        doc._.ew_entities = entities
        doc._.ew_token_entity = token_entity
        return doc


@Language.factory("eventwire_entities", default_config={"actor_files": []})
def make_entities(nlp: Language, name: str, actor_files: list[str]) -> EntityResolver:
    return EntityResolver(nlp, name, actor_files)
