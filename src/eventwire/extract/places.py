"""Places: toponyms geocoded from an offline gazetteer.

(Initial stub: sets empty results.)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class PlacesStage:
    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_places = []
        return doc


@Language.factory("eventwire_places")
def make_places(nlp: Language, name: str) -> PlacesStage:
    return PlacesStage()
