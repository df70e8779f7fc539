"""Quotes: direct quotations and their speakers.

(Initial stub: sets empty results.)
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class QuotesStage:
    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_quotes = []
        return doc


@Language.factory("eventwire_quotes")
def make_quotes(nlp: Language, name: str) -> QuotesStage:
    return QuotesStage()
