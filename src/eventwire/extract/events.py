"""Events: PLOVER-coded who-did-what-to-whom with date, place, modality and evidence.

(Initial stub: sets empty results.)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class EventsStage:
    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_events = []
        return doc


@Language.factory("eventwire_events")
def make_events(nlp: Language, name: str) -> EventsStage:
    return EventsStage()
