"""Time expressions, normalised against the publication date.

(Initial stub: sets empty results.)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class TimeStage:
    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_times = []
        return doc


@Language.factory("eventwire_times")
def make_time(nlp: Language, name: str) -> TimeStage:
    return TimeStage()
